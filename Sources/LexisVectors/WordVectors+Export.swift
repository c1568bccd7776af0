// TensorBoard Embedding Projector files: vectors.tsv (tab-separated values, one row per word)
// and metadata.tsv (one word per line; a single column has no header line; with corpus counts it
// is two columns under a `word<TAB>count` header, the projector's multi-column form).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LexisText

extension WordVectors {
    /// Writes `vectors.tsv` and `metadata.tsv` for the first `top` words (all when nil) into
    /// `directory`, creating it if needed. Returns the number of rows written.
    ///
    /// `metadata.tsv` has one word per line, or `word<TAB>count` columns under a header when the
    /// vectors have counts. Tabs and line breaks inside words become spaces.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)` when the directory cannot be created (its
    ///   parent must exist) or a file cannot be written.
    @discardableResult
    public func exportProjector(to directory: String, top: Int? = nil) throws(LexisError) -> Int {
        if !FileIO.isDirectory(directory) {
            guard mkdir(directory, 0o755) == 0 else {
                throw .cannotWrite(path: directory, reason: String(cString: strerror(errno)) + " (create the parent folder first)")
            }
        }
        let rows = searchRows(top)
        let vectorsFile = try AtomicFileWriter(path: directory + "/vectors.tsv")
        let metadataFile = try AtomicFileWriter(path: directory + "/metadata.tsv")
        if counts != nil { try metadataFile.write("word\tcount\n") }
        var line: [UInt8] = []
        for row in 0..<rows {
            line.removeAll(keepingCapacity: true)
            for j in 0..<dimension {
                if j > 0 { line.append(9) }
                line.append(contentsOf: storage.base[row * dimension + j].description.utf8)
            }
            line.append(10)
            try vectorsFile.write(line)
            // Tabs and line breaks inside a word would break the TSV.
            let word = String(words[row].map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
            try metadataFile.write(counts.map { word + "\t\($0[row])\n" } ?? word + "\n")
        }
        try vectorsFile.commit()
        try metadataFile.commit()
        return rows
    }
}
