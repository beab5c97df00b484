// The only translation unit that includes ICU. See tifa_icu.h for why.
#include "tifa_icu.h"

#include <unicode/ucsdet.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucnv_cb.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/uset.h>
#include <unicode/ubrk.h>
#include <unicode/udata.h>
#include <unicode/uchar.h>
#include <unicode/ucharstrie.h>
#include <unicode/uversion.h>
#include <unicode/unistr.h>

#include <cstring>
#include <cstdlib>
#include <new>

extern "C" const char *tifa_icu_error_name(int32_t status) { return u_errorName((UErrorCode)status); }

extern "C" const char *tifa_icu_version(void) {
    static char text[U_MAX_VERSION_STRING_LENGTH] = {0};
    if (text[0] == 0) {
        UVersionInfo info;
        u_getVersion(info);
        u_versionToString(info, text);
    }
    return text;
}

// MARK: ucsdet

extern "C" int32_t tifa_detect_charset(const char *bytes, int32_t length, char *name, int32_t name_capacity,
                                       int32_t *confidence, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    if (name_capacity > 0) name[0] = 0;
    *confidence = 0;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err)) { *status = err; return 0; }
    ucsdet_setText(det, bytes, length, &err);
    int32_t found = 0;
    const UCharsetMatch *match = ucsdet_detect(det, &err);
    if (U_SUCCESS(err) && match != nullptr) {
        const char *n = ucsdet_getName(match, &err);
        *confidence = ucsdet_getConfidence(match, &err);
        if (U_SUCCESS(err) && n != nullptr) {
            strncpy(name, n, (size_t)name_capacity - 1);
            name[name_capacity - 1] = 0;
            found = 1;
        }
    }
    ucsdet_close(det);
    *status = err;
    return found;
}

// MARK: ucnv

struct TifaDecoder {
    UConverter *converter;
    int32_t strict;
    int64_t invalidCount;
    int64_t firstInvalidOffset;
    int64_t consumedBefore;  // bytes consumed by earlier decode calls
    const char *chunkStart;  // start of the current chunk, to compute offsets in the callback
};

// Counts and replaces bad sequences, or stops the conversion in strict mode. The offset of the
// first bad byte is computed from where ICU's source pointer stands after the bad sequence.
static void U_CALLCONV tifaToUCallback(const void *context, UConverterToUnicodeArgs *args,
                                       const char *codeUnits, int32_t length,
                                       UConverterCallbackReason reason, UErrorCode *err) {
    TifaDecoder *d = (TifaDecoder *)context;
    if (reason != UCNV_ILLEGAL && reason != UCNV_UNASSIGNED && reason != UCNV_IRREGULAR) return;
    if (d->invalidCount == 0 || d->firstInvalidOffset < 0) {
        int64_t after = (int64_t)(args->source - d->chunkStart);
        int64_t offset = d->consumedBefore + after - length;
        if (offset < 0) offset = d->consumedBefore;
        d->firstInvalidOffset = offset;
    }
    d->invalidCount += 1;
    if (d->strict) return;  // leave *err set: conversion stops with the ICU error
    *err = U_ZERO_ERROR;
    static const UChar replacement[1] = {0xFFFD};
    ucnv_cbToUWriteUChars(args, replacement, 1, 0, err);
}

extern "C" TifaDecoder *tifa_decoder_open(const char *charset, int32_t strict, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    UConverter *c = ucnv_open(charset, &err);
    if (U_FAILURE(err)) { *status = err; return nullptr; }
    TifaDecoder *d = new (std::nothrow) TifaDecoder{c, strict, 0, -1, 0, nullptr};
    if (d == nullptr) { ucnv_close(c); *status = U_MEMORY_ALLOCATION_ERROR; return nullptr; }
    ucnv_setToUCallBack(c, tifaToUCallback, d, nullptr, nullptr, &err);
    *status = err;
    if (U_FAILURE(err)) { ucnv_close(c); delete d; return nullptr; }
    return d;
}

extern "C" void tifa_decoder_close(TifaDecoder *d) {
    if (d == nullptr) return;
    ucnv_close(d->converter);
    delete d;
}

extern "C" int32_t tifa_decoder_decode(TifaDecoder *d, const char *bytes, int32_t length, uint16_t *target,
                                       int32_t capacity, int32_t flush, int32_t *consumed, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    const char *source = bytes;
    UChar *out = (UChar *)target;
    d->chunkStart = bytes;
    ucnv_toUnicode(d->converter, &out, (UChar *)target + capacity, &source, bytes + length, nullptr,
                   flush ? 1 : 0, &err);
    *consumed = (int32_t)(source - bytes);
    d->consumedBefore += *consumed;
    *status = err;
    return (int32_t)(out - (UChar *)target);
}

extern "C" int64_t tifa_decoder_invalid_count(const TifaDecoder *d) { return d->invalidCount; }
extern "C" int64_t tifa_decoder_first_invalid_offset(const TifaDecoder *d) { return d->firstInvalidOffset; }

// MARK: utrans

struct TifaTransliterator { UTransliterator *trans; };

extern "C" TifaTransliterator *tifa_transliterator_open(const char *id, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    UChar uid[128];
    int32_t n = 0;
    for (; id[n] != 0 && n < 127; n++) uid[n] = (UChar)(unsigned char)id[n];
    UTransliterator *t = utrans_openU(uid, n, UTRANS_FORWARD, nullptr, 0, nullptr, &err);
    *status = err;
    if (U_FAILURE(err)) return nullptr;
    return new TifaTransliterator{t};
}

extern "C" void tifa_transliterator_close(TifaTransliterator *t) {
    if (t == nullptr) return;
    utrans_close(t->trans);
    delete t;
}

extern "C" void tifa_transliterate(const TifaTransliterator *t, uint16_t *buffer, int32_t *length, int32_t capacity,
                                   int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t limit = *length;
    utrans_transUChars(t->trans, (UChar *)buffer, length, capacity, 0, &limit, &err);
    *status = err;
}

extern "C" int32_t tifa_transliterator_source_ranges(const TifaTransliterator *t, uint32_t *starts, uint32_t *ends,
                                                     int32_t capacity, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    USet *set = uset_openEmpty();
    utrans_getSourceSet(t->trans, false, set, &err);
    *status = err;
    if (U_FAILURE(err)) { uset_close(set); return -1; }
    int32_t count = uset_getRangeCount(set);
    for (int32_t i = 0; i < count && i < capacity; i++) {
        UChar32 start = 0, end = 0;
        uset_getItem(set, i, &start, &end, nullptr, 0, &err);
        starts[i] = (uint32_t)start;
        ends[i] = (uint32_t)end;
    }
    uset_close(set);
    *status = err;
    return U_FAILURE(err) ? -1 : count;
}

// MARK: ubrk

struct TifaWordBreaker { UBreakIterator *iter; UChar *text; int32_t length; };

extern "C" TifaWordBreaker *tifa_word_breaker_open(const char *locale, const uint16_t *text, int32_t length,
                                                   int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *it = ubrk_open(UBRK_WORD, locale, nullptr, 0, &err);
    if (U_FAILURE(err)) { *status = err; return nullptr; }
    TifaWordBreaker *b = new TifaWordBreaker{it, nullptr, 0};
    tifa_word_breaker_set_text(b, text, length, status);
    if (U_FAILURE((UErrorCode)*status)) { tifa_word_breaker_close(b); return nullptr; }
    return b;
}

extern "C" void tifa_word_breaker_close(TifaWordBreaker *b) {
    if (b == nullptr) return;
    ubrk_close(b->iter);
    free(b->text);
    delete b;
}

extern "C" void tifa_word_breaker_set_text(TifaWordBreaker *b, const uint16_t *text, int32_t length,
                                           int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    UChar *copy = (UChar *)malloc(sizeof(UChar) * (size_t)(length > 0 ? length : 1));
    if (copy == nullptr) { *status = U_MEMORY_ALLOCATION_ERROR; return; }
    if (length > 0) memcpy(copy, text, sizeof(UChar) * (size_t)length);
    ubrk_setText(b->iter, copy, length, &err);
    free(b->text);
    b->text = copy;
    b->length = length;
    *status = err;
}

extern "C" int32_t tifa_word_breaker_next(TifaWordBreaker *b, int32_t *rule_status) {
    int32_t p = ubrk_next(b->iter);
    if (p == UBRK_DONE) return -1;
    *rule_status = ubrk_getRuleStatus(b->iter);
    return p;
}

// MARK: cjdict

struct TifaCJDict { UDataMemory *data; const UChar *trie; };

extern "C" TifaCJDict *tifa_cjdict_open(int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    UDataMemory *data = udata_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr", "dict", "cjdict", &err);
    if (U_FAILURE(err)) { *status = err; return nullptr; }
    const int32_t *indexes = (const int32_t *)udata_getMemory(data);
    // Layout of ICU's DictionaryData: IX_STRING_TRIE_OFFSET = 0, IX_TRIE_TYPE = 4 with
    // TRIE_TYPE_UCHARS = 1 and TRIE_HAS_VALUES = 8; cjdict is a UCharsTrie with values (costs).
    int32_t trieType = indexes[4];
    if ((trieType & 7) != 1) { udata_close(data); *status = U_INVALID_FORMAT_ERROR; return nullptr; }
    const UChar *trie = (const UChar *)((const char *)indexes + indexes[0]);
    *status = U_ZERO_ERROR;
    return new TifaCJDict{data, trie};
}

extern "C" void tifa_cjdict_close(TifaCJDict *d) {
    if (d == nullptr) return;
    udata_close(d->data);
    delete d;
}

extern "C" int32_t tifa_cjdict_enumerate(const TifaCJDict *d,
                                         void (*visit)(void *, const uint16_t *, int32_t, int32_t),
                                         void *context, int32_t *status) {
    UErrorCode err = U_ZERO_ERROR;
    icu::UCharsTrie::Iterator it(d->trie, 0, err);
    int32_t count = 0;
    while (U_SUCCESS(err) && it.next(err)) {
        const icu::UnicodeString &s = it.getString();
        visit(context, (const uint16_t *)s.getBuffer(), s.length(), it.getValue());
        count++;
    }
    *status = U_FAILURE(err) ? err : U_ZERO_ERROR;
    return count;
}
