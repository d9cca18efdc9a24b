/* The default table (eam-pt, 12 rows, computed once) and what its rows say about elementary
 * steps and saddles, checked independently:
 * - no row is ok with a saddle that is not first-order; every row is ok or not-first-order;
 * - the s2s rows at 5 Å (hop and transfer) pass the mid-gap minimum: two or more steps;
 * - every printed saddle and minimum energy (the steps' minima, saddles, the effective barrier
 *   and the row barriers) is recomputed with LAMMPS on the setfl file gapneb writes for eam-pt,
 *   from the structures in the run folders (skipped without lmp);
 * - on a split row (s2s hop, 5 Å) every climbing image is a first-order saddle and every
 *   intermediate minimum a minimum by a dense finite-difference Hessian (modes.h), not by the
 *   lowest-mode search the table used;
 * - the run folder of a split row: one folder per step, minima/NN.xyz, a joined profile with a
 *   continuous reaction coordinate and the minima marked;
 * - the relaxed gap: recomputed here from the relaxed initial state (facing layers, edge rows
 *   picked by height in the relaxed structure itself), and a little wider than the nominal gap;
 * - table --modes (s2s hop at 5 and 8 Å): modes.json, modes.tsv and unstable_mode.xyz in every
 *   step's folder, and the row's rate is the step's own HTST rate for one step and 1 / (mean
 *   first-passage time) of the two-step chain, written out here from the steps' rates.
 * Units: Å, eV, THz. */
#include "config.h"
#include "gn_test.h"
#include "gn_lammps.h"
#include "gn_test_proc.h"
#include "gapneb/pot_eam.h"
#include "gapneb/settings.h"
#include "gapneb/table.h"

#include <unistd.h>

typedef struct fixture {
    char *dir;
    gn_job job;
    gn_table t;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    gn_error err;
    f->dir = gn_test_tmpdir("steps-table");
    if (gn_job_init(&f->job, &err) != GN_OK)
        return -1;
    snprintf(f->job.out, sizeof f->job.out, "%s", f->dir);
    f->job.jobs = 2;
    f->job.figures = 0;
    if (gn_table_init(&f->job, &f->t, &err) != GN_OK || gn_table_run(&f->job, &f->t, NULL, &err))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gn_table_clear(&f->t);
    gn_job_clear(&f->job);
    gn_test_rm_rf(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static const gn_table_row *find_row(const gn_table *t, gn_model_kind m, gn_process p, double gap)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].model == m && t->rows[i].process == p && fabs(t->rows[i].gap - gap) < 1e-9)
            return &t->rows[i];
    fail_msg("no row %d %d %g", (int)m, (int)p, gap);
    return NULL;
}

static void test_orders(void **state)
{
    const fixture *f = *state;
    for (size_t i = 0; i < f->t.n; i++) {
        const gn_table_row *r = &f->t.rows[i];
        print_message("%s %-8s %4.1f Å: %-15s steps %d, orders", gn_model_kind_name(r->model),
                      gn_process_name(r->process), r->gap, gn_row_state_name(r->state), r->nsteps);
        for (int k = 0; k < r->nsteps; k++)
            print_message(" %d", r->steps[k].saddle_order);
        print_message(", Ea_eff %.4f eV\n", r->ea_eff);
        assert_true(r->state == GN_ROW_OK || r->state == GN_ROW_NOT_FIRST_ORDER);
        if (r->state != GN_ROW_OK)
            continue;
        assert_int_equal(r->saddle_order, 1);
        assert_true(r->nsteps >= 1);
        for (int k = 0; k < r->nsteps; k++)
            assert_int_equal(r->steps[k].saddle_order, 1);
    }
}

static void test_s2s_5A_steps(void **state)
{
    const fixture *f = *state;
    for (int p = 0; p < 2; p++) {
        const gn_table_row *r = find_row(&f->t, GN_MODEL_S2S, (gn_process)p, 5.0);
        assert_true(r->nsteps >= 2);
        /* a minimum between the steps, below both saddles beside it */
        for (int k = 0; k + 1 < r->nsteps; k++) {
            assert_true(r->steps[k].e_to < r->steps[k].e_saddle);
            assert_true(r->steps[k].e_to < r->steps[k + 1].e_saddle);
        }
    }
}

/* ---- the structures of a row's run folder ---- */

/* Folder of step k (0-based) of row r of the table in base: the row's folder for one step,
 * else steps/NN-FROM-TO. */
static void step_dir(const char *base, const gn_table_row *r, int k, char *buf, size_t cap)
{
    char from[16], to[16];
    snprintf(from, sizeof from, k ? "M%d" : "IS", k);
    snprintf(to, sizeof to, k + 1 < r->nsteps ? "M%d" : "FS", k + 1);
    if (r->nsteps == 1)
        snprintf(buf, cap, "%s/%s", base, r->rundir);
    else
        snprintf(buf, cap, "%s/%s/steps/%02d-%s-%s", base, r->rundir, k + 1, from, to);
}

/* The frames of step k and its climbing image. */
static gn_frame *step_frames(const fixture *f, const gn_table_row *r, int k, size_t *n, int *ci)
{
    char dir[2048], path[2100];
    gn_error err;
    gn_frame *fr;
    gn_rundir_summary sum;
    step_dir(f->dir, r, k, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/path.xyz", dir);
    gn_assert_ok(gn_xyz_read(path, &fr, n, &err), &err);
    gn_assert_ok(gn_rundir_read_summary(dir, &sum, &err), &err);
    assert_true(sum.climb_index > 0 && (size_t)sum.climb_index + 1 < *n);
    *ci = sum.climb_index;
    return fr;
}

/* ---- LAMMPS ---- */

typedef struct lmp_batch {
    const char *dir;
    FILE *in;
    int n;
} lmp_batch;

/* Adds a structure to the LAMMPS input: read, evaluate, print its energy, clear. */
static void lmp_add(lmp_batch *b, const gn_atoms *a, const char *setfl)
{
    char path[2100];
    snprintf(path, sizeof path, "%s/d%d.lmp", b->dir, b->n);
    static const int pt[1] = {GN_Z_PT};
    gn_lmp_write_data(a, path, 1, pt);
    fprintf(b->in,
            "units metal\natom_style atomic\natom_modify map array\nboundary %s %s %s\n"
            "read_data d%d.lmp\npair_style eam/alloy\npair_coeff * * %s Pt\n"
            "thermo_style custom step pe\nrun 0\nprint \"PE %d $(pe:%%.15g)\" append pe.txt\n"
            "clear\n",
            a->cell.pbc[0] ? "p" : "f", a->cell.pbc[1] ? "p" : "f", a->cell.pbc[2] ? "p" : "f",
            b->n, setfl, b->n);
    b->n++;
}

/* Runs the batch; fills e[0..n-1] (eV). */
static void lmp_run(lmp_batch *b, double *e)
{
    char cmd[4200], path[2100];
    fclose(b->in);
    snprintf(cmd, sizeof cmd, "cd '%s' && rm -f pe.txt && '%s' -in in.lmp -log none -screen none "
             "> lmp.out 2>&1", b->dir, GN_LMP_PATH);
    if (system(cmd) != 0)
        fail_msg("LAMMPS failed (see %s/lmp.out)", b->dir);
    snprintf(path, sizeof path, "%s/pe.txt", b->dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    int k, got = 0;
    double v;
    while (fscanf(fp, "PE %d %lf\n", &k, &v) == 2)
        if (k >= 0 && k < b->n) {
            e[k] = v;
            got++;
        }
    fclose(fp);
    assert_int_equal(got, b->n);
}

static void test_lammps_energies(void **state)
{
    const fixture *f = *state;
    if (!GN_LMP_PATH[0] || access(GN_LMP_PATH, X_OK) != 0)
        skip();
    char setfl[2100];
    gn_error err;
    gn_potential *p;
    snprintf(setfl, sizeof setfl, "%s/eam-pt.eam.alloy", f->dir);
    gn_assert_ok(gn_pot_eam_pt_alloc(&p, &err), &err);
    gn_assert_ok(gn_pot_eam_write_setfl(p, setfl, GN_EAM_SETFL_NRHO, GN_EAM_SETFL_RHOMAX,
                                        GN_EAM_SETFL_NR, &err),
                 &err);
    gn_potential_free(p);
    char path[2100];
    snprintf(path, sizeof path, "%s/in.lmp", f->dir);
    lmp_batch b = {f->dir, fopen(path, "w"), 0};
    assert_non_null(b.in);
    /* per row: the initial state, then per step its saddle and its final minimum */
    for (size_t i = 0; i < f->t.n; i++) {
        const gn_table_row *r = &f->t.rows[i];
        for (int k = 0; k < r->nsteps; k++) {
            size_t n;
            int ci;
            gn_frame *fr = step_frames(f, r, k, &n, &ci);
            if (!k)
                lmp_add(&b, fr[0].atoms, setfl);
            lmp_add(&b, fr[ci].atoms, setfl);
            lmp_add(&b, fr[n - 1].atoms, setfl);
            gn_frames_free(fr, n);
        }
    }
    double *e = calloc((size_t)b.n, sizeof *e);
    lmp_run(&b, e);
    int q = 0;
    double worst = 0;
    for (size_t i = 0; i < f->t.n; i++) {
        const gn_table_row *r = &f->t.rows[i];
        double e0 = e[q++], top = -INFINITY;
        for (int k = 0; k < r->nsteps; k++) {
            const gn_row_step *st = &r->steps[k];
            double es = e[q++] - e0, ef = e[q++] - e0;
            worst = fmax(worst, fmax(fabs(es - st->e_saddle), fabs(ef - st->e_to)));
            gn_assert_near(es, st->e_saddle, 1e-6);
            gn_assert_near(ef, st->e_to, 1e-6);
            gn_assert_near(es - st->e_from, st->barrier_fwd, 1e-6);
            gn_assert_near(es - ef, st->barrier_rev, 1e-6);
            top = fmax(top, es);
        }
        if (r->nsteps) {
            gn_assert_near(r->ea_eff, top, 1e-6);
            gn_assert_near(r->barrier_fwd, r->steps[0].barrier_fwd, 0);
            gn_assert_near(r->reaction_energy, r->steps[r->nsteps - 1].e_to, 1e-6);
        }
    }
    print_message("%d structures recomputed with LAMMPS: largest difference %.2e eV\n", b.n,
                  worst);
    free(e);
}

/* ---- first order by a dense finite-difference Hessian ---- */

static void test_fd_hessian(void **state)
{
    const fixture *f = *state;
    const gn_table_row *r = find_row(&f->t, GN_MODEL_S2S, GN_PROCESS_HOP, 5.0);
    assert_true(r->nsteps >= 2);
    gn_potential *p;
    gn_calc *c;
    gn_error err;
    gn_assert_ok(gn_potential_alloc("eam-pt", &p, &err), &err);
    gn_assert_ok(gn_calc_alloc(p, &c, &err), &err);
    for (int k = 0; k < r->nsteps; k++) {
        size_t n;
        int ci;
        gn_frame *fr = step_frames(f, r, k, &n, &ci);
        gn_modes_set sad, min;
        gn_assert_ok(gn_modes_compute(c, fr[ci].atoms, 0, 0, 0, &sad, &err), &err);
        gn_assert_ok(gn_modes_compute(c, fr[n - 1].atoms, 0, 0, 0, &min, &err), &err);
        print_message("step %d: saddle %d negative (lowest %.3f, next %.3f THz); its final "
                      "minimum %d negative\n", k + 1, sad.n_negative, sad.freq_thz[0],
                      sad.freq_thz[1], min.n_negative);
        assert_int_equal(sad.n_negative, 1);
        assert_int_equal(min.n_negative, 0);
        gn_modes_set_clear(&sad);
        gn_modes_set_clear(&min);
        gn_frames_free(fr, n);
    }
    gn_calc_free(c);
    gn_potential_free(p);
}

/* ---- the run folder of a split row ---- */

static void test_run_folder(void **state)
{
    const fixture *f = *state;
    const gn_table_row *r = find_row(&f->t, GN_MODEL_S2S, GN_PROCESS_TRANSFER, 5.0);
    char dir[2048], path[2200];
    gn_error err;
    snprintf(dir, sizeof dir, "%s/%s", f->dir, r->rundir);
    gn_rundir_profile p;
    gn_assert_ok(gn_rundir_read_profile(dir, &p, &err), &err);
    assert_int_equal(p.nmin, r->nsteps - 1);
    for (size_t i = 1; i < p.n; i++)
        assert_true(p.s[i] > p.s[i - 1]); /* continuous, no restart at a step */
    for (size_t i = 1; i < p.ninterp; i++)
        assert_true(p.s_interp[i] >= p.s_interp[i - 1]);
    for (size_t k = 0; k < p.nmin; k++)
        gn_assert_near(p.energy_min[k], r->steps[k].e_to, 1e-6);
    /* the joined path: every step's images, each shared minimum once */
    gn_frame *fr;
    size_t n, total = 0;
    snprintf(path, sizeof path, "%s/path.xyz", dir);
    gn_assert_ok(gn_xyz_read(path, &fr, &n, &err), &err);
    for (int k = 0; k < r->nsteps; k++) {
        size_t m;
        int ci;
        gn_frame *s = step_frames(f, r, k, &m, &ci);
        total += k ? m - 1 : m;
        gn_frames_free(s, m);
    }
    assert_int_equal(n, total);
    assert_int_equal(p.n, total);
    gn_frames_free(fr, n);
    for (int k = 1; k < r->nsteps; k++) {
        snprintf(path, sizeof path, "%s/minima/%02d.xyz", dir, k);
        assert_int_equal(access(path, R_OK), 0);
    }
    gn_rundir_profile_clear(&p);
}

/* ---- relaxed gap ---- */

/* Mean of coordinate k over the atoms [lo, hi) whose coordinate c lies within tol of target. */
static double mean_near(const gn_atoms *a, size_t lo, size_t hi, int c, double target, double tol,
                        int k, int *count)
{
    double s = 0;
    *count = 0;
    for (size_t i = lo; i < hi; i++)
        if (fabs(a->pos[3 * i + c] - target) < tol) {
            s += a->pos[3 * i + k];
            (*count)++;
        }
    return s / *count;
}

static void test_relaxed_gap(void **state)
{
    const fixture *f = *state;
    for (int m = 0; m < 2; m++) {
        const gn_table_row *r = find_row(&f->t, (gn_model_kind)m, GN_PROCESS_HOP, 8.0);
        char path[2200];
        gn_frame *fr;
        size_t n;
        gn_error err;
        snprintf(path, sizeof path, "%s/%s/path.xyz", f->dir, r->rundir);
        gn_assert_ok(gn_xyz_read(path, &fr, &n, &err), &err);
        const gn_atoms *a = fr[0].atoms;
        size_t na = (a->n - 1) / 2; /* A, B, then the adatom */
        double za = -INFINITY, zb = INFINITY;
        for (size_t i = 0; i < na; i++) {
            za = fmax(za, a->pos[3 * i + 2]);
            zb = fmin(zb, a->pos[3 * (na + i) + 2]);
        }
        /* the facing layer (s2s) or edge row (e2e): the atoms within 0.3 Å of the extreme */
        int ca, cb;
        double dz = mean_near(a, na, 2 * na, 2, zb, 0.3, 2, &cb) -
                    mean_near(a, 0, na, 2, za, 0.3, 2, &ca);
        double dy = m ? mean_near(a, na, 2 * na, 2, zb, 0.3, 1, &cb) -
                            mean_near(a, 0, na, 2, za, 0.3, 1, &ca)
                      : 0.0;
        print_message("%s at 8 Å: relaxed gap %.4f Å (here %.4f Å from %d + %d atoms)\n",
                      gn_model_kind_name(r->model), r->gap_relaxed, sqrt(dy * dy + dz * dz), ca,
                      cb);
        assert_int_equal(ca, m ? f->job.e2e_length : f->job.s2s_size * f->job.s2s_size);
        assert_int_equal(cb, ca);
        gn_assert_near(r->gap_relaxed, sqrt(dy * dy + dz * dz), 1e-9);
        /* the facing layers and edge rows contract toward their own crystals (eam-pt: about
         * 0.13 Å each for Pt(100), 0.35 Å for the edge rows), so the relaxed gap is wider */
        assert_true(r->gap_relaxed > 8.0 && r->gap_relaxed < (m ? 9.0 : 8.4));
        gn_frames_free(fr, n);
    }
}

/* ---- table --modes: files in every step folder, and the chain's rate ---- */

/* A number from a JSON file written by modes (a top-level key). */
static double json_number(const char *path, const char *key)
{
    char *text;
    gn_error err;
    gn_assert_ok(gn_file_read_all(path, &text, NULL, &err), &err);
    char needle[64];
    snprintf(needle, sizeof needle, "\"%s\": ", key);
    const char *p = strstr(text, needle);
    assert_non_null(p);
    double v = strtod(p + strlen(needle), NULL);
    free(text);
    return v;
}

static void test_modes_chain(void **state)
{
    const fixture *f = *state;
    gn_job job;
    gn_table t;
    gn_error err;
    char dir[1024], path[2300];
    snprintf(dir, sizeof dir, "%s/modes", f->dir);
    gn_assert_ok(gn_job_init(&job, &err), &err);
    gn_assert_ok(gn_job_set_models(&job, "s2s", "t", &err), &err);
    gn_assert_ok(gn_job_set_processes(&job, "hop", "t", &err), &err);
    gn_assert_ok(gn_job_set_gaps(&job, "5,8", "t", &err), &err);
    snprintf(job.out, sizeof job.out, "%s", dir);
    job.jobs = 2;
    job.figures = 0;
    job.modes = 1;
    gn_assert_ok(gn_table_init(&job, &t, &err), &err);
    gn_assert_ok(gn_table_run(&job, &t, NULL, &err), &err);
    for (size_t i = 0; i < t.n; i++) {
        const gn_table_row *r = &t.rows[i];
        assert_int_equal(r->state, GN_ROW_OK);
        assert_true(r->has_modes && r->saddle_verified);
        double kf[GN_ROW_MAX_STEPS], kr[GN_ROW_MAX_STEPS];
        for (int k = 0; k < r->nsteps; k++) {
            char sub[2048];
            step_dir(dir, r, k, sub, sizeof sub);
            static const char *const files[] = {"modes.json", "modes.tsv", "unstable_mode.xyz"};
            for (int q = 0; q < 3; q++) {
                snprintf(path, sizeof path, "%s/%s", sub, files[q]);
                if (access(path, R_OK) != 0)
                    fail_msg("%s was not written", path);
            }
            snprintf(path, sizeof path, "%s/modes.json", sub);
            kf[k] = json_number(path, "rate_fwd");
            kr[k] = json_number(path, "rate_rev");
            gn_assert_near(kf[k] / r->steps[k].rate_fwd, 1.0, 1e-5);
        }
        /* one step: its own HTST rate; two steps: 1 / mean first-passage time, written out:
         * wait 1/kf0 in IS, then from M1 go on with odds kf1 / (kf1 + kr0) each visit, so
         * tau = 1/kf0 + (1 + kr0/kf0) / kf1 */
        double want = r->nsteps == 1 ? kf[0] : 1.0 / (1.0 / kf[0] + (1.0 + kr[0] / kf[0]) / kf[1]);
        print_message("s2s hop %.0f Å: %d step(s), rate %.6g 1/s (expected %.6g)\n", r->gap,
                      r->nsteps, r->rate, want);
        assert_true(r->nsteps == (r->gap < 6 ? 2 : 1));
        gn_assert_near(r->rate / want, 1.0, 1e-5);
        /* gapneb modes on the row's folder: the steps one by one and the same chain rate, not
         * the joined path taken as one step */
        char cmd[4096], *out;
        snprintf(cmd, sizeof cmd, "'%s' -q modes --no-write '%s/%s' > '%s/modes.out'",
                 gn_test_gapneb(), dir, r->rundir, dir);
        assert_int_equal(system(cmd), 0);
        snprintf(path, sizeof path, "%s/modes.out", dir);
        out = gn_test_slurp(path);
        double chain = gn_test_value_after(out, "steps rate at 300.0 K: forward ");
        if (r->nsteps == 1) {
            assert_null(strstr(out, "chain of"));
        } else {
            print_message("  gapneb modes: chain rate %.6g 1/s\n", chain);
            gn_assert_near(chain / want, 1.0, 1e-3);
        }
        free(out);
    }
    gn_table_clear(&t);
    gn_job_clear(&job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orders),      cmocka_unit_test(test_s2s_5A_steps),
        cmocka_unit_test(test_lammps_energies), cmocka_unit_test(test_fd_hessian),
        cmocka_unit_test(test_run_folder),  cmocka_unit_test(test_relaxed_gap),
        cmocka_unit_test(test_modes_chain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
