/* gapneb: climbing-image nudged elastic band (NEB).
 *
 * Units: length Å, energy eV, force eV/Å, spring constants eV/Å^2.
 *
 * Two layers. The band layer (gn_band_*) works on generic vectors: an image is nparticles * dim
 * numbers, with an image-energy callback and a displacement callback (minimum image for atoms), so
 * analytic surfaces and atoms share one implementation. The atom layer (gn_neb_*) relaxes two
 * endpoint structures with a potential, builds the initial band (IDPP or linear), relaxes the band
 * with FIRE and fills a gn_neb_result.
 *
 * Forces: improved tangent (Henkelman and Jonsson, J. Chem. Phys. 113, 9978 (2000)); spring force
 * along the tangent only, constant k or energy-weighted (Asgeirsson et al., J. Chem. Theory Comput.
 * 17, 4929 (2021)); perpendicular true force; climbing image (Henkelman, Uberuaga and Jonsson,
 * J. Chem. Phys. 113, 9901 (2000)) on the highest image once the band's max force is below
 * climb_fmax. The whole band is one gn_objective for the minimiser (minimize.h): FIRE, or L-BFGS
 * over the whole band (the "global L-BFGS" of Sheppard, Terrell and Henkelman, J. Chem. Phys.
 * 128, 134106 (2008)), whose memory is reset when climbing switches on or moves to another image
 * (the NEB force then changes its meaning).
 *
 * Defaults (gn_neb_opts_default) were chosen by force calls of the band (bench/neb_calls.sh:
 * 5 images, fmax 0.01 eV/Å, endpoints relaxed beforehand) on the Pt(100) hop, the s2s hop and
 * e2e hop at d = 5, 5.8 and 8 Å, each from a symmetric and from a perturbed (0.05 Å) band, with
 * eam-pt and Pt_u3.eam (28 bands). L-BFGS (memory 20, H0 0.01 Å^2/eV, max_move 0.2 Å, the step
 * cap halved after a step that doubles the force) needed fewer calls than FIRE 2.0 on all 28:
 * 4931 in all against 11326, from 0.28x (Pt_u3 e2e hop at 5.8 Å, perturbed: 277 against 1002) to
 * 0.76x (Pt_u3 Pt(100) hop, symmetric: 162 against 212), every climbing image a first-order
 * saddle, barriers within 0.1 meV of FIRE's. On the default table (7 images, hop, transfer and
 * exchange on s2s and e2e at 5, 5.8 and 8 Å, endpoints relaxed with FIRE in both, saddle
 * refinement, whose pushed bands relax with FIRE: see refine below) L-BFGS took 0.44-0.88x
 * FIRE's calls on 17 of the 18 rows, with the same saddle orders and barriers within 0.3 meV; on
 * the e2e exchange at 8 Å it took 1.03x and found a first-order saddle 3.1 meV lower (0.7452
 * against 0.7483 eV: that path has two, and either optimiser may land on either; at 5.8 Å an
 * earlier run had it the other way round). Without the
 * step cap one of the 28 bands took 7x FIRE's calls (the e2e hop at 8 Å, perturbed), and the e2e
 * transfer at 5 Å wandered off to a 35 eV barrier, hence the cap and GN_NEB_LBFGS_PATIENCE.
 * Endpoint relaxations to 0.005 eV/Å would take 2-5x fewer calls with L-BFGS (and end up to meV
 * lower on soft nanocrystals), but they stay with FIRE like every other relaxation of the
 * program, so that the same structure gets the same energy everywhere. FIRE 2.0's own settings
 * were measured too (dt 0.05 / 0.15, max_move 0.1, FIRE 1): dt 0.15 saves 4 % in all but costs
 * more on some bands, so FIRE keeps dt 0.1. The climbing threshold (0.2, 0.5, 1.0 eV/Å, from the
 * start) changes single bands by up to 3x either way with L-BFGS and by little with FIRE;
 * 0.5 eV/Å gave the lowest total for both.
 *
 * Saddle refinement (o->refine): a band that lies in a mirror plane of the structure stays in it
 * (IDPP and the NEB forces respect the symmetry), so its climbing image can converge to a saddle
 * of order two on a ridge whose first-order saddles lie off the plane. A random push
 * (o->perturb) seldom helps when the ridge is flat across: the push decays below fmax before the
 * instability grows (measured on the s2s transfer at 5 Å: the second negative mode is -0.33 THz,
 * a curvature of -0.09 eV/Å^2, so a climbing image 0.1 Å off the ridge already meets fmax 0.01
 * eV/Å; perturb 0.05-0.5 Å all came back with 2 negative modes; over the default table perturb
 * 0.05 made only the 5.8 Å s2s transfer first-order, and sent the e2e transfers to other paths
 * or to divergence). The refinement pushes along the unstable mode itself, found by the
 * lowest-mode search (lowmode.h: Lanczos on finite-difference Hessian-vector products, the band
 * tangent as start vector; 50-90 force calls per check whatever the size, no Hessian is
 * stored), and relaxes again. If the
 * pushed band does not converge (a path off the plane may pass through intermediate minima that
 * the images cannot resolve: the e2e transfer at 5.8 Å does so), the band before the push is
 * restored and reported with refine_failed set, so a converged ridge result is never replaced by
 * a diverged one.
 *
 * Not converging is a reported state (converged = 0 with status GN_OK), and so is collapse
 * (collapsed = 1: the endpoints relaxed into the same minimum; no barrier is reported then).
 * Thread safety: gn_neb_run and gn_neb_restart create their own calculators; several runs may go
 * on in parallel threads sharing one potential.
 */
#ifndef GAPNEB_NEB_H
#define GAPNEB_NEB_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"
#include "gapneb/minimize.h"
#include "gapneb/potential.h"
#include "gapneb/relax.h" /* gn_relax, formerly declared here */

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gn_interp { GN_INTERP_IDPP = 0, GN_INTERP_LINEAR = 1 } gn_interp;

/* Parses "idpp" or "linear"; returns GN_OK or GN_EINVAL. */
int gn_interp_parse(const char *s, gn_interp *out, gn_error *err);
const char *gn_interp_name(gn_interp i);

typedef struct gn_neb_opts {
    int nimages;             /* movable images between the endpoints (default 7) */
    double k;                /* spring constant, eV/Å^2 (default 5) */
    int energy_weighted;     /* 1: k between k_min and k_max by image energy (default 0) */
    double k_min, k_max;     /* eV/Å^2, energy-weighted springs (defaults 0.972, 9.72 as eOn) */
    int climb;               /* 1: climbing image (default) */
    double climb_fmax;       /* climbing switched on once the band fmax < this, eV/Å (0.5) */
    gn_interp interp;        /* initial band (default IDPP) */
    double fmax;             /* convergence: every movable atom of every image, eV/Å (0.01) */
    int max_steps;           /* FIRE iteration cap of the band (default 1000) */
    int relax_endpoints;     /* 1: relax the endpoints first (default) */
    double endpoint_fmax;    /* eV/Å (default 0.005) */
    int endpoint_max_steps;  /* default 2000 */
    gn_minimizer optimizer;  /* the band: FIRE or the global L-BFGS (minimize.h; the endpoints
                                always relax with FIRE, as every relaxation of the program);
                                default: see gn_neb_opts_default */
    gn_fire_variant fire;    /* FIRE variant for band and endpoints (default FIRE 2.0) */
    double dt;               /* FIRE initial time step (optimiser units, see minimize.h; 0.1) */
    double max_move;         /* maximum displacement of any atom per step, Å (0.2) */
    int lbfgs_memory;        /* L-BFGS: (s, y) pairs kept (default 20) */
    int threads;             /* threads of each force call (gn_calc_set_threads; default 1): for
                                structures of thousands of atoms; the images are evaluated one
                                after another */
    double lbfgs_inv_curv;   /* L-BFGS: initial inverse curvature, Å^2/eV (default 0.01) */
    double collapse_tol;     /* endpoints closer than this (max atom displacement, Å) have
                                collapsed (default 0.1) */
    double perturb;          /* symmetry breaking of the starting band, Å (default 0 = none):
                                see gn_band_perturb; applied by gn_band_relax, so also to a
                                restarted band */
    unsigned long perturb_seed; /* seed of the perturbation (default 1): same seed, same band */
    int climb_at_start;      /* 1: climbing is on from the first iteration if the band, with its
                                highest image climbing, already has fmax below climb_fmax (how
                                gn_neb_restart continues a band that was climbing: without it a
                                converged band loses its climbing image for the first steps and
                                slides off the saddle); default 0 */
    int refine;              /* saddle refinement (gn_neb_run, gn_neb_restart): up to this many
                                rounds of "saddle order of the converged climbing image; if it
                                has a second negative mode, push the band along it and relax
                                again" (default 0 = off; each check costs 50-90 force calls,
                                about independent of the number of atoms: lowmode.h) */
    double refine_step;      /* largest atom displacement of that push at the climbing image, Å
                                (default 0.3) */
    /* Progress, called every few iterations (may be NULL): iteration, band max force (eV/Å),
     * current barrier estimate (eV, highest image minus initial), climbing image index (-1 if
     * climbing is off). A non-zero return stops the band relaxation (reported as not converged). */
    int (*progress)(void *ctx, int iter, double fmax, double barrier, int climb_index);
    void *progress_ctx;
    int progress_every;      /* iterations between progress calls (default 10) */
} gn_neb_opts;

void gn_neb_opts_default(gn_neb_opts *o);

/* Checks the option values (positive counts, tolerances, k_min <= k_max...). */
int gn_neb_opts_check(const gn_neb_opts *o, gn_error *err);

/* ---------------------------------------------------------------------------------------------
 * Band layer: generic vectors. */

/* Energy and true force (-gradient) of one image x (nparticles*dim numbers). */
typedef int (*gn_image_fn)(void *ctx, int image, const double *x, double *energy, double *force,
                           gn_error *err);
/* Energies and true forces of count consecutive images first .. first+count-1 at once: x holds
 * their positions back to back (count * nparticles*dim numbers), energy their count energies,
 * force their forces back to back. */
typedef int (*gn_images_fn)(void *ctx, int first, int count, const double *x, double *energy,
                            double *force, gn_error *err);
/* d = to - from, with the minimum-image convention where it applies. */
typedef void (*gn_disp_fn)(void *ctx, const double *from, const double *to, double *d);

typedef struct gn_band_system {
    size_t nparticles;
    int dim;
    const unsigned char *mask;  /* per component (nparticles*dim), 1 = may move; NULL = all */
    gn_image_fn energy;
    gn_disp_fn displacement;    /* NULL: plain difference */
    void *ctx;
    gn_images_fn energies;      /* optional: when set, the band hands all the images it needs
                                   at once to it (an engine pool evaluates them in parallel);
                                   NULL: one by one through energy */
} gn_band_system;

/* The band's state at one set of positions. Arrays have nimages (total, endpoints included)
 * entries, or nimages * ndof for per-image vectors (ndof = nparticles * dim). */
typedef struct gn_band_eval {
    size_t nimages, ndof;
    double *energy;      /* absolute energies */
    double *true_force;  /* -gradient */
    double *neb_force;   /* NEB force (zero on endpoints and fixed components) */
    double *tangent;     /* unit improved tangent (endpoints: along the adjacent segment) */
    double *f_tan;       /* true force along the tangent (-dE/ds), eV/Å */
    double *s;           /* reaction coordinate: cumulative |R_i - R_i-1|, Å */
    int climb_index;     /* climbing image, -1 if none */
    double fmax;         /* largest per-particle NEB force over movable images */
} gn_band_eval;

int gn_band_eval_init(gn_band_eval *ev, size_t nimages, size_t ndof, gn_error *err);
void gn_band_eval_clear(gn_band_eval *ev);

/* NEB forces of the band path (nimages * ndof positions, endpoints first and last). Endpoint
 * energies are evaluated too unless have_endpoint_energies is set, in which case ev->energy[0]
 * and ev->energy[nimages-1] are taken as given. climb_index: the image that climbs (-1: none). */
int gn_band_forces(const gn_band_system *sys, size_t nimages, const double *path,
                   const gn_neb_opts *o, int climb_index, int have_endpoint_energies,
                   gn_band_eval *ev, gn_error *err);

typedef struct gn_band_result {
    int converged;
    int iterations;
    unsigned long evals;   /* image energy evaluations (endpoints included) */
    double fmax;
    int climb_index;       /* -1 if climbing never switched on */
    double fmax_start;     /* band fmax at the first evaluation (after the perturbation) */
    int converged_start;   /* the band met the criteria at its first evaluation */
} gn_band_result;

/* Displaces the movable images of path (endpoints untouched) by one pseudo-random pattern
 * scaled by sin(pi t), t = i / (nimages - 1): every movable component of the pattern is uniform
 * in [-1, 1], then the pattern is scaled so that its largest per-particle displacement is
 * amplitude (same units as path). The generator is local and seeded by seed, so the same seed
 * gives the same band in every run and thread. Why: a band started in a mirror plane of the
 * surface (IDPP keeps it there, the NEB forces too) can only converge to a saddle in that plane,
 * a second-order one when the true saddles lie off the plane; one coherent push to one side lets
 * the unstable direction grow. amplitude <= 0 does nothing. Returns GN_OK or GN_ENOMEM. */
int gn_band_perturb(const gn_band_system *sys, size_t nimages, double *path, double amplitude,
                    unsigned long seed, gn_error *err);

/* Patience of L-BFGS in gn_neb_minimize (gn_lbfgs_opts.patience): after this many steps without a
 * new lowest fmax, at a step with 10 times the lowest fmax, it goes on with FIRE from the lowest
 * one. Converging L-BFGS bands find a new lowest fmax every few steps (at most 68 apart over the
 * 28 bands of bench/neb_calls); the e2e transfer at 5 Å of the default table, whose climbing
 * image keeps moving between images, went from 0.016 eV/Å to a 35 eV barrier in 1000 steps
 * without it. */
#define GN_NEB_LBFGS_PATIENCE 100

/* Minimises obj from x with the optimiser of o (o->optimizer, and its FIRE or L-BFGS settings),
 * to fmax (eV/Å) within max_steps; progress as in gn_fire_opts (may be NULL). With L-BFGS, a run
 * that stalls (GN_NEB_LBFGS_PATIENCE) continues with FIRE, within the same max_steps. The band
 * and the endpoint relaxations of an NEB run go through here so that both use the same
 * settings. */
int gn_neb_minimize(const gn_neb_opts *o, const gn_objective *obj, double *x, double fmax,
                    int max_steps, int (*progress)(void *, int, double, double), void *pctx,
                    gn_min_result *res, gn_error *err);

/* Relaxes the movable images of path in place with o->optimizer (after gn_band_perturb with
 * o->perturb and o->perturb_seed); on return ev (allocated by the caller with
 * gn_band_eval_init) holds the final state. */
int gn_band_relax(const gn_band_system *sys, size_t nimages, double *path, const gn_neb_opts *o,
                  gn_band_eval *ev, gn_band_result *res, gn_error *err);

/* ---------------------------------------------------------------------------------------------
 * Atom layer. */

typedef struct gn_neb_result {
    int converged;          /* band converged (and endpoints, when relaxed) */
    int collapsed;          /* endpoints relaxed into the same minimum: no barrier */
    int endpoints_converged;
    double endpoint_distance; /* max atom displacement between the relaxed endpoints, Å */
    double e_initial, e_final; /* eV, absolute */
    double barrier_fwd;     /* climbing (highest) image minus initial, eV */
    double barrier_rev;     /* climbing (highest) image minus final, eV */
    double reaction_energy; /* final minus initial, eV */
    double interp_max;      /* maximum of the interpolated profile, relative to initial, eV */
    double interp_max_s;    /* its reaction coordinate, Å */
    int climb_index;        /* index into band (0 = initial), -1 if none */
    int iterations;         /* band optimiser iterations */
    unsigned long force_calls; /* every image evaluation, endpoint relaxation included */
    double fmax;            /* final band max force, eV/Å */
    int refinements;        /* pushes along a second negative mode made by o->refine */
    int saddle_negative;    /* negative modes of the climbing image at the last refinement
                               check (-1: not checked) */
    int refine_failed;      /* a pushed band did not converge: the band before the push (with
                               saddle_negative modes) is what the result describes */
    int restart_kept;       /* gn_neb_restart: the relaxation ended worse (not converged where
                               the band it started from was, or with a larger fmax) than it
                               started, so the starting band is what the result describes */
    double wall_time;       /* s */
    size_t nframes;         /* images incl. endpoints (2 if collapsed) */
    gn_frame *band;         /* all images, with energies (eV) and NEB forces (eV/Å) */
    double *s;              /* nframes: reaction coordinate, Å */
    double *energy;         /* nframes: energy relative to initial, eV */
    double *f_tan;          /* nframes: true force along the tangent, eV/Å */
} gn_neb_result;

/* Full run: validates and relaxes the endpoints (unless o->relax_endpoints is 0), checks them for
 * collapse, builds the band and relaxes it. Thread-safe: creates its own gn_calc for every image,
 * so several runs may go on in parallel threads with one shared potential. */
int gn_neb_run(const gn_potential *pot, const gn_atoms *initial, const gn_atoms *final,
               const gn_neb_opts *o, gn_neb_result *res, gn_error *err);

/* Continues a band (e.g. read from a run's path.xyz): the first and last frames are the
 * endpoints and are not relaxed again; o->nimages is ignored. A band that was climbing climbs
 * again from the first step (o->climb_at_start is implied), and the result is never worse than
 * the band given: if the relaxation ends worse than it started (see restart_kept), the starting
 * band is re-evaluated and returned instead. */
int gn_neb_restart(const gn_potential *pot, const gn_frame *band, size_t nframes,
                   const gn_neb_opts *o, gn_neb_result *res, gn_error *err);

void gn_neb_result_clear(gn_neb_result *res);

#ifdef __cplusplus
}
#endif
#endif
