/* gapneb: barriers.tsv and barriers.json, written and read through one column table (see
 * table_io.h), and --resume. Units: gaps Å, energies eV, time s, THz, 1/s, K. */
#include "config.h"
#include "gapneb/table_io.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/crossover.h"
#include "gapneb/fileio.h"
#include "gapneb/mechanism.h"
#include "gapneb/reference.h"
#include "gapneb/reference_io.h"
#include "json_internal.h"
#include "row_json_internal.h"
#include "reference_internal.h"
#include "tsv_internal.h"
#include "strbuf_internal.h"

/* ---- columns ------------------------------------------------------------------------------ */

typedef enum col_kind {
    C_STR, C_DBL, C_INT, C_ULONG,
    C_MODEL, C_PROCESS, C_STATE, /* enums, written by name */
    C_DEVIATION,                 /* derived (barrier_fwd - ref_barrier): written, not read */
    C_LOWEST_EV, C_LOWEST_PROC,  /* derived (mechanism.h) for the route in off: written, not
                                    read */
    C_LOWEST_NOTE,
    C_ORDERS                     /* the steps' saddle orders as "1,1" (gn_row_orders_text) */
} col_kind;

typedef struct column {
    const char *name;
    col_kind kind;
    size_t off;       /* offset in gn_table_row */
    size_t size;      /* C_STR: buffer size */
    const char *fmt;  /* C_DBL: printf format for TSV */
} column;

#define COL_S(n, f) {n, C_STR, offsetof(gn_table_row, f), sizeof(((gn_table_row *)0)->f), NULL}
#define COL_D(n, f, fm) {n, C_DBL, offsetof(gn_table_row, f), 0, fm}
#define COL_I(n, f) {n, C_INT, offsetof(gn_table_row, f), 0, NULL}
#define COL_U(n, f) {n, C_ULONG, offsetof(gn_table_row, f), 0, NULL}
#define COL_E(n, k, f) {n, k, offsetof(gn_table_row, f), 0, NULL}

static const column columns[] = {
    COL_E("model", C_MODEL, model),
    COL_E("process", C_PROCESS, process),
    COL_D("gap_A", gap, "%.4f"),
    COL_S("potential", potential),
    COL_E("state", C_STATE, state),
    COL_I("converged", converged),
    COL_I("collapsed", collapsed),
    COL_D("barrier_fwd_eV", barrier_fwd, "%.6f"),
    COL_D("barrier_rev_eV", barrier_rev, "%.6f"),
    COL_D("reaction_energy_eV", reaction_energy, "%.6f"),
    COL_D("interp_max_eV", interp_max, "%.6f"),
    COL_D("e_ads_initial_eV", e_ads_initial, "%.6f"),
    COL_D("e_ads_final_eV", e_ads_final, "%.6f"),
    COL_D("a0_A", a0, "%.6f"),
    COL_I("iterations", iterations),
    COL_U("force_calls", force_calls),
    COL_D("wall_time_s", wall_time, "%.3f"),
    COL_S("key", key),
    COL_S("rundir", rundir),
    COL_S("reason", reason),
    COL_D("ref_barrier_eV", ref_barrier, "%.6f"),
    COL_D("ref_gap_A", ref_gap, "%.4f"),
    {"deviation_eV", C_DEVIATION, 0, 0, "%.6f"},
    COL_S("ref_source", ref_source),
    COL_I("has_modes", has_modes),
    COL_I("saddle_verified", saddle_verified),
    COL_I("n_negative", n_negative),
    COL_D("imag_freq_THz", imag_freq_thz, "%.6g"),
    COL_D("prefactor_THz", prefactor_thz, "%.6g"),
    COL_D("rate_per_s", rate, "%.6g"),
    COL_D("temperature_K", temperature, "%.6g"),
    COL_S("potential_spec", potential_spec),
    COL_I("has_search", has_search),
    COL_D("search_barrier_eV", search_barrier, "%.6f"),
    COL_I("search_processes", search_processes),
    COL_S("search_moved", search_moved),
    COL_U("search_force_calls", search_calls),
    {"lowest_within_eV", C_LOWEST_EV, GN_ROUTE_WITHIN, 0, "%.6f"},
    {"lowest_within_process", C_LOWEST_PROC, GN_ROUTE_WITHIN, 0, NULL},
    {"lowest_across_eV", C_LOWEST_EV, GN_ROUTE_ACROSS, 0, "%.6f"},
    {"lowest_across_process", C_LOWEST_PROC, GN_ROUTE_ACROSS, 0, NULL},
    {"lowest_note", C_LOWEST_NOTE, 0, 0, NULL},
    COL_I("steps", nsteps),
    COL_D("Ea_eff_eV", ea_eff, "%.6f"),
    COL_I("rate_step", rate_step),
    COL_I("saddle_order", saddle_order),
    {"saddle_orders", C_ORDERS, 0, 0, NULL},
    COL_D("gap_relaxed_A", gap_relaxed, "%.4f"),
    COL_D("rate_rev_per_s", rate_rev, "%.6g"),
};
#define NCOL (sizeof columns / sizeof columns[0])

static const void *cell_of(const gn_table_row *r, const column *c)
{
    return (const char *)r + c->off;
}
static void *wcell_of(gn_table_row *r, const column *c) { return (char *)r + c->off; }

/* The text of an enum cell, or NULL for other kinds. */
static const char *enum_text(const gn_table_row *r, const column *c)
{
    switch (c->kind) {
    case C_MODEL: return gn_model_kind_name(r->model);
    case C_PROCESS: return gn_row_process_name(r);
    case C_STATE: return gn_row_state_name(r->state);
    default: return NULL;
    }
}

/* Stores an enum cell from its name. */
static int set_enum(gn_table_row *r, const column *c, const char *text, gn_error *err)
{
    switch (c->kind) {
    case C_MODEL: return gn_model_kind_parse(text, &r->model, err);
    case C_PROCESS: return gn_row_set_process_name(r, text, err);
    default: return gn_row_state_parse(text, &r->state, err);
    }
}

/* Derived columns are computed from the table, never read back. */
static int derived(const column *c)
{
    return c->kind == C_DEVIATION || c->kind == C_LOWEST_EV || c->kind == C_LOWEST_PROC ||
           c->kind == C_LOWEST_NOTE;
}

/* A row being written, with the lowest mechanisms of its (model, gap, potential). */
typedef struct row_ctx {
    const gn_table_row *r;
    const gn_lowest *low; /* [GN_ROUTE_COUNT] */
    const char *note;
} row_ctx;

static const gn_lowest *route_low(const row_ctx *x, const column *c) { return &x->low[c->off]; }

static double number_of(const row_ctx *x, const column *c)
{
    if (c->kind == C_DEVIATION)
        return gn_row_deviation(x->r);
    if (c->kind == C_LOWEST_EV)
        return route_low(x, c)->barrier;
    return *(const double *)cell_of(x->r, c);
}

/* The text of a derived text cell, or NULL for other kinds. */
static const char *derived_text(const row_ctx *x, const column *c)
{
    if (c->kind == C_LOWEST_NOTE)
        return x->note;
    if (c->kind != C_LOWEST_PROC)
        return NULL;
    const gn_lowest *l = route_low(x, c);
    return l->row ? gn_process_name(l->row->process) : "";
}

/* ---- TSV ---------------------------------------------------------------------------------- */

static void put_cell(FILE *fp, const row_ctx *x, const column *c)
{
    const char *e = enum_text(x->r, c), *d = derived_text(x, c);
    char orders[4 * GN_ROW_MAX_STEPS + 4];
    if (e)
        fputs(e, fp);
    else if (d)
        gn_tsv_put_text(fp, d);
    else if (c->kind == C_ORDERS) {
        gn_row_orders_text(x->r, orders, sizeof orders);
        fputs(orders, fp);
    } else if (c->kind == C_STR)
        gn_tsv_put_text(fp, cell_of(x->r, c));
    else if (c->kind == C_DBL || c->kind == C_DEVIATION || c->kind == C_LOWEST_EV)
        gn_tsv_put_num(fp, c->fmt, number_of(x, c));
    else if (c->kind == C_INT)
        fprintf(fp, "%d", *(const int *)cell_of(x->r, c));
    else
        fprintf(fp, "%lu", *(const unsigned long *)cell_of(x->r, c));
}

typedef struct table_ctx {
    const gn_table *t;
    gn_mechanisms mech;
} table_ctx;

static row_ctx row_at(const table_ctx *tc, size_t i)
{
    return (row_ctx){&tc->t->rows[i], tc->mech.per_row[i], tc->mech.note[i]};
}

static int tsv_writer(FILE *fp, void *ctx, gn_error *err)
{
    (void)err;
    const table_ctx *tc = ctx;
    fputs("# gapneb barrier table. Units: gap Å, energies eV, time s, frequency THz, rate 1/s, "
          "temperature K.\n",
          fp);
    for (size_t k = 0; k < NCOL; k++)
        fprintf(fp, "%s%s", k ? "\t" : "", columns[k].name);
    fputc('\n', fp);
    for (size_t i = 0; i < tc->t->n; i++) {
        row_ctx x = row_at(tc, i);
        for (size_t k = 0; k < NCOL; k++) {
            if (k)
                fputc('\t', fp);
            put_cell(fp, &x, &columns[k]);
        }
        fputc('\n', fp);
    }
    return GN_OK;
}

int gn_table_write_tsv(const char *path, const gn_table *t, gn_error *err)
{
    table_ctx tc = {.t = t};
    int rc = gn_mechanisms_compute(t, &tc.mech, err);
    if (rc == GN_OK)
        rc = gn_file_write_atomic(path, tsv_writer, &tc, err);
    gn_mechanisms_clear(&tc.mech);
    return rc;
}

static int parse_num(const char *s, double *v)
{
    if (!strcmp(s, "nan") || !*s) {
        *v = NAN;
        return 0;
    }
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return (*end || errno == EINVAL) ? -1 : 0;
}

/* Stores one field (text) of column c into r; GN_OK, or GN_EPARSE with a message quoting the
 * text (the caller prefixes the place and column). */
static int set_cell(gn_table_row *r, const column *c, const char *text, gn_error *err)
{
    if (derived(c))
        return GN_OK;
    if (c->kind == C_ORDERS)
        return gn_row_orders_parse(r, text, err);
    if (c->kind == C_MODEL || c->kind == C_PROCESS || c->kind == C_STATE)
        return set_enum(r, c, text, err) == GN_OK ? GN_OK : GN_EPARSE;
    char *p = wcell_of(r, c);
    if (c->kind == C_STR) {
        if (strlen(text) >= c->size)
            return gn_error_set(err, GN_EPARSE, "'%s' is longer than %zu characters", text,
                                c->size - 1);
        memcpy(p, text, strlen(text) + 1);
        return GN_OK;
    }
    double v;
    if (parse_num(text, &v) != 0)
        return gn_error_set(err, GN_EPARSE, "'%s' is not a number", text);
    if (c->kind == C_DBL)
        *(double *)p = v;
    else if (c->kind == C_INT)
        *(int *)p = isfinite(v) ? (int)v : 0;
    else
        *(unsigned long *)p = isfinite(v) && v >= 0 ? (unsigned long)v : 0;
    return GN_OK;
}

/* A cell that set_cell/json_cell refused: its message gets the column in front (the caller
 * adds the place); GN_EPARSE. */
static int cell_error(gn_error *err, const column *c)
{
    gn_error_prefix(err, "bad value for %s: ", c->name);
    if (err)
        err->code = GN_EPARSE;
    return GN_EPARSE;
}

static void finish_row(gn_table_row *r) { r->has_ref = isfinite(r->ref_barrier); }

/* Splits line at tabs in place (at most max fields). */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

/* The header maps each field to a column (-1: a column this version does not know). */
static int tsv_header(char **f, size_t nf, int *map, const char *path, int lineno, gn_error *err)
{
    for (size_t k = 0; k < nf; k++) {
        map[k] = -1;
        for (size_t c = 0; c < NCOL; c++)
            if (!strcmp(f[k], columns[c].name))
                map[k] = (int)c;
    }
    if (map[0] != 0)
        return gn_error_set(err, GN_EPARSE, "%s:%d: not a gapneb table header", path, lineno);
    return GN_OK;
}

static int tsv_row(gn_table *t, size_t *cap, char **f, size_t nf, const int *map,
                   const char *path, int lineno, gn_error *err)
{
    int rc = gn_table_push(t, cap, err);
    if (rc != GN_OK)
        return rc;
    gn_table_row *r = &t->rows[t->n - 1];
    for (size_t k = 0; k < nf; k++)
        if (map[k] >= 0 && set_cell(r, &columns[map[k]], f[k], err) != GN_OK) {
            cell_error(err, &columns[map[k]]);
            gn_error_prefix(err, "%s:%d: ", path, lineno);
            return GN_EPARSE;
        }
    finish_row(r);
    return GN_OK;
}

static int tsv_parse(char *text, const char *path, gn_table *t, gn_error *err)
{
    int map[64];
    size_t nhead = 0, cap = 0;
    int lineno = 0, rc = GN_OK;
    char *cursor = text, *line;
    while (rc == GN_OK && (line = gn_text_next_line(&cursor))) {
        lineno++;
        if (!line[0] || line[0] == '#')
            continue;
        char *f[64];
        size_t nf = split_tabs(line, f, 64);
        if (!nhead) {
            rc = tsv_header(f, nf, map, path, lineno, err);
            nhead = nf;
        } else if (nf != nhead) {
            rc = gn_error_set(err, GN_EPARSE, "%s:%d: %zu fields, the header has %zu", path,
                              lineno, nf, nhead);
        } else {
            rc = tsv_row(t, &cap, f, nf, map, path, lineno, err);
        }
    }
    if (rc == GN_OK && !nhead)
        rc = gn_error_set(err, GN_EPARSE, "%s: no header line", path);
    return rc;
}

int gn_table_read_tsv(const char *path, gn_table *t, gn_error *err)
{
    char *text;
    int rc = gn_file_read_all(path, &text, NULL, err);
    if (rc != GN_OK)
        return rc;
    gn_table_clear(t);
    rc = tsv_parse(text, path, t, err);
    free(text);
    if (rc != GN_OK)
        gn_table_clear(t);
    return rc;
}

/* ---- JSON --------------------------------------------------------------------------------- */

static json_t *cell_json(const row_ctx *x, const column *c)
{
    const char *e = enum_text(x->r, c), *d = derived_text(x, c);
    char orders[4 * GN_ROW_MAX_STEPS + 4];
    if (e || d)
        return json_string(e ? e : d);
    switch (c->kind) {
    case C_STR: return json_string(cell_of(x->r, c));
    case C_ORDERS: gn_row_orders_text(x->r, orders, sizeof orders); return json_string(orders);
    case C_INT: return json_integer(*(const int *)cell_of(x->r, c));
    case C_ULONG: return json_integer((json_int_t) * (const unsigned long *)cell_of(x->r, c));
    default: return gn_json_num(number_of(x, c));
    }
}

/* x->low NULL: a row alone (row.json), without the columns of its (model, gap, potential). */
static json_t *row_to_json(const row_ctx *x)
{
    const gn_table_row *r = x->r;
    json_t *o = json_object();
    for (size_t k = 0; o && k < NCOL; k++) {
        if (!x->low && derived(&columns[k]) && columns[k].kind != C_DEVIATION)
            continue;
        json_t *v = cell_json(x, &columns[k]);
        if (!v || json_object_set_new(o, columns[k].name, v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    /* the ref_gap column is inf for single-surface references and the gap is inf for the
     * terrace models, which JSON cannot hold as numbers */
    if (o && r->has_ref && isinf(r->ref_gap))
        json_object_set_new(o, "ref_gap_A", json_string("inf"));
    if (o && isinf(r->gap))
        json_object_set_new(o, "gap_A", json_string("inf"));
    if (o && json_object_set_new(o, "elementary_steps", gn_row_steps_to_json(r)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* One object per (model, potential) with both processes: the rate crossover ("gap_A" only when
 * found; "status" and "reason" say why not) and the barrier-based one, labelled. */
static void crossover_json(void *ctx, const gn_crossover_info *info)
{
    char text[2600];
    json_t *o = json_pack("{s:s,s:s}", "model", gn_model_kind_name(info->model), "potential",
                          info->potential);
    if (!o)
        return;
    json_object_set_new(o, "status", json_string(gn_crossover_status_name(
                                         info->has_modes ? info->status : GN_CROSS_UNDETERMINED)));
    if (info->has_modes) {
        if (info->status == GN_CROSS_FOUND)
            json_object_set_new(o, "gap_A", gn_json_num(info->gap));
        if (info->partial_found)
            json_object_set_new(o, "gap_among_rates_A", gn_json_num(info->gap));
        json_object_set_new(o, "temperature_K", gn_json_num(info->temperature));
        if (info->missing[0])
            json_object_set_new(o, "reason", json_string(info->missing));
    } else {
        json_object_set_new(o, "reason", json_string("no rates (run with --modes)"));
    }
    gn_crossover_rate_text(info, text, sizeof text);
    json_object_set_new(o, "text", json_string(text));
    json_object_set_new(o, "barrier_status",
                        json_string(gn_crossover_status_name(info->barrier_status)));
    if (isfinite(info->barrier_gap))
        json_object_set_new(o, "barrier_gap_A", gn_json_num(info->barrier_gap));
    gn_crossover_barrier_text(info, text, sizeof text);
    json_object_set_new(o, "barrier_text", json_string(text));
    json_array_append_new(ctx, o);
}

static json_t *table_json(const gn_table *t, const gn_mechanisms *mech)
{
    json_t *rows = json_array(), *cross = json_array();
    json_t *root = json_pack("{s:s,s:s,s:{s:s,s:s,s:s,s:s,s:s,s:s}}", "program", "gapneb",
                             "version", PACKAGE_VERSION, "units", "gap", "Å", "energy", "eV",
                             "time", "s", "frequency", "THz", "rate", "1/s", "temperature", "K");
    int ok = rows && root && cross;
    for (size_t i = 0; ok && i < t->n; i++) {
        row_ctx x = {&t->rows[i], mech->per_row[i], mech->note[i]};
        json_t *r = row_to_json(&x);
        ok = r && json_array_append_new(rows, r) == 0;
    }
    json_t *ref = t->reference ? gn_reference_json(t->reference, t) : NULL;
    if (ok && (!t->reference || ref)) {
        gn_crossover_each(t, crossover_json, cross);
        json_object_set_new(root, "rows", rows);
        json_object_set_new(root, "crossover", cross);
        if (ref)
            json_object_set_new(root, "reference", ref);
        return root;
    }
    json_decref(rows);
    json_decref(cross);
    json_decref(root);
    return NULL;
}

int gn_table_write_json(const char *path, const gn_table *t, gn_error *err)
{
    gn_mechanisms mech;
    int rc = gn_mechanisms_compute(t, &mech, err);
    if (rc != GN_OK)
        return rc;
    json_t *root = table_json(t, &mech);
    gn_mechanisms_clear(&mech);
    if (!root)
        return gn_error_set(err, GN_ENOMEM, "%s: out of memory while writing JSON", path);
    rc = gn_json_write_file(path, root, err);
    json_decref(root);
    return rc;
}

/* Stores one JSON value of column c into r (absent: left as cleared); GN_OK or GN_EPARSE. */
static int json_cell(gn_table_row *r, const column *c, json_t *v, gn_error *err)
{
    if (derived(c) || !v)
        return GN_OK;
    if (json_is_string(v))
        return set_cell(r, c, json_string_value(v), err);
    if (json_is_null(v) && c->kind == C_DBL) {
        *(double *)wcell_of(r, c) = NAN;
        return GN_OK;
    }
    int numeric = c->kind == C_DBL || c->kind == C_INT || c->kind == C_ULONG;
    if (!json_is_number(v) || !numeric)
        return gn_error_set(err, GN_EPARSE, "expected a %s", numeric ? "number" : "string");
    double d = json_number_value(v);
    char *p = wcell_of(r, c);
    if (c->kind == C_DBL)
        *(double *)p = d;
    else if (c->kind == C_INT)
        *(int *)p = (int)d;
    else
        *(unsigned long *)p = d > 0 ? (unsigned long)d : 0;
    return GN_OK;
}

static int json_rows(json_t *rows, const char *path, gn_table *t, gn_error *err)
{
    size_t cap = 0;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *o = json_array_get(rows, i);
        if (!json_is_object(o))
            return gn_error_set(err, GN_EPARSE, "%s: row %zu is not an object", path, i + 1);
        int rc = gn_table_push(t, &cap, err);
        if (rc != GN_OK)
            return rc;
        gn_table_row *r = &t->rows[t->n - 1];
        for (size_t k = 0; k < NCOL; k++)
            if (json_cell(r, &columns[k], json_object_get(o, columns[k].name), err) != GN_OK) {
                cell_error(err, &columns[k]);
                gn_error_prefix(err, "%s: row %zu: ", path, i + 1);
                return GN_EPARSE;
            }
        if (gn_row_steps_from_json(r, json_object_get(o, "elementary_steps")) != 0)
            return gn_error_set(err, GN_EPARSE, "%s: row %zu: bad elementary_steps", path, i + 1);
        finish_row(r);
    }
    return GN_OK;
}

int gn_table_read_json(const char *path, gn_table *t, gn_error *err)
{
    json_t *root;
    int rc = gn_json_read_file(path, &root, err);
    if (rc != GN_OK)
        return rc;
    gn_table_clear(t);
    json_t *rows = json_object_get(root, "rows");
    if (!json_is_array(rows))
        rc = gn_error_set(err, GN_EPARSE, "%s: no \"rows\" array", path);
    else
        rc = json_rows(rows, path, t, err);
    json_decref(root);
    if (rc != GN_OK)
        gn_table_clear(t);
    return rc;
}

int gn_table_write(const char *outdir, const gn_table *t, gn_error *err)
{
    char path[GN_JOB_PATH_MAX + 32];
    int rc = gn_mkdir_p(outdir, err);
    if (rc == GN_OK && !(rc = gn_path_join(path, sizeof path, outdir, "barriers.tsv", err)))
        rc = gn_table_write_tsv(path, t, err);
    if (rc == GN_OK && !(rc = gn_path_join(path, sizeof path, outdir, "barriers.json", err)))
        rc = gn_table_write_json(path, t, err);
    if (rc == GN_OK && t->reference &&
        !(rc = gn_path_join(path, sizeof path, outdir, "reference.tsv", err)))
        rc = gn_reference_write_tsv(path, t->reference, t, err);
    return rc;
}

/* ---- one row, and saving progress ----------------------------------------------------------- */

int gn_table_row_write_json(const char *path, const gn_table_row *r, gn_error *err)
{
    row_ctx x = {r, NULL, NULL};
    json_t *o = row_to_json(&x);
    if (!o)
        return gn_error_set(err, GN_ENOMEM, "%s: out of memory while writing JSON", path);
    int rc = gn_json_write_file(path, o, err);
    json_decref(o);
    return rc;
}

int gn_table_row_read_json(const char *path, gn_table_row *r, gn_error *err)
{
    json_t *root;
    int rc = gn_json_read_file(path, &root, err);
    if (rc != GN_OK)
        return rc;
    gn_table_row_clear(r);
    for (size_t k = 0; rc == GN_OK && k < NCOL; k++)
        if (json_cell(r, &columns[k], json_object_get(root, columns[k].name), err) != GN_OK) {
            rc = cell_error(err, &columns[k]);
            gn_error_prefix(err, "%s: ", path);
        }
    if (rc == GN_OK && gn_row_steps_from_json(r, json_object_get(root, "elementary_steps")) != 0)
        rc = gn_error_set(err, GN_EPARSE, "%s: bad elementary_steps", path);
    finish_row(r);
    json_decref(root);
    return rc;
}

int gn_table_save_row(const char *outdir, const gn_table *t, size_t i, gn_error *err)
{
    char dir[GN_JOB_PATH_MAX + 300], path[GN_JOB_PATH_MAX + 320];
    const gn_table_row *r = &t->rows[i];
    int rc = GN_OK;
    if (r->rundir[0] && !(rc = gn_path_join(dir, sizeof dir, outdir, r->rundir, err)) &&
        !(rc = gn_mkdir_p(dir, err)) && !(rc = gn_path_join(path, sizeof path, dir, "row.json", err)))
        rc = gn_table_row_write_json(path, r, err);
    return rc ? rc : gn_table_write(outdir, t, err);
}

/* ---- resume ------------------------------------------------------------------------------- */

/* A finished result that may be taken over (a failed row may have failed for a passing reason,
 * such as I/O, so it is computed again). */
static int reusable(const gn_table_row *o, const char *key)
{
    return !strcmp(o->key, key) && o->state != GN_ROW_FAILED && o->state != GN_ROW_PENDING;
}

/* The row kept in r's run folder, if it was made with r's key. */
static int folder_row(const gn_job *job, const gn_table_row *r, gn_table_row *out)
{
    char dir[GN_JOB_PATH_MAX + 300], path[GN_JOB_PATH_MAX + 320];
    gn_error e;
    return r->rundir[0] && gn_path_join(dir, sizeof dir, job->out, r->rundir, &e) == GN_OK &&
           gn_path_join(path, sizeof path, dir, "row.json", &e) == GN_OK &&
           gn_table_row_read_json(path, out, &e) == GN_OK && reusable(out, r->key);
}

size_t gn_table_resume(const gn_job *job, gn_table *t)
{
    char path[GN_JOB_PATH_MAX + 32];
    gn_table old = {0};
    gn_error e;
    if (gn_path_join(path, sizeof path, job->out, "barriers.json", &e) == GN_OK)
        gn_table_read_json(path, &old, &e); /* none: the run folders may still have rows */
    size_t taken = 0;
    gn_table_row folder;
    for (size_t i = 0; i < t->n; i++) {
        gn_table_row *r = &t->rows[i];
        if (r->state != GN_ROW_PENDING || !folder_row(job, r, &folder))
            continue; /* no run folder made with these settings: computed again */
        const gn_table_row *from = &folder;
        for (size_t j = 0; j < old.n; j++)
            if (reusable(&old.rows[j], r->key))
                from = &old.rows[j];
        *r = *from;
        r->reused = 1;
        taken++;
    }
    t->nreused += taken;
    gn_table_clear(&old);
    return taken;
}
