/* gapneb: the models (doc/design.md, "Models"), their adsorption sites and processes. Lengths in Å.
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
 * m a0/sqrt2; y, z free. Sites nearest the edge line: (100) at a0/2 sqrt(3/2), (111) fcc at
 * a0/sqrt2, (111) hcp at a0/2 sqrt(3/2) (2.400, 2.772 and 2.400 Å for a0 = 3.92 Å).
 *
 * pt100, pt111 (terraces, one crystal, no gap): pt100 is the s2s crystal A alone; pt111 an
 * fcc(111) slab of n x n primitive surface cells (n^2 atoms a layer), L layers spaced a0/sqrt3,
 * ABC stacking, surface at z = 0, bulk below; x along [1-10], y along [11-2], z along [111];
 * cell vectors (n s, 0, 0) and (n s/2, n s sqrt3/2, 0) (s = a0/sqrt2, periodic), z free; the 2
 * layers farthest from the surface fixed, like s2s.
 *
 * nc (nanocrystals): crystal A is a finite fcc crystal bounded by {100} and {111} planes (a
 * truncated octahedron, or the Wulff shape of the given surface energies), free in every
 * direction (all cell vectors zero). With facing FACET its top (001) facet (nuclei plane) lies at
 * z = 0 centred on the z axis, x along [110], y along [-110]; with facing EDGE the middle of its
 * (001)/(111) edge row is at the origin in the e2e frame (x along the edge [1-10], the (001)
 * facet on y < 0, the (111) facet on y > 0). Bulk at z < 0 either way; crystal B is A mirrored
 * through z = d/2 and shifted by the registry, as in the other models. Sites: facet, the
 * (100) sites of the facing facet, index 0 nearest the z axis (dist: lateral distance to it);
 * edge, the (100) and (111) sites of the two facets at the facing edge, index 0 nearest the edge
 * row and, among those, nearest the axis (dist: distance to the edge line, ties by |x|).
 *
 * With vacuum > 0 the free directions get cell vectors spanning the structure plus that much
 * vacuum and every position (atoms and sites) is translated so that the structure is centred in
 * the box; with vacuum = 0 (the default) the free vectors are zero and the frame is as above.
 *
 * Atom order: crystal A, then crystal B (B's atom i is the mirror image of A's atom i), then the
 * adatom(s) (last, in the order given), so the two endpoints of a process list the same atoms in the same order.
 *
 * Sites (doc/design.md, "Sites"): names "CRYSTAL FACET [h] : INDEX". "A100:0" a 4-fold (100)
 * hollow, "A111:2" a (111) fcc hollow, "A111h:0" a (111) hcp hollow (an atom of the second layer
 * straight below), of crystal A or B; "G:0" a mid-gap site (model_gap.h: found by relaxation, so
 * not in the pure-geometry list of gn_model_sites). Per family, index 0 is the site nearest the
 * lateral centre of the cell (s2s, pt100, pt111), the z axis (nc facing a facet) or nearest the
 * crystal's edge line (e2e, nc facing an edge, then nearest the axis), then
 * in order of that distance. Ties (exact within 1e-6 Å) are broken by the distance |x - Lx/2| to
 * the middle of the cell along x, then by x, then y, then z (smaller first): the order is
 * deterministic.
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

typedef enum gn_model_kind {
    GN_MODEL_S2S = 0,   /* two (100) slabs facing across the gap */
    GN_MODEL_E2E = 1,   /* two (100)/(111) edges facing across the gap */
    GN_MODEL_PT100 = 2, /* one (100) slab: the s2s crystal alone (no gap) */
    GN_MODEL_PT111 = 3, /* one (111) slab (no gap) */
    GN_MODEL_NC = 4,    /* two finite nanocrystals facing with facets or edges across the gap */
    GN_MODEL_COUNT
} gn_model_kind;

/* 1 for the models with two crystals and a gap (s2s, e2e, nc), 0 for the terraces. */
int gn_model_has_gap(gn_model_kind k);

/* nc: what faces the gap, and how the crystals are cut. */
typedef enum gn_nc_facing { GN_NC_FACET = 0, GN_NC_EDGE = 1 } gn_nc_facing;
typedef enum gn_nc_shape { GN_NC_OCTAHEDRON = 0, GN_NC_WULFF = 1 } gn_nc_shape;

/* The processes a row of the table computes (doc/design.md, "Processes"). A new process is added
 * here, in the tables of model.c (name, route, models that define it) and in model_process.c. */
typedef enum gn_process {
    GN_PROCESS_HOP = 0,      /* the adatom to a neighbouring site of the same crystal */
    GN_PROCESS_TRANSFER = 1, /* A100:0 across the gap to a site of crystal B */
    GN_PROCESS_EXCHANGE = 2, /* the adatom takes the place of a surface atom, which is pushed
                                out to a hollow of the same crystal */
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

/* "hop", "transfer", "exchange"; parse returns GN_OK or GN_EINVAL with a message naming the
 * valid names. */
int gn_process_parse(const char *s, gn_process *out, gn_error *err);
const char *gn_process_name(gn_process p);
/* The valid names for messages: "hop, transfer or exchange". */
const char *gn_process_names_text(void);

/* 1 if model k defines process p: hop and exchange on every model, transfer on s2s and e2e, a
 * custom process on every model (its sites decide). */
int gn_model_has_process(gn_model_kind k, gn_process p);

/* Where a process takes the adatom's mass: leaving its site within its crystal (hop, exchange)
 * or across the gap to the other crystal (transfer). The table's lowest-mechanism columns take
 * the lowest barrier of each route (mechanism.h); custom processes (several adatoms, any sites)
 * have no route and take no part in them. */
typedef enum gn_route { GN_ROUTE_WITHIN = 0, GN_ROUTE_ACROSS = 1, GN_ROUTE_COUNT } gn_route;
gn_route gn_process_route(gn_process p);
/* "within", "across". */
const char *gn_route_name(gn_route r);

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

/* Widest gaps, Å. Beyond ~3 cutoffs the crystals no longer see each other (the wide-gap limit is
 * the single crystal, `single`), and a mistyped 1e5 for 5 would only build a box of vacuum:
 * GN_MODEL_GAP_MAX is the largest gap accepted unless the user raises it (`build --gap`, the
 * table's default gap_max); GN_MODEL_GAP_LIMIT is as far as it may be raised, and
 * gn_model_opts_check refuses d outside (0, GN_MODEL_GAP_LIMIT]. */
#define GN_MODEL_GAP_MAX 50.0
#define GN_MODEL_GAP_LIMIT 1000.0

typedef struct gn_model_opts {
    gn_model_kind kind;
    double gap;       /* Å: s2s nuclei plane to nuclei plane; e2e edge row to edge row (z) */
    double a0;        /* Å: fcc lattice constant, the potential's equilibrium value */
    int z;            /* atomic number of the crystal atoms and the adatom (GN_Z_PT) */
    int n;            /* s2s, pt100, pt111: n x n surface cells (default 4) */
    int layers;       /* s2s, pt100, pt111: layers per slab (default 4, at least 3: the 2
                         farthest from the surface are fixed) */
    int registry;     /* GN_REG_* (default HOLLOW for s2s and nc, ALIGNED for e2e; nc facing
                         an EDGE takes ALIGNED or STAGGERED; unused by pt100, pt111) */
    int m;            /* e2e: periodic length in edge spacings a0/sqrt2 (default 4) */
    double R;         /* e2e: keep atoms within R of the edge line, Å (default 12) */
    double fix_depth; /* e2e: atoms farther than R - fix_depth from the edge are fixed, Å (4) */
    double vacuum;    /* Å of vacuum along free directions (0: zero cell vectors) */
    int single;       /* 1: crystal A alone (no B); gap is then ignored. gap = INFINITY also;
                         pt100 and pt111 are always single */
    /* nc only. The crystal is the set of lattice points within the (100) planes at distance
     * h100 a0/2 from its centre and the (111) planes at h111 a0/(2 sqrt3) (integers, see
     * gn_nc_info). octahedron: the truncated octahedra cut from a regular octahedron of n atoms
     * along an edge by c = round((n-1)/3) layers at each vertex (h111 = n-1, h100 = n-1-c:
     * 38, 79, 116, 201, 314, 405, 586, ... atoms); wulff: h100/h111 nearest gamma100/(sqrt3
     * gamma111), kept within (1/2, 1) so that both facet families and the (100)/(111) edges
     * exist. Size: natoms > 0 picks the shape of the family with the atom count nearest natoms
     * (the smaller on a tie), otherwise diameter does, by the distance h100 a0 between opposite
     * (100) facets (nuclei planes) nearest it. */
    gn_nc_facing facing;  /* default FACET */
    gn_nc_shape shape;    /* default OCTAHEDRON */
    double diameter;      /* Å, (100) facet to opposite facet, nuclei planes (default 20) */
    int natoms;           /* atoms per crystal wanted; 0 (default): use diameter */
    double gamma100, gamma111; /* wulff: surface energies, any one unit (only the ratio counts);
                                  NAN by default (the caller takes them from the potential) */
    double fix_shell;     /* Å: atoms less than this below the crystal's surface, on the half
                             away from the gap, are fixed (default 1: the outer atomic layer of
                             that half; 0: no atom fixed, free crystals) */
} gn_model_opts;

/* The integers that define an nc crystal and what they mean in Å. */
typedef struct gn_nc_info {
    int h100, h111;       /* facet planes at h100 a0/2 and h111 a0/(2 sqrt3) from the centre */
    int parity;           /* lattice points a0/2 (i,j,k) with i+j+k = parity mod 2 (1: the centre
                             is an octahedral hole, not an atom) */
    size_t natoms;        /* atoms per crystal */
    double d100, d111;    /* Å: centre to (100) and to (111) nuclei planes */
    int edge_atoms;       /* atoms on each (100)/(111) edge row */
} gn_nc_info;

/* The shape gn_model_build makes for o (o->kind must be GN_MODEL_NC; gap is not needed). */
int gn_nc_info_get(const gn_model_opts *o, gn_nc_info *out, gn_error *err);

/* "facet"/"edge", "octahedron"/"wulff"; parse returns GN_OK or GN_EINVAL with a message. */
int gn_nc_facing_parse(const char *s, gn_nc_facing *out, gn_error *err);
const char *gn_nc_facing_name(gn_nc_facing f);
int gn_nc_shape_parse(const char *s, gn_nc_shape *out, gn_error *err);
const char *gn_nc_shape_name(gn_nc_shape s);

/* Defaults of doc/design.md ("Models") for kind; gap and a0 are left NAN and must be set by the caller. */
void gn_model_opts_default(gn_model_opts *o, gn_model_kind kind);

/* Checks the options (finite positive gap unless single or a terrace, a0 > 0, counts, registry for kind). */
int gn_model_opts_check(const gn_model_opts *o, gn_error *err);

/* Kinds of site. Hollows are geometric (the adatom goes on an ideal position, then relaxes);
 * mid-gap sites are relaxed positions (model_gap.h). */
typedef enum gn_site_kind {
    GN_SITE_HOLLOW100 = 0, /* 4-fold hollow of a (100) facet: the next layer's lattice point */
    GN_SITE_FCC111 = 1,    /* 3-fold fcc hollow of a (111) facet: the next layer's lattice point */
    GN_SITE_HCP111 = 2,    /* 3-fold hcp hollow of a (111) facet: above a second-layer atom */
    GN_SITE_GAP = 3,       /* mid-gap: a minimum where the adatom is bonded to both crystals */
    GN_SITE_KIND_COUNT
} gn_site_kind;

/* "hollow100", "fcc111", "hcp111", "gap". */
const char *gn_site_kind_name(int kind);

typedef struct gn_site {
    char name[16];   /* "A100:0", "A111h:3", "G:1" */
    char crystal;    /* 'A' or 'B'; 'G' for a mid-gap site */
    int facet;       /* 100 or 111; 0 for a mid-gap site */
    int kind;        /* gn_site_kind */
    int index;       /* within the family (crystal, facet, kind) */
    double pos[3];   /* Å: hollows: the ideal position where the adatom goes (before relaxation);
                        mid-gap: the relaxed adatom position */
    double dist;     /* Å: lateral distance to the cell centre (s2s, pt100, pt111), distance to the
                        crystal's own edge line (e2e; mid-gap: to the line midway between the edge
                        rows) */
    int nneigh;      /* hollows: nearest neighbours (at a0/sqrt2) in its crystal, 4 on (100),
                        3 on (111); mid-gap: atoms within the bond length (model_gap.h) */
} gn_site;

/* The model without adatom. Caller frees with gn_atoms_free. */
int gn_model_build(const gn_model_opts *o, gn_atoms **out, gn_error *err);

/* Every site of the model (A's then B's; per crystal and facet in index order). Caller free()s
 * *sites. */
int gn_model_sites(const gn_model_opts *o, gn_site **sites, size_t *nsites, gn_error *err);

/* One site by name ("A100:0", case-sensitive); GN_EINVAL naming the valid range if absent.
 * Mid-gap names (G:i) are looked up with gn_model_find_gap_site (model_gap.h). */
int gn_model_find_site(const gn_model_opts *o, const char *name, gn_site *site, gn_error *err);

/* The model with an adatom (species o->z, not fixed) at the named site, appended last. */
int gn_model_with_adatom(const gn_model_opts *o, const char *site, gn_atoms **out,
                         gn_error *err);

/* What a process does (doc/design.md, "Processes"). The adatom starts at from: A100:0 (s2s,
 * e2e, pt100, nc) or A111:0 (pt111).
 * hop: the adatom moves to `to`: s2s, pt100 and nc facing a facet: the A100 site at from +
 *   (a0/sqrt2, 0, 0) (minimum image); e2e and nc facing an edge: A111:0, over the edge; pt111:
 *   the nearest A111h site (ties: lowest index).
 * transfer: the adatom moves to `to`: s2s and nc the nearest B100 site (ties: lowest index); e2e
 *   B100:0.
 * exchange: the adatom takes the lattice position of atom `displaced` of crystal A, a nearest
 *   neighbour of from, and that atom moves to the hollow `to`: s2s, pt100, nc facing a facet:
 *   the A100 hollow diagonally across, from + 2 (r_displaced - from) laterally, a0 from `from`
 *   along <100>; pt111: the A111h hollow diagonally across the same way (2 a0/sqrt6 from
 *   `from`); e2e, nc facing an edge: `displaced` is an atom of the edge row and `to` the A111
 *   hollow next to it (the nearest A111 site, the same site class as the e2e hop). Among the
 *   neighbours that qualify the one whose `to` has the lowest index is taken (A100:5 on the
 *   default s2s, A111:0 on e2e).
 * transfer fails (GN_EINVAL) for a single-crystal model. */
typedef struct gn_model_move {
    gn_process process;
    gn_site from, to;
    long displaced;         /* exchange: index (from 0) of the atom the adatom replaces; -1 */
    double vacated[3];      /* exchange: its lattice position, the adatom's final position */
} gn_model_move;

int gn_model_process_move(const gn_model_opts *o, gn_process process, gn_model_move *move,
                          gn_error *err);

/* from and to of gn_model_process_move (for exchange, to is where the displaced atom ends). */
int gn_model_process_sites(const gn_model_opts *o, gn_process process, gn_site *from,
                           gn_site *to, gn_error *err);

/* Both endpoint structures of a process: the model with the adatom (last) at from, and the same
 * atoms in the same order after the move (hop, transfer: the adatom at to; exchange: the
 * displaced atom at to, the adatom at the vacated lattice position). */
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
 * final[k] in the final one (an adatom with the same site in both is a spectator). The sites
 * are looked up by the caller (gn_model_find_site, or gn_model_find_any_site of model_gap.h for
 * mid-gap sites). */
int gn_model_custom_process(const gn_model_opts *o, const gn_site *initial,
                            const gn_site *final, size_t nadatoms, gn_atoms **ini,
                            gn_atoms **fin, gn_error *err);

/* The endpoints of the adatom going from one site to another of the model (any two sites,
 * mid-gap sites included: model_gap.h), the atoms identical otherwise. Each site must have room
 * for an adatom. */
int gn_model_site_endpoints(const gn_model_opts *o, const gn_site *from, const gn_site *to,
                            gn_atoms **initial, gn_atoms **final, gn_error *err);

/* Names: "s2s", "e2e", "pt100", "pt111", "nc"; registries "hollow", "top", "bridge", "aligned",
 * "staggered".
 * parse functions return GN_OK or GN_EINVAL with a message (nothing written to *out then). */
int gn_model_kind_parse(const char *s, gn_model_kind *out, gn_error *err);
const char *gn_model_kind_name(gn_model_kind k);
int gn_model_registry_parse(gn_model_kind kind, const char *s, int *out, gn_error *err);
const char *gn_model_registry_name(int registry);

/* The gap after relaxation (Å) of a structure of the model (crystal A, crystal B, then any
 * adatoms, e.g. a relaxed initial state): s2s, the distance between the mean heights (z) of the
 * two facing layers; e2e, the distance between the two edge rows (their mean positions across
 * the edge, y and z). The facing layer and edge row are those of the unrelaxed model built from
 * o. GN_EINVAL for a single crystal or a structure with fewer atoms than the model. */
int gn_model_relaxed_gap(const gn_model_opts *o, const gn_atoms *relaxed, double *gap,
                         gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
