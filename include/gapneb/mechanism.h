/* gapneb: the lowest mechanism of each (model, gap, potential) of a table (doc/design.md,
 * "Lowest mechanism"): for each route (model.h: within the crystal = hop, exchange; across the
 * gap = transfer), the lowest barrier among its rows and the process that has it.
 *
 * Only first-order saddles of ok rows count: a row counts when its state is ok, its forward
 * barrier is finite and its saddle is not known to be of another order (with a harmonic analysis,
 * exactly one negative mode; rows without one count, their order unknown). A route is complete
 * at a (model, gap, potential) when every row of it counts; otherwise its lowest is only the
 * lowest of the rows that count (a row that does not could hide a lower barrier), and the
 * note says which rows do not count and why.
 *
 * Units: gaps Å, energies eV. Thread safety: pure functions of the table; results point into it.
 */
#ifndef GAPNEB_MECHANISM_H
#define GAPNEB_MECHANISM_H

#include <stddef.h>
#include "gapneb/row.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Why row r does not count for the lowest mechanism ("not_converged", "saddle not
 * first-order", ...), or NULL when it counts. */
const char *gn_lowest_excluded_reason(const gn_table_row *r);

typedef struct gn_lowest {
    int nrows;                /* rows of the route at this (model, gap, potential) */
    int counted;              /* of which count */
    double barrier;           /* eV: the lowest counted forward barrier; NaN if none counts */
    const gn_table_row *row;  /* the row that has it (its process is the mechanism), or NULL */
} gn_lowest;

/* 1 when the route has rows and all of them count. */
int gn_lowest_complete(const gn_lowest *l);

/* The lowest of route over the rows of t with r's model, gap and potential. */
void gn_lowest_of(const gn_table *t, const gn_table_row *r, gn_route route, gn_lowest *out);

/* The lowest of both routes for every row of a table at once (O(n log n)): per_row[i][route]
 * for row i, note[i] the rows of its (model, gap, potential) that do not count, "PROCESS
 * REASON; ..." ("" when all count). */
#define GN_LOWEST_NOTE_MAX 256
typedef struct gn_mechanisms {
    gn_lowest (*per_row)[GN_ROUTE_COUNT];
    char (*note)[GN_LOWEST_NOTE_MAX];
    unsigned char *first; /* 1 for the first row, in table order, of each group */
    size_t n;
} gn_mechanisms;

int gn_mechanisms_compute(const gn_table *t, gn_mechanisms *m, gn_error *err);
void gn_mechanisms_clear(gn_mechanisms *m);

/* 1 if the (model, gap, potential) of row i has rows of two processes or more (a job makes one
 * row per process there): the groups where the lowest mechanism says something the process rows
 * do not. */
int gn_mechanisms_informative(const gn_mechanisms *m, size_t i);

/* 1 if rows a and b share model, gap (within 1e-9 Å; inf = inf) and potential. */
int gn_mechanisms_same_group(const gn_table_row *a, const gn_table_row *b);

#ifdef __cplusplus
}
#endif
#endif
