/* gapneb: normal modes, saddle verification and harmonic transition-state rates.
 *
 * Units: positions Å, energies eV, forces eV/Å, Hessian eV/Å^2, masses amu, mass-weighted
 * Hessian eigenvalues eV/(Å^2 amu), frequencies THz (= 1e12 1/s, ordinary frequency nu, not
 * omega) and cm^-1, temperature K, rates 1/s.
 *
 * The Hessian covers the movable degrees of freedom only and is built by central finite
 * differences of the forces (2 force calls per degree of freedom), then symmetrised. A frequency
 * is reported signed: negative means imaginary (a negative eigenvalue lambda gives
 * -sqrt(|lambda|) converted to THz).
 *
 * Rates follow harmonic transition state theory (Vineyard, J. Phys. Chem. Solids 3, 121 (1957)):
 * nu* = prod_{i=1}^{3N} nu_i(minimum) / prod_{i=1}^{3N-1} nu_i(saddle, real modes) and
 * k(T) = nu* exp(-Ea / kB T), over the N movable atoms, computed in logarithms.
 *
 * Two ways to get the frequencies (gn_modes_opts.hessian):
 * - GN_MODES_FULL: the Hessian of every movable atom (2 force calls per movable coordinate and
 *   state, memory (3N)^2): exact, affordable up to a few hundred movable atoms.
 * - GN_MODES_PARTIAL (the default): the saddle order and the imaginary frequency come from the
 *   lowest-mode search over all movable atoms (lowmode.h: a few tens of force calls, memory O(N)),
 *   and the prefactor from partial Hessians: only the atoms within a radius R of the core (the
 *   atoms that move more than partial_move Å between the three states; at least the one that
 *   moves most) vibrate, the rest are frozen at their positions in each state. R grows shell by
 *   shell, R_k = (k + 1/4) x partial_shell (default: the nearest-neighbour distance of the core's
 *   first atom), until the forward and the reverse prefactor both change by less than
 *   partial_tol (default 1 %) from one shell to the next, or the region holds every movable
 *   atom (then it is the full Hessian), or R passes partial_max_radius. The Hessian columns are
 *   kept sparse (only the atoms within the potential's reach of a displaced atom have nonzero
 *   entries) and reused as R grows; only the region's block is made dense and diagonalised
 *   (LAPACKE), so memory is O(N) + (3 m)^2 for m region atoms. Freezing the surroundings stiffens
 *   the region (its eigenvalues lie above the full ones: Cauchy interlacing), which cancels in
 *   the ratio as R grows; a region can miss an unstable mode but never invent one, hence the
 *   order from the full lowest-mode search.
 *
 * Thread safety: each call creates the calculators it needs, so one potential may serve several
 * threads.
 */
#ifndef GAPNEB_MODES_H
#define GAPNEB_MODES_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"
#include "gapneb/minimize.h"
#include "gapneb/potential.h"
#include "gapneb/units.h"

#ifdef __cplusplus
extern "C" {
#endif


/* Default finite-difference step (Å). Central differences have an O(h^2) truncation error
 * h^2/6 times the third derivative of the force: on a distorted Pt Morse cluster (tests) h = 0.005
 * Å gives at most 3.4e-4 eV/Å^2 against the analytic Hessian (max entry 26 eV/Å^2), while the
 * rounding error of the forces divided by 2h stays near 1e-11 eV/Å^2, so a smaller step buys
 * little; and 0.005 Å is far inside any Verlet skin, so no neighbour list is rebuilt between the
 * +h and -h evaluations. */
#define GN_MODES_STEP_DEFAULT 0.005

/* Default tolerance (THz) below which |nu| counts as zero, not as a negative or real mode. For a
 * Pt atom (195.08 amu) 0.1 THz (3.3 cm^-1) is a curvature of 8e-3 eV/Å^2: more than 20 times the
 * finite-difference error of the default step, and well below the softest vibrations of the
 * slabs modelled here (about 0.5 THz and up) and the imaginary frequencies of adatom hops (about
 * 1 THz and up). */
#define GN_MODES_ZERO_TOL_THZ 0.1

#define GN_MODES_T_DEFAULT 300.0

/* Frequency (THz, signed) of a mass-weighted eigenvalue lambda in eV/(Å^2 amu). */
double gn_modes_freq_thz(double lambda);
/* THz -> cm^-1 (wavenumber nu / c). */
double gn_modes_thz_to_cm(double thz);

/* Finite-difference Hessian of a generic objective (the minimiser's energy+force callback),
 * over the components with mask 1 (all when obj->mask is NULL), in the order they appear in x.
 * H is dof x dof, row major, allocated by the caller (use gn_modes_count_dof). H[i][j] =
 * -(F_j(x + h e_i) - F_j(x - h e_i)) / 2h, then symmetrised. *asym (may be NULL) receives the
 * largest |H_ij - H_ji| before symmetrisation (eV/Å^2 for atoms). x is not modified. */
size_t gn_modes_count_dof(const gn_objective *obj);
int gn_modes_hessian_obj(const gn_objective *obj, const double *x, double step, double *H,
                         double *asym, gn_error *err);

/* Hessian of the movable atoms of a (3m x 3m, m = movable atoms, order: atom index, then x, y,
 * z) with calculator c. *H is allocated here (caller frees), *dim = 3m. asym as above (may be
 * NULL). */
int gn_modes_hessian(gn_calc *c, const gn_atoms *a, double step, double **H, size_t *dim,
                     double *asym, gn_error *err);

/* Mass-weights H (dim x dim, in place: H_ij / sqrt(m_i m_j), dof_mass per component in amu) and
 * diagonalises it with LAPACKE_dsyevd. eval (dim) receives the eigenvalues in ascending order in
 * eV/(Å^2 amu); evec (dim x dim, may be NULL) the orthonormal eigenvectors as columns
 * (evec[i*dim + k] = component i of mode k), in mass-weighted coordinates. */
int gn_modes_diagonalise(double *H, size_t dim, const double *dof_mass, double *eval,
                         double *evec, gn_error *err);

/* Normal modes of one structure: eigenvalues, signed frequencies and counts. */
typedef struct gn_modes_set {
    size_t dim;        /* 3 x movable atoms */
    double *lambda;    /* dim, eV/(Å^2 amu), ascending */
    double *freq_thz;  /* dim, signed (negative = imaginary) */
    double *evec;      /* dim x dim or NULL (mass-weighted eigenvectors as columns) */
    int n_negative;    /* freq < -tol */
    int n_zero;        /* |freq| <= tol */
    int n_rigid;       /* zero modes the symmetry allows: rigid translations and rotations of a
                          structure with no atom fixed (gn_modes_rigid_count); 0 when atoms are
                          fixed or frozen, whose small frequencies are then soft vibrations */
    double asym;       /* largest asymmetry of the raw Hessian, eV/Å^2 */
} gn_modes_set;

/* Rigid-body zero modes of a: 0 when any atom is fixed; otherwise 3 translations plus the
 * rotations that keep the periodic images in place: 3 with no periodic direction, 1 (about the
 * axis) with one, 0 with two or three. */
int gn_modes_rigid_count(const gn_atoms *a);

void gn_modes_set_clear(gn_modes_set *s);

/* Hessian, mass weighting and diagonalisation of the movable atoms of a in one call. tol_thz <=
 * 0 selects GN_MODES_ZERO_TOL_THZ; step <= 0 selects GN_MODES_STEP_DEFAULT. want_vectors keeps
 * the eigenvectors. */
int gn_modes_compute(gn_calc *c, const gn_atoms *a, double step, double tol_thz, int want_vectors,
                     gn_modes_set *out, gn_error *err);

typedef enum gn_modes_hessian_kind {
    GN_MODES_PARTIAL = 0, /* partial Hessians, radius grown to a converged prefactor (default) */
    GN_MODES_FULL = 1     /* the Hessian of every movable atom */
} gn_modes_hessian_kind;

/* "partial", "full"; parse returns GN_OK or GN_EINVAL with a message. */
int gn_modes_hessian_parse(const char *s, gn_modes_hessian_kind *out, gn_error *err);
const char *gn_modes_hessian_name(gn_modes_hessian_kind k);

/* Defaults of the partial Hessian (see the header comment). */
#define GN_MODES_PARTIAL_TOL 0.01
#define GN_MODES_PARTIAL_MOVE 0.5

typedef struct gn_modes_opts {
    double step;         /* finite-difference step, Å (default GN_MODES_STEP_DEFAULT) */
    double zero_tol_thz; /* |nu| below this is zero (default GN_MODES_ZERO_TOL_THZ) */
    double temperature;  /* K (default 300) */
    const char *potential; /* run folders: overrides summary.json's potential; NULL = use it */
    const gn_potential *pot; /* run folders: a potential made by the caller (an engine started
                                with its options), used instead of either name; NULL: none */
    int write_files;     /* run folders: write modes.json, modes.tsv, unstable_mode.xyz */
    gn_modes_hessian_kind hessian; /* GN_MODES_PARTIAL (default) or GN_MODES_FULL */
    double partial_tol;  /* relative prefactor change that ends the growth (default 0.01) */
    double partial_move; /* Å: atoms moving more than this between the states form the core
                            (default 0.5) */
    double partial_shell; /* Å: radius step (0 = the nearest-neighbour distance; default 0) */
    double partial_max_radius; /* Å: stop growing beyond this (0 = no limit; default 0) */
} gn_modes_opts;

void gn_modes_opts_default(gn_modes_opts *o);

typedef struct gn_modes_result {
    int n_negative_saddle, n_negative_initial, n_negative_final;
    int n_zero_saddle, n_zero_initial, n_zero_final;
    int verified;               /* saddle exactly 1 negative mode, both minima none */
    size_t dof;                 /* 3 x hessian_atoms */
    double imag_freq_thz;       /* |nu| of the unstable saddle mode (NaN unless 1 negative) */
    double imag_freq_cm;        /* the same in cm^-1 */
    double saddle_lowest_thz[3]; /* the three lowest saddle frequencies, signed (NaN if fewer
                                    modes): shows what is wrong when not verified */
    double prefactor_fwd_thz;   /* Vineyard nu*, THz (NaN when undefined) */
    double prefactor_rev_thz;
    double barrier_fwd, barrier_rev; /* eV: E_saddle - E_initial, E_saddle - E_final */
    double rate_fwd, rate_rev;  /* 1/s at temperature */
    double temperature;         /* K */
    double step;                /* Å, finite-difference step used */
    double zero_tol_thz;
    double max_asym;            /* eV/Å^2, largest raw Hessian asymmetry of the three */
    double e_initial, e_saddle, e_final; /* eV */
    gn_modes_hessian_kind hessian; /* what was computed */
    size_t hessian_atoms;       /* atoms whose frequencies enter the prefactor (all movable ones
                                   for the full Hessian; the region for a partial one) */
    double partial_radius;      /* Å, the region's radius (NaN for the full Hessian) */
    double partial_change;      /* relative prefactor change over the last shell (NaN if none) */
    int partial_converged;      /* the change fell below partial_tol, or the region is full */
    unsigned long force_calls;  /* of the whole analysis */
    int climb_index;            /* run folders: image used as the saddle (-1 otherwise) */
    double energy_mismatch;     /* run folders: largest |E recomputed - E in path.xyz|, eV (NaN
                                   if the file has no energies); large when --potential differs
                                   from the run's */
    char potential[256];
} gn_modes_result;

/* Rate (1/s) at temperature T (K) from a result: nu* exp(-Ea / kB T), forward (reverse = 0) or
 * reverse (reverse = 1). NaN when the prefactor is undefined. */
double gn_modes_rate(const gn_modes_result *r, int reverse, double T);

/* Analyses three structures (same atoms, same fixed flags) with energies in eV; each gets its
 * own gn_calc, so one potential may serve several threads. If unstable_mode is not NULL it
 * receives the saddle's lowest mode (the unstable one when verified) as a Cartesian displacement
 * per atom: 3n numbers, unit norm, zero on fixed atoms, largest component positive. Opts may be
 * NULL (defaults: partial Hessians). Prefactors are NaN unless the saddle has exactly one
 * negative mode and the minimum none, with no zero modes at either (a free cluster's
 * translations would make the Vineyard product meaningless). The frequency lists (modes.json,
 * modes.tsv) are those of the Hessian used: the region's for a partial one. */
int gn_modes_analyse_ex(const gn_potential *pot, const gn_atoms *initial, const gn_atoms *saddle,
                        const gn_atoms *final, double e_initial, double e_saddle, double e_final,
                        const gn_modes_opts *opts, gn_modes_result *res, double *unstable_mode,
                        gn_error *err);

/* The same with the default options at temperature T. */
int gn_modes_analyse(const gn_potential *pot, const gn_atoms *initial, const gn_atoms *saddle,
                     const gn_atoms *final, double e_initial, double e_saddle, double e_final,
                     double T, gn_modes_result *res, gn_error *err);

/* Analyses an NEB run folder (path.xyz: all images, endpoints included; summary.json: the
 * climbing image and the potential). Energies are recomputed with the potential. With
 * opts->write_files, writes RUNDIR/modes.json, RUNDIR/modes.tsv and RUNDIR/unstable_mode.xyz
 * (each whole or not at all). */
int gn_modes_run_dir_ex(const char *rundir, const gn_modes_opts *opts, gn_modes_result *res,
                        gn_error *err);

/* The potential summary.json of an NEB run folder names ("" if none), into name (size bytes). */
int gn_modes_run_dir_potential(const char *rundir, char *name, size_t size, gn_error *err);

/* Defaults, potential from summary.json, writes the files. */
int gn_modes_run_dir(const char *rundir, double T, gn_modes_result *res, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
