/* gapneb: the barrier table, one row per (model, process, gap, potential), computed by a pool of
 * threads.
 *
 * Units: gaps and lattice constants Å, energies eV, wall times s, frequencies THz, rates 1/s,
 * temperatures K.
 *
 * A row records the forward and reverse barriers, the reaction energy, the maximum of the
 * interpolated profile, the adsorption energies of both endpoints (E(model + adatom) - E(model,
 * relaxed) - E(isolated atom)), whether the band converged, whether the endpoints collapsed into
 * one minimum (with the reason), iterations, force calls and wall time. A row that fails is
 * recorded with its reason and the other rows go on.
 *
 * Each row carries a settings key: a hash of everything that determines its result (model,
 * process, gap, potential name and file content, NEB and model settings, --modes and its
 * temperature, program version). With job->resume, rows found in OUT/barriers.json with the same
 * key are taken over instead of being computed again (rows that failed with an error, as opposed
 * to a collapse or a non-converged band, are computed again).
 */
#ifndef GAPNEB_TABLE_H
#define GAPNEB_TABLE_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/job.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A converged band whose forward and reverse barriers are both below this (eV) joins two points
 * of one minimum: the row is reported as collapsed. */
#define GN_TABLE_NO_BARRIER 1e-3

typedef enum gn_row_state {
    GN_ROW_PENDING = 0,   /* not computed */
    GN_ROW_OK = 1,        /* converged band, barrier valid */
    GN_ROW_NOCONV = 2,    /* band (or an endpoint) not converged within the step cap */
    GN_ROW_COLLAPSED = 3, /* the endpoints relaxed into the same minimum: no barrier */
    GN_ROW_FAILED = 4     /* an error (bad input, I/O...): see reason */
} gn_row_state;

/* "pending", "ok", "not_converged", "collapsed", "failed"; and back (-1 if unknown). */
const char *gn_row_state_name(int state);
int gn_row_state_parse(const char *s);

#define GN_ROW_REASON_MAX 1100

typedef struct gn_table_row {
    char model[GN_JOB_NAME_MAX];
    char process[GN_JOB_NAME_MAX];
    double gap;                            /* Å */
    char potential[GN_JOB_PATH_MAX];
    int state;                             /* gn_row_state */
    char reason[GN_ROW_REASON_MAX];        /* why not ok ("" when ok) */
    int converged, collapsed;
    double barrier_fwd, barrier_rev;       /* eV; NaN when there is none */
    double reaction_energy, interp_max;    /* eV */
    double e_ads_initial, e_ads_final;     /* eV */
    double a0;                             /* Å, lattice constant of the potential */
    int iterations;
    unsigned long force_calls;             /* endpoints, band and the bare model (not modes) */
    double wall_time;                      /* s, the whole row */
    char key[24];                          /* settings key (hex) */
    char rundir[256];                      /* run folder relative to the output folder */
    int reused;                            /* taken over by --resume, not computed now */

    /* Reference comparison (report.h): deviation = barrier_fwd - ref_barrier. */
    int has_ref;
    double ref_barrier;                    /* eV */
    double ref_gap;                        /* Å, INFINITY for a single surface */
    char ref_source[256];

    /* Harmonic analysis (modes.h), when asked for. */
    int has_modes;
    int saddle_verified;                   /* exactly one negative mode at the saddle */
    int n_negative;                        /* negative modes at the saddle */
    double imag_freq_thz;                  /* THz */
    double prefactor_thz;                  /* Vineyard prefactor, forward, THz */
    double rate;                           /* forward rate at temperature, 1/s */
    double temperature;                    /* K */
} gn_table_row;

typedef struct gn_table {
    gn_table_row *rows;
    size_t n;
    unsigned long new_force_calls;  /* force calls made by this run (reused rows count 0) */
    size_t nreused;
} gn_table;

void gn_table_clear(gn_table *t);

/* Sets a row to "nothing known": NaN numbers, pending. */
void gn_table_row_clear(gn_table_row *r);

/* The rows of a job in order (models, processes, gaps, potentials, the last varying fastest), with
 * their keys and run folder names, all pending. */
int gn_table_init(const gn_job *job, gn_table *t, gn_error *err);

/* Computes one row; ctx is the hook's. Must fill the row (state, numbers, reason) and return
 * GN_OK unless something is wrong with the program itself; a failed row is a row with
 * state GN_ROW_FAILED. */
typedef int (*gn_row_compute_fn)(void *ctx, const gn_job *job, gn_table_row *row,
                                 unsigned long *force_calls, gn_error *err);

typedef struct gn_table_hooks {
    gn_row_compute_fn compute;  /* NULL: gn_table_compute_row (models, NEB, modes) */
    void *compute_ctx;
    /* Progress messages for stderr (may be NULL); called under a lock, one line each. */
    void (*log)(void *ctx, int level, const char *msg);
    void *log_ctx;
} gn_table_hooks;

/* Computes the pending rows of t with job->jobs threads (0: number of cores; the rows likely to
 * take longest start first, each result goes to its own row), after taking
 * over matching rows from job->out/barriers.json when job->resume is set. Writes each run
 * folder under job->out/runs/. Returns GN_OK when every row was attempted, whatever their
 * states; a non-OK status means the table itself could not be made (potential missing, out of
 * memory). */
int gn_table_run(const gn_job *job, gn_table *t, const gn_table_hooks *hooks, gn_error *err);

/* Worst outcome over the rows: 0 all ok, 1 some row not ok. */
int gn_table_all_ok(const gn_table *t);

/* Number of worker threads for jobs (0 = online processors, at least 1). */
int gn_table_threads(int jobs, size_t nrows);

/* Crossover gap per (model, potential): the largest gap at which the transfer rate exceeds the
 * hop rate, interpolated linearly in log(rate) between neighbouring gaps. Returns 1 and *gap
 * (Å) when found, 0 when the transfer never wins (or rates are missing). */
int gn_table_crossover(const gn_table *t, const char *model, const char *potential, double *gap);

/* Whether the rate crossover could be determined, and a barrier-based one beside it. */
typedef enum gn_crossover_status {
    GN_CROSS_FOUND = 0,        /* found at gap, all gaps have both rates */
    GN_CROSS_NONE = 1,         /* all gaps have both rates and the hop is faster at each */
    GN_CROSS_UNDETERMINED = 2  /* some gap lacks a verified rate (see missing) */
} gn_crossover_status;

typedef struct gn_crossover_info {
    int has_rows;              /* the (model, potential) has both hop and transfer rows */
    int has_modes;             /* some row of it has a harmonic analysis (--modes) */
    int status;                /* gn_crossover_status of the rate crossover */
    double gap;                /* Å, rate crossover: found, or among the gaps with rates when
                                  undetermined (partial_found); NaN otherwise */
    int partial_found;         /* undetermined, but the transfer wins at some gap with rates */
    char missing[512];         /* why rates are missing, e.g. "transfer saddle not first-order
                                  at 5, 5.8 Å" ("" when none are) */
    int barrier_status;        /* GN_CROSS_FOUND, GN_CROSS_NONE or GN_CROSS_UNDETERMINED (some
                                  gap lacks a converged barrier of either process) */
    double barrier_gap;        /* Å: largest gap where the transfer barrier is below the hop
                                  barrier, interpolated linearly in the barrier difference */
} gn_crossover_info;

/* Fills info for (model, potential). The rate crossover is gn_table_crossover's; the barrier
 * crossover uses the forward barriers of converged (ok) rows, verified or not, so it is only a
 * guide when a saddle is not first-order (its barrier is then an upper bound). */
void gn_table_crossover_info(const gn_table *t, const char *model, const char *potential,
                             gn_crossover_info *info);

/* One line for stdout, no newline: "crossover s2s eam-pt: transfer faster than hop up to a gap of
 * 5.321 Å at 300 K", "... not determined (transfer saddle not first-order at 5, 5.8 Å)", ...;
 * and the barrier-based one, labelled as such. */
void gn_crossover_rate_text(const gn_crossover_info *info, const char *model,
                            const char *potential, double T, char *buf, size_t cap);
void gn_crossover_barrier_text(const gn_crossover_info *info, const char *model,
                               const char *potential, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
