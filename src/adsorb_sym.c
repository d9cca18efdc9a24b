/* gapneb: symmetry operations of a gap model and the enumeration of adatom configurations (see
 * adsorb.h). Units: Å.
 *
 * The operations are found numerically rather than written down per model, so that every
 * registry, size and vacuum setting gets exactly the symmetry it has: a candidate linear part
 * (the 16 signed permutations that keep the gap axis z: x and y exchanged or not, each axis
 * reversed or not; and, for the hexagonal (111) terrace, the rotations by multiples of 60
 * degrees about z and the mirrors through vertical planes every 30 degrees, with z kept or
 * reversed) with the translation that takes one reference atom onto each atom in turn is an
 * operation when it maps every atom onto an atom of the same species and fixed flag.
 */
#include "gapneb/adsorb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ATOM_TOL 0.01  /* Å: the models are built exactly; relaxed structures are not used here */
#define SITE_TOL 0.05  /* Å */
#define NSQUARE 16
#define NHEX 24

struct gn_adsorb_sym {
    gn_cell cell;
    size_t nops, nsites;
    double (*R)[3][3];
    double (*t)[3];
    int *perm; /* nops x nsites: image of each site, -1 outside the set */
};

size_t gn_adsorb_sym_nops(const gn_adsorb_sym *s) { return s->nops; }

int gn_adsorb_sym_site(const gn_adsorb_sym *s, size_t k, size_t i)
{
    return k < s->nops && i < s->nsites ? s->perm[k * s->nsites + i] : -1;
}

static void apply_raw(const double R[3][3], const double t[3], const double in[3], double out[3])
{
    for (int a = 0; a < 3; a++)
        out[a] = R[a][0] * in[0] + R[a][1] * in[1] + R[a][2] * in[2] + t[a];
}

/* r into the cell along its periodic vectors (any cell, the triclinic (111) one included). */
static void wrap(const gn_cell *c, double r[3])
{
    double f[3];
    gn_cell_to_frac(c, r, f);
    int moved = 0;
    for (int k = 0; k < 3; k++)
        if (c->pbc[k] && (f[k] < 0.0 || f[k] >= 1.0)) {
            f[k] -= floor(f[k]);
            moved = 1;
        }
    if (moved)
        gn_cell_to_cart(c, f, r);
}

void gn_adsorb_sym_apply(const gn_adsorb_sym *s, size_t k, const double in[3], double out[3])
{
    apply_raw(s->R[k], s->t[k], in, out);
    wrap(&s->cell, out);
}

static double mi_dist2(const gn_cell *c, const double a[3], const double b[3])
{
    double d[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    gn_cell_min_image(c, d);
    return d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
}

/* The k-th candidate linear part. k < NSQUARE: bit 0 exchanges x and y, bits 1-3 reverse x, y,
 * z. Then NHEX hexagonal ones: j = k - NSQUARE, bit 0 reverses z, j / 2 = 0..5 a rotation by
 * 60 (j / 2) degrees, 6..11 the mirror through the vertical plane at 30 (j / 2 - 6) degrees to x. */
static void linear(int k, double R[3][3])
{
    memset(R, 0, 9 * sizeof(double));
    if (k < NSQUARE) {
        int swap = k & 1;
        R[0][swap ? 1 : 0] = (k & 2) ? -1 : 1;
        R[1][swap ? 0 : 1] = (k & 4) ? -1 : 1;
        R[2][2] = (k & 8) ? -1 : 1;
        return;
    }
    int j = k - NSQUARE, q = j / 2;
    double a = q < 6 ? q * M_PI / 3.0 : 2.0 * (q - 6) * M_PI / 6.0;
    double c = cos(a), sn = sin(a);
    /* exact zeros and halves, so that the operations of the square set compare equal */
    c = fabs(c) < 1e-12 ? 0.0 : c;
    sn = fabs(sn) < 1e-12 ? 0.0 : sn;
    if (q < 6) { /* rotation by a */
        R[0][0] = c, R[0][1] = -sn, R[1][0] = sn, R[1][1] = c;
    } else { /* mirror through the plane at a / 2: [[cos a, sin a], [sin a, -cos a]] */
        R[0][0] = c, R[0][1] = sn, R[1][0] = sn, R[1][1] = -c;
    }
    R[2][2] = (j & 1) ? -1 : 1;
}

/* 1 if candidate k repeats an earlier one (the hexagonal set shares the identity, the half turn
 * and the axis mirrors with the square one). */
static int repeated(int k)
{
    double R[3][3], P[3][3];
    linear(k, R);
    for (int i = 0; i < k; i++) {
        linear(i, P);
        double d = 0.0;
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                d = fmax(d, fabs(R[a][b] - P[a][b]));
        if (d < 1e-9)
            return 1;
    }
    return 0;
}

/* Atoms sorted by z, so that the atom at a point is found by bisection along the free axis z
 * (both models are free along z). */
typedef struct zindex {
    const gn_atoms *a;
    size_t *order;
} zindex;

static int zindex_init(zindex *z, const gn_atoms *a)
{
    z->a = a;
    z->order = malloc((a->n + 1) * sizeof *z->order);
    if (!z->order)
        return -1;
    for (size_t i = 0; i < a->n; i++)
        z->order[i] = i;
    /* insertion sort: qsort has no context argument for the positions, and models have a few
     * hundred atoms */
    for (size_t i = 1; i < a->n; i++) {
        size_t v = z->order[i], j = i;
        while (j > 0 && a->pos[3 * z->order[j - 1] + 2] > a->pos[3 * v + 2]) {
            z->order[j] = z->order[j - 1];
            j--;
        }
        z->order[j] = v;
    }
    return 0;
}

/* The atom at p (within ATOM_TOL), or -1. */
static long zindex_find(const zindex *z, const double p[3])
{
    const gn_atoms *a = z->a;
    size_t lo = 0, hi = a->n;
    while (lo < hi) { /* first atom with z >= p_z - tol */
        size_t mid = (lo + hi) / 2;
        if (a->pos[3 * z->order[mid] + 2] < p[2] - ATOM_TOL)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < a->n && a->pos[3 * z->order[k] + 2] <= p[2] + ATOM_TOL; k++)
        if (mi_dist2(&a->cell, a->pos + 3 * z->order[k], p) < ATOM_TOL * ATOM_TOL)
            return (long)z->order[k];
    return -1;
}

static int maps_onto_itself(const zindex *z, const double R[3][3], const double t[3])
{
    const gn_atoms *a = z->a;
    for (size_t i = 0; i < a->n; i++) {
        double p[3];
        apply_raw(R, t, a->pos + 3 * i, p);
        long k = zindex_find(z, p);
        if (k < 0 || a->z[k] != a->z[i] || a->fixed[k] != a->fixed[i])
            return 0;
    }
    return 1;
}

static int add_op(gn_adsorb_sym *s, size_t *cap, const double R[3][3], const double t[3])
{
    if (s->nops == *cap) {
        size_t nc = *cap ? 2 * *cap : 32;
        void *nr = realloc(s->R, nc * sizeof *s->R);
        if (!nr)
            return -1;
        s->R = nr;
        void *nt = realloc(s->t, nc * sizeof *s->t);
        if (!nt)
            return -1;
        s->t = nt;
        *cap = nc;
    }
    memcpy(s->R[s->nops], R, sizeof s->R[0]);
    memcpy(s->t[s->nops], t, sizeof s->t[0]);
    s->nops++;
    return 0;
}

static int find_ops(gn_adsorb_sym *s, const gn_atoms *m)
{
    zindex z;
    if (zindex_init(&z, m))
        return -1;
    size_t cap = 0;
    int rc = 0;
    for (int k = 0; k < NSQUARE + NHEX && !rc; k++) {
        if (repeated(k))
            continue;
        double R[3][3];
        linear(k, R);
        double r0[3];
        apply_raw(R, (double[3]){0, 0, 0}, m->pos, r0);
        for (size_t j = 0; j < m->n && !rc; j++) {
            if (m->z[j] != m->z[0] || m->fixed[j] != m->fixed[0])
                continue;
            double t[3] = {m->pos[3 * j] - r0[0], m->pos[3 * j + 1] - r0[1],
                           m->pos[3 * j + 2] - r0[2]};
            if (maps_onto_itself(&z, R, t))
                rc = add_op(s, &cap, R, t);
        }
    }
    free(z.order);
    return rc;
}

static int site_perms(gn_adsorb_sym *s, const gn_site *sites, size_t n)
{
    s->nsites = n;
    s->perm = malloc((s->nops * n + 1) * sizeof *s->perm);
    if (!s->perm)
        return -1;
    for (size_t k = 0; k < s->nops; k++)
        for (size_t i = 0; i < n; i++) {
            double p[3];
            apply_raw(s->R[k], s->t[k], sites[i].pos, p);
            int hit = -1;
            for (size_t q = 0; q < n && hit < 0; q++)
                if (mi_dist2(&s->cell, p, sites[q].pos) < SITE_TOL * SITE_TOL)
                    hit = (int)q;
            s->perm[k * n + i] = hit;
        }
    return 0;
}

int gn_adsorb_sym_alloc(const gn_atoms *model, const gn_site *sites, size_t nsites,
                        gn_adsorb_sym **out, gn_error *err)
{
    *out = NULL;
    if (!model->n)
        return gn_error_set(err, GN_EINVAL, "symmetry of an empty structure");
    if (model->cell.pbc[2])
        return gn_error_set(err, GN_EINVAL, "symmetry: the gap axis z must not be periodic");
    gn_adsorb_sym *s = calloc(1, sizeof *s);
    if (!s)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    s->cell = model->cell;
    if (find_ops(s, model) || site_perms(s, sites, nsites)) {
        gn_adsorb_sym_free(s);
        return gn_error_set(err, GN_ENOMEM, "out of memory for symmetry operations");
    }
    *out = s;
    return GN_OK;
}

void gn_adsorb_sym_free(gn_adsorb_sym *s)
{
    if (!s)
        return;
    free(s->R);
    free(s->t);
    free(s->perm);
    free(s);
}

/* ---- enumeration -------------------------------------------------------------------------- */

typedef struct enum_ctx {
    const gn_adsorb_sym *s;
    const unsigned char *room; /* nsites x nsites */
    size_t nsites;
    int k;
    int cur[GN_ADSORB_MAX_ADATOMS];
    int (*images)[GN_ADSORB_MAX_ADATOMS]; /* scratch, nops */
    gn_adsorb_class *out;
    size_t n, cap, total;
    int oom;
} enum_ctx;

static void sort_ints(int *v, int n)
{
    for (int i = 1; i < n; i++) {
        int x = v[i], j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static int cmp_tuple(const int *a, const int *b, int k)
{
    for (int i = 0; i < k; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* The current set: kept when no image is smaller; its multiplicity is the number of distinct
 * images. */
static void visit(enum_ctx *c)
{
    c->total++;
    int nimg = 0;
    for (size_t op = 0; op < c->s->nops; op++) {
        int img[GN_ADSORB_MAX_ADATOMS], ok = 1;
        for (int i = 0; i < c->k && ok; i++) {
            img[i] = gn_adsorb_sym_site(c->s, op, (size_t)c->cur[i]);
            ok = img[i] >= 0;
        }
        if (!ok)
            continue;
        sort_ints(img, c->k);
        if (cmp_tuple(img, c->cur, c->k) < 0)
            return;
        int dup = 0;
        for (int q = 0; q < nimg && !dup; q++)
            dup = !cmp_tuple(c->images[q], img, c->k);
        if (!dup)
            memcpy(c->images[nimg++], img, sizeof img);
    }
    if (c->n == c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 64;
        gn_adsorb_class *nv = realloc(c->out, nc * sizeof *nv);
        if (!nv) {
            c->oom = 1;
            return;
        }
        c->out = nv;
        c->cap = nc;
    }
    gn_adsorb_class *cl = &c->out[c->n++];
    memset(cl, 0, sizeof *cl);
    memcpy(cl->sites, c->cur, (size_t)c->k * sizeof *c->cur);
    cl->multiplicity = nimg;
}

static void combos(enum_ctx *c, int depth, size_t from)
{
    if (c->oom)
        return;
    if (depth == c->k) {
        visit(c);
        return;
    }
    for (size_t i = from; i < c->nsites; i++) {
        int ok = 1;
        for (int q = 0; q < depth && ok; q++)
            ok = c->room[(size_t)c->cur[q] * c->nsites + i];
        if (!ok)
            continue;
        c->cur[depth] = (int)i;
        combos(c, depth + 1, i + 1);
    }
}

static double binomial(size_t n, int k)
{
    double b = 1;
    for (int i = 0; i < k; i++)
        b = b * (double)(n - (size_t)i) / (double)(i + 1);
    return b;
}

int gn_adsorb_enumerate(const gn_adsorb_sym *s, const gn_site *sites, size_t nsites, double nn,
                        int k, gn_adsorb_class **classes, size_t *nclasses, size_t *ntotal,
                        gn_error *err)
{
    *classes = NULL;
    *nclasses = *ntotal = 0;
    if (k < 1 || k > GN_ADSORB_MAX_ADATOMS)
        return gn_error_set(err, GN_EINVAL, "%d adatoms: must be 1..%d", k,
                            GN_ADSORB_MAX_ADATOMS);
    if (nsites != s->nsites)
        return gn_error_set(err, GN_EINVAL, "enumeration: %zu sites, the symmetry has %zu",
                            nsites, s->nsites);
    if (binomial(nsites, k) > GN_ADSORB_MAX_SETS)
        return gn_error_set(err, GN_EINVAL, "%zu candidate sites give %.3g sets of %d: more "
                            "than %d; choose fewer sites (--sites, --radius) or --sequential",
                            nsites, binomial(nsites, k), k, GN_ADSORB_MAX_SETS);
    enum_ctx c = {.s = s, .nsites = nsites, .k = k};
    unsigned char *room = malloc(nsites * nsites + 1);
    c.images = malloc((s->nops + 1) * sizeof *c.images);
    if (!room || !c.images) {
        free(room);
        free(c.images);
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    const double lim2 = GN_MODEL_ADATOM_ROOM * nn * GN_MODEL_ADATOM_ROOM * nn;
    for (size_t i = 0; i < nsites; i++)
        for (size_t j = 0; j < nsites; j++)
            room[i * nsites + j] = mi_dist2(&s->cell, sites[i].pos, sites[j].pos) >= lim2;
    c.room = room;
    combos(&c, 0, 0);
    free(room);
    free(c.images);
    if (c.oom) {
        free(c.out);
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    *classes = c.out;
    *nclasses = c.n;
    *ntotal = c.total;
    return GN_OK;
}

/* Sorts (index, tag) pairs by index, then tag. */
static void sort_pairs(int *v, int *tag, int n)
{
    for (int i = 1; i < n; i++) {
        int x = v[i], t = tag[i], j = i;
        while (j > 0 && (v[j - 1] > x || (v[j - 1] == x && tag[j - 1] > t))) {
            v[j] = v[j - 1];
            tag[j] = tag[j - 1];
            j--;
        }
        v[j] = x;
        tag[j] = t;
    }
}

static int cmp_pairs(const int *a, const int *ta, const int *b, const int *tb, int k)
{
    int c = cmp_tuple(a, b, k);
    return c ? c : cmp_tuple(ta, tb, k);
}

void gn_adsorb_sym_canonical(const gn_adsorb_sym *s, int *idx, int *tag, int k)
{
    int best[GN_ADSORB_MAX_ADATOMS], btag[GN_ADSORB_MAX_ADATOMS] = {0};
    int notag[GN_ADSORB_MAX_ADATOMS] = {0};
    if (k < 1 || k > GN_ADSORB_MAX_ADATOMS)
        return;
    const int *t0 = tag ? tag : notag;
    memcpy(best, idx, (size_t)k * sizeof *idx);
    memcpy(btag, t0, (size_t)k * sizeof *t0);
    sort_pairs(best, btag, k);
    for (size_t op = 0; op < s->nops; op++) {
        int img[GN_ADSORB_MAX_ADATOMS], itag[GN_ADSORB_MAX_ADATOMS], ok = 1;
        for (int i = 0; i < k && ok; i++) {
            img[i] = idx[i] >= 0 ? gn_adsorb_sym_site(s, op, (size_t)idx[i]) : -1;
            itag[i] = t0[i];
            ok = img[i] >= 0;
        }
        if (!ok)
            continue;
        sort_pairs(img, itag, k);
        if (cmp_pairs(img, itag, best, btag, k) < 0) {
            memcpy(best, img, sizeof img);
            memcpy(btag, itag, sizeof itag);
        }
    }
    memcpy(idx, best, (size_t)k * sizeof *idx);
    if (tag)
        memcpy(tag, btag, (size_t)k * sizeof *tag);
}

/* Greedy matching of mapped points onto q: enough for tolerances far below the spacing. */
static int same_set(const gn_cell *cell, const double *p, const double *q, int k, double tol)
{
    unsigned used = 0;
    for (int i = 0; i < k; i++) {
        int hit = -1;
        for (int j = 0; j < k && hit < 0; j++)
            if (!(used & (1u << j)) && mi_dist2(cell, p + 3 * i, q + 3 * j) < tol * tol)
                hit = j;
        if (hit < 0)
            return 0;
        used |= 1u << hit;
    }
    return 1;
}

int gn_adsorb_sym_op_maps(const gn_adsorb_sym *s, size_t op, const double *p, const double *q,
                          int k, double tol)
{
    double img[3 * GN_ADSORB_MAX_ADATOMS];
    if (k < 1 || k > GN_ADSORB_MAX_ADATOMS || op >= s->nops)
        return 0;
    for (int i = 0; i < k; i++)
        apply_raw(s->R[op], s->t[op], p + 3 * i, img + 3 * i);
    return same_set(&s->cell, img, q, k, tol);
}

int gn_adsorb_sym_equivalent(const gn_adsorb_sym *s, const double *p, const double *q, int k,
                             double tol)
{
    for (size_t op = 0; op < s->nops; op++)
        if (gn_adsorb_sym_op_maps(s, op, p, q, k, tol))
            return 1;
    return 0;
}
