/* gapneb: half neighbour lists from cell lists with a Verlet skin. Lengths in Å.
 *
 * Atoms are binned by their fractional coordinates. Along a periodic direction k the cell is cut
 * into nb_k = floor(spacing_k / rl) slabs (at least 1; rl = cutoff + skin, spacing_k the distance
 * between the lattice planes normal to the reciprocal vector b_k); along a free direction the
 * bounding box of the atoms is cut the same way. Because |s_j - s_i| along k is at most
 * |d| |b_k| = |d| / spacing_k, every partner within rl lies at most R_k = ceil(rl nb_k / spacing_k)
 * bins away in the infinite periodic tiling of bins. Walking those tiled bins (not the folded ones)
 * visits each periodic image of an atom exactly once, which is what makes cells shorter than
 * 2 rl, and self-images, come out right without special cases.
 */
#include "gapneb/neighbor.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct nl_internal {
    double *ref;           /* 3 * natoms: positions at the last build */
    size_t ref_cap;        /* atoms that ref, wrap, bin_of can hold */
    gn_cell cell;          /* cell at the last build */
    int valid;             /* 0 forces a rebuild */
    /* scratch kept between builds to avoid reallocating */
    int *wrap;             /* 3 * natoms: integer image the atom was folded from */
    size_t *bin_of;        /* natoms */
    size_t *bin_start;     /* nbins + 1 */
    size_t *bin_atoms;     /* natoms, sorted by bin */
    size_t bins_cap;
    size_t pair_cap;
    size_t first_cap;
} nl_internal;

/* The binning of one build. */
typedef struct grid {
    int nb[3];       /* bins per direction */
    int reach[3];    /* tiled bins to search on each side */
    double lo[3];    /* fractional origin of the binned range (free directions) */
    double width[3]; /* fractional width of a bin */
    int pbc[3];
} grid;

int gn_nlist_alloc(gn_nlist **out, double cutoff, double skin, gn_error *err)
{
    *out = NULL;
    if (!(cutoff > 0.0) || !isfinite(cutoff))
        return gn_error_set(err, GN_EINVAL, "neighbour list cutoff must be positive, got %g Å",
                            cutoff);
    if (!(skin >= 0.0) || !isfinite(skin))
        return gn_error_set(err, GN_EINVAL, "neighbour list skin must be >= 0, got %g Å", skin);
    gn_nlist *nl = calloc(1, sizeof *nl);
    nl_internal *in = calloc(1, sizeof *in);
    size_t *first = calloc(1, sizeof *first);
    if (!nl || !in || !first) {
        free(nl);
        free(in);
        free(first);
        return gn_error_set(err, GN_ENOMEM, "out of memory for a neighbour list");
    }
    nl->cutoff = cutoff;
    nl->skin = skin;
    nl->first = first;
    in->first_cap = 1;
    nl->internal = in;
    *out = nl;
    return GN_OK;
}

void gn_nlist_free(gn_nlist *nl)
{
    if (!nl)
        return;
    nl_internal *in = nl->internal;
    if (in) {
        free(in->ref);
        free(in->wrap);
        free(in->bin_of);
        free(in->bin_start);
        free(in->bin_atoms);
        free(in);
    }
    free(nl->first);
    free(nl->j);
    free(nl->shift);
    free(nl);
}

void gn_nlist_invalidate(gn_nlist *nl)
{
    if (nl && nl->internal)
        ((nl_internal *)nl->internal)->valid = 0;
}

static int same_cell(const gn_cell *a, const gn_cell *b)
{
    return memcmp(a->h, b->h, sizeof a->h) == 0 && memcmp(a->pbc, b->pbc, sizeof a->pbc) == 0;
}

static int needs_rebuild(const gn_nlist *nl, const gn_atoms *a)
{
    const nl_internal *in = nl->internal;
    if (!in->valid || nl->natoms != a->n || !same_cell(&in->cell, &a->cell))
        return 1;
    const double lim2 = 0.25 * nl->skin * nl->skin;
    for (size_t i = 0; i < a->n; i++) {
        double r2 = 0.0;
        for (int k = 0; k < 3; k++) {
            double d = a->pos[3 * i + k] - in->ref[3 * i + k];
            r2 += d * d;
        }
        if (!(r2 <= lim2))
            return 1;
    }
    return 0;
}

/* Grows an array to hold at least `need` elements (doubling); NULL if out of memory, with *p
 * left as it was. */
static void *grow(void *p, size_t *cap, size_t need, size_t elsize)
{
    if (need <= *cap)
        return p;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    void *q = realloc(p, ncap * elsize);
    if (q)
        *cap = ncap;
    return q;
}

static int reserve_atoms(gn_nlist *nl, size_t n, gn_error *err)
{
    nl_internal *in = nl->internal;
    size_t need = n ? n : 1;
    if (need > in->ref_cap) {
        double *ref = realloc(in->ref, 3 * need * sizeof *ref);
        if (ref)
            in->ref = ref;
        int *wrap = realloc(in->wrap, 3 * need * sizeof *wrap);
        if (wrap)
            in->wrap = wrap;
        size_t *bin_of = realloc(in->bin_of, need * sizeof *bin_of);
        if (bin_of)
            in->bin_of = bin_of;
        size_t *bin_atoms = realloc(in->bin_atoms, need * sizeof *bin_atoms);
        if (bin_atoms)
            in->bin_atoms = bin_atoms;
        if (!ref || !wrap || !bin_of || !bin_atoms)
            return gn_error_set(err, GN_ENOMEM, "out of memory for a neighbour list of %zu atoms",
                                n);
        in->ref_cap = need;
    }
    size_t *first = grow(nl->first, &in->first_cap, n + 1, sizeof *first);
    if (!first)
        return gn_error_set(err, GN_ENOMEM, "out of memory for a neighbour list of %zu atoms", n);
    nl->first = first;
    return GN_OK;
}

/* Tiled bins searched on each side along a periodic direction at most: a cell whose plane
 * spacing is a small fraction of the cutoff puts thousands of images of every atom within reach
 * and is refused (build) rather than ground through. */
#define NL_MAX_REACH 1000
#define NL_MAX_SEARCH 1e6

/* Bin counts and search reach; keeps the total number of bins proportional to the atom count so
 * that a few atoms far apart in a free direction, or a huge sparse cell, cost no more than O(N). */
static void make_grid(const gn_cell *c, const double *s, size_t n, double rl, grid *g)
{
    double spacing[3], extent[3];
    for (int k = 0; k < 3; k++) {
        g->pbc[k] = c->pbc[k];
        spacing[k] = gn_cell_plane_spacing(c, k);
        g->lo[k] = 0.0;
        extent[k] = 1.0;
        if (!c->pbc[k]) {
            double lo = 0.0, hi = 0.0;
            for (size_t i = 0; i < n; i++) {
                lo = (i == 0 || s[3 * i + k] < lo) ? s[3 * i + k] : lo;
                hi = (i == 0 || s[3 * i + k] > hi) ? s[3 * i + k] : hi;
            }
            g->lo[k] = lo;
            extent[k] = hi - lo;
        }
        /* written so that an infinite or NaN count (atoms 1e300 Å apart) never reaches the int */
        double nb = floor(extent[k] * spacing[k] / rl);
        g->nb[k] = !(nb >= 1.0) ? 1 : (nb > 1e6 ? 1000000 : (int)nb);
    }
    const double limit = 8.0 * (double)n + 64.0;
    while ((double)g->nb[0] * g->nb[1] * g->nb[2] > limit) {
        int kmax = 0;
        for (int k = 1; k < 3; k++)
            if (g->nb[k] > g->nb[kmax])
                kmax = k;
        g->nb[kmax] = (g->nb[kmax] + 1) / 2;
    }
    for (int k = 0; k < 3; k++) {
        if (c->pbc[k]) {
            g->width[k] = 1.0 / g->nb[k];
            /* the factor guards the ceiling against rounding when rl nb / spacing is an integer;
             * the cap only keeps the int conversion defined: build() refuses such a cell */
            double reach = ceil(rl * g->nb[k] / spacing[k] * (1.0 - 1e-12));
            g->reach[k] = !(reach >= 1.0) ? 1 : (reach > NL_MAX_REACH ? NL_MAX_REACH : (int)reach);
        } else {
            /* one bin for a flat direction; otherwise bins at least rl wide, so reach 1 */
            g->width[k] = g->nb[k] > 1 ? extent[k] / g->nb[k] : 1.0;
            g->reach[k] = 1;
        }
    }
}

/* Folds fractional coordinates into the binned range and records the integer image removed. */
static void fold(const grid *g, double *s, int *wrap, size_t *bin_of, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int b[3];
        for (int k = 0; k < 3; k++) {
            double sk = s[3 * i + k];
            wrap[3 * i + k] = 0;
            if (g->pbc[k]) {
                double f = floor(sk);
                wrap[3 * i + k] = (int)f;
                sk -= f;
            }
            double bi = floor((sk - g->lo[k]) / g->width[k]);
            b[k] = !(bi >= 0.0) ? 0 : (bi >= g->nb[k] ? g->nb[k] - 1 : (int)bi);
        }
        bin_of[i] = ((size_t)b[0] * (size_t)g->nb[1] + (size_t)b[1]) * (size_t)g->nb[2] +
                    (size_t)b[2];
    }
}

static int sort_into_bins(nl_internal *in, const grid *g, size_t n, gn_error *err)
{
    size_t nbins = (size_t)g->nb[0] * g->nb[1] * g->nb[2];
    size_t *start = grow(in->bin_start, &in->bins_cap, nbins + 1, sizeof *start);
    if (!start)
        return gn_error_set(err, GN_ENOMEM, "out of memory for %zu neighbour bins", nbins);
    in->bin_start = start;
    memset(in->bin_start, 0, (nbins + 1) * sizeof *in->bin_start);
    for (size_t i = 0; i < n; i++)
        in->bin_start[in->bin_of[i] + 1]++;
    for (size_t b = 0; b < nbins; b++)
        in->bin_start[b + 1] += in->bin_start[b];
    /* Counting sort, stable so that atoms within a bin stay in index order. */
    for (size_t i = 0; i < n; i++)
        in->bin_atoms[in->bin_start[in->bin_of[i]]++] = i;
    for (size_t b = nbins; b > 0; b--)
        in->bin_start[b] = in->bin_start[b - 1];
    in->bin_start[0] = 0;
    return GN_OK;
}

static int push_pair(gn_nlist *nl, int j, const double shift[3], gn_error *err)
{
    nl_internal *in = nl->internal;
    if (nl->npairs == in->pair_cap) {
        size_t ncap = in->pair_cap ? 2 * in->pair_cap : 256;
        int *nj = realloc(nl->j, ncap * sizeof *nj);
        if (nj)
            nl->j = nj;
        double *ns = realloc(nl->shift, 3 * ncap * sizeof *ns);
        if (ns)
            nl->shift = ns;
        if (!nj || !ns)
            return gn_error_set(err, GN_ENOMEM, "out of memory for %zu neighbour pairs", ncap);
        in->pair_cap = ncap;
    }
    nl->j[nl->npairs] = j;
    memcpy(nl->shift + 3 * nl->npairs, shift, 3 * sizeof *shift);
    nl->npairs++;
    return GN_OK;
}

/* 1 if the integer image vector is lexicographically positive: of the two equivalent entries
 * (i, i, +n) and (i, i, -n) the half list keeps one. */
static int positive(const int n[3])
{
    for (int k = 0; k < 3; k++)
        if (n[k] != 0)
            return n[k] > 0;
    return 0;
}

static int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/* Pairs of atom i: every atom j in the tiled bins around i's bin, once per image. */
static int pairs_of(gn_nlist *nl, const gn_atoms *a, const grid *g, size_t i, double rl2,
                    gn_error *err)
{
    nl_internal *in = nl->internal;
    const gn_cell *c = &a->cell;
    size_t bi = in->bin_of[i];
    int home[3] = {(int)(bi / ((size_t)g->nb[1] * g->nb[2])),
                   (int)(bi / (size_t)g->nb[2] % (size_t)g->nb[1]), (int)(bi % (size_t)g->nb[2])};
    const double *xi = a->pos + 3 * i;
    const int *wi = in->wrap + 3 * i;
    for (int o0 = -g->reach[0]; o0 <= g->reach[0]; o0++)
        for (int o1 = -g->reach[1]; o1 <= g->reach[1]; o1++)
            for (int o2 = -g->reach[2]; o2 <= g->reach[2]; o2++) {
                int off[3] = {o0, o1, o2}, b[3], img[3];
                int skip = 0;
                for (int k = 0; k < 3 && !skip; k++) {
                    int t = home[k] + off[k];
                    img[k] = floor_div(t, g->nb[k]);
                    b[k] = t - img[k] * g->nb[k];
                    if (!g->pbc[k] && img[k] != 0)
                        skip = 1;
                }
                if (skip)
                    continue;
                size_t bj = ((size_t)b[0] * g->nb[1] + (size_t)b[1]) * g->nb[2] + (size_t)b[2];
                for (size_t q = in->bin_start[bj]; q < in->bin_start[bj + 1]; q++) {
                    size_t j = in->bin_atoms[q];
                    if (j < i)
                        continue;
                    const int *wj = in->wrap + 3 * j;
                    int n[3];
                    for (int k = 0; k < 3; k++)
                        n[k] = img[k] - wj[k] + wi[k];
                    if (j == i && !positive(n))
                        continue;
                    double shift[3], r2 = 0.0;
                    for (int x = 0; x < 3; x++) {
                        shift[x] = n[0] * c->hf[0][x] + n[1] * c->hf[1][x] + n[2] * c->hf[2][x];
                        double d = a->pos[3 * j + x] + shift[x] - xi[x];
                        r2 += d * d;
                    }
                    if (r2 < rl2) {
                        int rc = push_pair(nl, (int)j, shift, err);
                        if (rc)
                            return rc;
                    }
                }
            }
    return GN_OK;
}

static int build(gn_nlist *nl, const gn_atoms *a, gn_error *err)
{
    nl_internal *in = nl->internal;
    size_t n = a->n;
    if (n > (size_t)INT32_MAX)
        return gn_error_set(err, GN_EINVAL, "too many atoms for a neighbour list (%zu)", n);
    for (size_t i = 0; i < 3 * n; i++)
        if (!isfinite(a->pos[i]))
            return gn_error_set(err, GN_ERANGE,
                                "atom %zu has a non-finite coordinate: cannot build neighbours",
                                i / 3 + 1);
    int rc = reserve_atoms(nl, n, err);
    if (rc)
        return rc;
    in->valid = 0;
    double *s = in->ref; /* borrow: fractional coordinates, overwritten by positions below */
    for (size_t i = 0; i < n; i++) {
        gn_cell_to_frac(&a->cell, a->pos + 3 * i, s + 3 * i);
        for (int k = 0; k < 3; k++)
            if (a->cell.pbc[k] && fabs(s[3 * i + k]) > 1e6)
                return gn_error_set(err, GN_ERANGE,
                                    "atom %zu is %.3g cell lengths away from the cell along "
                                    "periodic direction %d",
                                    i + 1, fabs(s[3 * i + k]), k + 1);
    }
    double rl = nl->cutoff + nl->skin;
    grid g;
    make_grid(&a->cell, s, n, rl, &g);
    double search = 1.0;
    for (int k = 0; k < 3; k++)
        search *= 2.0 * g.reach[k] + 1.0;
    if (search > NL_MAX_SEARCH || g.reach[0] >= NL_MAX_REACH || g.reach[1] >= NL_MAX_REACH ||
        g.reach[2] >= NL_MAX_REACH)
        return gn_error_set(err, GN_ERANGE,
                            "cell too small for the cutoff: plane spacings %.3g, %.3g, %.3g Å "
                            "against %.3g Å put %.3g periodic images within reach",
                            gn_cell_plane_spacing(&a->cell, 0), gn_cell_plane_spacing(&a->cell, 1),
                            gn_cell_plane_spacing(&a->cell, 2), rl, search);
    fold(&g, s, in->wrap, in->bin_of, n);
    rc = sort_into_bins(in, &g, n, err);
    if (rc)
        return rc;
    nl->npairs = 0;
    nl->natoms = n;
    nl->first[0] = 0;
    for (size_t i = 0; i < n; i++) {
        rc = pairs_of(nl, a, &g, i, rl * rl, err);
        if (rc)
            return rc;
        nl->first[i + 1] = nl->npairs;
    }
    memcpy(in->ref, a->pos, 3 * n * sizeof *in->ref);
    in->cell = a->cell;
    in->valid = 1;
    nl->builds++;
    return GN_OK;
}

int gn_nlist_update(gn_nlist *nl, const gn_atoms *a, gn_error *err)
{
    if (!nl || !a)
        return gn_error_set(err, GN_EINVAL, "gn_nlist_update: NULL argument");
    if (!needs_rebuild(nl, a))
        return GN_OK;
    int rc = build(nl, a, err);
    if (rc) {
        /* A half-built list must never be mistaken for a valid one. */
        ((nl_internal *)nl->internal)->valid = 0;
        nl->npairs = 0;
        nl->natoms = 0;
    }
    return rc;
}
