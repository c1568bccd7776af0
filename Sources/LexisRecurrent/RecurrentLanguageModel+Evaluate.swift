// Perplexity over a token stream and text generation.
import LexisTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A summed cross-entropy and the number of tokens it covers.
public struct Perplexity: Sendable, Equatable {
    /// Summed cross-entropy in nats and the number of predicted tokens.
    public var loss: Double
    /// The number of predicted tokens.
    public var tokens: Int
    /// Mean cross-entropy per token in nats; NaN for no tokens.
    public var perLoss: Double { tokens > 0 ? loss / Double(tokens) : .nan }
    /// The perplexity, `exp(perLoss)`.
    public var value: Double { exp(perLoss) }
}

extension RecurrentLanguageModel {
    /// Perplexity of a token stream split into `batch` streams, state carried across segments of
    /// `steps`, no dropout.
    ///
    /// - Parameters:
    ///   - tokens: Token ids, as from `Vocabulary.encode(path:)`.
    ///   - batch: Parallel streams; at most half the token count.
    ///   - steps: Time steps per segment.
    public func evaluate(tokens: [Int32], batch: Int = 10, steps: Int = 35) -> Perplexity {
        let batch = max(1, min(batch, tokens.count / 2))
        let batcher = LMBatcher(tokens: tokens, batch: batch, steps: steps)
        let ws = LMWorkspace(config: config, batch: batch, steps: steps)
        var loss = 0.0
        for k in 0..<batcher.segmentCount {
            let T = batcher.fill(ws, segment: k)
            loss += forward(ws, steps: T, training: false)
            ws.carryState()
        }
        return Perplexity(loss: loss, tokens: batcher.tokenCount)
    }

    /// Samples `count` tokens after `prompt` (an empty prompt starts at a sentence boundary).
    /// `temperature` 0 picks the most likely word each time. The same seed gives the same text.
    ///
    /// - Returns: The `count` sampled ids, without the prompt. Use ``text(for:)`` to read them.
    public func generate(prompt: [Int32], count: Int, temperature: Double = 1, seed: UInt64 = 1) -> [Int32] {
        let ws = LMWorkspace(config: config, batch: 1, steps: 1)
        var rng = RandomGenerator(seed: seed)
        let V = config.vocabularySize
        let context = prompt.isEmpty ? [endOfSentenceID] : prompt
        var result: [Int32] = []
        var next = context[0]
        var fed = 0
        var probabilities = [Double](repeating: 0, count: V)
        while result.count < count {
            ws.inputs[0] = next
            ws.targets[0] = 0
            forward(ws, steps: 1, training: false)
            ws.carryState()
            fed += 1
            if fed < context.count { next = context[fed]; continue }
            let logits = ws.logits.pointer
            var pick = 0
            if temperature <= 0 {
                for v in 1..<V where logits[v] > logits[pick] { pick = v }
            } else {
                var m = -Double.infinity
                for v in 0..<V { m = max(m, Double(logits[v]) / temperature) }
                var sum = 0.0
                for v in 0..<V {
                    probabilities[v] = exp(Double(logits[v]) / temperature - m)
                    sum += probabilities[v]
                }
                var u = rng.nextDouble() * sum
                pick = V - 1
                for v in 0..<V {
                    u -= probabilities[v]
                    if u < 0 { pick = v; break }
                }
            }
            next = Int32(pick)
            result.append(next)
        }
        return result
    }

    /// Words for ids, with `<eos>` as a line break.
    public func text(for ids: [Int32]) -> String {
        var out = ""
        var lineStart = true
        for id in ids {
            if id == endOfSentenceID {
                out += "\n"
                lineStart = true
            } else {
                if !lineStart { out += " " }
                out += vocabulary.tokens[Int(id)]
                lineStart = false
            }
        }
        return out
    }
}
