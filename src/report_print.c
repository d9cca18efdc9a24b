/* gapneb: the aligned table on stdout and the crossover lines (see report.h).
 * Units: gaps Å, energies eV, time s, THz, 1/s, K. */
#include "gapneb/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/crossover.h"
#include "gapneb/mechanism.h"
#include "gapneb/reference.h"
#include "strbuf_internal.h"

#define PCOLS 28 /* at most 26 columns: 17 always, potential, 2 reference, 5 modes, 2 search */
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
        gn_fmt_trunc(buf, CELL, fmt, v);
    else
        gn_fmt_trunc(buf, CELL, "-");
}

/* A terrace has no gap: inf (the wide-gap limit), never "-" (unknown). */
static void fmt_gap(char *buf, double gap)
{
    if (isinf(gap))
        gn_fmt_trunc(buf, CELL, "inf");
    else
        fmt_num(buf, "%.2f", gap);
}

/* Width in characters, counting UTF-8 continuation bytes as nothing (Å). */
static size_t text_width(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return n;
}

/* Prints the grid in aligned columns, columns whose bit is set in left left-aligned, the others
 * right-aligned; prefix starts every line. */
static void grid_print(FILE *fp, const grid *g, int ncols, unsigned left, const char *prefix)
{
    size_t w[PCOLS] = {0};
    for (size_t i = 0; i < g->nrows; i++)
        for (int c = 0; c < ncols; c++)
            if (text_width(g->cell[i][c]) > w[c])
                w[c] = text_width(g->cell[i][c]);
    for (size_t i = 0; i < g->nrows; i++) {
        fputs(prefix, fp);
        for (int c = 0; c < ncols; c++) {
            size_t n = text_width(g->cell[i][c]);
            int l = (left >> c) & 1u;
            if (!l)
                fprintf(fp, "%*s", (int)(w[c] - n), "");
            fputs(g->cell[i][c], fp);
            if (l && c + 1 < ncols)
                fprintf(fp, "%*s", (int)(w[c] - n), "");
            if (c + 1 < ncols)
                fputs("  ", fp);
        }
        fputc('\n', fp);
    }
}

static void grid_row(grid *g, size_t i, const gn_table_row *r, int pot, int ref, int modes,
                     int search)
{
    char (*c)[CELL] = g->cell[i];
    int k = 0;
    gn_fmt_trunc(c[k++], CELL, "%s", gn_model_kind_name(r->model));
    gn_fmt_trunc(c[k++], CELL, "%s", gn_row_process_name(r));
    fmt_gap(c[k++], r->gap);
    if (pot)
        gn_fmt_trunc(c[k++], CELL, "%.*s", CELL - 1, r->potential);
    fmt_num(c[k++], "%.4f", gn_row_barrier(r));
    fmt_num(c[k++], "%.4f", r->barrier_fwd);
    fmt_num(c[k++], "%.4f", r->barrier_rev);
    fmt_num(c[k++], "%.4f", r->reaction_energy);
    fmt_num(c[k++], "%.4f", r->interp_max);
    fmt_num(c[k++], "%.3f", r->e_ads_initial);
    fmt_num(c[k++], "%.3f", r->e_ads_final);
    if (r->nsteps > 0)
        gn_fmt_trunc(c[k++], CELL, "%d", r->nsteps);
    else
        gn_fmt_trunc(c[k++], CELL, "-");
    gn_row_orders_text(r, c[k], CELL);
    if (!c[k++][0])
        gn_fmt_trunc(c[k - 1], CELL, "-");
    gn_fmt_trunc(c[k++], CELL, "%s%s", gn_row_state_name(r->state), r->reused ? "*" : "");
    gn_fmt_trunc(c[k++], CELL, "%d", r->iterations);
    gn_fmt_trunc(c[k++], CELL, "%lu", r->force_calls);
    fmt_num(c[k++], "%.1f", r->wall_time);
    if (ref) {
        fmt_num(c[k++], "%.3f", r->has_ref ? r->ref_barrier : NAN);
        fmt_num(c[k++], "%+.3f", gn_row_deviation(r));
    }
    if (modes) {
        gn_fmt_trunc(c[k++], CELL, "%s", !r->has_modes ? "-" : r->saddle_verified ? "yes" : "no");
        if (r->has_modes)
            gn_fmt_trunc(c[k++], CELL, "%d", r->n_negative);
        else
            gn_fmt_trunc(c[k++], CELL, "-");
        fmt_num(c[k++], "%.3f", r->has_modes ? r->imag_freq_thz : NAN);
        fmt_num(c[k++], "%.3g", r->has_modes ? r->prefactor_thz : NAN);
        fmt_num(c[k++], "%.3g", r->has_modes ? r->rate : NAN);
    }
    if (search) {
        /* a '<' marks a searched barrier more than 1 meV below the named process's */
        int lower = r->has_search && r->search_barrier < r->barrier_fwd - 1e-3;
        if (r->has_search && isfinite(r->search_barrier))
            gn_fmt_trunc(c[k++], CELL, "%s%.4f", lower ? "<" : "", r->search_barrier);
        else
            gn_fmt_trunc(c[k++], CELL, "%s", r->has_search ? "none" : "-");
        gn_fmt_trunc(c[k++], CELL, "%s", r->has_search && r->search_moved[0] ? r->search_moved
                                                                               : "-");
    }
    g->ncols = k;
}

/* The elementary steps of every row with more than one: minima, saddle, barriers, order. */
static void print_steps(FILE *fp, const gn_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (r->nsteps < 2)
            continue;
        fprintf(fp, "# %s %s %.2f Å %s: %d elementary steps (Ea_fwd: step 1, Ea_rev: step %d, "
                    "Ea_eff: the highest saddle, step %d)\n", gn_model_kind_name(r->model),
                gn_process_name(r->process), r->gap, r->potential, r->nsteps, r->nsteps,
                r->rate_step);
        for (int k = 0; k < r->nsteps && k < GN_ROW_MAX_STEPS; k++) {
            const gn_row_step *st = &r->steps[k];
            char from[16], to[16], order[16], nu[48] = "";
            snprintf(from, sizeof from, k ? "M%d" : "IS", k);
            snprintf(to, sizeof to, k + 1 < r->nsteps ? "M%d" : "FS", k + 1);
            if (st->saddle_order >= 0)
                snprintf(order, sizeof order, "%d", st->saddle_order);
            else
                snprintf(order, sizeof order, "not checked");
            if (isfinite(st->imag_freq_thz))
                snprintf(nu, sizeof nu, ", nu_imag %.3f THz", st->imag_freq_thz);
            fprintf(fp, "#   %d %-2s -> %-2s  E %.4f -> %.4f eV  ", k + 1, from, to, st->e_from,
                    st->e_to);
            if (st->saddle_order == 0) /* never printed as a barrier */
                fprintf(fp, "climbing image is a minimum (order 0): no barrier\n");
            else
                fprintf(fp, "saddle %.4f eV (order %s%s)  Ea %.4f / %.4f eV\n", st->e_saddle,
                        order, nu, st->barrier_fwd, st->barrier_rev);
        }
    }
}

void gn_report_print(FILE *fp, const gn_table *t)
{
    int pot = gn_table_several_potentials(t), ref = 0, modes = 0, search = 0;
    for (size_t i = 0; i < t->n; i++) {
        ref |= t->rows[i].has_ref;
        modes |= t->rows[i].has_modes;
        search |= t->rows[i].has_search;
    }
    grid g = {.nrows = t->n + 1};
    g.cell = calloc(g.nrows, sizeof *g.cell);
    if (!g.cell)
        return;
    /* each heading with its group: 0 always, 1 several potentials, 2 reference, 3 modes,
     * 4 search */
    static const struct {
        const char *text;
        int group;
    } head[] = {{"model", 0},       {"process", 0},     {"gap/Å", 0},       {"potential", 1},
                {"Ea_eff/eV", 0},   {"Ea_fwd/eV", 0},   {"Ea_rev/eV", 0},   {"dE/eV", 0},
                {"Emax_int/eV", 0}, {"Eads_i/eV", 0},   {"Eads_f/eV", 0},   {"steps", 0},
                {"order", 0},       {"state", 0},       {"iter", 0},        {"calls", 0},
                {"time/s", 0},      {"ref/eV", 2},      {"dev/eV", 2},      {"saddle", 3},
                {"n_neg", 3},       {"nu_imag/THz", 3}, {"nu*/THz", 3},     {"rate/s^-1", 3},
                {"lowest_by_search/eV", 4},             {"moved", 4}};
    const int shown[5] = {1, pot, ref, modes, search};
    int k = 0;
    for (int h = 0; h < (int)(sizeof head / sizeof head[0]) && k < PCOLS; h++)
        if (shown[head[h].group])
            gn_fmt_trunc(g.cell[0][k++], CELL, "%s", head[h].text);
    for (size_t i = 0; i < t->n; i++)
        grid_row(&g, i + 1, &t->rows[i], pot, ref, modes, search);
    grid_print(fp, &g, k, pot ? 0xBu : 0x3u, "");
    free(g.cell);
    print_steps(fp, t);
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].state != GN_ROW_OK)
            fprintf(fp, "# %s %s %.2f Å %s: %s: %s\n", gn_model_kind_name(t->rows[i].model),
                    gn_row_process_name(&t->rows[i]),
                    t->rows[i].gap, t->rows[i].potential, gn_row_state_name(t->rows[i].state),
                    t->rows[i].reason[0] ? t->rows[i].reason : "no reason recorded");
    if (search)
        fprintf(fp, "# lowest_by_search: the lowest barrier that dimer searches from the row's "
                    "initial state found (gapneb search; moved: its atoms that move more than "
                    "0.5 Å, from 0); '<' marks one more than 1 meV below Ea_fwd: another process "
                    "leaves the initial state more easily than the named one\n");
    if (t->nreused)
        fprintf(fp, "# * taken over from an earlier run with identical settings (--resume)\n");
    gn_report_print_mechanisms(fp, t);
    if (t->reference)
        gn_report_print_reference(fp, t);
}

static int several_processes(const gn_mechanisms *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (gn_mechanisms_informative(m, i))
            return 1;
    return 0;
}

static void lowest_cells(char (*c)[CELL], int *k, const gn_lowest *l)
{
    if (l->nrows == 0) {
        gn_fmt_trunc(c[(*k)++], CELL, "-");
        gn_fmt_trunc(c[(*k)++], CELL, "-");
        return;
    }
    fmt_num(c[(*k)++], "%.4f", l->barrier);
    gn_fmt_trunc(c[(*k)++], CELL, "%s%s", l->row ? gn_process_name(l->row->process) : "none",
                 gn_lowest_complete(l) ? "" : "*");
}

void gn_report_print_mechanisms(FILE *fp, const gn_table *t)
{
    gn_mechanisms m;
    gn_error e;
    if (gn_mechanisms_compute(t, &m, &e) != GN_OK)
        return;
    if (!several_processes(&m)) {
        gn_mechanisms_clear(&m);
        return;
    }
    int pot = gn_table_several_potentials(t), incomplete = 0;
    grid g = {.nrows = 1};
    g.cell = calloc(t->n + 1, sizeof *g.cell);
    if (!g.cell) {
        gn_mechanisms_clear(&m);
        return;
    }
    static const char *const head[] = {"model", "gap/Å", "potential", "within/eV", "mechanism",
                                       "across/eV", "mechanism"};
    int k = 0;
    for (int h = 0; h < 7; h++)
        if (h != 2 || pot)
            gn_fmt_trunc(g.cell[0][k++], CELL, "%s", head[h]);
    for (size_t i = 0; i < t->n; i++) {
        if (!m.first[i])
            continue;
        const gn_table_row *r = &t->rows[i];
        char (*c)[CELL] = g.cell[g.nrows++];
        k = 0;
        gn_fmt_trunc(c[k++], CELL, "%s", gn_model_kind_name(r->model));
        fmt_gap(c[k++], r->gap);
        if (pot)
            gn_fmt_trunc(c[k++], CELL, "%.*s", CELL - 1, r->potential);
        for (int route = 0; route < GN_ROUTE_COUNT; route++)
            lowest_cells(c, &k, &m.per_row[i][route]);
        incomplete |= m.note[i][0] != '\0';
    }
    fprintf(fp, "# lowest barrier for leaving the initial site: within the crystal (hop, "
                "exchange) and across the gap (transfer); first-order saddles of ok rows only\n");
    grid_print(fp, &g, k, pot ? 0x55u : 0x29u, "# ");
    for (size_t i = 0; incomplete && i < t->n; i++)
        if (m.first[i] && m.note[i][0]) {
            char gap[CELL];
            fmt_gap(gap, t->rows[i].gap);
            fprintf(fp, "# * %s %s Å %s: not counted: %s\n", gn_model_kind_name(t->rows[i].model),
                    gap, t->rows[i].potential, m.note[i]);
        }
    free(g.cell);
    gn_mechanisms_clear(&m);
}

static void print_crossover(void *ctx, const gn_crossover_info *info)
{
    FILE *fp = ctx;
    char line[2600];
    if (info->has_modes) {
        gn_crossover_rate_text(info, line, sizeof line);
        fprintf(fp, "# %s\n", line);
    }
    gn_crossover_barrier_text(info, line, sizeof line);
    fprintf(fp, "# %s\n", line);
}

void gn_report_print_crossovers(FILE *fp, const gn_table *t)
{
    gn_crossover_each(t, print_crossover, fp);
}

/* ---- the comparison with published values ---- */

static void reference_cells(char (*c)[CELL], int *k, const gn_ref_row *q, const gn_table_row *r,
                            const gn_ref_match *m, int pot)
{
    char label[64];
    gn_fmt_trunc(c[(*k)++], CELL, "%s", q->model);
    gn_fmt_trunc(c[(*k)++], CELL, "%s", q->process);
    gn_fmt_trunc(c[(*k)++], CELL, "%s", q->mechanism);
    gn_fmt_trunc(c[(*k)++], CELL, "%s", q->direction[0] ? q->direction : "-");
    fmt_gap(c[(*k)++], r->gap);
    if (pot)
        gn_fmt_trunc(c[(*k)++], CELL, "%.*s", CELL - 1, r->potential);
    fmt_num(c[(*k)++], "%.3f", q->barrier);
    if (isfinite(m->barrier))
        gn_fmt_trunc(c[(*k)++], CELL, "%.4f%s", m->barrier, m->reverse ? " (rev)" : "");
    else
        gn_fmt_trunc(c[(*k)++], CELL, "-");
    fmt_num(c[(*k)++], "%+.3f", m->deviation);
    gn_fmt_trunc(c[(*k)++], CELL, "%s", q->method[0] ? q->method : "-");
    gn_ref_short_label(q, label, sizeof label);
    gn_fmt_trunc(c[(*k)++], CELL, "%s", label);
}

static void print_not_compared(FILE *fp, const gn_reference *ref, const gn_ref_comparison *c,
                               const gn_table *t)
{
    char label[64], gap[CELL];
    for (size_t k = 0; k < c->n; k++) {
        const gn_ref_match *m = &c->m[k];
        const gn_ref_row *q = &ref->rows[m->ref];
        if (!m->reason[0])
            continue;
        gn_ref_short_label(q, label, sizeof label);
        if (m->row < 0) {
            fmt_gap(gap, q->gap);
            fprintf(fp, "# not compared: %s %s (%s) %.3f eV at gap %s, %s, %s: %s\n", q->model,
                    q->process, q->mechanism, q->barrier, gap, q->method[0] ? q->method : "-",
                    label, m->reason);
        } else {
            fprintf(fp, "# no deviation: %s %s %s vs %s: %s\n", q->model, q->process,
                    t->rows[m->row].potential, label, m->reason);
        }
    }
}

void gn_report_print_reference(FILE *fp, const gn_table *t)
{
    const gn_reference *ref = t->reference;
    gn_ref_comparison c;
    gn_error e;
    if (!ref || gn_reference_compare(ref, t, &c, &e) != GN_OK)
        return;
    int pot = gn_table_several_potentials(t);
    grid g = {.nrows = 1};
    g.cell = calloc(c.n + 1, sizeof *g.cell);
    static const char *const head[] = {"model", "process", "mechanism", "direction", "gap/Å",
                                       "potential", "published/eV", "gapneb/eV", "dev/eV",
                                       "method", "source"};
    int k = 0;
    for (int h = 0; g.cell && h < 11; h++)
        if (h != 5 || pot)
            gn_fmt_trunc(g.cell[0][k++], CELL, "%s", head[h]);
    for (size_t i = 0; g.cell && i < c.n; i++) {
        if (c.m[i].row < 0)
            continue;
        k = 0;
        reference_cells(g.cell[g.nrows++], &k, &ref->rows[c.m[i].ref], &t->rows[c.m[i].row],
                        &c.m[i], pot);
    }
    fprintf(fp, "# comparison with published values (%s): %zu of %zu compared; dev = gapneb - "
                "published; a value is compared only with rows of its model, process and "
                "mechanism (reference.tsv has every line and the full sources)\n",
            ref->path, c.nref_matched, ref->n);
    if (g.cell && g.nrows > 1)
        grid_print(fp, &g, k, pot ? 0x62Fu : 0x30Fu, "# ");
    print_not_compared(fp, ref, &c, t);
    free(g.cell);
    gn_ref_comparison_clear(&c);
}
