/* gapneb: published barriers: the reference CSV, matching and deviations (see reference.h).
 * Units: gaps Å, barriers eV. */
#include "gapneb/reference.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/fileio.h"

double gn_row_deviation(const gn_table_row *r)
{
    if (!r->has_ref || !isfinite(r->barrier_fwd) || !isfinite(r->ref_barrier))
        return NAN;
    return r->barrier_fwd - r->ref_barrier;
}

void gn_reference_clear(gn_reference *ref)
{
    if (!ref)
        return;
    free(ref->rows);
    ref->rows = NULL;
    ref->n = 0;
}

/* Splits one CSV line into fields in place; "..." quotes may hold commas and "" for a quote. */
static int csv_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return -1;
        while (*p == ' ' || *p == '\t')
            p++;
        char *out = p;
        f[n++] = out;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p && *p != ',')
                return -1;
        } else {
            while (*p && *p != ',')
                *out++ = *p++;
            while (out > f[n - 1] && (out[-1] == ' ' || out[-1] == '\t'))
                out--;
        }
        int last = !*p;
        *out = '\0';
        if (last)
            return n;
        p++;
    }
}

static const char *const ref_head[] = {"model", "process", "gap_A", "barrier_eV", "source"};

static int ref_row(gn_ref_row *r, char **f, int nf, const char *name, int lineno,
                   const int *map, gn_error *err)
{
    if (nf != 5)
        return gn_error_set(err, GN_EPARSE, "%s:%d: %d fields, expected 5 (%s)", name, lineno,
                            nf, "model,process,gap_A,barrier_eV,source");
    const char *v[5];
    for (int k = 0; k < 5; k++)
        v[map[k]] = f[k];
    if (strlen(v[0]) >= sizeof r->model || strlen(v[1]) >= sizeof r->process || !v[0][0] ||
        !v[1][0])
        return gn_error_set(err, GN_EPARSE, "%s:%d: bad model or process name", name, lineno);
    snprintf(r->model, sizeof r->model, "%s", v[0]);
    snprintf(r->process, sizeof r->process, "%s", v[1]);
    char *end;
    if (!strcmp(v[2], "inf") || !strcmp(v[2], "Inf") || !strcmp(v[2], "INF"))
        r->gap = INFINITY;
    else if ((r->gap = strtod(v[2], &end), *end || end == v[2] || !(r->gap > 0) ||
              !isfinite(r->gap)))
        return gn_error_set(err, GN_EPARSE, "%s:%d: gap_A '%s' is not a positive number or inf",
                            name, lineno, v[2]);
    r->barrier = strtod(v[3], &end);
    if (*end || end == v[3] || !isfinite(r->barrier))
        return gn_error_set(err, GN_EPARSE, "%s:%d: barrier_eV '%s' is not a number", name,
                            lineno, v[3]);
    snprintf(r->source, sizeof r->source, "%s", v[4]);
    return GN_OK;
}

static int ref_header(char **f, int nf, const char *name, int lineno, int *map, gn_error *err)
{
    if (nf != 5)
        return gn_error_set(err, GN_EPARSE, "%s:%d: header must be %s", name, lineno,
                            "model,process,gap_A,barrier_eV,source");
    for (int k = 0; k < 5; k++) {
        map[k] = -1;
        for (int h = 0; h < 5; h++)
            if (!strcmp(f[k], ref_head[h]))
                map[k] = h;
        for (int j = 0; j < k; j++)
            if (map[j] == map[k])
                map[k] = -1;
        if (map[k] < 0)
            return gn_error_set(err, GN_EPARSE, "%s:%d: unexpected column '%s' (header must "
                                                "be model,process,gap_A,barrier_eV,source)",
                                name, lineno, f[k]);
    }
    return GN_OK;
}

int gn_reference_parse(const char *text, const char *name, gn_reference *ref, gn_error *err)
{
    memset(ref, 0, sizeof *ref);
    snprintf(ref->path, sizeof ref->path, "%s", name);
    char *buf = strdup(text);
    if (!buf)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    int rc = GN_OK, lineno = 0, map[5], have_head = 0;
    size_t cap = 0;
    char *next = NULL;
    for (char *line = buf; line && rc == GN_OK; line = next) {
        char *nl = strchr(line, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        const char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            continue;
        char *f[8];
        int nf = csv_split(line, f, 8);
        if (nf < 0) {
            rc = gn_error_set(err, GN_EPARSE, "%s:%d: bad CSV (unbalanced quotes or too many "
                                              "fields)", name, lineno);
            break;
        }
        if (!have_head) {
            rc = ref_header(f, nf, name, lineno, map, err);
            have_head = 1;
            continue;
        }
        if (ref->n == cap) {
            cap = cap ? 2 * cap : 16;
            gn_ref_row *nr = realloc(ref->rows, cap * sizeof *nr);
            if (!nr) {
                rc = gn_error_set(err, GN_ENOMEM, "out of memory");
                break;
            }
            ref->rows = nr;
        }
        rc = ref_row(&ref->rows[ref->n], f, nf, name, lineno, map, err);
        if (rc == GN_OK)
            ref->n++;
    }
    free(buf);
    if (rc == GN_OK && !have_head)
        rc = gn_error_set(err, GN_EPARSE, "%s: empty reference file (no header)", name);
    if (rc != GN_OK)
        gn_reference_clear(ref);
    return rc;
}

int gn_reference_load(const char *path, gn_reference *ref, gn_error *err)
{
    char *text;
    memset(ref, 0, sizeof *ref);
    int rc = gn_file_read_all(path, &text, NULL, err);
    if (rc != GN_OK)
        return rc;
    rc = gn_reference_parse(text, path, ref, err);
    free(text);
    return rc;
}

size_t gn_reference_apply(const gn_reference *ref, gn_table *t)
{
    size_t matched = 0;
    for (size_t i = 0; i < t->n; i++) {
        gn_table_row *r = &t->rows[i];
        const gn_ref_row *best = NULL;
        for (size_t j = 0; ref && j < ref->n; j++) {
            const gn_ref_row *q = &ref->rows[j];
            if (strcmp(q->model, gn_model_kind_name(r->model)) ||
                strcmp(q->process, gn_row_process_name(r)))
                continue;
            int exact = isfinite(q->gap) && fabs(q->gap - r->gap) <= 1e-6;
            if (exact && (!best || isinf(best->gap)))
                best = q;
            else if (isinf(q->gap) && !best)
                best = q;
        }
        r->has_ref = best != NULL;
        r->ref_barrier = best ? best->barrier : NAN;
        r->ref_gap = best ? best->gap : NAN;
        snprintf(r->ref_source, sizeof r->ref_source, "%s", best ? best->source : "");
        matched += best != NULL;
    }
    return matched;
}

static int same_ref(const gn_ref_row *q, const gn_table_row *r)
{
    return !strcmp(q->model, gn_model_kind_name(r->model)) &&
           !strcmp(q->process, gn_row_process_name(r)) && q->barrier == r->ref_barrier &&
           !strcmp(q->source, r->ref_source) &&
           (q->gap == r->ref_gap || (isinf(q->gap) && isinf(r->ref_gap)));
}

int gn_reference_from_table(const gn_table *t, gn_reference *ref, gn_error *err)
{
    memset(ref, 0, sizeof *ref);
    snprintf(ref->path, sizeof ref->path, "barriers.json");
    ref->rows = calloc(t->n ? t->n : 1, sizeof *ref->rows);
    if (!ref->rows)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        int dup = !r->has_ref;
        for (size_t j = 0; j < ref->n && !dup; j++)
            dup = same_ref(&ref->rows[j], r);
        if (dup)
            continue;
        gn_ref_row *q = &ref->rows[ref->n++];
        snprintf(q->model, sizeof q->model, "%s", gn_model_kind_name(r->model));
        snprintf(q->process, sizeof q->process, "%s", gn_row_process_name(r));
        q->gap = r->ref_gap;
        q->barrier = r->ref_barrier;
        snprintf(q->source, sizeof q->source, "%s", r->ref_source);
    }
    return GN_OK;
}
