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
