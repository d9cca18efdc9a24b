/* gapneb: the two gap models (doc/design.md, "Models"), their adsorption sites and processes.
 * Lengths in Å.
 *
 * s2s (surface-to-surface): crystal A is an fcc(100) slab, n x n surface cells, L layers, facing
 * surface (nuclei plane) at z = 0, bulk below (z < 0). Crystal B is A mirrored through z = d/2
 * (facing layer at z = d) and shifted laterally by the registry. Cell: x along [110], y along
 * [1-10], both periodic with length n a0/sqrt2; z free.
 *
 * e2e (edge-to-edge): crystal A is the fcc wedge bounded by (001) and (111), edge row on the x
 * axis (y = z = 0), bulk at z < 0, atoms within R of the edge line; the (001) facet lies on the
 * y < 0 side, the (111) facet on y > 0. Crystal B is A mirrored through z = d/2 (edge row at
 * z = d), shifted by half a spacing along x if staggered. Cell: x periodic with length
 * m a0/sqrt2; y, z free. Sites nearest the edge line: (100) at a0/2 sqrt(3/2), (111) at
 * a0/sqrt2 (2.400 and 2.772 Å for a0 = 3.92 Å).
 *
 * With vacuum > 0 the free directions get cell vectors spanning the structure plus that much
 * vacuum and every position (atoms and sites) is translated so that the structure is centred in
 * the box; with vacuum = 0 (the default) the free vectors are zero and the frame is as above.
 *
 * Atom order: crystal A, then crystal B (B's atom i is the mirror image of A's atom i), then the
 * adatom(s) (last, in the order given), so the two endpoints of a process list the same atoms in the same order.
 *
 * Site names: "A100:0", "B111:2": crystal, facet, index; index 0 is the site nearest the lateral
 * centre of the cell (s2s) or nearest the edge line (e2e), then in order of that distance. Ties
 * (exact within 1e-6 Å) are broken by the distance |x - Lx/2| to the middle of the cell along x,
 * then by x, then y, then z (smaller first): the order is deterministic.
 * Thread safety: pure functions of the options passed in.
 */
#ifndef GAPNEB_MODEL_H
#define GAPNEB_MODEL_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gn_model_kind { GN_MODEL_S2S = 0, GN_MODEL_E2E = 1 } gn_model_kind;

/* The processes a row of the table computes (doc/design.md, "Processes"). A new process is added
 * here, in the name table of model.c and in gn_model_process_sites. */
typedef enum gn_process {
    GN_PROCESS_HOP = 0,      /* A100:0 to a neighbouring site of the same crystal */
    GN_PROCESS_TRANSFER = 1, /* A100:0 across the gap to a site of crystal B */
    GN_PROCESS_COUNT,
    /* A custom process of a job (a [process NAME] section, job.h): GN_PROCESS_CUSTOM + k is the
     * job's k-th custom process, 0 <= k < GN_PROCESS_CUSTOM_MAX; its name and sites live in the
     * job (gn_job_process_name, gn_job_custom_process). */
    GN_PROCESS_CUSTOM = 256
} gn_process;
#define GN_PROCESS_CUSTOM_MAX 16

/* 1 if p is a custom process (GN_PROCESS_CUSTOM + k), 0 otherwise; its index k. */
int gn_process_is_custom(gn_process p);
int gn_process_custom_index(gn_process p);

/* "hop", "transfer"; parse returns GN_OK or GN_EINVAL with a message naming the valid names. */
int gn_process_parse(const char *s, gn_process *out, gn_error *err);
const char *gn_process_name(gn_process p);
/* The valid names for messages: "hop or transfer". */
const char *gn_process_names_text(void);

/* Registry of crystal B relative to A. s2s: HOLLOW (B's facing atoms above A's 4-fold hollows,
 * shift (s/2, s/2)), TOP (above A's atoms), BRIDGE (above A's bridge sites, shift (s/2, 0)),
 * with s = a0/sqrt2. e2e: ALIGNED (edge rows at the same x) or STAGGERED (shifted by s/2). */
enum {
    GN_REG_HOLLOW = 0,
    GN_REG_TOP = 1,
    GN_REG_BRIDGE = 2,
    GN_REG_ALIGNED = 10,
    GN_REG_STAGGERED = 11
};

typedef struct gn_model_opts {
    gn_model_kind kind;
    double gap;       /* Å: s2s nuclei plane to nuclei plane; e2e edge row to edge row (z) */
    double a0;        /* Å: fcc lattice constant, the potential's equilibrium value */
    int z;            /* atomic number of the crystal atoms and the adatom (GN_Z_PT) */
    int n;            /* s2s: n x n surface cells (default 4) */
    int layers;       /* s2s: layers per slab (default 4, at least 3: the 2 farthest are fixed) */
    int registry;     /* GN_REG_* (default HOLLOW for s2s, ALIGNED for e2e) */
    int m;            /* e2e: periodic length in edge spacings a0/sqrt2 (default 4) */
    double R;         /* e2e: keep atoms within R of the edge line, Å (default 12) */
    double fix_depth; /* e2e: atoms farther than R - fix_depth from the edge are fixed, Å (4) */
    double vacuum;    /* Å of vacuum along free directions (0: zero cell vectors) */
    int single;       /* 1: crystal A alone (no B); gap is then ignored. gap = INFINITY also. */
} gn_model_opts;

/* Defaults of doc/design.md ("Models") for kind; gap and a0 are left NAN and must be set by the caller. */
void gn_model_opts_default(gn_model_opts *o, gn_model_kind kind);

/* Checks the options (finite positive gap unless single, a0 > 0, counts, registry for kind). */
int gn_model_opts_check(const gn_model_opts *o, gn_error *err);

typedef struct gn_site {
    char name[16];   /* "A100:0" */
    char crystal;    /* 'A' or 'B' */
    int facet;       /* 100 or 111 */
    int index;
    double pos[3];   /* Å, the lattice point where the adatom goes (before relaxation) */
    double dist;     /* Å: lateral distance to the cell centre (s2s), distance to the crystal's
                        own edge line (e2e) */
    int nneigh;      /* nearest neighbours (at a0/sqrt2) in its crystal: 4 on (100), 3 on (111) */
} gn_site;

/* The model without adatom. Caller frees with gn_atoms_free. */
int gn_model_build(const gn_model_opts *o, gn_atoms **out, gn_error *err);

/* Every site of the model (A's then B's; per crystal and facet in index order). Caller free()s
 * *sites. */
int gn_model_sites(const gn_model_opts *o, gn_site **sites, size_t *nsites, gn_error *err);

/* One site by name ("A100:0", case-sensitive); GN_EINVAL naming the valid range if absent. */
int gn_model_find_site(const gn_model_opts *o, const char *name, gn_site *site, gn_error *err);

/* The model with an adatom (species o->z, not fixed) at the named site, appended last. */
int gn_model_with_adatom(const gn_model_opts *o, const char *site, gn_atoms **out,
                         gn_error *err);

/* The sites a process goes between.
 * s2s hop: A100:0 -> the A100 site at A100:0 + (a0/sqrt2, 0, 0) (minimum image);
 * s2s transfer: A100:0 -> the nearest B100 site (ties: lowest index);
 * e2e hop: A100:0 -> A111:0; e2e transfer: A100:0 -> B100:0.
 * transfer fails (GN_EINVAL) for a single-crystal model. */
int gn_model_process_sites(const gn_model_opts *o, gn_process process, gn_site *from,
                           gn_site *to, gn_error *err);

/* Both endpoint structures of a process (adatom at from and to; identical otherwise). */
int gn_model_process(const gn_model_opts *o, gn_process process, gn_atoms **initial,
                     gn_atoms **final, gn_error *err);

/* ---- several adatoms (model_adatoms.c) -------------------------------------------------
 * Adatoms are appended after the crystal atoms in the order given, species o->z, movable. An
 * adatom closer than GN_MODEL_ADATOM_ROOM nearest-neighbour distances (a0/sqrt2) to an atom of
 * the model or to another adatom is refused, with a message naming both. */
#define GN_MODEL_ADATOM_ROOM 0.7

/* Nearest-neighbour distance a0/sqrt2 of the model's crystals, Å. */
double gn_model_nn_distance(const gn_model_opts *o);

/* The model with adatoms on the named sites (a site named twice is refused). */
int gn_model_with_adatoms(const gn_model_opts *o, const char *const *sites, size_t nsites,
                          gn_atoms **out, gn_error *err);

/* A copy of base (any structure: the bare model, or a relaxed one with adatoms already) with
 * adatoms of species z added at sites[k].pos (catalogue sites or any points; their names are
 * used in messages). nn: the nearest-neighbour distance of the room rule, Å. */
int gn_model_add_adatoms(const gn_atoms *base, int z, double nn, const gn_site *sites,
                         size_t nsites, gn_atoms **out, gn_error *err);

/* Both endpoints of a custom process: adatom k on initial[k] in the initial structure and on
 * final[k] in the final one (an adatom with the same site in both is a spectator). */
int gn_model_custom_process(const gn_model_opts *o, const char *const *initial,
                            const char *const *final, size_t nadatoms, gn_atoms **ini,
                            gn_atoms **fin, gn_error *err);

/* Names: "s2s"/"e2e"; registries "hollow", "top", "bridge", "aligned", "staggered".
 * parse functions return GN_OK or GN_EINVAL with a message (nothing written to *out then). */
int gn_model_kind_parse(const char *s, gn_model_kind *out, gn_error *err);
const char *gn_model_kind_name(gn_model_kind k);
int gn_model_registry_parse(gn_model_kind kind, const char *s, int *out, gn_error *err);
const char *gn_model_registry_name(int registry);

#ifdef __cplusplus
}
#endif
#endif
