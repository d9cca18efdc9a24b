/* gapneb: initial NEB bands, linear and IDPP. Positions in Å.
 *
 * IDPP: Smidstrup, Pedersen, Stokbro and Jonsson, J. Chem. Phys. 140, 214106 (2014). Each image
 * i (t = i / (M - 1)) has the objective S_i = sum_{pairs} w(d) (T_i - d)^2 with w(d) = d^-4 and
 * T_i = (1 - t) d_initial + t d_final, the pair distances by minimum image. As in the paper, the
 * images are relaxed together as a NEB band on these objectives (no climbing image), which keeps
 * them spread along the path.
 */
#include "gapneb/interpolate.h"
#include "cell_internal.h"
#include "gapneb/neighbor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int check_endpoints(const gn_atoms *a, const gn_atoms *b, int nimages, gn_error *err)
{
    if (nimages < 1)
        return gn_error_set(err, GN_EINVAL, "interpolation: %d movable images (1 or more needed)",
                            nimages);
    return gn_atoms_compatible(a, b, err);
}

int gn_interp_linear(const gn_atoms *initial, const gn_atoms *final, int nimages, double *path,
                     gn_error *err)
{
    int rc = check_endpoints(initial, final, nimages, err);
    if (rc)
        return rc;
    size_t n = initial->n, m = (size_t)nimages + 2;
    for (size_t a = 0; a < n; a++) {
        double d[3];
        for (int k = 0; k < 3; k++)
            d[k] = final->pos[3 * a + k] - initial->pos[3 * a + k];
        /* a hop across a periodic boundary is a short move, never a flight through the cell */
        gn_cell_min_image(&initial->cell, d);
        for (size_t i = 0; i < m; i++) {
            double t = (double)i / (double)(m - 1);
            for (int k = 0; k < 3; k++)
                path[i * 3 * n + 3 * a + k] = initial->pos[3 * a + k] + t * d[k];
        }
    }
    return GN_OK;
}

void gn_idpp_opts_default(gn_idpp_opts *o)
{
    o->fmax = 0.01;
    o->max_steps = 500;
    o->k = 1.0;
    o->max_move = 0.1;
    o->cutoff = 8.0;
}

typedef struct idpp_pair {
    size_t i, j;
    double d0, d1;  /* distances in the initial and final endpoints, Å */
} idpp_pair;

typedef struct idpp_ctx {
    const gn_cell *cell;
    gn_cell_span span; /* of cell, computed once for the many pair vectors */
    size_t n, m, npairs;
    idpp_pair *pairs;
} idpp_ctx;

static double pair_dist(const gn_cell *c, const gn_cell_span *sp, const double *pos, size_t i,
                        size_t j, double d[3])
{
    for (int k = 0; k < 3; k++)
        d[k] = pos[3 * j + k] - pos[3 * i + k];
    gn_cell_min_image_span(c, sp, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

static int idpp_eval(const idpp_ctx *c, double t, const double *x, double *energy,
                     double *force, gn_error *err)
{
    memset(force, 0, 3 * c->n * sizeof *force);
    double s = 0.0;
    for (size_t p = 0; p < c->npairs; p++) {
        const idpp_pair *q = &c->pairs[p];
        double d[3];
        double r = pair_dist(c->cell, &c->span, x, q->i, q->j, d);
        if (!(r > 1e-8))
            return gn_error_set(err, GN_ERANGE, "IDPP: atoms %zu and %zu coincide at t = %.3f",
                                q->i + 1, q->j + 1, t);
        double target = (1.0 - t) * q->d0 + t * q->d1;
        double u = target - r, w = 1.0 / (r * r * r * r);
        s += w * u * u;
        /* dS/dr = w' u^2 - 2 w u with w' = -4 w / r */
        double dsdr = -4.0 * w / r * u * u - 2.0 * w * u;
        for (int k = 0; k < 3; k++) {
            double g = dsdr * d[k] / r; /* dS/dr_j; dS/dr_i is its opposite */
            force[3 * q->j + k] -= g;
            force[3 * q->i + k] += g;
        }
    }
    *energy = s;
    return GN_OK;
}

static int idpp_energy(void *vctx, int image, const double *x, double *energy, double *force,
                       gn_error *err)
{
    const idpp_ctx *c = vctx;
    return idpp_eval(c, (double)image / (double)(c->m - 1), x, energy, force, err);
}

static void atoms_disp(void *vctx, const double *from, const double *to, double *d)
{
    const idpp_ctx *c = vctx;
    for (size_t a = 0; a < c->n; a++) {
        for (int k = 0; k < 3; k++)
            d[3 * a + k] = to[3 * a + k] - from[3 * a + k];
        gn_cell_min_image(c->cell, d + 3 * a);
    }
}

static int push_pair(idpp_ctx *c, size_t *cap, size_t i, size_t j, double d0, double d1,
                     gn_error *err)
{
    if (c->npairs == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        idpp_pair *np = realloc(c->pairs, nc * sizeof *np);
        if (!np)
            return gn_error_set(err, GN_ENOMEM, "IDPP: out of memory");
        c->pairs = np;
        *cap = nc;
    }
    c->pairs[c->npairs++] = (idpp_pair){i, j, d0, d1};
    return GN_OK;
}

static int cmp_pair(const void *x, const void *y)
{
    const idpp_pair *p = x, *q = y;
    if (p->i != q->i)
        return p->i < q->i ? -1 : 1;
    return (p->j > q->j) - (p->j < q->j);
}

/* The pairs (i < j) of the neighbour list of one endpoint, appended to c. */
static int list_pairs(const gn_atoms *a, double cutoff, idpp_ctx *c, size_t *cap, gn_error *err)
{
    gn_nlist *nl;
    int rc = gn_nlist_alloc(&nl, cutoff, 0.0, err);
    if (!rc)
        rc = gn_nlist_update(nl, a, err);
    for (size_t i = 0; !rc && i < a->n; i++)
        for (size_t k = nl->first[i]; !rc && k < nl->first[i + 1]; k++) {
            size_t j = (size_t)nl->j[k], lo = i < j ? i : j, hi = i < j ? j : i;
            if (lo != hi && !(a->fixed[lo] && a->fixed[hi]))
                rc = push_pair(c, cap, lo, hi, 0.0, 0.0, err);
        }
    if (nl)
        gn_nlist_free(nl);
    return rc;
}

/* Pairs with at least one movable atom (fixed-fixed pairs add a constant) and within the cutoff
 * in either endpoint, in the order (i, then j): found with the neighbour lists of both
 * endpoints, so the cost is linear in the number of atoms (cutoff 0: every pair). */
static int idpp_pairs(const gn_atoms *a, const gn_atoms *b, double cutoff, idpp_ctx *c,
                      gn_error *err)
{
    size_t n = a->n, cap = 0;
    int rc = GN_OK;
    c->pairs = NULL;
    c->npairs = 0;
    gn_cell_span_init(c->cell, &c->span);
    if (cutoff > 0.0) {
        gn_atoms tmp = *a; /* endpoint b: a's atoms at b's positions */
        tmp.pos = b->pos;
        rc = list_pairs(a, cutoff, c, &cap, err);
        if (!rc)
            rc = list_pairs(&tmp, cutoff, c, &cap, err);
        if (!rc && c->npairs)
            qsort(c->pairs, c->npairs, sizeof *c->pairs, cmp_pair);
        size_t m = 0; /* unique, each pair once */
        for (size_t p = 0; !rc && p < c->npairs; p++)
            if (!m || cmp_pair(&c->pairs[m - 1], &c->pairs[p]) != 0)
                c->pairs[m++] = c->pairs[p];
        c->npairs = rc ? c->npairs : m;
    } else {
        for (size_t i = 0; !rc && i < n; i++)
            for (size_t j = i + 1; !rc && j < n; j++)
                if (!(a->fixed[i] && a->fixed[j]))
                    rc = push_pair(c, &cap, i, j, 0.0, 0.0, err);
    }
    for (size_t p = 0; !rc && p < c->npairs; p++) {
        double d[3];
        idpp_pair *q = &c->pairs[p];
        q->d0 = pair_dist(&a->cell, &c->span, a->pos, q->i, q->j, d);
        q->d1 = pair_dist(&a->cell, &c->span, b->pos, q->i, q->j, d);
    }
    /* the lists hold pairs closer than the cutoff plus rounding: the rule is the distance */
    size_t m = 0;
    for (size_t p = 0; !rc && p < c->npairs; p++)
        if (!(cutoff > 0.0 && c->pairs[p].d0 > cutoff && c->pairs[p].d1 > cutoff))
            c->pairs[m++] = c->pairs[p];
    if (!rc)
        c->npairs = m;
    return rc;
}

int gn_interp_idpp(const gn_atoms *initial, const gn_atoms *final, int nimages, double *path,
                   const gn_idpp_opts *o, unsigned long *evals, gn_error *err)
{
    gn_idpp_opts def;
    if (!o) {
        gn_idpp_opts_default(&def);
        o = &def;
    }
    int rc = gn_interp_linear(initial, final, nimages, path, err);
    if (rc)
        return rc;
    size_t n = initial->n, m = (size_t)nimages + 2;
    idpp_ctx c = {.cell = &initial->cell, .n = n, .m = m};
    unsigned char *mask = malloc(3 * n);
    gn_band_eval ev;
    memset(&ev, 0, sizeof ev);
    if (!mask) {
        rc = gn_error_set(err, GN_ENOMEM, "IDPP: out of memory");
        goto done;
    }
    for (size_t a = 0; a < n; a++)
        mask[3 * a] = mask[3 * a + 1] = mask[3 * a + 2] = (unsigned char)!initial->fixed[a];
    rc = idpp_pairs(initial, final, o->cutoff, &c, err);
    if (!rc)
        rc = gn_band_eval_init(&ev, m, 3 * n, err);
    if (rc)
        goto done;
    gn_band_system sys = {.nparticles = n, .dim = 3, .mask = mask, .energy = idpp_energy,
                          .displacement = atoms_disp, .ctx = &c};
    gn_neb_opts no;
    gn_neb_opts_default(&no);
    no.nimages = nimages;
    no.k = o->k;
    no.climb = 0;
    no.fmax = o->fmax;
    no.max_steps = o->max_steps;
    no.max_move = o->max_move;
    gn_band_result br;
    rc = gn_band_relax(&sys, m, path, &no, &ev, &br, err);
    if (evals)
        *evals = br.evals;
    /* not converging within the cap is fine: IDPP only gives the starting band */
    if (rc)
        gn_error_prefix(err, "IDPP interpolation: ");
done:
    gn_band_eval_clear(&ev);
    free(c.pairs);
    free(mask);
    return rc;
}

int gn_idpp_objective(const gn_atoms *initial, const gn_atoms *final, double cutoff, double t,
                      const double *x, double *s, double *force, gn_error *err)
{
    int rc = gn_atoms_compatible(initial, final, err);
    if (rc)
        return rc;
    idpp_ctx c = {.cell = &initial->cell, .n = initial->n, .m = 2};
    rc = idpp_pairs(initial, final, cutoff, &c, err);
    if (!rc)
        rc = idpp_eval(&c, t, x, s, force, err);
    free(c.pairs);
    return rc;
}

int gn_interp_band(const gn_atoms *initial, const gn_atoms *final, int nimages, gn_interp method,
                   double *path, gn_error *err)
{
    if (method == GN_INTERP_LINEAR)
        return gn_interp_linear(initial, final, nimages, path, err);
    return gn_interp_idpp(initial, final, nimages, path, NULL, NULL, err);
}
