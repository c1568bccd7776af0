// The umbrella module: `import Lexis` brings in every stage.
@_exported import LexisText
@_exported import LexisRandom
@_exported import LexisVocab
@_exported import LexisPhrases
@_exported import LexisTensor
@_exported import LexisVectors
@_exported import LexisWord2Vec
@_exported import LexisRecurrent

/// The release of this library, as tagged in its repository.
public enum LexisVersion {
    public static let string = "0.1.0"
}
