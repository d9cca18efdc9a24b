/* gapneb: table reports: TSV, JSON, aligned stdout table, reference comparison and gnuplot
 * figures (see report.h).
 * Units: gaps Å, energies eV, wall times s, frequencies THz, rates 1/s, temperatures K. */
#include "config.h"
#include "gapneb/report.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "gapneb/fileio.h"

/* snprintf that truncates silently: paths and titles longer than their buffers are cut, never
 * overflowed (and gcc's truncation warnings do not apply to it). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void sfmt(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
}

/* ---- columns ------------------------------------------------------------------------------ */

/* One table column, shared by TSV and JSON so the two can never disagree. */
typedef enum col_kind { C_STR, C_DBL, C_INT, C_ULONG } col_kind;

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

/* state is written by name, and deviation is derived: both handled apart. */
static const column columns[] = {
    COL_S("model", model),
    COL_S("process", process),
    COL_D("gap_A", gap, "%.4f"),
    COL_S("potential", potential),
    {"state", C_STR, 0, 0, NULL},
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
    {"deviation_eV", C_DBL, 0, 0, "%.6f"},
    COL_S("ref_source", ref_source),
    COL_I("has_modes", has_modes),
    COL_I("saddle_verified", saddle_verified),
    COL_I("n_negative", n_negative),
    COL_D("imag_freq_THz", imag_freq_thz, "%.6g"),
    COL_D("prefactor_THz", prefactor_thz, "%.6g"),
    COL_D("rate_per_s", rate, "%.6g"),
    COL_D("temperature_K", temperature, "%.6g"),
};
#define NCOL (sizeof columns / sizeof columns[0])

static int is_state(const column *c) { return strcmp(c->name, "state") == 0; }
static int is_deviation(const column *c) { return strcmp(c->name, "deviation_eV") == 0; }

static double *dbl_field(gn_table_row *r, const column *c)
{
    return (double *)((char *)r + c->off);
}
static const double *cdbl_field(const gn_table_row *r, const column *c)
{
    return (const double *)((const char *)r + c->off);
}

double gn_row_deviation(const gn_table_row *r)
{
    if (!r->has_ref || !isfinite(r->barrier_fwd) || !isfinite(r->ref_barrier))
        return NAN;
    return r->barrier_fwd - r->ref_barrier;
}

/* ---- TSV ---------------------------------------------------------------------------------- */

/* Tabs and newlines inside a field would break the row: they become spaces. */
static void put_field(FILE *fp, const char *s)
{
    for (; *s; s++)
        fputc((*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s, fp);
}

static void put_double(FILE *fp, const char *fmt, double v)
{
    if (isnan(v))
        fputs("nan", fp);
    else if (isinf(v))
        fputs(v > 0 ? "inf" : "-inf", fp);
    else
        fprintf(fp, fmt, v);
}

static int tsv_writer(FILE *fp, void *ctx, gn_error *err)
{
    (void)err;
    const gn_table *t = ctx;
    fputs("# gapneb barrier table. Units: gap Å, energies eV, time s, frequency THz, rate 1/s, "
          "temperature K.\n",
          fp);
    for (size_t k = 0; k < NCOL; k++)
        fprintf(fp, "%s%s", k ? "\t" : "", columns[k].name);
    fputc('\n', fp);
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        for (size_t k = 0; k < NCOL; k++) {
            const column *c = &columns[k];
            if (k)
                fputc('\t', fp);
            if (is_state(c))
                fputs(gn_row_state_name(r->state), fp);
            else if (is_deviation(c))
                put_double(fp, c->fmt, gn_row_deviation(r));
            else if (c->kind == C_STR)
                put_field(fp, (const char *)r + c->off);
            else if (c->kind == C_DBL)
                put_double(fp, c->fmt, *cdbl_field(r, c));
            else if (c->kind == C_INT)
                fprintf(fp, "%d", *(const int *)((const char *)r + c->off));
            else
                fprintf(fp, "%lu", *(const unsigned long *)((const char *)r + c->off));
        }
        fputc('\n', fp);
    }
    return GN_OK;
}

int gn_report_write_tsv(const char *path, const gn_table *t, gn_error *err)
{
    return gn_file_write_atomic(path, tsv_writer, (void *)t, err);
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

/* Stores one field (text) of column c into r. */
static int set_cell(gn_table_row *r, const column *c, const char *text)
{
    if (is_state(c)) {
        int s = gn_row_state_parse(text);
        if (s < 0)
            return -1;
        r->state = s;
        return 0;
    }
    if (is_deviation(c))
        return 0; /* derived */
    char *p = (char *)r + c->off;
    if (c->kind == C_STR) {
        if (strlen(text) >= c->size)
            return -1;
        memcpy(p, text, strlen(text) + 1);
        return 0;
    }
    double v;
    if (parse_num(text, &v) != 0)
        return -1;
    if (c->kind == C_DBL)
        *(double *)p = v;
    else if (c->kind == C_INT)
        *(int *)p = isfinite(v) ? (int)v : 0;
    else
        *(unsigned long *)p = isfinite(v) && v >= 0 ? (unsigned long)v : 0;
    return 0;
}

static void finish_row(gn_table_row *r)
{
    r->has_ref = isfinite(r->ref_barrier);
}

static int table_push(gn_table *t, size_t *cap, gn_error *err)
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

static int tsv_parse(char *text, const char *path, gn_table *t, gn_error *err)
{
    int map[64];
    size_t nhead = 0, cap = 0;
    int lineno = 0;
    char *save = NULL;
    for (char *line = text; line; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (!len || line[0] == '#')
            continue;
        char *f[64];
        size_t nf = split_tabs(line, f, 64);
        if (!nhead) {
            for (size_t k = 0; k < nf; k++) {
                map[k] = -1;
                for (size_t c = 0; c < NCOL; c++)
                    if (!strcmp(f[k], columns[c].name))
                        map[k] = (int)c;
            }
            nhead = nf;
            if (map[0] != 0)
                return gn_error_set(err, GN_EPARSE, "%s:%d: not a gapneb table header", path,
                                    lineno);
            continue;
        }
        if (nf != nhead)
            return gn_error_set(err, GN_EPARSE, "%s:%d: %zu fields, the header has %zu", path,
                                lineno, nf, nhead);
        int rc = table_push(t, &cap, err);
        if (rc != GN_OK)
            return rc;
        gn_table_row *r = &t->rows[t->n - 1];
        for (size_t k = 0; k < nf; k++)
            if (map[k] >= 0 && set_cell(r, &columns[map[k]], f[k]) != 0)
                return gn_error_set(err, GN_EPARSE, "%s:%d: bad value '%s' in column %s", path,
                                    lineno, f[k], columns[map[k]].name);
        finish_row(r);
    }
    if (!nhead)
        return gn_error_set(err, GN_EPARSE, "%s: no header line", path);
    return GN_OK;
}

int gn_report_read_tsv(const char *path, gn_table *t, gn_error *err)
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

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *row_to_json(const gn_table_row *r)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    for (size_t k = 0; k < NCOL; k++) {
        const column *c = &columns[k];
        json_t *v;
        if (is_state(c))
            v = json_string(gn_row_state_name(r->state));
        else if (is_deviation(c))
            v = num_or_null(gn_row_deviation(r));
        else if (c->kind == C_STR)
            v = json_string((const char *)r + c->off);
        else if (c->kind == C_DBL)
            v = num_or_null(*cdbl_field(r, c));
        else if (c->kind == C_INT)
            v = json_integer(*(const int *)((const char *)r + c->off));
        else
            v = json_integer((json_int_t) * (const unsigned long *)((const char *)r + c->off));
        if (!v || json_object_set_new(o, c->name, v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    /* the ref_gap column is inf for single-surface references, which JSON cannot hold */
    if (r->has_ref && isinf(r->ref_gap))
        json_object_set_new(o, "ref_gap_A", json_string("inf"));
    return o;
}

static const char *cross_status_name(int s)
{
    return s == GN_CROSS_FOUND ? "found" : s == GN_CROSS_NONE ? "none" : "not_determined";
}

/* One object per (model, potential) with both processes: the rate crossover ("gap_A" only when
 * found, as before; "status" and "reason" say why not) and the barrier-based one, labelled. */
static json_t *crossovers_json(const gn_table *t)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= !strcmp(t->rows[j].model, r->model) &&
                    !strcmp(t->rows[j].potential, r->potential);
        gn_crossover_info info;
        if (seen)
            continue;
        gn_table_crossover_info(t, r->model, r->potential, &info);
        if (!info.has_rows)
            continue;
        double T = NAN;
        for (size_t j = 0; j < t->n; j++)
            if (!strcmp(t->rows[j].model, r->model) && t->rows[j].has_modes)
                T = t->rows[j].temperature;
        char text[2600];
        json_t *o = json_pack("{s:s,s:s}", "model", r->model, "potential", r->potential);
        if (!o)
            continue;
        if (info.has_modes) {
            json_object_set_new(o, "status", json_string(cross_status_name(info.status)));
            if (info.status == GN_CROSS_FOUND)
                json_object_set_new(o, "gap_A", json_real(info.gap));
            if (info.partial_found)
                json_object_set_new(o, "gap_among_rates_A", json_real(info.gap));
            json_object_set_new(o, "temperature_K", json_real(T));
            if (info.missing[0])
                json_object_set_new(o, "reason", json_string(info.missing));
            gn_crossover_rate_text(&info, r->model, r->potential, T, text, sizeof text);
        } else {
            json_object_set_new(o, "status", json_string("not_determined"));
            json_object_set_new(o, "reason", json_string("no rates (run with --modes)"));
            snprintf(text, sizeof text, "crossover %s %s: not determined (no rates: run with "
                     "--modes)", r->model, r->potential);
        }
        json_object_set_new(o, "text", json_string(text));
        json_object_set_new(o, "barrier_status",
                            json_string(cross_status_name(info.barrier_status)));
        if (isfinite(info.barrier_gap))
            json_object_set_new(o, "barrier_gap_A", json_real(info.barrier_gap));
        gn_crossover_barrier_text(&info, r->model, r->potential, text, sizeof text);
        json_object_set_new(o, "barrier_text", json_string(text));
        json_array_append_new(a, o);
    }
    return a;
}

static int json_writer(FILE *fp, void *ctx, gn_error *err)
{
    const gn_table *t = ctx;
    json_t *rows = json_array();
    json_t *root = json_pack("{s:s,s:s,s:{s:s,s:s,s:s,s:s,s:s,s:s}}", "program", "gapneb",
                             "version", PACKAGE_VERSION, "units", "gap", "Å", "energy", "eV",
                             "time", "s", "frequency", "THz", "rate", "1/s", "temperature", "K");
    int ok = rows && root;
    for (size_t i = 0; ok && i < t->n; i++) {
        json_t *r = row_to_json(&t->rows[i]);
        ok = r && json_array_append_new(rows, r) == 0;
    }
    if (ok) {
        json_object_set_new(root, "rows", rows);
        rows = NULL;
        json_object_set_new(root, "crossover", crossovers_json(t));
        ok = json_dumpf(root, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))
             == 0;
        fputc('\n', fp);
    }
    json_decref(rows);
    json_decref(root);
    return ok ? GN_OK : gn_error_set(err, GN_ENOMEM, "out of memory while writing JSON");
}

int gn_report_write_json(const char *path, const gn_table *t, gn_error *err)
{
    return gn_file_write_atomic(path, json_writer, (void *)t, err);
}

static int json_cell(gn_table_row *r, const column *c, json_t *v)
{
    if (is_deviation(c) || !v)
        return 0;
    if (json_is_string(v))
        return set_cell(r, c, json_string_value(v));
    if (json_is_null(v))
        return c->kind == C_DBL ? (*dbl_field(r, c) = NAN, 0) : -1;
    if (!json_is_number(v) || c->kind == C_STR || is_state(c))
        return -1;
    double d = json_number_value(v);
    char *p = (char *)r + c->off;
    if (c->kind == C_DBL)
        *(double *)p = d;
    else if (c->kind == C_INT)
        *(int *)p = (int)d;
    else
        *(unsigned long *)p = d > 0 ? (unsigned long)d : 0;
    return 0;
}

int gn_report_read_json(const char *path, gn_table *t, gn_error *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        return gn_error_set(err, je.line < 0 ? GN_EIO : GN_EPARSE, "%s:%d: %s", path, je.line,
                            je.text);
    gn_table_clear(t);
    json_t *rows = json_object_get(root, "rows");
    int rc = GN_OK;
    size_t cap = 0;
    if (!json_is_array(rows))
        rc = gn_error_set(err, GN_EPARSE, "%s: no \"rows\" array", path);
    for (size_t i = 0; rc == GN_OK && i < json_array_size(rows); i++) {
        json_t *o = json_array_get(rows, i);
        if (!json_is_object(o)) {
            rc = gn_error_set(err, GN_EPARSE, "%s: row %zu is not an object", path, i + 1);
            break;
        }
        if ((rc = table_push(t, &cap, err)) != GN_OK)
            break;
        gn_table_row *r = &t->rows[t->n - 1];
        for (size_t k = 0; k < NCOL; k++)
            if (json_cell(r, &columns[k], json_object_get(o, columns[k].name)) != 0) {
                rc = gn_error_set(err, GN_EPARSE, "%s: row %zu: bad value for %s", path, i + 1,
                                  columns[k].name);
                break;
            }
        finish_row(r);
    }
    json_decref(root);
    if (rc != GN_OK)
        gn_table_clear(t);
    return rc;
}

int gn_report_write_table(const char *outdir, const gn_table *t, gn_error *err)
{
    int rc = gn_mkdir_p(outdir, err);
    size_t n = strlen(outdir) + 32;
    char *p = malloc(n);
    if (!p)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    if (rc == GN_OK) {
        sfmt(p, n, "%s/barriers.tsv", outdir);
        rc = gn_report_write_tsv(p, t, err);
    }
    if (rc == GN_OK) {
        sfmt(p, n, "%s/barriers.json", outdir);
        rc = gn_report_write_json(p, t, err);
    }
    free(p);
    return rc;
}

/* ---- aligned table ------------------------------------------------------------------------ */

#define PCOLS 24 /* at most 21 columns: 14 always, potential, 2 reference, 5 modes */
#define CELL 48

typedef struct grid {
    char (*cell)[PCOLS][CELL];
    size_t nrows;
    int ncols;
    int right[PCOLS];
} grid;

static void fmt_num(char *buf, const char *fmt, double v)
{
    if (isfinite(v))
        sfmt(buf, CELL, fmt, v);
    else
        sfmt(buf, CELL, "-");
}

static int any_potentials_differ(const gn_table *t)
{
    for (size_t i = 1; i < t->n; i++)
        if (strcmp(t->rows[i].potential, t->rows[0].potential))
            return 1;
    return 0;
}

static void grid_row(grid *g, size_t i, const gn_table_row *r, int pot, int ref, int modes)
{
    char (*c)[CELL] = g->cell[i];
    int k = 0;
    sfmt(c[k++], CELL, "%s", r->model);
    sfmt(c[k++], CELL, "%s", r->process);
    fmt_num(c[k++], "%.2f", r->gap);
    if (pot)
        sfmt(c[k++], CELL, "%.*s", CELL - 1, r->potential);
    fmt_num(c[k++], "%.4f", r->barrier_fwd);
    fmt_num(c[k++], "%.4f", r->barrier_rev);
    fmt_num(c[k++], "%.4f", r->reaction_energy);
    fmt_num(c[k++], "%.4f", r->interp_max);
    fmt_num(c[k++], "%.3f", r->e_ads_initial);
    fmt_num(c[k++], "%.3f", r->e_ads_final);
    sfmt(c[k++], CELL, "%s%s", gn_row_state_name(r->state), r->reused ? "*" : "");
    sfmt(c[k++], CELL, "%d", r->iterations);
    sfmt(c[k++], CELL, "%lu", r->force_calls);
    fmt_num(c[k++], "%.1f", r->wall_time);
    if (ref) {
        fmt_num(c[k++], "%.3f", r->has_ref ? r->ref_barrier : NAN);
        fmt_num(c[k++], "%+.3f", gn_row_deviation(r));
    }
    if (modes) {
        sfmt(c[k++], CELL, "%s", !r->has_modes ? "-" : r->saddle_verified ? "yes" : "no");
        if (r->has_modes)
            sfmt(c[k++], CELL, "%d", r->n_negative);
        else
            sfmt(c[k++], CELL, "-");
        fmt_num(c[k++], "%.3f", r->has_modes ? r->imag_freq_thz : NAN);
        fmt_num(c[k++], "%.3g", r->has_modes ? r->prefactor_thz : NAN);
        fmt_num(c[k++], "%.3g", r->has_modes ? r->rate : NAN);
    }
    g->ncols = k;
}

void gn_report_print(FILE *fp, const gn_table *t)
{
    int pot = any_potentials_differ(t), ref = 0, modes = 0;
    for (size_t i = 0; i < t->n; i++) {
        ref |= t->rows[i].has_ref;
        modes |= t->rows[i].has_modes;
    }
    grid g = {.nrows = t->n + 1};
    g.cell = calloc(g.nrows, sizeof *g.cell);
    if (!g.cell)
        return;
    static const char *const head[] = {"model", "process", "gap/Å", "potential", "Ea_fwd/eV",
                                       "Ea_rev/eV", "dE/eV", "Emax_int/eV", "Eads_i/eV",
                                       "Eads_f/eV", "state", "iter", "calls", "time/s",
                                       "ref/eV", "dev/eV", "saddle", "n_neg", "nu_imag/THz",
                                       "nu*/THz", "rate/s^-1"};
    int k = 0;
    for (int h = 0; h < (int)(sizeof head / sizeof head[0]) && k < PCOLS; h++) {
        if ((h == 3 && !pot) || ((h == 14 || h == 15) && !ref) || (h >= 16 && !modes))
            continue;
        sfmt(g.cell[0][k++], CELL, "%s", head[h]);
    }
    for (size_t i = 0; i < t->n; i++)
        grid_row(&g, i + 1, &t->rows[i], pot, ref, modes);
    size_t w[PCOLS] = {0};
    for (size_t i = 0; i < g.nrows; i++)
        for (int c = 0; c < k; c++) {
            /* width in characters, counting UTF-8 continuation bytes as nothing (Å) */
            size_t n = 0;
            for (const char *p = g.cell[i][c]; *p; p++)
                n += ((unsigned char)*p & 0xC0) != 0x80;
            if (n > w[c])
                w[c] = n;
        }
    for (size_t i = 0; i < g.nrows; i++) {
        for (int c = 0; c < k; c++) {
            size_t n = 0;
            for (const char *p = g.cell[i][c]; *p; p++)
                n += ((unsigned char)*p & 0xC0) != 0x80;
            int left = c < 2 || (pot && c == 3);
            if (!left)
                fprintf(fp, "%*s", (int)(w[c] - n), "");
            fputs(g.cell[i][c], fp);
            if (left && c + 1 < k)
                fprintf(fp, "%*s", (int)(w[c] - n), "");
            if (c + 1 < k)
                fputs("  ", fp);
        }
        fputc('\n', fp);
    }
    free(g.cell);
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].state != GN_ROW_OK)
            fprintf(fp, "# %s %s %.2f Å %s: %s: %s\n", t->rows[i].model, t->rows[i].process,
                    t->rows[i].gap, t->rows[i].potential, gn_row_state_name(t->rows[i].state),
                    t->rows[i].reason[0] ? t->rows[i].reason : "no reason recorded");
    if (t->nreused)
        fprintf(fp, "# * taken over from an earlier run with identical settings (--resume)\n");
}

/* ---- reference ---------------------------------------------------------------------------- */

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
    sfmt(r->model, sizeof r->model, "%s", v[0]);
    sfmt(r->process, sizeof r->process, "%s", v[1]);
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
    sfmt(r->source, sizeof r->source, "%s", v[4]);
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
    sfmt(ref->path, sizeof ref->path, "%s", name);
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
            if (strcmp(q->model, r->model) || strcmp(q->process, r->process))
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
        sfmt(r->ref_source, sizeof r->ref_source, "%s", best ? best->source : "");
        matched += best != NULL;
    }
    return matched;
}

/* ---- figures ------------------------------------------------------------------------------ */

/* A growing text buffer: scripts and data files are composed in memory, then written whole. */
typedef struct sbuf {
    char *s;
    size_t n, cap;
    int oom;
} sbuf;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int need = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (need < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->n + (size_t)need < b->cap) {
            b->n += (size_t)need;
            return;
        }
        size_t nc = (b->cap ? b->cap * 2 : 4096) + (size_t)need;
        char *ns = realloc(b->s, nc);
        if (!ns) {
            b->oom = 1;
            return;
        }
        if (!b->s)
            ns[0] = '\0';
        b->s = ns;
        b->cap = nc;
    }
}

/* A gnuplot single-quoted string: only ' needs doubling. */
static void sb_quote(sbuf *b, const char *s)
{
    sb_printf(b, "'");
    for (; *s; s++)
        sb_printf(b, *s == '\'' ? "''" : "%c", *s);
    sb_printf(b, "'");
}

static int sb_write(sbuf *b, const char *path, gn_error *err)
{
    if (b->oom) {
        free(b->s);
        b->s = NULL;
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    int rc = gn_file_write_string(path, b->s ? b->s : "", err);
    free(b->s);
    memset(b, 0, sizeof *b);
    return rc;
}

/* Output of every script: PNG and SVG, with the cairo PNG terminal where gnuplot has one. A user
 * redraws a restyled figure with `gnuplot NAME.gp`; gapneb passes tmp='.tmpPID' so that the
 * figures appear whole or not at all. */
static void sb_script_head(sbuf *b, const char *name, const char *what, const char *data)
{
    sb_printf(b,
              "# gapneb: %s.\n# Data: %s (blocks separated by two blank lines; gnuplot 'index').\n"
              "# Redraw after restyling: gnuplot %s.gp   (writes %s.png and %s.svg)\n"
              "if (!exists('tmp')) tmp = ''\n"
              "if (!exists('formats')) formats = 'png svg'\n"
              "set encoding utf8\nset grid\nset key inside top left box opaque\n"
              "set offsets 0, 0, graph 0.3, 0\n",
              what, data, name, name, name);
}

static void sb_script_loop_open(sbuf *b, const char *name)
{
    sb_printf(b,
              "do for [fmt in formats] {\n"
              "  if (fmt eq 'png') {\n"
              "    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
              "      set terminal pngcairo size 900,620 noenhanced font ',11'\n"
              "    } else {\n"
              "      set terminal png size 900,620 noenhanced\n"
              "    }\n"
              "  } else {\n"
              "    set terminal svg size 900,620 noenhanced font 'sans,13' background rgb 'white'\n"
              "  }\n"
              "  set output '%s.'.fmt.tmp\n",
              name);
}

static void sb_script_loop_close(sbuf *b)
{
    sb_printf(b, "\n  unset output\n}\n");
}

static int find_gnuplot(const char *given, char *out, size_t cap)
{
    const char *name = given ? given : getenv("GNUPLOT");
    if (!name || !*name)
        name = "gnuplot";
    if (strchr(name, '/')) {
        sfmt(out, cap, "%s", name);
        return access(name, X_OK) == 0;
    }
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        if (len && (size_t)snprintf(out, cap, "%.*s/%s", (int)len, path, name) < cap &&
            access(out, X_OK) == 0)
            return 1;
        path += len + (end != NULL);
    }
    return 0;
}

static int same_series(const gn_table_row *a, const gn_table_row *b)
{
    return !strcmp(a->process, b->process) && !strcmp(a->potential, b->potential);
}

/* Base name of a potential for titles (a file path shows only its last component). */
static const char *pot_label(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int table_has_several_potentials(const gn_table *t) { return any_potentials_differ(t); }

/* Series of one model: the first row index of each (process, potential) in table order. */
static size_t model_series(const gn_table *t, const char *model, size_t *first, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n && n < max; i++) {
        if (strcmp(t->rows[i].model, model))
            continue;
        int seen = 0;
        for (size_t k = 0; k < n; k++)
            seen |= same_series(&t->rows[first[k]], &t->rows[i]);
        if (!seen)
            first[n++] = i;
    }
    return n;
}

static void series_title(sbuf *b, const gn_table *t, const gn_table_row *r)
{
    char title[300];
    if (table_has_several_potentials(t))
        sfmt(title, sizeof title, "%s, %s", r->process, pot_label(r->potential));
    else
        sfmt(title, sizeof title, "%s", r->process);
    sb_quote(b, title);
}

/* Value of row r plotted in a figure: forward barrier (rate = 0) or forward rate (rate = 1). */
static double fig_value(const gn_table_row *r, int rate)
{
    if (rate)
        return r->has_modes && r->rate > 0 ? r->rate : NAN;
    return r->state == GN_ROW_OK ? r->barrier_fwd : NAN;
}

#define MAX_SERIES 64

/* gnuplot cannot autoscale a range of zero width (one gap, or one value): it warns and picks
 * +-1 %. A range is given instead: +-0.5 Å, and +-10 % (a decade for rates). */
static void degenerate_ranges(sbuf *gp, const gn_table *t, const char *model, int rate,
                              const gn_reference *ref)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < t->n; i++) {
        double y = fig_value(&t->rows[i], rate);
        if (strcmp(t->rows[i].model, model) || !isfinite(y))
            continue;
        x0 = fmin(x0, t->rows[i].gap);
        x1 = fmax(x1, t->rows[i].gap);
        y0 = fmin(y0, y);
        y1 = fmax(y1, y);
    }
    for (size_t j = 0; !rate && ref && j < ref->n; j++)
        if (!strcmp(ref->rows[j].model, model)) { /* reference values widen the range */
            y0 = fmin(y0, ref->rows[j].barrier);
            y1 = fmax(y1, ref->rows[j].barrier);
            if (isfinite(ref->rows[j].gap)) {
                x0 = fmin(x0, ref->rows[j].gap);
                x1 = fmax(x1, ref->rows[j].gap);
            }
        }
    if (x0 == x1)
        sb_printf(gp, "set xrange [%.6f:%.6f]\n", x0 - 0.5, x1 + 0.5);
    if (y0 == y1 && rate)
        sb_printf(gp, "set yrange [%.6g:%.6g]\n", y0 / 10, y1 * 10);
    else if (y0 == y1)
        sb_printf(gp, "set yrange [%.6g:%.6g]\n", y0 - 0.1 * fabs(y0) - 0.01,
                  y1 + 0.1 * fabs(y1) + 0.01);
}

/* barrier-MODEL (rate = 0) or rate-MODEL (rate = 1): data + script. Returns 1 if written, 0 if
 * there was nothing to plot. */
static int figure_vs_gap(const char *figdir, const gn_table *t, const char *model,
                         const gn_reference *ref, int rate, gn_error *err, int *rc)
{
    size_t first[MAX_SERIES];
    size_t ns = model_series(t, model, first, MAX_SERIES);
    const char *kind = rate ? "rate" : "barrier";
    sbuf data = {0}, gp = {0};
    int nblocks = 0, used[MAX_SERIES] = {0};
    for (size_t s = 0; s < ns; s++) {
        int npts = 0;
        for (size_t i = 0; i < t->n; i++) {
            const gn_table_row *r = &t->rows[i];
            if (strcmp(r->model, model) || !same_series(r, &t->rows[first[s]]) ||
                !isfinite(fig_value(r, rate)))
                continue;
            if (!npts)
                sb_printf(&data, "%s# %s %s %s\n# gap_A\t%s\n", nblocks ? "\n\n" : "", model,
                          r->process, r->potential, rate ? "rate_per_s" : "barrier_fwd_eV");
            sb_printf(&data, "%.6f\t%.10g\n", r->gap, fig_value(r, rate));
            npts++;
        }
        if (npts)
            used[s] = ++nblocks;
    }
    if (!nblocks) {
        free(data.s);
        return 0;
    }
    char name[64], path[4096];
    sfmt(name, sizeof name, "%s-%s", kind, model);
    sfmt(path, sizeof path, "%s/%s.tsv", figdir, name);
    if ((*rc = sb_write(&data, path, err)) != GN_OK)
        return 0;

    /* reference points at finite gaps: their own file */
    int nref_pts = 0;
    sbuf rdata = {0};
    for (size_t j = 0; !rate && ref && j < ref->n; j++)
        if (!strcmp(ref->rows[j].model, model) && isfinite(ref->rows[j].gap)) {
            if (!nref_pts)
                sb_printf(&rdata, "# reference barriers (%s)\n# gap_A\tbarrier_eV\tsource\n",
                          ref->path);
            sb_printf(&rdata, "%.6f\t%.10g\t%s\n", ref->rows[j].gap, ref->rows[j].barrier,
                      ref->rows[j].source);
            nref_pts++;
        }
    if (nref_pts) {
        sfmt(path, sizeof path, "%s/%s-ref.tsv", figdir, name);
        if ((*rc = sb_write(&rdata, path, err)) != GN_OK)
            return 0;
    }
    free(rdata.s);

    char what[128];
    sfmt(what, sizeof what, "%s against gap, model %s", rate ? "forward rate" : "barrier",
             model);
    char dataname[80];
    sfmt(dataname, sizeof dataname, "%s.tsv", name);
    sb_script_head(&gp, name, what, dataname);
    sb_printf(&gp, "set xlabel 'gap d (Å)'\n");
    degenerate_ranges(&gp, t, model, rate, ref);
    if (rate) {
        double T = NAN;
        for (size_t i = 0; i < t->n; i++)
            if (!strcmp(t->rows[i].model, model) && t->rows[i].has_modes)
                T = t->rows[i].temperature;
        sb_printf(&gp, "set ylabel 'forward rate (1/s) at T = %g K'\nset logscale y\n"
                       "set title 'Harmonic TST rates, %s model'\n",
                  T, model);
        /* Transfer rates fall by decades with the gap, so the upper right is where the plot is
         * empty: the key goes there and the crossover label at the foot of its line. */
        sb_printf(&gp, "set format y '%%.0e'\nset key inside top right box opaque\n");
        for (size_t s = 0; s < ns; s++) {
            gn_crossover_info ci;
            gn_table_crossover_info(t, model, t->rows[first[s]].potential, &ci);
            double g = ci.gap;
            /* only a crossover over every gap: one from some gaps could be anywhere */
            if (ci.status == GN_CROSS_FOUND)
                sb_printf(&gp,
                          "set arrow from %.6f, graph 0 to %.6f, graph 1 nohead dt 3\n"
                          "set label 'crossover %.2f Å' at %.6f, graph 0.05 left offset 0.5,0\n",
                          g, g, g, g);
        }
    } else {
        sb_printf(&gp, "set ylabel 'forward barrier (eV)'\nset title 'CI-NEB barriers, %s model'\n",
                  model);
    }
    sb_script_loop_open(&gp, name);
    sb_printf(&gp, "  plot");
    int first_item = 1;
    for (size_t s = 0; s < ns; s++) {
        if (!used[s])
            continue;
        sb_printf(&gp, "%s \\\n    '%s' index %d using 1:2 with linespoints lw 2 pt 7 title ",
                  first_item ? "" : ",", dataname, used[s] - 1);
        series_title(&gp, t, &t->rows[first[s]]);
        first_item = 0;
    }
    if (nref_pts)
        sb_printf(&gp, ", \\\n    '%s-ref.tsv' using 1:2 with points pt 6 ps 2 lc rgb 'black' "
                       "title 'reference'",
                  name);
    for (size_t j = 0; !rate && ref && j < ref->n; j++) {
        const gn_ref_row *q = &ref->rows[j];
        if (strcmp(q->model, model) || isfinite(q->gap))
            continue;
        /* the citation only, not the note after its colon, keeps the key readable */
        const char *colon = strchr(q->source, ':');
        int len = colon ? (int)(colon - q->source) : (int)strlen(q->source);
        char title[400];
        sfmt(title, sizeof title, "%s, single surface: %.*s", q->process, len, q->source);
        sb_printf(&gp, ", \\\n    %.10g with lines dt 2 lc rgb 'gray40' title ", q->barrier);
        sb_quote(&gp, title);
    }
    sb_script_loop_close(&gp);
    sfmt(path, sizeof path, "%s/%s.gp", figdir, name);
    *rc = sb_write(&gp, path, err);
    return *rc == GN_OK;
}

/* ---- profiles from run folders ---- */

typedef struct xy {
    double *x, *y;
    size_t n, cap;
} xy;

static void xy_free(xy *p)
{
    free(p->x);
    free(p->y);
    memset(p, 0, sizeof *p);
}

static int xy_push(xy *p, double x, double y)
{
    if (p->n == p->cap) {
        size_t nc = p->cap ? 2 * p->cap : 64;
        double *nx = realloc(p->x, nc * sizeof *nx);
        if (!nx)
            return -1;
        p->x = nx;
        double *ny = realloc(p->y, nc * sizeof *ny);
        if (!ny)
            return -1;
        p->y = ny;
        p->cap = nc;
    }
    p->x[p->n] = x;
    p->y[p->n] = y;
    p->n++;
    return 0;
}

/* Column of a header naming the reaction coordinate ("s", "s_A", "s/Å") or the energy relative to
 * the initial state ("energy_eV", "E_rel_eV", "dE"...). */
static int is_s_name(const char *h)
{
    return !strcmp(h, "s") || !strncmp(h, "s_", 2) || !strncmp(h, "s/", 2) ||
           !strncmp(h, "s(", 2) || !strncmp(h, "reaction_coordinate", 19);
}

static int is_e_name(const char *h)
{
    return !strncmp(h, "energy", 6) || !strncmp(h, "E_rel", 5) || !strncmp(h, "e_rel", 5) ||
           !strcmp(h, "E") || !strncmp(h, "E_", 2) || !strncmp(h, "dE", 2) ||
           !strncmp(h, "E/", 2) || !strncmp(h, "E(", 2);
}
/* Finds the reaction-coordinate and energy columns among header fields; 1 and sets *cs, *ce if
 * both are there. */
static int header_columns(char **f, size_t nf, int *cs, int *ce)
{
    int s = -1, e = -1;
    for (size_t k = 0; k < nf; k++) {
        if (s < 0 && is_s_name(f[k]))
            s = (int)k;
        else if (e < 0 && is_e_name(f[k]))
            e = (int)k;
    }
    if (s < 0 || e < 0)
        return 0;
    *cs = s;
    *ce = e;
    return 1;
}


/* Reads the reaction coordinate and relative energy from a profile file written by the NEB
 * module: '#' comments, one header line naming the columns, then numbers. Without a recognisable
 * header the first two columns are taken. */
static int read_profile(const char *path, xy *out, gn_error *err)
{
    char *text;
    int rc = gn_file_read_all(path, &text, NULL, err);
    if (rc != GN_OK)
        return rc;
    int cs = 0, ce = 1, have_head = 0;
    char *next = NULL;
    for (char *line = text; line && rc == GN_OK; line = next) {
        char *nl = strchr(line, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            continue;
        if (*p == '#') {
            /* a commented header is a header too */
            p++;
            while (isspace((unsigned char)*p))
                p++;
            if (!have_head && (is_s_name(p) || strchr(p, '\t'))) {
                char *f[32];
                size_t nf = split_tabs(p, f, 32);
                have_head |= header_columns(f, nf, &cs, &ce);
            }
            continue;
        }
        char *f[32];
        size_t nf = split_tabs(p, f, 32);
        if (nf == 1) /* maybe space separated */
            for (char *q = p; *q; q++)
                if (*q == ' ')
                    *q = '\t';
        if (nf == 1)
            nf = split_tabs(p, f, 32);
        char *end;
        double v0 = strtod(f[0], &end);
        (void)v0;
        if (end == f[0]) { /* header */
            have_head |= header_columns(f, nf, &cs, &ce);
            continue;
        }
        if ((size_t)cs >= nf || (size_t)ce >= nf)
            continue;
        double x = strtod(f[cs], NULL), y = strtod(f[ce], NULL);
        if (isfinite(x) && isfinite(y) && xy_push(out, x, y) != 0)
            rc = gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    free(text);
    if (rc == GN_OK && out->n == 0)
        rc = gn_error_set(err, GN_EPARSE, "%s: no profile data", path);
    return rc;
}

static void sb_xy(sbuf *b, const xy *p)
{
    for (size_t i = 0; i < p->n; i++)
        sb_printf(b, "%.8f\t%.10g\n", p->x[i], p->y[i]);
}

/* Images and interpolated curve of one run folder; the interpolation may be missing (then the
 * images are joined by straight lines). */
static int run_profile(const char *outdir, const char *rundir, xy *img, xy *curve)
{
    char path[4096];
    gn_error e;
    sfmt(path, sizeof path, "%s%s%s/profile.tsv", outdir ? outdir : "", outdir ? "/" : "",
             rundir);
    if (read_profile(path, img, &e) != GN_OK)
        return -1;
    sfmt(path, sizeof path, "%s%s%s/profile_interp.tsv", outdir ? outdir : "",
             outdir ? "/" : "", rundir);
    if (read_profile(path, curve, &e) != GN_OK) {
        xy_free(curve);
        for (size_t i = 0; i < img->n; i++)
            if (xy_push(curve, img->x[i], img->y[i]) != 0)
                return -1;
    }
    return 0;
}

static void profile_axes(sbuf *gp, const char *title)
{
    sb_printf(gp, "set xlabel 'reaction coordinate (Å)'\nset ylabel 'energy relative to the "
                  "initial state (eV)'\nset title ");
    sb_quote(gp, title);
    sb_printf(gp, "\n");
}

static int figure_profiles(const char *outdir, const char *figdir, const gn_table *t,
                           const char *model, const char *process, gn_error *err, int *rc)
{
    sbuf data = {0}, gp = {0};
    char name[64], dataname[80], path[4096];
    sfmt(name, sizeof name, "profile-%s-%s", model, process);
    sfmt(dataname, sizeof dataname, "%s.tsv", name);
    int nblk = 0, several = table_has_several_potentials(t);
    sbuf items = {0};
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (strcmp(r->model, model) || strcmp(r->process, process) || !r->rundir[0] ||
            r->state == GN_ROW_COLLAPSED || r->state == GN_ROW_FAILED)
            continue;
        xy img = {0}, curve = {0};
        if (run_profile(outdir, r->rundir, &img, &curve) == 0 && img.n >= 2) {
            sb_printf(&data, "%s# %s images (s_A, energy_eV)\n", nblk ? "\n\n" : "", r->rundir);
            sb_xy(&data, &img);
            sb_printf(&data, "\n\n# %s interpolation (s_A, energy_eV)\n", r->rundir);
            sb_xy(&data, &curve);
            char title[300];
            if (several)
                sfmt(title, sizeof title, "d = %.2f Å, %s", r->gap, pot_label(r->potential));
            else
                sfmt(title, sizeof title, "d = %.2f Å%s", r->gap,
                         r->state == GN_ROW_OK ? "" : " (not converged)");
            int color = nblk / 2 + 1;
            sb_printf(&items, "%s \\\n    '%s' index %d using 1:2 with lines lw 2 lc %d title ",
                      nblk ? "," : "", dataname, nblk + 1, color);
            sb_quote(&items, title);
            sb_printf(&items, ", \\\n    '%s' index %d using 1:2 with points pt 7 lc %d notitle",
                      dataname, nblk, color);
            nblk += 2;
        }
        xy_free(&img);
        xy_free(&curve);
    }
    if (!nblk || items.oom) {
        free(data.s);
        free(items.s);
        return 0;
    }
    sfmt(path, sizeof path, "%s/%s", figdir, dataname);
    if ((*rc = sb_write(&data, path, err)) != GN_OK) {
        free(items.s);
        return 0;
    }
    char what[128];
    sfmt(what, sizeof what, "MEP energy profiles, %s %s, one curve per gap", model, process);
    sb_script_head(&gp, name, what, dataname);
    sfmt(what, sizeof what, "Minimum-energy paths: %s, %s", model, process);
    profile_axes(&gp, what);
    sb_script_loop_open(&gp, name);
    sb_printf(&gp, "  plot%s", items.s);
    free(items.s);
    sb_script_loop_close(&gp);
    sfmt(path, sizeof path, "%s/%s.gp", figdir, name);
    *rc = sb_write(&gp, path, err);
    return *rc == GN_OK;
}

/* ---- drawing ---- */

static int run_gnuplot(const char *dir, const char *script, const char *gp, const char *tmp)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(127);
        char arg[64];
        sfmt(arg, sizeof arg, "tmp='%s'", tmp);
        execl(gp, gp, "-e", arg, script, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int gn_report_draw(const char *script, const char *gnuplot, gn_error *err)
{
    char gp[4096];
    if (!find_gnuplot(gnuplot, gp, sizeof gp))
        return gn_error_set(err, GN_EEXTERNAL, "gnuplot not found (install gnuplot or set "
                                               "GNUPLOT); draw later with: gnuplot %s", script);
    char dir[4096], base[1024];
    const char *slash = strrchr(script, '/');
    sfmt(dir, sizeof dir, "%.*s", slash ? (int)(slash - script) : 1, slash ? script : ".");
    sfmt(base, sizeof base, "%s", slash ? slash + 1 : script);
    char *dot = strrchr(base, '.');
    if (dot && !strcmp(dot, ".gp"))
        *dot = '\0';
    char tmp[32];
    sfmt(tmp, sizeof tmp, ".tmp%ld", (long)getpid());
    int status = run_gnuplot(dir, slash ? slash + 1 : script, gp, tmp);
    int rc = GN_OK;
    static const char *const fmts[] = {"png", "svg"};
    for (int k = 0; k < 2; k++) {
        char from[6000], to[6000];
        sfmt(from, sizeof from, "%s/%s.%s%s", dir, base, fmts[k], tmp);
        sfmt(to, sizeof to, "%s/%s.%s", dir, base, fmts[k]);
        if (status != 0) {
            unlink(from);
        } else if (rename(from, to) != 0 && rc == GN_OK) {
            rc = gn_error_set(err, GN_EIO, "%s: gnuplot wrote no figure (%s)", to,
                              strerror(errno));
        }
    }
    if (status != 0)
        return gn_error_set(err, GN_EEXTERNAL, "%s: gnuplot failed (exit status %d)", script,
                            status);
    return rc;
}

static int add_script(char ***list, size_t *n, const char *path)
{
    char **nl = realloc(*list, (*n + 1) * sizeof *nl);
    if (!nl)
        return -1;
    *list = nl;
    nl[*n] = strdup(path);
    if (!nl[*n])
        return -1;
    (*n)++;
    return 0;
}

static void draw_all(char **scripts, size_t n, const char *gnuplot, const char *figdir,
                     gn_figure_status *st)
{
    char gp[4096];
    st->gnuplot = find_gnuplot(gnuplot, gp, sizeof gp);
    if (!st->gnuplot) {
        sfmt(st->note, sizeof st->note,
                 "gnuplot not found: figure data and scripts are in %s; draw them with "
                 "'cd %s && for f in *.gp; do gnuplot \"$f\"; done'",
                 figdir, figdir);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        gn_error e;
        if (gn_report_draw(scripts[i], gp, &e) == GN_OK)
            st->drawn++;
        else if (!st->note[0])
            sfmt(st->note, sizeof st->note, "%s", e.msg);
    }
}

static int model_seen_before(const gn_table *t, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (!strcmp(t->rows[j].model, t->rows[i].model))
            return 1;
    return 0;
}

static int pair_seen_before(const gn_table *t, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (!strcmp(t->rows[j].model, t->rows[i].model) &&
            !strcmp(t->rows[j].process, t->rows[i].process))
            return 1;
    return 0;
}

int gn_report_figures(const char *outdir, const gn_table *t, const gn_reference *ref,
                      const char *gnuplot, gn_figure_status *st, gn_error *err)
{
    memset(st, 0, sizeof *st);
    char figdir[4096];
    sfmt(figdir, sizeof figdir, "%s/figures", outdir);
    int rc = gn_mkdir_p(figdir, err);
    char **scripts = NULL;
    size_t ns = 0;
    char path[4200];
    for (size_t i = 0; rc == GN_OK && i < t->n; i++) {
        const char *model = t->rows[i].model;
        if (!model_seen_before(t, i)) {
            for (int rate = 0; rate < 2 && rc == GN_OK; rate++)
                if (figure_vs_gap(figdir, t, model, ref, rate, err, &rc)) {
                    sfmt(path, sizeof path, "%s/%s-%s.gp", figdir,
                             rate ? "rate" : "barrier", model);
                    if (add_script(&scripts, &ns, path) != 0)
                        rc = gn_error_set(err, GN_ENOMEM, "out of memory");
                }
        }
        if (rc == GN_OK && !pair_seen_before(t, i) &&
            figure_profiles(outdir, figdir, t, model, t->rows[i].process, err, &rc)) {
            sfmt(path, sizeof path, "%s/profile-%s-%s.gp", figdir, model,
                     t->rows[i].process);
            if (add_script(&scripts, &ns, path) != 0)
                rc = gn_error_set(err, GN_ENOMEM, "out of memory");
        }
    }
    st->scripts = (int)ns;
    if (rc == GN_OK)
        draw_all(scripts, ns, gnuplot, figdir, st);
    for (size_t i = 0; i < ns; i++)
        free(scripts[i]);
    free(scripts);
    return rc;
}

int gn_report_run_figure(const char *rundir, const char *gnuplot, gn_figure_status *st,
                         gn_error *err)
{
    memset(st, 0, sizeof *st);
    xy img = {0}, curve = {0};
    if (run_profile(NULL, rundir, &img, &curve) != 0) {
        xy_free(&img);
        xy_free(&curve);
        return gn_error_set(err, GN_EINVAL, "%s: no readable profile.tsv (not an NEB run "
                                            "folder?)", rundir);
    }
    sbuf data = {0}, gp = {0};
    sb_printf(&data, "# images (s_A, energy_eV)\n");
    sb_xy(&data, &img);
    sb_printf(&data, "\n\n# interpolation (s_A, energy_eV)\n");
    sb_xy(&data, &curve);
    xy_free(&img);
    xy_free(&curve);
    char path[4200];
    sfmt(path, sizeof path, "%s/profile-figure.tsv", rundir);
    int rc = sb_write(&data, path, err);
    if (rc != GN_OK)
        return rc;
    sb_script_head(&gp, "profile", "MEP energy profile of one NEB run", "profile-figure.tsv");
    profile_axes(&gp, "Minimum-energy path");
    sb_script_loop_open(&gp, "profile");
    sb_printf(&gp, "  plot 'profile-figure.tsv' index 1 using 1:2 with lines lw 2 lc 1 title "
                   "'Hermite interpolation', \\\n    'profile-figure.tsv' index 0 using 1:2 "
                   "with points pt 7 lc 1 title 'images'");
    sb_script_loop_close(&gp);
    sfmt(path, sizeof path, "%s/profile.gp", rundir);
    if ((rc = sb_write(&gp, path, err)) != GN_OK)
        return rc;
    st->scripts = 1;
    char *one = path;
    draw_all(&one, 1, gnuplot, rundir, st);
    return GN_OK;
}
