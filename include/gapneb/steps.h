/* gapneb: the elementary steps of a minimum-energy path (doc/design.md, "Elementary steps").
 *
 * A converged CI-NEB band may pass through an intermediate minimum: its highest image then mixes
 * two steps, and its climbing image can even sit in a minimum (a band of few images jumps over
 * the ridges on both sides). This module, above the NEB engine, looks at a converged band for
 *   - interior minima of the cubic Hermite profile deeper than a tolerance (profile.h:
 *     gn_profile_minima; images lower than both neighbours are among them), and
 *   - when the climbing image's lowest curvature is positive (saddle order 0: the band is too
 *     coarse to show the minima it passes) or it stays on a ridge (order 2 or more), every
 *     interior image (the climbing image itself only when it is a minimum: a stationary point
 *     of higher order would not move);
 * relaxes each candidate (FIRE, same fixed atoms, the endpoint tolerance) and, when it ends in a
 * minimum distinct from both ends of the band (largest particle displacement > distinct), splits
 * the path there: each piece of the old band (the images between two minima) is resampled to the
 * band's number of images at equal arc length and relaxed again by CI-NEB with the same settings
 * (refinement included in the atom layer), recursively up to max_depth levels. Every band also
 * gets the saddle order of its climbing image (number of negative curvature modes: the atom layer
 * uses the lowest-mode search, lowmode.h; the band layer a finite-difference Hessian).
 *
 * The result lists the elementary steps in path order. Minima are numbered 0 (the initial state)
 * to nsteps (the final state); step k goes from minimum k to minimum k + 1. Energies are relative
 * to the initial state. The effective barrier is the highest saddle along the whole path minus
 * the initial state; the rate-limiting step is the one with that saddle. A step whose climbing
 * image is a minimum (order 0) has no barrier (NaN), and then the path has no effective barrier.
 *
 * Two entry points share one implementation: gn_steps_band_run on the band layer (generic
 * vectors, analytic surfaces) and gn_steps_run / gn_steps_from_neb on atoms with a potential.
 *
 * Units: positions and reaction coordinate Å (or the surface's own units on the band layer),
 * energies eV, forces eV/Å, frequencies THz, rates 1/s.
 * Thread safety: no shared state; each call creates the calculators it needs, so runs on one
 * potential may go on in parallel threads.
 */
#ifndef GAPNEB_STEPS_H
#define GAPNEB_STEPS_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"
#include "gapneb/neb.h"
#include "gapneb/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

/* At most this many elementary steps in one path: splitting stops (truncated is set) rather
 * than go beyond it. With two-way splits and the default depth 4 it is never reached. */
#define GN_STEPS_MAX 16

/* A band that did not converge is searched for the minima it slides through (every image a
 * candidate) when it ran at least this many iterations: a band stopped early by a small
 * iteration cap is reported as not converged, not split. */
#define GN_STEPS_UNCONVERGED_MIN_ITER 100

typedef struct gn_steps_opts {
    int split;           /* 1: split the path at intermediate minima (default 1) */
    double tol;          /* eV: a profile minimum counts when deeper than this (default 0.001) */
    int max_depth;       /* levels of splitting below the first band (default 4) */
    int check_order;     /* 1: saddle order of every step's climbing image (default 1) */
    double distinct;     /* a relaxed minimum is new when its largest particle displacement from
                            both ends of the band exceeds this, Å (default 0.1) */
    double zero_tol_thz; /* atom layer: |nu| below this is a zero mode, THz (default
                            GN_MODES_ZERO_TOL_THZ) */
    double zero_curv;    /* band layer: |Hessian eigenvalue| below this is zero, in the surface's
                            energy / length^2 (default 1e-6) */
} gn_steps_opts;

void gn_steps_opts_default(gn_steps_opts *o);
int gn_steps_opts_check(const gn_steps_opts *o, gn_error *err);

typedef struct gn_step {
    int depth;             /* splitting level that made this band (0: the first band) */
    size_t nimages;        /* images, endpoints included */
    double *path;          /* nimages * ndof positions, continuous along the band */
    double *energy;        /* nimages, eV relative to the initial state of the whole path */
    double *s;             /* nimages, reaction coordinate from this step's start */
    double *f_tan;         /* nimages, true force along the tangent (-dE/ds) */
    double s_offset;       /* where this step starts on the joined reaction coordinate */
    int climb_index;       /* the saddle image (the climbing image; the highest interior image
                              when climbing was off) */
    int converged;
    int saddle_order;      /* negative curvature modes at the climbing image; -1 not checked */
    int refinements;       /* atom layer: pushes along a second negative mode (neb.h) */
    int refine_failed;
    int iterations;        /* band FIRE iterations */
    double e_from, e_to;   /* eV, the step's minima, relative to the initial state */
    double e_saddle;       /* eV, the climbing image (or the higher endpoint of a band that only
                              goes downhill), relative to the initial state; NaN when the
                              climbing image is a minimum (order 0) */
    double barrier_fwd, barrier_rev; /* e_saddle - e_from, e_saddle - e_to; NaN for order 0 */
    double interp_max;     /* maximum of the step's Hermite profile, relative to the initial */
    /* harmonic analysis (table --modes): NaN until filled */
    double imag_freq_thz, prefactor_fwd_thz, prefactor_rev_thz, rate_fwd, rate_rev;
    gn_neb_result *neb;    /* atom layer: the step's band as the NEB gives it (frames with
                              energies and NEB forces); NULL on the band layer */
} gn_step;

typedef struct gn_steps_result {
    size_t ndof;            /* numbers per image */
    size_t nsteps;
    gn_step *step;          /* nsteps, in path order */
    size_t nminima;         /* nsteps + 1 (0 when there are no steps: a collapsed run) */
    double *min_energy;     /* nminima, eV relative to the initial state */
    double *min_pos;        /* nminima * ndof */
    double e_initial;       /* eV, absolute energy of the initial state */
    double ea_eff;          /* eV: highest saddle minus the initial state (NaN when some step's
                               climbing image is a minimum) */
    double ea_eff_rev;      /* eV: the same minus the final state */
    int rate_step;          /* index of the step with the highest saddle, -1 when none */
    int converged;          /* every step's band converged */
    int first_order;        /* every step's saddle order was checked and is 1 */
    int candidates;         /* minima candidates relaxed */
    int depth;              /* deepest splitting level used */
    int truncated;          /* a split was not made: depth limit with candidates left, or
                               GN_STEPS_MAX */
    unsigned long force_calls; /* every evaluation, the first band included */
    int iterations;         /* band FIRE iterations, all bands */
    double wall_time;       /* s, the first band included */
    double rate_fwd, rate_rev; /* 1/s: the chain's overall rates (gn_steps_chain_rate) when
                                  every step has its rates, else NaN */
    /* atom layer */
    gn_neb_result first;    /* the first band over the whole path, as gn_neb_run gave it */
    gn_atoms **min_atoms;   /* nminima structures (NULL on the band layer) */
} gn_steps_result;

void gn_steps_result_clear(gn_steps_result *res);

/* Band layer: relaxes the band path (nimages * ndof numbers, endpoints first and last: they
 * should be minima) with gn_band_relax and o, then splits it as above. There is no saddle
 * refinement on this layer. path is not modified. */
int gn_steps_band_run(const gn_band_system *sys, size_t nimages, const double *path,
                      const gn_neb_opts *o, const gn_steps_opts *so, gn_steps_result *res,
                      gn_error *err);

/* Atom layer: gn_neb_run (endpoints relaxed, collapse check, band, refinement) and the split.
 * A collapsed run has no steps (res->first.collapsed). */
int gn_steps_run(const gn_potential *pot, const gn_atoms *initial, const gn_atoms *final,
                 const gn_neb_opts *o, const gn_steps_opts *so, gn_steps_result *res,
                 gn_error *err);

/* The split of a finished NEB result (from gn_neb_run or gn_neb_restart): neb is moved into
 * res->first (neb is left empty). o: the settings the steps' bands are computed with. */
int gn_steps_from_neb(const gn_potential *pot, gn_neb_result *neb, const gn_neb_opts *o,
                      const gn_steps_opts *so, gn_steps_result *res, gn_error *err);

/* Overall rates of a linear chain of n steps: state k goes to k + 1 with rate kf[k] and back
 * with kr[k] (1/s). The forward rate is 1 / (mean first-passage time from state 0 to state n,
 * with state 0 reflecting): tau = sum_i (1 / kf[i]) sum_{j <= i} pi_j / pi_i with the
 * equilibrium weights pi_{j+1} / pi_j = kf[j] / kr[j] (the exact result for a linear Markov
 * chain); the reverse rate is the same for the reversed chain. For one step: kf[0] and kr[0].
 * Computed in logarithms. Returns GN_EINVAL (rates NaN) when a rate is not finite and > 0. */
int gn_steps_chain_rate(size_t n, const double *kf, const double *kr, double *rate_fwd,
                        double *rate_rev, gn_error *err);

/* Fills res->rate_fwd and res->rate_rev from the steps' rate_fwd and rate_rev (NaN when one is
 * missing). */
void gn_steps_chain_update(gn_steps_result *res);

/* Minimum names for folders and messages: "IS" (0), "M1".."M(n-1)", "FS" (n = nminima - 1). */
void gn_steps_minimum_name(const gn_steps_result *res, size_t k, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
