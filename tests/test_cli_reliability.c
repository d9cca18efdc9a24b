/* Reliability of the command line on bad input (issue 15): the built `gapneb` program is run on
 * crafted files and must refuse what it cannot compute with a clear message and the documented
 * exit status (2 bad input, 3 I/O), never crash, hang or answer for the wrong thing.
 *  - a two-element setfl (Au listed first) builds Pt models unless --element says otherwise, a
 *    file without Pt is refused, and energy does not warn about species the file has;
 *  - neb --restart of a converged band stays converged and never leaves a worse path.xyz;
 *  - absurd cells, an atom 1e6 Å out in a free direction and a 1e5 Å gap (build, table and
 *    table --dry-run) are refused or computed at once (each command runs under `timeout`: a hang
 *    is a failure, not a stuck test);
 *  - a POSCAR with more counts than species, a fixed atom that moved and endpoints in another
 *    order are refused, naming the line, atom and distance;
 *  - results lost on a full stdout exit 3 (table included), write errors say why, coincident
 *    atoms cite their lines, a folder given as a file says so, control bytes never reach the
 *    terminal; a run folder whose paths would not fit is refused, not read shortened.
 * Structures are built with `gapneb build` itself (small single-crystal models, milliseconds). */
#include "gn_test.h"

#include <sys/stat.h>
#include <sys/wait.h>

static char *dir; /* scratch folder of this run */

static const char *builddir(void)
{
    const char *bd = getenv("GN_BUILDDIR");
    return bd ? bd : GN_TEST_BUILDDIR;
}

/* Runs `gapneb ARGS` in dir under a 60 s timeout, stdout to out.txt (or to the file stdout_to),
 * stderr to err.txt; prefix (may be "") is shell text run first (ulimit, trap). Returns the exit
 * status, 128 + signal if killed by one; 124 means the timeout struck. */
static int run_ex(const char *prefix, const char *args, const char *stdout_to)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && %s timeout 60 '%s/gapneb' %s > %s 2> err.txt", dir,
             prefix, builddir(), args, stdout_to ? stdout_to : "out.txt");
    int st = system(cmd);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run(const char *args) { return run_ex("", args, NULL); }

/* Contents of a file in dir (caller frees). */
static char *slurp(const char *name)
{
    char path[4096], *text;
    gn_error err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gn_assert_ok(gn_file_read_all(path, &text, NULL, &err), &err);
    return text;
}

/* Fails unless file name (stdout or stderr of the last run) contains needle. */
static void expect_in(const char *name, const char *needle)
{
    char *t = slurp(name);
    if (!strstr(t, needle))
        fail_msg("%s lacks '%s':\n%s", name, needle, t);
    free(t);
}

static void expect_not_in(const char *name, const char *needle)
{
    char *t = slurp(name);
    if (strstr(t, needle))
        fail_msg("%s has '%s':\n%s", name, needle, t);
    free(t);
}

static void expect_status(int got, int want, const char *what)
{
    if (got != want) {
        char *e = slurp("err.txt");
        fail_msg("%s: exit %d, expected %d; stderr:\n%s", what, got, want, e);
    }
}

static void write_text(const char *name, const char *text)
{
    char path[4096];
    gn_error err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gn_assert_ok(gn_file_write_string(path, text, &err), &err);
}

static gn_frame *read_xyz(const char *name, size_t *n)
{
    char path[4096];
    gn_frame *f;
    gn_error err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gn_assert_ok(gn_xyz_read(path, &f, n, &err), &err);
    return f;
}

static void write_atoms(const char *name, gn_atoms *a)
{
    char path[4096];
    gn_error err;
    gn_frame f = {.atoms = a};
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gn_assert_ok(gn_xyz_write(path, &f, 1, &err), &err);
}

/* "a0 = 3.920084 Å" from the --list-sites header in out.txt. */
static double listed_a0(void)
{
    char *t = slurp("out.txt");
    const char *p = strstr(t, "a0 = ");
    assert_non_null(p);
    double a0 = strtod(p + 5, NULL);
    free(t);
    return a0;
}

/* The small Pt(100) hop used by several tests: 3 x 3 cells, 3 layers (2 fixed), adatom from
 * A100:0 to its neighbour A100:2. */
static void build_hop(void)
{
    expect_status(run("-q build s2s --single --n 3 --layers 3 --site A100:0 -o is.xyz"), 0, "is");
    expect_status(run("-q build s2s --single --n 3 --layers 3 --site A100:2 -o fs.xyz"), 0, "fs");
}

/* ---- item 2: the element of a multi-element setfl ---- */

static void test_element_selection(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/AuPt.eam.alloy", dir);
    gn_test_write_aupt_setfl(path, 1);
    snprintf(path, sizeof path, "%s/Au.eam.alloy", dir);
    gn_test_write_aupt_setfl(path, 0);

    expect_status(run("build s2s --gap 6 --list-sites"), 0, "eam-pt sites");
    double a0_pt = listed_a0();
    /* the file's Pt part is eam-pt on a fine grid: the same lattice constant */
    expect_status(run("build s2s --gap 6 --list-sites -p AuPt.eam.alloy"), 0, "AuPt sites");
    gn_assert_near(listed_a0(), a0_pt, 1e-5);
    /* and its made-up Au is told apart, so the check above can fail */
    expect_status(run("build s2s --gap 6 --list-sites -p AuPt.eam.alloy --element Au"), 0,
                  "AuPt --element Au");
    assert_true(fabs(listed_a0() - a0_pt) > 0.01);

    expect_status(run("-q build s2s --gap 6 -p AuPt.eam.alloy -o m.xyz"), 0, "AuPt model");
    size_t nf;
    gn_frame *f = read_xyz("m.xyz", &nf);
    for (size_t i = 0; i < f->atoms->n; i++)
        assert_int_equal(f->atoms->z[i], GN_Z_PT);

    /* a file without Pt is refused unless the element is chosen */
    expect_status(run("-q build s2s --gap 6 -p Au.eam.alloy -o m2.xyz"), 2, "Au-only model");
    expect_in("err.txt", "has no Pt (it describes Au)");
    expect_in("err.txt", "--element");
    expect_status(run("-q build s2s --gap 6 -p Au.eam.alloy --element Au -o m3.xyz"), 0,
                  "Au model");
    size_t n3;
    gn_frame *f3 = read_xyz("m3.xyz", &n3);
    assert_int_equal(f3->atoms->z[0], GN_TEST_AU);
    gn_frames_free(f3, n3);
    expect_status(run("-q build s2s --gap 6 -p AuPt.eam.alloy --element Cu"), 2, "Cu");
    expect_in("err.txt", "does not describe Cu (it describes Au Pt)");

    /* a structure of both species: the file describes them, so no warning */
    for (size_t i = 0; i < f->atoms->n; i += 3) {
        f->atoms->z[i] = GN_TEST_AU;
        f->atoms->mass[i] = gn_element_mass(GN_TEST_AU);
    }
    write_atoms("mix.xyz", f->atoms);
    gn_frames_free(f, nf);
    expect_status(run("energy mix.xyz -p AuPt.eam.alloy"), 0, "energy of Au/Pt");
    expect_not_in("err.txt", "warning");
    /* a potential without Au cannot give its energy */
    expect_status(run("energy mix.xyz -p eam-pt"), 2, "energy of Au with eam-pt");
    expect_in("err.txt", "which this potential does not describe");
}

/* ---- item 3: neb --restart ---- */

/* Largest NEB force on any atom of the movable images of DIR/path.xyz (eV/Å), and the barrier. */
static void band_quality(const char *run_dir, double *fworst, double *barrier)
{
    char name[256];
    snprintf(name, sizeof name, "%s/path.xyz", run_dir);
    size_t n;
    gn_frame *f = read_xyz(name, &n);
    *fworst = 0.0;
    *barrier = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        assert_true(f[k].has_energy);
        *barrier = fmax(*barrier, f[k].energy - f[0].energy);
        for (size_t i = 0; k > 0 && k + 1 < n && i < f[k].atoms->n; i++) {
            const double *g = f[k].forces + 3 * i;
            *fworst = fmax(*fworst, sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]));
        }
    }
    gn_frames_free(f, n);
}

static void test_neb_restart(void **state)
{
    (void)state;
    /* the e2e hop from the (100) to the (111) facet: asymmetric, so the climbing image sits
     * off-centre and, without climbing, its springs pull it off the saddle (with 3 images and
     * k = 10 the old restart came back at 1.37 eV instead of 1.53 eV, unconverged) */
    expect_status(run("-q build e2e --single --radius 9 --site A100:0 -o e_is.xyz"), 0, "e is");
    expect_status(run("-q build e2e --single --radius 9 --site A111:0 -o e_fs.xyz"), 0, "e fs");
    expect_status(run("-q neb e_is.xyz e_fs.xyz -i 3 -k 10 -o run"), 0, "neb");
    double f0, b0, f1, b1, f2, b2;
    band_quality("run", &f0, &b0);
    assert_true(f0 < 0.01);
    expect_status(run("-q neb --restart run -n 5"), 0, "restart -n 5");
    expect_in("out.txt", "converged           yes");
    band_quality("run", &f1, &b1);
    print_message("  restart: fmax %.5f -> %.5f eV/Å, barrier %.6f -> %.6f eV\n", f0, f1, b0, b1);
    assert_true(f1 <= f0 + 1e-9);
    gn_assert_near(b1, b0, 1e-4);
    /* a restart whose steps make the band worse (FIRE with huge steps, a tolerance it cannot
     * meet) keeps the band it began from */
    expect_status(run("-q neb --restart run -o run2 -n 3 --fmax 1e-5 --optimizer fire --dt 1 "
                      "--max-move 0.5"),
                  1, "restart with bad steps");
    expect_in("out.txt", "the starting band kept");
    band_quality("run2", &f2, &b2);
    assert_true(f2 <= f1 + 1e-9);
    gn_assert_near(b2, b1, 1e-6);
}

/* ---- items 4 and 5: crash and hangs ---- */

static void test_absurd_geometry(void **state)
{
    (void)state;
    write_text("big.xyz", "2\nLattice=\"1e200 0 0 0 1e200 0 0 0 0\" "
                          "Properties=species:S:1:pos:R:3 pbc=\"T T F\"\nPt 0 0 0\nPt 2.7 0 0\n");
    expect_status(run("energy big.xyz"), 2, "1e200 cell");
    expect_in("err.txt", "big.xyz:2: cell vector 1 is 1e+200 Å long");

    /* an adatom 1e6 Å above a periodic slab: computed at once (it used to search 1e10 images) */
    expect_status(run("-q build s2s --single --n 3 --layers 3 --site A100:0 -o slab.xyz"), 0,
                  "slab");
    size_t n;
    gn_frame *f = read_xyz("slab.xyz", &n);
    f->atoms->pos[3 * (f->atoms->n - 1) + 2] = 1e6;
    write_atoms("far.xyz", f->atoms);
    gn_frames_free(f, n);
    /* 5 steps do not relax the slab: exit 1 (not converged), but at once */
    expect_status(run("-q relax far.xyz -o far.relaxed.xyz -n 5"), 1, "relax far adatom");
    expect_status(run("energy far.xyz"), 0, "energy far adatom");

    /* gaps outside (0, 50] Å, named by their option */
    expect_status(run("build s2s --gap 1e5"), 2, "gap 1e5");
    expect_in("err.txt", "--gap 100000: must be > 0 and at most 50 Å");
    expect_status(run("build e2e --gap 0"), 2, "gap 0");
    expect_in("err.txt", "--gap 0");
    expect_status(run("-q build s2s --gap 50 --n 2 --layers 3 -o wide.xyz"), 0, "gap 50");
    /* a table refuses them before computing anything, and --dry-run does not write a job that
     * run would refuse */
    expect_status(run("-q table --gaps 1e5 --no-figures --out far_table"), 2, "table gap 1e5");
    expect_in("err.txt", "--gap-max");
    expect_status(run("-q table --gaps 1e5 --dry-run"), 2, "table --dry-run gap 1e5");
    expect_in("err.txt", "--gap-max");
    expect_not_in("out.txt", "[");
}

/* ---- item 6: wrong input accepted silently ---- */

static void test_bad_endpoints(void **state)
{
    (void)state;
    write_text("POSCAR", "Pt\n1.0\n8 0 0\n0 8 0\n0 0 8\nPt\n1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n");
    expect_status(run("energy POSCAR"), 2, "POSCAR with 2 counts for 1 species");
    expect_in("err.txt", "POSCAR:7: expected 1 atom count (one per species on line 6), found 2");

    build_hop();
    size_t n;
    gn_frame *f = read_xyz("fs.xyz", &n);
    gn_atoms *a = f->atoms;
    size_t fix = 0;
    while (fix < a->n && !a->fixed[fix])
        fix++;
    assert_true(fix < a->n);
    /* a fixed atom moved 0.3 Å between the endpoints */
    a->pos[3 * fix] += 0.3;
    write_atoms("fs_moved.xyz", a);
    a->pos[3 * fix] -= 0.3;
    expect_status(run("-q neb is.xyz fs_moved.xyz -o bad"), 2, "moved fixed atom");
    char msg[128];
    snprintf(msg, sizeof msg, "fixed atom %zu moves 0.3 Å", fix + 1);
    expect_in("err.txt", msg);
    /* the adatom listed first instead of last */
    gn_atoms *b;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&b, 0, &err), &err);
    b->cell = a->cell;
    for (size_t k = 0; k < a->n; k++) {
        size_t i = (k + a->n - 1) % a->n;
        gn_assert_ok(gn_atoms_push(b, a->z[i], a->pos + 3 * i, a->fixed[i], &err), &err);
    }
    write_atoms("fs_order.xyz", b);
    gn_atoms_free(b);
    gn_frames_free(f, n);
    expect_status(run("-q neb is.xyz fs_order.xyz -o bad"), 2, "atoms in another order");
    expect_in("err.txt", "order/species differs at atom 1");
}

/* ---- item 7: exit codes and messages ---- */

static void test_full_stdout(void **state)
{
    (void)state;
    build_hop();
    expect_status(run("-q neb is.xyz fs.xyz -i 3 -o hop"), 0, "hop");
    static const char *const cmds[] = {
        "neb is.xyz fs.xyz -i 3 -o hop2",
        "modes --no-write hop",
        "potentials",
        "build s2s --gap 6 --list-sites",
        "build s2s --gap 6",
        "energy is.xyz",
        "relax is.xyz -o r.xyz",
        "table --models s2s --processes hop --gaps 5 --s2s-size 3 --images 3 --jobs 1 "
        "--no-figures --out tbl",
        "--help",
    };
    for (size_t k = 0; k < sizeof cmds / sizeof *cmds; k++) {
        char args[256];
        snprintf(args, sizeof args, "-q %s", cmds[k]);
        expect_status(run_ex("", args, "/dev/full"), 3, cmds[k]);
        expect_in("err.txt", "No space left on device");
    }
}

static void test_messages(void **state)
{
    (void)state;
    /* a write that fails says why (here the file size limit: EFBIG) and exits 3 */
    expect_status(run_ex("ulimit -f 2; trap '' XFSZ;", "-q build s2s --gap 6 -o big_out.xyz",
                         NULL),
                  3, "write past the file size limit");
    expect_in("err.txt", "big_out.xyz: write failed: File too large");
    struct stat st;
    char path[4096];
    snprintf(path, sizeof path, "%s/big_out.xyz", dir);
    assert_int_not_equal(stat(path, &st), 0); /* nothing half-written left behind */

    /* coincident atoms: the lines of the two atoms, not the comment line */
    write_text("dup.xyz", "3\nProperties=species:S:1:pos:R:3\nPt 0 0 0\nPt 3 0 0\nPt 0 0.1 0\n");
    expect_status(run("energy dup.xyz"), 2, "coincident atoms");
    expect_in("err.txt", "dup.xyz:5: atom 3 is 0.100 Å from atom 1 (line 3)");

    /* a folder given as a structure */
    snprintf(path, sizeof path, "%s/folder.xyz", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    expect_status(run("energy folder.xyz"), 3, "a folder");
    expect_in("err.txt", "folder.xyz: is a directory");

    /* a run folder whose file paths would not fit is refused as such, not read shortened */
    char longdir[4400], args[4500];
    size_t len = 0;
    for (int k = 0; k < 17; k++)
        len += (size_t)snprintf(longdir + len, sizeof longdir - len, "%s%0250d", k ? "/" : "", 0);
    snprintf(args, sizeof args, "-q neb --restart %s", longdir);
    expect_status(run(args), 2, "neb --restart of a too long folder");
    expect_in("err.txt", "path too long");

    /* control bytes of a binary file are escaped, not sent to the terminal */
    write_text("bin.xyz", "2\nProperties=species:S:1:pos:R:3\nPt 0 0 0\nPt \x1b[31mRED\x07 0 0\n");
    expect_status(run("energy bin.xyz"), 2, "control bytes");
    expect_in("err.txt", "\\x1b[31mRED\\x07");
    char *e = slurp("err.txt");
    for (const char *c = e; *c; c++)
        if ((unsigned char)*c < 0x20 && *c != '\n')
            fail_msg("stderr carries control byte 0x%02x: %s", (unsigned char)*c, e);
    free(e);

    /* an option's bad value names the option */
    build_hop();
    expect_status(run("-q neb is.xyz fs.xyz -i 3 -o hop"), 0, "hop");
    expect_status(run("modes hop --temperature -1"), 2, "negative temperature");
    expect_in("err.txt", "--temperature");
}

/* ---- the terraces: one crystal, no gap; built as the s2s crystal alone ---- */

static void test_terrace_build(void **state)
{
    (void)state;
    expect_status(run("-q build pt100 --site A100:0 -o t100.xyz"), 0, "pt100");
    expect_status(run("-q build s2s --single --site A100:0 -o s100.xyz"), 0, "s2s single");
    size_t nt, ns;
    gn_frame *t = read_xyz("t100.xyz", &nt), *s = read_xyz("s100.xyz", &ns);
    assert_int_equal(t->atoms->n, s->atoms->n);
    for (size_t k = 0; k < 3 * t->atoms->n; k++)
        gn_assert_near(t->atoms->pos[k], s->atoms->pos[k], 1e-9);
    gn_frames_free(t, nt);
    gn_frames_free(s, ns);
    expect_status(run("-q build pt111 --process exchange -o t111.xyz --final t111f.xyz"), 0,
                  "pt111 exchange");
    expect_status(run("build pt111 --list-sites"), 0, "pt111 sites");
    expect_in("out.txt", "A111:0");
    /* a gap given to a terrace is refused, by name */
    expect_status(run("-q build pt100 --gap 5 -o g.xyz"), 2, "pt100 with a gap");
    expect_in("err.txt", "--gap");
}

static int setup(void **state)
{
    (void)state;
    dir = gn_test_tmpdir("cli");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gn_test_rm_rf(dir);
    free(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_element_selection),
        cmocka_unit_test(test_neb_restart),
        cmocka_unit_test(test_absurd_geometry),
        cmocka_unit_test(test_bad_endpoints),
        cmocka_unit_test(test_full_stdout),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_terrace_build),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
