/* gapneb: the crossover gap of a model: up to which gap the adatom leaves its site across the
 * gap (transfer) faster than within its own crystal (hop, exchange), each route taken by its
 * lowest mechanism (mechanism.h): by rates, the fastest row of each route when every row of it
 * has a rate (the table has harmonic rates with --modes); by barriers, the lowest barrier of
 * each route when every row of it counts (first-order saddles of ok rows), labelled as such.
 *
 * Units: gaps Å, rates 1/s, temperatures K.
 * Thread safety: pure functions of the table.
 */
#ifndef GAPNEB_CROSSOVER_H
#define GAPNEB_CROSSOVER_H

#include <stddef.h>
#include "gapneb/row.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gn_crossover_status {
    GN_CROSS_FOUND = 0,        /* found at gap, all gaps have both values */
    GN_CROSS_NONE = 1,         /* all gaps have both values and the hop wins at each */
    GN_CROSS_UNDETERMINED = 2  /* some gap lacks a value (see missing) */
} gn_crossover_status;

typedef struct gn_crossover_info {
    gn_model_kind model;
    char potential[GN_JOB_PATH_MAX];
    int has_rows;              /* the (model, potential) has rows of both routes */
    int has_modes;             /* some row of it has a harmonic analysis (--modes) */
    double temperature;        /* K, of the rates (NaN without --modes) */
    int status;                /* gn_crossover_status of the rate crossover */
    double gap;                /* Å, rate crossover: found, or among the gaps with rates when
                                  undetermined (partial_found); NaN otherwise */
    int partial_found;         /* undetermined, but the transfer wins at some gap with rates */
    char missing[512];         /* why rates are missing, e.g. "transfer saddle not first-order
                                  at 5, 5.8 Å" ("" when none are) */
    char mechanism[2][16];     /* rate crossover found: the fastest process within the crystal
                                  ([0]) and across the gap ([1]) at the last gap below it */
    int barrier_status;        /* the same for the barrier crossover */
    double barrier_gap;        /* Å: largest gap where the lowest barrier across the gap is
                                  below the lowest within the crystal, interpolated linearly in
                                  the barrier difference */
    char barrier_mechanism[2][16]; /* the lowest processes of both routes there */
} gn_crossover_info;

/* The crossovers of (model, potential): the rate crossover is the largest gap at which the
 * fastest rate across the gap exceeds the fastest within the crystal, interpolated linearly in
 * log(rate) between neighbouring gaps; the barrier crossover the same with the lowest barriers
 * of the routes (mechanism.h: first-order saddles of ok rows; a saddle of unknown order counts). */
void gn_crossover_compute(const gn_table *t, gn_model_kind model, const char *potential,
                          gn_crossover_info *info);

/* Calls fn once per (model, potential) of t that has rows of both routes, in table order. */
void gn_crossover_each(const gn_table *t, void (*fn)(void *ctx, const gn_crossover_info *info),
                       void *ctx);

/* One line, no newline: "crossover s2s eam-pt: across the gap (transfer) faster than within the
 * crystal (exchange) up to a gap of 5.321 Å at 300 K", "... not determined (transfer saddle not
 * first-order at 5, 5.8 Å)", "... not determined (no rates: run with --modes)"; and the
 * barrier-based one, labelled as such. */
void gn_crossover_rate_text(const gn_crossover_info *info, char *buf, size_t cap);
void gn_crossover_barrier_text(const gn_crossover_info *info, char *buf, size_t cap);

/* "found", "none", "not_determined". */
const char *gn_crossover_status_name(int status);

#ifdef __cplusplus
}
#endif
#endif
