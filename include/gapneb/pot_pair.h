/* gapneb: pair potentials (Lennard-Jones, Morse). Energies eV, forces eV/Å, lengths Å (reduced
 * units for "lj").
 *
 * Every pair potential is truncated smoothly: E(r) = V(r) S(r) with the quintic switch
 * S = 1 - 10 t^3 + 15 t^4 - 6 t^5, t = (r - r_on) / (r_cut - r_on), between r_on and r_cut. S, S'
 * and S'' are 1, 0, 0 at r_on and 0, 0, 0 at r_cut, so energy, force and force derivative are all
 * continuous everywhere and vanish at r_cut. A plain energy shift leaves a force jump at the
 * cutoff, which FIRE and a finite-difference Hessian both notice; shifted-force changes the pair
 * at every r, including the minimum. The switch leaves V untouched below r_on.
 * Thread safety: the potential is immutable once made and may be shared; evaluation goes through
 * a per-thread gn_calc.
 */
#ifndef GAPNEB_POT_PAIR_H
#define GAPNEB_POT_PAIR_H

#include "gapneb/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Built-ins of the registry. */
int gn_pot_lj_reduced_alloc(gn_potential **out, gn_error *err);  /* "lj" */
int gn_pot_lj_pt_alloc(gn_potential **out, gn_error *err);       /* "lj-pt" */
int gn_pot_morse_pt_alloc(gn_potential **out, gn_error *err);    /* "morse-pt" */

/* General forms, for element z (GN_Z_DUMMY for reduced units). Requires 0 < r_on < r_cut. */
int gn_pot_lj_alloc(double epsilon, double sigma, double r_on, double r_cut, int z,
                  gn_potential **out, gn_error *err);
int gn_pot_morse_alloc(double d0, double alpha, double r0, double r_on, double r_cut, int z,
                     gn_potential **out, gn_error *err);

/* The untruncated pair functions and the switch: value, and derivative in *deriv. */
double gn_lj_pair(double epsilon, double sigma, double r, double *deriv);
double gn_morse_pair(double d0, double alpha, double r0, double r, double *deriv);
double gn_switch_quintic(double r, double r_on, double r_cut, double *deriv);

/* Parameters of the built-ins (see the sources in pot_lj.c and pot_morse.c). */
#define GN_LJ_REDUCED_RON 2.0    /* sigma */
#define GN_LJ_REDUCED_RCUT 2.5   /* sigma */
#define GN_LJ_PT_R0 2.845                             /* Å, pair minimum */
#define GN_LJ_PT_SIGMA (GN_LJ_PT_R0 / 1.122462048309373) /* Å, r0 / 2^(1/6) = 2.53458 */
#define GN_LJ_PT_EPSILON (7.80 * 4184.0 / 96485.33212) /* eV: 7.80 kcal/mol = 0.338240 eV */
#define GN_MORSE_PT_D 0.7102     /* eV */
#define GN_MORSE_PT_ALPHA 1.6047 /* 1/Å */
#define GN_MORSE_PT_R0 2.8970    /* Å */
#define GN_MORSE_PT_RON 8.5      /* Å */
#define GN_MORSE_PT_RCUT 9.5     /* Å */

#ifdef __cplusplus
}
#endif
#endif
