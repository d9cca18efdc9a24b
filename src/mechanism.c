/* gapneb: the lowest mechanism of each (model, gap, potential) by route (see mechanism.h).
 * Units: Å, eV. */
#include "gapneb/mechanism.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gn_lowest_excluded_reason(const gn_table_row *r)
{
    if (r->state != GN_ROW_OK)
        return gn_row_state_name(r->state);
    if (!isfinite(gn_row_barrier(r)))
        return "no barrier";
    if (r->has_modes && r->n_negative == 0)
        return "saddle has no negative mode";
    if (r->has_modes && r->n_negative != 1)
        return "saddle not first-order";
    return NULL;
}

int gn_lowest_complete(const gn_lowest *l) { return l->nrows > 0 && l->counted == l->nrows; }

int gn_mechanisms_same_group(const gn_table_row *a, const gn_table_row *b)
{
    return a->model == b->model && !strcmp(a->potential, b->potential) &&
           (a->gap == b->gap || fabs(a->gap - b->gap) <= 1e-9);
}

static void lowest_init(gn_lowest *l)
{
    memset(l, 0, sizeof *l);
    l->barrier = NAN;
}

static void lowest_add(gn_lowest *l, const gn_table_row *q)
{
    l->nrows++;
    if (gn_lowest_excluded_reason(q))
        return;
    l->counted++;
    /* ties: the first row in table order (processes in enum order in a job's table) */
    /* the effective barrier of a path of elementary steps (steps.h): its highest saddle */
    double b = gn_row_barrier(q);
    if (!l->row || b < l->barrier) {
        l->barrier = b;
        l->row = q;
    }
}

void gn_lowest_of(const gn_table *t, const gn_table_row *r, gn_route route, gn_lowest *out)
{
    lowest_init(out);
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *q = &t->rows[i];
        if (!gn_process_is_custom(q->process) && gn_process_route(q->process) == route &&
            gn_mechanisms_same_group(q, r))
            lowest_add(out, q);
    }
}

int gn_mechanisms_informative(const gn_mechanisms *m, size_t i)
{
    return m->per_row[i][GN_ROUTE_WITHIN].nrows + m->per_row[i][GN_ROUTE_ACROSS].nrows > 1;
}

/* Row indices sorted by model, potential, gap, then table order (qsort has no context: each
 * entry carries its row). */
typedef struct entry {
    const gn_table_row *r;
    size_t i;
} entry;

static int cmp_entry(const void *va, const void *vb)
{
    const entry *a = va, *b = vb;
    if (a->r->model != b->r->model)
        return a->r->model < b->r->model ? -1 : 1;
    int c = strcmp(a->r->potential, b->r->potential);
    if (c)
        return c;
    if (a->r->gap < b->r->gap)
        return -1;
    if (a->r->gap > b->r->gap)
        return 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* The note of a group: "PROCESS REASON" for each row that does not count. */
static void group_note(const entry *e, size_t n, char *note)
{
    size_t len = 0;
    note[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        const char *why = gn_lowest_excluded_reason(e[k].r);
        if (!why || gn_process_is_custom(e[k].r->process) || len >= GN_LOWEST_NOTE_MAX - 1)
            continue;
        snprintf(note + len, GN_LOWEST_NOTE_MAX - len, "%s%s %s", len ? "; " : "",
                 gn_process_name(e[k].r->process), why);
        len = strlen(note);
    }
}

static void fill_group(gn_mechanisms *m, const entry *e, size_t n)
{
    gn_lowest l[GN_ROUTE_COUNT];
    for (int r = 0; r < GN_ROUTE_COUNT; r++)
        lowest_init(&l[r]);
    for (size_t k = 0; k < n; k++) /* custom processes have no route (model.h) */
        if (!gn_process_is_custom(e[k].r->process))
            lowest_add(&l[gn_process_route(e[k].r->process)], e[k].r);
    group_note(e, n, m->note[e[0].i]);
    m->first[e[0].i] = 1; /* the group is in table order */
    for (size_t k = 0; k < n; k++) {
        memcpy(m->per_row[e[k].i], l, sizeof l);
        if (k)
            memcpy(m->note[e[k].i], m->note[e[0].i], GN_LOWEST_NOTE_MAX);
    }
}

int gn_mechanisms_compute(const gn_table *t, gn_mechanisms *m, gn_error *err)
{
    memset(m, 0, sizeof *m);
    size_t n = t->n ? t->n : 1;
    entry *e = malloc(n * sizeof *e);
    m->per_row = calloc(n, sizeof *m->per_row);
    m->note = calloc(n, sizeof *m->note);
    m->first = calloc(n, sizeof *m->first);
    if (!e || !m->per_row || !m->note || !m->first) {
        free(e);
        gn_mechanisms_clear(m);
        return gn_error_set(err, GN_ENOMEM, "out of memory for the lowest mechanisms");
    }
    for (size_t i = 0; i < t->n; i++)
        e[i] = (entry){&t->rows[i], i};
    qsort(e, t->n, sizeof *e, cmp_entry);
    for (size_t a = 0; a < t->n;) {
        size_t b = a + 1;
        while (b < t->n && gn_mechanisms_same_group(e[a].r, e[b].r))
            b++;
        fill_group(m, e + a, b - a);
        a = b;
    }
    m->n = t->n;
    free(e);
    return GN_OK;
}

void gn_mechanisms_clear(gn_mechanisms *m)
{
    free(m->per_row);
    free(m->note);
    free(m->first);
    memset(m, 0, sizeof *m);
}
