/* gapneb: helpers of the NEB atom layer shared with the steps module (steps.h). Not installed.
 * Units: Å, eV, eV/Å. */
#ifndef GAPNEB_NEB_INTERNAL_H
#define GAPNEB_NEB_INTERNAL_H

#include "gapneb/neb.h"

/* The FIRE settings the NEB relaxes with (variant, dt, dt bounds, max_move of o), converging to
 * fmax within max_steps. */
void gn_neb_fire_opts(const gn_neb_opts *o, double fmax, int max_steps, gn_fire_opts *fo);

/* Relaxes a in place as the NEB relaxes its endpoints (o->endpoint_fmax and
 * o->endpoint_max_steps), with calculator calc. */
int gn_neb_relax_minimum(gn_atoms *a, gn_calc *calc, const gn_neb_opts *o, double *energy,
                         int *converged, gn_error *err);

/* Largest minimum-image displacement of any atom between positions pa and pb of a, Å. */
double gn_neb_max_displacement(const gn_atoms *a, const double *pa, const double *pb);

#endif
