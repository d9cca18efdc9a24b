/* Tests of VASP POSCAR reading and writing (lengths Å, volumes Å^3) and of the structure-file
 * dispatch by name and content. Expected Cartesian positions are worked out by hand from the
 * fractional coordinates and cell vectors typed into the test texts. */
#include "gn_test.h"

#include <unistd.h>

static int parse(const char *text, gn_atoms **a, gn_error *err)
{
    return gn_poscar_parse(text, strlen(text), "POSCAR", a, err);
}

static void assert_pos(const gn_atoms *a, size_t i, double x, double y, double z, double tol)
{
    gn_assert_near(a->pos[3 * i], x, tol);
    gn_assert_near(a->pos[3 * i + 1], y, tol);
    gn_assert_near(a->pos[3 * i + 2], z, tol);
}

static void test_direct_fcc_with_selective_dynamics(void **state)
{
    (void)state;
    const char *text = "fcc Pt conventional cell\n"
                       "  3.92\n"
                       "  1.0 0.0 0.0\n"
                       "  0.0 1.0 0.0\n"
                       "  0.0 0.0 1.0\n"
                       "  Pt_pv Au/1a2b\n"
                       "  3 1\n"
                       "Selective dynamics\n"
                       "Direct\n"
                       "  0.0 0.0 0.0 F F F\n"
                       "  0.0 0.5 0.5 T T T ! a comment\n"
                       "  0.5 0.0 0.5 T F T\n"
                       "  0.5 0.5 0.0 T T T Au\n"
                       "\n"
                       "  0 0 0\n";
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(parse(text, &a, &err), &err);
    assert_int_equal(a->n, 4);
    assert_int_equal(a->z[0], 78);
    assert_int_equal(a->z[3], 79);
    gn_assert_near(a->mass[3], 196.967, 0.01);
    assert_pos(a, 1, 0.0, 1.96, 1.96, 1e-12);
    assert_pos(a, 3, 1.96, 1.96, 0.0, 1e-12);
    gn_assert_near(gn_cell_volume(&a->cell), 3.92 * 3.92 * 3.92, 1e-9);
    for (int k = 0; k < 3; k++)
        assert_int_equal(a->cell.pbc[k], 1);
    /* all F: fixed; all T: free; mixed: fixed (documented choice) */
    assert_int_equal(a->fixed[0], 1);
    assert_int_equal(a->fixed[1], 0);
    assert_int_equal(a->fixed[2], 1);
    assert_int_equal(a->fixed[3], 0);
    gn_atoms_free(a);
}

static void test_triclinic_direct_and_scales(void **state)
{
    (void)state;
    gn_atoms *a;
    gn_error err;
    /* r = 0.25 a + 0.5 b + 0.75 c with a = (4,0,0), b = (1,5,0), c = (0.5,0.5,6) */
    gn_assert_ok(parse("t\n1\n4 0 0\n1 5 0\n0.5 0.5 6\nPt\n1\nd\n0.25 0.5 0.75\n", &a, &err),
                 &err);
    assert_pos(a, 0, 1.875, 2.875, 4.5, 1e-12);
    gn_atoms_free(a);
    /* negative scale = volume: a unit cube scaled to 64 Å^3 is a 4 Å cube */
    gn_assert_ok(parse("t\n-64\n1 0 0\n0 1 0\n0 0 1\nPt\n1\nDirect\n0.5 0.5 0.25\n", &a, &err),
                 &err);
    gn_assert_near(a->cell.h[1][1], 4.0, 1e-12);
    assert_pos(a, 0, 2.0, 2.0, 1.0, 1e-12);
    gn_atoms_free(a);
    /* Cartesian coordinates are scaled too */
    gn_assert_ok(parse("t\n2.0\n3 0 0\n0 3 0\n0 0 3\nPt\n1\nCartesian\n1 1.5 2\n", &a, &err),
                 &err);
    gn_assert_near(a->cell.h[0][0], 6.0, 0);
    assert_pos(a, 0, 2.0, 3.0, 4.0, 0);
    gn_atoms_free(a);
    /* three factors scale x, y and z */
    gn_assert_ok(parse("t\n2 3 4\n1 0 0\n0 1 0\n0 0 1\nPt\n1\nk\n1 1 1\n", &a, &err), &err);
    gn_assert_near(a->cell.h[2][2], 4.0, 0);
    assert_pos(a, 0, 2.0, 3.0, 4.0, 0);
    gn_atoms_free(a);
}

typedef struct bad_case {
    const char *text;
    int code;
    const char *msg;
} bad_case;

#define CELL "t\n1.0\n5 0 0\n0 5 0\n0 0 5\n"

static void test_rejects_bad_files(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", GN_EPARSE, "POSCAR:1: truncated: expected a comment line"},
        {"t\n1.0\n5 0 0\n0 5\n", GN_EPARSE, "POSCAR:4: expected 3 numbers for cell vector 2, found 2"},
        {"t\nx\n", GN_EPARSE, "POSCAR:2: 'x' in the scale factor is not a finite number"},
        {"t\n0\n5 0 0\n0 5 0\n0 0 5\nPt\n1\nD\n0 0 0\n", GN_EPARSE, "POSCAR:2: the scale factor is zero"},
        {CELL "2\nDirect\n0 0 0\n0.5 0.5 0.5\n", GN_EPARSE, "POSCAR:6: expected the element symbols"},
        {CELL "Pt Qq\n1 1\nD\n0 0 0\n.5 .5 .5\n", GN_EPARSE, "POSCAR:6: unknown element 'Qq'"},
        {CELL "Pt Au\n1\nD\n0 0 0\n", GN_EPARSE, "POSCAR:7: expected 2 atom counts (one per species on line 6), found 1"},
        {CELL "Pt\n-1\nD\n0 0 0\n", GN_EPARSE, "POSCAR:7: atom count '-1' is not a positive"},
        {CELL "Pt\n99999999999\nD\n0 0 0\n", GN_EPARSE, "POSCAR:7: truncated"},
        {CELL "Pt\n3\nDirect\n0 0 0\n0.5 0.5 0.5\n", GN_EPARSE,
         "POSCAR:11: truncated: expected more atom coordinates"},
        {CELL "Pt\n2\nDirect\n0 0 0\n0.5 0.5\n", GN_EPARSE,
         "POSCAR:10: expected 3 numbers for the coordinates, found 2"},
        {CELL "Pt\n1\nDirect\n0 abc 0\n", GN_EPARSE, "POSCAR:9: 'abc' in the coordinates is not"},
        {CELL "Pt\n1\nDirect\n0 NaN 0\n", GN_EPARSE, "POSCAR:9: 'NaN'"},
        {CELL "Pt\n1\nDirect\n-inf 0 0\n", GN_EPARSE, "POSCAR:9: '-inf'"},
        {CELL "Pt\n1\nXyz\n0 0 0\n", GN_EPARSE, "POSCAR:8: expected Direct or Cartesian, found 'Xyz'"},
        {CELL "Pt\n1\nSelective\nDirect\n0 0 0 T T\n", GN_EPARSE,
         "POSCAR:10: expected 3 selective-dynamics flags after the coordinates, found 2"},
        {CELL "Pt\n1\nSelective\nDirect\n0 0 0 T Y T\n", GN_EPARSE,
         "POSCAR:10: selective-dynamics flag 'Y'"},
        {"t\n1.0\n1 0 0\n2 0 0\n0 0 1\nPt\n1\nD\n0 0 0\n", GN_EINVAL, "POSCAR:3: cell is singular"},
        {"t\n-10\n1 0 0\n2 0 0\n0 0 1\nPt\n1\nD\n0 0 0\n", GN_EINVAL, "POSCAR:3: the cell is singular"},
        {CELL "Pt\n2\nDirect\n0 0 0\n0.02 0 0.99\n", GN_EINVAL,
         "POSCAR:10: atom 2 is 0.112 Å from atom 1 (line 9)"},
        /* one species, two counts: ASE refuses it too (it does not read 64 atoms of 129) */
        {CELL "Pt\n1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n", GN_EPARSE,
         "POSCAR:7: expected 1 atom count (one per species on line 6), found 2"},
        {CELL "Pt Au\n1 1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n0 0.5 0\n", GN_EPARSE,
         "POSCAR:7: expected 2 atom counts (one per species on line 6), found 3"},
        {"t\n1.0\n1e300 0 0\n0 5 0\n0 0 5\nPt\n1\nD\n0 0 0\n", GN_EINVAL,
         "POSCAR:3: cell vector 1 is 1e+300 Å long"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gn_atoms *a = (gn_atoms *)1;
        gn_error err;
        gn_error_clear(&err);
        int rc = parse(cases[i].text, &a, &err);
        if (rc != cases[i].code || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: got %d '%s', expected %d '%s'", i, rc, err.msg, cases[i].code,
                     cases[i].msg);
        assert_null(a);
    }
}

/* Pt Pt Au Pt: species blocks must keep this order. */
static gn_atoms *make_atoms(const double h[3][3], const int pbc[3])
{
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    const double r[4][3] = {{0.1234567891, 0.2, 1.0},
                            {2.7, 0.3, 1.1},
                            {1.3, 2.6, 3.0},
                            {-0.4, 2.2, 6.0}};
    const int z[4] = {78, 78, 79, 78};
    for (int i = 0; i < 4; i++)
        gn_assert_ok(gn_atoms_push(a, z[i], r[i], i % 2, &err), &err);
    return a;
}

static char *make_dir(void)
{
    static const char tmpl[] = "/tmp/gn_io_poscar_XXXXXX";
    char *d = malloc(sizeof tmpl);
    memcpy(d, tmpl, sizeof tmpl);
    assert_non_null(mkdtemp(d));
    return d;
}

static void test_roundtrip(void **state)
{
    (void)state;
    const double h[3][3] = {{5.5, 0, 0}, {1.0, 5.4, 0.1}, {0.2, 0.3, 12.0}};
    const int pbc[3] = {1, 1, 1};
    gn_atoms *a = make_atoms(h, pbc);
    char *dir = make_dir();
    char path[256];
    snprintf(path, sizeof path, "%s/CONTCAR", dir);
    gn_error err;
    gn_assert_ok(gn_poscar_write(path, a, "round trip", &err), &err);
    char *text;
    gn_assert_ok(gn_file_read_all(path, &text, NULL, &err), &err);
    assert_non_null(strstr(text, "Pt   Au   Pt"));
    assert_non_null(strstr(text, "2    1    1"));
    assert_non_null(strstr(text, "Selective dynamics"));
    free(text);
    gn_atoms *b;
    gn_assert_ok(gn_poscar_read(path, &b, &err), &err);
    assert_int_equal(b->n, 4);
    assert_true(gn_cell_equal(&a->cell, &b->cell, 1e-9));
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(a->z[i], b->z[i]);
        assert_int_equal(a->fixed[i], b->fixed[i]);
        assert_pos(b, i, a->pos[3 * i], a->pos[3 * i + 1], a->pos[3 * i + 2], 1e-9);
    }
    gn_atoms_free(b);
    unlink(path);
    rmdir(dir);
    free(dir);
    gn_atoms_free(a);
}

static void test_write_completes_free_directions(void **state)
{
    (void)state;
    /* A slab with no c vector: c becomes normal to a and b, as long as the atoms' z extent
     * (1.0 to 6.0 Å) plus GN_POSCAR_VACUUM. */
    const double slab[3][3] = {{5.5, 0, 0}, {1.0, 5.4, 0}, {0, 0, 0}};
    const int pbc_slab[3] = {1, 1, 0};
    gn_atoms *a = make_atoms(slab, pbc_slab);
    char *dir = make_dir();
    char path[256];
    snprintf(path, sizeof path, "%s/slab.vasp", dir);
    gn_error err;
    gn_assert_ok(gn_structure_write(path, a, &err), &err);
    gn_atoms *b;
    gn_assert_ok(gn_structure_read(path, &b, &err), &err);
    gn_assert_near(b->cell.h[2][0], 0.0, 1e-12);
    gn_assert_near(b->cell.h[2][1], 0.0, 1e-12);
    gn_assert_near(fabs(b->cell.h[2][2]), 5.0 + GN_POSCAR_VACUUM, 1e-9);
    gn_assert_near(b->cell.h[1][0], 1.0, 1e-12);
    assert_int_equal(b->cell.pbc[2], 1);
    gn_atoms_free(b);
    gn_atoms_free(a);
    /* A free cluster: each axis spans the atoms plus the vacuum (x extent -0.4..2.7 = 3.1 Å). */
    const double none[3][3] = {{0}};
    const int nopbc[3] = {0, 0, 0};
    a = make_atoms(none, nopbc);
    gn_assert_ok(gn_structure_write(path, a, &err), &err);
    gn_assert_ok(gn_structure_read(path, &b, &err), &err);
    gn_assert_near(b->cell.h[0][0], 3.1 + GN_POSCAR_VACUUM, 1e-9);
    gn_assert_near(b->cell.h[1][1], 2.4 + GN_POSCAR_VACUUM, 1e-9);
    gn_assert_near(b->cell.h[2][2], 5.0 + GN_POSCAR_VACUUM, 1e-9);
    gn_assert_near(b->cell.h[0][1], 0.0, 1e-12);
    gn_atoms_free(b);
    gn_atoms_free(a);
    unlink(path);
    rmdir(dir);
    free(dir);
}

static void test_structure_dispatch(void **state)
{
    (void)state;
    assert_int_equal(gn_structure_format_from_name("a/b/band.xyz"), GN_FORMAT_XYZ);
    assert_int_equal(gn_structure_format_from_name("x.ExtXYZ"), GN_FORMAT_XYZ);
    assert_int_equal(gn_structure_format_from_name("run/POSCAR"), GN_FORMAT_POSCAR);
    assert_int_equal(gn_structure_format_from_name("CONTCAR_relaxed"), GN_FORMAT_POSCAR);
    assert_int_equal(gn_structure_format_from_name("is.poscar"), GN_FORMAT_POSCAR);
    assert_int_equal(gn_structure_format_from_name("Pt.vasp"), GN_FORMAT_POSCAR);
    assert_int_equal(gn_structure_format_from_name("poscar.d/initial"), GN_FORMAT_UNKNOWN);
    assert_int_equal(gn_structure_format_from_name("initial.txt"), GN_FORMAT_UNKNOWN);
    const char *xyz = "\n 2 \ncomment\nPt 0 0 0\nPt 0 0 3\n1\n\nAu 0 0 7\n";
    assert_int_equal(gn_structure_format_sniff(xyz, strlen(xyz)), GN_FORMAT_XYZ);
    const char *pos = "2 atoms\n1.0\n";
    assert_int_equal(gn_structure_format_sniff(pos, strlen(pos)), GN_FORMAT_POSCAR);

    char *dir = make_dir();
    char path[256];
    gn_error err;
    gn_atoms *a;
    /* an unknown name holding XYZ: sniffed, and the last frame is the structure */
    snprintf(path, sizeof path, "%s/initial.txt", dir);
    gn_assert_ok(gn_file_write_string(path, xyz + 1, &err), &err);
    gn_assert_ok(gn_structure_read(path, &a, &err), &err);
    assert_int_equal(a->n, 1);
    assert_int_equal(a->z[0], 79);
    gn_assert_near(a->pos[2], 7.0, 0);
    gn_atoms_free(a);
    /* an unknown name holding a POSCAR */
    gn_assert_ok(gn_file_write_string(path, "t\n1\n4 0 0\n0 4 0\n0 0 4\nPt\n1\nC\n1 2 3\n", &err),
                 &err);
    gn_assert_ok(gn_structure_read(path, &a, &err), &err);
    assert_pos(a, 0, 1, 2, 3, 0);
    /* writing needs a name that says the format */
    assert_int_equal(gn_structure_write(path, a, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "cannot tell the format"));
    char xyzpath[300];
    snprintf(xyzpath, sizeof xyzpath, "%s/out.xyz", dir);
    gn_assert_ok(gn_structure_write(xyzpath, a, &err), &err);
    gn_atoms *b;
    gn_assert_ok(gn_structure_read(xyzpath, &b, &err), &err);
    assert_true(gn_cell_equal(&a->cell, &b->cell, 1e-12));
    assert_pos(b, 0, 1, 2, 3, 0);
    gn_atoms_free(b);
    gn_atoms_free(a);
    /* errors carry the file name */
    gn_assert_ok(gn_file_write_string(xyzpath, "1\n\nPt 0 0\n", &err), &err);
    assert_int_equal(gn_structure_read(xyzpath, &a, &err), GN_EPARSE);
    assert_non_null(strstr(err.msg, "out.xyz:3: expected 3 coordinates, found 2"));
    assert_null(a);
    unlink(xyzpath);
    unlink(path);
    rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_direct_fcc_with_selective_dynamics),
        cmocka_unit_test(test_triclinic_direct_and_scales),
        cmocka_unit_test(test_rejects_bad_files),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_write_completes_free_directions),
        cmocka_unit_test(test_structure_dispatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
