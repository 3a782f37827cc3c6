// AVX2 / FMA / F16C kernels. This file alone is compiled with those flags (see CMakeLists.txt)
// and is only called after CPUID said yes. Everything here has internal linkage; see README.md
// for why no shared inline function may be used from this file.
#include "inference/compute/cpu/kernels.hpp"

namespace atelier::compute::cpu {

void installAvx2Kernels(Kernels& k) {
    (void)k;
}

} // namespace atelier::compute::cpu
