// Builds the list of views before the flat buffers exist; `ParameterStore(layout:)` then
// allocates once. Views are laid out back to back, each starting on a 16-float boundary so rows of
// every matrix can be loaded with aligned vector loads.

public struct ParameterLayout: Sendable {
    public private(set) var views: [ParameterView] = []
    public private(set) var count = 0

    public init() {}

    /// Adds a `rows x cols` view named `name` and returns it.
    public mutating func add(_ name: String, rows: Int, cols: Int, trainable: Bool = true) -> ParameterView {
        precondition(!views.contains { $0.name == name }, "duplicate parameter name \(name)")
        let start = (count + 15) / 16 * 16
        let view = ParameterView(name: name, offset: start, rows: rows, cols: cols, trainable: trainable)
        views.append(view)
        count = start + view.count
        return view
    }

    public func view(named name: String) -> ParameterView? { views.first { $0.name == name } }
}
