// Direct access to an LMWorkspace's state and dropout masks, so tests can set them.
import LexisRecurrent

extension LMWorkspace {
    /// The initial state block of layer `l` (h, and c for the LSTM) [B x H]; tests set it.
    public func stateH(_ l: Int) -> UnsafeMutablePointer<Float> { h[l].pointer }
    /// The initial cell state of layer `l` [B x H] (LSTM only); tests set it.
    public func stateC(_ l: Int) -> UnsafeMutablePointer<Float> { c[l].pointer }
    /// The dropout mask on the embedding output [T*B x E]; tests set it.
    public func embeddingDropoutMask() -> UnsafeMutablePointer<Float> { embeddingMask.pointer }
    /// The dropout mask on the output of layer `l` [T*B x H]; tests set it.
    public func dropoutMask(_ l: Int) -> UnsafeMutablePointer<Float> { masks[l].pointer }
}
