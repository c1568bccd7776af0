// One flat parameter buffer and one gradient buffer of the same length. Backward passes ADD into
// `gradients`; `zeroGradients()` runs once per training step.
import CBLAS

public final class ParameterStore: @unchecked Sendable {
    public let layout: ParameterLayout
    public let count: Int
    public let values: UnsafeMutablePointer<Float>
    public let gradients: UnsafeMutablePointer<Float>
    /// Index ranges that optimizers update (frozen views and alignment padding left out).
    public let trainableRanges: [Range<Int>]

    public init(layout: ParameterLayout) {
        self.layout = layout
        count = max(layout.count, 1)
        values = .allocate(capacity: count)
        values.initialize(repeating: 0, count: count)
        gradients = .allocate(capacity: count)
        gradients.initialize(repeating: 0, count: count)
        // Merge adjacent trainable views into few ranges so optimizer loops stay long.
        var ranges: [Range<Int>] = []
        for view in layout.views where view.trainable && view.count > 0 {
            if let last = ranges.last, last.upperBound == view.offset {
                ranges[ranges.count - 1] = last.lowerBound..<view.range.upperBound
            } else {
                ranges.append(view.range)
            }
        }
        trainableRanges = ranges
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }

    public var views: [ParameterView] { layout.views }

    public func value(_ view: ParameterView) -> UnsafeMutablePointer<Float> { values + view.offset }
    public func gradient(_ view: ParameterView) -> UnsafeMutablePointer<Float> { gradients + view.offset }

    public func zeroGradients() {
        gradients.update(repeating: 0, count: count)
    }

    /// Global L2 norm of the trainable gradients (accumulated in Double).
    public func gradientNorm() -> Double {
        var sum = 0.0
        for range in trainableRanges {
            let n = cblas_snrm2(Int32(range.count), gradients + range.lowerBound, 1)
            sum += Double(n) * Double(n)
        }
        return sum.squareRoot()
    }

    /// Scales the trainable gradients so their global norm is at most `maxNorm`; returns the norm
    /// before clipping.
    @discardableResult
    public func clipGradients(maxNorm: Double) -> Double {
        let norm = gradientNorm()
        if maxNorm > 0 && norm > maxNorm {
            let scale = Float(maxNorm / norm)
            for range in trainableRanges {
                cblas_sscal(Int32(range.count), scale, gradients + range.lowerBound, 1)
            }
        }
        return norm
    }

    /// Copies every value from another store of the same layout.
    public func copyValues(from other: ParameterStore) {
        precondition(other.count == count)
        values.update(from: other.values, count: count)
    }
}
