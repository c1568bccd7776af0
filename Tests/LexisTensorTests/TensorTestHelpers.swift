// Small helpers for the tensor tests: random arrays and pointer access.
import LexisTensor

func randomArray(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = RandomGenerator(seed: seed)
    return (0..<n).map { _ in rng.uniform(-scale, scale) }
}

/// A store with one view per (name, rows, cols), filled with uniform(-scale, scale).
func makeStore(_ shapes: [(String, Int, Int)], seed: UInt64 = 7, scale: Float = 0.5) -> (ParameterStore, [ParameterView]) {
    var layout = ParameterLayout()
    let views = shapes.map { layout.add($0.0, rows: $0.1, cols: $0.2) }
    let store = ParameterStore(layout: layout)
    var rng = RandomGenerator(seed: seed)
    for v in views { Initializer.uniform(store, v, scale: scale, rng: &rng) }
    return (store, views)
}

/// Analytic gradient entries of `indices` as Double.
func analytic(_ store: ParameterStore, _ indices: [Int]) -> [Double] {
    indices.map { Double(store.gradients[$0]) }
}
