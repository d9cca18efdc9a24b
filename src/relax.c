/* gapneb: atoms + potential as a minimiser objective; relaxation with FIRE or L-BFGS (Å, eV,
 * eV/Å). */
#include "gapneb/relax.h"

#include <stdlib.h>
#include <string.h>

static int atoms_eval(void *ctx, const double *x, double *energy, double *force, gn_error *err)
{
    gn_atoms_objective *ao = ctx;
    memcpy(ao->atoms->pos, x, 3 * ao->atoms->n * sizeof *x);
    return gn_calc_compute(ao->calc, ao->atoms, energy, force, NULL, err);
}

/* Both structures in one batch, so an engine pool evaluates them at the same time. */
static int atoms_eval2(void *ctx, const double *xa, const double *xb, double *ea, double *fa,
                       double *eb, double *fb, gn_error *err)
{
    gn_atoms_objective *ao = ctx;
    memcpy(ao->atoms->pos, xa, 3 * ao->atoms->n * sizeof *xa);
    memcpy(ao->second->pos, xb, 3 * ao->atoms->n * sizeof *xb);
    gn_calc *const c[2] = {ao->calc, ao->calc};
    const gn_atoms *const a[2] = {ao->atoms, ao->second};
    double e[2], *const f[2] = {fa, fb};
    int rc = gn_calc_compute_batch(c, 2, a, e, f, err);
    if (rc == GN_OK) {
        *ea = e[0];
        *eb = e[1];
    }
    return rc;
}

int gn_atoms_objective_init(gn_atoms_objective *ao, gn_calc *calc, gn_atoms *atoms,
                            gn_error *err)
{
    memset(ao, 0, sizeof *ao);
    ao->mask = malloc(3 * atoms->n + 1);
    if (!ao->mask)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    for (size_t i = 0; i < 3 * atoms->n; i++)
        ao->mask[i] = (unsigned char)!atoms->fixed[i / 3];
    ao->calc = calc;
    ao->atoms = atoms;
    ao->obj = (gn_objective){.nparticles = atoms->n, .dim = 3, .mask = ao->mask,
                             .eval = atoms_eval, .ctx = ao};
    if (gn_potential_concurrent(gn_calc_potential(calc))) {
        int rc = gn_atoms_copy(atoms, &ao->second, err);
        if (rc) {
            gn_atoms_objective_clear(ao);
            return rc;
        }
        ao->obj.eval2 = atoms_eval2;
    }
    return GN_OK;
}

void gn_atoms_objective_clear(gn_atoms_objective *ao)
{
    if (!ao)
        return;
    free(ao->mask);
    ao->mask = NULL;
    gn_atoms_free(ao->second);
    ao->second = NULL;
}

void gn_relax_opts_default(gn_fire_opts *fo)
{
    gn_fire_opts_default(fo, GN_FIRE_2);
    fo->fmax = 0.005;
    fo->max_steps = 2000;
}

int gn_relax_calc_with(gn_calc *calc, gn_atoms *a, gn_minimize_fn minimize, void *ctx,
                       gn_min_result *res, double *energy, gn_error *err)
{
    memset(res, 0, sizeof *res);
    gn_atoms_objective ao;
    int rc = gn_atoms_objective_init(&ao, calc, a, err);
    if (rc)
        return rc;
    /* the minimiser works on its own copy of x; a->pos is scratch for the evaluations */
    double *x = malloc(3 * a->n * sizeof *x + 1);
    if (!x) {
        gn_atoms_objective_clear(&ao);
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    memcpy(x, a->pos, 3 * a->n * sizeof *x);
    rc = minimize(ctx, &ao.obj, x, res, err);
    if (!rc) {
        memcpy(a->pos, x, 3 * a->n * sizeof *x);
        if (energy)
            *energy = res->energy;
    }
    free(x);
    gn_atoms_objective_clear(&ao);
    return rc;
}

static int fire_fn(void *ctx, const gn_objective *obj, double *x, gn_min_result *res,
                   gn_error *err)
{
    return gn_fire_minimize(obj, x, ctx, res, err);
}

int gn_relax_calc(gn_calc *calc, gn_atoms *a, const gn_fire_opts *fo, gn_fire_result *res,
                  double *energy, gn_error *err)
{
    gn_fire_opts def;
    if (!fo) {
        gn_relax_opts_default(&def);
        fo = &def;
    }
    return gn_relax_calc_with(calc, a, fire_fn, (void *)fo, res, energy, err);
}

int gn_relax(const gn_potential *pot, gn_atoms *a, const gn_fire_opts *fo, gn_fire_result *res,
             gn_error *err)
{
    gn_calc *calc;
    int rc = gn_calc_alloc(pot, &calc, err);
    if (rc)
        return rc;
    rc = gn_relax_calc(calc, a, fo, res, NULL, err);
    gn_calc_free(calc);
    return rc;
}
