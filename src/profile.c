/* gapneb: cubic Hermite energy profile along a band (VTST nebspline form). Reaction coordinate in
 * Å, energies in eV, tangential forces in eV/Å (F = -dE/ds). */
#include "gapneb/profile.h"

#include <gsl/gsl_poly.h>
#include <math.h>
#include <stdlib.h>

/* Coefficients of segment i: U(f) = c[0] + c[1] f + c[2] f^2 + c[3] f^3, f in [0, 1]. */
static void segment_coeffs(const double *s, const double *e, const double *ft, size_t i,
                           double c[4])
{
    double dr = s[i + 1] - s[i];
    double du = e[i + 1] - e[i];
    c[0] = e[i];
    c[1] = -ft[i] * dr;
    c[2] = 3.0 * du + (2.0 * ft[i] + ft[i + 1]) * dr;
    c[3] = -2.0 * du - (ft[i] + ft[i + 1]) * dr;
}

static double cubic(const double c[4], double f) { return c[0] + f * (c[1] + f * (c[2] + f * c[3])); }

double gn_profile_eval(size_t n, const double *s, const double *e, const double *f_tan, double x)
{
    if (n == 0)
        return NAN;
    if (n == 1 || x <= s[0])
        return e[0];
    if (x >= s[n - 1])
        return e[n - 1];
    size_t i = 0;
    while (i + 2 < n && x > s[i + 1])
        i++;
    double dr = s[i + 1] - s[i];
    if (!(dr > 0.0))
        return e[i];
    double c[4];
    segment_coeffs(s, e, f_tan, i, c);
    return cubic(c, (x - s[i]) / dr);
}

int gn_profile_max(size_t n, const double *s, const double *e, const double *f_tan,
                   double *s_max, double *e_max)
{
    if (n == 0)
        return -1;
    int seg = 0;
    *s_max = s[0];
    *e_max = e[0];
    for (size_t i = 0; i < n; i++)
        if (e[i] > *e_max) {
            *e_max = e[i];
            *s_max = s[i];
            seg = i > 0 ? (int)i - 1 : 0;
        }
    for (size_t i = 0; i + 1 < n; i++) {
        double dr = s[i + 1] - s[i];
        if (!(dr > 0.0))
            continue;
        double c[4];
        segment_coeffs(s, e, f_tan, i, c);
        /* critical points: U'(f) = c1 + 2 c2 f + 3 c3 f^2 = 0, kept only inside (0, 1) */
        double r[2];
        int nr = gsl_poly_solve_quadratic(3.0 * c[3], 2.0 * c[2], c[1], &r[0], &r[1]);
        for (int k = 0; k < nr; k++) {
            if (!(r[k] > 0.0 && r[k] < 1.0))
                continue;
            double u = cubic(c, r[k]);
            if (u > *e_max) {
                *e_max = u;
                *s_max = s[i] + r[k] * dr;
                seg = (int)i;
            }
        }
    }
    return seg;
}

/* The images and the interior critical points of every segment, in order of s: the profile is
 * monotone between consecutive points. *out (allocated) receives them; returns the count. */
static size_t critical_list(size_t n, const double *s, const double *e, const double *f_tan,
                            gn_profile_min **out)
{
    gn_profile_min *v = malloc((3 * n + 1) * sizeof *v);
    size_t k = 0;
    *out = v;
    if (!v)
        return 0;
    for (size_t i = 0; i < n; i++) {
        v[k++] = (gn_profile_min){s[i], e[i], (int)i, 0.0, 0.0};
        double dr = i + 1 < n ? s[i + 1] - s[i] : 0.0;
        if (!(dr > 0.0))
            continue;
        double c[4], r[2];
        segment_coeffs(s, e, f_tan, i, c);
        int nr = gsl_poly_solve_quadratic(3.0 * c[3], 2.0 * c[2], c[1], &r[0], &r[1]);
        for (int q = 0; q < nr; q++)
            if (r[q] > 0.0 && r[q] < 1.0 && (q == 0 || r[q] > r[0]))
                v[k++] = (gn_profile_min){s[i] + r[q] * dr, cubic(c, r[q]), (int)i, r[q], 0.0};
    }
    return k;
}

/* Highest energy of v strictly between a and b. */
static double max_between(const gn_profile_min *v, size_t a, size_t b)
{
    double m = -INFINITY;
    for (size_t j = a + 1; j < b; j++)
        m = fmax(m, v[j].e);
    return m;
}

/* Is list point j a candidate: lower than both list neighbours, or an image lower than both
 * neighbouring images? */
static int is_dip(const gn_profile_min *v, size_t j, size_t n, const double *e)
{
    if (v[j].e < v[j - 1].e && v[j].e < v[j + 1].e)
        return 1;
    size_t i = (size_t)v[j].segment;
    return v[j].f == 0.0 && i > 0 && i + 1 < n && e[i] < e[i - 1] && e[i] < e[i + 1];
}

size_t gn_profile_minima(size_t n, const double *s, const double *e, const double *f_tan,
                         double tol, gn_profile_min *out, size_t max)
{
    if (n < 3)
        return 0;
    gn_profile_min *v;
    size_t L = critical_list(n, s, e, f_tan, &v);
    if (!v)
        return 0;
    size_t *keep = malloc((L + 1) * sizeof *keep), nk = 0;
    for (size_t j = 1; keep && j + 1 < L; j++) {
        if (!is_dip(v, j, n, e))
            continue;
        v[j].depth = fmin(fmax(max_between(v, 0, j), v[0].e),
                          fmax(max_between(v, j, L - 1), v[L - 1].e)) - v[j].e;
        if (!(v[j].depth > tol))
            continue;
        /* one dip, one minimum: merge with the previous one unless a real maximum separates */
        if (nk && max_between(v, keep[nk - 1], j) - fmax(v[keep[nk - 1]].e, v[j].e) <= tol) {
            if (v[j].e < v[keep[nk - 1]].e)
                keep[nk - 1] = j;
            continue;
        }
        keep[nk++] = j;
    }
    for (size_t k = 0; k < nk && k < max; k++)
        out[k] = v[keep[k]];
    free(keep);
    free(v);
    return nk;
}

int gn_profile_sample(size_t n, const double *s, const double *e, const double *f_tan,
                      int per_segment, double **xs, double **ys, size_t *npts, gn_error *err)
{
    *xs = *ys = NULL;
    *npts = 0;
    if (n == 0 || per_segment < 1)
        return gn_error_set(err, GN_EINVAL, "profile: %zu images, %d points per segment", n,
                            per_segment);
    size_t m = (n - 1) * (size_t)per_segment + 1;
    double *x = malloc(m * sizeof *x), *y = malloc(m * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return gn_error_set(err, GN_ENOMEM, "profile: out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double c[4];
        segment_coeffs(s, e, f_tan, i, c);
        for (int j = 0; j < per_segment; j++) {
            double f = (double)j / per_segment;
            x[k] = s[i] + f * (s[i + 1] - s[i]);
            y[k] = cubic(c, f);
            k++;
        }
    }
    x[k] = s[n - 1];
    y[k] = e[n - 1];
    *xs = x;
    *ys = y;
    *npts = m;
    return GN_OK;
}
