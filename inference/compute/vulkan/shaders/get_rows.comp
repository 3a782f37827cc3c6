#version 450
// dst[:, r] = table[:, ids[r]] as F32 for a table of type WTYPE (quant_decode.glsl). An id
// outside the table writes NaN (as the CPU backend), never reads outside it.
#define WG_SIZE 64u
layout(local_size_x = 64) in;

layout(binding = 0) readonly buffer Table { uint w_words[]; };
layout(binding = 1) readonly buffer Ids { int ids[]; };
layout(binding = 2) writeonly buffer Dst { float d[]; };

layout(push_constant) uniform Params {
    uint K, vocab;
    uint tBase, tNb1;               // bytes
    uint idBase, idNb0, idNb1, idNb2; // ints
    uint dBase, dNb1, dNb2, dNb3;   // floats
    uint ne1, ne2, rows;            // dst rows: ne1 x ne2 x ne3
    uint rowLo, rowHi, writesInvalid; // the table rows bound here; whether to write NaN rows
} p;

#include "common.glsl"
#include "quant_decode.glsl"

void main() {
    const uint r = linearGroup();
    if (r >= p.rows) return;
    const uint i1 = r % p.ne1, i2 = (r / p.ne1) % p.ne2, i3 = r / (p.ne1 * p.ne2);
    const int id = ids[p.idBase + i1 * p.idNb0 + i2 * p.idNb1 + i3 * p.idNb2];
    const uint out0 = p.dBase + i1 * p.dNb1 + i2 * p.dNb2 + i3 * p.dNb3;
    const bool invalid = id < 0 || uint(id) >= p.vocab;
    if (invalid ? p.writesInvalid == 0u : (uint(id) < p.rowLo || uint(id) >= p.rowHi)) return;
    const uint chunks = (p.K + 15u) / 16u;
    for (uint c = gl_LocalInvocationIndex; c < chunks; c += WG_SIZE) {
        float v[16];
        if (invalid) {
            [[unroll]] for (uint j = 0u; j < 16u; ++j) v[j] = uintBitsToFloat(0x7fc00000u);
        } else {
            decode16(p.tBase + (uint(id) - p.rowLo) * p.tNb1, c, p.K, v);
        }
        for (uint j = 0u; j < 16u && 16u * c + j < p.K; ++j) d[out0 + 16u * c + j] = v[j];
    }
}
