// A one-thread C replica of gensim 4.4's CBOW update with negative sampling (cbow_mean=1,
// corpus_file mode), written for one control experiment: does gensim's CBOW beat Lexis's because
// of its update or because of its learning-rate schedule? It reproduces gensim's 48-bit LCG,
// subsampling test, cumulative noise table, 1000-entry sigmoid table (updates skipped beyond +-6),
// reduced windows, 10,000-word batches and its +-1/dim initialisation.
//   gensim_cbow CORPUS VOCAB CUM OUT EPOCHS SCHEDULE SEED
// VOCAB: "word count sample_int" lines in gensim's order; CUM: gensim's cum_table as uint32
// (both written by replica.sh). SCHEDULE: "linear" (alpha to min_alpha over the run, as gensim
// with one worker, word2vec.c and Lexis) or "gensim2w" (the per-epoch rate gensim's corpus_file
// mode gives each of 2 workers: it falls from alpha(1 - e/E) to alpha(1 - (e + 1/2)/E)).
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { D = 100, WINDOW = 5, NEGATIVE = 5, HASH = 1 << 18, MAXLEN = 10000, BATCH = 10000 };

static char **words;
static uint32_t *sample_int, *cum;
static int vocab_size, cum_size, hash[HASH];
static unsigned long long next_random = 1;
static float sigmoid_table[1000];

static unsigned word_hash(const char *s) {
    unsigned x = 5381;
    while (*s) x = x * 33 + (unsigned char)*s++;
    return x % HASH;
}

static int lookup(const char *s) {
    for (unsigned i = word_hash(s); hash[i] >= 0; i = (i + 1) % HASH)
        if (!strcmp(words[hash[i]], s)) return hash[i];
    return -1;
}

static uint32_t random_int32(void) {
    uint32_t r = (next_random >> 16) & 0xFFFFFFFFULL;
    next_random = (next_random * 25214903917ULL + 11) & 281474976710655ULL;
    return r;
}

static int bisect_left(uint32_t x) {
    int lo = 0, hi = cum_size;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cum[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static void read_vocab(const char *path, const char *cum_path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(1); }
    char buf[512];
    long count;
    unsigned s;
    int capacity = 1 << 17;
    words = malloc(sizeof(char *) * capacity);
    sample_int = malloc(4 * capacity);
    memset(hash, -1, sizeof hash);
    while (fscanf(f, "%511s %ld %u", buf, &count, &s) == 3 && vocab_size < capacity) {
        words[vocab_size] = strdup(buf);
        sample_int[vocab_size] = s;
        unsigned i = word_hash(buf);
        while (hash[i] >= 0) i = (i + 1) % HASH;
        hash[i] = vocab_size++;
    }
    fclose(f);
    f = fopen(cum_path, "rb");
    if (!f) { perror(cum_path); exit(1); }
    cum = malloc(4 * vocab_size);
    cum_size = (int)fread(cum, 4, vocab_size, f);
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: gensim_cbow CORPUS VOCAB CUM OUT EPOCHS linear|gensim2w SEED\n");
        return 64;
    }
    const char *corpus = argv[1], *out = argv[4];
    int epochs = atoi(argv[5]), seed = atoi(argv[7]);
    int half = !strcmp(argv[6], "gensim2w");
    read_vocab(argv[2], argv[3]);
    for (int i = 0; i < 1000; i++) {
        double e = exp((i / 1000.0 * 2 - 1) * 6);
        sigmoid_table[i] = (float)(e / (e + 1));
    }
    float *syn0 = malloc(sizeof(float) * (size_t)vocab_size * D);
    float *syn1 = calloc((size_t)vocab_size * D, sizeof(float));
    float neu1[D], work[D];
    srand(1 + seed);
    for (size_t i = 0; i < (size_t)vocab_size * D; i++) syn0[i] = (float)(((rand() / (RAND_MAX + 1.0)) * 2 - 1) / D);
    next_random = 12345678901ULL + seed;
    const float start = 0.05f, end = 0.0001f;

    // First pass: corpus words (in vocabulary or not), the unit of gensim's progress.
    long long corpus_words = 0;
    char *line = NULL;
    size_t cap = 0;
    FILE *in = fopen(corpus, "r");
    if (!in) { perror(corpus); return 1; }
    while (getline(&line, &cap, in) >= 0)
        for (char *t = strtok(line, " \n"); t; t = strtok(NULL, " \n")) corpus_words++;
    fclose(in);

    int *sentence = malloc(sizeof(int) * (MAXLEN + BATCH));
    int *reduced = malloc(sizeof(int) * (MAXLEN + BATCH));
    for (int epoch = 0; epoch < epochs; epoch++) {
        in = fopen(corpus, "r");
        int n = 0, starts[64], lines = 0;
        long long epoch_words = 0, batch_words = 0;
        float alpha = start - (start - end) * epoch / epochs;
        for (;;) {
            int eof = getline(&line, &cap, in) < 0;
            if (!eof) {
                starts[lines++] = n;
                for (char *t = strtok(line, " \n"); t; t = strtok(NULL, " \n")) {
                    epoch_words++;
                    batch_words++;
                    int w = lookup(t);
                    if (w < 0 || sample_int[w] < random_int32()) continue;
                    if (n - starts[lines - 1] < MAXLEN) sentence[n++] = w;
                }
            }
            if (eof || batch_words >= BATCH || lines == 63) {
                starts[lines] = n;
                for (int i = 0; i < n; i++) reduced[i] = random_int32() % WINDOW;
                for (int s = 0; s < lines; s++) {
                    int a = starts[s], b = starts[s + 1];
                    for (int i = a; i < b; i++) {
                        int j = i - WINDOW + reduced[i], k = i + WINDOW + 1 - reduced[i];
                        if (j < a) j = a;
                        if (k > b) k = b;
                        memset(neu1, 0, sizeof neu1);
                        float count = 0;
                        for (int m = j; m < k; m++) {
                            if (m == i) continue;
                            count += 1;
                            const float *x = syn0 + (size_t)sentence[m] * D;
                            for (int d = 0; d < D; d++) neu1[d] += x[d];
                        }
                        float inverse = count > 0.5f ? 1 / count : 1;
                        for (int d = 0; d < D; d++) neu1[d] *= inverse;
                        memset(work, 0, sizeof work);
                        int word = sentence[i];
                        for (int d = 0; d <= NEGATIVE; d++) {
                            int target;
                            float label;
                            if (d == 0) {
                                target = word;
                                label = 1;
                            } else {
                                target = bisect_left((uint32_t)((next_random >> 16) % cum[cum_size - 1]));
                                next_random = (next_random * 25214903917ULL + 11) & 281474976710655ULL;
                                if (target == word) continue;
                                label = 0;
                            }
                            float *y = syn1 + (size_t)target * D;
                            float f = 0;
                            for (int q = 0; q < D; q++) f += neu1[q] * y[q];
                            if (f <= -6 || f >= 6) continue;
                            float g = (label - sigmoid_table[(int)((f + 6) * (1000 / 6 / 2))]) * alpha;
                            for (int q = 0; q < D; q++) work[q] += g * y[q];
                            for (int q = 0; q < D; q++) y[q] += g * neu1[q];
                        }
                        for (int m = j; m < k; m++) {
                            if (m == i) continue;
                            float *x = syn0 + (size_t)sentence[m] * D;
                            for (int d = 0; d < D; d++) x[d] += work[d];
                        }
                    }
                }
                n = 0;
                lines = 0;
                batch_words = 0;
                double fraction = (double)epoch_words / corpus_words;
                double progress = (epoch + (half ? 0.5 * fraction : fraction)) / epochs;
                alpha = start - (start - end) * (float)progress;
                if (alpha < end) alpha = end;
            }
            if (eof) break;
        }
        fclose(in);
        fprintf(stderr, "epoch %d: final alpha %.5f\n", epoch + 1, alpha);
    }
    FILE *o = fopen(out, "wb");
    fprintf(o, "%d %d\n", vocab_size, D);
    for (int w = 0; w < vocab_size; w++) {
        fprintf(o, "%s ", words[w]);
        fwrite(syn0 + (size_t)w * D, sizeof(float), D, o);
        fputc('\n', o);
    }
    fclose(o);
    return 0;
}
