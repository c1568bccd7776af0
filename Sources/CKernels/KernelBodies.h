// The kernel bodies, written once. Each Kernels*.c file includes this under its own target
// attribute and defines:
//   LEXIS_TABLE       name of the table it exports
//   LEXIS_TABLE_LABEL what `lexis --version` prints
//   VW                lanes of the element-wise kernels (8, or 16 with AVX-512)
//   LEXIS_HALF_NATIVE 1 when the target converts IEEE halves in hardware (F16C, NEON)
// Clang vector extensions map onto whatever registers the target has: one v16f is one zmm with
// AVX-512, two ymm with AVX2, four xmm on SSE2 or NEON. `a * b + c` fuses to FMA where the
// target has it (clang's default -ffp-contract=on).
#include <stddef.h>
#include <stdint.h>
#include "CKernels.h"

// The helpers below pass wide vectors by value; they are always inlined, so the ABI note is moot.
#pragma clang diagnostic ignored "-Wpsabi"
#define INLINE static inline __attribute__((always_inline))

typedef float v16f __attribute__((ext_vector_type(16)));
typedef float vf __attribute__((ext_vector_type(VW)));
typedef int32_t vi __attribute__((ext_vector_type(VW)));
typedef uint16_t vu16 __attribute__((ext_vector_type(VW)));

INLINE v16f ld16(const float *p) { v16f v; __builtin_memcpy(&v, p, sizeof v); return v; }
INLINE void st16(v16f v, float *p) { __builtin_memcpy(p, &v, sizeof v); }
INLINE vf ld(const float *p) { vf v; __builtin_memcpy(&v, p, sizeof v); return v; }
INLINE void st(vf v, float *p) { __builtin_memcpy(p, &v, sizeof v); }
INLINE vf splat(float x) { return (vf)(x); }

/// The first `count` (< VW) floats at p, the other lanes `fill`.
INLINE vf ld_partial(const float *p, long count, float fill) {
    float tmp[VW];
    for (int k = 0; k < VW; k++) tmp[k] = k < count ? p[k] : fill;
    return ld(tmp);
}

INLINE void st_partial(vf v, float *p, long count) {
    float tmp[VW];
    st(v, tmp);
    for (long k = 0; k < count; k++) p[k] = tmp[k];
}

/// Lanes of `a` where `mask` is set (all ones), else lanes of `b`.
INLINE vf select(vi mask, vf a, vf b) { return (vf)(((vi)a & mask) | ((vi)b & ~mask)); }

/// The sum of the lanes, as a tree (a lane-by-lane loop is a chain of VW dependent adds).
INLINE float hsum(vf v) {
#if VW == 16
    __typeof__(v.lo) a = v.lo + v.hi;
#else
    vf a = v;
#endif
    __typeof__(a.lo) b = a.lo + a.hi;
    return (b[0] + b[2]) + (b[1] + b[3]);
}

INLINE float hsum16(v16f v) {
    __typeof__(v.lo) a = v.lo + v.hi;
    __typeof__(a.lo) b = a.lo + a.hi;
    return (b[0] + b[2]) + (b[1] + b[3]);
}

// MARK: - word2vec

INLINE float dot16(const float *x, const float *y, long n) {
    v16f a = 0, b = 0;
    long i = 0;
    for (; i + 32 <= n; i += 32) {
        a += ld16(x + i) * ld16(y + i);
        b += ld16(x + i + 16) * ld16(y + i + 16);
    }
    if (i < n) a += ld16(x + i) * ld16(y + i);
    return hsum16(a + b);
}

/// y += a * x over a padded row.
INLINE void axpy16(float a, const float *x, float *y, long n) {
    for (long i = 0; i < n; i += 16) st16(ld16(y + i) + a * ld16(x + i), y + i);
}

INLINE float table_lookup(const float *values, const lexis_sigmoid_table *t, float x) {
    float u = (x + t->range) * t->scale;
    long i = (long)u;
    float f = u - (float)i;
    return values[i] + f * (values[i + 1] - values[i]);
}

INLINE float table_sigmoid(const lexis_sigmoid_table *t, float x) {
    if (x >= t->range) return 1;
    if (x <= -t->range) return 0;
    return table_lookup(t->sigmoid, t, x);
}

INLINE float table_log_sigmoid(const lexis_sigmoid_table *t, float x) {
    if (x >= t->range) return 0;
    if (x <= -t->range) return x;
    return table_lookup(t->log_sigmoid, t, x);
}

/// (label - sigma(f)) * alpha for one target given its logit f, adding its loss.
INLINE float gradient_scale(float f, int positive, float alpha, const lexis_sigmoid_table *t, float *loss) {
    if (positive) {
        *loss -= table_log_sigmoid(t, f);
        return (1 - table_sigmoid(t, f)) * alpha;
    }
    *loss -= table_log_sigmoid(t, -f);
    return -table_sigmoid(t, f) * alpha;
}

static double w2v_skipgram(const int32_t *contexts, long B, const int32_t *targets, long T,
                           float *input, float *output, long n, float alpha,
                           float *g, float *grads, const lexis_sigmoid_table *table) {
    float loss = 0;
    // Logits and gradient scales: g[j][k] = (label - sigma(in_j . out_k)) * alpha.
    for (long j = 0; j < B; j++) {
        const float *x = input + (long)contexts[j] * n;
        for (long k = 0; k < T; k++)
            g[j * T + k] = gradient_scale(dot16(x, output + (long)targets[k] * n, n), k == 0, alpha, table, &loss);
    }
    // Input-side gradients from the output rows as they were.
    for (long j = 0; j < B; j++) {
        float *e = grads + j * n;
        const float *gj = g + j * T;
        for (long i = 0; i < n; i += 16) {
            v16f acc = 0;
            for (long k = 0; k < T; k++) acc += gj[k] * ld16(output + (long)targets[k] * n + i);
            st16(acc, e + i);
        }
    }
    // Output rows: out_k += sum_j g[j][k] in_j.
    for (long k = 0; k < T; k++) {
        float *y = output + (long)targets[k] * n;
        for (long i = 0; i < n; i += 16) {
            v16f acc = ld16(y + i);
            for (long j = 0; j < B; j++) acc += g[j * T + k] * ld16(input + (long)contexts[j] * n + i);
            st16(acc, y + i);
        }
    }
    // Input rows.
    for (long j = 0; j < B; j++) axpy16(1, grads + j * n, input + (long)contexts[j] * n, n);
    return loss;
}

static double w2v_skipgram_pair(int32_t context, const int32_t *targets, long T,
                                float *input, float *output, long n, float alpha,
                                float *e, const lexis_sigmoid_table *table) {
    float *x = input + (long)context * n;
    for (long i = 0; i < n; i += 16) st16(0, e + i);
    float loss = 0;
    for (long k = 0; k < T; k++) {
        float *y = output + (long)targets[k] * n;
        float gk = gradient_scale(dot16(x, y, n), k == 0, alpha, table, &loss);
        axpy16(gk, y, e, n);
        axpy16(gk, x, y, n);
    }
    axpy16(1, e, x, n);
    return loss;
}

/// h = the mean of the N given input rows; e = 0 (the gradient the targets add up).
INLINE void mean_of_rows(const int32_t *rows, long N, const float *input, long n, float *h, float *e) {
    float inverse = 1 / (float)N;
    for (long i = 0; i < n; i += 16) {
        v16f acc = 0;
        for (long j = 0; j < N; j++) acc += ld16(input + (long)rows[j] * n + i);
        st16(acc * inverse, h + i);
        st16(0, e + i);
    }
}

/// fastText-style skip-gram for one center word of a subword model: the mean h of the center's
/// rows (its own row and its n-gram rows) predicts every context word of the window (targets[0..<P],
/// label 1) against negatives (targets[P..<T], label 0, their gradient and loss scaled by
/// `negative_weight`). The gradient of h goes to every row, as fastText does for unsupervised
/// models. CBOW is the case P = 1, weight 1.
static double w2v_subword_skipgram(const int32_t *rows, long N, const int32_t *targets, long T, long P,
                                   float negative_weight, float *input, float *output, long n, float alpha,
                                   float *h, float *e, const lexis_sigmoid_table *table) {
    mean_of_rows(rows, N, input, n, h, e);
    float loss = 0;
    for (long k = 0; k < T; k++) {
        float *y = output + (long)targets[k] * n;
        float pair_loss = 0;
        float gk = gradient_scale(dot16(h, y, n), k < P, alpha, table, &pair_loss);
        if (k >= P) { gk *= negative_weight; pair_loss *= negative_weight; }
        loss += pair_loss;
        axpy16(gk, y, e, n);  // before y changes
        axpy16(gk, h, y, n);
    }
    for (long j = 0; j < N; j++) axpy16(1, e, input + (long)rows[j] * n, n);
    return loss;
}

/// CBOW: the mean of the context rows predicts the center (targets[0]) against the negatives;
/// the same step as above with one positive.
static double w2v_cbow(const int32_t *contexts, long B, const int32_t *targets, long T,
                       float *input, float *output, long n, float alpha,
                       float *h, float *e, const lexis_sigmoid_table *table) {
    return w2v_subword_skipgram(contexts, B, targets, T, 1, 1, input, output, n, alpha, h, e, table);
}

/// CBOW for deterministic rounds: as w2v_cbow, but each target row comes as a pointer (a part's
/// private copy, or the shared row it has not copied) and is not updated: its gradient scale goes
/// to g[k], and the caller adds g[k] x h to the copy now or to the shared row at the merge.
static double w2v_cbow_deferred(const int32_t *contexts, long B, float *const *targets, long T,
                                float *input, long n, float alpha, float *h, float *e, float *g,
                                const lexis_sigmoid_table *table) {
    mean_of_rows(contexts, B, input, n, h, e);
    float loss = 0;
    for (long k = 0; k < T; k++) {
        const float *y = targets[k];
        float gk = gradient_scale(dot16(h, y, n), k == 0, alpha, table, &loss);
        axpy16(gk, y, e, n);
        g[k] = gk;
    }
    for (long j = 0; j < B; j++) axpy16(1, e, input + (long)contexts[j] * n, n);
    return loss;
}

// MARK: - Element-wise functions

/// e^x, Cephes-style polynomial after range reduction (about 2 ulp). Inputs are clamped to
/// [-87.3, 88.37]: exp underflows to ~1e-38, never inf.
INLINE vf vexp(vf x) {
    const vf lo = splat(-87.3f), hi = splat(88.37f);
    x = select(x < lo, lo, x);
    x = select(x > hi, hi, x);
    // Round x*log2(e) to the nearest integer with the 1.5*2^23 trick (no library call).
    const vf magic = splat(12582912.0f);
    vf t = x * 1.44269504f + magic;
    vf nn = t - magic;
    vf r = x - nn * 0.693359375f;
    r = r - nn * -2.12194440e-4f;
    vf p = splat(1.98756915e-4f);
    p = p * r + 1.39819995e-3f;
    p = p * r + 8.33345190e-3f;
    p = p * r + 4.16657960e-2f;
    p = p * r + 1.66666655e-1f;
    p = p * r + 5.00000010e-1f;
    p = p * (r * r) + r + 1;
    // 2^n from the exponent bits: n sits in the low mantissa bits of t.
    vi bits = (vi)t - (vi)magic;
    vf scale = (vf)((bits + 127) << 23);
    return p * scale;
}

INLINE vf vsigmoid(vf x) { return 1 / (1 + vexp(-x)); }
/// tanh(x) = 2 sigmoid(2x) - 1; absolute error ~1e-7.
INLINE vf vtanh(vf x) { return 2 / (1 + vexp(-2 * x)) - 1; }
INLINE vf vrelu(vf x) { return select(x < 0, splat(0), x); }

#define LEXIS_MAP(fname, f)                                                  \
    static void fname(const float *x, float *y, long n) {                    \
        long i = 0;                                                          \
        for (; i + VW <= n; i += VW) st(f(ld(x + i)), y + i);                \
        if (i < n) st_partial(f(ld_partial(x + i, n - i, 0)), y + i, n - i); \
    }
LEXIS_MAP(map_exp, vexp)
LEXIS_MAP(map_sigmoid, vsigmoid)
LEXIS_MAP(map_tanh, vtanh)
LEXIS_MAP(map_relu, vrelu)

static void sigmoid_backward(const float *y, const float *dy, float *dx, long n) {
    for (long i = 0; i < n; i++) dx[i] += dy[i] * y[i] * (1 - y[i]);
}

static void tanh_backward(const float *y, const float *dy, float *dx, long n) {
    for (long i = 0; i < n; i++) dx[i] += dy[i] * (1 - y[i] * y[i]);
}

static void relu_backward(const float *y, const float *dy, float *dx, long n) {
    for (long i = 0; i < n; i++) dx[i] += y[i] > 0 ? dy[i] : 0;
}

// MARK: - Recurrent cells

static void lstm_forward(float *gates, const float *c, float *c_new, float *tanh_c, float *h_new, long batch, long H) {
    for (long b = 0; b < batch; b++) {
        float *gi = gates + b * 4 * H, *gf = gi + H, *gg = gi + 2 * H, *go = gi + 3 * H;
        const float *cp = c + b * H;
        float *cn = c_new + b * H, *tc = tanh_c + b * H, *hn = h_new + b * H;
        long j = 0;
        for (; j + VW <= H; j += VW) {
            vf i = vsigmoid(ld(gi + j)), f = vsigmoid(ld(gf + j)), g = vtanh(ld(gg + j)), o = vsigmoid(ld(go + j));
            vf cv = f * ld(cp + j) + i * g;
            vf t = vtanh(cv);
            st(i, gi + j); st(f, gf + j); st(g, gg + j); st(o, go + j);
            st(cv, cn + j); st(t, tc + j); st(o * t, hn + j);
        }
        if (j < H) {
            long m = H - j;
            vf i = vsigmoid(ld_partial(gi + j, m, 0)), f = vsigmoid(ld_partial(gf + j, m, 0));
            vf g = vtanh(ld_partial(gg + j, m, 0)), o = vsigmoid(ld_partial(go + j, m, 0));
            vf cv = f * ld_partial(cp + j, m, 0) + i * g;
            vf t = vtanh(cv);
            st_partial(i, gi + j, m); st_partial(f, gf + j, m); st_partial(g, gg + j, m); st_partial(o, go + j, m);
            st_partial(cv, cn + j, m); st_partial(t, tc + j, m); st_partial(o * t, hn + j, m);
        }
    }
}

/// One block of lstm_backward: lanes [j, j + m) of batch row b.
INLINE void lstm_backward_block(const float *gi, const float *gf, const float *gg, const float *go,
                                       const float *cp, const float *tc, const float *dhb, float *dcb,
                                       float *di, float *df, float *dg, float *dout, long m) {
    int full = m == VW;
#define LD(p) (full ? ld(p) : ld_partial(p, m, 0))
#define ST(v, p) do { if (full) st(v, p); else st_partial(v, p, m); } while (0)
    vf i = LD(gi), f = LD(gf), g = LD(gg), o = LD(go), t = LD(tc), d = LD(dhb);
    vf dc = LD(dcb) + d * o * (1 - t * t);
    ST(d * t * o * (1 - o), dout);
    ST(dc * g * i * (1 - i), di);
    ST(dc * i * (1 - g * g), dg);
    ST(dc * LD(cp) * f * (1 - f), df);
    ST(dc * f, dcb);
#undef LD
#undef ST
}

static void lstm_backward(const float *gates, const float *c, const float *tanh_c, const float *dh, float *dc_next,
                          float *d_gates, long batch, long H) {
    for (long b = 0; b < batch; b++) {
        const float *gi = gates + b * 4 * H, *gf = gi + H, *gg = gi + 2 * H, *go = gi + 3 * H;
        float *di = d_gates + b * 4 * H, *df = di + H, *dg = di + 2 * H, *dout = di + 3 * H;
        const float *cp = c + b * H, *tc = tanh_c + b * H, *dhb = dh + b * H;
        float *dcb = dc_next + b * H;
        for (long j = 0; j < H; j += VW) {
            long m = H - j < VW ? H - j : VW;
            lstm_backward_block(gi + j, gf + j, gg + j, go + j, cp + j, tc + j, dhb + j, dcb + j,
                                di + j, df + j, dg + j, dout + j, m);
        }
    }
}

static void rnn_backward(const float *h, const float *dh, float *d_gates, long n) {
    for (long j = 0; j < n; j++) d_gates[j] = dh[j] * (1 - h[j] * h[j]);
}

// MARK: - Reductions and BLAS-1 helpers

static float max_of(const float *x, long n) {
    vf m = splat(-__builtin_inff());
    long i = 0;
    for (; i + VW <= n; i += VW) {
        vf v = ld(x + i);
        m = select(v > m, v, m);
    }
    float result = m[0];
    for (int k = 1; k < VW; k++) result = m[k] > result ? m[k] : result;
    for (; i < n; i++) result = x[i] > result ? x[i] : result;
    return result;
}

/// sum of exp(x[i] - shift), also stored in y unless y is NULL (the branch is hoisted out of
/// the loop by the compiler).
INLINE double sum_of_exponentials(const float *x, float *y, long n, float shift) {
    vf acc = 0;
    double total = 0;
    long i = 0;
    while (i + VW <= n) {
        vf e = vexp(ld(x + i) - shift);
        if (y) st(e, y + i);
        acc += e;
        i += VW;
        // Flush the float lanes regularly so long rows keep Double accuracy.
        if ((i & 1023) == 0) { total += hsum(acc); acc = 0; }
    }
    total += hsum(acc);
    if (i < n) {
        float tmp[VW];
        st(vexp(ld_partial(x + i, n - i, 0) - shift), tmp);
        for (long k = 0; k < n - i; k++) {
            if (y) y[i + k] = tmp[k];
            total += tmp[k];
        }
    }
    return total;
}

static double exp_shifted_sum(const float *x, float *y, long n, float shift) {
    return sum_of_exponentials(x, y, n, shift);
}

static double sum_exp(const float *x, long n, float shift) { return sum_of_exponentials(x, NULL, n, shift); }

static void scale(float *x, long n, float a) {
    long i = 0;
    for (; i + VW <= n; i += VW) st(ld(x + i) * a, x + i);
    for (; i < n; i++) x[i] *= a;
}

static void multiply(const float *x, const float *m, float *y, long n) {
    long i = 0;
    for (; i + VW <= n; i += VW) st(ld(x + i) * ld(m + i), y + i);
    for (; i < n; i++) y[i] = x[i] * m[i];
}

static void multiply_add(const float *x, const float *m, float *y, long n) {
    long i = 0;
    for (; i + VW <= n; i += VW) st(ld(y + i) + ld(x + i) * ld(m + i), y + i);
    for (; i < n; i++) y[i] += x[i] * m[i];
}

static void axpy(float a, const float *x, float *y, long n) {
    long i = 0;
    for (; i + VW <= n; i += VW) st(ld(y + i) + a * ld(x + i), y + i);
    for (; i < n; i++) y[i] += a * x[i];
}

static float dot(const float *x, const float *y, long n) {
    vf a = 0, b = 0;
    long i = 0;
    for (; i + 2 * VW <= n; i += 2 * VW) {
        a += ld(x + i) * ld(y + i);
        b += ld(x + i + VW) * ld(y + i + VW);
    }
    if (i + VW <= n) { a += ld(x + i) * ld(y + i); i += VW; }
    float s = hsum(a + b);
    for (; i < n; i++) s += x[i] * y[i];
    return s;
}

// MARK: - Half-precision search

/// IEEE half to float, exact for normals, subnormals, infinities and NaN (Giesen's magic multiply).
INLINE vf halves_to_floats(const uint16_t *p) {
    vu16 h16;
    __builtin_memcpy(&h16, p, sizeof h16);
#if LEXIS_HALF_NATIVE
    typedef _Float16 vh __attribute__((ext_vector_type(VW)));
    return __builtin_convertvector((vh)h16, vf);
#else
    vi h = __builtin_convertvector(h16, vi);
    vi o = (h & 0x7fff) << 13;
    o = o | (((h & 0x7c00) == 0x7c00) & 0x7f800000);
    vf f = (vf)o * 0x1p112f;
    return (vf)((vi)f | ((h & 0x8000) << 16));
#endif
}

INLINE float half_to_float(uint16_t h) {
#if LEXIS_HALF_NATIVE
    _Float16 x;
    __builtin_memcpy(&x, &h, 2);
    return (float)x;
#else
    uint32_t o = (uint32_t)(h & 0x7fff) << 13;
    if ((h & 0x7c00) == 0x7c00) o |= 0x7f800000u;
    float f;
    __builtin_memcpy(&f, &o, 4);
    f *= 0x1p112f;
    uint32_t bits;
    __builtin_memcpy(&bits, &f, 4);
    bits |= (uint32_t)(h & 0x8000) << 16;
    __builtin_memcpy(&f, &bits, 4);
    return f;
#endif
}

/// float -> IEEE half bits, round to nearest even, in integer arithmetic (the baseline x86 build
/// has no conversion instruction, and compiler-rt's would be a call per value).
INLINE uint16_t float_to_half(float f) {
#if LEXIS_HALF_NATIVE
    _Float16 h = (_Float16)f;
    uint16_t bits;
    __builtin_memcpy(&bits, &h, 2);
    return bits;
#else
    uint32_t x;
    __builtin_memcpy(&x, &f, 4);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    uint32_t a = x & 0x7fffffffu;
    if (a >= 0x7f800000u) return sign | 0x7c00 | (a > 0x7f800000u ? 0x200 : 0);   // inf, NaN
    if (a >= 0x477ff000u) return sign | 0x7c00;                                   // rounds past 65504
    if (a < 0x38800000u) {                                                        // half subnormal or 0
        float m;
        __builtin_memcpy(&m, &a, 4);
        m += 0.5f;   // the adder rounds the bits below 2^-24 away, to nearest even
        uint32_t r;
        __builtin_memcpy(&r, &m, 4);
        return sign | (uint16_t)(r - 0x3f000000u);
    }
    a += 0xc8000fffu + ((a >> 13) & 1);   // rebias the exponent (-112) and round to nearest even
    return sign | (uint16_t)(a >> 13);
#endif
}

static void floats_to_halves(const float *src, long n, uint16_t *dst) {
    long i = 0;
#if LEXIS_HALF_NATIVE
    typedef _Float16 vh __attribute__((ext_vector_type(VW)));
    for (; i + VW <= n; i += VW) {
        vh h = __builtin_convertvector(ld(src + i), vh);
        __builtin_memcpy(dst + i, &h, sizeof h);
    }
#endif
    for (; i < n; i++) dst[i] = float_to_half(src[i]);
}

/// dot(row, query) for one half-precision row; the tail is scalar (a zero-padded vector built
/// through memory stalls on store forwarding, which cost 40% of the search).
INLINE float half_dot_row(const uint16_t *row, long d, const float *query) {
    vf acc = 0;
    long j = 0;
    for (; j + VW <= d; j += VW) acc += halves_to_floats(row + j) * ld(query + j);
    float s = hsum(acc);
    for (; j < d; j++) s += half_to_float(row[j]) * query[j];
    return s;
}

static void half_dot_rows(const uint16_t *rows, long row_count, long d, const float *query, float *out) {
    long r = 0;
    // Four rows at a time: four independent FMA chains instead of one.
    for (; r + 4 <= row_count; r += 4) {
        const uint16_t *r0 = rows + r * d, *r1 = r0 + d, *r2 = r1 + d, *r3 = r2 + d;
        vf a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        long j = 0;
        for (; j + VW <= d; j += VW) {
            vf q = ld(query + j);
            a0 += halves_to_floats(r0 + j) * q;
            a1 += halves_to_floats(r1 + j) * q;
            a2 += halves_to_floats(r2 + j) * q;
            a3 += halves_to_floats(r3 + j) * q;
        }
        float s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
        for (; j < d; j++) {
            float q = query[j];
            s0 += half_to_float(r0[j]) * q;
            s1 += half_to_float(r1[j]) * q;
            s2 += half_to_float(r2[j]) * q;
            s3 += half_to_float(r3[j]) * q;
        }
        out[r] = s0; out[r + 1] = s1; out[r + 2] = s2; out[r + 3] = s3;
    }
    for (; r < row_count; r++) out[r] = half_dot_row(rows + r * d, d, query);
}

// MARK: - Matrix products with few rows

/// C[MR x VW] (= or +=) A[MR x k] * B[k x VW] with A given transposed (`at`, row p holds the MR
/// values of column p, `ats` floats apart): MR accumulators, each B row loaded once for all MR
/// rows (B is the large operand), the broadcasts of A from one or two cache lines.
#define SMALL_M_BLOCK(MR)                                                                       \
    INLINE void small_m_block_##MR(long k, const float *at, long ats, const float *b, long ldb,  \
                                   float beta, float *c, long ldc) {                             \
        vf acc[MR];                                                                               \
        /* Fully unrolled, so that acc lives in registers, not on the stack. */                   \
        _Pragma("clang loop unroll(full)")                                                       \
        for (int r = 0; r < MR; r++) acc[r] = 0;                                                  \
        for (long p = 0; p < k; p++) {                                                            \
            vf bp = ld(b + p * ldb);                                                              \
            const float *ap = at + p * ats;                                                       \
            _Pragma("clang loop unroll(full)")                                                   \
            for (int r = 0; r < MR; r++) acc[r] += ap[r] * bp;                                    \
        }                                                                                         \
        _Pragma("clang loop unroll(full)")                                                       \
        for (int r = 0; r < MR; r++) {                                                            \
            float *cr = c + r * ldc;                                                              \
            st(beta == 0 ? acc[r] : beta * ld(cr) + acc[r], cr);                                  \
        }                                                                                         \
    }
// Row blocks that fit the vector registers (32 with AVX-512, 16 otherwise); the common batch
// sizes (20, 10, ...) get a block of their own so that B is read once.
#if VW == 16
SMALL_M_BLOCK(24)
SMALL_M_BLOCK(20)
SMALL_M_BLOCK(16)
#endif
SMALL_M_BLOCK(12)
SMALL_M_BLOCK(10)
SMALL_M_BLOCK(8)
SMALL_M_BLOCK(4)
SMALL_M_BLOCK(1)

/// All rows of one block of VW columns; `at` is A transposed ([k x m]).
INLINE void small_m_columns(long m, long k, const float *at, const float *b, long ldb,
                            float beta, float *c, long ldc) {
    long i = 0;
    while (i < m) {
        long left = m - i;
        const float *ai = at + i;
        float *ci = c + i * ldc;
#if VW == 16
        if (left >= 24) { small_m_block_24(k, ai, m, b, ldb, beta, ci, ldc); i += 24; continue; }
        if (left >= 20) { small_m_block_20(k, ai, m, b, ldb, beta, ci, ldc); i += 20; continue; }
        if (left >= 16) { small_m_block_16(k, ai, m, b, ldb, beta, ci, ldc); i += 16; continue; }
#endif
        if (left >= 12) { small_m_block_12(k, ai, m, b, ldb, beta, ci, ldc); i += 12; continue; }
        if (left >= 10) { small_m_block_10(k, ai, m, b, ldb, beta, ci, ldc); i += 10; continue; }
        if (left >= 8) { small_m_block_8(k, ai, m, b, ldb, beta, ci, ldc); i += 8; continue; }
        if (left >= 4) { small_m_block_4(k, ai, m, b, ldb, beta, ci, ldc); i += 4; continue; }
        small_m_block_1(k, ai, m, b, ldb, beta, ci, ldc);
        i += 1;
    }
}

/// C = beta * C + A * B, all row-major, for a few rows (the per-time-step products of recurrent
/// layers, [batch x k] x [k x n]): BLAS libraries pack B on every call, which costs more than the
/// product when A has 20 rows. Columns that do not fill a block go through a zero-padded copy.
static void gemm_small_m(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                         float beta, float *c, long ldc) {
    const long block = VW;
    long tail = n % block;
    float *at = lexis_scratch_floats(k * m + (tail ? k * block + m * block : 0));
    for (long r = 0; r < m; r++)
        for (long p = 0; p < k; p++) at[p * m + r] = a[r * lda + p];
    long j = 0;
    for (; j + block <= n; j += block) small_m_columns(m, k, at, b + j, ldb, beta, c + j, ldc);
    if (tail == 0) return;
    float *pad = at + k * m, *cp = pad + k * block;
    for (long p = 0; p < k; p++)
        for (long q = 0; q < block; q++) pad[p * block + q] = q < tail ? b[p * ldb + j + q] : 0;
    for (long r = 0; r < m; r++)
        for (long q = 0; q < block; q++) cp[r * block + q] = q < tail ? c[r * ldc + j + q] : 0;
    small_m_columns(m, k, at, pad, block, beta, cp, block);
    for (long r = 0; r < m; r++)
        for (long q = 0; q < tail; q++) c[r * ldc + j + q] = cp[r * block + q];
}

const lexis_kernel_table LEXIS_TABLE = {
    .name = LEXIS_TABLE_LABEL,
    .w2v_skipgram = w2v_skipgram,
    .w2v_skipgram_pair = w2v_skipgram_pair,
    .w2v_cbow = w2v_cbow,
    .w2v_cbow_deferred = w2v_cbow_deferred,
    .w2v_subword_skipgram = w2v_subword_skipgram,
    .exp = map_exp,
    .sigmoid = map_sigmoid,
    .tanh = map_tanh,
    .relu = map_relu,
    .sigmoid_backward = sigmoid_backward,
    .tanh_backward = tanh_backward,
    .relu_backward = relu_backward,
    .lstm_forward = lstm_forward,
    .lstm_backward = lstm_backward,
    .rnn_backward = rnn_backward,
    .max = max_of,
    .exp_shifted_sum = exp_shifted_sum,
    .sum_exp = sum_exp,
    .scale = scale,
    .multiply = multiply,
    .multiply_add = multiply_add,
    .axpy = axpy,
    .dot = dot,
    .half_dot_rows = half_dot_rows,
    .floats_to_halves = floats_to_halves,
    .gemm_small_m = gemm_small_m,
};
