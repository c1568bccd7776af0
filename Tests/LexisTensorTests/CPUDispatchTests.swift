// The kernel choice (pure functions: no real CPU needed) and agreement of every compiled kernel
// table this CPU can run with the portable baseline table.
import CKernels
import LexisTensor
import LexisTestSupport
import Testing

@Suite struct KernelChoiceTests {
    #if arch(x86_64)
    @Test func bestPathFollowsTheFeatures() {
        #expect(KernelPath.choose(features: [], request: nil).path == .baseline)
        #expect(KernelPath.choose(features: [.avx2, .fma], request: nil).path == .baseline)   // no F16C
        #expect(KernelPath.choose(features: .avx2Class, request: nil).path == .avx2)
        #expect(KernelPath.choose(features: [.avx2Class, .avx512f], request: nil).path == .avx2)  // F alone is not enough
        #expect(KernelPath.choose(features: .avx512Class, request: nil).path == .avx512)
        #expect(KernelPath.choose(features: .avx512Class, request: "auto").path == .avx512)
        #expect(KernelPath.choose(features: .avx512Class, request: "").path == .avx512)
    }

    @Test func requestsAreCappedByTheCPU() {
        #expect(KernelPath.choose(features: .avx512Class, request: "baseline").path == .baseline)
        #expect(KernelPath.choose(features: .avx512Class, request: "AVX2").path == .avx2)
        #expect(KernelPath.choose(features: .avx2Class, request: "avx512").path == .avx2)
        #expect(KernelPath.choose(features: [], request: "avx2").path == .baseline)
        let bogus = KernelPath.choose(features: .avx2Class, request: "sse9")
        #expect(bogus.path == .avx2 && bogus.unknownRequest)
        #expect(!KernelPath.choose(features: .avx2Class, request: "baseline").unknownRequest)
    }
    #else
    @Test func armRunsTheNeonBaseline() {
        #expect(KernelPath.choose(features: .neon, request: nil).path == .baseline)
        #expect(KernelPath.choose(features: .neon, request: "avx2").path == .baseline)
    }
    #endif

    @Test func blasCoreIsCorrectedOnlyWhereItGuessedBadly() {
        let pick = BLASKernels.preferredCoreType
        // Generic fallbacks of CPU models OpenBLAS 0.3.21 does not know.
        #expect(pick("Prescott", .avx512Class, nil) == "SKYLAKEX")
        #expect(pick("Core2", .avx512Class, nil) == "SKYLAKEX")
        #expect(pick("Prescott", .avx2Class, nil) == "HASWELL")
        #expect(pick("Sandybridge", .avx2Class, nil) == "HASWELL")
        #expect(pick("Nehalem", .avx2Class, nil) == "HASWELL")
        // AVX2 kernels on an AVX-512 CPU (0.3.21 maps AMD Zen 4 to Haswell or Zen).
        #expect(pick("Haswell", .avx512Class, nil) == "SKYLAKEX")
        #expect(pick("Zen", .avx512Class, nil) == "SKYLAKEX")
        // Already right.
        #expect(pick("SkylakeX", .avx512Class, nil) == nil)
        #expect(pick("Cooperlake", .avx512Class, nil) == nil)
        #expect(pick("SapphireRapids", .avx512Class, nil) == nil)
        #expect(pick("Haswell", .avx2Class, nil) == nil)
        #expect(pick("Zen", .avx2Class, nil) == nil)
        #expect(pick("Prescott", [], nil) == nil)              // an old CPU: Prescott is its best
        #expect(pick("Prescott", [.avx2, .fma], nil) == nil)   // no F16C: not a Haswell-class CPU
        // A user's own choice is never overridden, whatever it is.
        #expect(pick("Prescott", .avx512Class, "PRESCOTT") == nil)
        #expect(pick("Haswell", .avx512Class, "Haswell") == nil)
    }

    @Test func activePathIsOneThisCPUCanRun() {
        let best = KernelPath.choose(features: .current, request: nil).path
        let order: [KernelPath] = [.baseline, .avx2, .avx512]
        #expect(order.firstIndex(of: KernelPath.active)! <= order.firstIndex(of: best)!)
    }
}

/// Every table this CPU supports against the baseline table, on the same inputs. FMA, lane count
/// and summation order differ between tables, so results agree to rounding, not bit for bit.
@Suite struct KernelTableAgreementTests {
    static var tables: [(String, lexis_kernel_table)] {
        let best = KernelPath.choose(features: .current, request: nil).path
        var levels = [LEXIS_KERNELS_BASELINE]
        if best != .baseline { levels.append(LEXIS_KERNELS_AVX2) }
        if best == .avx512 { levels.append(LEXIS_KERNELS_AVX512) }
        return levels.compactMap { level in lexis_kernel_table_for(level).map { (String(cString: $0.pointee.name), $0.pointee) } }
    }

    static func values(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Float(state >> 40) / Float(1 << 24) - 0.5) * 2 * scale
        }
    }

    static func close(_ a: [Float], _ b: [Float], tolerance: Float) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test func tablesAreCompiledForThisCPU() {
        #expect(!Self.tables.isEmpty)
        #if arch(x86_64)
        if CPUFeatureSet.current.isSuperset(of: .avx2Class) { #expect(Self.tables.count >= 2) }
        #endif
    }

    @Test func elementWiseAndRecurrentKernelsAgree() {
        let n = 1003   // not a multiple of 8 or 16: tails run too
        let x = Self.values(n, seed: 1, scale: 6)
        let (_, base) = Self.tables[0]
        func map(_ t: lexis_kernel_table, _ f: (lexis_kernel_table) -> (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void) -> [Float] {
            var y = [Float](repeating: 0, count: n)
            f(t)(x, &y, n)
            return y
        }
        let batch = 3, hidden = 37
        let gates = Self.values(batch * 4 * hidden, seed: 2, scale: 3), c = Self.values(batch * hidden, seed: 3)
        let dh = Self.values(batch * hidden, seed: 4), dc = Self.values(batch * hidden, seed: 5)
        func lstm(_ t: lexis_kernel_table) -> [Float] {
            var g = gates, cn = c, tc = c, hn = c, dcNext = dc
            var dGates = [Float](repeating: 0, count: gates.count)
            t.lstm_forward(&g, c, &cn, &tc, &hn, batch, hidden)
            t.lstm_backward(g, c, tc, dh, &dcNext, &dGates, batch, hidden)
            return g + cn + tc + hn + dcNext + dGates
        }
        for (name, table) in Self.tables.dropFirst() {
            #expect(Self.close(map(table) { $0.exp }, map(base) { $0.exp }, tolerance: 1e-6), "\(name) exp")
            #expect(Self.close(map(table) { $0.sigmoid }, map(base) { $0.sigmoid }, tolerance: 1e-6), "\(name) sigmoid")
            #expect(Self.close(map(table) { $0.tanh }, map(base) { $0.tanh }, tolerance: 1e-6), "\(name) tanh")
            #expect(map(table) { $0.relu } == map(base) { $0.relu }, "\(name) relu")
            #expect(Self.close(lstm(table), lstm(base), tolerance: 1e-5), "\(name) lstm")
            #expect(table.max(x, n) == base.max(x, n), "\(name) max")
            var y1 = [Float](repeating: 0, count: n), y2 = y1
            let s1 = table.exp_shifted_sum(x, &y1, n, 6), s2 = base.exp_shifted_sum(x, &y2, n, 6)
            #expect(abs(s1 - s2) <= 1e-5 * s2 && Self.close(y1, y2, tolerance: 1e-6), "\(name) exp_shifted_sum")
            #expect(abs(table.sum_exp(x, n, 6) - s2) <= 1e-5 * s2, "\(name) sum_exp")
            let w = Self.values(n, seed: 9)
            #expect(abs(table.dot(x, w, n) - base.dot(x, w, n)) <= 1e-4, "\(name) dot")
            var a1 = w, a2 = w
            table.axpy(0.3, x, &a1, n); base.axpy(0.3, x, &a2, n)
            #expect(Self.close(a1, a2, tolerance: 1e-6), "\(name) axpy")
            table.multiply_add(x, w, &a1, n); base.multiply_add(x, w, &a2, n)
            #expect(Self.close(a1, a2, tolerance: 1e-6), "\(name) multiply_add")
        }
    }

    @Test func halfPrecisionDotsAgreeWithFloatConversion() {
        let rows = 5, d = 37
        var halves = Self.values(rows * d, seed: 7).map { Float16($0) }
        halves[3] = Float16(6e-6)          // a subnormal half
        halves[4] = -Float16(0)
        let query = Self.values(d, seed: 8)
        var expected = [Float](repeating: 0, count: rows)
        for r in 0..<rows { for j in 0..<d { expected[r] += Float(halves[r * d + j]) * query[j] } }
        for (name, table) in Self.tables {
            var out = [Float](repeating: 0, count: rows)
            halves.withUnsafeBytes { raw in
                table.half_dot_rows(raw.bindMemory(to: UInt16.self).baseAddress, rows, d, query, &out)
            }
            #expect(Self.close(out, expected, tolerance: 1e-5), "\(name): \(out) vs \(expected)")
        }
    }

    /// Every table rounds floats to halves exactly as Swift's Float16(x) does (to nearest even),
    /// over normals, values on rounding ties, subnormals, overflow, infinities and NaN.
    @Test func floatsToHalvesMatchSwiftsConversion() {
        var inputs = Self.values(1000, seed: 11) + Self.values(1000, seed: 12, scale: 70000) + Self.values(200, seed: 13, scale: 1e-5)
        inputs += [0, -0, 1, -1, 65504, 65519.99, 65520, -65520, 1e-8, -1e-8, 5.9604645e-8, 2.9802322e-8,
                   6.1035156e-5, 6.1035152e-5, 1 + 1.0 / 2048, 1 + 3.0 / 2048, .infinity, -.infinity, .nan,
                   .greatestFiniteMagnitude, .leastNonzeroMagnitude]
        for (name, table) in Self.tables {
            var out = [UInt16](repeating: 0, count: inputs.count)
            table.floats_to_halves(inputs, inputs.count, &out)
            for (x, bits) in zip(inputs, out) {
                let expected = Float16(x)
                let got = Float16(bitPattern: bits)
                #expect(expected.isNaN ? got.isNaN : got.bitPattern == expected.bitPattern,
                        "\(name): \(x) -> \(got) (0x\(String(bits, radix: 16))), Swift \(expected)")
            }
        }
    }
}
