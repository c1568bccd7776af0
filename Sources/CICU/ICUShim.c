// The ICU calls behind CICU.h. The only file that includes ICU's headers (see CICU.h for why).
#include "CICU.h"
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uchar.h>

_Static_assert(LEXIS_STATUS_NUMBER == UBRK_WORD_NUMBER && LEXIS_STATUS_LETTER == UBRK_WORD_LETTER &&
               LEXIS_STATUS_KANA == UBRK_WORD_KANA && LEXIS_STATUS_IDEO == UBRK_WORD_IDEO,
               "ICU's word rule-status ranges moved");
_Static_assert(sizeof(UChar) == sizeof(uint16_t), "UChar is 16 bits");

LexisBreakIterator *lexis_word_break_open(const char *locale, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, locale, NULL, 0, &s);
    *status = (int32_t)s;
    return (LexisBreakIterator *)bi;
}

void lexis_break_close(LexisBreakIterator *bi) { ubrk_close((UBreakIterator *)bi); }

void *lexis_break_set_utf8(LexisBreakIterator *bi, void *text, const char *bytes, int64_t length, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    UText *t = utext_openUTF8((UText *)text, bytes, length, &s);
    if (U_SUCCESS(s)) ubrk_setUText((UBreakIterator *)bi, t, &s);
    *status = (int32_t)s;
    return t;
}

void lexis_break_set_utf16(LexisBreakIterator *bi, const uint16_t *chars, int32_t length, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    ubrk_setText((UBreakIterator *)bi, (const UChar *)chars, length, &s);
    *status = (int32_t)s;
}

void lexis_utext_close(void *text) { if (text) utext_close((UText *)text); }
int32_t lexis_break_first(LexisBreakIterator *bi) { return ubrk_first((UBreakIterator *)bi); }
int32_t lexis_break_next(LexisBreakIterator *bi) { return ubrk_next((UBreakIterator *)bi); }
int32_t lexis_break_rule_status(LexisBreakIterator *bi) { return ubrk_getRuleStatus((UBreakIterator *)bi); }

const LexisNormalizer *lexis_normalizer(int32_t which, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    const UNormalizer2 *n = which == 0 ? unorm2_getNFKCInstance(&s) : unorm2_getNFKCCasefoldInstance(&s);
    *status = (int32_t)s;
    return (const LexisNormalizer *)n;
}

int32_t lexis_normalize(const LexisNormalizer *n, const uint16_t *src, int32_t length,
                        uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    int32_t r = unorm2_normalize((const UNormalizer2 *)n, (const UChar *)src, length, (UChar *)dest, capacity, &s);
    *status = (int32_t)s;
    return r;
}

int32_t lexis_fold_case(uint16_t *dest, int32_t capacity, const uint16_t *src, int32_t length, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    int32_t r = u_strFoldCase((UChar *)dest, capacity, (const UChar *)src, length, U_FOLD_CASE_DEFAULT, &s);
    *status = (int32_t)s;
    return r;
}

int32_t lexis_utf8_to_utf16(uint16_t *dest, int32_t capacity, const char *src, int32_t length, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    int32_t written = 0;
    u_strFromUTF8WithSub((UChar *)dest, capacity, &written, src, length, 0xFFFD, NULL, &s);
    *status = (int32_t)s;
    return written;
}

int32_t lexis_utf16_to_utf8(char *dest, int32_t capacity, const uint16_t *src, int32_t length, int32_t *status) {
    UErrorCode s = U_ZERO_ERROR;
    int32_t written = 0;
    u_strToUTF8WithSub(dest, capacity, &written, (const UChar *)src, length, 0xFFFD, NULL, &s);
    *status = (int32_t)s;
    return written;
}

int8_t lexis_char_type(int32_t c) { return u_charType(c); }
int lexis_is_white_space(int32_t c) { return u_isUWhiteSpace(c); }
