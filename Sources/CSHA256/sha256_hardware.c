/* SHA-256 block function with x86 SHA extensions, after Intel's published sequence (rounds in
   pairs with sha256rnds2, the message schedule with sha256msg1/msg2). Compiled for those
   instructions only in this function; callers check tifa_sha256_hardware_available() first. */
#include "tifa_sha256.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>

int tifa_sha256_hardware_available(void) {
    static int cached = -1;
    if (cached >= 0) return cached;
    unsigned a, b, c, d;
    int ok = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) && (c & (1u << 9))) {      /* SSE4.1, SSSE3 */
        if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29))) ok = 1;      /* SHA */
    }
    cached = ok;
    return ok;
}

#define K4(a, b, c, d) _mm_set_epi32((int)(d), (int)(c), (int)(b), (int)(a))

/* Four rounds: W holds message words 4q..4q+3. */
#define ROUNDS(W, k) do {                                  \
        MSG = _mm_add_epi32((W), (k));                     \
        STATE1 = _mm_sha256rnds2_epu32(STATE1, STATE0, MSG); \
        MSG = _mm_shuffle_epi32(MSG, 0x0E);                \
        STATE0 = _mm_sha256rnds2_epu32(STATE0, STATE1, MSG); \
    } while (0)

/* Four rounds that also extend the schedule: Wn (the next-but-three group) gets its second
   step from W and Wp (the group before W). */
#define ROUNDS_MSG2(W, Wp, Wn, k) do {                     \
        MSG = _mm_add_epi32((W), (k));                     \
        STATE1 = _mm_sha256rnds2_epu32(STATE1, STATE0, MSG); \
        TMP = _mm_alignr_epi8((W), (Wp), 4);               \
        Wn = _mm_add_epi32(Wn, TMP);                       \
        Wn = _mm_sha256msg2_epu32(Wn, (W));                \
        MSG = _mm_shuffle_epi32(MSG, 0x0E);                \
        STATE0 = _mm_sha256rnds2_epu32(STATE0, STATE1, MSG); \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3")))
void tifa_sha256_hardware_compress(uint32_t state[8], const uint8_t *data, size_t blocks) {
    __m128i STATE0, STATE1, MSG, TMP, M0, M1, M2, M3, ABEF, CDGH;
    const __m128i MASK = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

    TMP = _mm_loadu_si128((const __m128i *)&state[0]);
    STATE1 = _mm_loadu_si128((const __m128i *)&state[4]);
    TMP = _mm_shuffle_epi32(TMP, 0xB1);           /* CDAB */
    STATE1 = _mm_shuffle_epi32(STATE1, 0x1B);     /* EFGH */
    STATE0 = _mm_alignr_epi8(TMP, STATE1, 8);     /* ABEF */
    STATE1 = _mm_blend_epi16(STATE1, TMP, 0xF0);  /* CDGH */

    for (; blocks > 0; blocks--, data += 64) {
        ABEF = STATE0;
        CDGH = STATE1;
        M0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), MASK);
        M1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), MASK);
        M2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), MASK);
        M3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), MASK);

        ROUNDS(M0, K4(0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5));                                            /* 0-3 */
        ROUNDS(M1, K4(0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5)); M0 = _mm_sha256msg1_epu32(M0, M1);         /* 4-7 */
        ROUNDS(M2, K4(0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3)); M1 = _mm_sha256msg1_epu32(M1, M2);         /* 8-11 */
        ROUNDS_MSG2(M3, M2, M0, K4(0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174)); M2 = _mm_sha256msg1_epu32(M2, M3); /* 12-15 */
        ROUNDS_MSG2(M0, M3, M1, K4(0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc)); M3 = _mm_sha256msg1_epu32(M3, M0); /* 16-19 */
        ROUNDS_MSG2(M1, M0, M2, K4(0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da)); M0 = _mm_sha256msg1_epu32(M0, M1); /* 20-23 */
        ROUNDS_MSG2(M2, M1, M3, K4(0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7)); M1 = _mm_sha256msg1_epu32(M1, M2); /* 24-27 */
        ROUNDS_MSG2(M3, M2, M0, K4(0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967)); M2 = _mm_sha256msg1_epu32(M2, M3); /* 28-31 */
        ROUNDS_MSG2(M0, M3, M1, K4(0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13)); M3 = _mm_sha256msg1_epu32(M3, M0); /* 32-35 */
        ROUNDS_MSG2(M1, M0, M2, K4(0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85)); M0 = _mm_sha256msg1_epu32(M0, M1); /* 36-39 */
        ROUNDS_MSG2(M2, M1, M3, K4(0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3)); M1 = _mm_sha256msg1_epu32(M1, M2); /* 40-43 */
        ROUNDS_MSG2(M3, M2, M0, K4(0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070)); M2 = _mm_sha256msg1_epu32(M2, M3); /* 44-47 */
        ROUNDS_MSG2(M0, M3, M1, K4(0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5)); M3 = _mm_sha256msg1_epu32(M3, M0); /* 48-51 */
        ROUNDS_MSG2(M1, M0, M2, K4(0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3));                                 /* 52-55 */
        ROUNDS_MSG2(M2, M1, M3, K4(0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208));                                 /* 56-59 */
        ROUNDS(M3, K4(0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2));                                             /* 60-63 */

        STATE0 = _mm_add_epi32(STATE0, ABEF);
        STATE1 = _mm_add_epi32(STATE1, CDGH);
    }

    TMP = _mm_shuffle_epi32(STATE0, 0x1B);        /* FEBA */
    STATE1 = _mm_shuffle_epi32(STATE1, 0xB1);     /* DCHG */
    STATE0 = _mm_blend_epi16(TMP, STATE1, 0xF0);  /* DCBA */
    STATE1 = _mm_alignr_epi8(STATE1, TMP, 8);     /* ABEF */
    _mm_storeu_si128((__m128i *)&state[0], STATE0);
    _mm_storeu_si128((__m128i *)&state[4], STATE1);
}

#else

int tifa_sha256_hardware_available(void) { return 0; }
void tifa_sha256_hardware_compress(uint32_t state[8], const uint8_t *data, size_t blocks) {
    (void)state; (void)data; (void)blocks;
}

#endif
