/* gapneb: pair potentials (Lennard-Jones, Morse). Energies eV, forces eV/Å, lengths Å (reduced
 * units for "lj").
 *
 * Every pair potential is truncated smoothly: E(r) = V(r) S(r) with the quintic switch
 * S = 1 - 10 t^3 + 15 t^4 - 6 t^5, t = (r - r_on) / (r_cut - r_on), between r_on and r_cut. S, S'
 * and S'' are 1, 0, 0 at r_on and 0, 0, 0 at r_cut, so energy, force and force derivative are all
 * continuous everywhere and vanish at r_cut. A plain energy shift leaves a force jump at the
 * cutoff, which FIRE and a finite-difference Hessian both notice; shifted-force changes the pair
 * at every r, including the minimum. The switch leaves V untouched below r_on.
 *
 * r_on == r_cut asks for the plain truncated-and-shifted form instead, E(r) = V(r) - V(r_cut) below
 * r_cut and 0 beyond (continuous energy, a force jump of -V'(r_cut) at r_cut), for comparison with
 * codes that use it.
 *
 * Specs (gn_potential_alloc): "lj", "lj-pt", "morse-pt" and "morse" take parameters,
 *   lj:epsilon=E,sigma=S,rc=RC,rs=RS          lj-pt:... (same keys)
 *   morse:D=D,alpha=A,r0=R0,rc=RC,rs=RS       morse-pt:... (same keys)
 * any subset (morse needs D, alpha, r0 and rc), in any order, switched from rs to rc. Defaults:
 * those of the built-in; rc = 2.5 sigma and rs = 2.0 sigma for lj and lj-pt (with the sigma given);
 * rc given without rs: rs keeps the built-in's ratio rs/rc (0.8; morse-pt 8.5/9.5). rs = rc:
 * truncated and shifted. Energies eV (lj, morse: reduced units, species X), lengths Å (sigma),
 * alpha 1/Å.
 *
 * Thread safety: a pair gn_potential is immutable; the functions below are pure.
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

/* General forms, for element z (GN_Z_DUMMY for reduced units). Requires 0 < r_on <= r_cut
 * (r_on == r_cut: truncated and shifted). */
int gn_pot_lj_alloc(double epsilon, double sigma, double r_on, double r_cut, int z,
                  gn_potential **out, gn_error *err);
int gn_pot_morse_alloc(double d0, double alpha, double r0, double r_on, double r_cut, int z,
                     gn_potential **out, gn_error *err);

/* The untruncated pair functions and the switch: value, and derivative in *deriv. */
double gn_lj_pair(double epsilon, double sigma, double r, double *deriv);
double gn_morse_pair(double d0, double alpha, double r0, double r, double *deriv);
double gn_switch_quintic(double r, double r_on, double r_cut, double *deriv);

/* What a pair potential made by this module is: the pair function, its parameters and cutoff. */
enum { GN_PAIR_LJ = 1, GN_PAIR_MORSE = 2 };
typedef struct gn_pair_info {
    int kind;            /* GN_PAIR_LJ or GN_PAIR_MORSE */
    double par[3];       /* LJ: epsilon, sigma; Morse: D, alpha, r0 */
    double r0;           /* minimum of the untruncated pair function: 2^(1/6) sigma, or r0 */
    double r_on, r_cut;  /* switch range; r_on == r_cut: truncated and shifted */
    double shift;        /* V(r_cut) subtracted below r_cut when truncated and shifted, else 0 */
} gn_pair_info;

/* 1 if p is a pair potential of this module. */
int gn_pot_pair_is(const gn_potential *p);
/* GN_EINVAL (naming p) if p is not a pair potential of this module. */
int gn_pot_pair_info_get(const gn_potential *p, gn_pair_info *info, gn_error *err);
/* The pair energy E(r) exactly as p evaluates it (switched or shifted, 0 beyond the cutoff) and
 * dE/dr in *deriv (may be NULL); the untruncated V(r) with plain != 0. r > 0. */
int gn_pot_pair_energy(const gn_potential *p, double r, int plain, double *e, double *deriv,
                       gn_error *err);

/* Parameters of the built-ins (see the sources in pot_lj.c and pot_morse.c). */
#define GN_LJ_REDUCED_RON 2.0    /* sigma */
#define GN_LJ_REDUCED_RCUT 2.5   /* sigma */
#define GN_LJ_PT_R0 2.845                             /* Å, pair minimum */
#define GN_LJ_PT_SIGMA (GN_LJ_PT_R0 / 1.122462048309373) /* Å, r0 / 2^(1/6) = 2.53461 */
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
