/* gapneb: published barriers to compare with: the reference CSV, matching reference rows to
 * table rows by model, process and mechanism, and the deviations (doc/design.md, "Published
 * values").
 *
 * Reference files are CSV ('#' lines are comments; a field may be double-quoted to hold commas,
 * "" for a quote) whose header names the columns, in any order:
 *   model,process,mechanism,direction,gap_A,barrier_eV,method,source[,potential]
 * model and process: the table row the value is about (process: hop, transfer or exchange, or a
 *   name the table does not compute); mechanism: how the source says the atoms move (hop,
 *   exchange, transfer, or "unknown" when the source does not establish it); direction: the kinds
 *   of the start and end sites, "FROM->TO" with the site kinds of model.h (hollow100, fcc111,
 *   hcp111, gap; e.g. "fcc111->hcp111"), empty when the source needs none, "unknown" when it is
 *   not established; gap_A: Å, or "inf" for a single surface (the wide-gap limit); barrier_eV;
 *   method: what the source did ("experiment (FIM)", "DFT-LDA", "EAM + NEB", ...); source: the
 *   citation and what was measured; potential (optional): the potential a value of an empirical
 *   potential belongs to (a built-in name or an EAM file name): such a row is compared with rows
 *   of that potential only.
 * The old five-column files (model,process,gap_A,barrier_eV,source) are still read: their
 * mechanism is the process name, their direction and method empty.
 *
 * The table's process names are the mechanisms of the processes they name: the table's hop is a
 * hop, its exchange an exchange, its transfer a hop across the gap (transfer). A reference row is
 * compared with a table row only when model, process and mechanism all agree (so mechanism must
 * equal process), the gap is the same (within 1e-6 Å) or the reference's is "inf" (then it applies
 * at every gap of the row kind, as the wide-gap limit), the potential agrees when the reference
 * names one, and the direction, when given, is the table process's own direction (the forward
 * barrier is compared) or its reverse (the reverse barrier is compared). Anything else is never
 * compared: the comparison lists such rows with the reason. A row compared whose barrier is
 * missing, or whose harmonic analysis (--modes) finds no first-order saddle over two minima, gets
 * no deviation, and the reason says so.
 *
 * Units: gaps Å, barriers eV.
 * Thread safety: no shared state; a comparison points into the reference and table it was made
 * from.
 */
#ifndef GAPNEB_REFERENCE_H
#define GAPNEB_REFERENCE_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/row.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GN_REF_WORD_MAX 48
#define GN_REF_SOURCE_MAX 512

typedef struct gn_ref_row {
    char model[GN_JOB_NAME_MAX];
    char process[GN_PROCESS_NAME_MAX];
    char mechanism[GN_REF_WORD_MAX]; /* hop, exchange, transfer, unknown, ... */
    char direction[GN_REF_WORD_MAX]; /* "FROM->TO" site kinds, "" none needed, "unknown" */
    double gap;                      /* Å; INFINITY for a single surface */
    double barrier;                  /* eV */
    char method[GN_REF_WORD_MAX];    /* "experiment (FIM)", "DFT-LDA", ... ("" in old files) */
    char potential[GN_REF_WORD_MAX]; /* "" any; else only rows of that potential */
    char source[GN_REF_SOURCE_MAX];
    int line;                        /* line in the file (messages) */
} gn_ref_row;

typedef struct gn_reference {
    gn_ref_row *rows;
    size_t n;
    int legacy;      /* 1: read from an old five-column file (no mechanism column) */
    char path[1024];
} gn_reference;

int gn_reference_load(const char *path, gn_reference *ref, gn_error *err);
int gn_reference_parse(const char *text, const char *name, gn_reference *ref, gn_error *err);
void gn_reference_clear(gn_reference *ref);

/* The reference rows a table carries in its own columns (from an earlier --reference), one per
 * distinct (model, process, gap, barrier, source): for barriers.json files written before the
 * comparison list existed (gn_reference_read_json reads that list). */
int gn_reference_from_table(const gn_table *t, gn_reference *ref, gn_error *err);

/* Fills the reference columns of every row of t with its first forward comparison (compared
 * with barrier_fwd; an exact gap wins over "inf"; among equals the first in the file). Every
 * comparison, reverse ones and several values per row included, is in gn_reference_compare.
 * Returns the number of rows matched. */
size_t gn_reference_apply(const gn_reference *ref, gn_table *t);

/* gn_row_barrier - ref_barrier (eV: the effective barrier of a row of elementary steps), NaN
 * unless both are known and the barrier is not known to be something other than a first-order
 * saddle over a minimum (gn_row_unverified_reason). */
double gn_row_deviation(const gn_table_row *r);

/* Why a row's harmonic analysis shows its barrier is not that of a first-order saddle over two
 * minima, or NULL (no analysis, or verified): such a barrier gets no deviation. */
const char *gn_row_unverified_reason(const gn_table_row *r);

/* "FROM->TO" (site kinds, model.h) of the table's process on a model, "" when it has none. */
int gn_process_direction(gn_model_kind model, gn_process process, char *out, size_t cap);

/* One reference row against one table row, or a reference row compared with nothing. */
typedef struct gn_ref_match {
    size_t ref;          /* index in the reference */
    long row;            /* index in the table; -1 when the reference row is not compared */
    int reverse;         /* 1: compared with the table's reverse barrier */
    double barrier;      /* eV: the table's barrier compared (NaN: the row has none yet) */
    double deviation;    /* eV: barrier - reference (NaN when barrier is) */
    char reason[320];    /* row -1: why not compared; else why there is no deviation, or "" */
} gn_ref_match;

typedef struct gn_ref_comparison {
    gn_ref_match *m;     /* in reference order; a reference row's matches in table order */
    size_t n;
    size_t nref_matched; /* reference rows compared with at least one table row */
} gn_ref_comparison;

/* Compares every reference row with every table row (the rules above). */
int gn_reference_compare(const gn_reference *ref, const gn_table *t, gn_ref_comparison *c,
                         gn_error *err);
void gn_ref_comparison_clear(gn_ref_comparison *c);

/* "Kyuno 1998": the first word of the source and the first 4-digit year in parentheses (the
 * source alone, cut, when it has no such year). */
void gn_ref_short_label(const gn_ref_row *q, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
