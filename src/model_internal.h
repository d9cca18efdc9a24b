/* gapneb: shared internals of the gap-model builders (model.c, model_s2s.c, model_e2e.c).
 * Lengths in Å. Not installed. */
#ifndef GAPNEB_MODEL_INTERNAL_H
#define GAPNEB_MODEL_INTERNAL_H

#include <stddef.h>
#include "gapneb/model.h"

/* A candidate adsorption site of crystal A: a lattice point of the next layer of a facet. */
typedef struct gn_model_cand {
    double pos[3];
    int facet;  /* 100 or 111 */
} gn_model_cand;

typedef struct gn_model_cands {
    gn_model_cand *v;
    size_t n, cap;
} gn_model_cands;

int gn_model_cands_push(gn_model_cands *c, const double pos[3], int facet, gn_error *err);

/* Nearest-neighbour spacing a0/sqrt2 (also the surface and edge-row spacing). */
double gn_model_spacing(const gn_model_opts *o);

/* Crystal A in the model frame (see model.h), with its fixed flags, into an empty a whose cell
 * these set (periodic directions only; free vectors zero). */
int gn_model_s2s_crystal(const gn_model_opts *o, gn_atoms *a, gn_error *err);
int gn_model_e2e_crystal(const gn_model_opts *o, gn_atoms *a, gn_error *err);

/* Candidate sites of crystal A; the caller keeps those with the full neighbour count. */
int gn_model_s2s_candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err);
int gn_model_e2e_candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err);

#endif
