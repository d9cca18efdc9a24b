/* gapneb: the shared engine of the pair potentials (library-internal). Units as the caller's
 * pair function: eV and Å for the Pt potentials, reduced units for "lj". */
#ifndef GAPNEB_POT_PAIR_INTERNAL_H
#define GAPNEB_POT_PAIR_INTERNAL_H

#include "gapneb/pot_pair.h"

/* V(r) and dV/dr for the parameters par. */
typedef double (*gn_pair_fn)(const double *par, double r, double *deriv);

typedef struct gn_pair_spec {
    const char *name;
    const char *description;
    int z;
    int kind;       /* GN_PAIR_LJ or GN_PAIR_MORSE */
    gn_pair_fn v;
    double par[4];
    double r_min;   /* minimum of the untruncated V */
    double r_on, r_cut;
    double shift;   /* V(r_cut) when r_on == r_cut (truncated and shifted), else 0: set by
                     * gn_pot_pair_new */
} gn_pair_spec;

/* A potential summing (v(r) - shift) S(r) over the half neighbour list (S the quintic switch). */
int gn_pot_pair_new(const gn_pair_spec *spec, gn_potential **out, gn_error *err);

/* The LJ and Morse potentials under a given name and description (pot_lj.c, pot_morse.c). */
int gn_pot_lj_make(const char *name, const char *description, double epsilon, double sigma,
                   double r_on, double r_cut, int z, gn_potential **out, gn_error *err);
int gn_pot_morse_make(const char *name, const char *description, double d0, double alpha,
                      double r0, double r_on, double r_cut, int z, gn_potential **out,
                      gn_error *err);

/* Parameterised pair specs (pot_pair_spec.c): 1 if the spec's name before any ':' is a pair
 * family ("lj", "lj-pt", "morse", "morse-pt"). */
int gn_pot_pair_spec_claims(const char *spec);
/* The parameters of a pair spec with the defaults applied and checked (pot_pair_spec.c). */
typedef struct gn_pair_params {
    char text[256];        /* the spec as given, blanks trimmed: the potential's name */
    char description[256];
    int kind, z;
    int (*builtin)(gn_potential **out, gn_error *err); /* a built-in without parameters, or NULL */
    double par[3];         /* LJ epsilon, sigma; Morse D, alpha, r0 */
    double rc, rs;         /* switch range */
} gn_pair_params;
int gn_pot_pair_spec_params(const char *spec, gn_pair_params *p, gn_error *err);
/* Builds the potential of a pair spec (gn_pot_pair_spec_claims true; pot_pair_make.c, above the
 * LJ and Morse constructors so that the spec module does not call up to them); the second form
 * gives its canonical spec alone, without building anything. */
int gn_pot_pair_spec_alloc(const char *spec, gn_potential **out, gn_error *err);
int gn_pot_pair_spec_resolve(const char *spec, char *canon, size_t cap, gn_error *err);
/* The canonical spec of a pair potential of kind and element z with these parameters, if a
 * family describes it (LJ or Morse for GN_Z_DUMMY or Pt); -1 otherwise or if it does not fit. */
int gn_pot_pair_spec_format(int kind, int z, const double *par, double r_on, double r_cut,
                            char *buf, size_t cap);

#endif
