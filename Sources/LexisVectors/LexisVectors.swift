// LexisVectors: placeholder until its issue lands.
