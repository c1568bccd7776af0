// Which ICU interface breaks Chinese, Japanese and Thai text, chosen at run time by measurement.
//
// ICU breaks UTF-16 natively; a UTF-8 UText adds a decoding layer but saves the conversion. Which
// costs less for runs of 3-byte characters depends on the CPU and the ICU build. On the two Intel
// Xeons measured so far UTF-16 won (Chinese novels, raw ICU: 7.4 against 5.8 MB/s on one, 12.2
// against 9.7 on the other, bench/tokenize.sh), but the margin differs and no machine of other
// makes was measured, so the first wide run of a process times both on a built-in sample and
// keeps the faster (about 15 ms, once; UTF-8 must win by 10%, as timings on a loaded machine
// spread). Both paths give the same tokens (tests check).
#if canImport(Glibc)
import Glibc
#endif

/// How runs of 3- and 4-byte characters reach ICU's word breaker.
public enum ICUTextPath: String, Sendable, CaseIterable {
    /// Converted to UTF-16, ICU's native form.
    case utf16
    /// Through a UTF-8 UText, no conversion.
    case utf8

    /// The path this process uses: `LEXIS_ICU_TEXT=utf16|utf8` when set, otherwise the faster
    /// on this CPU, measured once on first use.
    public static let chosen: ICUTextPath = requested ?? calibration?.faster ?? .utf16

    /// The measurement behind ``chosen``: MB/s of each path on the sample (nil when
    /// `LEXIS_ICU_TEXT` decided, or ICU could not be opened).
    public static let calibration: (utf16: Double, utf8: Double, faster: ICUTextPath)? = requested == nil ? measure() : nil

    /// The path `LEXIS_ICU_TEXT` names, if it names one.
    private static let requested: ICUTextPath? = getenv("LEXIS_ICU_TEXT").flatMap { ICUTextPath(rawValue: String(cString: $0)) }

    /// A one-line account of the choice, for `--version` and benchmarks.
    public static var summary: String {
        guard let c = calibration else { return "\(chosen.rawValue) (set by LEXIS_ICU_TEXT)" }
        return "\(chosen.rawValue) (measured on this CPU: UTF-16 \(formatFixed(c.utf16, 1)) MB/s, "
            + "UTF-8 \(formatFixed(c.utf8, 1)) MB/s; LEXIS_ICU_TEXT=utf16|utf8 forces one)"
    }

    /// Times both paths on the sample, interleaved, best of five each.
    private static func measure() -> (utf16: Double, utf8: Double, faster: ICUTextPath)? {
        guard let tokenizer = try? Tokenizer(options: TokenizerOptions()) else { return nil }
        var lines = calibrationSample.split(separator: "\n").map { Array($0.utf8) }
        while lines.reduce(0, { $0 + $1.count }) < 12_000 { lines += lines }
        let bytes = Double(lines.reduce(0) { $0 + $1.count })
        var best: [ICUTextPath: Double] = [.utf16: .infinity, .utf8: .infinity]
        var sink = 0
        for _ in 0..<5 {
            for path in ICUTextPath.allCases {
                tokenizer.widePath = path
                let start = monotonicSeconds()
                for line in lines {
                    line.withUnsafeBufferPointer { tokenizer.forEachToken(in: $0) { token, _ in sink &+= token.count } }
                }
                best[path] = min(best[path]!, monotonicSeconds() - start)
            }
        }
        if sink == 0 { return nil }
        let utf16 = bytes / best[.utf16]! / 1e6, utf8 = bytes / best[.utf8]! / 1e6
        // UTF-16 unless UTF-8 is clearly faster: a loaded machine's timings spread by 10-20%, and
        // UTF-16 was the faster on every CPU measured so far.
        return (utf16, utf8, utf8 > utf16 * 1.1 ? .utf8 : .utf16)
    }

    /// Text for the measurement (written for Lexis): modern Chinese, Japanese with kana and kanji,
    /// Thai; lines of paragraph length, as the corpora have.
    private static let calibrationSample = """
        这个工具包把文本切分成词，统计词频，然后训练词向量。用户可以在命令行里查询最相近的词，也可以把向量用在句子分类的模型里。我们希望它在同一台机器上比其他工具更快，结果也一样好。
        春天的时候，城外的河水涨了起来，村里的老人说今年的雨比往年多。孩子们在桥边看船，船上的人唱着歌，一直唱到太阳落山。晚上大家坐在院子里，谈论着明天要去集市买什么东西。
        今日は朝から雨が降っていたので、駅まで歩くのをやめて、家で本を読むことにした。窓の外では子どもたちが傘をさして学校へ向かっている。昼過ぎには晴れるという予報だった。
        新しい辞書を使うと、人の名前や地名がひとつの単語として扱われるようになる。そのおかげで、検索の結果がずっと分かりやすくなったと多くの利用者が話している。
        ภาษาไทยเขียนโดยไม่มีช่องว่างระหว่างคำ โปรแกรมจึงต้องใช้พจนานุกรมเพื่อแบ่งคำให้ถูกต้องก่อนนำไปใช้งานต่อ
        """
}
