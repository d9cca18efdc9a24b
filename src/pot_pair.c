/* gapneb: the shared engine of the pair potentials: E = sum over pairs of (V(r) - shift) S(r),
 * with the quintic switch S of pot_pair.h (shift = 0), or truncated and shifted (r_on = r_cut,
 * S = 1 below r_cut, shift = V(r_cut)). Energies eV, forces eV/Å, lengths Å. */
#include "pot_pair_internal.h"
#include "gapneb/neighbor.h"
#include "gapneb/pot_pair.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double gn_switch_quintic(double r, double r_on, double r_cut, double *deriv)
{
    if (r <= r_on) {
        *deriv = 0.0;
        return 1.0;
    }
    if (r >= r_cut) {
        *deriv = 0.0;
        return 0.0;
    }
    double w = r_cut - r_on, t = (r - r_on) / w;
    double t2 = t * t;
    *deriv = -30.0 * t2 * (1.0 - t) * (1.0 - t) / w;
    return 1.0 - t2 * t * (10.0 - 15.0 * t + 6.0 * t2);
}

/* One pair at r < r_cut. With shift = 0 the arithmetic is that of a plain switched V. */
static inline double pair_e(const gn_pair_spec *p, double r, double *de)
{
    double dv, ds;
    double v = p->v(p->par, r, &dv) - p->shift;
    double s = gn_switch_quintic(r, p->r_on, p->r_cut, &ds);
    *de = dv * s + v * ds;
    return v * s;
}

static int pair_compute(const void *self, const gn_atoms *a, const gn_nlist *nl, double *energy,
                        double *forces, double *peratom, gn_error *err)
{
    const gn_pair_spec *p = self;
    if (nl->natoms != a->n)
        return gn_error_set(err, GN_EINVAL,
                            "%s: neighbour list is for %zu atoms, structure has %zu", p->name,
                            nl->natoms, a->n);
    if (forces)
        memset(forces, 0, 3 * a->n * sizeof *forces);
    if (peratom)
        memset(peratom, 0, a->n * sizeof *peratom);
    const double rc2 = p->r_cut * p->r_cut;
    double e_total = 0.0;
    for (size_t i = 0; i < a->n; i++) {
        const double *xi = a->pos + 3 * i;
        for (size_t q = nl->first[i]; q < nl->first[i + 1]; q++) {
            size_t j = (size_t)nl->j[q];
            const double *xj = a->pos + 3 * j, *sh = nl->shift + 3 * q;
            double d[3] = {xj[0] + sh[0] - xi[0], xj[1] + sh[1] - xi[1], xj[2] + sh[2] - xi[2]};
            double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if (r2 >= rc2)
                continue;
            double r = sqrt(r2);
            if (r < 1e-6)
                return gn_error_set(err, GN_ERANGE, "%s: atoms %zu and %zu coincide", p->name,
                                    i + 1, j + 1);
            double de, e = pair_e(p, r, &de);
            e_total += e;
            if (peratom) {
                peratom[i] += 0.5 * e;
                peratom[j] += 0.5 * e;
            }
            if (forces) {
                /* d points from i to j: a positive dE/dr pulls i toward j and j toward i. */
                double g = de / r;
                for (int k = 0; k < 3; k++) {
                    forces[3 * i + k] += g * d[k];
                    forces[3 * j + k] -= g * d[k];
                }
            }
        }
    }
    *energy = e_total;
    return GN_OK;
}

static double pair_cutoff(const void *self) { return ((const gn_pair_spec *)self)->r_cut; }

static void pair_free(void *self) { free(self); }

static const gn_potential_ops pair_ops = {pair_compute, pair_cutoff, pair_free, NULL, NULL, NULL};

int gn_pot_pair_new(const gn_pair_spec *spec, gn_potential **out, gn_error *err)
{
    *out = NULL;
    if (!(spec->r_on > 0.0) || !(spec->r_cut >= spec->r_on) || !isfinite(spec->r_cut))
        return gn_error_set(err, GN_EINVAL,
                            "%s: switch range must satisfy 0 < r_on <= r_cut (got %g, %g)",
                            spec->name, spec->r_on, spec->r_cut);
    gn_potential *p = calloc(1, sizeof *p);
    gn_pair_spec *self = malloc(sizeof *self);
    if (!p || !self) {
        free(p);
        free(self);
        return gn_error_set(err, GN_ENOMEM, "out of memory for potential %s", spec->name);
    }
    *self = *spec;
    double dv;
    self->shift = spec->r_on == spec->r_cut ? spec->v(spec->par, spec->r_cut, &dv) : 0.0;
    p->ops = &pair_ops;
    p->self = self;
    p->z = spec->z;
    snprintf(p->name, sizeof p->name, "%s", spec->name);
    snprintf(p->description, sizeof p->description, "%s", spec->description);
    if (gn_pot_pair_spec_format(spec->kind, spec->z, spec->par, spec->r_on, spec->r_cut, p->spec,
                                sizeof p->spec))
        snprintf(p->spec, sizeof p->spec, "%s", spec->name);
    /* The strings of spec may be temporary: keep the potential's own copies. */
    self->name = p->name;
    self->description = p->description;
    *out = p;
    return GN_OK;
}

int gn_pot_pair_is(const gn_potential *p) { return p && p->ops == &pair_ops; }

int gn_pot_pair_info_get(const gn_potential *p, gn_pair_info *info, gn_error *err)
{
    if (!gn_pot_pair_is(p))
        return gn_error_set(err, GN_EINVAL, "potential %s is not a pair potential",
                            p ? p->name : "(null)");
    const gn_pair_spec *s = p->self;
    *info = (gn_pair_info){.kind = s->kind, .par = {s->par[0], s->par[1], s->par[2]},
                           .r0 = s->r_min, .r_on = s->r_on, .r_cut = s->r_cut,
                           .shift = s->shift};
    return GN_OK;
}

int gn_pot_pair_energy(const gn_potential *p, double r, int plain, double *e, double *deriv,
                       gn_error *err)
{
    if (!gn_pot_pair_is(p))
        return gn_error_set(err, GN_EINVAL, "potential %s is not a pair potential",
                            p ? p->name : "(null)");
    if (!(r > 0.0))
        return gn_error_set(err, GN_ERANGE, "%s: pair distance %g is not positive", p->name, r);
    const gn_pair_spec *s = p->self;
    double de = 0.0;
    if (plain)
        *e = s->v(s->par, r, &de);
    else
        *e = r < s->r_cut ? pair_e(s, r, &de) : 0.0;
    if (deriv)
        *deriv = de;
    return GN_OK;
}
