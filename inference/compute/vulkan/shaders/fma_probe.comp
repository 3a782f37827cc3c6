#version 450
// out[i] = fma(a, b, c) for the triples in `in`: the host compares with std::fma to learn
// whether this device's fma() rounds once (VulkanBackend::features().fmaRoundsOnce).
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer In { float v[]; };
layout(binding = 1) writeonly buffer Out { float d[]; };

layout(push_constant) uniform Params {
    uint count, inBase, outBase; // triples; where the buffers start in their bindings
} p;

void main() {
    const uint i = gl_GlobalInvocationID.x;
    if (i >= p.count) return;
    const uint a = p.inBase + 3u * i;
    precise float r = fma(v[a], v[a + 1u], v[a + 2u]);
    d[p.outBase + i] = r;
}
