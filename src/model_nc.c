/* gapneb: crystal A of the nanocrystal model nc, a finite fcc crystal bounded by {100} and {111}
 * planes (truncated octahedron or Wulff shape), facing the gap with its top (001) facet or with
 * the edge between that facet and the (111) facet. Lengths in Å.
 *
 * Lattice points are a0/2 (i, j, k) in the cubic frame with i + j + k = parity (mod 2), centred
 * on the crystal's centre. The crystal is |i|, |j|, |k| <= h100 and |i| + |j| + |k| <= h111: the
 * (100) nuclei planes lie h100 a0/2 from the centre, the (111) ones h111 a0/(2 sqrt3). A (111)
 * plane holds lattice points only if h111 = parity (mod 2), which fixes the parity; every (100)
 * plane holds some. Working with these integers keeps every membership test exact.
 *
 * Truncated octahedra: cutting c layers off each vertex of a regular octahedron of n atoms along
 * an edge leaves N = (2n^3 + n)/3 - c(c+1)(2c+1) atoms (an octahedron of edge n has (2n^3+n)/3,
 * the octahedral numbers of Teo and Sloane, Inorg. Chem. 24, 4545 (1985); each vertex pyramid of
 * c layers has 1 + 4 + ... + c^2); in the integers above, h111 = n - 1, h100 = n - 1 - c,
 * parity = (n - 1) mod 2. With c = round((n-1)/3) (exact thirds for the regular truncated
 * octahedra n = 3c + 1, the Kelvin shape) the family is N = 38, 79, 116, 201, 314, 405, 586, 807,
 * 976, 1289, 1654 ..., the truncated-octahedral magic numbers of the cluster literature except
 * 140 (n = 6, c = 1, the less truncated member of the n = 6 row).
 *
 * Wulff shapes: the distance of a facet from the centre is proportional to its surface energy,
 * so (h111 a0 / (2 sqrt3)) / (h100 a0 / 2) = gamma111 / gamma100, i.e. h111 = h100 sqrt3
 * gamma111 / gamma100 rounded to the nearest integer, kept within h100 < h111 < 2 h100 so that
 * the crystal keeps both facet families and (100)/(111) edges (for Pt gamma100/gamma111 is
 * about 1.1-1.2, well inside).
 *
 * Frames (model.h): facing FACET, x = (i + j) s/2 along [110], y = (j - i) s/2 along [-110] (a
 * right-handed frame), z = (k - h100) a0/2, s = a0/sqrt2. Facing EDGE: the facing edge is the row
 * k = h100, i + j = h111 - h100 = T between the top (001) facet and the (111) facet; with
 * p = i - j, t = i + j - T and k - h100 the frame is that of e2e (gn_model_wedge_yz), with x
 * = p s/2, so the middle of the edge row is at the origin. The row runs over p = -T .. T in
 * steps of 2 (i, j >= 0 on it; T < h100), T + 1 atoms.
 */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>


typedef struct nc_shape {
    int h100, h111, parity;
} nc_shape;

static int in_shape(const nc_shape *s, int i, int j, int k)
{
    if ((i + j + k + s->parity) & 1)
        return 0;
    int ai = abs(i), aj = abs(j), ak = abs(k);
    return ai <= s->h100 && aj <= s->h100 && ak <= s->h100 && ai + aj + ak <= s->h111;
}

static size_t shape_count(const nc_shape *s)
{
    size_t n = 0;
    for (int i = -s->h100; i <= s->h100; i++)
        for (int j = -s->h100; j <= s->h100; j++)
            for (int k = -s->h100; k <= s->h100; k++)
                n += (size_t)in_shape(s, i, j, k);
    return n;
}

/* Member m = 0, 1, 2, ... of the shape family of o, smallest first; 0 past the end. */
static int family_member(const gn_model_opts *o, int m, nc_shape *s)
{
    if (o->shape == GN_NC_OCTAHEDRON) {
        int n1 = m + 3; /* n - 1, n >= 4 */
        int c = (n1 + 1) / 3;
        *s = (nc_shape){n1 - c, n1, n1 & 1};
    } else {
        int h = m + 2;
        double want = h * sqrt(3.0) * o->gamma111 / o->gamma100;
        int h111 = (int)lround(fmin(fmax(want, h + 1.0), 2.0 * h - 1.0));
        *s = (nc_shape){h, h111, h111 & 1};
    }
    return s->h100 <= GN_NC_H100_MAX;
}

static int nc_shape_of(const gn_model_opts *o, nc_shape *out)
{
    nc_shape s, best = {0, 0, 0};
    double best_score = INFINITY;
    for (int m = 0; family_member(o, m, &s); m++) {
        double score;
        if (o->natoms > 0) {
            size_t n = shape_count(&s);
            score = fabs((double)n - (double)o->natoms);
            if (score >= best_score && n > (size_t)o->natoms)
                break; /* counts grow with m: nothing nearer follows */
        } else {
            score = fabs(s.h100 * o->a0 - o->diameter);
        }
        if (score < best_score - 1e-9) {
            best_score = score;
            best = s;
        }
    }
    *out = best;
    return best.h100 > 0;
}

/* The model position of lattice point (i, j, k) of shape s. */
static void nc_pos(const gn_model_opts *o, const nc_shape *s, int i, int j, int k, double r[3])
{
    const double h = 0.5 * gn_model_spacing(o);
    if (o->facing == GN_NC_FACET) {
        r[0] = (i + j) * h;
        r[1] = (j - i) * h;
        r[2] = (k - s->h100) * 0.5 * o->a0;
        return;
    }
    int T = s->h111 - s->h100;
    r[0] = (i - j) * h;
    gn_model_wedge_yz(o->a0, i + j - T, k - s->h100, &r[1], &r[2]);
}

/* Distance (Å) of a lattice point below the crystal's surface: to the nearest bounding plane. */
static double depth(const gn_model_opts *o, const nc_shape *s, int i, int j, int k)
{
    int ai = abs(i), aj = abs(j), ak = abs(k);
    int m = ai > aj ? ai : aj;
    m = m > ak ? m : ak;
    double d100 = (s->h100 - m) * 0.5 * o->a0;
    double d111 = (s->h111 - ai - aj - ak) * 0.5 * o->a0 / sqrt(3.0);
    return fmin(d100, d111);
}

int gn_nc_info_get(const gn_model_opts *o, gn_nc_info *out, gn_error *err)
{
    if (o->kind != GN_MODEL_NC)
        return gn_error_set(err, GN_EINVAL, "model kind %d is not nc", (int)o->kind);
    if (!isfinite(o->a0) || o->a0 <= 0.0)
        return gn_error_set(err, GN_EINVAL, "lattice constant a0 = %g Å: must be finite and > 0",
                            o->a0);
    int rc = gn_model_nc_check(o, err);
    if (rc)
        return rc;
    nc_shape s;
    if (!nc_shape_of(o, &s))
        return gn_error_set(err, GN_EINVAL, "nc: no %s of that size", gn_nc_shape_name(o->shape));
    int T = s.h111 - s.h100;
    *out = (gn_nc_info){.h100 = s.h100, .h111 = s.h111, .parity = s.parity,
                        .natoms = shape_count(&s), .d100 = 0.5 * s.h100 * o->a0,
                        .d111 = 0.5 * s.h111 * o->a0 / sqrt(3.0),
                        .edge_atoms = (T < 2 * s.h100 - T ? T : 2 * s.h100 - T) + 1};
    return GN_OK;
}

int gn_model_nc_crystal(const gn_model_opts *o, gn_atoms *a, gn_error *err)
{
    const double h[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    const int pbc[3] = {0, 0, 0};
    int rc = gn_cell_init(&a->cell, h, pbc, err);
    if (rc)
        return rc;
    nc_shape s;
    if (!nc_shape_of(o, &s))
        return gn_error_set(err, GN_EINVAL, "nc: no %s of that size", gn_nc_shape_name(o->shape));
    double centre[3];
    nc_pos(o, &s, 0, 0, 0, centre);
    /* facing side first: k from the top (001) facet down */
    for (int k = s.h100; k >= -s.h100 && !rc; k--)
        for (int i = -s.h100; i <= s.h100 && !rc; i++)
            for (int j = -s.h100; j <= s.h100 && !rc; j++) {
                if (!in_shape(&s, i, j, k))
                    continue;
                double r[3];
                nc_pos(o, &s, i, j, k, r);
                int fixed = o->fix_shell > 0.0 && depth(o, &s, i, j, k) < o->fix_shell - 1e-9 &&
                            r[2] < centre[2] - 1e-9;
                rc = gn_atoms_push(a, o->z, r, fixed, err);
            }
    return rc;
}

int gn_model_nc_candidates(const gn_model_opts *o, gn_model_cands *c, gn_error *err)
{
    nc_shape s;
    if (!nc_shape_of(o, &s))
        return gn_error_set(err, GN_EINVAL, "nc: no %s of that size", gn_nc_shape_name(o->shape));
    const int L = s.h100 + 2;
    int rc = GN_OK;
    for (int i = -L; i <= L && !rc; i++)
        for (int j = -L; j <= L && !rc; j++) {
            double r[3];
            /* (100): the next layer above the top facet k = h100 */
            int k = s.h100 + 1;
            if (!((i + j + k + s.parity) & 1)) {
                nc_pos(o, &s, i, j, k, r);
                rc = gn_model_cands_push(c, r, 100, GN_SITE_HOLLOW100, err);
            }
            /* (111) next to the facing edge: the next layer above i + j + k = h111 is h111 + 2
             * (the planes between hold no lattice points) */
            k = s.h111 + 2 - i - j;
            if (o->facing == GN_NC_EDGE && !rc && abs(k) <= L) {
                nc_pos(o, &s, i, j, k, r);
                rc = gn_model_cands_push(c, r, 111, GN_SITE_FCC111, err);
            }
        }
    return rc;
}
