// One flat parameter buffer and one gradient buffer of the same length. Backward passes ADD into
// `gradients`; `zeroGradients()` runs once per training step.
//
// One view may be row-sparse (a large embedding table of which a step touches few rows): the
// embedding marks the rows it writes, and zeroing, clipping and the optimizers then visit only
// those rows (`stepRanges`). Plain SGD is unchanged by this (untouched rows have zero gradient);
// Adam catches a row up on the steps it missed when the row is next touched (see `Adam`).
import CBLAS

/// A model's parameters in one flat value buffer, with a gradient buffer of the same length.
///
/// Backward passes add into ``gradients``; call ``zeroGradients()`` once per training step.
/// One view may be made row-sparse (``makeRowSparse(_:)``): zeroing, clipping and the optimizers
/// then visit only the rows marked since the last ``zeroGradients()``.
public final class ParameterStore: @unchecked Sendable {
    /// The views the store was made from.
    public let layout: ParameterLayout
    /// Floats in each buffer (at least 1).
    public let count: Int
    /// The parameter values; zero until initialized.
    public let values: UnsafeMutablePointer<Float>
    /// The gradients, accumulated by backward passes.
    public let gradients: UnsafeMutablePointer<Float>
    /// Index ranges that optimizers update (frozen views and alignment padding left out).
    public let trainableRanges: [Range<Int>]
    /// The row-sparse view, if any (`makeRowSparse`).
    public private(set) var sparseView: ParameterView?
    private var isTouched: [Bool] = []
    private var touchedRows: [Int32] = []
    private var cachedStepRanges: [Range<Int>]?

    /// Allocates zeroed value and gradient buffers for `layout`.
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

    /// The layout's views.
    public var views: [ParameterView] { layout.views }

    /// The first value of `view`.
    public func value(_ view: ParameterView) -> UnsafeMutablePointer<Float> { values + view.offset }
    /// The first gradient of `view`.
    public func gradient(_ view: ParameterView) -> UnsafeMutablePointer<Float> { gradients + view.offset }

    /// Declares `view` (trainable) row-sparse: from now on only rows passed to `markRows` take
    /// part in a step.
    ///
    /// - Precondition: `view` is trainable and belongs to this store.
    public func makeRowSparse(_ view: ParameterView) {
        precondition(view.trainable && view.range.upperBound <= layout.count, "row-sparse view must be trainable and in the store")
        sparseView = view
        isTouched = [Bool](repeating: false, count: view.rows)
        touchedRows = []
        cachedStepRanges = nil
    }

    /// Records that the gradient of `view`'s rows `ids` may be non-zero (no-op unless `view` is the
    /// row-sparse view).
    public func markRows(_ view: ParameterView, ids: UnsafePointer<Int32>, count n: Int) {
        guard view == sparseView else { return }
        for i in 0..<n where !isTouched[Int(ids[i])] {
            isTouched[Int(ids[i])] = true
            touchedRows.append(ids[i])
        }
        cachedStepRanges = nil
    }

    /// Rows of the row-sparse view marked since the last `zeroGradients()`, in marking order.
    public var markedRows: [Int32] { touchedRows }

    /// The index ranges a step reads and updates: the trainable ranges, with the row-sparse view
    /// (if any) cut down to the rows marked since the last `zeroGradients()`.
    public var stepRanges: [Range<Int>] {
        guard let sparse = sparseView else { return trainableRanges }
        if let cachedStepRanges { return cachedStepRanges }
        var ranges: [Range<Int>] = []
        for range in trainableRanges {
            if range.lowerBound < sparse.offset { ranges.append(range.lowerBound..<min(range.upperBound, sparse.offset)) }
            if range.upperBound > sparse.range.upperBound { ranges.append(max(range.lowerBound, sparse.range.upperBound)..<range.upperBound) }
        }
        for row in touchedRows.sorted() {
            let start = sparse.offset + Int(row) * sparse.cols
            if let last = ranges.last, last.upperBound == start {
                ranges[ranges.count - 1] = last.lowerBound..<start + sparse.cols
            } else {
                ranges.append(start..<start + sparse.cols)
            }
        }
        cachedStepRanges = ranges
        return ranges
    }

    /// Sets the gradients to zero (for a row-sparse view, only its marked rows) and clears the marks.
    public func zeroGradients() {
        guard let sparse = sparseView else {
            gradients.update(repeating: 0, count: count)
            return
        }
        gradients.update(repeating: 0, count: sparse.offset)
        (gradients + sparse.range.upperBound).update(repeating: 0, count: count - sparse.range.upperBound)
        for row in touchedRows {
            (gradients + sparse.offset + Int(row) * sparse.cols).update(repeating: 0, count: sparse.cols)
            isTouched[Int(row)] = false
        }
        touchedRows.removeAll(keepingCapacity: true)
        cachedStepRanges = nil
    }

    /// Global L2 norm of the trainable gradients (accumulated in Double).
    public func gradientNorm() -> Double {
        // Sums of squares by the vector kernel in chunks of 4096, added in Double: OpenBLAS's snrm2
        // rescales as it goes and took 2.5% of small-LSTM training.
        // snrm2 stays as the fallback where squares overflow Float (gradients above ~1e19).
        var sum = 0.0
        for range in stepRanges {
            var start = range.lowerBound
            while start < range.upperBound {
                let n = min(4096, range.upperBound - start)
                var squares = Double(VectorMath.dot(gradients + start, gradients + start, n))
                if !squares.isFinite {
                    let norm = Double(cblas_snrm2(Int32(n), gradients + start, 1))
                    squares = norm * norm
                }
                sum += squares
                start += n
            }
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
            for range in stepRanges {
                cblas_sscal(Int32(range.count), scale, gradients + range.lowerBound, 1)
            }
        }
        return norm
    }

    /// Copies every value from another store of the same layout.
    ///
    /// - Precondition: `other.count == count`.
    public func copyValues(from other: ParameterStore) {
        precondition(other.count == count)
        values.update(from: other.values, count: count)
    }
}
