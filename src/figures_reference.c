/* gapneb: the comparison figure, the table's barriers beside the published values (see
 * figures_internal.h). Units: barriers eV. */
#include "figures_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/fileio.h"
#include "gnuplot_internal.h"

#define MAX_GROUPS 64
#define MAX_POTS 16

typedef struct group {
    gn_model_kind model;
    gn_process process;
    double x0, x1; /* first and last bar */
    int npub;
} group;

typedef struct fig {
    const gn_table *t;
    const gn_reference *ref;
    gn_ref_comparison c;
    group g[MAX_GROUPS];
    int ng;
    const char *pot[MAX_POTS]; /* potentials in table order */
    int npot;
    double ymax;
} fig;

static int group_of(const fig *f, gn_model_kind m, gn_process p)
{
    for (int k = 0; k < f->ng; k++)
        if (f->g[k].model == m && f->g[k].process == p)
            return k;
    return -1;
}

static void add_group(fig *f, gn_model_kind m, gn_process p)
{
    if (group_of(f, m, p) < 0 && f->ng < MAX_GROUPS)
        f->g[f->ng++] = (group){.model = m, .process = p};
}

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->model != y->model)
        return (int)x->model - (int)y->model;
    return (int)x->process - (int)y->process;
}

static int pot_index(fig *f, const char *pot)
{
    for (int k = 0; k < f->npot; k++)
        if (!strcmp(f->pot[k], pot))
            return k;
    if (f->npot == MAX_POTS)
        return -1;
    f->pot[f->npot] = pot;
    return f->npot++;
}

/* 1 if table row i is drawn in its group: a terrace row, or a row compared with a value. */
static int row_drawn(const fig *f, size_t i)
{
    const gn_table_row *r = &f->t->rows[i];
    if (r->state != GN_ROW_OK || !isfinite(gn_row_barrier(r)))
        return 0;
    if (!gn_model_has_gap(r->model))
        return 1;
    for (size_t k = 0; k < f->c.n; k++)
        if (f->c.m[k].row == (long)i)
            return 1;
    return 0;
}

/* 1 if reference row j is compared with a row of group k. */
static int pub_in_group(const fig *f, size_t j, const group *g)
{
    for (size_t k = 0; k < f->c.n; k++) {
        const gn_ref_match *m = &f->c.m[k];
        if (m->ref == j && m->row >= 0 && f->t->rows[m->row].model == g->model &&
            f->t->rows[m->row].process == g->process)
            return 1;
    }
    return 0;
}

static void find_groups(fig *f)
{
    for (size_t k = 0; k < f->c.n; k++)
        if (f->c.m[k].row >= 0)
            add_group(f, f->t->rows[f->c.m[k].row].model, f->t->rows[f->c.m[k].row].process);
    for (size_t i = 0; i < f->t->n; i++)
        if (!gn_model_has_gap(f->t->rows[i].model) && row_drawn(f, i))
            add_group(f, f->t->rows[i].model, f->t->rows[i].process);
    qsort(f->g, (size_t)f->ng, sizeof *f->g, cmp_group);
    double top = 0;
    for (size_t j = 0; j < f->ref->n; j++)
        for (int k = 0; k < f->ng; k++)
            if (pub_in_group(f, j, &f->g[k]))
                top = fmax(top, f->ref->rows[j].barrier);
    /* the published values set the scale; taller bars are cut at the top, their value printed */
    f->ymax = fmax(1.0, ceil(13.0 * top) / 10.0);
}

static double clip(const fig *f, double v) { return fmin(fmax(v, 0.0), f->ymax); }

static void bar_label(const fig *f, char *buf, size_t cap, double v)
{
    snprintf(buf, cap, "%.2f%s", v, v > f->ymax ? "↑" : "");
}

static void quoted(gn_strbuf *b, const char *s)
{
    gn_strbuf_printf(b, "\"");
    for (; *s; s++)
        gn_strbuf_printf(b, "%c", *s == '"' ? '\'' : *s);
    gn_strbuf_printf(b, "\"");
}

/* Data: one block per potential (x, bar height, barrier, label), then one of published values
 * (x, bar height, value, label). Positions: the groups' bars one unit apart, groups 1.5 apart. */
static void figure_data(fig *f, gn_strbuf *d)
{
    double x = 0;
    for (int k = 0; k < f->ng; k++) {
        group *g = &f->g[k];
        g->x0 = x;
        for (size_t i = 0; i < f->t->n; i++)
            if (f->t->rows[i].model == g->model && f->t->rows[i].process == g->process &&
                row_drawn(f, i) && pot_index(f, f->t->rows[i].potential) >= 0)
                x += 1;
        for (size_t j = 0; j < f->ref->n; j++)
            if (pub_in_group(f, j, g)) {
                g->npub++;
                x += 1;
            }
        g->x1 = x - 1;
        x += 0.5;
    }
    char label[96], gap[32];
    for (int p = 0; p < f->npot; p++) {
        gn_strbuf_printf(d, "%s# gapneb, %s\n# x\tbar_eV\tbarrier_fwd_eV\tlabel\n",
                         p ? "\n\n" : "", f->pot[p]);
        for (int k = 0; k < f->ng; k++) {
            x = f->g[k].x0;
            for (size_t i = 0; i < f->t->n; i++) {
                const gn_table_row *r = &f->t->rows[i];
                if (r->model != f->g[k].model || r->process != f->g[k].process ||
                    !row_drawn(f, i))
                    continue;
                if (!strcmp(r->potential, f->pot[p])) {
                    bar_label(f, label, sizeof label, gn_row_barrier(r));
                    if (gn_row_unverified_reason(r)) /* --modes: not a first-order saddle */
                        gn_fmt_trunc(label + strlen(label), sizeof label - strlen(label), "?");
                    gap[0] = '\0';
                    if (isfinite(r->gap))
                        snprintf(gap, sizeof gap, " d=%.1f", r->gap);
                    gn_strbuf_printf(d, "%.2f\t%.6f\t%.6f\t", x, clip(f, gn_row_barrier(r)),
                                     gn_row_barrier(r));
                    gn_fmt_trunc(label + strlen(label), sizeof label - strlen(label), "%s", gap);
                    quoted(d, label);
                    gn_strbuf_printf(d, "\n");
                }
                x += 1;
            }
        }
    }
    gn_strbuf_printf(d, "\n\n# published values\n# x\tbar_eV\tbarrier_eV\tlabel\n");
    for (int k = 0; k < f->ng; k++) {
        x = f->g[k].x1 - f->g[k].npub + 1;
        for (size_t j = 0; j < f->ref->n; j++) {
            if (!pub_in_group(f, j, &f->g[k]))
                continue;
            const gn_ref_row *q = &f->ref->rows[j];
            char shortl[64];
            gn_ref_short_label(q, shortl, sizeof shortl);
            gn_fmt_trunc(label, sizeof label, "%.2f %s, %s", q->barrier,
                         q->method[0] ? q->method : "published", shortl);
            gn_strbuf_printf(d, "%.2f\t%.6f\t%.6f\t", x, clip(f, q->barrier), q->barrier);
            quoted(d, label);
            gn_strbuf_printf(d, "\n");
            x += 1;
        }
    }
}

static void group_tics(const fig *f, gn_strbuf *gp)
{
    for (int k = 1; k < f->ng; k++) /* a dotted line between groups */
        gn_strbuf_printf(gp, "set arrow from %.2f, graph 0 to %.2f, graph 1 nohead dt 3 lc rgb "
                             "'gray60'\n", f->g[k].x0 - 0.75, f->g[k].x0 - 0.75);
    gn_strbuf_printf(gp, "set xtics (");
    for (int k = 0; k < f->ng; k++) {
        const group *g = &f->g[k];
        char label[160], dir[GN_REF_WORD_MAX];
        gn_process_direction(g->model, g->process, dir, sizeof dir);
        gn_fmt_trunc(label, sizeof label, "%s %s\\n%s%s", gn_model_kind_name(g->model),
                     gn_process_name(g->process), dir,
                     g->npub ? "" : "\\n(no published value)");
        gn_strbuf_printf(gp, "%s\"%s\" %.2f", k ? ", " : "", label, 0.5 * (g->x0 + g->x1));
    }
    gn_strbuf_printf(gp, ")\n");
}

static void figure_script(const fig *f, gn_strbuf *gp)
{
    double xmax = f->ng ? f->g[f->ng - 1].x1 : 0;
    gn_gp_head(gp, "reference", "adatom barriers of each potential beside the published values "
                                "(one group per model and process)", "reference.tsv");
    gn_strbuf_printf(gp, "set offsets 0, 0, 0, 0\nset xrange [-0.8:%.2f]\nset yrange [0:%.2f]\n"
                         "set grid noxtics ytics\nset xtics nomirror scale 0\n"
                         "set ylabel 'barrier (eV)'\nset title 'Pt adatom barriers: gapneb "
                         "(forward barrier of each row) beside published values'\n"
                         "set key outside top center horizontal box\nset bmargin 5\nset boxwidth 0.8\n",
                     xmax + 0.8, f->ymax);
    group_tics(f, gp);
    gn_gp_loop_open_size(gp, "reference", 1200, 680);
    gn_strbuf_printf(gp, "  plot");
    for (int p = 0; p < f->npot; p++) {
        const char *base = strrchr(f->pot[p], '/');
        gn_strbuf_printf(gp, "%s \\\n    'reference.tsv' index %d using 1:2 with boxes fs solid "
                             "0.8 border rgb 'black' lc %d title ", p ? "," : "", p, p + 1);
        gn_gp_quote(gp, base ? base + 1 : f->pot[p]);
        /* a cut bar has its value inside its top */
        gn_strbuf_printf(gp, ", \\\n    'reference.tsv' index %d using 1:($3 > %.2f ? %.3f : $2):4 "
                             "with labels offset 0,0.7 font ',9' notitle", p, f->ymax,
                         0.93 * f->ymax);
    }
    gn_strbuf_printf(gp, "%s \\\n    'reference.tsv' index %d using 1:2 with boxes fs solid 0.25 "
                         "border rgb 'black' lc rgb 'gray40' title 'published (method, source)', "
                         "\\\n    'reference.tsv' index %d using 1:(0.01):4 with labels rotate by "
                         "90 left font ',9' notitle",
                     f->npot ? "," : "", f->npot, f->npot);
    for (size_t i = 0; i < f->t->n; i++)
        if (row_drawn(f, i) && gn_row_unverified_reason(&f->t->rows[i])) {
            gn_strbuf_printf(gp, ", \\\n    NaN with points lc rgb 'white' title '?: not a "
                                 "first-order saddle over two minima (--modes)'");
            break;
        }
    gn_gp_loop_close(gp);
}

int gn_figure_reference(const char *figdir, const gn_table *t, const gn_reference *ref,
                        int *written, gn_error *err)
{
    *written = 0;
    fig *f = calloc(1, sizeof *f);
    if (!f)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    f->t = t;
    f->ref = ref;
    int rc = gn_reference_compare(ref, t, &f->c, err);
    if (rc == GN_OK)
        find_groups(f);
    gn_strbuf data = {0}, gp = {0};
    char path[4200];
    if (rc == GN_OK && f->ng) {
        figure_data(f, &data);
        figure_script(f, &gp);
        if (!(rc = gn_path_join(path, sizeof path, figdir, "reference.tsv", err)) &&
            !(rc = gn_gp_write(&data, path, err)) &&
            !(rc = gn_path_join(path, sizeof path, figdir, "reference.gp", err)))
            rc = gn_gp_write(&gp, path, err);
        *written = rc == GN_OK;
    }
    gn_strbuf_clear(&data);
    gn_strbuf_clear(&gp);
    gn_ref_comparison_clear(&f->c);
    free(f);
    return rc;
}
