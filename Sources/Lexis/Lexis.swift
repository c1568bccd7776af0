// The umbrella module: `import Lexis` brings in every stage.
@_exported import LexisText
@_exported import LexisRandom
@_exported import LexisVocab
@_exported import LexisTensor
@_exported import LexisVectors
@_exported import LexisWord2Vec
@_exported import LexisRecurrent
