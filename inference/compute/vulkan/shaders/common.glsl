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
