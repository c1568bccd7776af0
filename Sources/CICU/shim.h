// Thin wrappers over the system ICU. ICU renames every function with a version suffix through
// macros (ubrk_open -> ubrk_open_72) that Swift cannot import, so Swift calls these instead.
// Status codes cross as plain int32_t so Swift never sees ICU's UErrorCode enum (it clashes with
// the ICU that Foundation bundles on Linux).
#pragma once
#include <stdint.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

static inline int lexis_failed(int32_t status) { return status > U_ZERO_ERROR; }

static inline UBreakIterator *lexis_word_break_open(const char *locale, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, locale, NULL, 0, &s);
    *status = (int32_t)s;
    return bi;
}
static inline void lexis_break_close(UBreakIterator *bi) { ubrk_close(bi); }

// Points the break iterator at UTF-8 bytes; `text` (a UText, opaque to Swift so that no ICU type
// appears in a Swift declaration) is reused across calls: pass NULL the first time.
static inline void *lexis_break_set_utf8(UBreakIterator *bi, void *text, const char *bytes,
                                         int64_t length, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    UText *t = utext_openUTF8((UText *)text, bytes, length, &s);
    if (U_SUCCESS(s)) ubrk_setUText(bi, t, &s);
    *status = (int32_t)s;
    return t;
}
static inline void lexis_break_set_utf16(UBreakIterator *bi, const UChar *chars, int32_t length,
                                         int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    ubrk_setText(bi, chars, length, &s);
    *status = (int32_t)s;
}
static inline void lexis_utext_close(void *text) { if (text) utext_close((UText *)text); }
static inline int32_t lexis_break_first(UBreakIterator *bi) { return ubrk_first(bi); }
static inline int32_t lexis_break_next(UBreakIterator *bi) { return ubrk_next(bi); }
static inline int32_t lexis_break_rule_status(UBreakIterator *bi) { return ubrk_getRuleStatus(bi); }

// Rule-status ranges (ubrk.h): [0,100) none, [100,200) number, [200,300) letter,
// [300,400) kana, [400,500) ideographic.
enum { LEXIS_STATUS_NUMBER = UBRK_WORD_NUMBER, LEXIS_STATUS_LETTER = UBRK_WORD_LETTER,
       LEXIS_STATUS_KANA = UBRK_WORD_KANA, LEXIS_STATUS_IDEO = UBRK_WORD_IDEO };

// Normalizers: 0 = NFKC, 1 = NFKC_Casefold. Returned instances are owned by ICU.
static inline const UNormalizer2 *lexis_normalizer(int32_t which, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    const UNormalizer2 *n = which == 0 ? unorm2_getNFKCInstance(&s) : unorm2_getNFKCCasefoldInstance(&s);
    *status = (int32_t)s;
    return n;
}
static inline int32_t lexis_normalize(const UNormalizer2 *n, const UChar *src, int32_t length,
                                      UChar *dest, int32_t capacity, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    int32_t r = unorm2_normalize(n, src, length, dest, capacity, &s);
    *status = (int32_t)s;
    return r;
}
static inline int32_t lexis_fold_case(UChar *dest, int32_t capacity, const UChar *src, int32_t length,
                                      int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    int32_t r = u_strFoldCase(dest, capacity, src, length, U_FOLD_CASE_DEFAULT, &s);
    *status = (int32_t)s;
    return r;
}
// UTF-8 <-> UTF-16 for the non-ASCII token path. Input is already valid UTF-8.
static inline int32_t lexis_utf8_to_utf16(UChar *dest, int32_t capacity, const char *src, int32_t length,
                                          int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    int32_t written = 0;
    u_strFromUTF8WithSub(dest, capacity, &written, src, length, 0xFFFD, NULL, &s);
    *status = (int32_t)s;
    return written;
}
static inline int32_t lexis_utf16_to_utf8(char *dest, int32_t capacity, const UChar *src, int32_t length,
                                          int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    int32_t written = 0;
    u_strToUTF8WithSub(dest, capacity, &written, src, length, 0xFFFD, NULL, &s);
    *status = (int32_t)s;
    return written;
}

// General category of a code point (UCharCategory as int8_t) and whether it is white space.
static inline int8_t lexis_char_type(int32_t c) { return u_charType(c); }
static inline int lexis_is_white_space(int32_t c) { return u_isUWhiteSpace(c); }
