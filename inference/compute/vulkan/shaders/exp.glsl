// exp, tanh, erfc and silu as the CPU backend computes them (cpu/exp_shared.hpp): the same
// IEEE float operations in the same order, so both backends give bit-identical results. Every
// intermediate is `precise`, so the compiler neither contracts a*b+c nor reorders.
// fmaExact (fma_exact.glsl) rounds once, as std::fma does.
#include "fma_exact.glsl"

// glibc's expf algorithm in double, as cpu/exp_shared.hpp (same table, same steps, no fused
// operations: every step is precise). Devices without float64 use the built-in exp (close, not
// the same bits).
#ifdef EXACT_FMA
const uint EXP2_TABLE_LO[32] = uint[32](0x00000000u, 0xd3158574u, 0x6cf9890fu, 0xd0125b51u, 0x3c7d517bu, 0x3168b9aau, 0x6e756238u, 0xf51fdee1u, 0x0a31b715u, 0x373aa9cbu, 0x4c123422u, 0x6061892du, 0xd5362a27u, 0x569d4f82u, 0xdd485429u, 0xb03a5585u, 0x667f3bcdu, 0xe8ec5f74u, 0x73eb0187u, 0x994cce13u, 0x422aa0dbu, 0xb0cdc5e5u, 0x82a3f090u, 0xb23e255du, 0x995ad3adu, 0xf2fb5e47u, 0xdd85529cu, 0xdcef9069u, 0xdcfba487u, 0x337b9b5fu, 0xa2a490dau, 0x5b6e4540u);
const uint EXP2_TABLE_HI[32] = uint[32](0x3ff00000u, 0x3fefd9b0u, 0x3fefb558u, 0x3fef9301u, 0x3fef72b8u, 0x3fef5487u, 0x3fef387au, 0x3fef1e9du, 0x3fef06feu, 0x3feef1a7u, 0x3feedea6u, 0x3feece08u, 0x3feebfdau, 0x3feeb42bu, 0x3feeab07u, 0x3feea47eu, 0x3feea09eu, 0x3fee9f75u, 0x3feea114u, 0x3feea589u, 0x3feeace5u, 0x3feeb737u, 0x3feec491u, 0x3feed503u, 0x3feee89fu, 0x3feeff76u, 0x3fef199bu, 0x3fef3720u, 0x3fef5818u, 0x3fef7c97u, 0x3fefa4afu, 0x3fefd076u);

float expShared(float x) {
    if (isnan(x)) return x;
    if (x > uintBitsToFloat(0x42b17217u)) return uintBitsToFloat(0x7f800000u); // 0x1.62e42ep6
    if (x < uintBitsToFloat(0xc2cff1b4u)) return 0.0;                          // -0x1.9fe368p6
    const double shift = packDouble2x32(uvec2(0x00000000u, 0x43380000u)); // 0x1.8p52
    const double invLn2N = packDouble2x32(uvec2(0x652b82feu, 0x40471547u)); // 32 / ln2
    precise double z = invLn2N * double(x);
    precise double kd = z + shift;
    const uint ki = unpackDouble2x32(kd).x;
    kd = kd - shift;
    precise double r = z - kd;
    const uint idx = ki & 31u;
    const double s = packDouble2x32(uvec2(EXP2_TABLE_LO[idx], EXP2_TABLE_HI[idx] + (ki << 15)));
    const double c0 = packDouble2x32(uvec2(0x4b912394u, 0x3ebc6af8u));
    const double c1 = packDouble2x32(uvec2(0x50fac4f3u, 0x3f2ebfceu));
    const double c2 = packDouble2x32(uvec2(0xff0c52d6u, 0x3f962e42u));
    precise double p = c0 * r + c1;
    precise double r2 = r * r;
    precise double q = c2 * r + 1.0lf;
    precise double y = p * r2 + q;
    precise double e = y * s;
    return float(e);
}
#else
float expShared(float x) {
    return exp(x);
}
#endif

float siluShared(float x) {
    precise float d = 1.0 + expShared(-x);
    precise float r = x / d;
    return r;
}

float tanhShared(float x) {
    const float a = abs(x);
    precise float r;
    if (a < 0.625) {
        precise float z = x * x;
        precise float p = fmaExact(-5.70498872745e-3, z, 2.06390887954e-2);
        p = fmaExact(p, z, -5.37397155531e-2);
        p = fmaExact(p, z, 1.33314422036e-1);
        p = fmaExact(p, z, -3.33332819422e-1);
        precise float pz = p * z;
        r = fmaExact(pz, x, x);
    } else if (!(a < 10.0)) {
        r = isnan(x) ? x : (x < 0.0 ? -1.0 : 1.0);
    } else {
        precise float twice = a + a;
        precise float den = expShared(twice) + 1.0;
        precise float q = 2.0 / den;
        precise float m = 1.0 - q;
        r = x < 0.0 ? -m : m;
    }
    return r;
}

float erfcShared(float y) {
    const float a = abs(y);
    precise float t = 1.0 / fmaExact(0.5, a, 1.0);
    precise float p = fmaExact(t, 0.17087277, -0.82215223);
    p = fmaExact(p, t, 1.48851587);
    p = fmaExact(p, t, -1.13520398);
    p = fmaExact(p, t, 0.27886807);
    p = fmaExact(p, t, -0.18628806);
    p = fmaExact(p, t, 0.09678418);
    p = fmaExact(p, t, 0.37409196);
    p = fmaExact(p, t, 1.00002368);
    p = fmaExact(p, t, -1.26551223);
    precise float r = t * expShared(fmaExact(-a, a, p));
    precise float result = y >= 0.0 ? r : 2.0 - r;
    return result;
}

float geluErfShared(float x) {
    precise float hx = 0.5 * x;
    precise float r = hx * erfcShared(x * -0.70710678118654752);
    return r;
}

float geluTanhShared(float x) {
    precise float cube = 0.044715 * x * x * x;
    precise float inner = 0.79788456080286536 * (x + cube);
    precise float hx = 0.5 * x;
    precise float r = hx * (1.0 + tanhShared(inner));
    return r;
}
