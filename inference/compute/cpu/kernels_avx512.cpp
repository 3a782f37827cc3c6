// The x86 kernels built for AVX-512 with VNNI (Zen 4, Ice Lake and later); compiled with
// -mavx512f -mavx512bw -mavx512vl -mavx512vnni on top of the AVX2 flags.
#define ATELIER_INSTALL_KERNELS installAvx512VnniKernels
#include "inference/compute/cpu/kernels_x86.inl"
