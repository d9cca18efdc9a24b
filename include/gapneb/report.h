/* gapneb: the barrier table as a person reads it on stdout: aligned columns (reference and
 * harmonic-analysis columns when the table has them), a line per row that is not ok saying why,
 * the lowest mechanism of each (model, gap, potential), the comparison with published values,
 * and the crossover lines.
 *
 * Units: gaps Å, energies eV, wall times s, frequencies THz, rates 1/s.
 * Thread safety: writes only to the stream passed in.
 */
#ifndef GAPNEB_REPORT_H
#define GAPNEB_REPORT_H

#include <stdio.h>
#include "gapneb/row.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The table in aligned columns, then "# MODEL PROCESS GAP POT: STATE: REASON" for every row
 * that is not ok, then the lowest mechanisms and the comparison with published values (below). */
void gn_report_print(FILE *fp, const gn_table *t);

/* When some (model, gap, potential) has rows of several processes: "# " lines with the lowest
 * barrier of each route and its process (mechanism.h) per (model, gap, potential), "*" marking a
 * route some of whose rows do not count, and a line per such group saying which and why. */
void gn_report_print_mechanisms(FILE *fp, const gn_table *t);

/* When the table carries a reference (reference.h): "# " lines with every published value
 * compared with a row (published, gapneb, deviation, method, source), then a line for each
 * value compared with nothing and each comparison without a deviation, with the reason. */
void gn_report_print_reference(FILE *fp, const gn_table *t);

/* "# crossover ..." lines (crossover.h): by rates when the table has harmonic rates, and by
 * barriers, for each (model, potential) with both processes. */
void gn_report_print_crossovers(FILE *fp, const gn_table *t);

#ifdef __cplusplus
}
#endif
#endif
