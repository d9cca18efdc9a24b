/* gapneb: what the table's figures show (see figures.h); scripts and drawing in gnuplot.c.
 * Units: gaps Å, energies eV, reaction coordinate Å, rates 1/s, temperatures K. */
#include "gapneb/figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/crossover.h"
#include "gapneb/fileio.h"
#include "gapneb/mechanism.h"
#include "gapneb/rundir.h"
#include "figures_internal.h"
#include "gnuplot_internal.h"

#define MAX_SERIES 64

/* Processes are compared by name: custom processes read back from a file share one enum
 * value. */
static int same_process(const gn_table_row *a, const gn_table_row *b)
{
    return !strcmp(gn_row_process_name(a), gn_row_process_name(b));
}

static int same_series(const gn_table_row *a, const gn_table_row *b)
{
    return same_process(a, b) && !strcmp(a->potential, b->potential);
}

/* Base name of a potential for titles (a file path shows only its last component). */
static const char *pot_label(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Series of one model: the first row index of each (process, potential) in table order. */
static size_t model_series(const gn_table *t, gn_model_kind model, size_t *first, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n && n < max; i++) {
        if (t->rows[i].model != model)
            continue;
        int seen = 0;
        for (size_t k = 0; k < n; k++)
            seen |= same_series(&t->rows[first[k]], &t->rows[i]);
        if (!seen)
            first[n++] = i;
    }
    return n;
}

static void series_title(gn_strbuf *b, const gn_table *t, const gn_table_row *r)
{
    char title[300];
    if (gn_table_several_potentials(t))
        gn_fmt_trunc(title, sizeof title, "%s, %s", gn_row_process_name(r),
                     pot_label(r->potential));
    else
        snprintf(title, sizeof title, "%s", gn_row_process_name(r));
    gn_gp_quote(b, title);
}

/* Value of row r plotted in a figure: the (effective) barrier (rate = 0) or the forward rate
 * (rate = 1). open = 0: ok rows (filled markers); open = 1: rows whose saddle is not
 * first-order (open markers: the energy of a higher-order saddle, an upper bound). A climbing
 * image that is a minimum has no barrier (NaN) and is never drawn. */
static double fig_value_as(const gn_table_row *r, int rate, int open)
{
    if (r->state != (open ? GN_ROW_NOT_FIRST_ORDER : GN_ROW_OK))
        return NAN;
    if (rate)
        return r->has_modes && r->rate > 0 ? r->rate : NAN;
    return gn_row_barrier(r);
}

static double fig_value(const gn_table_row *r, int rate)
{
    double v = fig_value_as(r, rate, 0);
    return isfinite(v) ? v : fig_value_as(r, rate, 1);
}

/* The x value of a row: the nominal gap, or the relaxed one (gap_axis relaxed). */
static double fig_gap(const gn_table_row *r, int relaxed)
{
    return relaxed ? r->gap_relaxed : r->gap;
}

static int ref_of_model(const gn_ref_row *q, gn_model_kind model)
{
    return !strcmp(q->model, gn_model_kind_name(model));
}

/* gnuplot cannot autoscale a range of zero width (one gap, or one value): it warns and picks
 * +-1 %. A range is given instead: +-0.5 Å, and +-10 % (a decade for rates). */
static void degenerate_ranges(gn_strbuf *gp, const gn_table *t, gn_model_kind model, int rate,
                              const gn_reference *ref, int relaxed)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < t->n; i++) {
        double y = fig_value(&t->rows[i], rate), x = fig_gap(&t->rows[i], relaxed);
        if (t->rows[i].model != model || !isfinite(y) || !isfinite(x))
            continue;
        x0 = fmin(x0, x);
        x1 = fmax(x1, x);
        y0 = fmin(y0, y);
        y1 = fmax(y1, y);
    }
    for (size_t j = 0; !rate && ref && j < ref->n; j++)
        if (ref_of_model(&ref->rows[j], model)) { /* reference values widen the range */
            y0 = fmin(y0, ref->rows[j].barrier);
            y1 = fmax(y1, ref->rows[j].barrier);
            if (isfinite(ref->rows[j].gap)) {
                x0 = fmin(x0, ref->rows[j].gap);
                x1 = fmax(x1, ref->rows[j].gap);
            }
        }
    if (x0 == x1)
        gn_strbuf_printf(gp, "set xrange [%.6f:%.6f]\n", x0 - 0.5, x1 + 0.5);
    if (y0 == y1 && rate)
        gn_strbuf_printf(gp, "set yrange [%.6g:%.6g]\n", y0 / 10, y1 * 10);
    else if (y0 == y1)
        gn_strbuf_printf(gp, "set yrange [%.6g:%.6g]\n", y0 - 0.1 * fabs(y0) - 0.01,
                         y1 + 0.1 * fabs(y1) + 0.01);
}

/* The data blocks of a barrier or rate figure, one per series and kind (ok rows; open: rows
 * not first-order); used[2 s + open] receives the block number + 1 (0: no point). Returns the
 * number of blocks. */
static int vs_gap_data(gn_strbuf *data, const gn_table *t, gn_model_kind model,
                       const size_t *first, size_t ns, int rate, int relaxed, int *used)
{
    int nblocks = 0;
    for (size_t s = 0; s < 2 * ns; s++) {
        int npts = 0, open = (int)(s % 2);
        for (size_t i = 0; i < t->n; i++) {
            const gn_table_row *r = &t->rows[i];
            double x = fig_gap(r, relaxed), y = fig_value_as(r, rate, open);
            if (r->model != model || !same_series(r, &t->rows[first[s / 2]]) || !isfinite(y) ||
                !isfinite(x))
                continue;
            if (!npts)
                gn_strbuf_printf(data, "%s# %s %s %s%s\n# %s\t%s\n", nblocks ? "\n\n" : "",
                                 gn_model_kind_name(model), gn_row_process_name(r),
                                 r->potential, open ? ", saddle not first-order" : "",
                                 relaxed ? "gap_relaxed_A" : "gap_A",
                                 rate ? "rate_per_s" : "barrier_eV");
            gn_strbuf_printf(data, "%.6f\t%.10g\n", x, y);
            npts++;
        }
        if (npts)
            used[s] = ++nblocks;
    }
    return nblocks;
}

/* ---- the lowest mechanisms (mechanism.h) and the terraces on a barrier figure ---- */

typedef struct lowest_pt {
    double gap, barrier;
    const char *process;
} lowest_pt;

static int cmp_lowest_pt(const void *a, const void *b)
{
    double x = ((const lowest_pt *)a)->gap, y = ((const lowest_pt *)b)->gap;
    return (x > y) - (x < y);
}

/* One data block per (potential, route) of the model where the lowest mechanism is informative:
 * gap, lowest barrier and its process, at the gaps where every row of the route counts. The
 * block numbers + 1 go to blk[potential series][route]; returns the new block count. */
static int lowest_data(gn_strbuf *data, const gn_table *t, gn_model_kind model,
                       const gn_mechanisms *m, const size_t *first, size_t ns, int nblocks,
                       int relaxed, int (*blk)[GN_ROUTE_COUNT])
{
    lowest_pt *pts = malloc((t->n + 1) * sizeof *pts);
    for (size_t s = 0; pts && s < ns; s++) {
        const char *pot = t->rows[first[s]].potential;
        int dup = 0; /* one set of curves per potential, at its first series */
        for (size_t k = 0; k < s; k++)
            dup |= !strcmp(t->rows[first[k]].potential, pot);
        for (int route = 0; route < GN_ROUTE_COUNT && !dup; route++) {
            size_t n = 0;
            for (size_t i = 0; i < t->n; i++) {
                const gn_lowest *l = &m->per_row[i][route];
                if (t->rows[i].model == model && !strcmp(t->rows[i].potential, pot) &&
                    m->first[i] && gn_mechanisms_informative(m, i) && gn_lowest_complete(l) &&
                    isfinite(fig_gap(&t->rows[i], relaxed)))
                    pts[n++] = (lowest_pt){fig_gap(&t->rows[i], relaxed), l->barrier,
                                           gn_process_name(l->row->process)};
            }
            if (!n)
                continue;
            qsort(pts, n, sizeof *pts, cmp_lowest_pt);
            gn_strbuf_printf(data, "%s# %s %s lowest %s\n# %s\tbarrier_eV\tprocess\n",
                             nblocks ? "\n\n" : "", gn_model_kind_name(model), pot,
                             gn_route_name((gn_route)route), relaxed ? "gap_relaxed_A" : "gap_A");
            for (size_t k = 0; k < n; k++)
                gn_strbuf_printf(data, "%.6f\t%.10g\t%s\n", pts[k].gap, pts[k].barrier,
                                 pts[k].process);
            blk[s][route] = ++nblocks;
        }
    }
    free(pts);
    return nblocks;
}

/* The lowest curves: thick dashed lines labelled with the mechanism at each point. */
static void lowest_items(gn_strbuf *gp, const gn_table *t, const size_t *first, size_t ns,
                         const char *dataname, int (*blk)[GN_ROUTE_COUNT])
{
    static const char *const color[GN_ROUTE_COUNT] = {"#202020", "#808080"};
    static const char *const what[GN_ROUTE_COUNT] = {"lowest within the crystal",
                                                     "lowest across the gap"};
    for (size_t s = 0; s < ns; s++)
        for (int route = 0; route < GN_ROUTE_COUNT; route++) {
            if (!blk[s][route])
                continue;
            char title[400];
            if (gn_table_several_potentials(t))
                gn_fmt_trunc(title, sizeof title, "%s, %s", what[route],
                             pot_label(t->rows[first[s]].potential));
            else
                snprintf(title, sizeof title, "%s", what[route]);
            gn_strbuf_printf(gp, ", \\\n    '%s' index %d using 1:2 with lines lw 5 dt 2 lc rgb "
                                 "'%s' title ", dataname, blk[s][route] - 1, color[route]);
            gn_gp_quote(gp, title);
            gn_strbuf_printf(gp, ", \\\n    '%s' index %d using 1:2:3 with labels offset "
                                 "char 0,%s font ',9' tc rgb '%s' notitle", dataname,
                             blk[s][route] - 1, route ? "-1" : "1", color[route]);
        }
}

/* The terrace that is a gap model's wide-gap limit (pt100 for s2s), as horizontal lines: one
 * per ok row of it, in its process's series colour when the figure has that series. */
static void terrace_lines(gn_strbuf *gp, const gn_table *t, gn_model_kind model)
{
    if (model != GN_MODEL_S2S)
        return;
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (r->model != GN_MODEL_PT100 || !isfinite(fig_value(r, 0)))
            continue;
        char title[400];
        gn_fmt_trunc(title, sizeof title, "pt100 %s (one surface)%s%s", gn_row_process_name(r),
                     gn_table_several_potentials(t) ? ", " : "",
                     gn_table_several_potentials(t) ? pot_label(r->potential) : "");
        gn_strbuf_printf(gp, ", \\\n    %.10g with lines dt 3 lw 2 lc %d title ", gn_row_barrier(r),
                         (int)r->process + 1);
        gn_gp_quote(gp, title);
    }
}

/* Reference points at finite gaps go to their own file; returns their number. */
static int reference_points(const char *figdir, const char *name, gn_model_kind model,
                            const gn_reference *ref, gn_error *err, int *rc)
{
    int n = 0;
    gn_strbuf rdata = {0};
    for (size_t j = 0; ref && j < ref->n; j++)
        if (ref_of_model(&ref->rows[j], model) && isfinite(ref->rows[j].gap)) {
            if (!n)
                gn_strbuf_printf(&rdata, "# reference barriers (%s)\n# gap_A\tbarrier_eV\tsource\n",
                                 ref->path);
            gn_strbuf_printf(&rdata, "%.6f\t%.10g\t%s\n", ref->rows[j].gap,
                             ref->rows[j].barrier, ref->rows[j].source);
            n++;
        }
    char file[128], path[4200];
    snprintf(file, sizeof file, "%s-ref.tsv", name);
    if (n && !(*rc = gn_path_join(path, sizeof path, figdir, file, err)))
        *rc = gn_gp_write(&rdata, path, err);
    gn_strbuf_clear(&rdata);
    return n;
}

static void rate_axes(gn_strbuf *gp, const gn_table *t, gn_model_kind model, const size_t *first,
                      size_t ns)
{
    double T = NAN;
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].model == model && t->rows[i].has_modes)
            T = t->rows[i].temperature;
    gn_strbuf_printf(gp, "set ylabel 'forward rate (1/s) at T = %g K'\nset logscale y\n"
                         "set title 'Harmonic TST rates, %s model'\n",
                     T, gn_model_kind_name(model));
    /* Transfer rates fall by decades with the gap, so the upper right is where the plot is
     * empty: the key goes there and the crossover label at the foot of its line. */
    gn_strbuf_printf(gp, "set format y '%%.0e'\nset key inside top right box opaque\n");
    for (size_t s = 0; s < ns; s++) {
        gn_crossover_info ci;
        gn_crossover_compute(t, model, t->rows[first[s]].potential, &ci);
        double g = ci.gap;
        /* only a crossover over every gap: one from some gaps could be anywhere */
        if (ci.status == GN_CROSS_FOUND)
            gn_strbuf_printf(gp,
                             "set arrow from %.6f, graph 0 to %.6f, graph 1 nohead dt 3\n"
                             "set label 'crossover %.2f Å' at %.6f, graph 0.05 left offset "
                             "0.5,0\n",
                             g, g, g, g);
    }
}

/* Single-surface references (gap inf) are horizontal lines. */
static void reference_lines(gn_strbuf *gp, gn_model_kind model, const gn_reference *ref)
{
    for (size_t j = 0; ref && j < ref->n; j++) {
        const gn_ref_row *q = &ref->rows[j];
        if (!ref_of_model(q, model) || isfinite(q->gap))
            continue;
        /* the citation only, not the note after its colon, keeps the key readable */
        const char *colon = strchr(q->source, ':');
        int len = colon ? (int)(colon - q->source) : (int)strlen(q->source);
        char title[400];
        gn_fmt_trunc(title, sizeof title, "%s, single surface: %.*s", q->process, len,
                     q->source);
        gn_strbuf_printf(gp, ", \\\n    %.10g with lines dt 2 lc rgb 'gray40' title ",
                         q->barrier);
        gn_gp_quote(gp, title);
    }
}

/* The series of a barrier or rate figure: one colour per series, its line through the ok rows
 * and open markers for the rows not first-order (one key entry says what they are). */
static void vs_gap_items(gn_strbuf *gp, const gn_table *t, const size_t *first, size_t ns,
                         const char *dataname, const int *used)
{
    int first_item = 1, noted = 0;
    for (size_t s = 0; s < ns; s++) {
        if (used[2 * s]) {
            gn_strbuf_printf(gp, "%s \\\n    '%s' index %d using 1:2 with linespoints lw 2 pt 7 "
                                 "lc %zu title ", first_item ? "" : ",", dataname,
                             used[2 * s] - 1, s + 1);
            series_title(gp, t, &t->rows[first[s]]);
            first_item = 0;
        }
        if (used[2 * s + 1]) {
            gn_strbuf_printf(gp, "%s \\\n    '%s' index %d using 1:2 with points pt 6 ps 1.8 "
                                 "lc %zu %s", first_item ? "" : ",", dataname,
                             used[2 * s + 1] - 1, s + 1,
                             noted ? "notitle"
                                   : "title 'open: saddle not first-order (upper bound)'");
            first_item = 0;
            noted = 1;
        }
    }
}

/* barrier-MODEL (rate = 0) or rate-MODEL (rate = 1): data + script. Returns 1 if written, 0 if
 * there was nothing to plot (or *rc is an error). */
static int figure_vs_gap(const char *figdir, const gn_table *t, gn_model_kind model,
                         const gn_reference *ref, int rate, int relaxed, gn_error *err, int *rc)
{
    size_t first[MAX_SERIES];
    size_t ns = model_series(t, model, first, MAX_SERIES);
    const char *mname = gn_model_kind_name(model);
    gn_strbuf data = {0}, gp = {0};
    int used[2 * MAX_SERIES] = {0}, blk[MAX_SERIES][GN_ROUTE_COUNT];
    memset(blk, 0, sizeof blk);
    int nblocks = vs_gap_data(&data, t, model, first, ns, rate, relaxed, used);
    if (!nblocks) {
        gn_strbuf_clear(&data);
        return 0;
    }
    gn_mechanisms mech;
    if (!rate && gn_mechanisms_compute(t, &mech, err) == GN_OK) {
        lowest_data(&data, t, model, &mech, first, ns, nblocks, relaxed, blk);
        gn_mechanisms_clear(&mech);
    }
    char name[64], dataname[80], path[4200], what[128];
    snprintf(name, sizeof name, "%s-%s", rate ? "rate" : "barrier", mname);
    snprintf(dataname, sizeof dataname, "%s.tsv", name);
    if ((*rc = gn_path_join(path, sizeof path, figdir, dataname, err)) ||
        (*rc = gn_gp_write(&data, path, err)))
        return 0;
    int nref_pts = rate ? 0 : reference_points(figdir, name, model, ref, err, rc);
    if (*rc)
        return 0;
    snprintf(what, sizeof what, "%s against gap, model %s", rate ? "forward rate" : "barrier",
             mname);
    gn_gp_head(&gp, name, what, dataname);
    gn_strbuf_printf(&gp, "set xlabel '%s'\n", relaxed ? "relaxed gap (Å): between the "
                     "facing layers (s2s) or edge rows (e2e) of the relaxed initial state"
                                                      : "gap d (Å)");
    degenerate_ranges(&gp, t, model, rate, ref, relaxed);
    if (rate)
        rate_axes(&gp, t, model, first, ns);
    else
        gn_strbuf_printf(&gp, "set ylabel 'barrier (eV): highest saddle minus initial state'\n"
                              "set title 'CI-NEB barriers, %s model'\n", mname);
    gn_gp_loop_open(&gp, name);
    gn_strbuf_printf(&gp, "  plot");
    vs_gap_items(&gp, t, first, ns, dataname, used);
    if (nref_pts)
        gn_strbuf_printf(&gp, ", \\\n    '%s-ref.tsv' using 1:2 with points pt 6 ps 2 lc rgb "
                              "'black' title 'reference'", name);
    if (!rate) {
        lowest_items(&gp, t, first, ns, dataname, blk);
        terrace_lines(&gp, t, model);
        reference_lines(&gp, model, ref);
    }
    gn_gp_loop_close(&gp);
    snprintf(dataname, sizeof dataname, "%s.gp", name);
    if (!(*rc = gn_path_join(path, sizeof path, figdir, dataname, err)))
        *rc = gn_gp_write(&gp, path, err);
    gn_strbuf_clear(&gp);
    return *rc == GN_OK;
}

/* ---- profiles from run folders ---- */

static void profile_block(gn_strbuf *b, const double *x, const double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gn_strbuf_printf(b, "%.8f\t%.10g\n", x[i], y[i]);
}

/* The images and the interpolated curve of a run (the images again when the run folder has no
 * interpolation): two data blocks. */
static void profile_blocks(gn_strbuf *data, const gn_rundir_profile *p, const char *label)
{
    gn_strbuf_printf(data, "# %simages (s_A, energy_eV)\n", label);
    profile_block(data, p->s, p->energy, p->n);
    gn_strbuf_printf(data, "\n\n# %sinterpolation (s_A, energy_eV)\n", label);
    if (p->ninterp)
        profile_block(data, p->s_interp, p->energy_interp, p->ninterp);
    else
        profile_block(data, p->s, p->energy, p->n);
}

static void profile_axes(gn_strbuf *gp, const char *title)
{
    gn_strbuf_printf(gp, "set xlabel 'reaction coordinate (Å)'\nset ylabel 'energy relative to "
                         "the initial state (eV)'\nset title ");
    gn_gp_quote(gp, title);
    gn_strbuf_printf(gp, "\n");
}

/* Adds the run folder of row r as two data blocks (images, curve), a third with its
 * intermediate minima when it has any, and their plot items in colour color. *nblk counts the
 * blocks so far; *noted says whether the minima have their key entry yet. */
static int profile_row(const char *outdir, const gn_table *t, const gn_table_row *r,
                       const char *dataname, gn_strbuf *data, gn_strbuf *items, int *nblk,
                       int color, int *noted)
{
    char dir[4200], label[300], title[300];
    gn_rundir_profile p;
    gn_error e;
    if (gn_path_join(dir, sizeof dir, outdir, r->rundir, &e) ||
        gn_rundir_read_profile(dir, &p, &e))
        return 0;
    if (p.n < 2) {
        gn_rundir_profile_clear(&p);
        return 0;
    }
    int b = *nblk, nmin = p.nmin > 0;
    gn_strbuf_printf(data, "%s", b ? "\n\n" : "");
    gn_fmt_trunc(label, sizeof label, "%s ", r->rundir);
    profile_blocks(data, &p, label);
    if (nmin) {
        gn_strbuf_printf(data, "\n\n# %sintermediate minima (s_A, energy_eV)\n", label);
        profile_block(data, p.s_min, p.energy_min, p.nmin);
    }
    gn_rundir_profile_clear(&p);
    char gap[32] = "one surface"; /* a terrace has no gap */
    if (isfinite(r->gap))
        snprintf(gap, sizeof gap, "d = %.2f Å", r->gap);
    if (gn_table_several_potentials(t))
        gn_fmt_trunc(title, sizeof title, "%s, %s", gap, pot_label(r->potential));
    else
        snprintf(title, sizeof title, "%s%s", gap,
                 r->state == GN_ROW_OK ? "" : r->state == GN_ROW_NOT_FIRST_ORDER
                                                  ? " (not first-order)" : " (not converged)");
    gn_strbuf_printf(items, "%s \\\n    '%s' index %d using 1:2 with lines lw 2 lc %d title ",
                     b ? "," : "", dataname, b + 1, color);
    gn_gp_quote(items, title);
    gn_strbuf_printf(items, ", \\\n    '%s' index %d using 1:2 with points pt 7 lc %d notitle",
                     dataname, b, color);
    if (nmin) {
        gn_strbuf_printf(items, ", \\\n    '%s' index %d using 1:2 with points pt 4 ps 2 lc %d %s",
                         dataname, b + 2, color, *noted ? "notitle" : "title 'intermediate minima'");
        *noted = 1;
    }
    *nblk = b + 2 + nmin;
    return 1;
}

static int figure_profiles(const char *outdir, const char *figdir, const gn_table *t,
                           const gn_table_row *proc, gn_error *err, int *rc)
{
    gn_strbuf data = {0}, gp = {0}, items = {0};
    char name[96], dataname[112], path[4200], what[160];
    gn_model_kind model = proc->model;
    const char *mname = gn_model_kind_name(model), *pname = gn_row_process_name(proc);
    snprintf(name, sizeof name, "profile-%s-%s", mname, pname);
    snprintf(dataname, sizeof dataname, "%s.tsv", name);
    int nblk = 0, color = 1, noted = 0;
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (r->model == model && same_process(r, proc) && r->rundir[0] &&
            r->state != GN_ROW_COLLAPSED && r->state != GN_ROW_FAILED &&
            profile_row(outdir, t, r, dataname, &data, &items, &nblk, color, &noted))
            color++;
    }
    if (!nblk || items.oom) {
        gn_strbuf_clear(&data);
        gn_strbuf_clear(&items);
        return 0;
    }
    if ((*rc = gn_path_join(path, sizeof path, figdir, dataname, err)) ||
        (*rc = gn_gp_write(&data, path, err))) {
        gn_strbuf_clear(&items);
        return 0;
    }
    snprintf(what, sizeof what, "MEP energy profiles, %s %s, one curve per gap", mname, pname);
    gn_gp_head(&gp, name, what, dataname);
    snprintf(what, sizeof what, "Minimum-energy paths: %s, %s", mname, pname);
    profile_axes(&gp, what);
    gn_gp_loop_open(&gp, name);
    gn_strbuf_printf(&gp, "  plot%s", gn_strbuf_text(&items));
    gn_strbuf_clear(&items);
    gn_gp_loop_close(&gp);
    snprintf(dataname, sizeof dataname, "%s.gp", name);
    if (!(*rc = gn_path_join(path, sizeof path, figdir, dataname, err)))
        *rc = gn_gp_write(&gp, path, err);
    gn_strbuf_clear(&gp);
    return *rc == GN_OK;
}

/* ---- the table's figures ---- */

typedef struct script_list {
    char **v;
    size_t n;
} script_list;

static int add_script(script_list *l, const char *figdir, const char *name, gn_error *err)
{
    char path[4200];
    int rc = gn_path_join(path, sizeof path, figdir, name, err);
    if (rc)
        return rc;
    char **nl = realloc(l->v, (l->n + 1) * sizeof *nl);
    if (!nl || !(nl[l->n] = strdup(path))) {
        if (nl)
            l->v = nl;
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    l->v = nl;
    l->n++;
    return GN_OK;
}

static void script_list_clear(script_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int seen_before(const gn_table *t, size_t i, int with_process)
{
    for (size_t j = 0; j < i; j++)
        if (t->rows[j].model == t->rows[i].model &&
            (!with_process || same_process(&t->rows[j], &t->rows[i])))
            return 1;
    return 0;
}

/* Writes the figures of row i's model (first time it is seen) and process. */
static int row_figures(const char *outdir, const char *figdir, const gn_table *t, size_t i,
                       const gn_reference *ref, int relaxed, script_list *l, gn_error *err)
{
    int rc = GN_OK;
    gn_model_kind model = t->rows[i].model;
    char name[128];
    /* the terraces have no gap axis: their values go on the gap models' figures */
    for (int rate = 0; rate < 2 && rc == GN_OK && !seen_before(t, i, 0) && gn_model_has_gap(model);
         rate++)
        if (figure_vs_gap(figdir, t, model, ref, rate, relaxed, err, &rc)) {
            snprintf(name, sizeof name, "%s-%s.gp", rate ? "rate" : "barrier",
                     gn_model_kind_name(model));
            rc = add_script(l, figdir, name, err);
        }
    if (rc == GN_OK && !seen_before(t, i, 1) &&
        figure_profiles(outdir, figdir, t, &t->rows[i], err, &rc)) {
        snprintf(name, sizeof name, "profile-%s-%s.gp", gn_model_kind_name(model),
                 gn_row_process_name(&t->rows[i]));
        rc = add_script(l, figdir, name, err);
    }
    return rc;
}

void gn_figures_opts_default(gn_figures_opts *o)
{
    o->gap_axis = GN_GAP_AXIS_NOMINAL;
}

int gn_gap_axis_parse(const char *s, int *axis, gn_error *err)
{
    if (!strcmp(s, "nominal"))
        *axis = GN_GAP_AXIS_NOMINAL;
    else if (!strcmp(s, "relaxed"))
        *axis = GN_GAP_AXIS_RELAXED;
    else
        return gn_error_set(err, GN_EINVAL, "gap axis '%s': nominal or relaxed", s);
    return GN_OK;
}

int gn_figures_write(const char *outdir, const gn_table *t, const gn_reference *ref,
                     const char *gnuplot, gn_figure_status *st, gn_error *err)
{
    return gn_figures_write_opts(outdir, t, ref, gnuplot, NULL, st, err);
}

int gn_figures_write_opts(const char *outdir, const gn_table *t, const gn_reference *ref,
                          const char *gnuplot, const gn_figures_opts *fo, gn_figure_status *st,
                          gn_error *err)
{
    memset(st, 0, sizeof *st);
    int relaxed = fo && fo->gap_axis == GN_GAP_AXIS_RELAXED;
    char figdir[4200];
    int rc = gn_path_join(figdir, sizeof figdir, outdir, "figures", err);
    if (!rc)
        rc = gn_mkdir_p(figdir, err);
    script_list l = {0};
    for (size_t i = 0; rc == GN_OK && i < t->n; i++)
        rc = row_figures(outdir, figdir, t, i, ref, relaxed, &l, err);
    int drawn_ref = 0;
    if (rc == GN_OK && ref && ref->n && !(rc = gn_figure_reference(figdir, t, ref, &drawn_ref, err)) &&
        drawn_ref)
        rc = add_script(&l, figdir, "reference.gp", err);
    st->scripts = (int)l.n;
    if (rc == GN_OK)
        gn_gnuplot_draw_all(l.v, l.n, gnuplot, figdir, st);
    script_list_clear(&l);
    return rc;
}

int gn_figures_run(const char *rundir, const char *gnuplot, gn_figure_status *st,
                   gn_error *err)
{
    memset(st, 0, sizeof *st);
    gn_rundir_profile p;
    if (gn_rundir_read_profile(rundir, &p, err) != GN_OK)
        return gn_error_prefix(err, "%s: no readable profile (not an NEB run folder?): ",
                               rundir);
    gn_strbuf data = {0}, gp = {0};
    profile_blocks(&data, &p, "");
    size_t nmin = p.nmin;
    if (nmin) {
        gn_strbuf_printf(&data, "\n\n# intermediate minima (s_A, energy_eV)\n");
        profile_block(&data, p.s_min, p.energy_min, p.nmin);
    }
    gn_rundir_profile_clear(&p);
    char path[4200];
    int rc = gn_path_join(path, sizeof path, rundir, "profile-figure.tsv", err);
    if (!rc)
        rc = gn_gp_write(&data, path, err);
    gn_strbuf_clear(&data);
    if (rc != GN_OK)
        return rc;
    gn_gp_head(&gp, "profile", "MEP energy profile of one NEB run", "profile-figure.tsv");
    profile_axes(&gp, "Minimum-energy path");
    gn_gp_loop_open(&gp, "profile");
    gn_strbuf_printf(&gp, "  plot 'profile-figure.tsv' index 1 using 1:2 with lines lw 2 lc 1 "
                          "title 'Hermite interpolation', \\\n    'profile-figure.tsv' index 0 "
                          "using 1:2 with points pt 7 lc 1 title 'images'");
    if (nmin)
        gn_strbuf_printf(&gp, ", \\\n    'profile-figure.tsv' index 2 using 1:2 with points pt 4 "
                              "ps 2 lc 2 title 'intermediate minima'");
    gn_gp_loop_close(&gp);
    if (!(rc = gn_path_join(path, sizeof path, rundir, "profile.gp", err)))
        rc = gn_gp_write(&gp, path, err);
    gn_strbuf_clear(&gp);
    if (rc != GN_OK)
        return rc;
    st->scripts = 1;
    char *one = path;
    gn_gnuplot_draw_all(&one, 1, gnuplot, rundir, st);
    return GN_OK;
}
