// The kernels for x86-64 CPUs with AVX2, FMA and F16C (Intel Haswell, AMD Zen and later).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#define LEXIS_TABLE lexis_kernels_avx2_table
#define LEXIS_TABLE_LABEL "avx2"
#define LEXIS_HALF_NATIVE 1
#define VW 8
#include "KernelBodies.h"
#pragma clang attribute pop
#endif
