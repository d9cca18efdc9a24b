/* gapneb: the crossover gap by rates and by barriers (see crossover.h). Units: Å, 1/s, K. */
#include "gapneb/crossover.h"
#include "gapneb/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* eV: two effective barriers closer than this are a tie (the split tolerance's default, and
 * well above the scatter of a saddle energy converged to 0.01 eV/Å, about 0.1 meV on the
 * default table) */
#define GN_CROSS_TIE_EV 1e-3

/* The hop and transfer rows of one gap of a (model, potential); either may be missing. */
typedef struct gap_pair {
    double gap;
    const gn_table_row *row[2]; /* [0] hop, [1] transfer */
} gap_pair;

static int cmp_pair(const void *a, const void *b)
{
    double x = ((const gap_pair *)a)->gap, y = ((const gap_pair *)b)->gap;
    return (x > y) - (x < y);
}

/* The gaps of (model, potential), ascending, each with its hop and transfer rows: the one loop
 * over the table that every crossover below reads. Returns the count, or 0 (with *out NULL). */
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
        if (k == n)
            v[n++] = (gap_pair){r->gap, {NULL, NULL}};
        int slot = r->process == GN_PROCESS_HOP ? 0 : r->process == GN_PROCESS_TRANSFER ? 1 : -1;
        if (slot >= 0 && !v[k].row[slot])
            v[k].row[slot] = r;
    }
    qsort(v, n, sizeof *v, cmp_pair);
    return n;
}

/* Only ok rows count: a row that is not first-order (or not converged) has no barrier to
 * compare, whatever numbers it carries. */
static int has_rate(const gn_table_row *r)
{
    return r && r->state == GN_ROW_OK && r->has_modes && r->rate > 0 && isfinite(r->rate);
}

static int has_barrier(const gn_table_row *r)
{
    return r && r->state == GN_ROW_OK && isfinite(gn_row_barrier(r));
}

/* Why a row gives no rate: a short phrase, or NULL when it has one. */
static const char *no_rate_reason(const gn_table_row *r)
{
    if (!r)
        return "no row";
    if (r->state != GN_ROW_OK)
        return gn_row_state_name(r->state);
    if (!r->has_modes)
        return "no harmonic analysis";
    if (has_rate(r))
        return NULL;
    if (r->n_negative >= 2)
        return "saddle not first-order";
    if (r->n_negative == 0)
        return "saddle has no negative mode";
    return "no rate";
}

static int same_reason(const char *a, const char *b) { return a && b && !strcmp(a, b); }

/* Appends "PROCESS REASON at G1, G2 Å" groups to info->missing, one group per (process,
 * reason) in order of first appearance over the sorted gaps. */
static void describe_missing(const gap_pair *v, size_t n, gn_crossover_info *info)
{
    static const char *const procs[] = {"hop", "transfer"};
    size_t cap = sizeof info->missing, len = 0;
    info->missing[0] = '\0';
    for (int p = 0; p < 2; p++)
        for (size_t i = 0; i < n; i++) {
            const char *why = no_rate_reason(v[i].row[p]);
            int first = why != NULL;
            for (size_t k = 0; first && k < i; k++)
                first = !same_reason(no_rate_reason(v[k].row[p]), why);
            if (!first)
                continue;
            snprintf(info->missing + len, cap - len, "%s%s %s at ", len ? "; " : "", procs[p],
                     why);
            for (size_t j = i; j < n; j++) {
                if (!same_reason(no_rate_reason(v[j].row[p]), why))
                    continue;
                len = strlen(info->missing);
                snprintf(info->missing + len, cap - len, "%s%g", j == i ? "" : ", ", v[j].gap);
            }
            len = strlen(info->missing);
            snprintf(info->missing + len, cap - len, " Å");
            len = strlen(info->missing);
        }
}

/* Largest gap with d > 0 (d = the transfer's advantage), linear between sweep points. */
static int largest_positive(const double *g, const double *d, size_t m, double *gap)
{
    for (size_t i = m; i-- > 0;) {
        if (!(d[i] > 0))
            continue;
        *gap = i + 1 < m ? g[i] + (g[i + 1] - g[i]) * d[i] / (d[i] - d[i + 1]) : g[i];
        return 1;
    }
    return 0;
}

/* The transfer's advantage at every gap where both rows have a value: log rate ratio (rates)
 * or barrier difference; *all says whether every gap had both. */
static size_t advantages(const gap_pair *v, size_t n, int rates, double *g, double *d, int *all)
{
    size_t m = 0;
    *all = 1;
    for (size_t i = 0; i < n; i++) {
        const gn_table_row *h = v[i].row[0], *x = v[i].row[1];
        int ok = rates ? has_rate(h) && has_rate(x) : has_barrier(h) && has_barrier(x);
        if (!ok) {
            *all = 0;
            continue;
        }
        g[m] = v[i].gap;
        d[m] = rates ? log(x->rate) - log(h->rate) : gn_row_barrier(h) - gn_row_barrier(x);
        /* barriers closer than the tie tolerance are equal, and rates whose ratio is within
         * the factor that tolerance makes at their temperature: at a narrow gap the hop and
         * the transfer can share their highest saddle (one elementary step), and the
         * difference is then the noise of two converged bands, not a crossover */
        double tie = rates ? GN_CROSS_TIE_EV / (GN_KB_EV * x->temperature) : GN_CROSS_TIE_EV;
        if (fabs(d[m]) < tie)
            d[m] = 0.0;
        m++;
    }
    return m;
}

static void fill_info(const gap_pair *v, size_t n, double *g, double *d, gn_crossover_info *info)
{
    describe_missing(v, n, info);
    int all;
    size_t m = advantages(v, n, 1, g, d, &all);
    int found = largest_positive(g, d, m, &info->gap);
    if (!info->missing[0])
        info->status = found ? GN_CROSS_FOUND : GN_CROSS_NONE;
    else
        info->partial_found = found;
    if (!found)
        info->gap = NAN;
    m = advantages(v, n, 0, g, d, &all);
    if (largest_positive(g, d, m, &info->barrier_gap))
        info->barrier_status = all ? GN_CROSS_FOUND : GN_CROSS_UNDETERMINED;
    else
        info->barrier_status = all && m ? GN_CROSS_NONE : GN_CROSS_UNDETERMINED;
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
    int hop = 0, transfer = 0;
    for (size_t i = 0; i < n; i++) {
        hop |= v[i].row[0] != NULL;
        transfer |= v[i].row[1] != NULL;
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].model == model && t->rows[i].has_modes) {
            info->has_modes = 1;
            info->temperature = t->rows[i].temperature;
        }
    info->has_rows = hop && transfer;
    double *g = malloc((n + 1) * sizeof *g), *d = malloc((n + 1) * sizeof *d);
    if (info->has_rows && g && d)
        fill_info(v, n, g, d, info);
    free(g);
    free(d);
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
    double T = info->temperature;
    if (!info->has_modes)
        snprintf(buf, cap, "crossover %s %s: not determined (no rates: run with --modes)", m, p);
    else if (info->status == GN_CROSS_FOUND)
        snprintf(buf, cap, "crossover %s %s: transfer faster than hop up to a gap of %.3f Å at "
                 "%g K", m, p, info->gap, T);
    else if (info->status == GN_CROSS_NONE)
        snprintf(buf, cap, "crossover %s %s: none (the hop is faster at every gap, or as fast, at %g K)", m, p,
                 T);
    else if (info->partial_found)
        snprintf(buf, cap, "crossover %s %s: not determined (%s); among the gaps with rates the "
                 "transfer is faster up to %.3f Å at %g K", m, p, info->missing, info->gap, T);
    else
        snprintf(buf, cap, "crossover %s %s: not determined (%s)", m, p, info->missing);
}

void gn_crossover_barrier_text(const gn_crossover_info *info, char *buf, size_t cap)
{
    const char *head = "barrier crossover (by barriers, not rates)";
    const char *m = gn_model_kind_name(info->model), *p = info->potential;
    if (info->barrier_status == GN_CROSS_FOUND)
        snprintf(buf, cap, "%s %s %s: transfer barrier below hop barrier up to a gap of %.3f Å",
                 head, m, p, info->barrier_gap);
    else if (info->barrier_status == GN_CROSS_NONE)
        snprintf(buf, cap, "%s %s %s: none (the hop barrier is lower at every gap, or within 1 meV)",
                 head, m, p);
    else if (isfinite(info->barrier_gap))
        snprintf(buf, cap, "%s %s %s: %.3f Å among the gaps with converged barriers (some are "
                 "missing)", head, m, p, info->barrier_gap);
    else
        snprintf(buf, cap, "%s %s %s: not determined (barriers missing)", head, m, p);
}
