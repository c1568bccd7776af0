// Small C helpers Swift cannot express: cache prefetch hints for the word2vec kernels.
#pragma once

/// Asks the CPU to start loading the cache lines of `bytes` bytes at `p` (for reading and writing
/// soon); a hint only, never a fault.
static inline void lexis_prefetch(const void *p, long bytes) {
    const char *c = (const char *)p;
    for (long i = 0; i < bytes; i += 64) __builtin_prefetch(c + i, 1, 3);
}
