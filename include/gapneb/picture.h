/* gapneb: pictures of gap models and adatom configurations, as the source study draws them
 * (Supp. Figs 7a-d and 8a): a first view showing only the surface atoms of both crystals and the
 * adatoms, and a side view showing every atom, atoms as discs coloured by crystal A, crystal B
 * and adatoms (blue). The first view of s2s is from above, along the gap axis z onto (x, y),
 * with A's atoms filled and B's as rings so that A's surface stays visible beneath; that of e2e
 * is from the front, along y onto (x, z) (from above, the aligned edges would hide each other),
 * nearer atoms drawn over farther ones; adatoms labelled (e.g. by their sites), and
 * optional marked points (candidate sites) as dashed circles with labels; labels go on the top
 * view only (on the side view they would stack on each other). Several
 * panels (configurations) stand side by side in one figure, top views above side views, all on
 * one scale.
 *
 * The side view looks along the direction in which the model is periodic and featureless: along
 * y for s2s (the (x, z) plane), along the edge x for e2e (the (y, z) plane: the wedges' profiles);
 * nearer atoms are drawn over farther ones.
 *
 * A surface atom is a movable crystal atom with fewer than 12 neighbours within 1.2
 * nearest-neighbour distances in its own crystal (fixed atoms are the model's boundary, not its
 * surface).
 *
 * Every picture is a data file NAME.tsv (one block per element: top A discs, top B rings, top
 * adatoms or the front view's discs, ..., each line u v radius (Å) and for the sorted views an
 * RGB colour; marks; labels; comments name the blocks), a gnuplot script NAME.gp (gnuplot.h) and, drawn, NAME.png and NAME.svg.
 *
 * Units: Å. Thread safety: no shared state.
 */
#ifndef GAPNEB_PICTURE_H
#define GAPNEB_PICTURE_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"
#include "gapneb/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gn_picture_panel {
    const gn_atoms *atoms;             /* crystal A [0, na), crystal B [na, na + nb), adatoms */
    size_t na, nb;
    const char *const *adatom_labels;  /* one per adatom, or NULL */
    const double *marks;               /* nmarks points (x y z, Å) shown as dashed circles */
    const char *const *mark_labels;    /* one per mark, or NULL */
    size_t nmarks;
    const char *title;                 /* panel title, or NULL */
} gn_picture_panel;

/* Marks the surface atoms of a panel's crystals (surface[i] = 1; adatoms 0). nn: the
 * nearest-neighbour distance, Å. surface has atoms->n entries. */
void gn_picture_surface(const gn_atoms *a, size_t na, size_t nb, double nn,
                        unsigned char *surface);

/* Writes DIR/NAME.tsv and DIR/NAME.gp for np panels of a model of the given kind (which fixes
 * the side view), with a figure title (may be NULL). */
int gn_picture_write(const char *dir, const char *name, gn_model_kind kind, double nn,
                     const gn_picture_panel *panels, size_t np, const char *title,
                     gn_error *err);

/* gn_picture_write, then gn_gnuplot_draw (gnuplot: path or name, NULL for $GNUPLOT or
 * "gnuplot"): DIR/NAME.png and DIR/NAME.svg. Without gnuplot the data and script are written
 * and GN_EEXTERNAL says how to draw them. */
int gn_picture_draw(const char *dir, const char *name, gn_model_kind kind, double nn,
                    const gn_picture_panel *panels, size_t np, const char *title,
                    const char *gnuplot, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
