/* gapneb: simulation cell. Lengths in Å.
 *
 * A cell is three vectors (rows of h, triclinic allowed) with periodicity per direction. A vector
 * along a non-periodic direction may be zero (a free cluster); the library then completes the
 * matrix internally with a unit vector orthogonal to the others so that fractional coordinates
 * exist, but never uses it for periodic images.
 * Thread safety: pure functions of the cell passed in.
 */
#ifndef GAPNEB_CELL_H
#define GAPNEB_CELL_H

#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gn_cell {
    double h[3][3];    /* h[k] is cell vector k (a, b, c) in Å, as given by the user */
    double hf[3][3];   /* h with zero non-periodic vectors completed (internal) */
    double inv[3][3];  /* inverse of hf: s = r . inv (row vector convention) */
    int pbc[3];        /* 1 if periodic along h[k] */
} gn_cell;

/* Longest cell vector accepted, Å (1 mm: far beyond any structure here, and it keeps volumes and
 * image counts far from overflow). */
#define GN_CELL_MAX_LENGTH 1e7

/* Sets up c from h and pbc. Fails (GN_EINVAL) if a periodic vector is zero, if any entry is not
 * finite, if a vector is longer than GN_CELL_MAX_LENGTH, if the completed matrix is singular
 * (volume below 1e-6 Å^3), or if the periodic vectors are so nearly parallel (or one so short
 * against the others) that a minimum-image search would visit more than 1e5 images. */
int gn_cell_init(gn_cell *c, const double h[3][3], const int pbc[3], gn_error *err);

/* A free (non-periodic) cell with zero vectors. */
void gn_cell_free_space(gn_cell *c);

/* r (Cartesian, Å) -> s (fractional) and back. */
void gn_cell_to_frac(const gn_cell *c, const double r[3], double s[3]);
void gn_cell_to_cart(const gn_cell *c, const double s[3], double r[3]);

/* Replaces d by the shortest vector d + n.h over integer n along periodic directions. Exact for
 * any triclinic cell (searches every image that could be shorter than the wrapped one). */
void gn_cell_min_image(const gn_cell *c, double d[3]);

/* Volume |det h| in Å^3 of the completed cell. */
double gn_cell_volume(const gn_cell *c);

/* Distance between lattice planes spanned by the two vectors other than k, in Å. */
double gn_cell_plane_spacing(const gn_cell *c, int k);

/* 1 if the two cells have the same vectors (within tol Å) and periodicity. */
int gn_cell_equal(const gn_cell *a, const gn_cell *b, double tol);

#ifdef __cplusplus
}
#endif
#endif
