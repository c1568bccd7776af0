// The kernels for x86-64 CPUs with AVX-512 F, BW, DQ and VL (Intel Skylake-SP, AMD Zen 4 and later):
// 16-lane element-wise kernels; word2vec rows take one register per 16 floats.
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma,f16c"))), apply_to = function)
#define LEXIS_TABLE lexis_kernels_avx512_table
#define LEXIS_TABLE_LABEL "avx512"
#define LEXIS_HALF_NATIVE 1
#define VW 16
#include "KernelBodies.h"
#pragma clang attribute pop
#endif
