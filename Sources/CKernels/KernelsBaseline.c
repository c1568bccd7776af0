// The kernels for any CPU of the architecture: SSE2 on x86-64, NEON on arm64.
#define LEXIS_TABLE lexis_kernels_baseline_table
#if defined(__aarch64__)
#define LEXIS_TABLE_LABEL "neon"
#define LEXIS_HALF_NATIVE 1
#else
#define LEXIS_TABLE_LABEL "baseline"
#define LEXIS_HALF_NATIVE 0
#endif
#define VW 8
#include "KernelBodies.h"
