// The x86 kernels built for AVX2 + FMA + F16C (compiled with -mavx2 -mfma -mf16c).
#define ATELIER_INSTALL_KERNELS installAvx2Kernels
#include "inference/compute/cpu/kernels_x86.inl"
