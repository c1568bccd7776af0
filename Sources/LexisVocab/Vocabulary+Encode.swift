// Text to token ids, streamed with the one corpus reader: ids come straight from the UTF-8 bytes
// (no String per token), invalid bytes are repaired and counted, memory is the id array.
import LexisText

/// The ids of a corpus's tokens, with what reading it found.
public struct EncodedCorpus: Sendable {
    /// Token ids in corpus order.
    public var ids: [Int32]
    /// Lines that had at least one token.
    public var lines: Int
    /// Tokens not in the vocabulary (mapped to `<unk>`, or left out without it).
    public var unknownTokens: Int
    /// Invalid UTF-8 bytes replaced by U+FFFD before tokenizing.
    public var invalidBytes: Int
}

extension Vocabulary {
    /// The ids of a corpus's tokens, tokenized with ``tokenizer``: `<eos>` after every line that
    /// has a token when the vocabulary holds `<eos>`, `<unk>` for tokens it does not know (left
    /// out when it has no `<unk>`).
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/invalidArgument(_:)` when
    ///   the tokenizer cannot be made.
    public func encode(_ corpus: Corpus) throws(LexisError) -> EncodedCorpus {
        let tokenizer = try Tokenizer(options: tokenizer)
        let reader = try CorpusReader(corpus: corpus)
        var ids: [Int32] = []
        if let bytes = corpus.totalBytes { ids.reserveCapacity(bytes / 5) }
        var lines = 0, unknown = 0, tokens = 0
        var lineStart = 0
        while let segment = try reader.next() {
            tokenizer.forEachToken(in: segment.bytes) { token, _ in
                tokens &+= 1
                let id = idOrUnknown(bytes: token)
                if id < 0 || id == unknownID { unknown += 1 }
                if id >= 0 { ids.append(id) }
            }
            if segment.endsLine && tokens > lineStart {
                lines += 1
                if let endOfSentenceID { ids.append(endOfSentenceID) }
                lineStart = tokens
            }
        }
        return EncodedCorpus(ids: ids, lines: lines, unknownTokens: unknown, invalidBytes: reader.invalidBytes)
    }

    /// ``encode(_:)`` for one file; only the ids.
    ///
    /// - Throws: What ``encode(_:)`` throws.
    public func encode(path: String) throws(LexisError) -> [Int32] {
        try encode(Corpus(paths: [path])).ids
    }

    /// The ids of a string's tokens (no `<eos>` added; `<unk>` for unknown tokens, left out
    /// without it).
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when the tokenizer cannot be made.
    public func encode(text: String) throws(LexisError) -> [Int32] {
        let tokenizer = try Tokenizer(options: tokenizer)
        var text = text
        var ids: [Int32] = []
        text.withUTF8 { utf8 in
            tokenizer.forEachToken(in: utf8) { token, _ in
                let id = idOrUnknown(bytes: token)
                if id >= 0 { ids.append(id) }
            }
        }
        return ids
    }
}
