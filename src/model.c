/* gapneb: the gap models: options, crystal B, sites, processes (doc/design.md, "Models", "Sites",
 * "Processes"). Å.
 *
 * Crystal A comes from model_s2s.c or model_e2e.c. Everything else is common: B is A mirrored
 * through z = d/2 and shifted by the registry, atom by atom, so B's atom i is the image of A's
 * atom i; sites are candidates kept only if they have the full nearest-neighbour count in their
 * crystal (which is what removes points hanging over an edge or beyond the cut radius).
 */
#include "model_internal.h"
#include "gapneb/element.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NN_TOL 1e-6   /* Å: neighbour distances are exact lattice vectors up to rounding */
#define TIE_TOL 1e-6  /* Å: distances closer than this are ties in the site order */

/* ---- options and names ---------------------------------------------------------------- */

void gn_model_opts_default(gn_model_opts *o, gn_model_kind kind)
{
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->gap = NAN;
    o->a0 = NAN;
    o->z = GN_Z_PT;
    o->n = 4;
    o->layers = 4;
    o->registry = kind == GN_MODEL_E2E ? GN_REG_ALIGNED : GN_REG_HOLLOW;
    o->m = 4;
    o->R = 12.0;
    o->fix_depth = 4.0;
    o->vacuum = 0.0;
    o->single = 0;
}

static int is_single(const gn_model_opts *o) { return o->single || isinf(o->gap); }

int gn_model_opts_check(const gn_model_opts *o, gn_error *err)
{
    if (o->kind != GN_MODEL_S2S && o->kind != GN_MODEL_E2E)
        return gn_error_set(err, GN_EINVAL, "unknown model kind %d", (int)o->kind);
    if (!isfinite(o->a0) || o->a0 <= 0.0)
        return gn_error_set(err, GN_EINVAL, "lattice constant a0 = %g Å: must be finite and > 0",
                            o->a0);
    if (!is_single(o) && !(o->gap > 0.0 && o->gap <= GN_MODEL_GAP_LIMIT))
        return gn_error_set(err, GN_EINVAL, "gap d = %g Å: must be > 0 and at most %g Å", o->gap,
                            GN_MODEL_GAP_LIMIT);
    if (!isfinite(o->vacuum) || o->vacuum < 0.0)
        return gn_error_set(err, GN_EINVAL, "vacuum = %g Å: must be >= 0", o->vacuum);
    if (o->z < 0 || o->z > 118)
        return gn_error_set(err, GN_EINVAL, "atomic number %d out of range", o->z);
    if (o->kind == GN_MODEL_S2S) {
        if (o->n < 2 || o->n > 64)
            return gn_error_set(err, GN_EINVAL, "s2s: n = %d surface cells: must be 2..64", o->n);
        if (o->layers < 3 || o->layers > 200)
            return gn_error_set(err, GN_EINVAL,
                                "s2s: %d layers: must be 3..200 (the 2 farthest are fixed)",
                                o->layers);
        if (o->registry != GN_REG_HOLLOW && o->registry != GN_REG_TOP &&
            o->registry != GN_REG_BRIDGE)
            return gn_error_set(err, GN_EINVAL, "s2s: registry must be hollow, top or bridge");
    } else {
        if (o->m < 2 || o->m > 100)
            return gn_error_set(err, GN_EINVAL, "e2e: m = %d edge spacings: must be 2..100", o->m);
        if (!isfinite(o->R) || o->R < 2.0 * o->a0 || o->R > 60.0 * o->a0)
            return gn_error_set(err, GN_EINVAL, "e2e: radius R = %g Å: must be 2 a0 .. 60 a0",
                                o->R);
        if (!isfinite(o->fix_depth) || o->fix_depth < 0.0 || o->fix_depth >= o->R)
            return gn_error_set(err, GN_EINVAL, "e2e: fixed depth %g Å: must be in [0, R)",
                                o->fix_depth);
        if (o->registry != GN_REG_ALIGNED && o->registry != GN_REG_STAGGERED)
            return gn_error_set(err, GN_EINVAL, "e2e: registry must be aligned or staggered");
    }
    return GN_OK;
}

int gn_model_kind_parse(const char *s, gn_model_kind *out, gn_error *err)
{
    if (s && strcmp(s, "s2s") == 0)
        *out = GN_MODEL_S2S;
    else if (s && strcmp(s, "e2e") == 0)
        *out = GN_MODEL_E2E;
    else
        return gn_error_set(err, GN_EINVAL, "unknown model '%s' (expected s2s or e2e)",
                            s ? s : "");
    return GN_OK;
}

const char *gn_model_kind_name(gn_model_kind k)
{
    return k == GN_MODEL_S2S ? "s2s" : k == GN_MODEL_E2E ? "e2e" : "unknown";
}

static const struct {
    const char *name;
    int reg;
    gn_model_kind kind;
} registries[] = {
    {"hollow", GN_REG_HOLLOW, GN_MODEL_S2S},     {"top", GN_REG_TOP, GN_MODEL_S2S},
    {"bridge", GN_REG_BRIDGE, GN_MODEL_S2S},     {"aligned", GN_REG_ALIGNED, GN_MODEL_E2E},
    {"staggered", GN_REG_STAGGERED, GN_MODEL_E2E},
};
#define NREG (sizeof registries / sizeof registries[0])

int gn_model_registry_parse(gn_model_kind kind, const char *s, int *out, gn_error *err)
{
    for (size_t i = 0; s && i < NREG; i++)
        if (registries[i].kind == kind && strcmp(s, registries[i].name) == 0) {
            *out = registries[i].reg;
            return GN_OK;
        }
    return gn_error_set(err, GN_EINVAL, "%s: unknown registry '%s' (expected %s)",
                        gn_model_kind_name(kind), s ? s : "",
                        kind == GN_MODEL_S2S ? "hollow, top or bridge" : "aligned or staggered");
}

static const char *const process_names[GN_PROCESS_COUNT] = {"hop", "transfer"};

int gn_process_parse(const char *s, gn_process *out, gn_error *err)
{
    for (int i = 0; s && i < GN_PROCESS_COUNT; i++)
        if (strcmp(s, process_names[i]) == 0) {
            *out = (gn_process)i;
            return GN_OK;
        }
    return gn_error_set(err, GN_EINVAL, "unknown process '%s' (expected %s)", s ? s : "",
                        gn_process_names_text());
}

const char *gn_process_name(gn_process p)
{
    return (int)p >= 0 && p < GN_PROCESS_COUNT ? process_names[p] : "unknown";
}

const char *gn_process_names_text(void) { return "hop or transfer"; }

const char *gn_model_registry_name(int registry)
{
    for (size_t i = 0; i < NREG; i++)
        if (registries[i].reg == registry)
            return registries[i].name;
    return "unknown";
}

/* ---- crystal B ------------------------------------------------------------------------- */

static void registry_shift(const gn_model_opts *o, double sh[2])
{
    const double s = gn_model_spacing(o);
    sh[0] = sh[1] = 0.0;
    switch (o->registry) {
    case GN_REG_HOLLOW: sh[0] = sh[1] = 0.5 * s; break;
    case GN_REG_BRIDGE:
    case GN_REG_STAGGERED: sh[0] = 0.5 * s; break;
    default: break;
    }
}

/* Wraps periodic coordinates into [0, L): positions stay tidy and comparable. The cell vectors
 * of both models lie along the Cartesian axes. */
static void wrap(const gn_cell *c, double r[3])
{
    for (int k = 0; k < 3; k++)
        if (c->pbc[k]) {
            double L = c->h[k][k];
            r[k] -= L * floor(r[k] / L);
            if (r[k] >= L - 1e-12 * L)
                r[k] = 0.0;
        }
}

static void b_image(const gn_model_opts *o, const gn_cell *c, const double ra[3], double rb[3])
{
    double sh[2];
    registry_shift(o, sh);
    rb[0] = ra[0] + sh[0];
    rb[1] = ra[1] + sh[1];
    rb[2] = o->gap - ra[2];
    wrap(c, rb);
}

/* ---- the raw model (frame of model.h, no vacuum) --------------------------------------- */

static int crystal_a(const gn_model_opts *o, gn_atoms *a, gn_error *err)
{
    return o->kind == GN_MODEL_S2S ? gn_model_s2s_crystal(o, a, err)
                                   : gn_model_e2e_crystal(o, a, err);
}

static int add_crystal_b(const gn_model_opts *o, gn_atoms *a, gn_error *err)
{
    const size_t na = a->n;
    int rc = GN_OK;
    for (size_t i = 0; i < na && !rc; i++) {
        double rb[3];
        b_image(o, &a->cell, a->pos + 3 * i, rb);
        rc = gn_atoms_push(a, o->z, rb, a->fixed[i], err);
    }
    return rc;
}

/* The crystals must not interpenetrate: no A-B pair closer than half the NN spacing. Only
 * atoms within lim of the other crystal's extent along z can form such a pair, which keeps
 * large models cheap. */
static int check_overlap(const gn_model_opts *o, const gn_atoms *a, size_t na, gn_error *err)
{
    const double lim = 0.5 * gn_model_spacing(o);
    double zAmax = -INFINITY, zBmin = INFINITY;
    for (size_t i = 0; i < a->n; i++) {
        if (i < na)
            zAmax = fmax(zAmax, a->pos[3 * i + 2]);
        else
            zBmin = fmin(zBmin, a->pos[3 * i + 2]);
    }
    for (size_t i = 0; i < na; i++) {
        if (a->pos[3 * i + 2] < zBmin - lim)
            continue;
        for (size_t j = na; j < a->n; j++) {
            if (a->pos[3 * j + 2] > zAmax + lim)
                continue;
            double d[3];
            gn_atoms_displacement(a, i, j, d);
            double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            if (r < lim)
                return gn_error_set(err, GN_EINVAL,
                                    "%s gap d = %g Å: atoms of the two crystals %.3f Å apart "
                                    "(closer than %.3f Å); use a wider gap",
                                    gn_model_kind_name(o->kind), o->gap, r, lim);
        }
    }
    return GN_OK;
}

/* Atoms of a[lo, hi) at exactly the NN spacing from r, over the periodic images; -1 if some atom
 * is closer than that (the point is not a free lattice site). */
static int count_neighbours(const gn_model_opts *o, const gn_atoms *a, size_t lo, size_t hi,
                            const double r[3])
{
    const double nn = gn_model_spacing(o);
    int range[3];
    for (int k = 0; k < 3; k++)
        range[k] = a->cell.pbc[k] ? 1 : 0;
    int count = 0;
    for (size_t i = lo; i < hi; i++) {
        /* z is free in both models: most atoms are rejected here without the image loop */
        if (fabs(a->pos[3 * i + 2] - r[2]) > nn + NN_TOL)
            continue;
        for (int u = -range[0]; u <= range[0]; u++)
            for (int v = -range[1]; v <= range[1]; v++) {
                double d2 = 0.0;
                for (int x = 0; x < 3; x++) {
                    double d = a->pos[3 * i + x] + u * a->cell.h[0][x] + v * a->cell.h[1][x] - r[x];
                    d2 += d * d;
                }
                double d = sqrt(d2);
                if (d < nn - NN_TOL)
                    return -1;
                if (d < nn + NN_TOL)
                    count++;
            }
    }
    return count;
}

static double site_dist(const gn_model_opts *o, const gn_cell *c, char crystal, const double r[3])
{
    if (o->kind == GN_MODEL_S2S) {
        double dx = r[0] - 0.5 * c->h[0][0], dy = r[1] - 0.5 * c->h[1][1];
        return sqrt(dx * dx + dy * dy);
    }
    double z0 = crystal == 'A' ? 0.0 : o->gap;
    return sqrt(r[1] * r[1] + (r[2] - z0) * (r[2] - z0));
}

static int site_push(gn_site **v, size_t *n, size_t *cap, const gn_site *s, gn_error *err)
{
    if (*n == *cap) {
        size_t ncap = *cap ? 2 * *cap : 64;
        gn_site *nv = realloc(*v, ncap * sizeof *nv);
        if (!nv)
            return gn_error_set(err, GN_ENOMEM, "out of memory for sites");
        *v = nv;
        *cap = ncap;
    }
    (*v)[(*n)++] = *s;
    return GN_OK;
}

/* Sites of A that have the full neighbour set in A, and their images in B. */
static int find_sites(const gn_model_opts *o, const gn_atoms *a, size_t na, gn_site **out,
                      size_t *nout, gn_error *err)
{
    gn_model_cands c = {0};
    int rc = o->kind == GN_MODEL_S2S ? gn_model_s2s_candidates(o, &c, err)
                                     : gn_model_e2e_candidates(o, &c, err);
    gn_site *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < c.n && !rc; i++) {
        int full = c.v[i].facet == 100 ? 4 : 3;
        if (count_neighbours(o, a, 0, na, c.v[i].pos) != full)
            continue;
        gn_site s = {.crystal = 'A', .facet = c.v[i].facet, .nneigh = full};
        memcpy(s.pos, c.v[i].pos, sizeof s.pos);
        wrap(&a->cell, s.pos);
        rc = site_push(&v, &n, &cap, &s, err);
    }
    free(c.v);
    const size_t nA = n;
    for (size_t i = 0; i < nA && !rc && !is_single(o); i++) {
        gn_site s = v[i];
        s.crystal = 'B';
        b_image(o, &a->cell, v[i].pos, s.pos);
        rc = site_push(&v, &n, &cap, &s, err);
    }
    for (size_t i = 0; i < n; i++)
        v[i].dist = site_dist(o, &a->cell, v[i].crystal, v[i].pos);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *nout = n;
    return GN_OK;
}

/* Order: crystal, facet, then distance, |x - Lx/2|, x, y, z with ties within TIE_TOL. qsort
 * passes no context, so each key carries its own |x - Lx/2|. */
typedef struct site_key {
    gn_site s;
    double xmid; /* |x - Lx/2| */
} site_key;

static int cmp_tol(double a, double b)
{
    if (a < b - TIE_TOL)
        return -1;
    if (a > b + TIE_TOL)
        return 1;
    return 0;
}

static int cmp_site(const void *va, const void *vb)
{
    const site_key *a = va, *b = vb;
    if (a->s.crystal != b->s.crystal)
        return a->s.crystal < b->s.crystal ? -1 : 1;
    if (a->s.facet != b->s.facet)
        return a->s.facet < b->s.facet ? -1 : 1;
    int c;
    if ((c = cmp_tol(a->s.dist, b->s.dist)) || (c = cmp_tol(a->xmid, b->xmid)))
        return c;
    for (int k = 0; k < 3; k++)
        if ((c = cmp_tol(a->s.pos[k], b->s.pos[k])))
            return c;
    return 0;
}

static int order_sites(const gn_cell *cell, gn_site *v, size_t n, gn_error *err)
{
    if (n == 0)
        return GN_OK;
    site_key *keys = malloc(n * sizeof *keys);
    if (!keys)
        return gn_error_set(err, GN_ENOMEM, "out of memory for sites");
    for (size_t i = 0; i < n; i++) {
        keys[i].s = v[i];
        keys[i].xmid = fabs(v[i].pos[0] - 0.5 * cell->h[0][0]);
    }
    qsort(keys, n, sizeof *keys, cmp_site);
    int index = 0;
    for (size_t i = 0; i < n; i++) {
        v[i] = keys[i].s;
        if (i > 0 && (v[i].crystal != v[i - 1].crystal || v[i].facet != v[i - 1].facet))
            index = 0;
        v[i].index = index++;
        snprintf(v[i].name, sizeof v[i].name, "%c%d:%d", v[i].crystal, v[i].facet, v[i].index);
    }
    free(keys);
    return GN_OK;
}

/* Vacuum: free directions get a vector spanning the atoms plus the vacuum, and everything moves
 * so that the atoms are centred in it. */
static int apply_vacuum(const gn_model_opts *o, gn_atoms *a, gn_site *sites, size_t ns,
                        gn_error *err)
{
    if (o->vacuum <= 0.0)
        return GN_OK;
    double h[3][3];
    int pbc[3];
    memcpy(h, a->cell.h, sizeof h);
    for (int k = 0; k < 3; k++)
        pbc[k] = a->cell.pbc[k];
    for (int k = 0; k < 3; k++) {
        if (pbc[k])
            continue;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < a->n; i++) {
            lo = fmin(lo, a->pos[3 * i + k]);
            hi = fmax(hi, a->pos[3 * i + k]);
        }
        double shift = 0.5 * o->vacuum - lo;
        for (size_t i = 0; i < a->n; i++)
            a->pos[3 * i + k] += shift;
        for (size_t i = 0; i < ns; i++)
            sites[i].pos[k] += shift;
        memset(h[k], 0, sizeof h[k]);
        h[k][k] = hi - lo + o->vacuum;
    }
    return gn_cell_init(&a->cell, h, pbc, err);
}

/* The model (atoms, and sites if wanted) in its final frame. */
static int make(const gn_model_opts *o, gn_atoms **atoms, gn_site **sites, size_t *nsites,
                gn_error *err)
{
    *atoms = NULL;
    if (sites) {
        *sites = NULL;
        *nsites = 0;
    }
    int rc = gn_model_opts_check(o, err);
    if (rc)
        return rc;
    gn_atoms *a = NULL;
    if ((rc = gn_atoms_alloc(&a, 0, err)))
        return rc;
    rc = crystal_a(o, a, err);
    const size_t na = a->n;
    if (!rc && !is_single(o)) {
        rc = add_crystal_b(o, a, err);
        if (!rc)
            rc = check_overlap(o, a, na, err);
    }
    gn_site *v = NULL;
    size_t nv = 0;
    if (!rc && sites)
        rc = find_sites(o, a, na, &v, &nv, err);
    if (!rc && sites)
        rc = order_sites(&a->cell, v, nv, err);
    if (!rc)
        rc = apply_vacuum(o, a, v, nv, err);
    if (rc) {
        gn_atoms_free(a);
        free(v);
        return rc;
    }
    *atoms = a;
    if (sites) {
        *sites = v;
        *nsites = nv;
    }
    return GN_OK;
}

/* ---- public API ------------------------------------------------------------------------ */

int gn_model_build(const gn_model_opts *o, gn_atoms **out, gn_error *err)
{
    return make(o, out, NULL, NULL, err);
}

int gn_model_sites(const gn_model_opts *o, gn_site **sites, size_t *nsites, gn_error *err)
{
    gn_atoms *a = NULL;
    int rc = make(o, &a, sites, nsites, err);
    gn_atoms_free(a);
    return rc;
}

static int lookup(const gn_model_opts *o, const gn_site *v, size_t n, const char *name,
                  gn_site *out, gn_error *err)
{
    int count = 0;
    const char *fam = "";
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].name, name) == 0) {
            *out = v[i];
            return GN_OK;
        }
        /* count the sites of the named family for a helpful message */
        size_t lf = strcspn(v[i].name, ":");
        if (strncmp(v[i].name, name, lf) == 0 && name[lf] == ':') {
            count++;
            fam = v[i].name;
        }
    }
    if (count)
        return gn_error_set(err, GN_EINVAL, "%s model has no site '%s': valid are %.*s:0 .. %.*s:%d",
                            gn_model_kind_name(o->kind), name, (int)strcspn(fam, ":"), fam,
                            (int)strcspn(fam, ":"), fam, count - 1);
    return gn_error_set(err, GN_EINVAL,
                        "%s model has no site '%s': names are CRYSTAL FACET : INDEX, e.g. A100:0 "
                        "(see gapneb build --list-sites)",
                        gn_model_kind_name(o->kind), name);
}

int gn_model_find_site(const gn_model_opts *o, const char *name, gn_site *site, gn_error *err)
{
    gn_site *v = NULL;
    size_t n = 0;
    int rc = gn_model_sites(o, &v, &n, err);
    if (rc)
        return rc;
    rc = lookup(o, v, n, name ? name : "", site, err);
    free(v);
    return rc;
}

/* An adatom closer than this fraction of the nearest-neighbour distance to some atom has no
 * room: at small gaps the site of one crystal can lie almost on an atom of the other (s2s at
 * d = 3 Å puts the A100 hollow 1.04 Å below a B atom), and relaxing or banding from there only
 * produces forces of hundreds of eV/Å. 0.7 NN (1.94 Å for Pt) still admits the compressed sites
 * of the narrowest physically meaningful gaps (s2s d = 4 Å: 2.04 Å). */
#define GN_ADATOM_ROOM 0.7

static int check_room(const gn_model_opts *o, const gn_atoms *base, const gn_site *s,
                      gn_error *err)
{
    const double nn = gn_model_spacing(o);
    double best = INFINITY;
    size_t at = 0;
    for (size_t i = 0; i < base->n; i++) {
        double d[3];
        for (int k = 0; k < 3; k++)
            d[k] = base->pos[3 * i + k] - s->pos[k];
        gn_cell_min_image(&base->cell, d);
        double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        if (r < best) {
            best = r;
            at = i;
        }
    }
    if (best < GN_ADATOM_ROOM * nn)
        return gn_error_set(err, GN_EINVAL,
                            "%s gap d = %g Å: no room for an adatom at site %s: atom %zu is "
                            "%.3f Å from it (less than %.1f x the nearest-neighbour distance "
                            "%.3f Å)",
                            gn_model_kind_name(o->kind), o->gap, s->name, at + 1, best,
                            GN_ADATOM_ROOM, nn);
    return GN_OK;
}

static int with_adatom(const gn_model_opts *o, const gn_atoms *base, const gn_site *s,
                       gn_atoms **out, gn_error *err)
{
    *out = NULL;
    int rc = check_room(o, base, s, err);
    if (rc)
        return rc;
    rc = gn_atoms_copy(base, out, err);
    if (!rc && (rc = gn_atoms_push(*out, o->z, s->pos, 0, err))) {
        gn_atoms_free(*out);
        *out = NULL;
    }
    return rc;
}

int gn_model_with_adatom(const gn_model_opts *o, const char *site, gn_atoms **out,
                         gn_error *err)
{
    *out = NULL;
    gn_atoms *a = NULL;
    gn_site *v = NULL;
    size_t n = 0;
    int rc = make(o, &a, &v, &n, err);
    if (rc)
        return rc;
    gn_site s;
    rc = lookup(o, v, n, site ? site : "", &s, err);
    if (!rc)
        rc = with_adatom(o, a, &s, out, err);
    gn_atoms_free(a);
    free(v);
    return rc;
}

/* Shortest distance between two points, minimum image along the periodic directions. */
static double mi_dist(const gn_cell *c, const double a[3], const double b[3])
{
    double d[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    gn_cell_min_image(c, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

static int s2s_hop_target(const gn_model_opts *o, const gn_cell *c, const gn_site *v, size_t n,
                          const gn_site *from, gn_site *to, gn_error *err)
{
    double want[3] = {from->pos[0] + gn_model_spacing(o), from->pos[1], from->pos[2]};
    for (size_t i = 0; i < n; i++)
        if (v[i].crystal == 'A' && v[i].facet == 100 && mi_dist(c, want, v[i].pos) < NN_TOL) {
            *to = v[i];
            return GN_OK;
        }
    return gn_error_set(err, GN_EINVAL, "s2s hop: no A100 site next to %s along +x", from->name);
}

static int nearest_b100(const gn_model_opts *o, const gn_cell *c, const gn_site *v, size_t n,
                        const gn_site *from, gn_site *to, gn_error *err)
{
    double best = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (v[i].crystal != 'B' || v[i].facet != 100)
            continue;
        double d = mi_dist(c, from->pos, v[i].pos);
        /* v is in index order, so the first of equally near sites has the lowest index */
        if (d < best - TIE_TOL) {
            best = d;
            *to = v[i];
        }
    }
    if (isinf(best))
        return gn_error_set(err, GN_EINVAL, "%s transfer: the model has no B100 site",
                            gn_model_kind_name(o->kind));
    return GN_OK;
}

static int process_sites(const gn_model_opts *o, const gn_cell *c, const gn_site *v, size_t n,
                         gn_process process, gn_site *from, gn_site *to, gn_error *err)
{
    int hop = process == GN_PROCESS_HOP;
    int transfer = process == GN_PROCESS_TRANSFER;
    if (!hop && !transfer)
        return gn_error_set(err, GN_EINVAL, "unknown process %d", (int)process);
    if (transfer && is_single(o))
        return gn_error_set(err, GN_EINVAL, "transfer needs two crystals (the model is single)");
    int rc = lookup(o, v, n, "A100:0", from, err);
    if (rc)
        return rc;
    if (o->kind == GN_MODEL_S2S)
        return hop ? s2s_hop_target(o, c, v, n, from, to, err)
                   : nearest_b100(o, c, v, n, from, to, err);
    return lookup(o, v, n, hop ? "A111:0" : "B100:0", to, err);
}

int gn_model_process_sites(const gn_model_opts *o, gn_process process, gn_site *from,
                           gn_site *to, gn_error *err)
{
    gn_atoms *a = NULL;
    gn_site *v = NULL;
    size_t n = 0;
    int rc = make(o, &a, &v, &n, err);
    if (rc)
        return rc;
    rc = process_sites(o, &a->cell, v, n, process, from, to, err);
    gn_atoms_free(a);
    free(v);
    return rc;
}

int gn_model_process(const gn_model_opts *o, gn_process process, gn_atoms **initial,
                     gn_atoms **final, gn_error *err)
{
    *initial = *final = NULL;
    gn_atoms *a = NULL;
    gn_site *v = NULL;
    size_t n = 0;
    int rc = make(o, &a, &v, &n, err);
    if (rc)
        return rc;
    gn_site from, to;
    rc = process_sites(o, &a->cell, v, n, process, &from, &to, err);
    if (!rc)
        rc = with_adatom(o, a, &from, initial, err);
    if (!rc)
        rc = with_adatom(o, a, &to, final, err);
    if (rc) {
        gn_atoms_free(*initial);
        *initial = NULL;
    }
    gn_atoms_free(a);
    free(v);
    return rc;
}
