// LexisRecurrent: placeholder until its issue lands.
