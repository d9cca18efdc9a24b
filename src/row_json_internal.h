/* gapneb: the elementary steps of a table row (row.h) in JSON: "elementary_steps", an array of
 * objects (index, from, to, e_from_eV, e_to_eV, e_saddle_eV, barrier_fwd_eV, barrier_rev_eV,
 * saddle_order, converged, imag_freq_THz, prefactor_THz, rate_fwd_per_s, rate_rev_per_s; NaN as
 * null). Shared by barriers.json and row.json (table_io.c). Not installed.
 * Units: eV, THz, 1/s. Thread safety: touches only the row passed in. */
#ifndef GAPNEB_ROW_JSON_INTERNAL_H
#define GAPNEB_ROW_JSON_INTERNAL_H

#include "gapneb/row.h"
#include "json_internal.h"

/* The array of r's steps (new reference), NULL when out of memory. */
json_t *gn_row_steps_to_json(const gn_table_row *r);

/* Fills r's steps and nsteps from the array a; NULL (a table from before the steps) leaves r
 * as it is. 0, or -1 for a malformed array. */
int gn_row_steps_from_json(gn_table_row *r, json_t *a);

#endif
