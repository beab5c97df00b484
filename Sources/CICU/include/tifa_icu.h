// tifa_icu.h — Tifa's bridge to the system ICU (libicu-dev).
//
// Why this shape: ICU's C functions are version-suffixed macros (ubrk_open → ubrk_open_72) that
// Swift cannot call, and importing <unicode/…> into a Swift module clashes with the ICU headers
// bundled inside Foundation. So this header exposes only plain C types and opaque handles;
// <unicode/…> is included in tifa_icu.cpp alone. Every function reports failure through an
// `int32_t *status` that holds an ICU UErrorCode (0 = success, > 0 = failure, < 0 = warning);
// `tifa_icu_error_name` turns it into ICU's own name for messages.
#ifndef TIFA_ICU_H
#define TIFA_ICU_H

#include <stdint.h>
#include <stddef.h>

#include "tifa_prefetch.h"
#include "tifa_bucket.h"

#ifdef __cplusplus
extern "C" {
#endif

/// ICU's name for an error code, e.g. "U_INVALID_CHAR_FOUND". Static storage.
const char *tifa_icu_error_name(int32_t status);
/// The ICU version as "72.1". Static storage.
const char *tifa_icu_version(void);

// MARK: Charset detection (ucsdet)

/// Detects the charset of `bytes`. Writes ICU's charset name (e.g. "UTF-8", "GB18030", "Big5")
/// NUL-terminated into `name` (capacity `name_capacity`) and the confidence 0–100 into
/// `confidence`. Returns the number of candidates considered, 0 when nothing matched.
int32_t tifa_detect_charset(const char *bytes, int32_t length, char *name, int32_t name_capacity,
                            int32_t *confidence, int32_t *status);

// MARK: Charset conversion (ucnv), streaming, to UTF-16

typedef struct TifaDecoder TifaDecoder;

/// Opens a streaming decoder from charset `charset` to UTF-16. When `strict` is non-zero an invalid
/// or unmappable byte sequence stops decoding with an error; otherwise it becomes U+FFFD and is counted.
TifaDecoder *tifa_decoder_open(const char *charset, int32_t strict, int32_t *status);
void tifa_decoder_close(TifaDecoder *decoder);
/// Decodes `length` bytes into `target` (capacity `capacity` UTF-16 units; 2*length+2 always
/// suffices). `flush` non-zero marks the end of input. Returns the number of UTF-16 units written.
/// On U_BUFFER_OVERFLOW_ERROR nothing is lost: call again with the remaining input.
int32_t tifa_decoder_decode(TifaDecoder *decoder, const char *bytes, int32_t length,
                            uint16_t *target, int32_t capacity, int32_t flush,
                            int32_t *consumed, int32_t *status);
/// How many invalid or unmappable byte sequences were replaced so far, and the byte offset of the
/// first one from the start of the stream (-1 when none).
int64_t tifa_decoder_invalid_count(const TifaDecoder *decoder);
int64_t tifa_decoder_first_invalid_offset(const TifaDecoder *decoder);

// MARK: Transliteration (utrans)

typedef struct TifaTransliterator TifaTransliterator;

/// Opens a transliterator by ICU id, e.g. "Traditional-Simplified".
TifaTransliterator *tifa_transliterator_open(const char *id, int32_t *status);
void tifa_transliterator_close(TifaTransliterator *transliterator);
/// Transliterates `buffer[0..<*length]` in place; `capacity` is the buffer's size in UTF-16 units.
/// Updates `*length`. On U_BUFFER_OVERFLOW_ERROR, `*length` holds the size needed.
void tifa_transliterate(const TifaTransliterator *transliterator, uint16_t *buffer, int32_t *length,
                        int32_t capacity, int32_t *status);
/// The code point ranges the transliterator may change (ICU's source set, its filter applied):
/// characters outside them come out as they went in. Writes up to `capacity` ranges as
/// `starts[i]...ends[i]` and returns how many there are (more than `capacity`: call again with
/// more room); strings of the set are left out. -1 on failure (`*status`).
int32_t tifa_transliterator_source_ranges(const TifaTransliterator *transliterator, uint32_t *starts, uint32_t *ends,
                                          int32_t capacity, int32_t *status);

// MARK: Word break iteration (ubrk)

typedef struct TifaWordBreaker TifaWordBreaker;

/// Opens a word break iterator for `locale` (e.g. "zh") over a copy of `text`.
TifaWordBreaker *tifa_word_breaker_open(const char *locale, const uint16_t *text, int32_t length,
                                        int32_t *status);
void tifa_word_breaker_close(TifaWordBreaker *breaker);
/// Sets new text (copied). Resets the iterator to the start.
void tifa_word_breaker_set_text(TifaWordBreaker *breaker, const uint16_t *text, int32_t length,
                                int32_t *status);
/// The next boundary in UTF-16 units, or -1 at the end. `rule_status` receives ICU's rule status
/// of the segment that ends there (UBRK_WORD_NONE 0…, NUMBER 100…, LETTER 200…, KANA 300…, IDEO 400…).
int32_t tifa_word_breaker_next(TifaWordBreaker *breaker, int32_t *rule_status);

// MARK: ICU's Chinese/Japanese dictionary (brkitr/cjdict)

typedef struct TifaCJDict TifaCJDict;

/// Opens ICU's built-in CJ dictionary, the one its word break iterator uses.
TifaCJDict *tifa_cjdict_open(int32_t *status);
void tifa_cjdict_close(TifaCJDict *dict);
/// Enumerates all words with their costs (lower = more frequent), calling `visit` for each one
/// with the word in UTF-16. Returns the number of words visited.
int32_t tifa_cjdict_enumerate(const TifaCJDict *dict,
                              void (*visit)(void *context, const uint16_t *word, int32_t length, int32_t cost),
                              void *context, int32_t *status);

#ifdef __cplusplus
}
#endif

#endif
