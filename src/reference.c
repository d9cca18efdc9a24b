/* gapneb: published barriers: the reference CSV (see reference.h). Matching and the comparison
 * are in reference_match.c. Units: gaps Å, barriers eV. */
#include "gapneb/reference.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/fileio.h"
#include "strbuf_internal.h"
#include "gapneb/numparse.h"

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

/* ---- the header ---------------------------------------------------------------------------- */

enum { H_MODEL, H_PROCESS, H_MECHANISM, H_DIRECTION, H_GAP, H_BARRIER, H_METHOD, H_SOURCE,
       H_POTENTIAL, H_COUNT };

static const char *const head_names[H_COUNT] = {"model",  "process",    "mechanism",
                                                "direction", "gap_A",   "barrier_eV",
                                                "method", "source",     "potential"};

#define HEAD_NEW "model,process,mechanism,direction,gap_A,barrier_eV,method,source[,potential]"
#define HEAD_OLD "model,process,gap_A,barrier_eV,source"

typedef struct header {
    int col[16];  /* field k holds column col[k] (H_*) */
    int nf;
    int legacy;   /* the old five columns */
} header;

static int header_parse(char **f, int nf, const char *name, int lineno, header *h,
                        gn_error *err)
{
    int have[H_COUNT] = {0};
    h->nf = nf;
    for (int k = 0; k < nf; k++) {
        h->col[k] = -1;
        for (int c = 0; c < H_COUNT; c++)
            if (!strcmp(f[k], head_names[c]))
                h->col[k] = c;
        if (h->col[k] < 0 || have[h->col[k]]++)
            return gn_error_set(err, GN_EPARSE, "%s:%d: %s column '%s' (the header is "
                                HEAD_NEW ", or the old " HEAD_OLD ")", name, lineno,
                                h->col[k] < 0 ? "unexpected" : "repeated", f[k]);
    }
    static const int required[] = {H_MODEL, H_PROCESS, H_GAP, H_BARRIER, H_SOURCE};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!have[required[i]])
            return gn_error_set(err, GN_EPARSE, "%s:%d: no column '%s' (the header is " HEAD_NEW
                                ", or the old " HEAD_OLD ")", name, lineno,
                                head_names[required[i]]);
    /* the old format is exactly five columns; anything newer states the mechanism */
    h->legacy = !have[H_MECHANISM] && !have[H_DIRECTION] && !have[H_METHOD] && !have[H_POTENTIAL];
    if (!h->legacy && (!have[H_MECHANISM] || !have[H_DIRECTION] || !have[H_METHOD]))
        return gn_error_set(err, GN_EPARSE, "%s:%d: a header with any of the new columns needs "
                            "mechanism, direction and method (the header is " HEAD_NEW ")",
                            name, lineno);
    return GN_OK;
}

/* ---- one row ------------------------------------------------------------------------------- */

static int site_kind_known(const char *s, size_t len)
{
    for (int k = 0; k < GN_SITE_KIND_COUNT; k++)
        if (strlen(gn_site_kind_name(k)) == len && !strncmp(s, gn_site_kind_name(k), len))
            return 1;
    return 0;
}

/* "", "unknown" or "KIND->KIND". */
static int direction_ok(const char *d)
{
    if (!*d || !strcmp(d, "unknown"))
        return 1;
    const char *arrow = strstr(d, "->");
    return arrow && site_kind_known(d, (size_t)(arrow - d)) &&
           site_kind_known(arrow + 2, strlen(arrow + 2));
}

static int copy_word(char *dst, size_t cap, const char *src)
{
    if (strlen(src) >= cap)
        return -1;
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

static int row_words(gn_ref_row *r, const char **v, const header *h, const char *name,
                     int lineno, gn_error *err)
{
    if (copy_word(r->model, sizeof r->model, v[H_MODEL]) || !r->model[0] ||
        copy_word(r->process, sizeof r->process, v[H_PROCESS]) || !r->process[0])
        return gn_error_set(err, GN_EPARSE, "%s:%d: bad model or process name", name, lineno);
    if (h->legacy) { /* the table's process names are their own mechanisms */
        snprintf(r->mechanism, sizeof r->mechanism, "%s", r->process);
        return GN_OK;
    }
    if (copy_word(r->mechanism, sizeof r->mechanism, v[H_MECHANISM]) || !r->mechanism[0])
        return gn_error_set(err, GN_EPARSE, "%s:%d: empty or too long mechanism (write "
                            "'unknown' when the source does not establish it)", name, lineno);
    if (copy_word(r->direction, sizeof r->direction, v[H_DIRECTION]) ||
        !direction_ok(r->direction))
        return gn_error_set(err, GN_EPARSE, "%s:%d: direction '%s' is not FROM->TO with site "
                            "kinds hollow100, fcc111, hcp111 or gap (or empty, or 'unknown')",
                            name, lineno, v[H_DIRECTION]);
    if (copy_word(r->method, sizeof r->method, v[H_METHOD]) || !r->method[0])
        return gn_error_set(err, GN_EPARSE, "%s:%d: empty or too long method (what the source "
                            "did: experiment, DFT functional, EAM, ...)", name, lineno);
    if (v[H_POTENTIAL] && copy_word(r->potential, sizeof r->potential, v[H_POTENTIAL]))
        return gn_error_set(err, GN_EPARSE, "%s:%d: potential name too long", name, lineno);
    if (!v[H_SOURCE][0])
        return gn_error_set(err, GN_EPARSE, "%s:%d: empty source (give the citation)", name,
                            lineno);
    return GN_OK;
}

static int ref_row(gn_ref_row *r, char **f, int nf, const header *h, const char *name,
                   int lineno, gn_error *err)
{
    if (nf != h->nf)
        return gn_error_set(err, GN_EPARSE, "%s:%d: %d fields, the header has %d", name, lineno,
                            nf, h->nf);
    const char *v[H_COUNT] = {0};
    for (int k = 0; k < nf; k++)
        v[h->col[k]] = f[k];
    memset(r, 0, sizeof *r);
    r->line = lineno;
    int rc = row_words(r, v, h, name, lineno, err);
    if (rc)
        return rc;
    gn_error scratch;
    if (!strcmp(v[H_GAP], "inf") || !strcmp(v[H_GAP], "Inf") || !strcmp(v[H_GAP], "INF"))
        r->gap = INFINITY;
    else if (gn_parse_double(v[H_GAP], "gap_A", &r->gap, &scratch) || !(r->gap > 0))
        return gn_error_set(err, GN_EPARSE, "%s:%d: gap_A '%s' is not a positive number or inf",
                            name, lineno, v[H_GAP]);
    if (gn_parse_double(v[H_BARRIER], "barrier_eV", &r->barrier, &scratch))
        return gn_error_set(err, GN_EPARSE, "%s:%d: barrier_eV '%s' is not a number", name,
                            lineno, v[H_BARRIER]);
    if (strlen(v[H_SOURCE]) >= sizeof r->source)
        return gn_error_set(err, GN_EPARSE, "%s:%d: source longer than %d characters", name,
                            lineno, GN_REF_SOURCE_MAX - 1);
    snprintf(r->source, sizeof r->source, "%s", v[H_SOURCE]);
    return GN_OK;
}

static int push_row(gn_reference *ref, size_t *cap, gn_error *err)
{
    if (ref->n < *cap)
        return GN_OK;
    size_t nc = *cap ? 2 * *cap : 16;
    gn_ref_row *nr = realloc(ref->rows, nc * sizeof *nr);
    if (!nr)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    ref->rows = nr;
    *cap = nc;
    return GN_OK;
}

/* One line (comments and blank lines skipped): the header, then rows. */
static int parse_line(char *line, const char *name, int lineno, gn_reference *ref, header *h,
                      int *have_head, size_t *cap, gn_error *err)
{
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r')
        line[--len] = '\0';
    const char *p = line;
    while (isspace((unsigned char)*p))
        p++;
    if (!*p || *p == '#')
        return GN_OK;
    char *f[16];
    int nf = csv_split(line, f, 16);
    if (nf < 0)
        return gn_error_set(err, GN_EPARSE, "%s:%d: bad CSV (unbalanced quotes or too many "
                                            "fields)", name, lineno);
    if (!*have_head) {
        *have_head = 1;
        int rc = header_parse(f, nf, name, lineno, h, err);
        ref->legacy = h->legacy;
        return rc;
    }
    int rc = push_row(ref, cap, err);
    if (!rc && !(rc = ref_row(&ref->rows[ref->n], f, nf, h, name, lineno, err)))
        ref->n++;
    return rc;
}

int gn_reference_parse(const char *text, const char *name, gn_reference *ref, gn_error *err)
{
    memset(ref, 0, sizeof *ref);
    snprintf(ref->path, sizeof ref->path, "%s", name);
    char *buf = strdup(text);
    if (!buf)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    header h = {.nf = 0};
    int rc = GN_OK, lineno = 0, have_head = 0;
    size_t cap = 0;
    char *cursor = buf, *line;
    while (rc == GN_OK && (line = gn_text_next_line(&cursor)))
        rc = parse_line(line, name, ++lineno, ref, &h, &have_head, &cap, err);
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

/* ---- from a table's own columns --------------------------------------------------------- */

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
    ref->legacy = 1;
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
        snprintf(q->mechanism, sizeof q->mechanism, "%s", q->process);
        q->gap = r->ref_gap;
        q->barrier = r->ref_barrier;
        snprintf(q->source, sizeof q->source, "%s", r->ref_source);
    }
    return GN_OK;
}

void gn_ref_short_label(const gn_ref_row *q, char *out, size_t cap)
{
    const char *s = q->source, *year = NULL;
    for (const char *p = strchr(s, '('); p && !year; p = strchr(p + 1, '('))
        if (isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
            isdigit((unsigned char)p[3]) && isdigit((unsigned char)p[4]) && p[5] == ')')
            year = p + 1;
    size_t w = strcspn(s, " ,:");
    if (year && cap)
        snprintf(out, cap, "%.*s %.4s", (int)(w < 40 ? w : 40), s, year);
    else if (cap)
        snprintf(out, cap, "%.*s", (int)(cap - 1 < 40 ? cap - 1 : 40), s);
}
