/* Tests of the process search (search.h) on a Pt(100) slab with eam-pt: 4x4 surface cells, 4
 * layers (crystal A of the s2s model alone) and an adatom in a 4-fold hollow. A search with a
 * fixed seed finds both the hop (the adatom alone moves a0/sqrt2 to the next hollow) and the
 * exchange (the adatom takes the place of a surface atom, which ends in the hollow a0 from the
 * start along <100>), with saddle energies equal to the CI-NEB barriers of the same processes,
 * whose endpoints are built here from the lattice, to 1 meV; the same seed gives the same
 * processes on 1 and 2 threads; the adatom is recognised by its coordination; the folder is
 * written and reads back. A table row with --search (s2s hop at 8 Å, where crystal B hardly
 * matters) reports the exchange as the lowest barrier found, below the hop it computes.
 * Units: Å, eV. */
#include "gn_test.h"
#include "gapneb/report.h"
#include "gapneb/settings.h"
#include "gapneb/table.h"
#include "gapneb/table_io.h"

#include <jansson.h>
#include <sys/wait.h>

typedef struct fixture {
    gn_potential *pot;
    gn_model_opts mo;
    gn_atoms *start;        /* unrelaxed: adatom on the lattice point of A100:0 */
    size_t adatom;
    gn_search_result res;   /* seed 1, 10 searches, 2 threads */
} fixture;

static void search_opts(gn_search_opts *so, int jobs)
{
    gn_search_opts_default(so);
    so->nsearch = 10;
    so->seed = 1;
    so->jobs = jobs;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    gn_error err;
    gn_model_opts_default(&f->mo, GN_MODEL_S2S);
    f->mo.single = 1;
    gn_search_opts so;
    search_opts(&so, 2);
    if (gn_potential_alloc("eam-pt", &f->pot, &err) ||
        gn_lattice_constant(f->pot, GN_Z_PT, &f->mo.a0, &err) ||
        gn_model_with_adatom(&f->mo, "A100:0", &f->start, &err) ||
        gn_search_run(f->pot, f->start, &so, &f->res, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    f->adatom = f->start->n - 1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gn_search_result_clear(&f->res);
    gn_atoms_free(f->start);
    gn_potential_free(f->pot);
    free(f);
    return 0;
}

/* Lateral (x, y) minimum-image distance and full minimum-image distance between two points. */
static double dist(const gn_atoms *a, const double *p, const double *q, int lateral)
{
    double d[3] = {q[0] - p[0], q[1] - p[1], lateral ? 0.0 : q[2] - p[2]};
    gn_cell_min_image(&a->cell, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* The lowest process that moves exactly the atoms given (1 or 2 of them), or NULL. */
static const gn_search_process *find(const gn_search_result *r, size_t n, size_t a0, size_t a1)
{
    for (size_t k = 0; k < r->nprocesses; k++) {
        const gn_search_process *p = &r->processes[k];
        if (p->nmoved == n && (p->moved[0] == a0 || p->moved[0] == a1) &&
            (n == 1 || p->moved[1] == a0 || p->moved[1] == a1))
            return p;
    }
    return NULL;
}

/* A CI-NEB between start and final (endpoints relaxed), refined as the table does. */
static double neb_barrier(const fixture *f, const gn_atoms *ini, const gn_atoms *fin,
                          double *e_ci)
{
    gn_neb_opts o;
    gn_neb_opts_default(&o);
    o.refine = 3;
    gn_neb_result nr;
    gn_error err;
    gn_assert_ok(gn_neb_run(f->pot, ini, fin, &o, &nr, &err), &err);
    assert_true(nr.converged);
    assert_false(nr.collapsed);
    assert_int_equal(nr.saddle_negative, 1);
    double b = nr.barrier_fwd;
    *e_ci = nr.e_initial + b;
    gn_neb_result_clear(&nr);
    return b;
}

static void test_adatom_recognised(void **state)
{
    fixture *f = *state;
    size_t *idx, n;
    gn_error err;
    gn_assert_ok(gn_search_adatoms(f->start, &idx, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(idx[0], f->adatom);
    free(idx);
    assert_int_equal(f->res.nepicentres, 1);
    assert_int_equal(f->res.epicentres[0], f->adatom);
    /* the unrelaxed lattice: the nearest-neighbour distance is a0/sqrt2 exactly */
    gn_assert_near(gn_search_nn_distance(f->start), f->mo.a0 / sqrt(2.0), 1e-9);
    /* the bare slab: the least-coordinated movable atoms are the 16 of the top layer (8
     * neighbours each, against 12 below) */
    gn_atoms *bare;
    gn_assert_ok(gn_model_build(&f->mo, &bare, &err), &err);
    gn_assert_ok(gn_search_adatoms(bare, &idx, &n, &err), &err);
    assert_int_equal(n, 16);
    for (size_t k = 0; k < n; k++)
        gn_assert_near(bare->pos[3 * idx[k] + 2], 0.0, 1e-9);
    free(idx);
    gn_atoms_free(bare);
}

static void test_hop_and_exchange(void **state)
{
    fixture *f = *state;
    const gn_search_result *r = &f->res;
    double b = f->mo.a0 / sqrt(2.0);
    print_message("10 searches: %d converged, %d new, %d duplicates, %zu processes\n",
                  r->nconverged, r->count[GN_SEARCH_NEW], r->count[GN_SEARCH_DUPLICATE],
                  r->nprocesses);
    for (size_t k = 1; k < r->nprocesses; k++)
        assert_true(r->processes[k].barrier >= r->processes[k - 1].barrier);
    /* the hop: the adatom alone moves to the next hollow, a0/sqrt2 away */
    const gn_search_process *hop = find(r, 1, f->adatom, f->adatom);
    assert_non_null(hop);
    const double *h0 = r->start->pos + 3 * f->adatom;
    gn_assert_near(dist(r->start, h0, hop->product->pos + 3 * f->adatom, 1), b, 0.02);
    assert_int_equal(hop->nmoved, 1);
    gn_assert_near(hop->barrier_rev, hop->barrier, 1e-3); /* equivalent sites */
    assert_true(hop->freq_thz < 0);
    /* the exchange: the adatom and one surface atom j */
    const gn_search_process *ex = NULL;
    size_t j = 0;
    for (size_t k = 0; k < r->nprocesses && !ex; k++) {
        const gn_search_process *p = &r->processes[k];
        if (p->nmoved == 2 && p->moved[1] == f->adatom) {
            ex = p;
            j = p->moved[0];
        }
    }
    assert_non_null(ex);
    print_message("hop %.4f eV, exchange with atom %zu %.4f eV\n", hop->barrier, j, ex->barrier);
    /* on the lattice (before relaxation): j is a top-layer atom at a corner of the hollow */
    const double *lj = f->start->pos + 3 * j, *la = f->start->pos + 3 * f->adatom;
    gn_assert_near(lj[2], 0.0, 1e-9);
    gn_assert_near(dist(f->start, la, lj, 1), f->mo.a0 / 2, 1e-9);
    /* in the product the adatom sits where j was, j in the hollow diagonally across, a0 from the
     * start hollow (lateral positions; the relaxations move atoms by about 0.1 Å) */
    const double *pa = ex->product->pos + 3 * f->adatom, *pj = ex->product->pos + 3 * j;
    double across[3] = {2 * lj[0] - la[0], 2 * lj[1] - la[1], la[2]};
    assert_true(dist(f->start, lj, pa, 1) < 0.2);
    assert_true(dist(f->start, across, pj, 1) < 0.2);
    gn_assert_near(dist(f->start, la, pj, 1), f->mo.a0, 0.2);
    /* CI-NEB over the same processes, endpoints built from the lattice */
    double e_ci;
    gn_atoms *fin;
    gn_error err;
    gn_assert_ok(gn_atoms_copy(f->start, &fin, &err), &err);
    const double *ph = hop->product->pos + 3 * f->adatom;
    double dh[3] = {ph[0] - h0[0], ph[1] - h0[1], 0};
    gn_cell_min_image(&r->start->cell, dh);
    for (int c = 0; c < 2; c++) /* one lattice step along the direction the search found */
        fin->pos[3 * f->adatom + c] += b * round(dh[c] / b);
    double nb_hop = neb_barrier(f, f->start, fin, &e_ci);
    print_message("hop: search %.5f eV, CI-NEB %.5f eV\n", hop->barrier, nb_hop);
    gn_assert_near(hop->barrier, nb_hop, 1e-3);
    gn_assert_near(hop->e_saddle, e_ci, 1e-3);
    gn_atoms_free(fin);
    gn_assert_ok(gn_atoms_copy(f->start, &fin, &err), &err);
    const double *sj = f->start->pos + 3 * j, *sa = f->start->pos + 3 * f->adatom;
    double sacross[3] = {2 * sj[0] - sa[0], 2 * sj[1] - sa[1], sa[2]};
    memcpy(fin->pos + 3 * f->adatom, sj, 3 * sizeof *sj);
    memcpy(fin->pos + 3 * j, sacross, 3 * sizeof *sacross);
    double nb_ex = neb_barrier(f, f->start, fin, &e_ci);
    print_message("exchange: search %.5f eV, CI-NEB %.5f eV\n", ex->barrier, nb_ex);
    gn_assert_near(ex->barrier, nb_ex, 1e-3);
    gn_assert_near(ex->e_saddle, e_ci, 1e-3);
    gn_atoms_free(fin);
    /* the exchange is the lower of the two on Pt(100) with this potential, as measured (Kellogg
     * and Feibelman 1990) and as DFT finds */
    assert_true(ex->barrier < hop->barrier);
}

static void test_threads(void **state)
{
    fixture *f = *state;
    gn_search_opts so;
    search_opts(&so, 1);
    gn_search_result r1;
    gn_error err;
    gn_assert_ok(gn_search_run(f->pot, f->start, &so, &r1, &err), &err);
    const gn_search_result *r2 = &f->res;
    assert_int_equal(r1.nprocesses, r2->nprocesses);
    for (int i = 0; i < so.nsearch; i++) {
        const gn_search_attempt *a = &r1.attempts[i], *b = &r2->attempts[i];
        assert_int_equal(a->outcome, b->outcome);
        assert_int_equal(a->process, b->process);
        assert_int_equal(a->epicentre, b->epicentre);
        assert_int_equal(a->force_calls, b->force_calls);
        assert_true(memcmp(&a->e_saddle, &b->e_saddle, sizeof a->e_saddle) == 0);
    }
    for (size_t k = 0; k < r1.nprocesses; k++) {
        const gn_search_process *p = &r1.processes[k], *q = &r2->processes[k];
        assert_true(p->e_saddle == q->e_saddle && p->barrier == q->barrier);
        assert_int_equal(p->count, q->count);
        assert_true(memcmp(p->saddle->pos, q->saddle->pos,
                           3 * p->saddle->n * sizeof *p->saddle->pos) == 0);
    }
    /* another seed draws other displacements */
    so.seed = 2;
    so.nsearch = 2;
    gn_search_result r3;
    gn_assert_ok(gn_search_run(f->pot, f->start, &so, &r3, &err), &err);
    assert_true(r3.attempts[0].force_calls != r1.attempts[0].force_calls ||
                r3.attempts[1].force_calls != r1.attempts[1].force_calls);
    gn_search_result_clear(&r1);
    gn_search_result_clear(&r3);
}

static void test_folder(void **state)
{
    fixture *f = *state;
    const gn_search_result *r = &f->res;
    char *dir = gn_test_tmpdir("search"), path[4096];
    gn_error err;
    gn_search_opts so;
    search_opts(&so, 2);
    gn_assert_ok(gn_search_write(dir, r, &so, "eam-pt", &err), &err);
    snprintf(path, sizeof path, "%s/processes.json", dir);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    assert_non_null(root);
    json_t *procs = json_object_get(root, "processes");
    assert_int_equal(json_array_size(procs), r->nprocesses);
    for (size_t k = 0; k < r->nprocesses; k++) {
        json_t *p = json_array_get(procs, k);
        assert_true(json_real_value(json_object_get(p, "barrier_eV")) == r->processes[k].barrier);
        assert_int_equal(json_array_size(json_object_get(p, "moved_atoms")),
                         r->processes[k].nmoved);
        snprintf(path, sizeof path, "%s/%s", dir,
                 json_string_value(json_object_get(p, "saddle_file")));
        gn_frame *fr;
        size_t nf;
        gn_assert_ok(gn_xyz_read(path, &fr, &nf, &err), &err);
        assert_true(fr[0].has_energy);
        gn_assert_near(fr[0].energy, r->processes[k].e_saddle, 1e-6);
        gn_assert_near(fr[0].atoms->pos[3 * f->adatom], r->processes[k].saddle->pos[3 * f->adatom],
                       1e-6);
        gn_frames_free(fr, nf);
    }
    assert_int_equal(json_array_size(json_object_get(root, "searches")), r->nsearch);
    json_decref(root);
    /* the TSV: three comment lines, a header and one line per process */
    snprintf(path, sizeof path, "%s/processes.tsv", dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    int lines = 0, comments = 0, c, bol = 1;
    while ((c = fgetc(fp)) != EOF) {
        if (bol && c == '#')
            comments++;
        bol = c == '\n';
        lines += bol;
    }
    fclose(fp);
    assert_int_equal(comments, 3);
    assert_int_equal(lines, 4 + (int)r->nprocesses);
    gn_test_rm_rf(dir);
    free(dir);
}

static void test_table_column(void **state)
{
    fixture *f = *state;
    const gn_search_process *low = &f->res.processes[0];
    assert_int_equal(low->nmoved, 2); /* the exchange is the lowest on the bare slab */
    char *dir = gn_test_tmpdir("search-table");
    gn_job job;
    gn_error err;
    gn_assert_ok(gn_job_init(&job, &err), &err);
    gn_assert_ok(gn_job_set_models(&job, "s2s", "t", &err), &err);
    gn_assert_ok(gn_job_set_processes(&job, "hop,exchange", "t", &err), &err);
    gn_assert_ok(gn_job_set_gaps(&job, "8", "t", &err), &err);
    snprintf(job.out, sizeof job.out, "%s", dir);
    job.jobs = 2;
    job.figures = 0;
    job.search = 6;
    gn_table t;
    gn_assert_ok(gn_table_init(&job, &t, &err), &err);
    gn_assert_ok(gn_table_run(&job, &t, NULL, &err), &err);
    assert_int_equal(t.n, 2);
    const gn_table_row *r = &t.rows[0], *x = &t.rows[1];
    assert_int_equal(r->process, GN_PROCESS_HOP);
    /* the hop and the exchange leave the same state: one search, shared (its force calls on the
     * row that ran it), the same answer on both rows */
    assert_true(r->has_search && x->has_search);
    assert_true(r->search_barrier == x->search_barrier);
    assert_string_equal(r->search_moved, x->search_moved);
    assert_true((r->search_calls > 0) != (x->search_calls > 0));
    print_message("s2s hop at 8 Å: Ea %.4f eV; lowest by search %.4f eV (atoms %s), %d "
                  "processes, %lu force calls\n", r->barrier_fwd, r->search_barrier,
                  r->search_moved, r->search_processes, r->search_calls);
    assert_int_equal(r->state, GN_ROW_OK);
    assert_true(r->has_search);
    gn_assert_near(r->search_barrier, low->barrier, 2e-3);
    assert_true(r->search_barrier < r->barrier_fwd - 0.1);
    assert_non_null(strchr(r->search_moved, ','));       /* two atoms: an exchange */
    /* the printed table marks it, barriers.json carries it */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    gn_report_print(mem, &t);
    fclose(mem);
    assert_non_null(strstr(text, "lowest_by_search/eV"));
    char mark[32];
    snprintf(mark, sizeof mark, "<%.4f", r->search_barrier);
    assert_non_null(strstr(text, mark));
    free(text);
    gn_assert_ok(gn_table_write(dir, &t, &err), &err);
    gn_table t2 = {0};
    char path[4096];
    snprintf(path, sizeof path, "%s/barriers.json", dir);
    gn_assert_ok(gn_table_read_json(path, &t2, &err), &err);
    assert_true(t2.rows[0].search_barrier == r->search_barrier);
    assert_string_equal(t2.rows[0].search_moved, r->search_moved);
    gn_table_clear(&t2);
    gn_table_clear(&t);
    gn_job_clear(&job);
    gn_test_rm_rf(dir);
    free(dir);
}

/* The program: gapneb search on a structure file; its exit status for results, for a list of
 * atoms that does not parse and for an atom that does not exist. */
static int run_cli(const char *dir, const char *args)
{
    char cmd[8192];
    const char *bd = getenv("GN_BUILDDIR");
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/gapneb' --quiet search start.xyz %s > stdout.txt "
             "2> stderr.txt", dir, bd ? bd : GN_TEST_BUILDDIR, args);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static void test_cli(void **state)
{
    fixture *f = *state;
    char *dir = gn_test_tmpdir("search-cli"), path[4096];
    gn_error err;
    snprintf(path, sizeof path, "%s/start.xyz", dir);
    gn_assert_ok(gn_structure_write(path, f->start, &err), &err);
    assert_int_equal(run_cli(dir, "--searches 3 --jobs 2 --out out"), 0);
    snprintf(path, sizeof path, "%s/out/processes.json", dir);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    assert_non_null(root);
    json_t *atoms = json_object_get(json_object_get(root, "settings"), "atoms");
    assert_int_equal(json_array_size(atoms), 1);
    assert_int_equal(json_integer_value(json_array_get(atoms, 0)), (json_int_t)f->adatom);
    /* the same three searches as the library's first three */
    json_t *s0 = json_array_get(json_object_get(root, "searches"), 0);
    assert_int_equal(json_integer_value(json_object_get(s0, "force_calls")),
                     (json_int_t)f->res.attempts[0].force_calls);
    json_decref(root);
    assert_int_equal(run_cli(dir, "--searches 1 --atoms 3x"), 2);
    assert_int_equal(run_cli(dir, "--searches 1 --atoms 9999"), 2);
    assert_int_equal(run_cli(dir, "--searches 0"), 2);
    gn_test_rm_rf(dir);
    free(dir);
}

static int cancel_after_one(void *ctx)
{
    int *asked = ctx;
    return (*asked)++ >= 1;
}

static void test_bad_input(void **state)
{
    fixture *f = *state;
    gn_search_opts so;
    search_opts(&so, 1);
    size_t bad = f->start->n;
    so.atoms = &bad;
    so.natoms = 1;
    gn_search_result r;
    gn_error err;
    assert_int_equal(gn_search_run(f->pot, f->start, &so, &r, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "does not exist"));
    gn_search_result_clear(&r);
    search_opts(&so, 0);
    assert_int_equal(gn_search_run(f->pot, f->start, &so, &r, &err), GN_EINVAL);
    gn_search_result_clear(&r);
    /* a cancel hook stops the searches: the first runs, the second does not start */
    int asked = 0;
    search_opts(&so, 1);
    so.cancelled = cancel_after_one;
    so.cancel_ctx = &asked;
    assert_int_equal(gn_search_run(f->pot, f->start, &so, &r, &err), GN_ECANCEL);
    assert_int_equal(asked, 2);
    assert_true(r.attempts[0].force_calls > 0 && r.attempts[1].force_calls == 0);
    gn_search_result_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adatom_recognised),
        cmocka_unit_test(test_hop_and_exchange),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_folder),
        cmocka_unit_test(test_table_column),
        cmocka_unit_test(test_cli),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
