/* gapneb: the aligned table on stdout and the crossover lines (see report.h).
 * Units: gaps Å, energies eV, time s, THz, 1/s, K. */
#include "gapneb/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/crossover.h"
#include "gapneb/reference.h"
#include "strbuf_internal.h"

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
        gn_fmt_trunc(buf, CELL, fmt, v);
    else
        gn_fmt_trunc(buf, CELL, "-");
}

static void grid_row(grid *g, size_t i, const gn_table_row *r, int pot, int ref, int modes)
{
    char (*c)[CELL] = g->cell[i];
    int k = 0;
    gn_fmt_trunc(c[k++], CELL, "%s", gn_model_kind_name(r->model));
    gn_fmt_trunc(c[k++], CELL, "%s", gn_row_process_name(r));
    fmt_num(c[k++], "%.2f", r->gap);
    if (pot)
        gn_fmt_trunc(c[k++], CELL, "%.*s", CELL - 1, r->potential);
    fmt_num(c[k++], "%.4f", r->barrier_fwd);
    fmt_num(c[k++], "%.4f", r->barrier_rev);
    fmt_num(c[k++], "%.4f", r->reaction_energy);
    fmt_num(c[k++], "%.4f", r->interp_max);
    fmt_num(c[k++], "%.3f", r->e_ads_initial);
    fmt_num(c[k++], "%.3f", r->e_ads_final);
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
    g->ncols = k;
}

void gn_report_print(FILE *fp, const gn_table *t)
{
    int pot = gn_table_several_potentials(t), ref = 0, modes = 0;
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
        gn_fmt_trunc(g.cell[0][k++], CELL, "%s", head[h]);
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
            fprintf(fp, "# %s %s %.2f Å %s: %s: %s\n", gn_model_kind_name(t->rows[i].model),
                    gn_row_process_name(&t->rows[i]),
                    t->rows[i].gap, t->rows[i].potential, gn_row_state_name(t->rows[i].state),
                    t->rows[i].reason[0] ? t->rows[i].reason : "no reason recorded");
    if (t->nreused)
        fprintf(fp, "# * taken over from an earlier run with identical settings (--resume)\n");
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
