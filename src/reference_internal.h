/* gapneb: the comparison with published values as a JSON object, for barriers.json (table_io.c
 * writes it; reference_io.c builds and reads it). Not installed. */
#ifndef GAPNEB_REFERENCE_INTERNAL_H
#define GAPNEB_REFERENCE_INTERNAL_H

#include "gapneb/reference.h"
#include "json_internal.h"

/* {"file", "format", "values": [{the reference row's columns, "compared": [{"row", "potential",
 * "gap_A", "barrier", "barrier_eV", "deviation_eV", "reason"}], "reason" when compared with
 * nothing}]}; NULL when out of memory. */
json_t *gn_reference_json(const gn_reference *ref, const gn_table *t);

#endif
