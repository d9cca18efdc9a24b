/* gapneb: pictures of models and configurations (see picture.h): top and side views as discs,
 * written as data and a gnuplot script (gnuplot.c). Units: Å. */
#include "gapneb/picture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/fileio.h"
#include "gnuplot_internal.h"

#define SURFACE_CUT 1.2   /* neighbours within this many NN distances count */
#define BULK_NEIGHBOURS 12
#define R_TOP 0.45        /* disc radii in NN distances: apart in the top view */
#define R_SIDE 0.5        /* touching in the side view */
#define RGB_A 0x9aa5b1
#define RGB_B 0xe3b04b
#define RGB_ADATOM 0x1f5fd6
#define PANEL_W 460
#define PANEL_H 430

void gn_picture_surface(const gn_atoms *a, size_t na, size_t nb, double nn,
                        unsigned char *surface)
{
    const double cut = SURFACE_CUT * nn;
    memset(surface, 0, a->n);
    for (size_t c = 0; c < 2; c++) {
        size_t lo = c ? na : 0, hi = c ? na + nb : na;
        for (size_t i = lo; i < hi; i++) {
            if (a->fixed[i])
                continue;
            int count = 0;
            for (size_t j = lo; j < hi && count < BULK_NEIGHBOURS; j++) {
                if (j == i)
                    continue;
                double d[3];
                gn_atoms_displacement(a, i, j, d);
                count += d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < cut * cut;
            }
            surface[i] = count < BULK_NEIGHBOURS;
        }
    }
}

/* ---- geometry of the views ---------------------------------------------------------------- */

typedef struct view {
    int u, v;     /* plotted coordinates */
    int depth;    /* viewing direction: larger values are farther and drawn first */
    const char *ulabel, *vlabel;
} view;

/* The first view: s2s from above (along z onto (x, y)); e2e from the front (along y onto
 * (x, z)), since from above the aligned edges would hide each other. */
static view top_view(gn_model_kind kind)
{
    if (kind == GN_MODEL_E2E)
        return (view){0, 2, 1, "x (Å)", "z (Å)"};
    return (view){0, 1, 2, "x (Å)", "y (Å)"};
}

static view side_view(gn_model_kind kind)
{
    if (kind == GN_MODEL_E2E)
        return (view){1, 2, 0, "y (Å)", "z (Å)"};
    return (view){0, 2, 1, "x (Å)", "z (Å)"};
}

/* Position of atom i with periodic coordinates wrapped into the cell (a relaxed adatom may have
 * left it). */
static void wrapped(const gn_atoms *a, size_t i, double r[3])
{
    for (int k = 0; k < 3; k++) {
        r[k] = a->pos[3 * i + k];
        if (a->cell.pbc[k] && a->cell.h[k][k] > 0) {
            double L = a->cell.h[k][k];
            r[k] -= L * floor(r[k] / L);
        }
    }
}

typedef struct bounds {
    double lo[2], hi[2];
} bounds;

static void grow(bounds *b, double u, double v, double r)
{
    b->lo[0] = fmin(b->lo[0], u - r);
    b->hi[0] = fmax(b->hi[0], u + r);
    b->lo[1] = fmin(b->lo[1], v - r);
    b->hi[1] = fmax(b->hi[1], v + r);
}

/* ---- data blocks -------------------------------------------------------------------------- */

enum { B_TOP_A, B_TOP_B, B_TOP_AD, B_TOP_SORTED, B_TOP_MARK, B_TOP_LABEL, B_SIDE, B_SIDE_MARK,
       B_SIDE_LABEL, NBLK };

static const char *const block_names[NBLK] = {
    "top view, crystal A surface atoms (x y radius)",
    "top view, crystal B surface atoms (x y radius)",
    "top view, adatoms (x y radius)",
    "front view, surface atoms and adatoms, farthest first (u v radius rgb)",
    "first view, marked sites (u v radius)",
    "first view, labels (u v text)",
    "side view, every atom, farthest first (u v radius rgb)",
    "side view, marked sites (u v radius)",
    "side view, labels (u v text)",
};

typedef struct writer {
    gn_strbuf data;
    int nblocks;              /* blocks written so far */
    int index[NBLK];          /* of the current panel: block index, -1 if empty */
    bounds top, side;
} writer;

/* Starts a block (its index in the file) with a comment naming it. */
static void block_open(writer *w, int panel, int kind)
{
    gn_strbuf_printf(&w->data, "%s# panel %d: %s\n", w->nblocks ? "\n\n" : "", panel + 1,
                     block_names[kind]);
    w->index[kind] = w->nblocks++;
}

static int kind_of(size_t i, size_t na, size_t nb)
{
    return i < na ? 0 : i < na + nb ? 1 : 2;
}

static void top_block(writer *w, int panel, const gn_picture_panel *p, const unsigned char *surf,
                      int kind, double r)
{
    const view tv = top_view(GN_MODEL_S2S);
    int n = 0;
    for (size_t i = 0; i < p->atoms->n; i++) {
        if (kind_of(i, p->na, p->nb) != kind || (kind < 2 && !surf[i]))
            continue;
        double x[3];
        wrapped(p->atoms, i, x);
        if (!n++)
            block_open(w, panel, kind == 0 ? B_TOP_A : kind == 1 ? B_TOP_B : B_TOP_AD);
        gn_strbuf_printf(&w->data, "%.4f\t%.4f\t%.4f\n", x[tv.u], x[tv.v], r);
        grow(&w->top, x[tv.u], x[tv.v], r);
    }
}

typedef struct disc {
    double u, v, depth;
    unsigned rgb;
} disc;

static int cmp_depth(const void *a, const void *b)
{
    double da = ((const disc *)a)->depth, db = ((const disc *)b)->depth;
    return da > db ? -1 : da < db ? 1 : 0;
}

/* Discs of a view in one block, farthest first, coloured by crystal: every atom, or with surf
 * only the surface atoms and the adatoms. */
static int sorted_block(writer *w, int panel, const gn_picture_panel *p, const view *sv,
                        const unsigned char *surf, int kind, bounds *b, double r, gn_error *err)
{
    const size_t n = p->atoms->n;
    disc *d = malloc((n ? n : 1) * sizeof *d);
    if (!d)
        return gn_error_set(err, GN_ENOMEM, "out of memory for a picture");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double x[3];
        wrapped(p->atoms, i, x);
        int k = kind_of(i, p->na, p->nb);
        if (surf && k < 2 && !surf[i])
            continue;
        /* adatoms in front of the crystal atoms of their column: they are what is shown */
        d[m++] = (disc){x[sv->u], x[sv->v], k == 2 ? -1e9 + x[sv->depth] : x[sv->depth],
                        k == 0 ? RGB_A : k == 1 ? RGB_B : RGB_ADATOM};
    }
    qsort(d, m, sizeof *d, cmp_depth);
    if (m)
        block_open(w, panel, kind);
    for (size_t i = 0; i < m; i++) {
        gn_strbuf_printf(&w->data, "%.4f\t%.4f\t%.4f\t%u\n", d[i].u, d[i].v, r, d[i].rgb);
        grow(b, d[i].u, d[i].v, r);
    }
    free(d);
    return GN_OK;
}

/* Marks (dashed circles) and labels of one view. */
static void marks_and_labels(writer *w, int panel, const gn_picture_panel *p, const view *vw,
                             int side, double r)
{
    size_t nad = p->atoms->n - p->na - p->nb;
    bounds *b = side ? &w->side : &w->top;
    for (size_t m = 0; m < p->nmarks; m++) {
        if (!m)
            block_open(w, panel, side ? B_SIDE_MARK : B_TOP_MARK);
        const double *x = p->marks + 3 * m;
        gn_strbuf_printf(&w->data, "%.4f\t%.4f\t%.4f\n", x[vw->u], x[vw->v], r);
        grow(b, x[vw->u], x[vw->v], r);
    }
    int n = 0;
    if (side) /* labels on the side view would stack on each other: the top view has them */
        return;
    for (size_t k = 0; p->adatom_labels && k < nad; k++) {
        double x[3];
        wrapped(p->atoms, p->na + p->nb + k, x);
        if (!n++)
            block_open(w, panel, side ? B_SIDE_LABEL : B_TOP_LABEL);
        gn_strbuf_printf(&w->data, "%.4f\t%.4f\t\"%s\"\n", x[vw->u], x[vw->v] + r + 0.45,
                         p->adatom_labels[k]);
    }
    for (size_t m = 0; p->mark_labels && m < p->nmarks; m++) {
        const double *x = p->marks + 3 * m;
        if (!n++)
            block_open(w, panel, side ? B_SIDE_LABEL : B_TOP_LABEL);
        gn_strbuf_printf(&w->data, "%.4f\t%.4f\t\"%s\"\n", x[vw->u], x[vw->v] - r - 0.45,
                         p->mark_labels[m]);
    }
}

/* ---- the script --------------------------------------------------------------------------- */

static void item(gn_strbuf *gp, int *first, const char *data, int index, const char *style)
{
    if (index < 0)
        return;
    gn_strbuf_printf(gp, "%s \\\n      '%s' index %d %s", *first ? "" : ",", data, index, style);
    *first = 0;
}

static void panel_plot(gn_strbuf *gp, const char *data, const int *idx, int side,
                       const char *title, const bounds *b, const view *vw)
{
    char style[200];
    gn_strbuf_printf(gp, "  set title ");
    char t[300];
    gn_fmt_trunc(t, sizeof t, "%s%s%s view", title ? title : "", title ? ": " : "",
                 side ? "side" : vw->v == 2 ? "front" : "top");
    gn_gp_quote(gp, t);
    gn_strbuf_printf(gp, "\n  set xrange [%.3f:%.3f]\n  set yrange [%.3f:%.3f]\n"
                         "  set xlabel '%s'\n  set ylabel '%s'\n  plot",
                     b->lo[0] - 0.5, b->hi[0] + 0.5, b->lo[1] - 0.5, b->hi[1] + 0.5, vw->ulabel,
                     vw->vlabel);
    int first = 1;
    if (!side && idx[B_TOP_SORTED] >= 0) {
        item(gp, &first, data, idx[B_TOP_SORTED],
             "using 1:2:3:4 with circles fs solid 1.0 border lc rgb 'gray25' fc rgb variable");
    } else if (!side) {
        snprintf(style, sizeof style, "using 1:2:3 with circles fs solid 1.0 border lc rgb "
                                      "'gray25' fc rgb '#%06x'", RGB_A);
        item(gp, &first, data, idx[B_TOP_A], style);
        snprintf(style, sizeof style, "using 1:2:3 with circles fs empty border lc rgb '#%06x' "
                                      "lw 2.5", RGB_B);
        item(gp, &first, data, idx[B_TOP_B], style);
        snprintf(style, sizeof style, "using 1:2:3 with circles fs solid 1.0 border lc rgb "
                                      "'gray15' fc rgb '#%06x'", RGB_ADATOM);
        item(gp, &first, data, idx[B_TOP_AD], style);
    } else {
        item(gp, &first, data, idx[B_SIDE],
             "using 1:2:3:4 with circles fs solid 1.0 border lc rgb 'gray25' fc rgb variable");
    }
    item(gp, &first, data, idx[side ? B_SIDE_MARK : B_TOP_MARK],
         "using 1:2:3 with circles fs empty border lc rgb '#b00000' dt 2 lw 2");
    item(gp, &first, data, idx[side ? B_SIDE_LABEL : B_TOP_LABEL],
         "using 1:2:3 with labels font ',9' tc rgb '#600000'");
    gn_strbuf_printf(gp, "\n");
}

static int write_file(gn_strbuf *b, const char *dir, const char *name, const char *ext,
                      gn_error *err)
{
    char file[512], path[4200];
    snprintf(file, sizeof file, "%s.%s", name, ext);
    int rc = gn_path_join(path, sizeof path, dir, file, err);
    if (rc) {
        gn_strbuf_clear(b);
        return rc;
    }
    return gn_gp_write(b, path, err);
}

static void bounds_empty(bounds *b)
{
    b->lo[0] = b->lo[1] = INFINITY;
    b->hi[0] = b->hi[1] = -INFINITY;
}

int gn_picture_write(const char *dir, const char *name, gn_model_kind kind, double nn,
                     const gn_picture_panel *panels, size_t np, const char *title,
                     gn_error *err)
{
    if (np == 0 || !(nn > 0))
        return gn_error_set(err, GN_EINVAL, "a picture needs a panel and a positive NN distance");
    writer w = {.nblocks = 0};
    bounds_empty(&w.top);
    bounds_empty(&w.side);
    int (*idx)[NBLK] = calloc(np, sizeof *idx);
    if (!idx)
        return gn_error_set(err, GN_ENOMEM, "out of memory for a picture");
    const view tv = top_view(kind), sv = side_view(kind);
    int rc = GN_OK;
    for (size_t p = 0; p < np && !rc; p++) {
        const gn_picture_panel *pp = &panels[p];
        unsigned char *surf = calloc(pp->atoms->n + 1, 1);
        if (!surf) {
            rc = gn_error_set(err, GN_ENOMEM, "out of memory for a picture");
            break;
        }
        gn_picture_surface(pp->atoms, pp->na, pp->nb, nn, surf);
        for (int k = 0; k < NBLK; k++)
            w.index[k] = -1;
        if (kind == GN_MODEL_E2E)
            rc = sorted_block(&w, (int)p, pp, &tv, surf, B_TOP_SORTED, &w.top, R_SIDE * nn, err);
        else
            for (int k = 0; k < 3; k++)
                top_block(&w, (int)p, pp, surf, k, R_TOP * nn);
        marks_and_labels(&w, (int)p, pp, &tv, 0, R_TOP * nn);
        if (!rc)
            rc = sorted_block(&w, (int)p, pp, &sv, NULL, B_SIDE, &w.side, R_SIDE * nn, err);
        marks_and_labels(&w, (int)p, pp, &sv, 1, R_SIDE * nn); /* marks only: see there */
        memcpy(idx[p], w.index, sizeof w.index);
        free(surf);
    }
    char data[600];
    snprintf(data, sizeof data, "%s.tsv", name);
    if (!rc)
        rc = write_file(&w.data, dir, name, "tsv", err);
    gn_strbuf_clear(&w.data);
    if (!rc) {
        gn_strbuf gp = {0};
        gn_gp_head(&gp, name, "pictures of configurations: top (s2s) or front (e2e) views of the "
                              "surface atoms and adatoms above side views of every atom", data);
        gn_strbuf_printf(&gp, "unset key\nunset grid\nset offsets 0, 0, 0, 0\nset size ratio -1\n");
        int width = (int)np * PANEL_W, height = 2 * PANEL_H + (title ? 40 : 0);
        gn_gp_loop_open_size(&gp, name, width < 640 ? 640 : width, height);
        gn_strbuf_printf(&gp, "  set multiplot layout 2,%zu", np);
        if (title) {
            gn_strbuf_printf(&gp, " title ");
            gn_gp_quote(&gp, title);
        }
        gn_strbuf_printf(&gp, "\n");
        for (int side = 0; side < 2; side++)
            for (size_t p = 0; p < np; p++)
                panel_plot(&gp, data, idx[p], side, panels[p].title, side ? &w.side : &w.top,
                           side ? &sv : &tv);
        gn_strbuf_printf(&gp, "  unset multiplot");
        gn_gp_loop_close(&gp);
        rc = write_file(&gp, dir, name, "gp", err);
    }
    free(idx);
    return rc;
}

int gn_picture_draw(const char *dir, const char *name, gn_model_kind kind, double nn,
                    const gn_picture_panel *panels, size_t np, const char *title,
                    const char *gnuplot, gn_error *err)
{
    int rc = gn_picture_write(dir, name, kind, nn, panels, np, title, err);
    char file[512], path[4200];
    snprintf(file, sizeof file, "%s.gp", name);
    if (!rc)
        rc = gn_path_join(path, sizeof path, dir, file, err);
    return rc ? rc : gn_gnuplot_draw(path, gnuplot, err);
}
