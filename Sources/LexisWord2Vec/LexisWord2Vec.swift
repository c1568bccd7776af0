// LexisWord2Vec: placeholder until its issue lands.
