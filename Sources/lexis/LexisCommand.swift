import ArgumentParser
import Lexis
#if canImport(Glibc)
import Glibc
#endif

@main
struct LexisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexis",
        abstract: "Word vectors and recurrent neural models: tokenize, build vocabularies, train, query.",
        version: versionText,
        subcommands: [TokenizeCommand.self, VocabCommand.self, PhrasesCommand.self, TrainCommand.self,
                      NeighborsCommand.self, AnalogyCommand.self, SimilarityCommand.self, DoesntMatchCommand.self,
                      VectorsCommand.self, ConvertCommand.self, EvalCommand.self, ExportCommand.self, PlotCommand.self, LMCommand.self,
                      ClassifyCommand.self])

    /// `lexis --version`: the release, and which compiled code runs on this CPU.
    static var versionText: String {
        """
        lexis \(LexisVersion.string)
        kernels: \(KernelPath.active.displayName) (CPU features: \(CPUFeatureSet.current); LEXIS_KERNELS=baseline forces the portable path)
        OpenBLAS: \(BLASKernels.coreName) kernels, \(Matmul.threads) threads
        ICU text path for Chinese, Japanese and Thai runs: \(ICUTextPath.summary)
        """
    }

    static func main() {
        // Before anything else: this may start the program again with better OpenBLAS kernels.
        BLASKernels.reexecWithPreferredKernels()
        if KernelPath.requestWasUnknown, let request = getenv("LEXIS_KERNELS") {
            printError("warning: LEXIS_KERNELS=\(String(cString: request)) is not one of auto, baseline, avx2, avx512; "
                       + "running the \(KernelPath.active.displayName) kernels")
        }
        main(nil)
    }
}
