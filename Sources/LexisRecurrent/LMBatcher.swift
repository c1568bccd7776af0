// Splits a token stream into B parallel streams (the standard PTB setup): stream b is the b-th
// contiguous slice of the corpus, and segment k holds steps [k*T, k*T + T) of every stream, with
// targets one token ahead. The tail that does not fill all B streams is dropped.

/// Splits a token stream into ``batch`` parallel streams for truncated BPTT (the standard PTB
/// setup): stream b is the b-th contiguous slice of the tokens, and segment k holds steps
/// `[k*T, k*T + T)` of every stream, with targets one token ahead. Tokens that do not fill all
/// streams are dropped.
public struct LMBatcher: Sendable {
    /// The whole token stream.
    public let tokens: [Int32]
    /// The number of streams (B).
    public let batch: Int
    /// Time steps per segment (T); the last segment may be shorter.
    public let steps: Int
    /// Tokens per stream.
    public let streamLength: Int

    ///
    /// - Precondition: `batch > 0 && steps > 0`.
    public init(tokens: [Int32], batch: Int, steps: Int) {
        precondition(batch > 0 && steps > 0)
        self.tokens = tokens
        self.batch = batch
        self.steps = steps
        streamLength = tokens.count / batch
    }

    /// Positions that have a next token to predict, per stream.
    public var predictionsPerStream: Int { max(0, streamLength - 1) }
    /// Segments per epoch.
    public var segmentCount: Int { (predictionsPerStream + steps - 1) / steps }
    /// Target tokens per epoch.
    public var tokenCount: Int { predictionsPerStream * batch }

    /// Writes segment `k` into the workspace (time-major) and returns its number of steps.
    ///
    /// - Precondition: `ws` was made for ``batch`` streams and at least ``steps`` steps.
    public func fill(_ ws: LMWorkspace, segment k: Int) -> Int {
        precondition(ws.batch == batch && ws.steps >= steps)
        let start = k * steps
        let T = min(steps, predictionsPerStream - start)
        tokens.withUnsafeBufferPointer { p in
            for t in 0..<T {
                for b in 0..<batch {
                    let i = b * streamLength + start + t
                    ws.inputs[t * batch + b] = p[i]
                    ws.targets[t * batch + b] = p[i + 1]
                }
            }
        }
        return T
    }
}
