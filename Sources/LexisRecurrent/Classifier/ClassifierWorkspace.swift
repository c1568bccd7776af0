// Every activation, mask and gradient buffer a classifier needs for batches of up to B sentences
// of up to T tokens; allocated once and reused by every step (training allocates nothing per
// batch). A batch with b <= B rows and t <= T steps uses the buffers with row stride b.
//
// Shapes (time-major, row t*B + b): E embedding, H hidden, D directions, G gates per unit,
// F pooled width, C classes. Recurrent states have T+1 slots: the forward direction reads slot t
// and writes slot t+1, the backward direction reads slot t+1 and writes slot t.
import LexisTensor

/// Every activation, mask and gradient buffer a classifier needs for batches of up to
/// ``maxRows`` sentences of up to ``maxSteps`` tokens, allocated once and reused by every batch.
///
/// Make one with ``SentenceClassifier/makeWorkspace(for:batchSize:)``.
public final class ClassifierWorkspace {
    /// The most sentences per batch.
    public let maxRows: Int
    /// The longest sentence, in tokens.
    public let maxSteps: Int

    /// Embedding output after dropout [T*B x E], its mask, and its gradient.
    package let x: FloatBuffer, xMask: FloatBuffer, dX: FloatBuffer
    /// Per layer and direction: gate activations [T*B x G*H], h and c [(T+1)*B x H], tanh(c) [T*B x H].
    let gates: [[FloatBuffer]], h: [[FloatBuffer]], c: [[FloatBuffer]], tanhC: [[FloatBuffer]]
    /// Per layer: output [T*B x D*H] and its gradient.
    let y: [FloatBuffer], dY: [FloatBuffer]
    /// Per layer l > 0: the dropped-out input (layer l-1's output), its mask and its gradient.
    package let layerIn: [FloatBuffer], layerInMask: [FloatBuffer], dLayerIn: [FloatBuffer]
    /// Pooled features [B x F] before and after dropout, the mask, argmax steps (max pooling).
    package let pooled: FloatBuffer, pooledDropped: FloatBuffer, pooledMask: FloatBuffer
    let argmax: UnsafeMutablePointer<Int32>
    let dPooled: FloatBuffer, dPooledDropped: FloatBuffer
    /// Logits [B x C]; after a training forward, d loss / d logits.
    public let logits: FloatBuffer
    let targets: UnsafeMutablePointer<Int32>
    /// One-vs-all targets [B x C] (0 or 1), for the ova loss.
    let multiTargets: FloatBuffer
    /// Convolution (cnn): the im2col windows of one width [B*(T+w-1) x w*E] (reused by every
    /// width and by backward, which rebuilds them and then holds their gradient there), and that
    /// width's filter outputs [B*(T+w-1) x filters] (then their gradient).
    package let windows: FloatBuffer, filterOutputs: FloatBuffer
    // Backward scratch for one direction: gate gradients [T*B x G*H], dh, recurrent dh, dc [B x H].
    let dGates: FloatBuffer, dh: FloatBuffer, dhRecurrent: FloatBuffer, dc: FloatBuffer

    /// Whether the last forward applied dropout.
    var lastTraining = false

    ///
    /// - Precondition: `B > 0 && T > 0`.
    public init(config: ClassifierConfig, maxRows B: Int, maxSteps T: Int) {
        precondition(B > 0 && T > 0)
        maxRows = B; maxSteps = T
        let (E, H, D, G, F, C) = (config.embedding, config.hidden, config.directions, config.cell.gates,
                                  config.featureSize, config.classes)
        let L = config.model == .recurrent ? config.layers : 0
        x = FloatBuffer(count: T * B * E); xMask = FloatBuffer(count: T * B * E); dX = FloatBuffer(count: T * B * E)
        func perLayer(_ n: Int) -> [[FloatBuffer]] { (0..<L).map { _ in (0..<D).map { _ in FloatBuffer(count: n) } } }
        gates = perLayer(T * B * G * H)
        h = perLayer((T + 1) * B * H); c = perLayer(config.cell == .lstm ? (T + 1) * B * H : 0)
        tanhC = perLayer(config.cell == .lstm ? T * B * H : 0)
        y = (0..<L).map { _ in FloatBuffer(count: T * B * D * H) }
        dY = (0..<L).map { _ in FloatBuffer(count: T * B * D * H) }
        layerIn = (0..<L).map { $0 == 0 ? FloatBuffer(count: 0) : FloatBuffer(count: T * B * D * H) }
        layerInMask = (0..<L).map { $0 == 0 ? FloatBuffer(count: 0) : FloatBuffer(count: T * B * D * H) }
        dLayerIn = (0..<L).map { $0 == 0 ? FloatBuffer(count: 0) : FloatBuffer(count: T * B * D * H) }
        pooled = FloatBuffer(count: B * F); pooledDropped = FloatBuffer(count: B * F); pooledMask = FloatBuffer(count: B * F)
        argmax = .allocate(capacity: B * F)
        argmax.initialize(repeating: -1, count: B * F)
        dPooled = FloatBuffer(count: B * F); dPooledDropped = FloatBuffer(count: B * F)
        logits = FloatBuffer(count: B * C)
        targets = .allocate(capacity: B)
        targets.initialize(repeating: 0, count: B)
        multiTargets = FloatBuffer(count: config.loss == .ova ? B * C : 0)
        let widest = config.model == .cnn ? config.filterWidths.max() ?? 1 : 0
        windows = FloatBuffer(count: config.model == .cnn ? B * (T + widest - 1) * widest * E : 0)
        filterOutputs = FloatBuffer(count: config.model == .cnn ? B * (T + widest - 1) * config.filters : 0)
        dGates = FloatBuffer(count: L > 0 ? T * B * G * H : 0)
        dh = FloatBuffer(count: B * H); dhRecurrent = FloatBuffer(count: B * H); dc = FloatBuffer(count: B * H)
    }

    deinit {
        argmax.deallocate()
        targets.deallocate()
    }

    /// Whether `batch` fits the buffers.
    public func fits(_ batch: ClassifierBatch) -> Bool { batch.rows <= maxRows && batch.steps <= maxSteps }
}
