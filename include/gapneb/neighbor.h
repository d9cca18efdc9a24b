/* gapneb: neighbour lists (cell lists with a Verlet skin). Lengths in Å.
 *
 * A half list: every interacting pair appears once, as (i, j, shift) with the separation
 * d = x[j] + shift - x[i] (shift a Cartesian lattice translation, zero for the home image). In a
 * periodic cell shorter than twice the cutoff the same j, and even j == i, can appear several
 * times with different shifts. The list holds every pair closer than cutoff + skin at the last
 * build, and is rebuilt only when some atom has moved more than skin/2 since then (or the atom
 * count or cell changed), so between rebuilds it still holds every pair within the cutoff.
 * Potentials must still test r < cutoff themselves.
 * Thread safety: a neighbour list belongs to one thread (its calculator).
 */
#ifndef GAPNEB_NEIGHBOR_H
#define GAPNEB_NEIGHBOR_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gn_nlist {
    double cutoff;     /* interaction cutoff (Å) */
    double skin;       /* Verlet skin (Å) */
    size_t natoms;     /* atoms at the last build */
    size_t npairs;
    size_t *first;     /* natoms + 1: pairs of atom i are first[i] .. first[i+1]-1 */
    int *j;            /* npairs: the other atom */
    double *shift;     /* 3 * npairs: Cartesian image shift of j */
    void *internal;    /* reference positions, cell at build, bins (implementation) */
    unsigned long builds;
} gn_nlist;

int gn_nlist_alloc(gn_nlist **out, double cutoff, double skin, gn_error *err);
void gn_nlist_free(gn_nlist *nl);

/* Brings the list up to date for a; rebuilds only when needed. O(N). */
int gn_nlist_update(gn_nlist *nl, const gn_atoms *a, gn_error *err);

/* Forces a rebuild at the next update (e.g. after the caller changed the cell in place). */
void gn_nlist_invalidate(gn_nlist *nl);

#ifdef __cplusplus
}
#endif
#endif
