// Lexis's hot numeric kernels in C, compiled once per instruction-set level and chosen at start-up.
//
// Why C: Swift has no per-function target attribute, so a Swift build for the x86-64 baseline
// turns SIMD FMA into library calls. Here every kernel body (KernelBodies.h) is compiled three
// times on x86-64 (baseline SSE2, AVX2+FMA, AVX-512) and once on arm64 (NEON). One function,
// `lexis_kernels_choose`, decides which table runs, from the CPU's features and the environment
// variable LEXIS_KERNELS (baseline | avx2 | avx512 | auto); `lexis_kernels` is that table.
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set levels, in increasing order. On arm64 only BASELINE exists (NEON is part of it).
typedef enum {
    LEXIS_KERNELS_BASELINE = 0,
    LEXIS_KERNELS_AVX2 = 1,
    LEXIS_KERNELS_AVX512 = 2,
} lexis_kernel_level;

/// CPU feature bits, as `lexis_cpu_features` reports them.
enum {
    LEXIS_CPU_AVX2 = 1 << 0,
    LEXIS_CPU_FMA = 1 << 1,
    LEXIS_CPU_F16C = 1 << 2,
    LEXIS_CPU_AVX512F = 1 << 3,
    LEXIS_CPU_AVX512BW = 1 << 4,
    LEXIS_CPU_AVX512DQ = 1 << 5,
    LEXIS_CPU_AVX512VL = 1 << 6,
    LEXIS_CPU_NEON = 1 << 7,
};

/// The features of this CPU that the OS also enables (x86: cpuid and xgetbv via the compiler).
unsigned lexis_cpu_features(void);

/// The level to run for `features` when LEXIS_KERNELS is `request` (NULL or "auto": the best the
/// features allow). A request above what the CPU has gets the best it has. Sets *unknown to 1 when
/// `request` is not a level name. Pure: no CPU or environment is read.
lexis_kernel_level lexis_kernels_choose(unsigned features, const char *request, int *unknown);

/// Sigmoid and log-sigmoid tables for word2vec (linear interpolation over [-range, range]).
typedef struct {
    const float *sigmoid;
    const float *log_sigmoid;
    float scale;
    float range;
} lexis_sigmoid_table;

/// One set of kernels. Shapes follow the Swift wrappers that call them (Word2VecKernels,
/// VectorMath, CellKernels, Softmax). `n` counts floats; word2vec rows are `stride` floats,
/// a multiple of 16, 64-byte aligned.
typedef struct {
    const char *name;

    // word2vec (Word2VecKernels.swift explains the update order)
    double (*w2v_skipgram)(const int32_t *contexts, long context_count, const int32_t *targets, long target_count,
                           float *input, float *output, long stride, float alpha,
                           float *g, float *input_gradients, const lexis_sigmoid_table *table);
    double (*w2v_skipgram_pair)(int32_t context, const int32_t *targets, long target_count,
                                float *input, float *output, long stride, float alpha,
                                float *input_gradient, const lexis_sigmoid_table *table);
    double (*w2v_cbow)(const int32_t *contexts, long context_count, const int32_t *targets, long target_count,
                       float *input, float *output, long stride, float alpha,
                       float *hidden, float *input_gradient, const lexis_sigmoid_table *table);
    double (*w2v_cbow_deferred)(const int32_t *contexts, long context_count, float *const *targets, long target_count,
                                float *input, long stride, float alpha, float *hidden, float *input_gradient,
                                float *target_scales, const lexis_sigmoid_table *table);
    double (*w2v_subword_skipgram)(const int32_t *rows, long row_count, const int32_t *targets, long target_count,
                                   long positive_count, float negative_weight, float *input, float *output, long stride,
                                   float alpha, float *hidden, float *input_gradient, const lexis_sigmoid_table *table);

    // element-wise maps (y may alias x)
    void (*exp)(const float *x, float *y, long n);
    void (*sigmoid)(const float *x, float *y, long n);
    void (*tanh)(const float *x, float *y, long n);
    void (*relu)(const float *x, float *y, long n);
    // backward from saved outputs: dx += dy * f'(x)
    void (*sigmoid_backward)(const float *y, const float *dy, float *dx, long n);
    void (*tanh_backward)(const float *y, const float *dy, float *dx, long n);
    void (*relu_backward)(const float *y, const float *dy, float *dx, long n);

    // recurrent cells, gate order (i, f, g, o)
    void (*lstm_forward)(float *gates, const float *c, float *c_new, float *tanh_c, float *h_new, long batch, long hidden);
    void (*lstm_backward)(const float *gates, const float *c, const float *tanh_c, const float *dh, float *dc_next,
                          float *d_gates, long batch, long hidden);
    void (*rnn_backward)(const float *h, const float *dh, float *d_gates, long n);

    // reductions and BLAS-1 helpers
    float (*max)(const float *x, long n);
    double (*exp_shifted_sum)(const float *x, float *y, long n, float shift);  // y = exp(x - shift); returns the sum
    double (*sum_exp)(const float *x, long n, float shift);
    void (*scale)(float *x, long n, float a);
    void (*multiply)(const float *x, const float *m, float *y, long n);       // y = x * m
    void (*multiply_add)(const float *x, const float *m, float *y, long n);   // y += x * m
    void (*axpy)(float a, const float *x, float *y, long n);                  // y += a * x
    float (*dot)(const float *x, const float *y, long n);

    // vector search: out[r] = dot(rows[r], query) for `rows` IEEE half-precision rows of `d` values
    void (*half_dot_rows)(const uint16_t *rows, long row_count, long d, const float *query, float *out);
    // dst[i] = src[i] as an IEEE half, rounded to nearest even (as Swift's Float16(x))
    void (*floats_to_halves)(const float *src, long n, uint16_t *dst);

    // C = beta * C + A * B, row-major, A [m x k], B [k x n]; for m up to ~32 (recurrent steps)
    void (*gemm_small_m)(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                         float beta, float *c, long ldc);
} lexis_kernel_table;

/// A per-thread scratch buffer of at least `count` floats, reused across calls (kernels only).
float *lexis_scratch_floats(long count);

/// The table in use; chosen before main runs (a constructor in Dispatch.c, the only writer),
/// never changed after, hence const to every reader (Swift imports it as a `let`).
#ifndef LEXIS_KERNELS_WRITER
extern const lexis_kernel_table lexis_kernels;
#endif
/// The level of `lexis_kernels`.
lexis_kernel_level lexis_kernels_level(void);
/// 1 when LEXIS_KERNELS held a value that is not a level name (the best level runs then).
int lexis_kernels_request_unknown(void);

/// The tables compiled into this binary (NULL where the architecture has none).
const lexis_kernel_table *lexis_kernel_table_for(lexis_kernel_level level);

/// Asks the CPU to start loading the cache lines of `bytes` bytes at `p` (for reading and writing
/// soon); a hint only, never a fault. Into L2, not L1 (locality 2: prefetcht1): word2vec asks for
/// ~50 lines per center, more than L1 can have in flight, and prefetches into L1 then held up the
/// demand loads. On an AMD EPYC (Zen 4) this made CBOW 15% faster, skip-gram 7-10%, subword CBOW
/// 20%, deterministic CBOW 15% (BENCHMARKS.md round 11).
static inline void lexis_prefetch(const void *p, long bytes) {
    const char *c = (const char *)p;
    for (long i = 0; i < bytes; i += 64) __builtin_prefetch(c + i, 1, 2);
}

/// Adds 1 to `*counter` and returns its value before, atomically (threads taking work in turn).
static inline long lexis_take_next(long *counter) {
    return __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

#ifdef __cplusplus
}
#endif
