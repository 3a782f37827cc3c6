// Activation quantizers (Q8_0, Q8_1, Q8_K) with the same results, byte for byte, as the reference
// in quant/quantize.cpp: the same float operations in the same order, rounding by the current
// mode (ties to even, as nearbyint and lrint there) and halves rounded to nearest even.
// Included by kernels_x86.inl inside its anonymous namespace (same linkage rules).

inline float horizontalMax(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

inline __m256 absValues(__m256 v) {
    return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), v);
}

// 32 int32 values (elements 0..7, 8..15, 16..23, 24..31) to 32 int8 in order (they fit).
inline __m256i packInt32x32(__m256i q0, __m256i q1, __m256i q2, __m256i q3) {
    // The packs work within 128-bit halves: dwords come out as elements 0-3, 8-11, 16-19,
    // 24-27, 4-7, 12-15, 20-23, 28-31.
    const __m256i bytes =
        _mm256_packs_epi16(_mm256_packs_epi32(q0, q1), _mm256_packs_epi32(q2, q3));
    return _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

// One 32-value block scaled by 127 / amax; returns the sum of its quantized values and sets d
// (amax / 127 before rounding to half).
template <class Block> int quantizeBlock32(const float* x, Block& b, float& d) {
    __m256 v[4];
    for (int k = 0; k < 4; ++k) v[k] = _mm256_loadu_ps(x + 8 * k);
    const float amax =
        horizontalMax(_mm256_max_ps(_mm256_max_ps(absValues(v[0]), absValues(v[1])),
                                    _mm256_max_ps(absValues(v[2]), absValues(v[3]))));
    d = amax / 127.0f;
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    b.d = _cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT);
    const __m256 scale = _mm256_set1_ps(id);
    __m256i q[4];
    for (int k = 0; k < 4; ++k) q[k] = _mm256_cvtps_epi32(_mm256_mul_ps(v[k], scale));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(b.qs), packInt32x32(q[0], q[1], q[2], q[3]));
    return horizontalSumI32(
        _mm256_add_epi32(_mm256_add_epi32(q[0], q[1]), _mm256_add_epi32(q[2], q[3])));
}

void quantizeQ8_0(const float* src, void* dst, std::int64_t n) {
    auto* b = static_cast<BlockQ8_0*>(dst);
    float d;
    for (std::int64_t i = 0; i < n / kBlock; ++i) quantizeBlock32(src + i * kBlock, b[i], d);
}

void quantizeQ8_1(const float* src, void* dst, std::int64_t n) {
    auto* b = static_cast<BlockQ8_1*>(dst);
    for (std::int64_t i = 0; i < n / kBlock; ++i) {
        float d;
        const int sum = quantizeBlock32(src + i * kBlock, b[i], d);
        b[i].s = _cvtss_sh(float(sum) * d, _MM_FROUND_TO_NEAREST_INT);
    }
}

void quantizeQ8_K(const float* src, void* dst, std::int64_t n) {
    auto* b = static_cast<BlockQ8_K*>(dst);
    for (std::int64_t i = 0; i < n / kSuper; ++i) {
        const float* x = src + i * kSuper;
        __m256 m = _mm256_setzero_ps();
        for (int k = 0; k < kSuper / 8; ++k)
            m = _mm256_max_ps(m, absValues(_mm256_loadu_ps(x + 8 * k)));
        const float amax = horizontalMax(m);
        if (amax == 0.0f) {
            std::memset(&b[i], 0, sizeof(BlockQ8_K));
            continue;
        }
        // The signed value of the first element of largest magnitude (as signedMax).
        float max = 0.0f;
        const __m256 target = _mm256_set1_ps(amax);
        for (int k = 0; k < kSuper / 8; ++k) {
            const int hits = _mm256_movemask_ps(
                _mm256_cmp_ps(absValues(_mm256_loadu_ps(x + 8 * k)), target, _CMP_EQ_OQ));
            if (hits) {
                max = x[8 * k + __builtin_ctz(unsigned(hits))];
                break;
            }
        }
        const float iscale = -127.0f / max;
        const __m256 scale = _mm256_set1_ps(iscale);
        const __m256i top = _mm256_set1_epi32(127);
        for (int k = 0; k < kSuper / 32; ++k) {
            __m256i q[4];
            for (int j = 0; j < 4; ++j)
                q[j] = _mm256_min_epi32(
                    _mm256_cvtps_epi32(_mm256_mul_ps(scale, _mm256_loadu_ps(x + 32 * k + 8 * j))),
                    top);
            const __m256i bytes = packInt32x32(q[0], q[1], q[2], q[3]);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(b[i].qs + 32 * k), bytes);
            // Sums of each 16: |sad| of the bytes shifted to unsigned, less 16 * 128.
            const __m256i sums = _mm256_sad_epu8(
                _mm256_xor_si256(bytes, _mm256_set1_epi8(char(0x80))), _mm256_setzero_si256());
            b[i].bsums[2 * k] =
                std::int16_t(_mm256_extract_epi64(sums, 0) + _mm256_extract_epi64(sums, 1) - 2048);
            b[i].bsums[2 * k + 1] =
                std::int16_t(_mm256_extract_epi64(sums, 2) + _mm256_extract_epi64(sums, 3) - 2048);
        }
        b[i].d = 1.0f / iscale;
    }
}
