// Shared by every shader: the linear workgroup index of a 2-D grid (see gridFor() in
// vulkan_state.hpp) and element-type ids (ggml's).
#extension GL_EXT_control_flow_attributes : enable

#define TYPE_F32 0u
#define TYPE_F16 1u
#define TYPE_BF16 30u

uint linearGroup() {
    return gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
}

float bf16ToFloat(uint bits) {
    return uintBitsToFloat(bits << 16);
}

// Round to nearest even, NaN stays a quiet NaN (as quant/float16.hpp).
uint floatToBf16(float f) {
    uint x = floatBitsToUint(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return (x >> 16) | 64u;
    return (x + (0x7fffu + ((x >> 16) & 1u))) >> 16;
}

uint floatToHalfBits(float f) {
    return packHalf2x16(vec2(f, 0.0)) & 0xffffu;
}

// Rounded to the nearest F16 value, ties to even, as quant/float16.hpp's fp32ToFp16 (the
// driver's packHalf2x16 need not round that way).
float roundToHalf(float v) {
    const uint x = floatBitsToUint(v), sign = x & 0x80000000u, a = x & 0x7fffffffu;
    if (a > 0x7f800000u) return v;                                   // NaN
    if (a >= 0x47800000u) return uintBitsToFloat(sign | 0x7f800000u); // >= 65536: infinity
    if (a < 0x38800000u) { // a subnormal half: a multiple of 2^-24 (the sums below are exact)
        precise float shifted = uintBitsToFloat(a) + 0.5;             // ulp(0.5) is 2^-24
        precise float rounded = shifted - 0.5;
        return uintBitsToFloat(sign | floatBitsToUint(rounded));
    }
    const uint rest = a & 0x1fffu;
    uint r = a - rest;
    if (rest > 0x1000u || (rest == 0x1000u && (a & 0x2000u) != 0u)) r += 0x2000u;
    if (r >= 0x47800000u) r = 0x7f800000u;
    return uintBitsToFloat(sign | r);
}
