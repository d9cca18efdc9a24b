/* Tests of the NEB with a potential: a Pt adatom hopping between neighbouring 4-fold hollows on
 * Pt(100) with eam-pt (Zhou 2004). The hop is symmetric, so the reaction energy must vanish, the
 * climbing image must sit on the bridge site, and the barrier must not depend (beyond 2 meV) on
 * the image count or on fmax. The hop crosses the periodic boundary, so a wrong minimum image
 * would show. Also: collapse, mismatched endpoints, force-call counting, restart, the run folder,
 * and two runs in parallel threads. Units: Å, eV, eV/Å. */
#include "gn_test.h"
#include "gapneb/io_xyz.h"
#include "gapneb/properties.h"
#include "gapneb/rundir.h"

#include <jansson.h>
#include <pthread.h>
#include <unistd.h>

typedef struct fixture {
    gn_potential *pot;
    double a0, b;          /* lattice constant, surface spacing a0/sqrt2 (Å) */
    gn_atoms *ini, *fin;   /* relaxed endpoints */
    gn_neb_result ref;     /* 5 images, fmax 0.01 */
} fixture;

/* fcc(100) slab, 4x4 surface cells (edges along [110] and [1-10], a0/sqrt2 each), 4 layers a0/2
 * apart, bottom 2 fixed, periodic in x and y; adatom at the hollow (ix, 2) a0/2 above the top. */
static gn_atoms *slab_with_adatom(double a0, double ix)
{
    double b = a0 / sqrt(2.0), L = 4 * b;
    gn_atoms *a;
    gn_error err;
    gn_assert_ok(gn_atoms_alloc(&a, 0, &err), &err);
    for (int l = 0; l < 4; l++)
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                double off = (l % 2) * 0.5 * b;
                double r[3] = {i * b + off, j * b + off, l * a0 / 2};
                gn_assert_ok(gn_atoms_push(a, 78, r, l < 2, &err), &err);
            }
    double x = fmod(ix * b, L);
    double r[3] = {x, 2 * b, 4 * a0 / 2};
    gn_assert_ok(gn_atoms_push(a, 78, r, 0, &err), &err);
    const double h[3][3] = {{L, 0, 0}, {0, L, 0}, {0, 0, 0}};
    const int pbc[3] = {1, 1, 0};
    gn_assert_ok(gn_cell_init(&a->cell, h, pbc, &err), &err);
    return a;
}

static void pt_opts(gn_neb_opts *o, int nimages, double fmax)
{
    gn_neb_opts_default(o);
    o->nimages = nimages;
    o->fmax = fmax;
    o->relax_endpoints = 0;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    gn_error err;
    if (gn_potential_alloc("eam-pt", &f->pot, &err) ||
        gn_lattice_constant(f->pot, 78, &f->a0, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    f->b = f->a0 / sqrt(2.0);
    /* the hop goes from hollow 3 to hollow 4 = 0 (wrapped): across the cell boundary */
    gn_atoms *a = slab_with_adatom(f->a0, 3), *b = slab_with_adatom(f->a0, 4);
    gn_neb_opts o;
    pt_opts(&o, 5, 0.01);
    o.relax_endpoints = 1;
    int rc = gn_neb_run(f->pot, a, b, &o, &f->ref, &err);
    gn_atoms_free(a);
    gn_atoms_free(b);
    if (rc) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    gn_atoms_copy(f->ref.band[0].atoms, &f->ini, &err);
    gn_atoms_copy(f->ref.band[f->ref.nframes - 1].atoms, &f->fin, &err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gn_neb_result_clear(&f->ref);
    gn_atoms_free(f->ini);
    gn_atoms_free(f->fin);
    gn_potential_free(f->pot);
    free(f);
    return 0;
}

static void test_symmetric_hop(void **state)
{
    fixture *f = *state;
    const gn_neb_result *r = &f->ref;
    print_message("a0 %.5f Å; 5 images: barrier %.5f eV (rev %.5f), reaction %.2e eV, interp max "
                  "%.5f eV at %.3f Å, CI %d, %d iterations, %lu force calls, %.3f s\n",
                  f->a0, r->barrier_fwd, r->barrier_rev, r->reaction_energy, r->interp_max,
                  r->interp_max_s, r->climb_index, r->iterations, r->force_calls, r->wall_time);
    assert_true(r->converged);
    assert_false(r->collapsed);
    assert_true(r->endpoints_converged);
    assert_true(fabs(r->reaction_energy) < 1e-3);
    assert_true(r->barrier_fwd > 0.1 && r->barrier_fwd < 2.0);
    gn_assert_near(r->barrier_fwd, r->barrier_rev, 1e-3);
    /* with climbing converged, the interpolated maximum is the climbing image's energy */
    gn_assert_near(r->interp_max, r->barrier_fwd, 1e-3);
    assert_int_equal(r->climb_index, 3);
    /* the climbing image's adatom on the bridge site (3.5 b, 2 b), laterally within 0.05 Å */
    const gn_atoms *ci = r->band[r->climb_index].atoms;
    size_t ad = ci->n - 1;
    double d[3] = {ci->pos[3 * ad] - 3.5 * f->b, ci->pos[3 * ad + 1] - 2 * f->b, 0};
    gn_cell_min_image(&ci->cell, d);
    print_message("CI adatom off the bridge site by (%.4f, %.4f) Å\n", d[0], d[1]);
    assert_true(hypot(d[0], d[1]) < 0.05);
    /* the band went the short way (0.4 Å steps across the boundary), not through the cell */
    gn_assert_near(r->s[r->nframes - 1], f->b, 0.3);
    /* every movable atom below fmax: recheck from the frames' NEB forces */
    for (size_t i = 1; i + 1 < r->nframes; i++)
        for (size_t a = 0; a < ci->n; a++)
            if (!ci->fixed[a])
                assert_true(hypot(hypot(r->band[i].forces[3 * a], r->band[i].forces[3 * a + 1]),
                                  r->band[i].forces[3 * a + 2]) < 0.01);
}

static void test_convergence_in_images_and_fmax(void **state)
{
    fixture *f = *state;
    gn_neb_opts o;
    gn_neb_result r9, r5;
    gn_error err;
    pt_opts(&o, 9, 0.01);
    gn_assert_ok(gn_neb_run(f->pot, f->ini, f->fin, &o, &r9, &err), &err);
    pt_opts(&o, 5, 0.005);
    gn_assert_ok(gn_neb_run(f->pot, f->ini, f->fin, &o, &r5, &err), &err);
    print_message("barrier: 5 images %.6f, 9 images %.6f, 5 images fmax 0.005 %.6f eV\n",
                  f->ref.barrier_fwd, r9.barrier_fwd, r5.barrier_fwd);
    assert_true(r9.converged && r5.converged);
    assert_true(fabs(r9.barrier_fwd - f->ref.barrier_fwd) < 2e-3);
    assert_true(fabs(r5.barrier_fwd - f->ref.barrier_fwd) < 2e-3);
    /* every image evaluation counted: the fixed endpoints once, the movable images at every
     * FIRE evaluation */
    assert_int_equal((long)r9.force_calls, 2 + 9L * (r9.iterations + 1));
    gn_neb_result_clear(&r9);
    gn_neb_result_clear(&r5);
}

static void test_collapse_and_mismatch(void **state)
{
    fixture *f = *state;
    gn_neb_opts o;
    pt_opts(&o, 3, 0.01);
    o.relax_endpoints = 1;
    gn_atoms *b;
    gn_error err;
    gn_atoms_copy(f->ini, &b, &err);
    b->pos[3 * (b->n - 1)] += 0.3; /* the same hollow, displaced: relaxes back */
    gn_neb_result r;
    gn_assert_ok(gn_neb_run(f->pot, f->ini, b, &o, &r, &err), &err);
    assert_true(r.collapsed);
    assert_false(r.converged);
    assert_true(r.endpoint_distance < 0.1);
    assert_true(isnan(r.barrier_fwd));
    gn_neb_result_clear(&r);
    /* endpoints with different atoms */
    b->z[5] = 79;
    assert_int_equal(gn_neb_run(f->pot, f->ini, b, &o, &r, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "atom 6"));
    b->z[5] = 78;
    b->fixed[40] = 1;
    assert_int_equal(gn_neb_run(f->pot, f->ini, b, &o, &r, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "atom 41"));
    gn_atoms_free(b);
}

static void test_restart_and_run_folder(void **state)
{
    fixture *f = *state;
    gn_neb_opts o;
    pt_opts(&o, 5, 0.01);
    gn_error err;
    char dir[] = "/tmp/gapneb-test-neb-XXXXXX";
    assert_non_null(mkdtemp(dir));
    gn_assert_ok(gn_rundir_write(dir, &o, "eam-pt", &f->ref, &err), &err);
    char p[256];
    snprintf(p, sizeof p, "%s/path.xyz", dir);
    gn_frame *fr;
    size_t nf;
    gn_assert_ok(gn_xyz_read(p, &fr, &nf, &err), &err);
    assert_int_equal((int)nf, 7);
    for (size_t i = 0; i < nf; i++) {
        assert_true(fr[i].has_energy);
        gn_assert_near(fr[i].energy, f->ref.band[i].energy, 1e-6);
        assert_non_null(fr[i].forces);
    }
    /* a restart from the converged band needs (almost) nothing more */
    gn_neb_result r;
    gn_assert_ok(gn_neb_restart(f->pot, fr, nf, &o, &r, &err), &err);
    print_message("restart: %d iterations, barrier %.6f eV\n", r.iterations, r.barrier_fwd);
    assert_true(r.converged);
    assert_true(r.iterations <= 5);
    gn_assert_near(r.barrier_fwd, f->ref.barrier_fwd, 1e-4);
    gn_neb_result_clear(&r);
    gn_frames_free(fr, nf);
    snprintf(p, sizeof p, "%s/summary.json", dir);
    json_error_t je;
    json_t *j = json_load_file(p, 0, &je);
    assert_non_null(j);
    json_t *res = json_object_get(j, "results");
    gn_assert_near(json_real_value(json_object_get(res, "barrier_forward_eV")),
                   f->ref.barrier_fwd, 1e-9);
    assert_true(json_is_true(json_object_get(res, "converged")));
    assert_int_equal((long)json_integer_value(json_object_get(res, "force_calls")),
                     (long)f->ref.force_calls);
    assert_non_null(json_string_value(json_object_get(j, "gapneb_version")));
    json_decref(j);
    /* a number that is not known (NaN) is written as null, not left out, and the folder still
     * reads back */
    gn_neb_result unknown = f->ref;
    unknown.wall_time = NAN;
    gn_assert_ok(gn_rundir_write(dir, &o, "eam-pt", &unknown, &err), &err);
    j = json_load_file(p, 0, &je);
    assert_non_null(j);
    assert_true(json_is_null(json_object_get(json_object_get(j, "results"), "wall_time_s")));
    assert_true(json_is_real(json_object_get(json_object_get(j, "settings"), "dt")));
    json_decref(j);
    gn_rundir_summary sum;
    gn_assert_ok(gn_rundir_read_summary(dir, &sum, &err), &err);
    assert_int_equal(sum.climb_index, f->ref.climb_index);
    gn_neb_opts back;
    gn_neb_opts_default(&back);
    gn_assert_ok(gn_rundir_read_settings(dir, &back, &err), &err);
    assert_true(back.fmax == o.fmax && back.dt == o.dt && back.k == o.k);
    const char *names[] = {"path.xyz", "profile.tsv", "profile_interp.tsv", "summary.json"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        assert_int_equal(access(p, R_OK), 0);
        unlink(p);
    }
    rmdir(dir);
}

typedef struct job {
    fixture *f;
    gn_neb_result r;
    int rc;
} job;

static void *thread_run(void *arg)
{
    job *j = arg;
    gn_neb_opts o;
    pt_opts(&o, 3, 0.05);
    gn_error err;
    j->rc = gn_neb_run(j->f->pot, j->f->ini, j->f->fin, &o, &j->r, &err);
    return NULL;
}

static void test_threads(void **state)
{
    /* two runs on one potential in parallel give exactly the serial result */
    fixture *f = *state;
    job serial = {.f = f}, par[2] = {{.f = f}, {.f = f}};
    thread_run(&serial);
    gn_assert_ok(serial.rc, &(gn_error){0});
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_run, &par[i]), 0);
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(par[i].rc, GN_OK);
        assert_true(par[i].r.barrier_fwd == serial.r.barrier_fwd);
        assert_int_equal(par[i].r.iterations, serial.r.iterations);
        gn_neb_result_clear(&par[i].r);
    }
    gn_neb_result_clear(&serial.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_symmetric_hop),
        cmocka_unit_test(test_convergence_in_images_and_fmax),
        cmocka_unit_test(test_collapse_and_mismatch),
        cmocka_unit_test(test_restart_and_run_folder),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
