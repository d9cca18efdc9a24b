/* Fuzz test of every input parser (extended XYZ, POSCAR, funcfl, setfl, INI job file, reference
 * CSV) through the contract of tests/fuzz_targets.h:
 *  1. every file of the corpus tests/fuzz/PARSER/ is replayed: seed-* files must be accepted,
 *     *.refuse files refused, the rest (inputs that once crashed or hung a parser) just survive;
 *  2. random byte- and line-level mutations of the seeds, fed to their parser and to one other,
 *     for a bounded time per parser (GN_FUZZ_SECONDS, default 0.6 s, at most 20000 rounds or
 *     GN_FUZZ_ROUNDS), so the
 *     test stays fast under the sanitizers. Seeded: every run mutates the same way (a slower
 *     machine does fewer rounds of the same sequence).
 * An input that breaks the contract aborts; save it under tests/fuzz/PARSER/ to keep it as a
 * regression test. (libFuzzer targets of the same parsers: ./configure --enable-fuzzers CC=clang,
 * make fuzz.) */
#include "gn_test.h"
#include "fuzz_targets.h"

#include <dirent.h>
#include <time.h>

/* rounds per parser unless GN_FUZZ_ROUNDS says otherwise (a long local run) */
#define ROUNDS_MAX 20000

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void text_reserve(text *t, size_t n)
{
    if (n <= t->cap)
        return;
    while (t->cap < n)
        t->cap = t->cap ? 2 * t->cap : 256;
    t->p = realloc(t->p, t->cap);
    assert_non_null(t->p);
}

static void text_insert(text *t, size_t at, const char *s, size_t n)
{
    text_reserve(t, t->len + n);
    memmove(t->p + at + n, t->p + at, t->len - at);
    memcpy(t->p + at, s, n);
    t->len += n;
}

static void text_erase(text *t, size_t at, size_t n)
{
    if (at + n > t->len)
        n = t->len - at;
    memmove(t->p + at, t->p + at + n, t->len - at - n);
    t->len -= n;
}

static size_t pick(gn_rng *r, size_t n) { return n ? (size_t)(gn_rng_uniform(r) * (double)n) % n : 0; }

/* The line around position at: [*b, *e) including its newline. */
static void line_at(const text *t, size_t at, size_t *b, size_t *e)
{
    *b = at;
    while (*b > 0 && t->p[*b - 1] != '\n')
        (*b)--;
    *e = at;
    while (*e < t->len && t->p[*e] != '\n')
        (*e)++;
    if (*e < t->len)
        (*e)++;
}

static const char *const TOKENS[] = {
    "nan",  "inf", "-1e999", "1e-400", "\"", "'",  "{",  "=",        ":",      ":R:3",
    ":S:1", "\n",  "\n\n",   " ",      "-",  "T",  "F",  "99999999", "0",      "Lattice=",
    "pbc=", "Qq",  "X",      "\\",     "\r", "\t", "0x1p3", "Properties=", "Selective", "Cart",
    "[",    "]",   ";",      ",",      "#",  "[table]", "gaps = ", "1e308", "-0", "inf,",
};

static void mutate(text *t, gn_rng *r)
{
    size_t at = pick(r, t->len + 1);
    switch (pick(r, 7)) {
    case 0: /* overwrite one byte */
        if (t->len) {
            static const char alphabet[] = "0123456789 .-+eE\n\"'=:TFSRIL{}[],\t;#";
            double u = gn_rng_uniform(r);
            t->p[pick(r, t->len)] =
                u < 0.8 ? alphabet[pick(r, sizeof alphabet - 1)] : (char)pick(r, 256);
        }
        break;
    case 1: { /* insert a token */
        const char *s = TOKENS[pick(r, sizeof TOKENS / sizeof *TOKENS)];
        text_insert(t, at, s, strlen(s));
        break;
    }
    case 2: /* delete a few bytes */
        if (at < t->len)
            text_erase(t, at, 1 + pick(r, 8));
        break;
    case 3: { /* duplicate a line */
        if (!t->len)
            break;
        size_t b, e;
        line_at(t, pick(r, t->len), &b, &e);
        char *copy = malloc(e - b + 1);
        memcpy(copy, t->p + b, e - b);
        text_insert(t, e, copy, e - b);
        free(copy);
        break;
    }
    case 4: { /* delete a line */
        if (!t->len)
            break;
        size_t b, e;
        line_at(t, pick(r, t->len), &b, &e);
        text_erase(t, b, e - b);
        break;
    }
    case 5: /* truncate */
        t->len = at < t->len ? at : t->len;
        break;
    default: { /* swap a byte with its neighbour */
        if (t->len > 1) {
            size_t i = pick(r, t->len - 1);
            char c = t->p[i];
            t->p[i] = t->p[i + 1];
            t->p[i + 1] = c;
        }
        break;
    }
    }
}

/* A file of the corpus (caller frees). */
static char *corpus_file(const char *parser, const char *name, size_t *len)
{
    char path[4096], *buf;
    gn_error err;
    snprintf(path, sizeof path, "%s/tests/fuzz/%s/%s", gn_test_srcdir(), parser, name);
    gn_assert_ok(gn_file_read_all(path, &buf, len, &err), &err);
    return buf;
}

/* Names of the corpus files of a parser, sorted (caller frees each and the array). */
static size_t corpus_names(const char *parser, char ***names)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fuzz/%s", gn_test_srcdir(), parser);
    DIR *d = opendir(path);
    if (!d)
        fail_msg("no corpus folder %s", path);
    size_t n = 0, cap = 0;
    *names = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            *names = realloc(*names, cap * sizeof **names);
            assert_non_null(*names);
        }
        (*names)[n] = strdup(e->d_name);
        assert_non_null((*names)[n]);
        n++;
    }
    closedir(d);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp((*names)[j - 1], (*names)[j]) > 0; j--) {
            char *t = (*names)[j];
            (*names)[j] = (*names)[j - 1];
            (*names)[j - 1] = t;
        }
    return n;
}

static int starts_with(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static int ends_with(const char *s, const char *t)
{
    size_t a = strlen(s), b = strlen(t);
    return a >= b && strcmp(s + a - b, t) == 0;
}

static void test_corpus(void **state)
{
    (void)state;
    for (int p = 0; p < GN_FUZZ_N; p++) {
        char **names;
        size_t n = corpus_names(gn_fuzz_names[p], &names), seeds = 0;
        for (size_t i = 0; i < n; i++) {
            size_t len;
            char *buf = corpus_file(gn_fuzz_names[p], names[i], &len);
            int ok = gn_fuzz_one(p, (const uint8_t *)buf, len);
            if (starts_with(names[i], "seed") && !ok)
                fail_msg("%s seed %s is refused", gn_fuzz_names[p], names[i]);
            if (ends_with(names[i], ".refuse") && ok)
                fail_msg("%s input %s is accepted", gn_fuzz_names[p], names[i]);
            seeds += starts_with(names[i], "seed");
            free(buf);
            free(names[i]);
        }
        free(names);
        if (seeds == 0)
            fail_msg("%s corpus has no seed-* file", gn_fuzz_names[p]);
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void fuzz_parser(int p, uint64_t rng_seed)
{
    const char *env = getenv("GN_FUZZ_SECONDS");
    double budget = env ? atof(env) : 0.6;
    const char *renv = getenv("GN_FUZZ_ROUNDS");
    size_t max_rounds = renv ? (size_t)atol(renv) : ROUNDS_MAX;
    char **names;
    size_t n = corpus_names(gn_fuzz_names[p], &names), nseed = 0;
    char *seed[16];
    size_t seed_len[16];
    for (size_t i = 0; i < n; i++) {
        if (starts_with(names[i], "seed") && nseed < 16) {
            seed[nseed] = corpus_file(gn_fuzz_names[p], names[i], &seed_len[nseed]);
            nseed++;
        }
        free(names[i]);
    }
    free(names);
    assert_true(nseed > 0);
    gn_rng r = {rng_seed};
    text t = {NULL, 0, 0};
    size_t ok = 0, refused = 0, rounds = 0;
    double t0 = now();
    for (; rounds < max_rounds && (rounds < 100 || now() - t0 < budget); rounds++) {
        size_t k = pick(&r, nseed);
        t.len = 0;
        text_insert(&t, 0, seed[k], seed_len[k]);
        int nmut = 1 + (int)pick(&r, 4);
        for (int m = 0; m < nmut; m++)
            mutate(&t, &r);
        if (gn_fuzz_one(p, (const uint8_t *)t.p, t.len))
            ok++;
        else
            refused++;
        /* a file given to the wrong parser must be refused as cleanly */
        gn_fuzz_one((int)pick(&r, GN_FUZZ_N), (const uint8_t *)t.p, t.len);
    }
    print_message("  %-6s %5zu rounds in %.2f s: %zu accepted, %zu refused\n", gn_fuzz_names[p],
                  rounds, now() - t0, ok, refused);
    /* a fuzz that never gets past the parser, or never fails, tests nothing */
    assert_true(ok > rounds / 50);
    assert_true(refused > rounds / 10);
    free(t.p);
    for (size_t i = 0; i < nseed; i++)
        free(seed[i]);
}

static void test_fuzz_xyz(void **state) { (void)state; fuzz_parser(GN_FUZZ_XYZ, 0x9e3779b97f4a7c15ULL); }
static void test_fuzz_poscar(void **state) { (void)state; fuzz_parser(GN_FUZZ_POSCAR, 0xd1b54a32d192ed03ULL); }
static void test_fuzz_funcfl(void **state) { (void)state; fuzz_parser(GN_FUZZ_FUNCFL, 0x8cb92ba72f3d8dd7ULL); }
static void test_fuzz_setfl(void **state) { (void)state; fuzz_parser(GN_FUZZ_SETFL, 0x2545f4914f6cdd1dULL); }
static void test_fuzz_ini(void **state) { (void)state; fuzz_parser(GN_FUZZ_INI, 0xbf58476d1ce4e5b9ULL); }
static void test_fuzz_csv(void **state) { (void)state; fuzz_parser(GN_FUZZ_CSV, 0x94d049bb133111ebULL); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_fuzz_xyz),
        cmocka_unit_test(test_fuzz_poscar),
        cmocka_unit_test(test_fuzz_funcfl),
        cmocka_unit_test(test_fuzz_setfl),
        cmocka_unit_test(test_fuzz_ini),
        cmocka_unit_test(test_fuzz_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
