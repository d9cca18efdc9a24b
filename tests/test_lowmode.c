/* Tests of the lowest-mode module (lowmode.h): Lanczos on finite-difference Hessian-vector
 * products against known spectra and against the dense finite-difference Hessian.
 *
 * 1. An analytic quadratic form E = x^T H x / 2 with H = M^1/2 R diag(lambda) R^T M^1/2 (R a
 *    random orthogonal matrix built from Householder reflections, M the masses): the mass-weighted
 *    spectrum is exactly lambda, the plain one that of H (computed by LAPACK here), and central
 *    differences are exact for a quadratic, so Lanczos must reproduce them to rounding.
 * 2. Pt(100) slabs with eam-pt (the s2s model's crystal A alone, 4 layers, bottom 2 fixed) with an
 *    adatom relaxed at a hollow (a minimum), at a bridge (a first-order saddle: the adatom sits on
 *    a mirror plane of the slab, so relaxation keeps it there) and on top of a surface atom (a
 *    second-order saddle with two degenerate unstable modes: on two mirror planes), and the
 *    climbing image of an NEB hop: the lowest eigenpairs against gn_modes_compute (dense
 *    Hessian, LAPACK), eigenvalues to 1e-3 relative and vector overlap above 0.99; the saddle
 *    order; and the force calls for a slab of 4x the atoms.
 * Units: Å, eV, eV/Å, amu, eV/(Å^2 amu), THz. */
#include "gn_test.h"

#include <lapacke.h>

/* --- 1. analytic quadratic form ----------------------------------------------------------- */

#define QN 120 /* components: 60 particles in 2D, some fixed */

typedef struct quad {
    double H[QN * QN];
    unsigned long calls;
} quad;

static int quad_eval(void *ctx, const double *x, double *e, double *f, gn_error *err)
{
    (void)err;
    quad *q = ctx;
    double en = 0.0;
    for (size_t i = 0; i < QN; i++) {
        double s = 0.0;
        for (size_t j = 0; j < QN; j++)
            s += q->H[i * QN + j] * x[j];
        f[i] = -s;
        en += 0.5 * x[i] * s;
    }
    *e = en;
    q->calls++;
    return GN_OK;
}

/* Random orthogonal R (dof x dof) as a product of Householder reflections. */
static void random_orthogonal(double *R, size_t dof, gn_rng *rng)
{
    memset(R, 0, dof * dof * sizeof *R);
    for (size_t i = 0; i < dof; i++)
        R[i * dof + i] = 1.0;
    double v[QN];
    for (int h = 0; h < 6; h++) {
        double nv = 0.0;
        for (size_t i = 0; i < dof; i++) {
            v[i] = gn_rng_uniform(rng) - 0.5;
            nv += v[i] * v[i];
        }
        for (size_t r = 0; r < dof; r++) { /* R <- R (I - 2 v v^T / |v|^2) */
            double s = 0.0;
            for (size_t i = 0; i < dof; i++)
                s += R[r * dof + i] * v[i];
            for (size_t i = 0; i < dof; i++)
                R[r * dof + i] -= 2.0 * s * v[i] / nv;
        }
    }
}

/* The quadratic form over the movable components of mask with mass-weighted spectrum lam. */
static void quad_build(quad *q, const unsigned char *mask, const double *mass, const double *lam,
                       double *R, size_t dof)
{
    gn_rng rng = {12345};
    random_orthogonal(R, dof, &rng);
    size_t idx[QN], k = 0;
    for (size_t i = 0; i < QN; i++)
        if (mask[i])
            idx[k++] = i;
    assert_int_equal(k, dof);
    memset(q->H, 0, sizeof q->H);
    for (size_t a = 0; a < dof; a++)
        for (size_t b = 0; b < dof; b++) {
            double s = 0.0;
            for (size_t l = 0; l < dof; l++)
                s += R[a * dof + l] * lam[l] * R[b * dof + l];
            q->H[idx[a] * QN + idx[b]] = sqrt(mass[idx[a]] * mass[idx[b]]) * s;
        }
    q->calls = 0;
}

/* |<u, v>| over movable components in mass-weighted form (y = M^1/2 u, normalised). */
static double weighted_overlap(const double *u, const double *v, const double *mass,
                               const unsigned char *mask, size_t n)
{
    double uv = 0, uu = 0, vv = 0;
    for (size_t i = 0; i < n; i++) {
        if (mask && !mask[i])
            continue;
        double m = mass ? mass[i] : 1.0;
        uv += m * u[i] * v[i];
        uu += m * u[i] * u[i];
        vv += m * v[i] * v[i];
    }
    return fabs(uv) / sqrt(uu * vv);
}

static void test_quadratic(void **state)
{
    (void)state;
    unsigned char mask[QN];
    double mass[QN];
    for (size_t i = 0; i < QN; i++) {
        mask[i] = (unsigned char)(i / 2 % 7 != 3); /* particles 3, 10, 17, ... fixed */
        mass[i] = 1.0 + (double)(i / 2 % 5) * 40.0;
    }
    size_t dof = 0;
    for (size_t i = 0; i < QN; i++)
        dof += mask[i];
    double lam[QN], R[QN * QN];
    for (size_t l = 0; l < dof; l++)
        lam[l] = l == 0 ? -0.8 : l == 1 ? -0.05 : 0.1 + 0.05 * (double)l;
    quad q;
    quad_build(&q, mask, mass, lam, R, dof);
    gn_objective obj = {.nparticles = QN / 2, .dim = 2, .mask = mask, .eval = quad_eval, .ctx = &q};
    double x[QN];
    gn_rng rng = {99};
    for (size_t i = 0; i < QN; i++)
        x[i] = gn_rng_uniform(&rng); /* the Hessian of a quadratic is the same everywhere */
    gn_error err;

    /* mass-weighted: the spectrum is lam */
    gn_lowmode_opts o;
    gn_lowmode_opts_default(&o);
    o.nmodes = 3;
    o.tol = 1e-6;
    o.max_iter = 100;
    o.dof_mass = mass;
    gn_lowmode_result r;
    gn_assert_ok(gn_lowmode_obj(&obj, x, &o, &r, &err), &err);
    printf("quadratic, weighted: %d iterations, %lu force calls, lowest %.10f %.10f %.10f\n",
           r.iterations, r.force_calls, r.value[0], r.value[1], r.value[2]);
    assert_int_equal(r.nmodes, 3);
    assert_true(r.converged);
    assert_int_equal(r.ncomp, QN);
    assert_int_equal(r.force_calls, 2 * (unsigned long)r.iterations);
    assert_int_equal(q.calls, r.force_calls);
    for (int k = 0; k < 3; k++) {
        gn_assert_near(r.value[k], lam[k], 1e-9);
        gn_assert_near(r.freq_thz[k], gn_modes_freq_thz(lam[k]), 1e-6);
        /* the Cartesian mode of weighted eigenvector R e_k is M^-1/2 R e_k */
        double ref[QN] = {0};
        size_t j = 0;
        for (size_t i = 0; i < QN; i++)
            if (mask[i])
                ref[i] = R[j++ * dof + (size_t)k] / sqrt(mass[i]);
        double c = weighted_overlap(r.mode + (size_t)k * QN, ref, mass, mask, QN);
        gn_assert_near(c, 1.0, 1e-8);
        double nrm = 0.0, big = 0.0;
        for (size_t i = 0; i < QN; i++) {
            nrm += r.mode[(size_t)k * QN + i] * r.mode[(size_t)k * QN + i];
            if (fabs(r.mode[(size_t)k * QN + i]) > fabs(big))
                big = r.mode[(size_t)k * QN + i];
            if (!mask[i])
                assert_true(r.mode[(size_t)k * QN + i] == 0.0);
        }
        gn_assert_near(nrm, 1.0, 1e-12); /* Cartesian unit vector */
        assert_true(big > 0.0);          /* sign convention */
    }
    gn_lowmode_result_clear(&r);

    /* plain Hessian: against LAPACK on the movable block of H */
    double Hm[QN * QN], ev[QN];
    size_t idx[QN], k = 0;
    for (size_t i = 0; i < QN; i++)
        if (mask[i])
            idx[k++] = i;
    for (size_t a = 0; a < dof; a++)
        for (size_t b = 0; b < dof; b++)
            Hm[a * dof + b] = q.H[idx[a] * QN + idx[b]];
    assert_int_equal(LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int)dof, Hm,
                                   (lapack_int)dof, ev),
                     0);
    o.dof_mass = NULL;
    o.nmodes = 2;
    gn_assert_ok(gn_lowmode_obj(&obj, x, &o, &r, &err), &err);
    printf("quadratic, plain: %d iterations, lowest %.10f %.10f (LAPACK %.10f %.10f)\n",
           r.iterations, r.value[0], r.value[1], ev[0], ev[1]);
    for (size_t m = 0; m < 2; m++) {
        /* tol is relative to the spread (masses 1 to 161 amu make it wide): about 1e-6 here */
        gn_assert_near(r.value[m], ev[m], 1e-5 * fabs(ev[m]));
        assert_true(isnan(r.freq_thz[m]));
        double ref[QN] = {0};
        for (size_t j = 0; j < dof; j++)
            ref[idx[j]] = Hm[j * dof + m];
        gn_assert_near(weighted_overlap(r.mode + m * QN, ref, NULL, mask, QN), 1.0, 1e-6);
    }
    gn_lowmode_result_clear(&r);

    /* a guess equal to the lowest mode: found at once, the rest still reachable */
    double guess[QN] = {0};
    size_t j = 0;
    for (size_t i = 0; i < QN; i++)
        if (mask[i])
            guess[i] = R[j++ * dof + 0] / sqrt(mass[i]);
    o.dof_mass = mass;
    o.nmodes = 2;
    o.guess = guess;
    gn_assert_ok(gn_lowmode_obj(&obj, x, &o, &r, &err), &err);
    gn_assert_near(r.value[0], lam[0], 1e-9);
    gn_assert_near(r.value[1], lam[1], 1e-9);
    gn_lowmode_result_clear(&r);

    /* a space small enough to be spanned: every eigenvalue, exactly */
    o.guess = NULL;
    o.nmodes = (int)dof + 5; /* capped at dof */
    o.max_iter = 1000;
    gn_assert_ok(gn_lowmode_obj(&obj, x, &o, &r, &err), &err);
    assert_int_equal(r.nmodes, (int)dof);
    for (size_t l = 0; l < dof; l++)
        gn_assert_near(r.value[l], lam[l], 1e-9);
    gn_lowmode_result_clear(&r);

    /* a doubly degenerate lowest eigenvalue: one Krylov space holds one vector of the pair, the
     * restart from a vector orthogonal to it finds the other */
    lam[1] = lam[0];
    quad_build(&q, mask, mass, lam, R, dof);
    o.nmodes = 3;
    o.max_iter = 100;
    gn_assert_ok(gn_lowmode_obj(&obj, x, &o, &r, &err), &err);
    printf("quadratic, degenerate: %d iterations, lowest %.10f %.10f %.10f\n", r.iterations,
           r.value[0], r.value[1], r.value[2]);
    assert_int_equal(r.nmodes, 3);
    gn_assert_near(r.value[0], lam[0], 1e-9);
    gn_assert_near(r.value[1], lam[0], 1e-9);
    gn_assert_near(r.value[2], lam[2], 1e-9);
    gn_assert_near(weighted_overlap(r.mode, r.mode + QN, mass, mask, QN), 0.0, 1e-8);
    gn_lowmode_result_clear(&r);

    /* bad input */
    o.nmodes = 0;
    assert_int_equal(gn_lowmode_obj(&obj, x, &o, &r, &err), GN_EINVAL);
    o.nmodes = 1;
    o.step = -1.0;
    assert_int_equal(gn_lowmode_obj(&obj, x, &o, &r, &err), GN_ERANGE);
    o.step = 0.005;
    mass[0] = 0.0;
    assert_int_equal(gn_lowmode_obj(&obj, x, &o, &r, &err), GN_EINVAL);
}

/* --- 2. Pt slabs with eam-pt -------------------------------------------------------------- */

typedef enum { SITE_HOLLOW, SITE_BRIDGE, SITE_TOP } site_kind;

/* Crystal A of the s2s model (n x n cells, 4 layers, 2 fixed) with an adatom at the hollow
 * A100:0, or half a spacing along x from it (bridge), or along x and y (top, higher up), relaxed
 * to fmax 1e-4 eV/Å. Every one of these points lies on mirror planes x and y of the slab. */
static gn_atoms *pt_slab(const gn_potential *pot, double a0, int n, site_kind site)
{
    gn_error err;
    gn_model_opts mo;
    gn_model_opts_default(&mo, GN_MODEL_S2S);
    mo.a0 = a0;
    mo.gap = INFINITY;
    mo.single = 1;
    mo.n = n;
    gn_atoms *a;
    gn_assert_ok(gn_model_with_adatom(&mo, "A100:0", &a, &err), &err);
    double s = a0 / sqrt(2.0), *r = a->pos + 3 * (a->n - 1);
    if (site != SITE_HOLLOW)
        r[0] += 0.5 * s;
    if (site == SITE_TOP) {
        r[1] += 0.5 * s;
        r[2] += 0.6;
    }
    gn_fire_opts fo;
    gn_relax_opts_default(&fo);
    fo.fmax = 1e-4;
    fo.max_steps = 5000;
    gn_fire_result fr;
    gn_assert_ok(gn_relax(pot, a, &fo, &fr, &err), &err);
    assert_true(fr.converged);
    return a;
}

/* Largest overlap of Cartesian mode u with the dense eigenspace of eigenvalues within tol of
 * theta: sqrt of the sum of squared overlaps (mass-weighted), so degenerate modes compare as a
 * subspace. */
static double eigenspace_overlap(const gn_atoms *a, const gn_modes_set *s, const double *u,
                                 double theta, double tol)
{
    size_t dim = s->dim;
    double *y = malloc(dim * sizeof *y), ny = 0.0, sum = 0.0;
    size_t d = 0;
    for (size_t i = 0; i < a->n; i++)
        if (!a->fixed[i])
            for (int c = 0; c < 3; c++) {
                y[d] = sqrt(a->mass[i]) * u[3 * i + (size_t)c];
                ny += y[d] * y[d];
                d++;
            }
    for (size_t k = 0; k < dim; k++) {
        if (fabs(s->lambda[k] - theta) > tol)
            continue;
        double p = 0.0;
        for (size_t i = 0; i < dim; i++)
            p += y[i] * s->evec[i * dim + k];
        sum += p * p / ny;
    }
    free(y);
    return sqrt(sum);
}

/* The lowest nmodes pairs of a against the dense Hessian; returns the force calls. */
static unsigned long compare_dense(const gn_potential *pot, const gn_atoms *a, int nmodes,
                                   const char *what)
{
    gn_error err;
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(pot, &c, &err), &err);
    gn_modes_set s;
    gn_assert_ok(gn_modes_compute(c, a, 0, 0, 1, &s, &err), &err);
    gn_lowmode_opts o;
    gn_lowmode_opts_default(&o);
    o.nmodes = nmodes;
    gn_lowmode_result r;
    gn_assert_ok(gn_lowmode_atoms(c, a, 1, &o, &r, &err), &err);
    printf("%s: %d iterations, %lu force calls (dense: %zu), converged %d\n", what, r.iterations,
           r.force_calls, 2 * s.dim, r.converged);
    assert_true(r.converged);
    assert_int_equal(r.nmodes, nmodes);
    for (int k = 0; k < nmodes; k++) {
        double lam = s.lambda[k], th = r.value[k];
        double ov = eigenspace_overlap(a, &s, r.mode + (size_t)k * r.ncomp, th, 1e-3 * fabs(lam));
        printf("  mode %d: lowmode %.6e, dense %.6e eV/(Å^2 amu) (%.4f / %.4f THz), rel. diff "
               "%.2g, overlap %.6f\n",
               k, th, lam, r.freq_thz[k], s.freq_thz[k], fabs(th - lam) / fabs(lam), ov);
        gn_assert_near(th, lam, 1e-3 * fabs(lam));
        assert_true(ov > 0.99);
    }
    unsigned long calls = r.force_calls;
    gn_lowmode_result_clear(&r);
    gn_modes_set_clear(&s);
    gn_calc_free(c);
    return calls;
}

static int saddle_order(const gn_potential *pot, const gn_atoms *a, unsigned long *calls)
{
    gn_error err;
    gn_calc *c;
    gn_assert_ok(gn_calc_alloc(pot, &c, &err), &err);
    int order;
    gn_lowmode_result r;
    gn_assert_ok(gn_lowmode_saddle_order(c, a, NULL, 0, 4, &order, &r, &err), &err);
    printf("saddle order %d: %d iterations, %lu force calls, converged %d, lowest", order,
           r.iterations, r.force_calls, r.converged);
    for (int k = 0; k < r.nmodes; k++)
        printf(" %.4f", r.freq_thz[k]);
    printf(" THz\n");
    assert_true(r.converged);
    assert_int_equal(r.nmodes, order + 1); /* the unstable ones and the first stable one */
    if (calls)
        *calls = r.force_calls;
    gn_lowmode_result_clear(&r);
    gn_calc_free(c);
    return order;
}

typedef struct pt_fixture {
    gn_potential *pot;
    double a0;
} pt_fixture;

static int pt_setup(void **state)
{
    pt_fixture *f = calloc(1, sizeof *f);
    gn_error err;
    gn_assert_ok(gn_potential_alloc("eam-pt", &f->pot, &err), &err);
    gn_assert_ok(gn_lattice_constant(f->pot, GN_Z_PT, &f->a0, &err), &err);
    *state = f;
    return 0;
}

static int pt_teardown(void **state)
{
    pt_fixture *f = *state;
    gn_potential_free(f->pot);
    free(f);
    return 0;
}

static void test_pt_sites(void **state)
{
    pt_fixture *f = *state;
    gn_atoms *hol = pt_slab(f->pot, f->a0, 4, SITE_HOLLOW);
    gn_atoms *bri = pt_slab(f->pot, f->a0, 4, SITE_BRIDGE);
    gn_atoms *top = pt_slab(f->pot, f->a0, 4, SITE_TOP);
    compare_dense(f->pot, hol, 2, "hollow (minimum)");
    compare_dense(f->pot, bri, 2, "bridge (first-order saddle)");
    compare_dense(f->pot, top, 3, "top (second-order saddle)");
    assert_int_equal(saddle_order(f->pot, hol, NULL), 0);
    assert_int_equal(saddle_order(f->pot, bri, NULL), 1);
    assert_int_equal(saddle_order(f->pot, top, NULL), 2);
    gn_atoms_free(hol);
    gn_atoms_free(bri);
    gn_atoms_free(top);
}

/* The climbing image of an NEB hop on the same slab (refinement off, fmax 0.01 eV/Å): close to
 * the bridge, not exactly stationary. */
static void test_pt_neb_saddle(void **state)
{
    pt_fixture *f = *state;
    gn_error err;
    gn_model_opts mo;
    gn_model_opts_default(&mo, GN_MODEL_S2S);
    mo.a0 = f->a0;
    mo.gap = INFINITY;
    mo.single = 1;
    gn_atoms *ini, *fin;
    gn_assert_ok(gn_model_process(&mo, GN_PROCESS_HOP, &ini, &fin, &err), &err);
    gn_neb_opts no;
    gn_neb_opts_default(&no);
    no.refine = 0;
    gn_neb_result res;
    gn_assert_ok(gn_neb_run(f->pot, ini, fin, &no, &res, &err), &err);
    assert_true(res.converged);
    const gn_atoms *sad = res.band[res.climb_index].atoms;
    compare_dense(f->pot, sad, 2, "NEB climbing image");
    assert_int_equal(saddle_order(f->pot, sad, NULL), 1);
    gn_neb_result_clear(&res);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
}

/* Force calls do not grow with the number of atoms: the saddle check of the bridge on a slab of
 * 4 x 4 cells and of 8 x 8 (4x the atoms; the dense Hessian would need 4x the calls). */
static void test_pt_calls_vs_size(void **state)
{
    pt_fixture *f = *state;
    unsigned long calls[2];
    size_t natoms[2];
    for (int k = 0; k < 2; k++) {
        gn_atoms *bri = pt_slab(f->pot, f->a0, 4 << k, SITE_BRIDGE);
        natoms[k] = bri->n;
        assert_int_equal(saddle_order(f->pot, bri, &calls[k]), 1);
        gn_atoms_free(bri);
    }
    printf("saddle check of the bridge: %lu force calls at %zu atoms, %lu at %zu atoms\n",
           calls[0], natoms[0], calls[1], natoms[1]);
    assert_true(natoms[1] > 3 * natoms[0]);
    assert_true(calls[1] <= calls[0] + calls[0] / 2); /* dense: 4x */
    assert_true(calls[1] <= 100);
}

/* --- 3. a potential that evaluates structures concurrently (an engine pool) ----------------- */

/* eam-pt behind the batch interface of an engine: batches are counted by size. */
typedef struct batch_pot {
    const gn_potential *inner;
    unsigned long batches[3]; /* batches of 1, 2 and more structures */
} batch_pot;

static int batch_compute(const void *self, const gn_atoms *a, const struct gn_nlist *nl,
                         double *energy, double *forces, double *peratom, gn_error *err)
{
    const batch_pot *b = self;
    return b->inner->ops->compute(b->inner->self, a, nl, energy, forces, peratom, err);
}

static double batch_cutoff(const void *self)
{
    const batch_pot *b = self;
    return b->inner->ops->cutoff(b->inner->self);
}

static int batch_many(const void *self, size_t k, const gn_atoms *const *a, double *energy,
                      double *const *forces, gn_error *err)
{
    batch_pot *b = (batch_pot *)self; /* one thread in this test */
    b->batches[k < 3 ? k - 1 : 2]++;
    for (size_t i = 0; i < k; i++) {
        gn_calc *c;
        int rc = gn_calc_alloc(b->inner, &c, err);
        if (rc == GN_OK)
            rc = gn_calc_compute(c, a[i], &energy[i], forces ? forces[i] : NULL, NULL, err);
        gn_calc_free(c);
        if (rc)
            return rc;
    }
    return GN_OK;
}

static const gn_potential_ops batch_ops = {batch_compute, batch_cutoff, NULL, batch_many, NULL,
                                           NULL};

/* The lowest-mode search hands both points of each central difference over at once to a
 * potential that evaluates concurrently, and finds the same modes as one point at a time. */
static void test_concurrent_pairs(void **state)
{
    pt_fixture *f = *state;
    gn_atoms *bri = pt_slab(f->pot, f->a0, 3, SITE_BRIDGE);
    batch_pot b = {f->pot, {0, 0, 0}};
    gn_potential pot = {.ops = &batch_ops, .self = &b, .name = "batch-eam-pt", .z = GN_Z_PT};
    assert_true(gn_potential_concurrent(&pot));
    gn_error err;
    gn_lowmode_result r[2];
    const gn_potential *pots[2] = {f->pot, &pot};
    for (int k = 0; k < 2; k++) {
        gn_calc *c;
        gn_assert_ok(gn_calc_alloc(pots[k], &c, &err), &err);
        gn_assert_ok(gn_lowmode_atoms(c, bri, 1, NULL, &r[k], &err), &err);
        gn_calc_free(c);
    }
    printf("bridge: lowest %.6f / %.6f THz, %lu / %lu force calls; batches of 1, 2, more: %lu %lu "
           "%lu\n", r[0].freq_thz[0], r[1].freq_thz[0], r[0].force_calls, r[1].force_calls,
           b.batches[0], b.batches[1], b.batches[2]);
    assert_int_equal(r[1].nmodes, r[0].nmodes);
    for (int m = 0; m < r[0].nmodes; m++)
        gn_assert_near(r[1].value[m], r[0].value[m], 1e-6 * fabs(r[0].value[m]) + 1e-9);
    assert_true(b.batches[1] > 0);
    assert_int_equal(b.batches[0] + b.batches[2], 0);
    assert_int_equal(2 * b.batches[1], r[1].force_calls);
    for (int k = 0; k < 2; k++)
        gn_lowmode_result_clear(&r[k]);
    gn_atoms_free(bri);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quadratic),
        cmocka_unit_test_setup_teardown(test_pt_sites, pt_setup, pt_teardown),
        cmocka_unit_test_setup_teardown(test_pt_neb_saddle, pt_setup, pt_teardown),
        cmocka_unit_test_setup_teardown(test_pt_calls_vs_size, pt_setup, pt_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_pairs, pt_setup, pt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
