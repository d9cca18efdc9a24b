/* gapneb: automatic process search from a minimum (min-mode following with the dimer method).
 *
 * Units: lengths Å, energies eV, forces eV/Å, frequencies THz.
 *
 * The start structure is relaxed first (FIRE, fmax 0.005 eV/Å: the NEB's endpoint criterion).
 * Each search then
 *  1. picks an epicentre at random among the chosen atoms and displaces every movable atom
 *     within the radius of it by a Gaussian random vector (standard deviation `displace` per
 *     component), as eOn's process search does (its displace_radius / displace_magnitude);
 *  2. runs the dimer (dimer.h) from there, its initial orientation the displacement itself;
 *  3. checks the converged point's saddle order by Lanczos (gn_lowmode_saddle_order: exactly one
 *     mass-weighted frequency below -zero_tol_thz), the dimer's mode as the Lanczos guess;
 *  4. pushes the saddle along plus and minus its unstable mode (largest atom move `push`) and
 *     relaxes both sides to minima;
 *  5. keeps the saddle if exactly one of the two minima is the start (largest atom displacement
 *     below same_dist): the other is the product.
 * Saddles are then merged in search order: two are the same process when their energies agree
 * within same_energy and no atom is farther than same_dist from its place in the other. The
 * processes come out sorted by barrier. Optionally (confirm) a climbing-image NEB from the start
 * to each product checks that it reproduces the saddle.
 *
 * Chosen atoms: given by the caller, or by default the least-coordinated movable atoms
 * (gn_search_adatoms), which recognises an adatom on a facet (4 neighbours on (100), 3 on (111),
 * against 7 to 9 for the surface atoms) in any structure file without a tag.
 *
 * Reproducibility: search i draws its epicentre and displacement from its own generator, seeded
 * by (seed, i), and evaluates through its own calculator, so the processes found depend on the
 * seed and the number of searches only, not on the number of threads or their timing.
 *
 * Thread safety: gn_search_run creates the calculators it needs; one potential may be shared.
 * The progress callback is called from the worker threads, one call at a time.
 */
#ifndef GAPNEB_SEARCH_H
#define GAPNEB_SEARCH_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/dimer.h"
#include "gapneb/error.h"
#include "gapneb/minimize.h"
#include "gapneb/neb.h"
#include "gapneb/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What became of one search. */
typedef enum gn_search_outcome {
    GN_SEARCH_NEW = 0,          /* a connected saddle no earlier search found */
    GN_SEARCH_DUPLICATE = 1,    /* a connected saddle an earlier search found */
    GN_SEARCH_NOT_CONVERGED = 2,/* the dimer stopped at its step cap or energy limit */
    GN_SEARCH_NOT_FIRST_ORDER = 3, /* converged to a point with 0 or 2+ unstable modes */
    GN_SEARCH_NOT_CONNECTED = 4,/* neither minimum of the saddle is the start */
    GN_SEARCH_SAME_MINIMUM = 5, /* both sides relax back into the start */
    GN_SEARCH_RELAX_FAILED = 6, /* a side did not relax to fmax within the step cap */
    GN_SEARCH_OUTCOME_COUNT
} gn_search_outcome;

/* "new", "duplicate", "not converged", "not first order", "not connected", "same minimum",
 * "relaxation failed". */
const char *gn_search_outcome_name(gn_search_outcome o);

typedef struct gn_search_opts {
    int nsearch;          /* searches (default 10) */
    const size_t *atoms;  /* chosen atoms (epicentres), 0-based; NULL: gn_search_adatoms */
    size_t natoms;
    double radius;        /* Å: atoms within this of the epicentre are displaced (<= 0, the
                             default: 1.2 nearest-neighbour distances, the epicentre and its
                             first neighbour shell; 3.33 Å for Pt) */
    double displace;      /* Å: standard deviation per component (default 0.1, as eOn) */
    unsigned long seed;   /* default 1 */
    int jobs;             /* threads (default 1) */
    gn_dimer_opts dimer;  /* defaults of dimer.h, with max_rise 5 eV */
    double push;          /* Å: largest atom move of the push off the saddle (default 0.2) */
    gn_fire_opts relax;   /* relaxations of the start and the two sides (gn_relax_opts_default) */
    double same_energy;   /* eV (default 0.001) */
    double same_dist;     /* Å (default 0.1) */
    double move_tol;      /* Å: atoms that move more than this are listed (default 0.5) */
    double zero_tol_thz;  /* saddle order threshold (<= 0: GN_MODES_ZERO_TOL_THZ) */
    int confirm;          /* 1: CI-NEB from the start to each product (default 0) */
    gn_neb_opts neb;      /* for confirm (gn_neb_opts_default with refine 3, as the table) */
    double confirm_tol;   /* eV: the NEB's saddle energy must match within this (0.002) */
    /* Called after each search (may be NULL), from the thread that ran it. */
    void (*progress)(void *ctx, int search, int done, int total, gn_search_outcome outcome,
                     double barrier);
    void *progress_ctx;
    /* Asked before each search starts (may be NULL): non-zero starts no further search, and
     * gn_search_run returns GN_ECANCEL once the running ones end (a table being interrupted). */
    int (*cancelled)(void *ctx);
    void *cancel_ctx;
} gn_search_opts;

void gn_search_opts_default(gn_search_opts *o);

typedef struct gn_search_attempt {
    gn_search_outcome outcome;
    int process;             /* index into processes (NEW, DUPLICATE), else -1 */
    size_t epicentre;        /* atom index */
    int dimer_steps;
    unsigned long dimer_calls; /* force calls of the dimer (its initial mode included) */
    unsigned long force_calls; /* all of this search: dimer, order check, both relaxations */
    double e_saddle;         /* eV, NAN unless the dimer converged */
    int order;               /* unstable modes at the converged point (-1: not checked) */
} gn_search_attempt;

typedef struct gn_search_process {
    double e_saddle, e_product;   /* eV, absolute */
    double barrier, barrier_rev;  /* eV: saddle - start, saddle - product */
    double freq_thz;              /* the unstable mode's signed frequency (negative) */
    size_t nmoved;                /* atoms that move more than move_tol from start to product */
    size_t *moved;                /* their indices, ascending */
    double max_move;              /* Å: the largest atom move, start to product */
    int search;                   /* the first search that found it */
    int count;                    /* searches that found it */
    unsigned long force_calls;    /* of that first search */
    gn_atoms *saddle, *product;
    double *mode;                 /* 3n: the unstable mode, unit, zero on fixed atoms */
    /* confirm: */
    int confirmed;                /* -1 not asked; 0 the NEB did not reproduce the saddle; 1 did */
    double neb_barrier;           /* eV (NAN if not run) */
    double neb_saddle_dist;       /* Å: largest atom distance, NEB climbing image to saddle */
    int neb_converged;
    unsigned long neb_calls;
} gn_search_process;

typedef struct gn_search_result {
    gn_atoms *start;              /* the relaxed start */
    double e_start;               /* eV */
    int start_converged;
    unsigned long start_calls;
    size_t *epicentres;           /* the chosen atoms */
    size_t nepicentres;
    double radius;                /* Å, as used */
    int nsearch;
    gn_search_attempt *attempts;  /* nsearch */
    size_t nprocesses;
    gn_search_process *processes; /* by barrier, lowest first */
    int count[GN_SEARCH_OUTCOME_COUNT]; /* searches per outcome */
    int nconverged;               /* dimer converged (whatever came next) */
    unsigned long force_calls;    /* all searches (start relaxation and confirm not included) */
    unsigned long dimer_calls;    /* of the dimer runs only */
    double wall_time;             /* s, the searches */
} gn_search_result;

/* Runs the searches from start (not modified; its fixed atoms stay fixed). Not finding anything
 * is a result (nprocesses = 0) with GN_OK; a non-OK status means bad options or input, or a
 * potential failure. res is filled on GN_OK; release it with gn_search_result_clear (also after
 * an error). o may be NULL (defaults). */
int gn_search_run(const gn_potential *pot, const gn_atoms *start, const gn_search_opts *o,
                  gn_search_result *res, gn_error *err);

void gn_search_result_clear(gn_search_result *res);

/* Nearest-neighbour distance of a structure, Å: the median over atoms of the distance to the
 * nearest other atom (minimum image); NAN for fewer than 2 atoms. */
double gn_search_nn_distance(const gn_atoms *a);

/* The least-coordinated movable atoms: coordination = neighbours within 1.2 nearest-neighbour
 * distances (between the first and second shells of fcc); *idx (free()) receives, ascending,
 * every movable atom whose coordination is the lowest. GN_EINVAL if no atom may move. */
int gn_search_adatoms(const gn_atoms *a, size_t **idx, size_t *n, gn_error *err);

/* Writes DIR/processes.tsv, DIR/processes.json, DIR/start.xyz and DIR/saddle_K.xyz,
 * DIR/product_K.xyz (K = 1, 2, ... in barrier order), creating DIR; each file whole or not at
 * all. potential_spec is recorded (may be NULL). */
int gn_search_write(const char *dir, const gn_search_result *res, const gn_search_opts *o,
                    const char *potential_spec, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
