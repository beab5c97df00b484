// tifa_bucket.h — finds a key among the 16 of one cache line, without a branch.
//
// Why: the segmentation model's pair tables are looked up twice per atom, and a probe loop's
// branches (found, empty, next slot) are mispredicted about as often as not (DESIGN.md §4a).
// Swift's SIMD types lower this poorly without target flags; SSE2 is the x86-64 baseline.
// Nothing from ICU here; it lives in this target because it is the package's C target for
// small inline helpers (see tifa_prefetch.h).
#ifndef TIFA_BUCKET_H
#define TIFA_BUCKET_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The index (0…15) of the slot of `bucket` (16 keys, 64-byte aligned) that holds `key`, 16
/// when none does. Keys in a bucket are unique.
static inline __attribute__((always_inline)) uint32_t tifa_bucket_find(const uint32_t *bucket, uint32_t key) {
#if defined(__SSE2__)
    const __m128i k = _mm_set1_epi32((int)key);
    const __m128i *b = (const __m128i *)bucket;
    uint32_t mask = (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_load_si128(b), k)))
        | (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_load_si128(b + 1), k))) << 4
        | (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_load_si128(b + 2), k))) << 8
        | (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_load_si128(b + 3), k))) << 12;
#else
    uint32_t mask = 0;
    for (uint32_t i = 0; i < 16; i++) mask |= (uint32_t)(bucket[i] == key) << i;
#endif
    return (uint32_t)__builtin_ctz(mask | 0x10000u);
}

/// The row of `key` in a bucket whose keys have consecutive rows from `first`: `first` plus
/// the key's slot when `bucket` holds it, 0 (the zero row) when it does not, selected by a mask
/// the compiler cannot see through — left to itself it turns the select into a branch that
/// skips loading `first` for an absent key, and that branch is mispredicted about as often as
/// keys are absent (DESIGN.md §4a).
static inline __attribute__((always_inline)) int32_t tifa_bucket_row(const uint32_t *bucket, uint32_t key, int32_t first) {
    uint32_t slot = tifa_bucket_find(bucket, key);
    uint32_t found = (slot - 16u) >> 31;  // 1 when a slot matched
    __asm__("" : "+r"(found));
    return (first + (int32_t)slot) & -(int32_t)found;
}

/// Writes to `out` the four sums of the 16 rows of four 16-bit weights `r[0]` … `r[15]` (the
/// features of one atom, one weight per tag), as 64-bit integers. Two rows at a time: their
/// weights interleaved and multiplied-and-added by ones (`pmaddwd`) give the 32-bit sums of both
/// in one instruction, where widening each row takes two; the sums are exact (|sum| < 2^20),
/// so the scores are those of adding the rows one by one.
static inline __attribute__((always_inline)) void tifa_sum_rows(int64_t *out, const int16_t *const r[16]) {
#if defined(__SSE2__)
    const __m128i one = _mm_set1_epi16(1);
#define TIFA_ROWS2(a, b) _mm_madd_epi16(_mm_unpacklo_epi16(_mm_loadl_epi64((const __m128i *)(a)), \
                                                          _mm_loadl_epi64((const __m128i *)(b))), one)
    __m128i x = _mm_add_epi32(TIFA_ROWS2(r[0], r[1]), TIFA_ROWS2(r[2], r[3]));
    x = _mm_add_epi32(x, _mm_add_epi32(TIFA_ROWS2(r[4], r[5]), TIFA_ROWS2(r[6], r[7])));
    x = _mm_add_epi32(x, _mm_add_epi32(TIFA_ROWS2(r[8], r[9]), TIFA_ROWS2(r[10], r[11])));
    x = _mm_add_epi32(x, _mm_add_epi32(TIFA_ROWS2(r[12], r[13]), TIFA_ROWS2(r[14], r[15])));
#undef TIFA_ROWS2
    const __m128i sign = _mm_srai_epi32(x, 31);
    _mm_storeu_si128((__m128i *)out, _mm_unpacklo_epi32(x, sign));
    _mm_storeu_si128((__m128i *)(out + 2), _mm_unpackhi_epi32(x, sign));
#else
    for (int t = 0; t < 4; t++) {
        int32_t sum = 0;
        for (int k = 0; k < 16; k++) sum += r[k][t];
        out[t] = sum;
    }
#endif
}

#endif
