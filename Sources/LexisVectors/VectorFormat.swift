// The on-disk formats WordVectors reads and writes.

/// The on-disk formats ``WordVectors`` reads and writes.
///
/// Only ``lexis`` keeps corpus counts and tokenizer settings; ``lexis`` and ``fastText`` keep the
/// n-grams of subword models.
public enum VectorFormat: String, Sendable, CaseIterable {
    /// word2vec.c binary: a `V D` header line, then per word the word, a space and D little-endian Float32.
    case binary = "bin"
    /// word2vec.c / fastText `.vec` / GloVe text: an optional `V D` header, then `word v1 ... vD` per line.
    case text = "text"
    /// Lexis's own format: a header, then the Float32 matrix at an aligned offset (memory-mapped on load).
    case lexis = "lexis"
    /// fastText's model file (`.bin` of `fasttext skipgram|cbow`): the vocabulary, the settings
    /// and the input matrix of word and n-gram rows, so any word gets a vector. Never chosen from
    /// an extension (`.bin` means word2vec binary); detected from the bytes on load.
    case fastText = "fasttext"

    /// The format implied by a file name's extension: `.bin` binary, `.txt`/`.vec` text, `.lexis` lexis.
    /// Nil for any other extension.
    public static func forPath(_ path: String) -> VectorFormat? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "bin": return .binary
        case "txt", "vec": return .text
        case "lexis": return .lexis
        default: return nil
        }
    }
}
