/* gapneb: shared internals of the model builders (model*.c). Lengths in Å. Not installed.
 *
 * Dependencies run one way: model.c (options, names) <- the crystal files (model_s2s.c,
 * model_e2e.c, model_pt111.c, model_nc.c) <- model_sites.c <- model_build.c <- model_process.c <-
 * model_gap.c; model_common.c holds the small helpers all of them use. */
#ifndef GAPNEB_MODEL_INTERNAL_H
#define GAPNEB_MODEL_INTERNAL_H

#include <stddef.h>
#include "gapneb/model.h"

#define GN_MODEL_NN_TOL 1e-6  /* Å: neighbour distances are exact lattice vectors up to rounding */
#define GN_MODEL_TIE_TOL 1e-6 /* Å: distances closer than this are ties in the site order */

/* A candidate adsorption site of crystal A: an ideal hollow position of a facet. */
typedef struct gn_model_cand {
    double pos[3];
    int facet; /* 100 or 111 */
    int kind;  /* gn_site_kind */
} gn_model_cand;

typedef struct gn_model_cands {
    gn_model_cand *v;
    size_t n, cap;
} gn_model_cands;

int gn_model_cands_push(gn_model_cands *c, const double pos[3], int facet, int kind,
                        gn_error *err);

/* Appends s to the growing array *v (*n used of *cap). */
int gn_model_site_push(gn_site **v, size_t *n, size_t *cap, const gn_site *s, gn_error *err);

/* Nearest-neighbour spacing a0/sqrt2 (also the surface and edge-row spacing). */
double gn_model_spacing(const gn_model_opts *o);

/* 1 when the model has crystal A only (a terrace, --single, or an infinite gap). */
int gn_model_is_single(const gn_model_opts *o);

/* Shortest distance between two points, minimum image along the periodic directions. */
double gn_model_mi_dist(const gn_cell *c, const double a[3], const double b[3]);

/* Wraps periodic coordinates into the cell (fractional [0, 1)): positions stay tidy and
 * comparable. */
void gn_model_wrap(const gn_cell *c, double r[3]);

/* nc: the largest h100 (a0/2 units; 60 a0 across is 24 nm for Pt, far beyond the models'
 * 2-5 nm), and the checks of the nc options that gn_model_opts_check makes (model.c). */
#define GN_NC_H100_MAX 60
int gn_model_nc_check(const gn_model_opts *o, gn_error *err);

/* The (y, z) model coordinates of the fcc lattice point a0/2 (i, j, k) in the edge frame of e2e
 * (and of nc facing an edge), with t = i + j and k relative to the edge row (see model_e2e.c):
 * ez the outward bisector of (001) and (111), ex along [1-10], ey = ez x ex. */
void gn_model_wedge_yz(double a0, double t, double k, double *y, double *z);

/* Crystal A in the model frame (see model.h), with its fixed flags, into an empty a whose cell
 * these set (periodic directions only; free vectors zero). s2s serves pt100 too. */
int gn_model_s2s_crystal(const gn_model_opts *o, gn_atoms *a, gn_error *err);
int gn_model_e2e_crystal(const gn_model_opts *o, gn_atoms *a, gn_error *err);
int gn_model_pt111_crystal(const gn_model_opts *o, gn_atoms *a, gn_error *err);
int gn_model_nc_crystal(const gn_model_opts *o, gn_atoms *a, gn_error *err);

/* Candidate sites of crystal A; the caller keeps those with the full neighbour count. */
int gn_model_s2s_candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err);
int gn_model_e2e_candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err);
int gn_model_pt111_candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err);
int gn_model_nc_candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err);

/* model_sites.c: the sites of crystal A (candidates with the full neighbour count in a[0, na))
 * and their images in B (image() maps a point of A to its mirror image in B; NULL for a single
 * crystal), named and in index order. Caller frees *out. */
typedef void (*gn_model_image_fn)(const gn_model_opts *o, const gn_cell *c, const double ra[3],
                                  double rb[3]);
int gn_model_find_sites(const gn_model_opts *o, const gn_atoms *a, size_t na,
                        gn_model_image_fn image, gn_site **out, size_t *nout, gn_error *err);

/* Names, indexes and orders the sites of v (any families); tol (Å): numbers closer than this
 * are ties in the order (GN_MODEL_TIE_TOL for ideal positions, more for relaxed ones). */
int gn_model_order_sites(const gn_cell *cell, gn_site *v, size_t n, double tol, gn_error *err);

/* Atoms of a[lo, hi) at exactly the NN spacing from r, over the periodic images; -1 if some atom
 * is closer than that (the point is not a free lattice site). */
int gn_model_count_neighbours(const gn_model_opts *o, const gn_atoms *a, size_t lo, size_t hi,
                              const double r[3]);

/* model_build.c: the model in its final frame: the atoms (crystal A's first na), and the sites
 * if wanted. */
typedef struct gn_model_built {
    gn_atoms *atoms;
    size_t na;       /* atoms of crystal A */
    gn_site *sites;  /* NULL unless asked for */
    size_t nsites;
} gn_model_built;

int gn_model_make(const gn_model_opts *o, int want_sites, gn_model_built *m, gn_error *err);
void gn_model_built_clear(gn_model_built *m);

/* A site of v by name; GN_EINVAL naming the valid range of its family if absent. */
int gn_model_lookup(const gn_model_opts *o, const gn_site *v, size_t n, const char *name,
                    gn_site *out, gn_error *err);

/* GN_EINVAL when an adatom at pos would be closer than 0.7 NN to an atom of base other than
 * skip (-1: none); what names the position in the message. */
int gn_model_check_room(const gn_model_opts *o, const gn_atoms *base, long skip,
                        const double pos[3], const char *what, gn_error *err);

/* A copy of base with an adatom (species o->z, movable) at site s, appended last, after
 * gn_model_check_room. */
int gn_model_add_adatom(const gn_model_opts *o, const gn_atoms *base, const gn_site *s,
                        gn_atoms **out, gn_error *err);

#endif
