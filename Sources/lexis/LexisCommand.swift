import ArgumentParser

@main
struct LexisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexis",
        abstract: "Word vectors and recurrent neural models: tokenize, build vocabularies, train, query.",
        version: "0.1.0",
        subcommands: [TokenizeCommand.self, VocabCommand.self, TrainCommand.self,
                      NeighborsCommand.self, AnalogyCommand.self, SimilarityCommand.self, DoesntMatchCommand.self,
                      ConvertCommand.self, EvalCommand.self, ExportCommand.self, PlotCommand.self, LMCommand.self,
                      ClassifyCommand.self])
}
