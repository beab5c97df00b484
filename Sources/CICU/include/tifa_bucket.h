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

#endif
