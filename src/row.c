/* gapneb: rows of the barrier table (see row.h). Units: Å, eV, s, THz, 1/s, K. */
#include "gapneb/row.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[] = {"pending", "ok", "not_converged", "collapsed",
                                          "failed"};

const char *gn_row_state_name(int state)
{
    return state >= 0 && state <= GN_ROW_FAILED ? state_names[state] : "unknown";
}

int gn_row_state_parse(const char *s, int *state, gn_error *err)
{
    for (int i = 0; i <= GN_ROW_FAILED; i++)
        if (!strcmp(s, state_names[i])) {
            *state = i;
            return GN_OK;
        }
    return gn_error_set(err, GN_EINVAL, "unknown row state '%s'", s);
}

void gn_table_row_clear(gn_table_row *r)
{
    memset(r, 0, sizeof *r);
    r->gap = r->barrier_fwd = r->barrier_rev = r->reaction_energy = r->interp_max = NAN;
    r->e_ads_initial = r->e_ads_final = r->a0 = r->wall_time = NAN;
    r->ref_barrier = r->ref_gap = NAN;
    r->imag_freq_thz = r->prefactor_thz = r->rate = r->temperature = NAN;
    r->search_barrier = NAN;
}

void gn_table_clear(gn_table *t)
{
    if (!t)
        return;
    free(t->rows);
    memset(t, 0, sizeof *t);
}

int gn_table_push(gn_table *t, size_t *cap, gn_error *err)
{
    if (t->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 16;
        gn_table_row *nr = realloc(t->rows, nc * sizeof *nr);
        if (!nr)
            return gn_error_set(err, GN_ENOMEM, "out of memory");
        t->rows = nr;
        *cap = nc;
    }
    gn_table_row_clear(&t->rows[t->n]);
    t->n++;
    return GN_OK;
}

const char *gn_row_process_name(const gn_table_row *r)
{
    return r->process_name[0] ? r->process_name : gn_process_name(r->process);
}

int gn_row_set_process_name(gn_table_row *r, const char *name, gn_error *err)
{
    gn_process p;
    int rc = gn_job_find_process(NULL, name, &p, err);
    if (rc != GN_OK) {
        /* a custom process: its name is all a file keeps of it */
        if (!name[0] || strlen(name) >= sizeof r->process_name ||
            strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
                strlen(name))
            return gn_error_set(err, GN_EINVAL, "bad process name '%s'", name);
        p = GN_PROCESS_CUSTOM;
    }
    r->process = p;
    snprintf(r->process_name, sizeof r->process_name, "%s", name);
    return GN_OK;
}

int gn_table_several_potentials(const gn_table *t)
{
    for (size_t i = 1; i < t->n; i++)
        if (strcmp(t->rows[i].potential, t->rows[0].potential))
            return 1;
    return 0;
}
