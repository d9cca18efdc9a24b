/* Tests of extended XYZ reading and writing (lengths Å, energy eV, forces eV/Å): the ASE/OVITO
 * comment-line syntax, skipped columns, fixed-atom columns, multi-frame round trips and the
 * rejection of malformed files with file, line and reason. Expected numbers are the ones typed
 * into the test texts; masses are IUPAC standard atomic weights. */
#include "gn_test.h"

#include <dirent.h>
#include <unistd.h>

static int parse(const char *text, gn_frame **fr, size_t *n, gn_error *err)
{
    return gn_xyz_parse(text, strlen(text), "t.xyz", fr, n, err);
}

static void test_parse_ase_style(void **state)
{
    (void)state;
    const char *text =
        "3\n"
        "Lattice=\"5.0 0.0 0.0 1.0 6.0 0.0 0.0 0.0 20.0\" "
        "Properties=species:S:1:pos:R:3:tags:I:1:move_mask:L:1:name:S:1:forces:R:3:magmom:R:1:"
        "vel:R:3 energy=-12.5 pbc=\"T T F\" comment=\"a b=c 'x'\" flag\n"
        "Pt 0.0 0.0 10.0 0 F atomA 0.1 0.2 0.3 1.5 0 0 0\n"
        "Pt 2.5 3.0 10.0 1 T atomB -0.1 -0.2 -0.3 0.0 1 2 3\r\n"
        "Au 1.0 1.0 12.0 2 T c 0 0 0.5 2.0 4 5 6\n";
    gn_frame *fr;
    size_t n;
    gn_error err;
    gn_assert_ok(parse(text, &fr, &n, &err), &err);
    assert_int_equal(n, 1);
    const gn_atoms *a = fr[0].atoms;
    assert_int_equal(a->n, 3);
    assert_int_equal(a->z[0], 78);
    assert_int_equal(a->z[2], 79);
    gn_assert_near(a->mass[0], 195.084, 0.01);
    gn_assert_near(a->mass[2], 196.967, 0.01);
    const double pos[9] = {0, 0, 10, 2.5, 3, 10, 1, 1, 12};
    for (int i = 0; i < 9; i++)
        gn_assert_near(a->pos[i], pos[i], 0);
    gn_assert_near(a->cell.h[1][0], 1.0, 0);
    gn_assert_near(a->cell.h[1][1], 6.0, 0);
    gn_assert_near(a->cell.h[2][2], 20.0, 0);
    assert_int_equal(a->cell.pbc[0], 1);
    assert_int_equal(a->cell.pbc[1], 1);
    assert_int_equal(a->cell.pbc[2], 0);
    assert_int_equal(a->fixed[0], 1);
    assert_int_equal(a->fixed[1], 0);
    assert_int_equal(a->fixed[2], 0);
    assert_true(fr[0].has_energy);
    gn_assert_near(fr[0].energy, -12.5, 0);
    assert_non_null(fr[0].forces);
    gn_assert_near(fr[0].forces[4], -0.2, 0);
    gn_assert_near(fr[0].forces[8], 0.5, 0);
    gn_frames_free(fr, n);
}

static void test_plain_xyz_is_a_cluster(void **state)
{
    (void)state;
    /* A free-text comment, with an unmatched quote, is ignored. */
    const char *text = "2\nBob's Pt dimer, 2.5 A\nPt 0 0 0\nPt 0 0 2.5\n\n\n";
    gn_frame *fr;
    size_t n;
    gn_error err;
    gn_assert_ok(parse(text, &fr, &n, &err), &err);
    assert_int_equal(n, 1);
    const gn_atoms *a = fr[0].atoms;
    for (int k = 0; k < 3; k++) {
        assert_int_equal(a->cell.pbc[k], 0);
        for (int d = 0; d < 3; d++)
            gn_assert_near(a->cell.h[k][d], 0.0, 0);
    }
    assert_false(fr[0].has_energy);
    assert_null(fr[0].forces);
    gn_assert_near(a->pos[5], 2.5, 0);
    gn_frames_free(fr, n);
}

static void test_comment_syntax(void **state)
{
    (void)state;
    /* lower-case key, bracketed list with commas, single quotes, a one-flag pbc, an unquoted
     * energy and escaped quotes in an ignored value */
    const char *text = "1\n"
                       "lattice=[4,0,0, 0,4,0, 0,0,4] Properties='species:S:1:pos:R:3' pbc=T "
                       "note=\"say \\\"hi\\\"\" Energy=1.25e1\n"
                       "Pt 1 2 3\n";
    gn_frame *fr;
    size_t n;
    gn_error err;
    gn_assert_ok(parse(text, &fr, &n, &err), &err);
    const gn_atoms *a = fr[0].atoms;
    gn_assert_near(a->cell.h[2][2], 4.0, 0);
    for (int k = 0; k < 3; k++)
        assert_int_equal(a->cell.pbc[k], 1);
    gn_assert_near(fr[0].energy, 12.5, 0);
    gn_frames_free(fr, n);
    /* Lattice given without pbc: periodic in all three directions (ASE's default). */
    gn_assert_ok(parse("1\nLattice=\"4 0 0 0 4 0 0 0 4\"\nPt 0 0 0\n", &fr, &n, &err), &err);
    assert_int_equal(fr[0].atoms->cell.pbc[2], 1);
    gn_frames_free(fr, n);
}

static void test_fixed_columns(void **state)
{
    (void)state;
    gn_frame *fr;
    size_t n;
    gn_error err;
    const char *by_int = "3\nProperties=species:S:1:pos:R:3:fixed:I:1\n"
                         "Pt 0 0 0 0\nPt 3 0 0 1\nPt 6 0 0 2\n";
    gn_assert_ok(parse(by_int, &fr, &n, &err), &err);
    assert_int_equal(fr[0].atoms->fixed[0], 0);
    assert_int_equal(fr[0].atoms->fixed[1], 1);
    assert_int_equal(fr[0].atoms->fixed[2], 1);
    gn_frames_free(fr, n);
    const char *by_flag = "2\nProperties=species:S:1:fixed:L:1:pos:R:3\nPt T 0 0 0\nPt F 3 0 0\n";
    gn_assert_ok(parse(by_flag, &fr, &n, &err), &err);
    assert_int_equal(fr[0].atoms->fixed[0], 1);
    assert_int_equal(fr[0].atoms->fixed[1], 0);
    gn_assert_near(fr[0].atoms->pos[3], 3.0, 0);
    gn_frames_free(fr, n);
    /* move_mask:L:3: T = may move; an atom held along any direction is fixed. */
    const char *mask3 = "3\nProperties=species:S:1:pos:R:3:move_mask:L:3\n"
                        "Pt 0 0 0 T T T\nPt 3 0 0 F F F\nPt 6 0 0 T F T\n";
    gn_assert_ok(parse(mask3, &fr, &n, &err), &err);
    assert_int_equal(fr[0].atoms->fixed[0], 0);
    assert_int_equal(fr[0].atoms->fixed[1], 1);
    assert_int_equal(fr[0].atoms->fixed[2], 1);
    gn_frames_free(fr, n);
}

/* A frame of n atoms on a jittered grid (no pair closer than 2 Å). */
static gn_frame make_frame(gn_rng *rng, size_t n, const double h[3][3], const int pbc[3],
                           int with_forces, int with_energy)
{
    gn_frame f = {NULL, 0, 0, NULL};
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&f.atoms, 0, &err), &err);
    gn_assert_ok(gn_cell_init(&f.atoms->cell, h, pbc, &err), &err);
    static const int species[] = {78, 79, 1, 8};
    for (size_t i = 0; i < n; i++) {
        double r[3] = {2.7 * (double)(i % 3), 2.7 * (double)((i / 3) % 3), 2.7 * (double)(i / 9)};
        for (int d = 0; d < 3; d++)
            r[d] += (gn_rng_uniform(rng) - 0.5) * 0.6 + 1e-7 / 3.0;
        gn_assert_ok(gn_atoms_push(f.atoms, species[i % 4], r, gn_rng_uniform(rng) < 0.4, &err),
                     &err);
    }
    if (with_forces) {
        f.forces = malloc(3 * n * sizeof *f.forces);
        for (size_t i = 0; i < 3 * n; i++)
            f.forces[i] = (gn_rng_uniform(rng) - 0.5) * 3.0;
    }
    f.has_energy = with_energy;
    f.energy = with_energy ? -1234.56789012345 * gn_rng_uniform(rng) : 0.0;
    return f;
}

static void assert_frames_equal(const gn_frame *a, const gn_frame *b)
{
    assert_int_equal(a->atoms->n, b->atoms->n);
    assert_true(gn_cell_equal(&a->atoms->cell, &b->atoms->cell, 1e-9));
    for (size_t i = 0; i < a->atoms->n; i++) {
        assert_int_equal(a->atoms->z[i], b->atoms->z[i]);
        assert_int_equal(a->atoms->fixed[i], b->atoms->fixed[i]);
        gn_assert_near(a->atoms->mass[i], b->atoms->mass[i], 0);
        for (int d = 0; d < 3; d++) {
            gn_assert_near(a->atoms->pos[3 * i + d], b->atoms->pos[3 * i + d], 1e-9);
            if (a->forces)
                gn_assert_near(a->forces[3 * i + d], b->forces[3 * i + d], 1e-9);
        }
    }
    assert_int_equal(a->has_energy, b->has_energy);
    gn_assert_near(a->energy, b->energy, 1e-9);
    assert_int_equal(a->forces != NULL, b->forces != NULL);
}

static size_t count_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_roundtrip_multiframe(void **state)
{
    (void)state;
    gn_rng rng = {2024};
    const double slab[3][3] = {{8.5, 0, 0}, {1.2, 8.1, 0}, {0, 0, 0}};
    const double box[3][3] = {{9, 0.5, 0.2}, {0.3, 9.5, 0}, {0.1, 0.4, 12}};
    const double none[3][3] = {{0}};
    const int pbc_slab[3] = {1, 1, 0}, pbc_all[3] = {1, 1, 1}, pbc_none[3] = {0, 0, 0};
    gn_frame band[4] = {
        make_frame(&rng, 20, slab, pbc_slab, 1, 1),
        make_frame(&rng, 20, slab, pbc_slab, 0, 1),
        make_frame(&rng, 13, box, pbc_all, 1, 0),
        make_frame(&rng, 7, none, pbc_none, 0, 0),
    };
    char dir[] = "/tmp/gn_io_xyz_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/band.xyz", dir);
    gn_error err;
    gn_assert_ok(gn_xyz_write(path, band, 4, &err), &err);
    assert_int_equal(count_files(dir), 1); /* no temporary left behind */
    gn_frame *back;
    size_t n;
    gn_assert_ok(gn_xyz_read(path, &back, &n, &err), &err);
    assert_int_equal(n, 4);
    for (size_t k = 0; k < 4; k++)
        assert_frames_equal(&band[k], &back[k]);
    gn_frames_free(back, n);
    /* A failed write leaves the old file whole. */
    gn_frame bad = band[0];
    bad.atoms->pos[4] = NAN;
    assert_int_equal(gn_xyz_write(path, &bad, 1, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "non-finite"));
    assert_int_equal(count_files(dir), 1);
    gn_assert_ok(gn_xyz_read(path, &back, &n, &err), &err);
    assert_int_equal(n, 4);
    gn_frames_free(back, n);
    char missing[300];
    snprintf(missing, sizeof missing, "%s/no/such/dir/band.xyz", dir);
    assert_int_equal(gn_xyz_write(missing, band, 1, &err), GN_EIO);
    assert_int_equal(gn_xyz_read(missing, &back, &n, &err), GN_EIO);
    assert_null(back);
    unlink(path);
    rmdir(dir);
    for (size_t k = 0; k < 4; k++) {
        gn_atoms_free(band[k].atoms);
        free(band[k].forces);
    }
}

typedef struct bad_case {
    const char *text;
    int code;
    const char *msg;
} bad_case;

static void test_rejects_bad_files(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", GN_EPARSE, "t.xyz:1: no frames"},
        {"3\n\nPt 0 0 0\nPt 0 0 3\n", GN_EPARSE, "t.xyz:1: truncated: 3 atoms declared but only 2"},
        {"2\n\nPt 0 0 0\nPt 0 0 3\nPt 0 0 6\n", GN_EPARSE, "t.xyz:5: expected the number of atoms"},
        {"abc\n\nPt 0 0 0\n", GN_EPARSE, "t.xyz:1: expected the number of atoms, found 'abc'"},
        {"0\n\n", GN_EPARSE, "t.xyz:1: a frame with no atoms"},
        {"1\n\nPt 0 0\n", GN_EPARSE, "t.xyz:3: expected 3 coordinates, found 2"},
        {"1\n\nPt 0 0 0 7\n", GN_EPARSE, "t.xyz:3: expected 4 columns, found 5"},
        {"1\n\nPt 0 abc 0\n", GN_EPARSE, "t.xyz:3: 'abc' in property 'pos' is not a finite number"},
        {"1\n\nPt 0 nan 0\n", GN_EPARSE, "t.xyz:3: 'nan'"},
        {"1\n\nPt inf 0 0\n", GN_EPARSE, "t.xyz:3: 'inf'"},
        {"1\n\nPt 1e999 0 0\n", GN_EPARSE, "t.xyz:3: '1e999'"},
        {"1\n\nQq 0 0 0\n", GN_EPARSE, "t.xyz:3: unknown element 'Qq'"},
        {"1\nLattice=\"1 0 0 2 0 0 0 0 1\"\nPt 0 0 0\n", GN_EINVAL, "t.xyz:2: cell is singular"},
        {"1\nLattice=\"1 0 0 0 1 0 0 0\"\nPt 0 0 0\n", GN_EPARSE, "t.xyz:2: Lattice needs 9"},
        {"1\nLattice=\"4 0 0 0 4 0 0 0 4\nPt 0 0 0\n", GN_EPARSE, "t.xyz:2: unterminated quote"},
        {"1\npbc=\"T T F\"\nPt 0 0 0\n", GN_EPARSE, "t.xyz:2: pbc is periodic but there is no Lattice"},
        {"1\npbc=\"T X F\"\nPt 0 0 0\n", GN_EPARSE, "t.xyz:2: pbc flag 'X'"},
        {"1\nenergy=abc\nPt 0 0 0\n", GN_EPARSE, "t.xyz:2: energy 'abc'"},
        /* coincident atoms: the message points at the atoms' lines, not the comment line */
        {"2\n\nPt 0 0 0\nPt 0 0 0.3\n", GN_EINVAL,
         "t.xyz:4: atom 2 is 0.300 Å from atom 1 (line 3)"},
        {"2\nLattice=\"5 0 0 0 5 0 0 0 5\"\nPt 0.1 0 0\nPt 4.8 0 0\n", GN_EINVAL,
         "t.xyz:4: atom 2 is 0.300 Å from atom 1 (line 3)"},
        {"3\n\nPt 0 0 0\nPt 3 0 0\nPt 0 0.1 0\n", GN_EINVAL,
         "t.xyz:5: atom 3 is 0.100 Å from atom 1 (line 3)"},
        /* absurd cells: refused with a message instead of overflowing the neighbour list */
        {"2\nLattice=\"1e200 0 0 0 1e200 0 0 0 0\" pbc=\"T T F\"\nPt 0 0 0\nPt 2.7 0 0\n",
         GN_EINVAL, "t.xyz:2: cell vector 1 is 1e+200 Å long"},
        {"2\nLattice=\"1e5 0 0 0 1e5 0 0 0 0\" pbc=\"T T F\"\nPt 0 0 0\nPt 2.7 0 0\n",
         GN_EINVAL, "t.xyz:2: periodic cell vector 1 is 1e+05 Å long, absurd for atoms spanning"},
        {"2\nLattice=\"100 0 0 100 0.0001 0 0 0 0\" pbc=\"T T F\"\nPt 0 0 0\nPt 2.7 0 0\n",
         GN_EINVAL, "t.xyz:2: cell vectors are too nearly parallel"},
        {"1\nProperties=species:S:1\nPt\n", GN_EPARSE, "t.xyz:2: Properties has no pos:R:3"},
        {"1\nProperties=species:S:1:pos:R\nPt 0 0 0\n", GN_EPARSE, "t.xyz:2: Properties must be"},
        {"1\nProperties=species:S:1:pos:Q:3\nPt 0 0 0\n", GN_EPARSE, "type of S, R, I or L"},
        {"1\nProperties=species:S:1:pos:R:2\nPt 0 0\n", GN_EPARSE, "'pos' must be R:3, found R:2"},
        {"1\nProperties=species:S:1:pos:R:3:q:R:x\nPt 0 0 0\n", GN_EPARSE, "bad column count 'x'"},
        {"1\nProperties=species:S:1:pos:R:3:fixed:I:1\nPt 0 0 0 T\n", GN_EPARSE,
         "t.xyz:3: 'T' in property 'fixed' is not an integer"},
        {"1\nProperties=species:S:1:pos:R:3:move_mask:L:1\nPt 0 0 0 2\n", GN_EPARSE,
         "'2' in property 'move_mask' is not T or F"},
        {"1\nProperties=species:S:1:pos:R:3:forces:R:3\nPt 0 0 0 1 2\n", GN_EPARSE,
         "t.xyz:3: expected 7 columns, found 6 (property 'forces' needs 3 values, found 2)"},
        {"1\n\nPt 0 0 0\n1\n\nPt 0\n", GN_EPARSE, "t.xyz:6: expected 3 coordinates, found 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gn_frame *fr = (gn_frame *)1;
        size_t n = 99;
        gn_error err;
        gn_error_clear(&err);
        int rc = parse(cases[i].text, &fr, &n, &err);
        if (rc != cases[i].code || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: got %d '%s', expected %d '%s'", i, rc, err.msg, cases[i].code,
                     cases[i].msg);
        assert_null(fr);
        assert_int_equal(n, 0);
    }
    /* An embedded NUL byte is named with its line. */
    const char nul[] = "1\n\nPt 0\0 0 0\n";
    gn_frame *fr;
    size_t n;
    gn_error err;
    assert_int_equal(gn_xyz_parse(nul, sizeof nul - 1, "t.xyz", &fr, &n, &err), GN_EPARSE);
    assert_non_null(strstr(err.msg, "t.xyz:3: contains a NUL byte"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ase_style),
        cmocka_unit_test(test_plain_xyz_is_a_cluster),
        cmocka_unit_test(test_comment_syntax),
        cmocka_unit_test(test_fixed_columns),
        cmocka_unit_test(test_roundtrip_multiframe),
        cmocka_unit_test(test_rejects_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
