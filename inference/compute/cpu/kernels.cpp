// Kernel tables per SIMD level and the run-time choice between them.
#include "inference/compute/cpu/kernels.hpp"

#include "inference/util/error.hpp"

#include <cstdint>
#include <string>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace atelier::compute::cpu {
namespace {

#if defined(__x86_64__)
std::uint64_t osSavedStates() {
    unsigned low, high;
    __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return (std::uint64_t(high) << 32) | low;
}
#endif

bool cpuHasAvx2() {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    const bool fma = c & (1u << 12), osxsave = c & (1u << 27), avx = c & (1u << 28),
               f16c = c & (1u << 29);
    if (!(fma && osxsave && avx && f16c)) return false;
    if ((osSavedStates() & 0x6u) != 0x6u) return false; // the OS saves XMM and YMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    return b & (1u << 5);
#else
    return false;
#endif
}

bool cpuHasAvx512Vnni() {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!cpuHasAvx2() || !__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    const bool f = b & (1u << 16), bw = b & (1u << 30), vl = b & (1u << 31), vnni = c & (1u << 11);
    // The OS saves the opmask and the upper ZMM state as well.
    return f && bw && vl && vnni && (osSavedStates() & 0xE6u) == 0xE6u;
#else
    return false;
#endif
}

Kernels makeAvx512VnniKernels() {
    Kernels k = scalarKernels();
    installAvx2Kernels(k);
    installAvx512VnniKernels(k);
    k.level = SimdLevel::Avx512Vnni;
    return k;
}

Kernels makeAvx2Kernels() {
    Kernels k = scalarKernels();
    installAvx2Kernels(k);
    k.level = SimdLevel::Avx2;
    return k;
}

} // namespace

const char* simdLevelName(SimdLevel level) {
    switch (level) {
    case SimdLevel::Scalar:
        return "scalar";
    case SimdLevel::Avx2:
        return "avx2";
    case SimdLevel::Avx512Vnni:
        return "avx512-vnni";
    }
    return "?";
}

SimdLevel detectSimdLevel() {
    static const SimdLevel level = cpuHasAvx512Vnni() ? SimdLevel::Avx512Vnni
                                   : cpuHasAvx2()     ? SimdLevel::Avx2
                                                      : SimdLevel::Scalar;
    return level;
}

ElementType activationTypeFor(ElementType weight) {
    switch (weight) {
    case ElementType::F16:
        return ElementType::F16;
    case ElementType::BF16:
        return ElementType::BF16;
    case ElementType::Q4_0:
    case ElementType::Q5_0:
    case ElementType::Q8_0:
        return ElementType::Q8_0;
    case ElementType::Q4_1:
    case ElementType::Q5_1:
        return ElementType::Q8_1;
    case ElementType::Q2_K:
    case ElementType::Q3_K:
    case ElementType::Q4_K:
    case ElementType::Q5_K:
    case ElementType::Q6_K:
        return ElementType::Q8_K;
    default:
        return ElementType::F32;
    }
}

bool hasDotKernel(ElementType weight) {
    const int slot = int(weight);
    return slot >= 0 && slot < kTypeSlots && scalarKernels().dot[slot] != nullptr;
}

const Kernels& kernelsFor(SimdLevel level) {
    if (level == SimdLevel::Scalar) return scalarKernels();
    if (detectSimdLevel() < level)
        throw Error(ErrorKind::Unsupported,
                    std::string("this CPU cannot run the ") + simdLevelName(level) + " kernels");
    if (level == SimdLevel::Avx2) {
        static const Kernels avx2 = makeAvx2Kernels();
        return avx2;
    }
    static const Kernels avx512 = makeAvx512VnniKernels();
    return avx512;
}

} // namespace atelier::compute::cpu
