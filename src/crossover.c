/* gapneb: the crossover gap by rates and by barriers, between the lowest mechanisms of the two
 * routes (see crossover.h, mechanism.h). Units: Å, 1/s, K. */
#include "gapneb/crossover.h"
#include "gapneb/mechanism.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One gap of a (model, potential): for each route (model.h: [0] within the crystal, [1] across
 * the gap) the lowest barrier (mechanism.h), and the fastest rate when every row of the route
 * has one. */
typedef struct gap_pair {
    double gap;
    gn_lowest low[2];
    const gn_table_row *fast[2]; /* highest rate; NULL if some row of the route has none */
    int nrate[2];                /* rows of the route with a rate */
} gap_pair;

static int cmp_pair(const void *a, const void *b)
{
    double x = ((const gap_pair *)a)->gap, y = ((const gap_pair *)b)->gap;
    return (x > y) - (x < y);
}

static int has_rate(const gn_table_row *r)
{
    return r && r->has_modes && r->rate > 0 && isfinite(r->rate);
}

/* The gaps of (model, potential), ascending, each with its routes: the one loop over the table
 * that every crossover below reads. Returns the count, or 0 (with *out NULL). */
static size_t gap_pairs(const gn_table *t, gn_model_kind model, const char *pot, gap_pair **out)
{
    gap_pair *v = malloc((t->n + 1) * sizeof *v);
    size_t n = 0;
    *out = v;
    if (!v)
        return 0;
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (r->model != model || strcmp(r->potential, pot))
            continue;
        size_t k = 0;
        while (k < n && fabs(v[k].gap - r->gap) >= 1e-9)
            k++;
        if (k < n)
            continue;
        memset(&v[n], 0, sizeof v[n]);
        v[n].gap = r->gap;
        for (int route = 0; route < 2; route++)
            gn_lowest_of(t, r, (gn_route)route, &v[n].low[route]);
        for (size_t j = i; j < t->n; j++) {
            const gn_table_row *q = &t->rows[j];
            if (!gn_mechanisms_same_group(q, r) || !has_rate(q))
                continue;
            int route = gn_process_route(q->process);
            v[n].nrate[route]++;
            if (!v[n].fast[route] || q->rate > v[n].fast[route]->rate)
                v[n].fast[route] = q;
        }
        for (int route = 0; route < 2; route++)
            if (v[n].nrate[route] < v[n].low[route].nrows)
                v[n].fast[route] = NULL;
        n++;
    }
    qsort(v, n, sizeof *v, cmp_pair);
    return n;
}

/* Why a row gives no rate: a short phrase, or NULL when it has one (or there is no row). */
static const char *no_rate_reason(const gn_table_row *r)
{
    if (!r)
        return NULL;
    if (r->state != GN_ROW_OK)
        return gn_row_state_name(r->state);
    if (has_rate(r))
        return NULL;
    if (!r->has_modes)
        return "no harmonic analysis";
    if (r->n_negative >= 2)
        return "saddle not first-order";
    if (r->n_negative == 0)
        return "saddle has no negative mode";
    return "no rate";
}

static int same_reason(const char *a, const char *b) { return a && b && !strcmp(a, b); }

/* The row of process p at gap g of (model, potential), or NULL. */
static const gn_table_row *row_at(const gn_table *t, gn_model_kind model, const char *pot,
                                  gn_process p, double g)
{
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (r->model == model && r->process == p && fabs(r->gap - g) < 1e-9 &&
            !strcmp(r->potential, pot))
            return r;
    }
    return NULL;
}

/* Appends "PROCESS REASON at G1, G2 Å" groups to info->missing, one group per (process,
 * reason) in order of first appearance over the sorted gaps, processes in enum order. */
static void describe_missing(const gn_table *t, const gap_pair *v, size_t n,
                             gn_crossover_info *info)
{
    size_t cap = sizeof info->missing, len = 0;
    const gn_model_kind m = info->model;
    const char *pot = info->potential;
    info->missing[0] = '\0';
    for (int p = 0; p < GN_PROCESS_COUNT; p++)
        for (size_t i = 0; i < n; i++) {
            const char *why = no_rate_reason(row_at(t, m, pot, (gn_process)p, v[i].gap));
            int first = why != NULL;
            for (size_t k = 0; first && k < i; k++)
                first = !same_reason(no_rate_reason(row_at(t, m, pot, (gn_process)p, v[k].gap)),
                                     why);
            if (!first)
                continue;
            snprintf(info->missing + len, cap - len, "%s%s %s at ", len ? "; " : "",
                     gn_process_name((gn_process)p), why);
            for (size_t j = i; j < n; j++) {
                if (!same_reason(no_rate_reason(row_at(t, m, pot, (gn_process)p, v[j].gap)),
                                 why))
                    continue;
                len = strlen(info->missing);
                snprintf(info->missing + len, cap - len, "%s%g", j == i ? "" : ", ", v[j].gap);
            }
            len = strlen(info->missing);
            snprintf(info->missing + len, cap - len, " Å");
            len = strlen(info->missing);
        }
}

/* Largest gap with d > 0 (d = the advantage of crossing the gap), linear between sweep points;
 * *at receives the index of the last sweep point with d > 0. */
static int largest_positive(const double *g, const double *d, size_t m, double *gap, size_t *at)
{
    for (size_t i = m; i-- > 0;) {
        if (!(d[i] > 0))
            continue;
        *gap = i + 1 < m ? g[i] + (g[i + 1] - g[i]) * d[i] / (d[i] - d[i + 1]) : g[i];
        *at = i;
        return 1;
    }
    return 0;
}

/* The advantage of crossing the gap at every gap where both routes have a value: log rate
 * ratio of the fastest rows (rates) or difference of the lowest barriers; idx[] the pair of
 * each value; *all says whether every gap had both. */
static size_t advantages(const gap_pair *v, size_t n, int rates, double *g, double *d,
                         size_t *idx, int *all)
{
    size_t m = 0;
    *all = 1;
    for (size_t i = 0; i < n; i++) {
        const gap_pair *q = &v[i];
        int ok = rates ? q->fast[0] && q->fast[1]
                       : gn_lowest_complete(&q->low[0]) && gn_lowest_complete(&q->low[1]);
        if (!ok) {
            *all = 0;
            continue;
        }
        g[m] = q->gap;
        idx[m] = i;
        d[m++] = rates ? log(q->fast[1]->rate) - log(q->fast[0]->rate)
                       : q->low[0].barrier - q->low[1].barrier;
    }
    return m;
}

/* The mechanisms of both routes at pair p (by rate or by barrier). */
static void name_mechanisms(const gap_pair *p, int rates, char (*names)[16])
{
    for (int route = 0; route < 2; route++) {
        const gn_table_row *r = rates ? p->fast[route] : p->low[route].row;
        snprintf(names[route], 16, "%s", r ? gn_process_name(r->process) : "?");
    }
}

static void fill_info(const gn_table *t, const gap_pair *v, size_t n, double *g, double *d,
                      size_t *idx, gn_crossover_info *info)
{
    describe_missing(t, v, n, info);
    int all;
    size_t at = 0;
    size_t m = advantages(v, n, 1, g, d, idx, &all);
    int found = largest_positive(g, d, m, &info->gap, &at);
    if (found)
        name_mechanisms(&v[idx[at]], 1, info->mechanism);
    if (!info->missing[0])
        info->status = found ? GN_CROSS_FOUND : GN_CROSS_NONE;
    else
        info->partial_found = found;
    if (!found)
        info->gap = NAN;
    m = advantages(v, n, 0, g, d, idx, &all);
    if (largest_positive(g, d, m, &info->barrier_gap, &at)) {
        info->barrier_status = all ? GN_CROSS_FOUND : GN_CROSS_UNDETERMINED;
        name_mechanisms(&v[idx[at]], 0, info->barrier_mechanism);
    } else {
        info->barrier_status = all && m ? GN_CROSS_NONE : GN_CROSS_UNDETERMINED;
    }
}

void gn_crossover_compute(const gn_table *t, gn_model_kind model, const char *potential,
                          gn_crossover_info *info)
{
    memset(info, 0, sizeof *info);
    info->model = model;
    snprintf(info->potential, sizeof info->potential, "%s", potential);
    info->gap = info->barrier_gap = info->temperature = NAN;
    info->status = info->barrier_status = GN_CROSS_UNDETERMINED;
    gap_pair *v;
    size_t n = gap_pairs(t, model, potential, &v);
    int within = 0, across = 0;
    for (size_t i = 0; i < n; i++) {
        within |= v[i].low[0].nrows > 0;
        across |= v[i].low[1].nrows > 0;
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].model == model && t->rows[i].has_modes) {
            info->has_modes = 1;
            info->temperature = t->rows[i].temperature;
        }
    info->has_rows = within && across;
    double *g = malloc((n + 1) * sizeof *g), *d = malloc((n + 1) * sizeof *d);
    size_t *idx = malloc((n + 1) * sizeof *idx);
    if (info->has_rows && g && d && idx)
        fill_info(t, v, n, g, d, idx, info);
    free(g);
    free(d);
    free(idx);
    free(v);
}

void gn_crossover_each(const gn_table *t, void (*fn)(void *ctx, const gn_crossover_info *info),
                       void *ctx)
{
    gn_crossover_info info;
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = t->rows[j].model == r->model && !strcmp(t->rows[j].potential, r->potential);
        if (seen)
            continue;
        gn_crossover_compute(t, r->model, r->potential, &info);
        if (info.has_rows)
            fn(ctx, &info);
    }
}

const char *gn_crossover_status_name(int s)
{
    return s == GN_CROSS_FOUND ? "found" : s == GN_CROSS_NONE ? "none" : "not_determined";
}

void gn_crossover_rate_text(const gn_crossover_info *info, char *buf, size_t cap)
{
    const char *m = gn_model_kind_name(info->model), *p = info->potential;
    const char (*mech)[16] = info->mechanism;
    double T = info->temperature;
    if (!info->has_modes)
        snprintf(buf, cap, "crossover %s %s: not determined (no rates: run with --modes)", m, p);
    else if (info->status == GN_CROSS_FOUND)
        snprintf(buf, cap, "crossover %s %s: across the gap (%s) faster than within the crystal "
                 "(%s) up to a gap of %.3f Å at %g K", m, p, mech[1], mech[0], info->gap, T);
    else if (info->status == GN_CROSS_NONE)
        snprintf(buf, cap, "crossover %s %s: none (leaving within the crystal is faster at every "
                 "gap at %g K)", m, p, T);
    else if (info->partial_found)
        snprintf(buf, cap, "crossover %s %s: not determined (%s); among the gaps with rates, "
                 "across the gap (%s) is faster up to %.3f Å at %g K", m, p, info->missing,
                 mech[1], info->gap, T);
    else
        snprintf(buf, cap, "crossover %s %s: not determined (%s)", m, p, info->missing);
}

void gn_crossover_barrier_text(const gn_crossover_info *info, char *buf, size_t cap)
{
    const char *head = "barrier crossover (by barriers, not rates)";
    const char *m = gn_model_kind_name(info->model), *p = info->potential;
    const char (*mech)[16] = info->barrier_mechanism;
    if (info->barrier_status == GN_CROSS_FOUND)
        snprintf(buf, cap, "%s %s %s: the lowest barrier across the gap (%s) is below the lowest "
                 "within the crystal (%s) up to a gap of %.3f Å", head, m, p, mech[1], mech[0],
                 info->barrier_gap);
    else if (info->barrier_status == GN_CROSS_NONE)
        snprintf(buf, cap, "%s %s %s: none (the lowest barrier within the crystal is lower at "
                 "every gap)", head, m, p);
    else if (isfinite(info->barrier_gap))
        snprintf(buf, cap, "%s %s %s: %.3f Å among the gaps where every barrier counts (some "
                 "are missing or not first-order)", head, m, p, info->barrier_gap);
    else
        snprintf(buf, cap, "%s %s %s: not determined (barriers missing or not first-order)",
                 head, m, p);
}
