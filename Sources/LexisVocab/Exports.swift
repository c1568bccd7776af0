// The stages after this one draw from the shared generator too.
@_exported import LexisRandom
