/* gapneb: which published value is compared with which table row, and why the others are not
 * (the rules of reference.h). Units: gaps Å, barriers eV. */
#include "gapneb/reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf_internal.h"

double gn_row_deviation(const gn_table_row *r)
{
    /* the effective barrier of a row of elementary steps: the whole process, as published */
    double b = gn_row_barrier(r);
    if (!r->has_ref || !isfinite(b) || !isfinite(r->ref_barrier) || gn_row_unverified_reason(r))
        return NAN;
    return b - r->ref_barrier;
}

const char *gn_row_unverified_reason(const gn_table_row *r)
{
    if (!r->has_modes || r->saddle_verified)
        return NULL;
    return r->n_negative != 1 ? "the saddle is not first-order"
                              : "an endpoint is not a minimum (it has a negative mode)";
}

int gn_process_direction(gn_model_kind model, gn_process process, char *out, size_t cap)
{
    if (cap)
        out[0] = '\0';
    if ((int)model < 0 || model >= GN_MODEL_COUNT || (int)process < 0 ||
        process >= GN_PROCESS_COUNT || !gn_model_has_process(model, process))
        return GN_EINVAL;
    /* the kinds of the sites do not depend on the sizes, the gap or a0: a wide gap and Pt's
     * lattice constant build the model */
    gn_model_opts o;
    gn_model_opts_default(&o, model);
    o.gap = gn_model_has_gap(model) ? 10.0 : INFINITY;
    o.a0 = 3.92;
    gn_site from, to;
    gn_error e;
    int rc = gn_model_process_sites(&o, process, &from, &to, &e);
    if (rc == GN_OK)
        snprintf(out, cap, "%s->%s", gn_site_kind_name(from.kind), gn_site_kind_name(to.kind));
    return rc;
}

/* The directions of every (model, process) the table can compute, worked out once. */
typedef struct directions {
    char fwd[GN_MODEL_COUNT][GN_PROCESS_COUNT][GN_REF_WORD_MAX];
} directions;

static void directions_make(directions *d)
{
    for (int m = 0; m < GN_MODEL_COUNT; m++)
        for (int p = 0; p < GN_PROCESS_COUNT; p++)
            gn_process_direction((gn_model_kind)m, (gn_process)p, d->fwd[m][p],
                                 sizeof d->fwd[m][p]);
}

/* "TO->FROM" of "FROM->TO". */
static void reversed(const char *dir, char *out, size_t cap)
{
    const char *arrow = strstr(dir, "->");
    if (!arrow) {
        snprintf(out, cap, "%s", dir);
        return;
    }
    snprintf(out, cap, "%s->%.*s", arrow + 2, (int)(arrow - dir), dir);
}

static int is_process_name(const char *s)
{
    for (int p = 0; p < GN_PROCESS_COUNT; p++)
        if (!strcmp(s, gn_process_name((gn_process)p)))
            return 1;
    return 0;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The criteria a table row must meet, in the order the reasons are given. */
enum { K_MODEL, K_PROCESS, K_POTENTIAL, K_GAP, K_DIRECTION, K_MATCH };

/* How far row r gets through the criteria of q: K_MATCH when it is compared (*reverse: with its
 * reverse barrier). Mechanism and direction words the table can never match are checked once
 * per reference row (intrinsic_reason). */
static int criteria_met(const gn_ref_row *q, const gn_table_row *r, const directions *d,
                        int *reverse)
{
    *reverse = 0;
    if (strcmp(q->model, gn_model_kind_name(r->model)))
        return K_MODEL;
    if (strcmp(q->process, gn_row_process_name(r)))
        return K_PROCESS;
    if (q->potential[0] && strcmp(q->potential, r->potential) &&
        strcmp(q->potential, base_name(r->potential)))
        return K_POTENTIAL;
    if (!isinf(q->gap) && !(fabs(q->gap - r->gap) <= 1e-6))
        return K_GAP;
    if (!q->direction[0])
        return K_MATCH;
    const char *fwd = d->fwd[r->model][r->process];
    char rev[GN_REF_WORD_MAX];
    reversed(fwd, rev, sizeof rev);
    if (fwd[0] && !strcmp(q->direction, fwd))
        return K_MATCH;
    if (fwd[0] && !strcmp(q->direction, rev)) {
        *reverse = 1;
        return K_MATCH;
    }
    return K_DIRECTION;
}

/* Why q can match no row of any table, or NULL. */
static const char *intrinsic_reason(const gn_ref_row *q, char *buf, size_t cap)
{
    int mech_unknown = !strcmp(q->mechanism, "unknown");
    int dir_unknown = !strcmp(q->direction, "unknown");
    if (mech_unknown && dir_unknown)
        return "the source establishes neither the mechanism nor the direction: not compared "
               "with any process";
    if (mech_unknown)
        return "the source does not establish the mechanism: not compared with any process";
    if (dir_unknown)
        return "the source does not establish the direction (which site the barrier is "
               "measured from): not compared";
    if (!is_process_name(q->process)) {
        gn_fmt_trunc(buf, cap, "process '%s' is not one the table computes (%s)", q->process,
                     gn_process_names_text());
        return buf;
    }
    if (strcmp(q->mechanism, q->process)) {
        gn_fmt_trunc(buf, cap, "mechanism '%s' differs from the process '%s' (the table's %s "
                     "is a %s): never compared with another mechanism", q->mechanism,
                     q->process, q->process, q->process);
        return buf;
    }
    return NULL;
}

static void gap_text(char *buf, size_t cap, double gap)
{
    if (isinf(gap))
        snprintf(buf, cap, "inf");
    else
        snprintf(buf, cap, "%.2f Å", gap);
}

/* Why q was compared with nothing in t: the criterion the best rows failed. */
static void unmatched_reason(const gn_ref_row *q, const gn_table *t, const directions *d,
                             char *buf, size_t cap)
{
    char tmp[320];
    const char *why = intrinsic_reason(q, tmp, sizeof tmp);
    if (why) {
        gn_fmt_trunc(buf, cap, "%s", why);
        return;
    }
    int best = -1, rev;
    const gn_table_row *at = NULL;
    for (size_t i = 0; i < t->n; i++) {
        int k = criteria_met(q, &t->rows[i], d, &rev);
        if (k > best) {
            best = k;
            at = &t->rows[i];
        }
    }
    char gap[32];
    gap_text(gap, sizeof gap, q->gap);
    switch (best) {
    case -1:
    case K_MODEL: gn_fmt_trunc(buf, cap, "the table has no %s rows", q->model); break;
    case K_PROCESS:
        gn_fmt_trunc(buf, cap, "the table has no %s %s rows", q->model, q->process);
        break;
    case K_POTENTIAL:
        gn_fmt_trunc(buf, cap, "a value of the potential %s: the table has no %s %s rows with it",
                     q->potential, q->model, q->process);
        break;
    case K_GAP:
        gn_fmt_trunc(buf, cap, "the table has no %s %s row at gap %s", q->model, q->process,
                     gap);
        break;
    default:
        gn_fmt_trunc(buf, cap, "direction %s is neither the table's %s %s direction (%s) nor "
                     "its reverse", q->direction, q->model, q->process,
                     at ? d->fwd[at->model][at->process] : "?");
        break;
    }
}

static int push_match(gn_ref_comparison *c, size_t *cap, const gn_ref_match *m, gn_error *err)
{
    if (c->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 16;
        gn_ref_match *nm = realloc(c->m, nc * sizeof *nm);
        if (!nm)
            return gn_error_set(err, GN_ENOMEM, "out of memory");
        c->m = nm;
        *cap = nc;
    }
    c->m[c->n++] = *m;
    return GN_OK;
}

static void compared(gn_ref_match *m, const gn_ref_row *q, const gn_table_row *r, int reverse)
{
    m->reverse = reverse;
    /* a row of elementary steps: its effective barriers (the highest saddle minus either end) */
    m->barrier = r->state == GN_ROW_OK ? (reverse ? gn_row_barrier_rev(r) : gn_row_barrier(r))
                                       : NAN;
    m->deviation = m->barrier - q->barrier;
    m->reason[0] = '\0';
    const char *unverified = gn_row_unverified_reason(r);
    if (!isfinite(m->barrier)) {
        gn_fmt_trunc(m->reason, sizeof m->reason, "the row has no %s barrier (%s%s%s)",
                     reverse ? "reverse" : "forward", gn_row_state_name(r->state),
                     r->reason[0] ? ": " : "", r->reason);
    } else if (unverified) {
        m->deviation = NAN;
        gn_fmt_trunc(m->reason, sizeof m->reason, "the harmonic analysis finds %d negative "
                     "mode%s at the saddle: %s, so its barrier is not compared", r->n_negative,
                     r->n_negative == 1 ? "" : "s", unverified);
    }
}

int gn_reference_compare(const gn_reference *ref, const gn_table *t, gn_ref_comparison *c,
                         gn_error *err)
{
    memset(c, 0, sizeof *c);
    directions *d = malloc(sizeof *d);
    if (!d)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    directions_make(d);
    size_t cap = 0;
    int rc = GN_OK;
    char tmp[320];
    for (size_t j = 0; rc == GN_OK && ref && j < ref->n; j++) {
        const gn_ref_row *q = &ref->rows[j];
        gn_ref_match m = {.ref = j, .row = -1, .barrier = NAN, .deviation = NAN};
        size_t before = c->n;
        for (size_t i = 0; rc == GN_OK && !intrinsic_reason(q, tmp, sizeof tmp) && i < t->n;
             i++) {
            int reverse;
            if (criteria_met(q, &t->rows[i], d, &reverse) != K_MATCH)
                continue;
            m.row = (long)i;
            compared(&m, q, &t->rows[i], reverse);
            rc = push_match(c, &cap, &m, err);
        }
        if (rc == GN_OK && c->n == before) {
            m.row = -1;
            unmatched_reason(q, t, d, m.reason, sizeof m.reason);
            rc = push_match(c, &cap, &m, err);
        } else if (rc == GN_OK) {
            c->nref_matched++;
        }
    }
    free(d);
    if (rc != GN_OK)
        gn_ref_comparison_clear(c);
    return rc;
}

void gn_ref_comparison_clear(gn_ref_comparison *c)
{
    if (!c)
        return;
    free(c->m);
    memset(c, 0, sizeof *c);
}

size_t gn_reference_apply(const gn_reference *ref, gn_table *t)
{
    directions *d = malloc(sizeof *d);
    if (d)
        directions_make(d);
    size_t matched = 0;
    char tmp[320];
    for (size_t i = 0; i < t->n; i++) {
        gn_table_row *r = &t->rows[i];
        const gn_ref_row *best = NULL;
        for (size_t j = 0; d && ref && j < ref->n; j++) {
            const gn_ref_row *q = &ref->rows[j];
            int reverse;
            if (intrinsic_reason(q, tmp, sizeof tmp) ||
                criteria_met(q, r, d, &reverse) != K_MATCH || reverse)
                continue;
            if (!best || (isinf(best->gap) && !isinf(q->gap)))
                best = q;
        }
        r->has_ref = best != NULL;
        r->ref_barrier = best ? best->barrier : NAN;
        r->ref_gap = best ? best->gap : NAN;
        snprintf(r->ref_source, sizeof r->ref_source, "%s", best ? best->source : "");
        matched += best != NULL;
    }
    free(d);
    return matched;
}
