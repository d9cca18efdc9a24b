/* gapneb: the elementary steps of a table row as a JSON array (see row_json_internal.h), the
 * part of a row that barriers.json and row.json hold and barriers.tsv does not.
 * Units: energies eV, frequencies THz, rates 1/s. */
#include "row_json_internal.h"

#include <stddef.h>
#include <stdio.h>

typedef struct step_field {
    const char *name;
    size_t off;
    int is_int;
} step_field;

#define SF_D(n, f) {n, offsetof(gn_row_step, f), 0}
#define SF_I(n, f) {n, offsetof(gn_row_step, f), 1}
static const step_field step_fields[] = {
    SF_D("e_from_eV", e_from),         SF_D("e_to_eV", e_to),
    SF_D("e_saddle_eV", e_saddle),     SF_D("barrier_fwd_eV", barrier_fwd),
    SF_D("barrier_rev_eV", barrier_rev), SF_I("saddle_order", saddle_order),
    SF_I("converged", converged),      SF_D("imag_freq_THz", imag_freq_thz),
    SF_D("prefactor_THz", prefactor_thz), SF_D("rate_fwd_per_s", rate_fwd),
    SF_D("rate_rev_per_s", rate_rev),
};
#define NSF (sizeof step_fields / sizeof step_fields[0])

json_t *gn_row_steps_to_json(const gn_table_row *r)
{
    json_t *a = json_array();
    for (int k = 0; a && k < r->nsteps && k < GN_ROW_MAX_STEPS; k++) {
        const char *base = (const char *)&r->steps[k];
        char from[16], to[16];
        snprintf(from, sizeof from, k ? "M%d" : "IS", k);
        snprintf(to, sizeof to, k + 1 < r->nsteps ? "M%d" : "FS", k + 1);
        json_t *o = json_pack("{s:i,s:s,s:s}", "index", k + 1, "from", from, "to", to);
        for (size_t f = 0; o && f < NSF; f++) {
            const void *p = base + step_fields[f].off;
            json_object_set_new(o, step_fields[f].name,
                                step_fields[f].is_int ? json_integer(*(const int *)p)
                                                      : gn_json_num(*(const double *)p));
        }
        if (!o || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

int gn_row_steps_from_json(gn_table_row *r, json_t *a)
{
    if (!a)
        return 0; /* a table from before the elementary steps */
    if (!json_is_array(a) || json_array_size(a) > GN_ROW_MAX_STEPS)
        return -1;
    for (size_t k = 0; k < json_array_size(a); k++) {
        json_t *o = json_array_get(a, k);
        char *base = (char *)&r->steps[k];
        for (size_t f = 0; json_is_object(o) && f < NSF; f++) {
            json_t *v = json_object_get(o, step_fields[f].name);
            void *p = base + step_fields[f].off;
            if (step_fields[f].is_int && json_is_integer(v))
                *(int *)p = (int)json_integer_value(v);
            else if (!step_fields[f].is_int && json_is_number(v))
                *(double *)p = json_number_value(v);
            else if (!step_fields[f].is_int && !json_is_null(v) && v)
                return -1;
        }
    }
    r->nsteps = (int)json_array_size(a);
    return 0;
}

