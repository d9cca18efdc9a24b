/* gapneb: one row of the barrier table, and the table as a list of rows: the data every stage
 * above the NEB shares (the pool fills rows, table_io writes and reads them, the crossover,
 * the reference comparison, the printed table and the figures read them).
 *
 * Units: gaps and lattice constants Å, energies eV, wall times s, frequencies THz, rates 1/s,
 * temperatures K. A number that is not known is NaN.
 * Thread safety: plain data; the functions touch only the row or table passed in.
 */
#ifndef GAPNEB_ROW_H
#define GAPNEB_ROW_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/job.h"
#include "gapneb/model.h"
#include "gapneb/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gn_row_state {
    GN_ROW_PENDING = 0,   /* not computed */
    GN_ROW_OK = 1,        /* converged band, barrier valid */
    GN_ROW_NOCONV = 2,    /* band (or an endpoint) not converged within the step cap */
    GN_ROW_COLLAPSED = 3, /* the endpoints relaxed into the same minimum: no barrier */
    GN_ROW_FAILED = 4,    /* an error (bad input, I/O...): see reason */
    GN_ROW_NOT_FIRST_ORDER = 5 /* converged, but a step's climbing image is not a first-order
                                  saddle after refinement and splitting (steps.h): a saddle of
                                  order 2 or more (its energy an upper bound of the barrier) or
                                  a minimum (then no barrier is given) */
} gn_row_state;

/* "pending", "ok", "not_converged", "collapsed", "failed", "not-first-order"; parse: GN_OK or
 * GN_EINVAL. */
const char *gn_row_state_name(int state);
int gn_row_state_parse(const char *s, int *state, gn_error *err);

#define GN_ROW_REASON_MAX 1100

/* Elementary steps kept per row (steps.h: GN_STEPS_MAX). */
#define GN_ROW_MAX_STEPS 16

/* One elementary step of a row (steps.h). Energies relative to the row's initial state. */
typedef struct gn_row_step {
    double e_from, e_to;        /* eV, the minima the step connects */
    double e_saddle;            /* eV, its climbing image */
    double barrier_fwd, barrier_rev; /* eV; NaN when the climbing image is a minimum */
    int saddle_order;           /* negative modes at the climbing image, -1 not checked */
    int converged;
    double imag_freq_thz;       /* THz, harmonic analysis (NaN without) */
    double prefactor_thz;       /* THz, forward Vineyard prefactor */
    double rate_fwd, rate_rev;  /* 1/s at the row's temperature */
} gn_row_step;

typedef struct gn_table_row {
    gn_model_kind model;
    gn_process process;
    char process_name[GN_PROCESS_NAME_MAX];  /* its name ("hop", or a custom process's own); ""
                                               = gn_process_name(process) */
    double gap;                            /* Å */
    char potential[GN_JOB_PATH_MAX];
    char potential_spec[GN_POTENTIAL_SPEC_MAX]; /* every parameter resolved (potential.h) */
    int state;                             /* gn_row_state */
    char reason[GN_ROW_REASON_MAX];        /* why not ok ("" when ok) */
    int converged, collapsed;
    double barrier_fwd, barrier_rev;       /* eV; NaN when there is none */
    double reaction_energy, interp_max;    /* eV */
    double e_ads_initial, e_ads_final;     /* eV, all adatoms together: E(model + adatoms) -
                                              E(model, relaxed) - (number of adatoms) E(atom) */
    double a0;                             /* Å, lattice constant of the potential */
    int iterations;
    unsigned long force_calls;             /* endpoints, band and the bare model (not modes) */
    double wall_time;                      /* s, the whole row */
    char key[24];                          /* settings key (hex) */
    char rundir[256];                      /* run folder relative to the output folder */
    int reused;                            /* taken over by --resume, not computed now */
    int io_failure;                        /* failed because a file could not be written (the
                                              run's exit status is then 3, an I/O failure) */

    /* Reference comparison (reference.h): deviation = barrier_fwd - ref_barrier. */
    int has_ref;
    double ref_barrier;                    /* eV */
    double ref_gap;                        /* Å, INFINITY for a single surface */
    char ref_source[512];                  /* GN_REF_SOURCE_MAX (reference.h) */

    /* Harmonic analysis (modes.h), when asked for. */
    int has_modes;
    int saddle_verified;                   /* exactly one negative mode at the saddle */
    int n_negative;                        /* negative modes at the saddle */
    double imag_freq_thz;                  /* THz (the rate-limiting step's) */
    double prefactor_thz;                  /* Vineyard prefactor, forward, THz; for several
                                              steps the effective one, rate exp(Ea_eff/kB T) */
    double rate;                           /* forward rate at temperature, 1/s (of the chain
                                              of steps) */
    double temperature;                    /* K */

    /* Elementary steps (steps.h). barrier_fwd above is the first step's forward barrier (out
     * of the initial state), barrier_rev the last step's reverse barrier (out of the final
     * state), each relative to a minimum that step connects; for one step they are the path's.
     * The effective barrier ea_eff is the whole path's. */
    int nsteps;                            /* 0: not known (collapsed, failed, older table) */
    int rate_step;                         /* 1-based: the step with the highest saddle; 0 none */
    int saddle_order;                      /* 1 when every step's saddle is first-order, else
                                              the order of the first step that is not; -1 not
                                              checked */
    double ea_eff;                         /* eV: highest saddle minus the initial state (NaN
                                              when a climbing image is a minimum) */
    double rate_rev;                       /* 1/s: the chain's reverse rate (--modes) */
    double gap_relaxed;                    /* Å: the gap after relaxing the initial state */
    gn_row_step steps[GN_ROW_MAX_STEPS];   /* the first nsteps */
    /* Automatic saddle search from the row's initial state (search.h), when asked for. */
    int has_search;
    double search_barrier;                 /* eV, the lowest barrier found (NaN: none) */
    int search_processes;                  /* unique connected processes found */
    char search_moved[64];                 /* atoms the lowest moves > 0.5 Å ("63,128"), from 0 */
    unsigned long search_calls;            /* force calls of the searches */
} gn_table_row;

struct gn_reference;

typedef struct gn_table {
    gn_table_row *rows;
    size_t n;
    unsigned long new_force_calls;  /* force calls made by this run (reused rows count 0) */
    size_t nreused;
    /* Published values the table is compared with (reference.h; not owned, NULL: none): the
     * table's files and the printed table then carry the comparison. */
    const struct gn_reference *reference;
} gn_table;

/* Sets a row to "nothing known": NaN numbers, pending. */
void gn_table_row_clear(gn_table_row *r);
/* Frees the rows; t is then an empty table. */
void gn_table_clear(gn_table *t);
/* Appends a cleared row (the table grows by doubling; *cap is the caller's capacity count,
 * 0 for a table not grown this way yet). */
int gn_table_push(gn_table *t, size_t *cap, gn_error *err);

/* The barrier a row stands for: the effective barrier when known, else barrier_fwd (a table
 * from before the elementary steps); NaN when there is none. */
double gn_row_barrier(const gn_table_row *r);
/* The same from the final state (effective: the highest saddle minus the final state). */
double gn_row_barrier_rev(const gn_table_row *r);

/* The saddle orders of the steps as "1,1" ("-" for a step not checked; "" without steps). */
void gn_row_orders_text(const gn_table_row *r, char *buf, size_t cap);
/* Parses that text into the steps' saddle orders (and nsteps when it is 0). GN_EPARSE with a
 * message quoting the text when it is not such a list (or has more than GN_ROW_MAX_STEPS). */
int gn_row_orders_parse(gn_table_row *r, const char *text, gn_error *err);

/* The process name of a row: process_name, or the built-in name when that is empty. */
const char *gn_row_process_name(const gn_table_row *r);

/* Sets a row's process from its name: a built-in name, or any other valid name as a custom
 * process (GN_PROCESS_CUSTOM; the name is kept in process_name). For rows read back from
 * files, whose job is not at hand. */
int gn_row_set_process_name(gn_table_row *r, const char *name, gn_error *err);

/* 1 when some row has a potential other than the first row's. */
int gn_table_several_potentials(const gn_table *t);

#ifdef __cplusplus
}
#endif
#endif
