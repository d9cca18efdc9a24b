/* gapneb: the shared engine of the pair potentials (library-internal). Units as the caller's
 * pair function: eV and Å for the Pt potentials, reduced units for "lj". */
#ifndef GAPNEB_POT_PAIR_INTERNAL_H
#define GAPNEB_POT_PAIR_INTERNAL_H

#include "gapneb/potential.h"

/* V(r) and dV/dr for the parameters par. */
typedef double (*gn_pair_fn)(const double *par, double r, double *deriv);

typedef struct gn_pair_spec {
    const char *name;
    const char *description;
    int z;
    gn_pair_fn v;
    double par[4];
    double r_on, r_cut;
} gn_pair_spec;

/* A potential summing v(r) S(r) over the half neighbour list (S the quintic switch). */
int gn_pot_pair_new(const gn_pair_spec *spec, gn_potential **out, gn_error *err);

#endif
