/* gapneb: fcc material properties of a potential: lattice constant (Å), cohesive energy (eV/atom),
 * bulk modulus (GPa), (100) and (111) surface energies (J/m^2, eV per surface atom).
 *
 * Bulk energies use the one-atom primitive cell (every neighbour is a periodic image), surface
 * energies a slab of SLAB_LAYERS layers with a 1x1 surface cell: 15 layers are far more than the
 * 3-4 layers any built-in's cutoff reaches, so the two surfaces do not see each other.
 */
#include "gapneb/properties.h"

#include "gapneb/relax.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SLAB_LAYERS 15

/* A one-atom fcc primitive cell of lattice constant a. */
static int primitive(gn_atoms *at, double a, gn_error *err)
{
    const double h[3][3] = {{0, a / 2, a / 2}, {a / 2, 0, a / 2}, {a / 2, a / 2, 0}};
    const int pbc[3] = {1, 1, 1};
    at->pos[0] = at->pos[1] = at->pos[2] = 0.0;
    return gn_cell_init(&at->cell, h, pbc, err);
}

typedef struct bulk_ctx {
    gn_calc *calc;
    gn_atoms *at;
    int status;
    gn_error *err;
} bulk_ctx;

static int bulk_open(const gn_potential *p, int z, bulk_ctx *c, gn_error *err)
{
    memset(c, 0, sizeof *c);
    c->err = err;
    int rc = gn_atoms_alloc(&c->at, 1, err);
    if (rc)
        return rc;
    c->at->z[0] = z;
    c->at->mass[0] = 1.0;
    rc = gn_calc_alloc(p, &c->calc, err);
    if (rc) {
        gn_atoms_free(c->at);
        c->at = NULL;
    }
    return rc;
}

static void bulk_close(bulk_ctx *c)
{
    gn_calc_free(c->calc);
    gn_atoms_free(c->at);
}

static int bulk_energy(bulk_ctx *c, double a, double *e)
{
    int rc = primitive(c->at, a, c->err);
    if (!rc)
        rc = gn_calc_compute(c->calc, c->at, e, NULL, NULL, c->err);
    return rc;
}

/* For GSL: the first failure is kept and every later call returns a huge but finite energy (GSL
 * reports a non-finite one through its error handler, which by default aborts, and switching the
 * handler off would change global state other threads see). */
static double bulk_fn(double a, void *vc)
{
    bulk_ctx *c = vc;
    double e = 1e300;
    if (c->status == GN_OK)
        c->status = bulk_energy(c, a, &e);
    return c->status == GN_OK ? e : 1e300;
}

int gn_fcc_energy(const gn_potential *p, int z, double a, double *e_atom, gn_error *err)
{
    bulk_ctx c;
    int rc = bulk_open(p, z, &c, err);
    if (rc)
        return rc;
    rc = bulk_energy(&c, a, e_atom);
    bulk_close(&c);
    return rc;
}

/* Coarse scan of the nearest-neighbour distance over [0.15, 0.95] x cutoff, which holds the
 * minimum of every potential with a sensible cutoff (eV/Å potentials and reduced LJ alike);
 * returns a bracket lo < mid < hi with E(mid) below both ends. */
static int scan_bracket(bulk_ctx *c, double rc, double br[3], gn_error *err)
{
    enum { NSCAN = 120 };
    double best = HUGE_VAL, step = 0.8 * rc / NSCAN, e[NSCAN + 1];
    int kbest = -1;
    for (int k = 0; k <= NSCAN; k++) {
        double a = sqrt(2.0) * (0.15 * rc + k * step);
        int st = bulk_energy(c, a, &e[k]);
        if (st)
            return st;
        if (e[k] < best) {
            best = e[k];
            kbest = k;
        }
    }
    /* GSL's Brent needs E(mid) strictly below both ends (else its error handler fires) */
    if (kbest <= 0 || kbest >= NSCAN || !(e[kbest] < e[kbest - 1]) || !(e[kbest] < e[kbest + 1]))
        return gn_error_set(err, GN_ENOCONV,
                            "no fcc energy minimum for nearest-neighbour distances between %.3g "
                            "and %.3g Å",
                            0.15 * rc, 0.95 * rc);
    for (int k = 0; k < 3; k++)
        br[k] = sqrt(2.0) * (0.15 * rc + (kbest - 1 + k) * step);
    return GN_OK;
}

int gn_lattice_constant(const gn_potential *p, int z, double *a0, gn_error *err)
{
    bulk_ctx c;
    int rc = bulk_open(p, z, &c, err);
    if (rc)
        return rc;
    double br[3];
    rc = scan_bracket(&c, gn_potential_cutoff(p), br, err);
    gsl_min_fminimizer *m = rc ? NULL : gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!rc && !m)
        rc = gn_error_set(err, GN_ENOMEM, "out of memory");
    if (!rc) {
        gsl_function fn = {bulk_fn, &c};
        int st = gsl_min_fminimizer_set(m, &fn, br[1], br[0], br[2]);
        for (int it = 0; st == GSL_SUCCESS && it < 200; it++) {
            st = gsl_min_fminimizer_iterate(m);
            double lo = gsl_min_fminimizer_x_lower(m), hi = gsl_min_fminimizer_x_upper(m);
            if (gsl_min_test_interval(lo, hi, 1e-8, 0.0) == GSL_SUCCESS)
                break;
        }
        if (c.status)
            rc = c.status;
        else if (st != GSL_SUCCESS)
            rc = gn_error_set(err, GN_ENOCONV, "lattice constant: Brent minimisation failed (%s)",
                              gsl_strerror(st));
        else
            *a0 = gsl_min_fminimizer_x_minimum(m);
    }
    gsl_min_fminimizer_free(m);
    bulk_close(&c);
    if (rc)
        gn_error_prefix(err, "lattice constant of %s: ", p->name);
    return rc;
}

int gn_cohesive_energy(const gn_potential *p, int z, double a0, double *ecoh, gn_error *err)
{
    double e;
    int rc = gn_fcc_energy(p, z, a0, &e, err);
    if (!rc)
        *ecoh = -e;
    return rc;
}

int gn_bulk_modulus(const gn_potential *p, int z, double a0, double *b_gpa, gn_error *err)
{
    bulk_ctx c;
    int rc = bulk_open(p, z, &c, err);
    if (rc)
        return rc;
    const double v0 = a0 * a0 * a0 / 4.0, h = 1e-3 * v0;
    double e[3];
    for (int k = 0; k < 3 && !rc; k++)
        rc = bulk_energy(&c, cbrt(4.0 * (v0 + (k - 1) * h)), &e[k]);
    if (!rc)
        *b_gpa = v0 * (e[0] - 2.0 * e[1] + e[2]) / (h * h) * GN_EV_PER_A3_IN_GPA;
    bulk_close(&c);
    return rc;
}

/* ---- surfaces ---- */

int gn_fcc_slab(int z, double a0, int facet, int layers, gn_atoms **out, gn_error *err)
{
    *out = NULL;
    if ((facet != 100 && facet != 111) || layers < 1 || !(a0 > 0.0))
        return gn_error_set(err, GN_EINVAL, "fcc slab: facet must be 100 or 111 (got %d), "
                            "layers >= 1 (got %d), a0 > 0", facet, layers);
    const double s = a0 / sqrt(2.0);
    double h[3][3] = {{s, 0, 0}, {0, s, 0}, {0, 0, 0}}, dz = a0 / 2.0;
    int period = 2;
    if (facet == 111) {
        h[1][0] = s / 2.0;
        h[1][1] = s * sqrt(3.0) / 2.0;
        dz = a0 / sqrt(3.0);
        period = 3;
    }
    gn_atoms *a;
    int rc = gn_atoms_alloc(&a, 0, err);
    const int pbc[3] = {1, 1, 0};
    if (!rc)
        rc = gn_cell_init(&a->cell, h, pbc, err);
    /* (100): ABAB, B over the centre of the square; (111): ABC, each layer shifted by
     * (a1 + a2)/3 over the one below. */
    for (int k = 0; k < layers && !rc; k++) {
        double f = (double)(k % period) / period;
        double r[3] = {f * (h[0][0] + h[1][0]), f * (h[0][1] + h[1][1]), k * dz};
        rc = gn_atoms_push(a, z, r, 0, err);
    }
    if (rc) {
        gn_atoms_free(a);
        return rc;
    }
    *out = a;
    return GN_OK;
}

/* Surface energies need tightly relaxed slabs: fmax 1e-4 eV/Å keeps the energy error far below
 * the 1e-3 J/m^2 printed. */
static int relax_slab(gn_calc *calc, gn_atoms *at, double *e, gn_error *err)
{
    gn_fire_opts opts;
    gn_relax_opts_default(&opts);
    opts.fmax = 1e-4;
    opts.max_steps = 20000;
    gn_fire_result res;
    int rc = gn_relax_calc(calc, at, &opts, &res, e, err);
    if (!rc && !res.converged)
        rc = gn_error_set(err, GN_ENOCONV, "slab relaxation did not reach fmax 1e-4 eV/Å in %d "
                          "steps (fmax %.2g)", res.steps, res.fmax);
    return rc;
}

int gn_surface_energy(const gn_potential *p, int z, double a0, int facet, int relax,
                      double *gamma_jm2, double *gamma_ev, gn_error *err)
{
    double eb, es;
    int rc = gn_fcc_energy(p, z, a0, &eb, err);
    gn_atoms *slab = NULL;
    gn_calc *calc = NULL;
    if (!rc)
        rc = gn_fcc_slab(z, a0, facet, SLAB_LAYERS, &slab, err);
    if (!rc)
        rc = gn_calc_alloc(p, &calc, err);
    if (!rc)
        rc = relax ? relax_slab(calc, slab, &es, err)
                   : gn_calc_compute(calc, slab, &es, NULL, NULL, err);
    if (!rc) {
        /* one atom per layer and cell: the excess per surface atom is half the slab's */
        double excess = es - SLAB_LAYERS * eb;
        double area = fabs(slab->cell.h[0][0] * slab->cell.h[1][1] -
                           slab->cell.h[0][1] * slab->cell.h[1][0]);
        if (gamma_ev)
            *gamma_ev = excess / 2.0;
        if (gamma_jm2)
            *gamma_jm2 = excess / (2.0 * area) * GN_EV_PER_A2_IN_J_PER_M2;
    }
    gn_calc_free(calc);
    gn_atoms_free(slab);
    if (rc)
        gn_error_prefix(err, "(%d) surface energy of %s: ", facet, p->name);
    return rc;
}

int gn_properties_compute(const gn_potential *p, int z, int relax, gn_properties *out,
                          gn_error *err)
{
    memset(out, 0, sizeof *out);
    gn_properties *o = out;
    int rc = gn_lattice_constant(p, z, &o->a0, err);
    if (!rc)
        rc = gn_cohesive_energy(p, z, o->a0, &o->ecoh, err);
    if (!rc)
        rc = gn_bulk_modulus(p, z, o->a0, &o->bulk_modulus, err);
    if (!rc)
        rc = gn_surface_energy(p, z, o->a0, 100, 0, &o->gamma100, &o->gamma100_ev, err);
    if (!rc)
        rc = gn_surface_energy(p, z, o->a0, 111, 0, &o->gamma111, &o->gamma111_ev, err);
    if (!rc && relax) {
        rc = gn_surface_energy(p, z, o->a0, 100, 1, &o->gamma100_relaxed,
                               &o->gamma100_relaxed_ev, err);
        if (!rc)
            rc = gn_surface_energy(p, z, o->a0, 111, 1, &o->gamma111_relaxed,
                                   &o->gamma111_relaxed_ev, err);
        o->relaxed = rc == GN_OK;
    }
    return rc;
}
