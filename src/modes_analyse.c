/* gapneb: the harmonic analysis of an initial state, a saddle and a final state: saddle check,
 * imaginary frequency, Vineyard prefactors and rates, from full Hessians (modes.c) or partial
 * ones (modes_partial.c). Units: Å, eV, THz and cm^-1, K, 1/s. See include/gapneb/modes.h. */
#include "modes_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_same_atoms(const gn_atoms *a, const gn_atoms *b, const char *what, gn_error *err)
{
    int rc = gn_atoms_compatible(a, b, err);
    if (rc)
        return gn_error_prefix(err, "modes: initial and %s: ", what);
    for (size_t i = 0; i < a->n; i++)
        if (a->fixed[i] != b->fixed[i])
            return gn_error_set(err, GN_EINVAL, "modes: atom %zu is fixed in one structure and "
                                "movable in the %s", i + 1, what);
    return GN_OK;
}

/* Cartesian displacement of mass-weighted mode k: e_i / sqrt(m_i), normalised, over all atoms. */
static void cartesian_mode(const gn_atoms *a, const gn_modes_set *s, size_t k, double *out)
{
    size_t d = 0;
    double norm = 0.0;
    for (size_t i = 0; i < a->n; i++)
        for (int x = 0; x < 3; x++) {
            double v = 0.0;
            if (!a->fixed[i])
                v = s->evec[d++ * s->dim + k] / sqrt(a->mass[i]);
            out[3 * i + x] = v;
            norm += v * v;
        }
    norm = sqrt(norm);
    /* Sign convention: the largest component positive, so repeated runs agree. */
    size_t big = 0;
    for (size_t i = 0; i < 3 * a->n; i++)
        if (fabs(out[i]) > fabs(out[big]))
            big = i;
    if (out[big] < 0.0)
        norm = -norm;
    for (size_t i = 0; i < 3 * a->n; i++)
        out[i] /= norm;
}

static void fill_result(gn_modes_result *res, const gn_modes_set s[3], const gn_modes_opts *o)
{
    res->n_negative_initial = s[0].n_negative;
    res->n_negative_saddle = s[1].n_negative;
    res->n_negative_final = s[2].n_negative;
    res->n_zero_initial = s[0].n_zero;
    res->n_zero_saddle = s[1].n_zero;
    res->n_zero_final = s[2].n_zero;
    res->verified = s[1].n_negative == 1 && s[0].n_negative == 0 && s[2].n_negative == 0;
    res->dof = s[1].dim;
    res->imag_freq_thz = s[1].n_negative == 1 ? -s[1].freq_thz[0] : NAN;
    res->imag_freq_cm = gn_modes_thz_to_cm(res->imag_freq_thz);
    for (size_t k = 0; k < 3; k++)
        res->saddle_lowest_thz[k] = k < s[1].dim ? s[1].freq_thz[k] : NAN;
    res->prefactor_fwd_thz = gn_modes_vineyard_thz(&s[0], &s[1]);
    res->prefactor_rev_thz = gn_modes_vineyard_thz(&s[2], &s[1]);
    res->temperature = o->temperature;
    res->step = o->step;
    res->zero_tol_thz = o->zero_tol_thz;
    res->max_asym = fmax(s[0].asym, fmax(s[1].asym, s[2].asym));
    res->rate_fwd = gn_modes_rate(res, 0, o->temperature);
    res->rate_rev = gn_modes_rate(res, 1, o->temperature);
}

void gn_modes_resolve_opts(const gn_modes_opts *opts, gn_modes_opts *o)
{
    if (opts)
        *o = *opts;
    else
        gn_modes_opts_default(o);
    if (o->step <= 0.0)
        o->step = GN_MODES_STEP_DEFAULT;
    if (o->zero_tol_thz <= 0.0)
        o->zero_tol_thz = GN_MODES_ZERO_TOL_THZ;
}

/* Full Hessians of the three structures; *calls counts the force calls. */
static int analyse_sets(const gn_potential *pot, const gn_atoms *const at[3],
                        const gn_modes_opts *o, gn_modes_set s[3], unsigned long *calls,
                        gn_error *err)
{
    static const char *const names[3] = {"initial state", "saddle", "final state"};
    int rc = GN_OK;
    for (int k = 0; k < 3 && rc == GN_OK; k++) {
        /* A calculator per structure keeps each neighbour list to its own geometry. */
        gn_calc *calc = NULL;
        rc = gn_calc_alloc(pot, &calc, err);
        if (rc == GN_OK)
            rc = gn_modes_compute(calc, at[k], o->step, o->zero_tol_thz, k == 1, &s[k], err);
        if (calc)
            *calls += gn_calc_calls(calc);
        gn_calc_free(calc);
        if (rc)
            gn_error_prefix(err, "modes of the %s: ", names[k]);
    }
    return rc;
}

/* The partial analysis: orders and the imaginary frequency from the lowest-mode search over all
 * movable atoms, zero counts and prefactors from the region's sets (prefactors only when the
 * orders verify the saddle: a region can miss an unstable mode). */
static void fill_partial(gn_modes_result *res, const gn_modes_set s[3],
                         const gn_modes_partial_info *in, const gn_modes_opts *o)
{
    fill_result(res, s, o);
    res->n_negative_initial = in->order[0];
    res->n_negative_saddle = in->order[1];
    res->n_negative_final = in->order[2];
    res->verified = in->order[1] == 1 && in->order[0] == 0 && in->order[2] == 0;
    res->imag_freq_thz = in->order[1] == 1 ? -in->lowest_thz[0] : NAN;
    res->imag_freq_cm = gn_modes_thz_to_cm(res->imag_freq_thz);
    for (int k = 0; k < 3; k++)
        res->saddle_lowest_thz[k] = in->lowest_thz[k];
    if (!res->verified)
        res->prefactor_fwd_thz = res->prefactor_rev_thz = NAN;
    res->rate_fwd = gn_modes_rate(res, 0, o->temperature);
    res->rate_rev = gn_modes_rate(res, 1, o->temperature);
    res->hessian = GN_MODES_PARTIAL;
    res->hessian_atoms = in->atoms;
    res->partial_radius = in->radius;
    res->partial_change = in->change;
    res->partial_converged = in->converged;
    res->force_calls = in->force_calls;
}

/* The analysis, keeping the three mode sets (freed by the caller) for the reports; mode (3n, may
 * be NULL) receives the saddle's lowest mode as a Cartesian unit vector. */
int gn_modes_analyse_core(const gn_potential *pot, const gn_atoms *const at[3], const double e[3],
                          const gn_modes_opts *o, gn_modes_result *res, gn_modes_set s[3],
                          double *mode, gn_error *err)
{
    memset(s, 0, 3 * sizeof *s);
    memset(res, 0, sizeof *res);
    res->climb_index = -1;
    res->energy_mismatch = NAN;
    res->partial_radius = res->partial_change = NAN;
    if (!pot || !at[0] || !at[1] || !at[2])
        return gn_error_set(err, GN_EINVAL, "modes: missing potential or structure");
    if (!(o->temperature > 0.0) || !isfinite(o->temperature))
        return gn_error_set(err, GN_ERANGE, "modes: temperature %g K is not positive",
                            o->temperature);
    int rc = check_same_atoms(at[0], at[1], "saddle", err);
    if (rc == GN_OK)
        rc = check_same_atoms(at[0], at[2], "final state", err);
    if (rc)
        return rc;
    res->e_initial = e[0];
    res->e_saddle = e[1];
    res->e_final = e[2];
    res->barrier_fwd = e[1] - e[0];
    res->barrier_rev = e[1] - e[2];
    snprintf(res->potential, sizeof res->potential, "%s", pot->name);
    if (o->hessian == GN_MODES_FULL) {
        unsigned long calls = 0;
        rc = analyse_sets(pot, at, o, s, &calls, err);
        if (rc == GN_OK) {
            fill_result(res, s, o);
            res->hessian = GN_MODES_FULL;
            res->hessian_atoms = s[1].dim / 3;
            res->partial_converged = 1;
            if (mode)
                cartesian_mode(at[1], &s[1], 0, mode);
        }
        res->force_calls = calls;
        return rc;
    }
    gn_modes_partial_info info;
    rc = gn_modes_partial(pot, at, o, s, &info, mode, err);
    if (rc == GN_OK)
        fill_partial(res, s, &info, o);
    else
        gn_error_prefix(err, "modes (partial Hessian): ");
    res->force_calls = info.force_calls;
    return rc;
}

int gn_modes_analyse_ex(const gn_potential *pot, const gn_atoms *initial, const gn_atoms *saddle,
                        const gn_atoms *final, double e_initial, double e_saddle, double e_final,
                        const gn_modes_opts *opts, gn_modes_result *res, double *unstable_mode,
                        gn_error *err)
{
    gn_modes_opts o;
    gn_modes_resolve_opts(opts, &o);
    const gn_atoms *at[3] = {initial, saddle, final};
    const double e[3] = {e_initial, e_saddle, e_final};
    gn_modes_set s[3];
    int rc = gn_modes_analyse_core(pot, at, e, &o, res, s, unstable_mode, err);
    for (int k = 0; k < 3; k++)
        gn_modes_set_clear(&s[k]);
    return rc;
}

int gn_modes_analyse(const gn_potential *pot, const gn_atoms *initial, const gn_atoms *saddle,
                     const gn_atoms *final, double e_initial, double e_saddle, double e_final,
                     double T, gn_modes_result *res, gn_error *err)
{
    gn_modes_opts o;
    gn_modes_opts_default(&o);
    o.temperature = T;
    return gn_modes_analyse_ex(pot, initial, saddle, final, e_initial, e_saddle, e_final, &o, res,
                               NULL, err);
}
