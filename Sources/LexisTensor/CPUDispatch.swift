// Which compiled code runs on this CPU: Lexis's own kernels (CKernels, chosen once before main)
// and OpenBLAS's (chosen by OpenBLAS when it loads, corrected here where it guesses badly).
// The choices are pure functions of a feature set and names, so tests check them without the CPU
// (the kernel choice through `KernelPath.choose`, in LexisTestSupport).
import CKernels
import CBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU features that decide which kernels can run.
public struct CPUFeatureSet: OptionSet, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let avx2 = CPUFeatureSet(rawValue: UInt32(LEXIS_CPU_AVX2))
    public static let fma = CPUFeatureSet(rawValue: UInt32(LEXIS_CPU_FMA))
    public static let f16c = CPUFeatureSet(rawValue: UInt32(LEXIS_CPU_F16C))
    public static let avx512f = CPUFeatureSet(rawValue: UInt32(LEXIS_CPU_AVX512F))
    public static let avx512bw = CPUFeatureSet(rawValue: UInt32(LEXIS_CPU_AVX512BW))
    public static let avx512dq = CPUFeatureSet(rawValue: UInt32(LEXIS_CPU_AVX512DQ))
    public static let avx512vl = CPUFeatureSet(rawValue: UInt32(LEXIS_CPU_AVX512VL))
    public static let neon = CPUFeatureSet(rawValue: UInt32(LEXIS_CPU_NEON))

    /// What Haswell-class kernels need.
    public static let avx2Class: CPUFeatureSet = [.avx2, .fma, .f16c]
    /// What OpenBLAS's SkylakeX kernels and Lexis's AVX-512 kernels need.
    public static let avx512Class: CPUFeatureSet = [.avx2Class, .avx512f, .avx512bw, .avx512dq, .avx512vl]

    /// The features of this CPU (and enabled by its OS).
    public static let current = CPUFeatureSet(rawValue: UInt32(lexis_cpu_features()))

    public var description: String {
        let names: [(CPUFeatureSet, String)] = [(.avx2, "avx2"), (.fma, "fma"), (.f16c, "f16c"), (.avx512f, "avx512f"),
                                                (.avx512bw, "avx512bw"), (.avx512dq, "avx512dq"), (.avx512vl, "avx512vl"),
                                                (.neon, "neon")]
        let present = names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "none" : present.joined(separator: " ")
    }
}

/// The instruction-set level of Lexis's own kernels (word2vec updates, recurrent gates, softmax,
/// vector search). Chosen once, before main, from the CPU and `LEXIS_KERNELS`
/// (`baseline`, `avx2`, `avx512` or `auto`); `LEXIS_KERNELS=baseline` forces the portable path.
public enum KernelPath: String, Sendable, CaseIterable {
    /// Any CPU of the architecture (SSE2 on x86-64; on arm64 this is the NEON path, named `neon`).
    case baseline
    case avx2
    case avx512

    /// The path this process runs.
    public static var active: KernelPath { KernelPath(lexis_kernels_level()) }

    /// True when `LEXIS_KERNELS` was set to a name that is not a path (the best path runs).
    public static var requestWasUnknown: Bool { lexis_kernels_request_unknown() != 0 }

    /// The name printed in banners: the path, or `neon` for the arm64 baseline.
    public var displayName: String {
        #if arch(arm64)
        if self == .baseline { return "neon" }
        #endif
        return rawValue
    }

    package init(_ level: lexis_kernel_level) {
        switch level {
        case LEXIS_KERNELS_AVX512: self = .avx512
        case LEXIS_KERNELS_AVX2: self = .avx2
        default: self = .baseline
        }
    }
}

/// OpenBLAS's kernel choice. OpenBLAS picks its kernels when it loads, from the CPU model or from
/// `OPENBLAS_CORETYPE`; a CPU model it does not know falls back to a generic core (`Prescott`,
/// `Core2`, ...), and 0.3.21 maps AVX-512 AMD Zen 4 to `Haswell`. Both cost 1.6x to 3x on matrix
/// products. `preferredCoreType` names the better kernels; `reexecWithPreferredKernels` applies it.
public enum BLASKernels {
    /// OpenBLAS cores whose kernels use AVX-512.
    static let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]
    /// OpenBLAS cores whose kernels use AVX2 and FMA.
    static let avx2Cores: Set<String> = ["haswell", "zen"]

    /// The kernel family OpenBLAS runs ("Haswell", "SkylakeX", "Prescott", ...).
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// The `OPENBLAS_CORETYPE` to run instead of `coreName` on a CPU with `features`, or nil to
    /// keep it: SKYLAKEX where the CPU has AVX-512 but OpenBLAS runs older kernels, HASWELL where
    /// the CPU has AVX2+FMA but OpenBLAS runs pre-AVX2 kernels. A user's own `OPENBLAS_CORETYPE`
    /// (`userCoreType` non-nil) is never overridden.
    public static func preferredCoreType(coreName: String, features: CPUFeatureSet, userCoreType: String?) -> String? {
        if userCoreType != nil { return nil }
        let core = coreName.lowercased()
        if features.isSuperset(of: .avx512Class) && !avx512Cores.contains(core) { return "SKYLAKEX" }
        if features.isSuperset(of: .avx2Class) && !avx512Cores.contains(core) && !avx2Cores.contains(core) {
            return "HASWELL"
        }
        return nil
    }

    /// For this process: the better core type, or nil (also when `LEXIS_BLAS_AUTO=0`).
    public static var preferredCoreTypeHere: String? {
        if let auto = getenv("LEXIS_BLAS_AUTO"), String(cString: auto) == "0" { return nil }
        return preferredCoreType(coreName: coreName, features: .current,
                                 userCoreType: getenv("OPENBLAS_CORETYPE").map { String(cString: $0) })
    }

    /// OpenBLAS reads `OPENBLAS_CORETYPE` only when it loads, so the only way to change its
    /// kernels is to start the program again: where `preferredCoreTypeHere` names better kernels,
    /// this sets the variable and re-executes the running program with the same arguments
    /// (Linux; the call does not return then). Call it first thing in `main`, before any output
    /// or threads. Returns normally when nothing needs changing or the exec failed.
    public static func reexecWithPreferredKernels() {
        #if os(Linux)
        guard let core = preferredCoreTypeHere else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv("LEXIS_BLAS_AUTO", "0", 1)   // never loop, whatever the new process's OpenBLAS reports
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        unsetenv("OPENBLAS_CORETYPE")        // exec failed: carry on with the kernels we have
        unsetenv("LEXIS_BLAS_AUTO")
        #endif
    }
}

/// One line on what runs: `kernels avx512 (cpu: avx2 fma ...), OpenBLAS SkylakeX kernels, 2 threads`.
public enum ComputeSummary {
    public static var line: String {
        "kernels \(KernelPath.active.displayName), OpenBLAS \(BLASKernels.coreName) kernels, \(Matmul.threads) BLAS threads"
    }
}
