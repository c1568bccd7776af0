// LexisTensor: placeholder until its issue lands.
