/* gapneb: the comparison with published values as reference.tsv and as the "reference" object
 * of barriers.json (see reference_io.h). Units: gaps Å, barriers eV. */
#include "gapneb/reference_io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/fileio.h"
#include "reference_internal.h"
#include "tsv_internal.h"

/* ---- TSV ----------------------------------------------------------------------------------- */

static const char *match_status(const gn_ref_match *m)
{
    if (m->row < 0)
        return "not_compared";
    return isfinite(m->deviation) ? "compared" : "no_barrier";
}

typedef struct tsv_ctx {
    const gn_reference *ref;
    const gn_table *t;
    gn_ref_comparison c;
} tsv_ctx;

static void tsv_line(FILE *fp, const tsv_ctx *x, const gn_ref_match *m)
{
    const gn_ref_row *q = &x->ref->rows[m->ref];
    const gn_table_row *r = m->row >= 0 ? &x->t->rows[m->row] : NULL;
    const char *words[] = {q->model, q->process, q->mechanism, q->direction};
    for (size_t k = 0; k < 4; k++) {
        gn_tsv_put_text(fp, words[k]);
        fputc('\t', fp);
    }
    gn_tsv_put_num(fp, "%.4f", q->gap);
    fputc('\t', fp);
    gn_tsv_put_num(fp, "%.6g", q->barrier);
    fputc('\t', fp);
    gn_tsv_put_text(fp, q->method);
    fputc('\t', fp);
    gn_tsv_put_text(fp, q->source);
    fputc('\t', fp);
    gn_tsv_put_text(fp, q->potential);
    fputc('\t', fp);
    gn_tsv_put_text(fp, r ? r->potential : "");
    fputc('\t', fp);
    gn_tsv_put_num(fp, "%.4f", r ? r->gap : NAN);
    fprintf(fp, "\t%s\t", !r ? "" : m->reverse ? "reverse" : "forward");
    gn_tsv_put_num(fp, "%.6f", m->barrier);
    fputc('\t', fp);
    gn_tsv_put_num(fp, "%+.6f", m->deviation);
    fprintf(fp, "\t%s\t", match_status(m));
    gn_tsv_put_text(fp, m->reason);
    fputc('\n', fp);
}

static int tsv_writer(FILE *fp, void *ctx, gn_error *err)
{
    (void)err;
    const tsv_ctx *x = ctx;
    fprintf(fp, "# gapneb: the table compared with published values (");
    gn_tsv_put_text(fp, x->ref->path);
    fprintf(fp, "). Units: gaps Å, barriers eV; deviation = gapneb - published. One line per "
                "(published value, table row compared with it); status not_compared: the reason "
                "says why (never compared with another process or mechanism)\n");
    fputs("model\tprocess\tmechanism\tdirection\tref_gap_A\tpublished_eV\tmethod\tsource\t"
          "ref_potential\tpotential\tgap_A\tbarrier\tgapneb_eV\tdeviation_eV\tstatus\treason\n",
          fp);
    for (size_t k = 0; k < x->c.n; k++)
        tsv_line(fp, x, &x->c.m[k]);
    return GN_OK;
}

int gn_reference_write_tsv(const char *path, const gn_reference *ref, const gn_table *t,
                           gn_error *err)
{
    tsv_ctx x = {.ref = ref, .t = t};
    int rc = gn_reference_compare(ref, t, &x.c, err);
    if (rc == GN_OK)
        rc = gn_file_write_atomic(path, tsv_writer, &x, err);
    gn_ref_comparison_clear(&x.c);
    return rc;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

/* A gap: a number, or "inf" (JSON has no infinity). */
static json_t *gap_json(double gap) { return isinf(gap) ? json_string("inf") : gn_json_num(gap); }

static json_t *compared_json(const gn_ref_match *m, const gn_table_row *r)
{
    json_t *o = json_pack("{s:I,s:s,s:o,s:s,s:o,s:o}", "row", (json_int_t)m->row, "potential",
                          r->potential, "gap_A", gap_json(r->gap), "barrier",
                          m->reverse ? "reverse" : "forward", "barrier_eV",
                          gn_json_num(m->barrier), "deviation_eV", gn_json_num(m->deviation));
    if (o && m->reason[0])
        json_object_set_new(o, "reason", json_string(m->reason));
    return o;
}

static json_t *value_json(const gn_ref_row *q)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:i,s:[]}", "model", q->model,
                     "process", q->process, "mechanism", q->mechanism, "direction", q->direction,
                     "gap_A", gap_json(q->gap), "barrier_eV", gn_json_num(q->barrier), "method",
                     q->method, "potential", q->potential, "source", q->source, "line", q->line,
                     "compared");
}

json_t *gn_reference_json(const gn_reference *ref, const gn_table *t)
{
    gn_ref_comparison c;
    gn_error e;
    if (gn_reference_compare(ref, t, &c, &e) != GN_OK)
        return NULL;
    json_t *values = json_array();
    json_t *root = json_pack("{s:s,s:s}", "file", ref->path, "format",
                             ref->legacy ? "model,process,gap_A,barrier_eV,source" : "mechanism");
    int ok = values && root;
    json_t *v = NULL;
    for (size_t k = 0; ok && k < c.n; k++) {
        const gn_ref_match *m = &c.m[k];
        if (k == 0 || c.m[k - 1].ref != m->ref) { /* a new published value */
            ok = (v = value_json(&ref->rows[m->ref])) && json_array_append_new(values, v) == 0;
            if (ok && m->row < 0)
                json_object_set_new(v, "reason", json_string(m->reason));
        }
        if (ok && m->row >= 0)
            ok = json_array_append_new(json_object_get(v, "compared"),
                                       compared_json(m, &t->rows[m->row])) == 0;
    }
    gn_ref_comparison_clear(&c);
    if (ok && json_object_set_new(root, "values", values) == 0)
        return root;
    json_decref(values);
    json_decref(root);
    return NULL;
}

/* ---- reading it back ------------------------------------------------------------------------ */

static int copy_str(char *dst, size_t cap, json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s)
        s = "";
    if (strlen(s) >= cap)
        return -1;
    memcpy(dst, s, strlen(s) + 1);
    return 0;
}

static int value_from_json(json_t *o, gn_ref_row *q)
{
    memset(q, 0, sizeof *q);
    json_t *gap = json_object_get(o, "gap_A"), *b = json_object_get(o, "barrier_eV");
    if (!json_is_object(o) || !json_is_number(b) ||
        !(json_is_number(gap) || (json_is_string(gap) && !strcmp(json_string_value(gap), "inf"))))
        return -1;
    q->gap = json_is_number(gap) ? json_number_value(gap) : INFINITY;
    q->barrier = json_number_value(b);
    q->line = (int)json_integer_value(json_object_get(o, "line"));
    return copy_str(q->model, sizeof q->model, o, "model") ||
           copy_str(q->process, sizeof q->process, o, "process") ||
           copy_str(q->mechanism, sizeof q->mechanism, o, "mechanism") ||
           copy_str(q->direction, sizeof q->direction, o, "direction") ||
           copy_str(q->method, sizeof q->method, o, "method") ||
           copy_str(q->potential, sizeof q->potential, o, "potential") ||
           copy_str(q->source, sizeof q->source, o, "source") || !q->model[0] || !q->process[0]
               ? -1
               : 0;
}

int gn_reference_read_json(const char *path, gn_reference *ref, gn_error *err)
{
    memset(ref, 0, sizeof *ref);
    json_t *root;
    int rc = gn_json_read_file(path, &root, err);
    if (rc != GN_OK)
        return rc;
    json_t *block = json_object_get(root, "reference");
    json_t *values = json_object_get(block, "values");
    const char *file = json_string_value(json_object_get(block, "file"));
    const char *format = json_string_value(json_object_get(block, "format"));
    snprintf(ref->path, sizeof ref->path, "%s", file ? file : path);
    ref->legacy = format && strcmp(format, "mechanism") != 0;
    size_t n = json_array_size(values);
    if (n && !(ref->rows = calloc(n, sizeof *ref->rows)))
        rc = gn_error_set(err, GN_ENOMEM, "out of memory");
    for (size_t i = 0; rc == GN_OK && i < n; i++) {
        if (value_from_json(json_array_get(values, i), &ref->rows[i]) != 0)
            rc = gn_error_set(err, GN_EPARSE, "%s: reference value %zu is not a published "
                              "value (model, process, gap_A, barrier_eV, ...)", path, i + 1);
        else
            ref->n++;
    }
    json_decref(root);
    if (rc != GN_OK)
        gn_reference_clear(ref);
    return rc;
}
