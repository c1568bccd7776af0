// Plain ICU word breaking with nothing around it: the baseline the tokenizer benchmark compares
// against ("within 1.3x of raw ICU on the same text").
internal import CICU

/// Plain ICU word breaking with no normalization or filtering: the baseline for tokenizer
/// benchmarks.
public enum RawICU {
    /// Counts word-break segments with a letter, number, kana or ideographic status, breaking the
    /// text as UTF-16 (`utf16: true`, converted up front, not timed by callers that pre-convert)
    /// or through a UTF-8 UText.
    public static func countWords(_ text: UnsafeBufferPointer<UInt8>, utf16: Bool) -> Int {
        var status: Int32 = 0
        guard let bi = lexis_word_break_open("", &status), let base = text.baseAddress else { return 0 }
        defer { lexis_break_close(bi) }
        var count = 0
        func drain() {
            _ = lexis_break_first(bi)
            while lexis_break_next(bi) >= 0 {
                if lexis_break_rule_status(bi) >= Int32(LEXIS_STATUS_NUMBER) { count += 1 }
            }
        }
        if utf16 {
            let units = Array(String(decoding: text, as: UTF8.self).utf16)
            units.withUnsafeBufferPointer { u in
                lexis_break_set_utf16(bi, u.baseAddress, Int32(u.count), &status)
                drain()
            }
        } else {
            let ut = lexis_break_set_utf8(bi, nil, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                          Int64(text.count), &status)
            drain()
            lexis_utext_close(ut)
        }
        return count
    }

    /// UTF-16 code units of valid UTF-8 text, for timing ICU's UTF-16 path without the conversion.
    public static func utf16Units(_ text: UnsafeBufferPointer<UInt8>) -> [UInt16] {
        Array(String(decoding: text, as: UTF8.self).utf16)
    }

    /// Counts words over pre-converted UTF-16 text.
    public static func countWords(utf16 units: [UInt16]) -> Int {
        var status: Int32 = 0
        guard let bi = lexis_word_break_open("", &status) else { return 0 }
        defer { lexis_break_close(bi) }
        var count = 0
        units.withUnsafeBufferPointer { u in
            lexis_break_set_utf16(bi, u.baseAddress, Int32(u.count), &status)
            _ = lexis_break_first(bi)
            while lexis_break_next(bi) >= 0 {
                if lexis_break_rule_status(bi) >= Int32(LEXIS_STATUS_NUMBER) { count += 1 }
            }
        }
        return count
    }
}
