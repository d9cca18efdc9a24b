/* gapneb: several adatoms in the gap (Supp. Figs 7 and 8 of the source study): which
 * configurations of K adatoms are most stable at each gap, and whether they bridge it.
 *
 * Candidate sites (gn_adsorb_candidates): by default the sites of both crystals within a radius
 * of the model centre (s2s, terraces: lateral distance to the cell centre) or of the edges (e2e:
 * distance to the strip between the edge rows), mid-gap sites (G:i, model_gap.h: minima bonded to
 * both crystals, found by relaxation with the run's potential, at the gaps where they exist)
 * included. Every site kind of the model's catalogue (gn_model_all_sites) is a candidate when it
 * lies within the radius, so new kinds join automatically.
 *
 * Configurations (gn_adsorb_enumerate): every set of K candidate sites with no two closer than
 * GN_MODEL_ADATOM_ROOM nearest-neighbour distances, reduced by the symmetries of the model: the
 * isometries (mirrors, rotations, translations, the swap of A and B through the mid-plane where
 * it is one) that map the model onto itself, atom by atom (species and fixed flags kept), are
 * found numerically; two sets are equivalent when one maps onto the other. One set per class is
 * relaxed (its multiplicity is recorded).
 *
 * Energies: E_ads = E(model + K adatoms, relaxed) - E(model, relaxed) - K E(isolated atom), in
 * total and per adatom; the relaxations are those of the NEB endpoints and of the table's bare
 * model (FIRE 2.0 to 0.005 eV/Å), so K = 1 gives the table's adsorption energy of the same site.
 * On an external engine (ipi.h), whose clients serve one structure size and give no isolated
 * atom, every structure has the K adatoms: E(model) and E(atom) are not computed, E_ads, E_add
 * and e_atom are NaN, configurations are ranked by total energy (the same order as E_ads), K > 1
 * takes no mid-gap sites and sequential mode needs K = 1 (GN_EINVAL otherwise).
 * Configurations that relax into the same structure (energies within merge_energy and adatoms
 * within merge_distance after some symmetry operation) are merged into the lowest one; the rest
 * are ranked per gap (1 = most stable). A relaxed configuration is named by where its adatoms
 * ended (final_sites: the nearest candidate site of each, as a symmetry-canonical set), and its
 * id follows that name, so that one structure type keeps its id from gap to gap (as the
 * configurations (a)-(d) of Supp. Fig. 7 do); the start sites are kept beside it.
 *
 * Sequential mode (the procedure of Supp. Fig. 8): one adatom at a time, each stage trying
 * every candidate site (reduced by the symmetries that keep the adatoms already placed) on the
 * most stable structure of the stage before; every candidate's energy is reported, with the
 * adsorption energy of the added adatom, E_add = E(k adatoms) - E(best with k - 1) - E(atom).
 *
 * Pre-screen: when a gap has more than screen_above classes (and not exhaustive), each class is
 * relaxed for screen_steps FIRE steps only and the keep lowest are relaxed fully; the others are
 * reported as screened out (their energy is not a minimum and gets no rank). With exhaustive and
 * as many classes, the screen runs too, beside the full relaxations, to measure whether it would
 * have kept the true most stable configuration (gn_adsorb_gap.screen_rank_of_best).
 *
 * Bridges (gn_adsorb_bridge): a structure bridges the gap when a chain of atoms, each within
 * GN_ADSORB_BRIDGE_NN nearest-neighbour distances of the next, joins an atom of crystal A to an
 * atom of crystal B through the adatoms. The bridge ratio is the longest link of the best such
 * chain in NN distances (bridges: ratio <= GN_ADSORB_BRIDGE_NN); the energetic critical gap of a
 * model is the largest gap at which its most stable K-adatom configuration bridges, interpolated
 * linearly in the bridge ratio between neighbouring gaps.
 *
 * Units: Å, eV, eV/Å. Thread safety: gn_adsorb_run uses its own threads (one calculator each)
 * on a shared potential; the other functions are pure functions of their arguments.
 */
#ifndef GAPNEB_ADSORB_H
#define GAPNEB_ADSORB_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"
#include "gapneb/minimize.h"
#include "gapneb/model.h"
#include "gapneb/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GN_ADSORB_MAX_ADATOMS 8
#define GN_ADSORB_BRIDGE_NN 1.15
#define GN_ADSORB_SITES_MAX (GN_ADSORB_MAX_ADATOMS * 16)   /* bytes of a site list text */
#define GN_ADSORB_MAX_SETS 2000000                        /* sets of K sites enumerated */

/* ---- candidate sites ---------------------------------------------------------------------- */

/* Default radius of the candidate set of a model, Å: s2s (and the terraces) 1.05 NN (the centre
 * hollow, its four neighbours and the four B hollows around it), e2e 3.0 (the site rows next to
 * each edge). */
double gn_adsorb_default_radius(const gn_model_opts *o);

/* Candidate sites of the model o (at its gap): set is a comma list of items, each
 *   default        the default set (sites within radius of the centre or edges, mid-gap ones
 *                  included);
 *   all            every site of the catalogue;
 *   A100, A111h, G every site of that family within radius;
 *   A100:3         that site (whatever the radius);
 * NULL or "" means default; radius NAN means gn_adsorb_default_radius. Sites without room for an
 * adatom at this gap are left out. In catalogue order, mid-gap sites last. pot: the potential
 * of the run, which finds the mid-gap sites (NULL: the hollows only). Caller free()s. */
int gn_adsorb_candidates(const gn_model_opts *o, const gn_potential *pot, const char *set,
                         double radius,
                         gn_site **sites, size_t *nsites, gn_error *err);

/* ---- symmetry and enumeration ------------------------------------------------------------- */

typedef struct gn_adsorb_sym gn_adsorb_sym;

/* The symmetry operations of a model structure (crystal atoms only) and their action on the
 * sites (matched within 0.05 Å). */
int gn_adsorb_sym_alloc(const gn_atoms *model, const gn_site *sites, size_t nsites,
                        gn_adsorb_sym **out, gn_error *err);
void gn_adsorb_sym_free(gn_adsorb_sym *s);
size_t gn_adsorb_sym_nops(const gn_adsorb_sym *s);
/* Image of site i under operation k: its index, or -1 when the image is not a candidate. */
int gn_adsorb_sym_site(const gn_adsorb_sym *s, size_t k, size_t i);
/* Image of a point under operation k, wrapped into the cell along periodic directions. */
void gn_adsorb_sym_apply(const gn_adsorb_sym *s, size_t k, const double in[3], double out[3]);

typedef struct gn_adsorb_class {
    int sites[GN_ADSORB_MAX_ADATOMS]; /* indices into the candidate list, increasing */
    int multiplicity;                 /* sets of the candidate list in the class */
} gn_adsorb_class;

/* One representative per class of the sets of k sites with room (no two closer than
 * GN_MODEL_ADATOM_ROOM nn): the lexicographically smallest set of its class. *ntotal receives
 * the number of sets with room before the reduction. Refused (GN_EINVAL) above
 * GN_ADSORB_MAX_SETS sets. Caller free()s *classes. */
int gn_adsorb_enumerate(const gn_adsorb_sym *s, const gn_site *sites, size_t nsites, double nn,
                        int k, gn_adsorb_class **classes, size_t *nclasses, size_t *ntotal,
                        gn_error *err);

/* The canonical form of a site set (k indices, repeats allowed, each with an integer tag carried
 * along, or tag NULL): the lexicographically smallest sorted image under the operations that map
 * every site into the set; written over idx (and tag). */
void gn_adsorb_sym_canonical(const gn_adsorb_sym *s, int *idx, int *tag, int k);

/* 1 when operation op maps the k points p (3k numbers) onto the k points q as sets, each within
 * tol (Å, minimum image). */
int gn_adsorb_sym_op_maps(const gn_adsorb_sym *s, size_t op, const double *p, const double *q,
                          int k, double tol);
/* 1 when some operation does. */
int gn_adsorb_sym_equivalent(const gn_adsorb_sym *s, const double *p, const double *q, int k,
                             double tol);

/* ---- bridges ------------------------------------------------------------------------------ */

/* Bridge ratio of a structure (crystal A [0, na), B [na, na + nb), adatoms after; nn the
 * nearest-neighbour distance): the longest link, in nn, of the best chain A - adatoms - B
 * (INFINITY without adatoms). Returns 1 when it bridges (ratio <= GN_ADSORB_BRIDGE_NN). */
int gn_adsorb_bridge(const gn_atoms *a, size_t na, size_t nb, double nn, double *ratio);

typedef enum gn_adsorb_critical_status {
    GN_CRITICAL_FOUND = 0,     /* bridges at some gap and not at a wider one of the sweep */
    GN_CRITICAL_BEYOND = 1,    /* bridges at the widest gap: the critical gap is beyond it */
    GN_CRITICAL_NONE = 2,      /* bridges at no gap */
    GN_CRITICAL_UNDETERMINED = 3 /* some gap has no relaxed configuration */
} gn_adsorb_critical_status;

typedef struct gn_adsorb_critical {
    int status;
    double gap;           /* Å: FOUND interpolated; BEYOND the widest gap; NaN otherwise */
    double gap_lo, gap_hi;/* Å: the sweep's gaps around it (FOUND) */
} gn_adsorb_critical;

/* From the bridge ratios of the most stable configuration at gaps g (n, any order; NaN ratio:
 * no configuration). */
void gn_adsorb_critical_gap(const double *g, const double *ratio, size_t n,
                            gn_adsorb_critical *c);

/* ---- the run ------------------------------------------------------------------------------ */

typedef struct gn_adsorb_opts {
    gn_model_opts model;  /* kind, a0, z, sizes, registry (the gap is set per gap) */
    int nadatoms;         /* K, 1 .. GN_ADSORB_MAX_ADATOMS */
    const double *gaps;   /* Å */
    size_t ngaps;
    const char *sites;    /* candidate set (gn_adsorb_candidates); NULL: default */
    double radius;        /* Å; NAN: gn_adsorb_default_radius */
    int sequential;       /* one adatom at a time (Supp. Fig. 8) */
    int exhaustive;       /* 1: never pre-screen */
    int keep;             /* classes fully relaxed after a pre-screen (default 24) */
    int screen_above;     /* pre-screen when a gap has more classes than this (default 64) */
    int screen_steps;     /* FIRE steps of a pre-screen relaxation (default 40) */
    int jobs;             /* threads; 0 = one per core */
    gn_fire_opts relax;   /* full relaxations (default gn_relax_opts_default) */
    double bare_fmax;     /* eV/Å, relaxation of the model without adatoms (0.005) */
    double merge_energy;  /* eV (default 1e-3) */
    double merge_distance;/* Å (default 0.2) */
    /* Progress lines for stderr (may be NULL); called from one thread at a time. */
    void (*progress)(void *ctx, const char *line);
    void *progress_ctx;
} gn_adsorb_opts;

void gn_adsorb_opts_default(gn_adsorb_opts *o, gn_model_kind kind);

typedef struct gn_adsorb_config {
    double gap;               /* Å */
    int nadatoms;             /* its adatoms (sequential: the stage) */
    int id;                   /* 1, 2, ...: one per relaxed structure type (final_sites) of a
                                 stage, the same at every gap: ranked configurations first, by
                                 gap (increasing) then rank */
    char sites[GN_ADSORB_SITES_MAX]; /* start sites in adatom order, space-separated */
    char final_sites[GN_ADSORB_SITES_MAX]; /* where the adatoms ended: the candidate site
                                 nearest to each relaxed adatom, the set in its symmetry-
                                 canonical form (gap-independent names); "~A111:1": an adatom
                                 farther than half a nearest-neighbour distance from every
                                 candidate site, nearest to that one */
    char placed[GN_ADSORB_SITES_MAX]; /* the nearest site of each relaxed adatom, in adatom
                                 order (final_sites before the canonical form: the labels of a
                                 picture of this structure) */
    double final_offset;      /* Å, the largest adatom distance to its final site */
    double site_pos[3];       /* Å, start of the last adatom (the stage's candidate site) */
    int multiplicity;         /* sets of the candidate list it stands for */
    int screened_out;         /* 1: only pre-screened; energy is not a minimum, no rank */
    double screen_energy;     /* eV after the pre-screen (NaN without one) */
    int screen_rank;          /* rank in the pre-screen (0 without one) */
    double energy;            /* eV, total, relaxed */
    double e_ads;             /* eV, E - E(model) - K E(atom) */
    double e_ads_per_atom;    /* eV */
    double e_add;             /* eV, sequential: E - E(best of the stage before) - E(atom) */
    int rank;                 /* 1 = most stable of its (gap, stage); 0: merged or screened */
    int merged_into;          /* id it relaxed into (same structure), 0 if distinct */
    int bridges;              /* 1 if the relaxed structure bridges the gap */
    double bridge_ratio;      /* longest link of the best chain, nn (INFINITY: none) */
    int converged;            /* the full relaxation reached fmax */
    unsigned long force_calls;
    gn_atoms *relaxed;        /* owned; NULL when read back from a file */
} gn_adsorb_config;

typedef struct gn_adsorb_gap {
    double gap;               /* Å */
    double e_bare;            /* eV, the relaxed model without adatoms */
    size_t na, nb;            /* atoms of crystal A and B */
    size_t ncandidates;       /* candidate sites */
    size_t nsets;             /* sets of K sites with room (exhaustive) */
    size_t nclasses;          /* after the symmetry reduction (exhaustive) */
    size_t nops;              /* symmetry operations found */
    int screened;             /* a pre-screen ran */
    int screen_rank_of_best;  /* the best pre-screen rank among the starts that relaxed into the
                                 most stable K-adatom structure: the screen keeps it when this is
                                 <= keep (0: no pre-screen) */
    unsigned long force_calls;
    double wall_time;         /* s */
    gn_atoms *model;          /* the relaxed model without adatoms (owned; NULL when read back) */
} gn_adsorb_gap;

typedef struct gn_adsorb_result {
    gn_model_kind kind;
    char potential[GN_POTENTIAL_SPEC_MAX];
    double a0, nn, e_atom;    /* Å, Å, eV */
    int nadatoms, sequential, keep;
    gn_adsorb_config *configs;/* by gap (ascending as given), stage, then rank */
    size_t n;
    gn_adsorb_gap *gaps;
    size_t ngaps;
    gn_adsorb_critical critical; /* of the most stable K-adatom configuration */
} gn_adsorb_result;

/* Runs every gap. A configuration whose relaxation fails to converge is kept (converged = 0);
 * a gap where the model cannot be built (no room) is an error. */
int gn_adsorb_run(const gn_potential *pot, const gn_adsorb_opts *o, gn_adsorb_result *res,
                  gn_error *err);
void gn_adsorb_result_clear(gn_adsorb_result *r);

/* Index of the most stable configuration of (gap index g, stage k), -1 if none. */
long gn_adsorb_best(const gn_adsorb_result *r, size_t g, int k);

/* The line printed like the crossover: "bridging s2s eam-pt, 3 adatoms: the most stable
 * configuration bridges the gap up to 6.93 Å (between 6.5 and 7 Å); source (cold welding,
 * Supp. Fig. 2): about 7.8 Å". */
void gn_adsorb_critical_text(const gn_adsorb_result *r, char *buf, size_t cap);

/* ---- files -------------------------------------------------------------------------------- */

/* OUT/adsorption.tsv and OUT/adsorption.json (every configuration, per-gap summaries, the
 * critical gap), OUT/structures/dGAP-nK-all.xyz (every relaxed configuration of a gap and stage,
 * in table order, screened-out ones left out) and dGAP-nK-best.xyz (the most stable), and
 * dGAP-model.xyz (the relaxed model without adatoms). */
int gn_adsorb_write(const char *outdir, const gn_adsorb_result *r, gn_error *err);
/* Reads adsorption.json back (configs without structures). */
int gn_adsorb_read_json(const char *path, gn_adsorb_result *r, gn_error *err);

/* Figures in OUT/figures/ (gnuplot.h): eads-vs-gap (the most stable per gap with the winning
 * configuration's id at each point; sequential: the added adatom's E_add per stage),
 * eads-all (every configuration against the gap, one line per id), and pictures-dGAP-nK (the
 * four most stable configurations (exhaustive), or the structure of the stage before with the
 * candidate sites marked (sequential)). Structures are read from OUT/structures/ when r has
 * none. *scripts and *drawn count the figures. */
int gn_adsorb_figures(const char *outdir, const gn_adsorb_result *r, const char *gnuplot,
                      int *scripts, int *drawn, char *note, size_t note_cap, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
