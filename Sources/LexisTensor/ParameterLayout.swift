// Builds the list of views before the flat buffers exist; `ParameterStore(layout:)` then
// allocates once. Views are laid out back to back, each starting on a 16-float boundary so rows of
// every matrix can be loaded with aligned vector loads.

/// The list of a model's parameter views, built before the flat buffers exist; pass it to
/// ``ParameterStore/init(layout:)`` to allocate them once.
///
/// Views are laid out back to back, each starting on a 16-float boundary.
public struct ParameterLayout: Sendable {
    /// The views, in the order they were added.
    public private(set) var views: [ParameterView] = []
    /// Floats the layout needs, padding included.
    public private(set) var count = 0

    /// An empty layout.
    public init() {}

    /// Adds a `rows x cols` view named `name` and returns it.
    ///
    /// - Parameter trainable: False for a frozen view: no optimizer updates, no clipping.
    /// - Precondition: No view is already named `name`.
    public mutating func add(_ name: String, rows: Int, cols: Int, trainable: Bool = true) -> ParameterView {
        precondition(!views.contains { $0.name == name }, "duplicate parameter name \(name)")
        let start = (count + 15) / 16 * 16
        let view = ParameterView(name: name, offset: start, rows: rows, cols: cols, trainable: trainable)
        views.append(view)
        count = start + view.count
        return view
    }

    /// The view named `name`, or nil.
    public func view(named name: String) -> ParameterView? { views.first { $0.name == name } }
}
