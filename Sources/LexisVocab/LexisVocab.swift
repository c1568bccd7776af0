// LexisVocab: placeholder until its issue lands.
