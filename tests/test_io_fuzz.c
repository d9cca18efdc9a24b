/* Fuzz test of the structure-file parsers: thousands of random byte- and line-level mutations of
 * valid extended XYZ and POSCAR texts, parsed from memory buffers of exact size (so that the
 * sanitizers catch any read past the end). Every call must either succeed with a structure that
 * passes gn_atoms_validate, or fail with a status code and a non-empty message; no crash, no leak.
 * Seeded: every run mutates the same way. */
#include "gn_test.h"

#define ROUNDS 5000

static const char XYZ_SEED[] =
    "3\n"
    "Lattice=\"6.0 0.0 0.0 1.0 6.0 0.0 0.0 0.0 0.0\" "
    "Properties=species:S:1:pos:R:3:move_mask:L:1:tags:I:1:forces:R:3 energy=-12.5 "
    "pbc=\"T T F\" note={a b}\n"
    "Pt 0.0 0.0 10.0 F 0 0.1 0.2 0.3\n"
    "Pt 2.5 3.0 10.0 T 1 -0.1 -0.2 -0.3\n"
    "Au 1.0 1.0 12.0 T 2 0 0 0.5\n"
    "2\n"
    "Properties=species:S:1:pos:R:3:fixed:I:1\n"
    "Pt 0 0 0 1\n"
    "Pt 0 0 2.5 0\n";

static const char POSCAR_SEED[] = "Pt slab\n"
                                  "  1.0\n"
                                  "  5.5 0.0 0.0\n"
                                  "  1.0 5.4 0.0\n"
                                  "  0.0 0.0 15.0\n"
                                  "  Pt Au\n"
                                  "  2 1\n"
                                  "Selective dynamics\n"
                                  "Direct\n"
                                  "  0.0 0.0 0.1 F F F\n"
                                  "  0.5 0.5 0.1 T T T\n"
                                  "  0.25 0.25 0.3 T F T\n";

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
};

static void mutate(text *t, gn_rng *r)
{
    size_t at = pick(r, t->len + 1);
    switch (pick(r, 7)) {
    case 0: /* overwrite one byte */
        if (t->len) {
            static const char alphabet[] = "0123456789 .-+eE\n\"'=:TFSRIL{}[],\t";
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

typedef struct tally {
    size_t ok, failed;
} tally;

static void check_atoms(const gn_atoms *a)
{
    gn_error err;
    assert_non_null(a);
    gn_assert_ok(gn_atoms_validate(a, "fuzz", 0.5, &err), &err);
}

static void check_failure(int rc, const gn_error *err)
{
    assert_int_equal(err->code, rc);
    assert_true(err->msg[0] != '\0');
}

/* Parses an exact-size copy of t with both parsers (either may receive the other's format). */
static void parse_both(const text *t, tally *xyz, tally *pos)
{
    char *exact = malloc(t->len ? t->len : 1);
    assert_non_null(exact);
    memcpy(exact, t->p, t->len);
    gn_frame *fr = (gn_frame *)1;
    size_t n = 7;
    gn_error err;
    gn_error_clear(&err);
    int rc = gn_xyz_parse(exact, t->len, "fuzz.xyz", &fr, &n, &err);
    if (rc == GN_OK) {
        assert_true(n >= 1);
        for (size_t k = 0; k < n; k++)
            check_atoms(fr[k].atoms);
        gn_frames_free(fr, n);
        xyz->ok++;
    } else {
        check_failure(rc, &err);
        assert_null(fr);
        assert_int_equal(n, 0);
        xyz->failed++;
    }
    gn_atoms *a = (gn_atoms *)1;
    gn_error_clear(&err);
    rc = gn_poscar_parse(exact, t->len, "fuzz/POSCAR", &a, &err);
    if (rc == GN_OK) {
        check_atoms(a);
        gn_atoms_free(a);
        pos->ok++;
    } else {
        check_failure(rc, &err);
        assert_null(a);
        pos->failed++;
    }
    free(exact);
}

static void fuzz_seed(const char *seed, uint64_t rng_seed, tally *xyz, tally *pos)
{
    gn_rng r = {rng_seed};
    text t = {NULL, 0, 0};
    for (int round = 0; round < ROUNDS; round++) {
        t.len = 0;
        text_insert(&t, 0, seed, strlen(seed));
        int nmut = 1 + (int)pick(&r, 4);
        for (int m = 0; m < nmut; m++)
            mutate(&t, &r);
        parse_both(&t, xyz, pos);
    }
    free(t.p);
}

static void test_fuzz_xyz(void **state)
{
    (void)state;
    tally xyz = {0, 0}, pos = {0, 0};
    fuzz_seed(XYZ_SEED, 0x9e3779b97f4a7c15ULL, &xyz, &pos);
    fprintf(stderr, "xyz seed: xyz parser %zu accepted, %zu rejected; poscar parser %zu/%zu\n",
            xyz.ok, xyz.failed, pos.ok, pos.failed);
    /* a fuzz that never gets past the parser, or never fails, tests nothing */
    assert_true(xyz.ok > ROUNDS / 50);
    assert_true(xyz.failed > ROUNDS / 5);
}

static void test_fuzz_poscar(void **state)
{
    (void)state;
    tally xyz = {0, 0}, pos = {0, 0};
    fuzz_seed(POSCAR_SEED, 0xd1b54a32d192ed03ULL, &xyz, &pos);
    fprintf(stderr, "poscar seed: poscar parser %zu accepted, %zu rejected; xyz parser %zu/%zu\n",
            pos.ok, pos.failed, xyz.ok, xyz.failed);
    assert_true(pos.ok > ROUNDS / 50);
    assert_true(pos.failed > ROUNDS / 5);
}

static void test_seeds_are_valid(void **state)
{
    (void)state;
    text t = {NULL, 0, 0};
    tally xyz = {0, 0}, pos = {0, 0};
    text_insert(&t, 0, XYZ_SEED, strlen(XYZ_SEED));
    parse_both(&t, &xyz, &pos);
    assert_int_equal(xyz.ok, 1);
    t.len = 0;
    text_insert(&t, 0, POSCAR_SEED, strlen(POSCAR_SEED));
    parse_both(&t, &xyz, &pos);
    assert_int_equal(pos.ok, 1);
    free(t.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds_are_valid),
        cmocka_unit_test(test_fuzz_xyz),
        cmocka_unit_test(test_fuzz_poscar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
