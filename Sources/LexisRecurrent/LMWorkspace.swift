// Every activation, mask and scratch buffer one model needs for segments of up to T steps over B
// streams; allocated once, reused by every step (training allocates nothing per batch).
//
// Shapes (time-major, row t*B + b): B batch, T steps, H hidden, E embedding, V vocabulary,
// G gates per unit (4 for the LSTM, 1 for the RNN).
// The recurrent state lives in block 0 of `h`/`c`: step t reads block t and writes block t+1;
// `carryState` copies the last block back to block 0 for the next segment (truncated BPTT: the
// values carry over, gradients do not).
import LexisTensor

/// Every activation, mask and scratch buffer a model needs for segments of up to ``steps`` time
/// steps over ``batch`` streams, allocated once and reused by every segment.
///
/// The recurrent state carries from one segment to the next (``carryState()``); values carry
/// over, gradients do not (truncated BPTT). Buffers are time-major: row `t*B + b`.
public final class LMWorkspace {
    /// Parallel streams (B).
    public let batch: Int
    /// The most time steps per segment (T).
    public let steps: Int
    /// Input ids [T*B].
    public let inputs: UnsafeMutablePointer<Int32>
    /// Target ids [T*B]: the token after each input.
    public let targets: UnsafeMutablePointer<Int32>

    /// Embedding output after dropout [T*B x E] and its mask.
    let embedded: FloatBuffer
    package let embeddingMask: FloatBuffer
    /// Per layer: gate activations [T*B x G*H], h and c [(T+1)*B x H], tanh(c) [T*B x H],
    /// dropped-out output [T*B x H] and its mask.
    let gates: [FloatBuffer]
    package let h: [FloatBuffer]
    package let c: [FloatBuffer]
    let tanhC: [FloatBuffer]
    let dropped: [FloatBuffer]
    package let masks: [FloatBuffer]
    /// Logits [T*B x V]; after a training forward, d loss / d logits.
    let logits: FloatBuffer
    // Backward scratch.
    let gradA: FloatBuffer, gradB: FloatBuffer
    let gateGradients: FloatBuffer
    /// The recurrent weights of the layer being run forward, transposed to [H x G*H], so each
    /// step's product is a plain few-row product (`Matmul.gemmFewRows`).
    let recurrentWeightTransposed: FloatBuffer
    let hNext: FloatBuffer, cNext: FloatBuffer

    /// Steps used by the last forward (a corpus's last segment may be shorter than T).
    public internal(set) var lastSteps = 0
    /// Whether the last forward applied the dropout masks.
    var lastTraining = false

    /// Allocates the buffers for a model of `config`, with a zero state and all-ones dropout masks.
    ///
    /// - Precondition: `batch > 0 && steps > 0`.
    public init(config: LanguageModelConfig, batch: Int, steps: Int) {
        precondition(batch > 0 && steps > 0)
        self.batch = batch
        self.steps = steps
        let (B, T, H, E, V, G) = (batch, steps, config.hidden, config.embedding, config.vocabularySize, config.cell.gates)
        inputs = .allocate(capacity: T * B)
        inputs.initialize(repeating: 0, count: T * B)
        targets = .allocate(capacity: T * B)
        targets.initialize(repeating: 0, count: T * B)
        embedded = FloatBuffer(count: T * B * E)
        embeddingMask = FloatBuffer(count: T * B * E)
        let L = config.layers
        gates = (0..<L).map { _ in FloatBuffer(count: T * B * G * H) }
        h = (0..<L).map { _ in FloatBuffer(count: (T + 1) * B * H) }
        c = (0..<L).map { _ in FloatBuffer(count: config.cell == .lstm ? (T + 1) * B * H : 0) }
        tanhC = (0..<L).map { _ in FloatBuffer(count: config.cell == .lstm ? T * B * H : 0) }
        dropped = (0..<L).map { _ in FloatBuffer(count: config.dropout > 0 ? T * B * H : 0) }
        masks = (0..<L).map { _ in FloatBuffer(count: config.dropout > 0 ? T * B * H : 0) }
        logits = FloatBuffer(count: T * B * V)
        gradA = FloatBuffer(count: T * B * max(H, E))
        gradB = FloatBuffer(count: T * B * max(H, E))
        gateGradients = FloatBuffer(count: T * B * G * H)
        recurrentWeightTransposed = FloatBuffer(count: G * H * H)
        hNext = FloatBuffer(count: B * H)
        cNext = FloatBuffer(count: B * H)
        for m in masks { m.pointer.update(repeating: 1, count: m.count) }
        embeddingMask.pointer.update(repeating: 1, count: embeddingMask.count)
    }

    deinit {
        inputs.deallocate()
        targets.deallocate()
    }

    /// Zeroes the recurrent state (start of an epoch or of an evaluation pass).
    public func resetState() {
        for buffer in h { buffer.pointer.update(repeating: 0, count: buffer.count / (steps + 1)) }
        for buffer in c where buffer.count > 0 {
            buffer.pointer.update(repeating: 0, count: buffer.count / (steps + 1))
        }
    }

    /// Makes the final state of the last segment the initial state of the next one.
    public func carryState() {
        let t = lastSteps
        for buffer in h {
            let block = buffer.count / (steps + 1)
            buffer.pointer.update(from: buffer.pointer + t * block, count: block)
        }
        for buffer in c where buffer.count > 0 {
            let block = buffer.count / (steps + 1)
            buffer.pointer.update(from: buffer.pointer + t * block, count: block)
        }
    }

    /// Draws new dropout masks for a training segment (probability p of dropping a unit).
    public func drawMasks(probability p: Float, rng: inout RandomGenerator) {
        guard p > 0 else { return }
        Dropout.makeMask(embeddingMask.pointer, count: embeddingMask.count, probability: p, rng: &rng)
        for m in masks { Dropout.makeMask(m.pointer, count: m.count, probability: p, rng: &rng) }
    }
}
