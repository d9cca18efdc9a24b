/* gapneb (private): the minimum image with the cell's periodic span computed once, for loops
 * over many vectors of one cell (IDPP). Lengths Å. Not installed. */
#ifndef GAPNEB_CELL_INTERNAL_H
#define GAPNEB_CELL_INTERNAL_H

#include "gapneb/cell.h"

/* The periodic directions of a cell and the inverse of their Gram matrix G_ij = h_i . h_j: the
 * coordinates of the projection of a vector d onto their span, in the basis of those vectors, are
 * t = G^-1 (h . d), and sqrt(G^-1_ii) is the length of reciprocal vector i within that span. With
 * three periodic directions this is the fractional transform itself. */
typedef struct gn_cell_span {
    int np;          /* periodic directions */
    int k[3];        /* their indices */
    double gi[3][3];
    double smin2;    /* Å^2: the smallest plane spacing of the span, squared */
} gn_cell_span;

/* sp for c; valid until c changes. */
void gn_cell_span_init(const gn_cell *c, gn_cell_span *sp);

/* gn_cell_min_image(c, d), bit for bit, with sp = gn_cell_span_init(c). */
void gn_cell_min_image_span(const gn_cell *c, const gn_cell_span *sp, double d[3]);

#endif
