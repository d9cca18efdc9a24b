/* gapneb: the shared engine of the pair potentials: E = sum over pairs of V(r) S(r), with the
 * quintic switch S of pot_pair.h. Energies eV, forces eV/Å, lengths Å. */
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
            double dv, ds;
            double v = p->v(p->par, r, &dv);
            double s = gn_switch_quintic(r, p->r_on, p->r_cut, &ds);
            double e = v * s, de = dv * s + v * ds;
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

static const gn_potential_ops pair_ops = {pair_compute, pair_cutoff, pair_free};

int gn_pot_pair_new(const gn_pair_spec *spec, gn_potential **out, gn_error *err)
{
    *out = NULL;
    if (!(spec->r_on > 0.0) || !(spec->r_cut > spec->r_on) || !isfinite(spec->r_cut))
        return gn_error_set(err, GN_EINVAL,
                            "%s: switch range must satisfy 0 < r_on < r_cut (got %g, %g)",
                            spec->name, spec->r_on, spec->r_cut);
    gn_potential *p = calloc(1, sizeof *p);
    gn_pair_spec *self = malloc(sizeof *self);
    if (!p || !self) {
        free(p);
        free(self);
        return gn_error_set(err, GN_ENOMEM, "out of memory for potential %s", spec->name);
    }
    *self = *spec;
    p->ops = &pair_ops;
    p->self = self;
    p->z = spec->z;
    snprintf(p->name, sizeof p->name, "%s", spec->name);
    snprintf(p->description, sizeof p->description, "%s", spec->description);
    /* The strings of spec may be temporary: keep the potential's own copies. */
    self->name = p->name;
    self->description = p->description;
    *out = p;
    return GN_OK;
}
