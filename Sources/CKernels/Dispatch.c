// The one place that decides which kernels run (see CKernels.h).
#define LEXIS_KERNELS_WRITER  // defines lexis_kernels writable; everyone else sees it const
#include "CKernels.h"
#include <stdlib.h>
#include <strings.h>

extern const lexis_kernel_table lexis_kernels_baseline_table;
#if defined(__x86_64__)
extern const lexis_kernel_table lexis_kernels_avx2_table;
extern const lexis_kernel_table lexis_kernels_avx512_table;
#endif

unsigned lexis_cpu_features(void) {
    unsigned f = 0;
#if defined(__x86_64__)
    // __builtin_cpu_supports also checks that the OS saves the wider registers (xgetbv).
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) f |= LEXIS_CPU_AVX2;
    if (__builtin_cpu_supports("fma")) f |= LEXIS_CPU_FMA;
    if (__builtin_cpu_supports("f16c")) f |= LEXIS_CPU_F16C;
    if (__builtin_cpu_supports("avx512f")) f |= LEXIS_CPU_AVX512F;
    if (__builtin_cpu_supports("avx512bw")) f |= LEXIS_CPU_AVX512BW;
    if (__builtin_cpu_supports("avx512dq")) f |= LEXIS_CPU_AVX512DQ;
    if (__builtin_cpu_supports("avx512vl")) f |= LEXIS_CPU_AVX512VL;
#elif defined(__aarch64__)
    f |= LEXIS_CPU_NEON;
#endif
    return f;
}

lexis_kernel_level lexis_kernels_choose(unsigned features, const char *request, int *unknown) {
    const unsigned avx2 = LEXIS_CPU_AVX2 | LEXIS_CPU_FMA | LEXIS_CPU_F16C;
    const unsigned avx512 = avx2 | LEXIS_CPU_AVX512F | LEXIS_CPU_AVX512BW | LEXIS_CPU_AVX512DQ | LEXIS_CPU_AVX512VL;
    lexis_kernel_level best = LEXIS_KERNELS_BASELINE;
#if defined(__x86_64__)
    if ((features & avx512) == avx512) best = LEXIS_KERNELS_AVX512;
    else if ((features & avx2) == avx2) best = LEXIS_KERNELS_AVX2;
#else
    (void)avx512;
#endif
    if (unknown) *unknown = 0;
    if (request == NULL || *request == 0 || strcasecmp(request, "auto") == 0) return best;
    lexis_kernel_level wanted;
    if (strcasecmp(request, "baseline") == 0 || strcasecmp(request, "neon") == 0) wanted = LEXIS_KERNELS_BASELINE;
    else if (strcasecmp(request, "avx2") == 0) wanted = LEXIS_KERNELS_AVX2;
    else if (strcasecmp(request, "avx512") == 0) wanted = LEXIS_KERNELS_AVX512;
    else {
        if (unknown) *unknown = 1;
        return best;
    }
    return wanted < best ? wanted : best;
}

const lexis_kernel_table *lexis_kernel_table_for(lexis_kernel_level level) {
    switch (level) {
    case LEXIS_KERNELS_BASELINE: return &lexis_kernels_baseline_table;
#if defined(__x86_64__)
    case LEXIS_KERNELS_AVX2: return &lexis_kernels_avx2_table;
    case LEXIS_KERNELS_AVX512: return &lexis_kernels_avx512_table;
#endif
    default: return NULL;
    }
}

lexis_kernel_table lexis_kernels;
static lexis_kernel_level chosen_level;
static int request_unknown;

// Before main (and before any Swift code) runs, so a kernel call never sees an empty table.
__attribute__((constructor)) static void lexis_kernels_init(void) {
    chosen_level = lexis_kernels_choose(lexis_cpu_features(), getenv("LEXIS_KERNELS"), &request_unknown);
    lexis_kernels = *lexis_kernel_table_for(chosen_level);
}

lexis_kernel_level lexis_kernels_level(void) { return chosen_level; }
int lexis_kernels_request_unknown(void) { return request_unknown; }

float *lexis_scratch_floats(long count) {
    static _Thread_local float *buffer;
    static _Thread_local long capacity;
    if (count > capacity) {
        free(buffer);
        capacity = count > 2 * capacity ? count : 2 * capacity;
        buffer = malloc((size_t)capacity * sizeof(float));
        if (buffer == NULL) abort();  // a few hundred KB: out of memory is not recoverable here
    }
    return buffer;
}
