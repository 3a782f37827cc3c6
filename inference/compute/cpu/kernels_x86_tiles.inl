// Tile kernels (kernels.hpp DotTile): Rows weight rows x Cols activation rows per pass, for the
// weight types of the common 4- and 8-bit models (Q4_0, Q8_0, Q4_K, Q6_K). Each weight block is
// unpacked once for all Cols activation rows and each activation block loaded once for all Rows
// weight rows; integer partial sums stay in vectors until the end of the row (no horizontal sum
// per block). Included by kernels_x86.inl inside its anonymous namespace (same linkage rules).
// The integer results are exact, so these agree with the one-row kernels up to float summation
// order.

// ---- pairs of 32-value blocks (Q4_0, Q8_0) ---------------------------------------------------

// Blocks i and i + 1 as two vectors: lo holds values 0..15 of block i, then 0..15 of block i + 1;
// hi holds values 16..31 of both. A dot product of two such pairs has block i in its int32 lanes
// 0..3 and block i + 1 in lanes 4..7, so one convert and one multiply-add (with per-lane scales)
// serve both blocks.
struct BytePair {
    __m256i lo, hi;
};

// Asks for the cache lines of bytes [p, p + bytes) ahead of use: a tile walks several weight rows
// at once, more streams than the hardware prefetcher follows reliably.
inline void prefetchBytes(const void* p, std::size_t bytes) {
    for (std::size_t o = 0; o < bytes; o += 64)
        _mm_prefetch(static_cast<const char*>(p) + o, _MM_HINT_T0);
}

// Tiles run down a matrix's rows in order, so while one tile works, the same place in the rows
// two tiles further down is fetched (callers pass 2 * Rows * row stride): the hardware
// prefetcher alone follows several interleaved short rows poorly. One-row tiles do without: one
// sequential stream is what it follows best (measured: decode slightly faster without). (A
// prefetch past the end of the weights is only a hint: it never faults.)
template <class Block>
inline void prefetchNextTile(const Block* p, std::size_t tileBytes, std::size_t bytes) {
    prefetchBytes(reinterpret_cast<const char*>(p) + tileBytes, bytes);
}

inline __m128i load128(const void* p) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

inline BytePair pairOf(__m256i blockI, __m256i blockNext) {
    return {_mm256_permute2x128_si256(blockI, blockNext, 0x20),
            _mm256_permute2x128_si256(blockI, blockNext, 0x31)};
}

// init + the u8 x s8 products of both halves, per int32 lane. Without VNNI the two halves are
// added as int16 first: callers keep |u * s| sums of a lane pair below 2^14 each (4-bit weights
// or small offsets against int8), so nothing saturates.
inline __m256i dotPair(__m256i init, const BytePair& u, const BytePair& s) {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return _mm256_dpbusd_epi32(_mm256_dpbusd_epi32(init, u.lo, s.lo), u.hi, s.hi);
#else
    const __m256i sum16 =
        _mm256_add_epi16(_mm256_maddubs_epi16(u.lo, s.lo), _mm256_maddubs_epi16(u.hi, s.hi));
    return _mm256_add_epi32(init, _mm256_madd_epi16(sum16, _mm256_set1_epi16(1)));
#endif
}

// [f(h0) x 4, f(h1) x 4]: the scales of a block pair, lane-matched to dotPair's result.
inline __m256 halfPairScales(std::uint16_t h0, std::uint16_t h1) {
    const __m128 both =
        _mm_cvtph_ps(_mm_cvtsi32_si128(int(std::uint32_t(h0) | (std::uint32_t(h1) << 16))));
    return _mm256_permutevar8x32_ps(_mm256_castps128_ps256(both),
                                    _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1));
}

// The scales of weight blocks b[0] and b[1] as halfPairScales gives them (b[1] = b[0] when
// !pair). With AVX-512 BW the two halves of a Q4_0 pair come out of one 32-byte load (at 16-bit
// words 0 and 9: the blocks are 9 words long) by one word permute.
template <class Block> inline __m256 weightPairScales(const Block* b, bool pair) {
#if defined(__AVX512BW__) && defined(__AVX512VL__)
    if constexpr (sizeof(Block) == 18) {
        if (pair) { // 36 bytes of blocks: the 32-byte load stays inside them
            const __m256i words = _mm256_permutexvar_epi16(
                _mm256_setr_epi16(0, 0, 0, 0, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0), load256(b));
            return _mm256_cvtph_ps(_mm256_castsi256_si128(words));
        }
    }
#endif
    return halfPairScales(b[0].d, pair ? b[1].d : b[0].d);
}

// Q4_0 as unsigned nibbles (0..15; the value is q - 8, the 8 comes off through activation sums).
inline BytePair weightPairQ4_0(const BlockQ4_0& b0, const BlockQ4_0& b1) {
    const __m256i raw =
        _mm256_inserti128_si256(_mm256_castsi128_si256(load128(b0.qs)), load128(b1.qs), 1);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    return {_mm256_and_si256(raw, nibble), _mm256_and_si256(_mm256_srli_epi16(raw, 4), nibble)};
}

// Q8_0 shifted to unsigned (q + 128; the 128 comes off through activation sums). VNNI only: the
// AVX2 pair sum would saturate.
inline BytePair weightPairQ8_0(const BlockQ8_0& b0, const BlockQ8_0& b1) {
    const __m256i flip = _mm256_set1_epi8(char(0x80));
    return pairOf(_mm256_xor_si256(load256(b0.qs), flip), _mm256_xor_si256(load256(b1.qs), flip));
}

// tileLegacy's side data of one Q8_0 activation row, 128 bytes per block pair: the pair's
// values (BytePair lo, hi), minus (sum of each 4 activations) << OffsetShift (the weight offset
// to take off, int32 lanes as dotPair gives them) and the pair's scales (halfPairScales; an odd
// last block is paired with itself and its copy gets scale 0).
template <int OffsetShift> void actSideQ8_0(std::int64_t n, const void* act, std::uint8_t* side) {
    const auto* y = static_cast<const BlockQ8_0*>(act);
    const BytePair ones = {_mm256_set1_epi8(1), _mm256_set1_epi8(1)};
    const __m256i zero = _mm256_setzero_si256();
    const std::int64_t blocks = n / kBlock;
    for (std::int64_t i = 0; i < blocks; i += 2, side += 128) {
        const bool single = i + 1 == blocks;
        const std::int64_t next = single ? i : i + 1;
        const BytePair a = pairOf(load256(y[i].qs), load256(y[next].qs));
        auto* out = reinterpret_cast<__m256i*>(side);
        _mm256_storeu_si256(out, a.lo);
        _mm256_storeu_si256(out + 1, a.hi);
        _mm256_storeu_si256(
            out + 2,
            _mm256_slli_epi32(_mm256_sub_epi32(zero, dotPair(zero, ones, a)), OffsetShift));
        _mm256_storeu_ps(reinterpret_cast<float*>(out + 3),
                         halfPairScales(y[i].d, single ? std::uint16_t(0) : y[next].d));
    }
}

template <class Block, BytePair (*Weights)(const Block&, const Block&), int Rows, int Cols>
void tileLegacy(std::int64_t n, const void* w, std::size_t wStride, const void*, std::size_t,
                const std::uint8_t* side, std::size_t sideStride, float* out,
                std::size_t outStride) { // activations from actSideQ8_0's side data only
    // A one-row tile keeps two accumulator chains (even and odd block pairs) so that the
    // multiply-add latency does not bound the loop.
    constexpr int kChains = Rows * Cols <= 2 ? 2 : 1;
    const Block* x[Rows];
    __m256 acc[kChains][Rows][Cols];
#pragma GCC unroll 8
    for (int r = 0; r < Rows; ++r) {
        x[r] = reinterpret_cast<const Block*>(static_cast<const std::uint8_t*>(w) + r * wStride);
#pragma GCC unroll 8
        for (int c = 0; c < Cols; ++c)
            for (int k = 0; k < kChains; ++k) acc[k][r][c] = _mm256_setzero_ps();
    }
    const std::int64_t blocks = n / kBlock;
    // Blocks i and i + 1 into acc[chain] (an odd last block pairs with itself: actSideQ8_0 gave
    // its second copy scale 0).
    auto pairStep = [&](std::int64_t i, int chain) __attribute__((always_inline)) {
        const std::int64_t next = i + 1 == blocks ? i : i + 1;
        BytePair act[Cols];
        __m256i negOffset[Cols]; // -(weight offset) * (sum of each 4 activations), per lane
        __m256 dy[Cols];
#pragma GCC unroll 8
        for (int c = 0; c < Cols; ++c) {
            const auto* pairSide = reinterpret_cast<const __m256i*>(side + c * sideStride + 64 * i);
            act[c] = {_mm256_loadu_si256(pairSide), _mm256_loadu_si256(pairSide + 1)};
            negOffset[c] = _mm256_loadu_si256(pairSide + 2);
            dy[c] = _mm256_loadu_ps(reinterpret_cast<const float*>(pairSide + 3));
        }
#pragma GCC unroll 8
        for (int r = 0; r < Rows; ++r) {
            if constexpr (Rows > 1) // one row is one stream: the hardware follows it
                prefetchNextTile(x[r] + i, 2 * Rows * wStride, 2 * sizeof(Block));
            const BytePair wv = Weights(x[r][i], x[r][next]);
            const __m256 dx = weightPairScales(&x[r][i], next != i);
#pragma GCC unroll 8
            for (int c = 0; c < Cols; ++c) {
                const __m256i p = dotPair(negOffset[c], wv, act[c]);
                acc[chain][r][c] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_mul_ps(dx, dy[c]),
                                                   acc[chain][r][c]);
            }
        }
    };
    std::int64_t i = 0;
    if constexpr (kChains == 2)
        for (; i + 4 <= blocks; i += 4) {
            pairStep(i, 0);
            pairStep(i + 2, 1);
        }
    for (; i < blocks; i += 2) pairStep(i, 0);
#pragma GCC unroll 8
    for (int r = 0; r < Rows; ++r)
#pragma GCC unroll 8
        for (int c = 0; c < Cols; ++c) {
            __m256 sum = acc[0][r][c];
            if constexpr (kChains == 2) sum = _mm256_add_ps(sum, acc[1][r][c]);
            out[c * outStride + r] = horizontalSum(sum);
        }
}

// ---- k-quants against Q8_K ------------------------------------------------------------------

// The total of a k-quant tile's integer chains for weight row r and activation row c.
template <int Chains, int Rows, int Cols>
inline __m256i sumAll(const __m256i (&sumi)[Chains][Rows][Cols], int r, int c) {
    if constexpr (Chains == 2) return _mm256_add_epi32(sumi[0][r][c], sumi[1][r][c]);
    return sumi[0][r][c];
}

// sum + the int16 pair products of p and scales (vpdpwssd with VNNI).
inline __m256i addScaled(__m256i sum, __m256i p, __m256i scales) {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return _mm256_dpwssd_epi32(sum, p, scales);
#else
    return _mm256_add_epi32(sum, _mm256_madd_epi16(p, scales));
#endif
}

// Pointers to Rows weight rows and Cols activation rows, and zeroed accumulators.
template <class Block, int Rows, int Cols> struct KTile {
    const Block* x[Rows];
    const BlockQ8_K* y[Cols];
    __m256 acc[Rows][Cols];

    KTile(const void* w, std::size_t wStride, const void* a, std::size_t aStride) {
#pragma GCC unroll 8
        for (int r = 0; r < Rows; ++r) {
            x[r] =
                reinterpret_cast<const Block*>(static_cast<const std::uint8_t*>(w) + r * wStride);
#pragma GCC unroll 8
            for (int c = 0; c < Cols; ++c) acc[r][c] = _mm256_setzero_ps();
        }
#pragma GCC unroll 8
        for (int c = 0; c < Cols; ++c)
            y[c] = reinterpret_cast<const BlockQ8_K*>(static_cast<const std::uint8_t*>(a) +
                                                      c * aStride);
    }

    void store(float* out, std::size_t outStride) const {
#pragma GCC unroll 8
        for (int r = 0; r < Rows; ++r)
#pragma GCC unroll 8
            for (int c = 0; c < Cols; ++c) out[c * outStride + r] = horizontalSum(acc[r][c]);
    }
};

// The eight 6-bit scales (low 64 bits) and mins (high 64 bits) of a Q4_K / Q5_K super-block,
// as bytes: unpackScaleMinK4 for all j at once on 32-bit words of the 12 packed bytes.
inline __m128i scalesMinsK4(const std::uint8_t* packed) {
    std::uint32_t q[3];
    std::memcpy(q, packed, 12);
    const std::uint32_t low6 = 0x3f3f3f3f, low4 = 0x0f0f0f0f, top2 = 0x03030303;
    const std::uint32_t scales03 = q[0] & low6, mins03 = q[1] & low6;
    const std::uint32_t scales47 = (q[2] & low4) | (((q[0] >> 6) & top2) << 4);
    const std::uint32_t mins47 = ((q[2] >> 4) & low4) | (((q[1] >> 6) & top2) << 4);
    return _mm_setr_epi32(int(scales03), int(scales47), int(mins03), int(mins47));
}

// Lanes of 16 int16 all equal to word `index` of each 128-bit half of v (pshufb selectors).
inline __m256i broadcastWord(__m256i v, int index) {
    return _mm256_shuffle_epi8(v, _mm256_set1_epi16(short(0x0202 * index + 0x0100)));
}

template <int Rows, int Cols>
void tileQ4_K(std::int64_t n, const void* w, std::size_t wStride, const void* a,
              std::size_t aStride, const std::uint8_t*, std::size_t, float* out,
              std::size_t outStride) {
    KTile<BlockQ4_K, Rows, Cols> t(w, wStride, a, aStride);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    for (std::int64_t i = 0; i < n / kSuper; ++i) {
        __m256i scales[Rows];   // the 8 scales as int16, in both 128-bit halves
        __m256i minPairs[Rows]; // min j at int16 lanes 2j and 2j + 1 (beside bsums 2j, 2j + 1)
        // A one-row tile sums the low and high nibble groups in separate chains (the scaled
        // multiply-adds are latency-bound otherwise); larger tiles have chains enough.
        constexpr int kChains = Rows * Cols <= 2 ? 2 : 1;
        __m256i sumi[kChains][Rows][Cols];
#pragma GCC unroll 8
        for (int r = 0; r < Rows; ++r) {
            if constexpr (Rows > 1) // one row is one stream: the hardware follows it
                prefetchNextTile(t.x[r] + i, 2 * Rows * wStride, sizeof(BlockQ4_K));
            const __m128i sm = scalesMinsK4(t.x[r][i].scales);
            scales[r] = _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(sm));
            const __m128i mins = _mm_unpackhi_epi64(sm, sm);
            minPairs[r] = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(mins, mins));
#pragma GCC unroll 8
            for (int c = 0; c < Cols; ++c)
                for (int k = 0; k < kChains; ++k) sumi[k][r][c] = _mm256_setzero_si256();
        }
#pragma GCC unroll 4
        for (int chunk = 0; chunk < 4; ++chunk) { // 64 values: groups 2 chunk and 2 chunk + 1
            __m256i actLo[Cols], actHi[Cols];
#pragma GCC unroll 8
            for (int c = 0; c < Cols; ++c) {
                actLo[c] = load256(t.y[c][i].qs + 64 * chunk);
                actHi[c] = load256(t.y[c][i].qs + 64 * chunk + 32);
            }
#pragma GCC unroll 8
            for (int r = 0; r < Rows; ++r) {
                const __m256i q4 = load256(t.x[r][i].qs + 32 * chunk);
                const __m256i lo = _mm256_and_si256(q4, nibble);
                const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(q4, 4), nibble);
                const __m256i scLo = broadcastWord(scales[r], 2 * chunk);
                const __m256i scHi = broadcastWord(scales[r], 2 * chunk + 1);
#pragma GCC unroll 8
                for (int c = 0; c < Cols; ++c) {
                    sumi[0][r][c] =
                        addScaled(sumi[0][r][c], _mm256_maddubs_epi16(lo, actLo[c]), scLo);
                    sumi[kChains - 1][r][c] = addScaled(sumi[kChains - 1][r][c],
                                                        _mm256_maddubs_epi16(hi, actHi[c]), scHi);
                }
            }
        }
        __m256 d[Rows], dmin[Rows];
#pragma GCC unroll 8
        for (int r = 0; r < Rows; ++r) {
            d[r] = _mm256_set1_ps(halfToFloat(t.x[r][i].d));
            dmin[r] = _mm256_set1_ps(halfToFloat(t.x[r][i].dmin));
        }
#pragma GCC unroll 8
        for (int c = 0; c < Cols; ++c) {
            const __m256i bsums = load256(t.y[c][i].bsums);
            const __m256 dy = _mm256_broadcast_ss(&t.y[c][i].d);
#pragma GCC unroll 8
            for (int r = 0; r < Rows; ++r) {
                const __m256i mins = _mm256_madd_epi16(bsums, minPairs[r]);
                t.acc[r][c] = _mm256_fmadd_ps(_mm256_mul_ps(d[r], dy),
                                              _mm256_cvtepi32_ps(sumAll(sumi, r, c)), t.acc[r][c]);
                t.acc[r][c] = _mm256_fnmadd_ps(_mm256_mul_ps(dmin[r], dy), _mm256_cvtepi32_ps(mins),
                                               t.acc[r][c]);
            }
        }
    }
    t.store(out, outStride);
}

template <int Rows, int Cols>
void tileQ6_K(std::int64_t n, const void* w, std::size_t wStride, const void* a,
              std::size_t aStride, const std::uint8_t*, std::size_t, float* out,
              std::size_t outStride) {
    KTile<BlockQ6_K, Rows, Cols> t(w, wStride, a, aStride);
    const __m256i nibble = _mm256_set1_epi8(0x0F), two = _mm256_set1_epi8(3);
    __m256i pick[4]; // pshufb selectors: word 2k in the low 128-bit half, 2k + 1 in the high
    for (int k = 0; k < 4; ++k)
        pick[k] = _mm256_setr_m128i(_mm_set1_epi16(short(0x0202 * (2 * k) + 0x0100)),
                                    _mm_set1_epi16(short(0x0202 * (2 * k + 1) + 0x0100)));
    for (std::int64_t i = 0; i < n / kSuper; ++i) {
        constexpr int kChains = Rows * Cols <= 2 ? 2 : 1; // as in tileQ4_K
        __m256i sumi[kChains][Rows][Cols];
#pragma GCC unroll 8
        for (int r = 0; r < Rows; ++r) {
            if constexpr (Rows > 1) // one row is one stream: the hardware follows it
                prefetchNextTile(t.x[r] + i, 2 * Rows * wStride, sizeof(BlockQ6_K));
            // The offset 32 of every value: sum_g scale[g] * bsum[g] * 32, taken off up front.
            const __m256i scales16 = _mm256_cvtepi8_epi16(load128(t.x[r][i].scales));
#pragma GCC unroll 8
            for (int c = 0; c < Cols; ++c) {
                if constexpr (kChains == 2) sumi[1][r][c] = _mm256_setzero_si256();
                sumi[0][r][c] = _mm256_sub_epi32(
                    _mm256_setzero_si256(),
                    _mm256_slli_epi32(_mm256_madd_epi16(load256(t.y[c][i].bsums), scales16), 5));
            }
        }
#pragma GCC unroll 2
        for (int half = 0; half < 2; ++half) {
#pragma GCC unroll 8
            for (int r = 0; r < Rows; ++r) {
                const BlockQ6_K& b = t.x[r][i];
                const std::uint8_t* ql = b.ql + 64 * half;
                const __m256i qh = load256(b.qh + 32 * half);
                const __m256i ql0 = load256(ql), ql1 = load256(ql + 32);
                const __m256i u[4] = {
                    _mm256_or_si256(_mm256_and_si256(ql0, nibble),
                                    _mm256_slli_epi16(_mm256_and_si256(qh, two), 4)),
                    _mm256_or_si256(
                        _mm256_and_si256(ql1, nibble),
                        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), two), 4)),
                    _mm256_or_si256(
                        _mm256_and_si256(_mm256_srli_epi16(ql0, 4), nibble),
                        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), two), 4)),
                    _mm256_or_si256(
                        _mm256_and_si256(_mm256_srli_epi16(ql1, 4), nibble),
                        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), two), 4)),
                };
                // Scales 8 half .. 8 half + 7 as int16 in both 128-bit halves; vector k takes
                // scale 2k in its low half and 2k + 1 in its high half (16 values each).
                const __m256i sc = _mm256_broadcastsi128_si256(_mm_cvtepi8_epi16(
                    _mm_loadl_epi64(reinterpret_cast<const __m128i*>(b.scales + 8 * half))));
#pragma GCC unroll 4
                for (int k = 0; k < 4; ++k) {
                    const __m256i s = _mm256_shuffle_epi8(sc, pick[k]);
#pragma GCC unroll 8
                    for (int c = 0; c < Cols; ++c) {
                        const __m256i p =
                            _mm256_maddubs_epi16(u[k], load256(t.y[c][i].qs + 128 * half + 32 * k));
                        sumi[k % kChains][r][c] = addScaled(sumi[k % kChains][r][c], p, s);
                    }
                }
            }
        }
#pragma GCC unroll 8
        for (int r = 0; r < Rows; ++r) {
            const float dx = halfToFloat(t.x[r][i].d);
#pragma GCC unroll 8
            for (int c = 0; c < Cols; ++c)
                t.acc[r][c] = _mm256_fmadd_ps(_mm256_set1_ps(dx * t.y[c][i].d),
                                              _mm256_cvtepi32_ps(sumAll(sumi, r, c)), t.acc[r][c]);
        }
    }
    t.store(out, outStride);
}

// Several weight rows against one activation row, one row after the other (each row one
// sequential stream): fewer calls per matrix-vector product than one row per call.
template <DotTileFn OneRow, int Rows>
void rowByRow(std::int64_t n, const void* w, std::size_t wStride, const void* a,
              std::size_t aStride, const std::uint8_t* side, std::size_t sideStride, float* out,
              std::size_t outStride) {
    for (int r = 0; r < Rows; ++r)
        OneRow(n, static_cast<const std::uint8_t*>(w) + r * wStride, wStride, a, aStride, side,
               sideStride, out + r, outStride);
}

// Tile shapes: with AVX-512 there are 32 vector registers, with AVX2 16. Decode takes one weight
// row at a time (kVecRows of them per call): several rows walked in step stream from memory
// markedly slower (measured: ~14 GB/s per thread for one row against ~10 for two or four,
// prefetching included).
#if defined(__AVX512F__)
constexpr int kVecRows = 4, kMatRows = 4, kMatCols = 4, kMatRowsK = 2, kMatColsK = 4;
#else
constexpr int kVecRows = 2, kMatRows = 2, kMatCols = 2, kMatRowsK = 2, kMatColsK = 2;
#endif

void installTileKernels(Kernels& k) {
    auto set = [](DotTile& slot, DotTileFn fn, int rows, int cols, ActSideFn side = nullptr) {
        slot = {fn, rows, cols, side};
    };
    const int q40 = int(ElementType::Q4_0), q4k = int(ElementType::Q4_K),
              q6k = int(ElementType::Q6_K);
    // Q4_0 nibbles carry an offset of 8 = 1 << 3, Q8_0 shifted to unsigned 128 = 1 << 7.
    set(k.vecTile[q40], rowByRow<tileLegacy<BlockQ4_0, weightPairQ4_0, 1, 1>, kVecRows>, kVecRows,
        1, actSideQ8_0<3>);
    set(k.matTile[q40], tileLegacy<BlockQ4_0, weightPairQ4_0, kMatRows, kMatCols>, kMatRows,
        kMatCols, actSideQ8_0<3>);
    set(k.vecTile[q4k], rowByRow<tileQ4_K<1, 1>, kVecRows>, kVecRows, 1);
    set(k.matTile[q4k], tileQ4_K<kMatRowsK, kMatColsK>, kMatRowsK, kMatColsK);
    set(k.vecTile[q6k], rowByRow<tileQ6_K<1, 1>, kVecRows>, kVecRows, 1);
    set(k.matTile[q6k], tileQ6_K<kMatRowsK, kMatColsK>, kMatRowsK, kMatColsK);
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    const int q80 = int(ElementType::Q8_0);
    set(k.vecTile[q80], rowByRow<tileLegacy<BlockQ8_0, weightPairQ8_0, 1, 1>, kVecRows>, kVecRows,
        1, actSideQ8_0<7>);
    set(k.matTile[q80], tileLegacy<BlockQ8_0, weightPairQ8_0, kMatRows, kMatCols>, kMatRows,
        kMatCols, actSideQ8_0<7>);
#endif
}
