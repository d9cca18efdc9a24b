/* gapneb: mid-gap sites of the gap models (doc/design.md, "Sites"): minima where an adatom is
 * bonded to both crystals. Unlike the hollows of model.h, which are geometry alone, they exist
 * only for some gaps and depend on the potential, so they are found by relaxation and need one:
 * this module takes a gn_potential and leaves gn_model_sites a pure function of the options.
 *
 * Search: the bare model is relaxed once; then for every hollow of crystal A and each hollow of
 * B nearest to it (all ties), closer to it than 2 x bond x NN (farther apart, no adatom can be
 * bonded to both), an adatom is put midway and the whole model relaxed with FIRE. A converged
 * relaxation whose adatom lies within bond x NN of an atom of A and of an atom of B is a mid-gap
 * site (NN = a0/sqrt2, the nearest-neighbour distance); positions closer than `same` (minimum
 * image) are one site. The sites are named G:0, G:1, ... and ordered like every family
 * (model.h): by distance to the lateral centre of the cell (s2s) or to the line midway between
 * the edge rows (e2e), ties by |x - Lx/2|, x, y, z. A single-crystal model has none.
 *
 * Units: Å, eV/Å. Thread safety: pure functions of the arguments; the potential is only read
 * (each call evaluates through a calculator of its own).
 */
#ifndef GAPNEB_MODEL_GAP_H
#define GAPNEB_MODEL_GAP_H

#include <stddef.h>
#include "gapneb/model.h"
#include "gapneb/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gn_gap_site_opts {
    double fmax;   /* eV/Å: relaxations converge below this largest force (0.005) */
    int max_steps; /* FIRE steps per relaxation (3000) */
    double bond;   /* bonded: closer than bond x NN (1.1) */
    double same;   /* Å: relaxed adatoms closer than this are the same site (0.1) */
} gn_gap_site_opts;

void gn_gap_site_opts_default(gn_gap_site_opts *go);

/* The mid-gap sites of model o with potential pot (go NULL: the defaults). pos is the relaxed
 * adatom position, nneigh the atoms within bond x NN of it. Caller free()s *sites (NULL when
 * there are none). *calls (may be NULL) receives the force calls made. */
int gn_model_gap_sites(const gn_model_opts *o, const gn_potential *pot,
                       const gn_gap_site_opts *go, gn_site **sites, size_t *nsites,
                       unsigned long *calls, gn_error *err);

/* Every site of the model: the hollows of gn_model_sites, then the mid-gap sites. */
int gn_model_all_sites(const gn_model_opts *o, const gn_potential *pot,
                       const gn_gap_site_opts *go, gn_site **sites, size_t *nsites,
                       gn_error *err);

/* One site by name, hollow or mid-gap (the relaxation runs only for a G:i name). */
int gn_model_find_any_site(const gn_model_opts *o, const gn_potential *pot,
                           const gn_gap_site_opts *go, const char *name, gn_site *site,
                           gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
