// Thin wrappers over the system ICU, declared with Lexis's own opaque types and plain integers.
// ICU renames every function with a version suffix through macros (ubrk_open -> ubrk_open_72)
// that Swift cannot import, so Swift calls these instead. No ICU header is included here: ICU's
// enums (UErrorCode, UScriptCode) clash with the ICU that Foundation bundles on Linux in any Swift
// module that sees both, so they stay inside ICUShim.c. Status codes cross as int32_t (ICU's
// UErrorCode values: > 0 is a failure).
#pragma once
#include <stdint.h>

typedef struct LexisBreakIterator LexisBreakIterator;
typedef struct LexisNormalizer LexisNormalizer;

static inline int lexis_failed(int32_t status) { return status > 0; }

LexisBreakIterator *lexis_word_break_open(const char *locale, int32_t *status);
void lexis_break_close(LexisBreakIterator *bi);
// Points the break iterator at UTF-8 bytes; `text` (an ICU UText) is reused across calls: pass
// NULL the first time.
void *lexis_break_set_utf8(LexisBreakIterator *bi, void *text, const char *bytes, int64_t length, int32_t *status);
void lexis_break_set_utf16(LexisBreakIterator *bi, const uint16_t *chars, int32_t length, int32_t *status);
void lexis_utext_close(void *text);
int32_t lexis_break_first(LexisBreakIterator *bi);
int32_t lexis_break_next(LexisBreakIterator *bi);
int32_t lexis_break_rule_status(LexisBreakIterator *bi);

// Rule-status ranges (ICU's ubrk.h; ICUShim.c checks them at compile time): [0,100) none,
// [100,200) number, [200,300) letter, [300,400) kana, [400,500) ideographic.
enum { LEXIS_STATUS_NUMBER = 100, LEXIS_STATUS_LETTER = 200, LEXIS_STATUS_KANA = 300, LEXIS_STATUS_IDEO = 400 };

// Normalizers: 0 = NFKC, 1 = NFKC_Casefold. Returned instances are owned by ICU.
const LexisNormalizer *lexis_normalizer(int32_t which, int32_t *status);
int32_t lexis_normalize(const LexisNormalizer *n, const uint16_t *src, int32_t length,
                        uint16_t *dest, int32_t capacity, int32_t *status);
int32_t lexis_fold_case(uint16_t *dest, int32_t capacity, const uint16_t *src, int32_t length, int32_t *status);
// UTF-8 <-> UTF-16 for the non-ASCII token path. Input is already valid UTF-8.
int32_t lexis_utf8_to_utf16(uint16_t *dest, int32_t capacity, const char *src, int32_t length, int32_t *status);
int32_t lexis_utf16_to_utf8(char *dest, int32_t capacity, const uint16_t *src, int32_t length, int32_t *status);

// General category of a code point (UCharCategory as int8_t) and whether it is white space.
int8_t lexis_char_type(int32_t c);
int lexis_is_white_space(int32_t c);
