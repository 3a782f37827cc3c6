// Workgroup-wide sum and max over WG_SIZE invocations (a power of two): with subgroup
// arithmetic where the device has it (USE_SUBGROUPS), else a shared-memory tree. Every
// invocation of the workgroup must call these (uniform control flow) and gets the result.
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require

shared float reducePartial[WG_SIZE];

float wgSum(float v) {
    v = subgroupAdd(v);
    barrier();
    if (subgroupElect()) reducePartial[gl_SubgroupID] = v;
    barrier();
    float total = 0.0;
    for (uint i = 0u; i < gl_NumSubgroups; ++i) total += reducePartial[i];
    return total;
}

float wgMax(float v) {
    v = subgroupMax(v);
    barrier();
    if (subgroupElect()) reducePartial[gl_SubgroupID] = v;
    barrier();
    float best = reducePartial[0];
    for (uint i = 1u; i < gl_NumSubgroups; ++i) best = max(best, reducePartial[i]);
    return best;
}
#else
shared float reducePartial[WG_SIZE];

float wgSum(float v) {
    const uint i = gl_LocalInvocationIndex;
    barrier();
    reducePartial[i] = v;
    barrier();
    [[unroll]] for (uint s = WG_SIZE / 2u; s > 0u; s >>= 1) {
        if (i < s) reducePartial[i] += reducePartial[i + s];
        barrier();
    }
    return reducePartial[0];
}

float wgMax(float v) {
    const uint i = gl_LocalInvocationIndex;
    barrier();
    reducePartial[i] = v;
    barrier();
    [[unroll]] for (uint s = WG_SIZE / 2u; s > 0u; s >>= 1) {
        if (i < s) reducePartial[i] = max(reducePartial[i], reducePartial[i + s]);
        barrier();
    }
    return reducePartial[0];
}
#endif
