// Initializers and dropout draw from the shared generator; its users need not import it.
@_exported import LexisRandom
