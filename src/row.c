/* gapneb: rows of the barrier table (see row.h). Units: Å, eV, s, THz, 1/s, K. */
#include "gapneb/row.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[] = {"pending", "ok", "not_converged", "collapsed",
                                          "failed", "not-first-order"};
#define LAST_STATE GN_ROW_NOT_FIRST_ORDER

const char *gn_row_state_name(int state)
{
    return state >= 0 && state <= LAST_STATE ? state_names[state] : "unknown";
}

int gn_row_state_parse(const char *s, int *state, gn_error *err)
{
    for (int i = 0; i <= LAST_STATE; i++)
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
    r->saddle_order = -1;
    r->ea_eff = r->rate_rev = r->gap_relaxed = NAN;
    for (int k = 0; k < GN_ROW_MAX_STEPS; k++) {
        gn_row_step *st = &r->steps[k];
        st->e_from = st->e_to = st->e_saddle = st->barrier_fwd = st->barrier_rev = NAN;
        st->imag_freq_thz = st->prefactor_thz = st->rate_fwd = st->rate_rev = NAN;
        st->saddle_order = -1;
    }
}

double gn_row_barrier(const gn_table_row *r)
{
    return isfinite(r->ea_eff) || r->nsteps > 0 ? r->ea_eff : r->barrier_fwd;
}

double gn_row_barrier_rev(const gn_table_row *r)
{
    return r->nsteps > 0 ? r->ea_eff - r->reaction_energy : r->barrier_rev;
}

void gn_row_orders_text(const gn_table_row *r, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < r->nsteps && k < GN_ROW_MAX_STEPS && len < cap; k++) {
        int o = r->steps[k].saddle_order;
        int w = o >= 0 ? snprintf(buf + len, cap - len, "%s%d", k ? "," : "", o)
                       : snprintf(buf + len, cap - len, "%s-", k ? "," : "");
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

int gn_row_orders_parse(gn_table_row *r, const char *text, gn_error *err)
{
    int k = 0;
    const char *p = text;
    while (*p) {
        if (k == GN_ROW_MAX_STEPS)
            return gn_error_set(err, GN_EPARSE, "saddle orders '%s': more than %d steps", text,
                                GN_ROW_MAX_STEPS);
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p && *p == '-') { /* not checked */
            end = (char *)p + 1;
            v = -1;
        } else if (end == p || errno == ERANGE || v < 0 || v > INT_MAX) {
            return gn_error_set(err, GN_EPARSE,
                                "saddle orders '%s': step %d is not a count >= 0 or '-'", text,
                                k + 1);
        }
        if (*end != ',' && *end)
            return gn_error_set(err, GN_EPARSE,
                                "saddle orders '%s': expected ',' after step %d", text, k + 1);
        r->steps[k++].saddle_order = (int)v;
        p = *end ? end + 1 : end;
    }
    if (!r->nsteps)
        r->nsteps = k;
    return GN_OK;
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
