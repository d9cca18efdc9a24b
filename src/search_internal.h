/* gapneb: helpers shared by the process search's files (search.c, search_atoms.c). Lengths Å.
 * Not installed. */
#ifndef GAPNEB_SEARCH_INTERNAL_H
#define GAPNEB_SEARCH_INTERNAL_H

#include "gapneb/atoms.h"

/* The largest minimum-image distance between an atom's places in pa and pb (3 a->n numbers each,
 * a giving the cell). */
double gn_search_max_disp(const gn_atoms *a, const double *pa, const double *pb);

#endif
