// CPU feature flags (Linux: /proc/cpuinfo), to pick BLAS kernels.
#if canImport(Glibc)
import Glibc
#endif

public enum CPUFeatures {
    /// AVX-512 F, BW, DQ and VL: what OpenBLAS's SkylakeX kernels need.
    public static let hasAVX512: Bool = {
        #if os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            let text = String(cString: line!)
            guard text.hasPrefix("flags") else { continue }
            let flags = Set(text.split(separator: " ").map { $0.trimmingSuffix() })
            return ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy { flags.contains($0) }
        }
        return false
        #else
        return false
        #endif
    }()
}

private extension Substring {
    func trimmingSuffix() -> String {
        var s = self
        while let last = s.last, last == "\n" || last == "\t" || last == " " { s = s.dropLast() }
        return String(s)
    }
}
