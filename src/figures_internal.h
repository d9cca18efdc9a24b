/* gapneb: figures drawn from more than the table alone, for gn_figures_write (figures.c). Not
 * installed. Units: barriers eV. */
#ifndef GAPNEB_FIGURES_INTERNAL_H
#define GAPNEB_FIGURES_INTERNAL_H

#include "gapneb/reference.h"

/* figures/reference.{tsv,gp}: the table's barriers beside the published values they are compared
 * with (reference.h), one group of bars per (model, process): one bar per table row (coloured by
 * potential), one per published value (labelled with its method and source). Groups: every
 * (model, process) with a compared value, and every terrace (model, process) of the table.
 * *written is 1 when the script was written (0: nothing to draw). */
int gn_figure_reference(const char *figdir, const gn_table *t, const gn_reference *ref,
                        int *written, gn_error *err);

#endif
