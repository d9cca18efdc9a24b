/* gapneb: energy profile along a band. Reaction coordinate in Å, energies in eV, forces in eV/Å.
 *
 * Between images the profile is a cubic Hermite polynomial that matches the image energies and
 * the tangential forces (F = -dE/ds) at both ends, in the form of VTST's nebspline: on a segment
 * of length dR with f in [0, 1], U(f) = a + b f + c f^2 + d f^3, a = U1, b = -F1 dR,
 * c = 3 (U2 - U1) + (2 F1 + F2) dR, d = -2 (U2 - U1) - (F1 + F2) dR. Maxima are searched only
 * inside each segment: extrapolating a cubic outside it inflates barriers.
 * Thread safety: pure functions.
 */
#ifndef GAPNEB_PROFILE_H
#define GAPNEB_PROFILE_H

#include <stddef.h>
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Value of the interpolated profile at reaction coordinate x (clamped to [s[0], s[n-1]]).
 * s must be non-decreasing. */
double gn_profile_eval(size_t n, const double *s, const double *e, const double *f_tan, double x);

/* The maximum of the interpolated profile: over the image energies and the interior critical
 * points of every segment. Writes its position and value; returns the segment index (-1 if
 * n == 0). */
int gn_profile_max(size_t n, const double *s, const double *e, const double *f_tan,
                   double *s_max, double *e_max);

/* An interior minimum of the interpolated profile (gn_profile_minima). */
typedef struct gn_profile_min {
    double s, e;     /* reaction coordinate (Å) and energy (eV) */
    int segment;     /* between images segment and segment + 1 */
    double f;        /* fraction of the way along that segment, in [0, 1) (0: at the image) */
    double depth;    /* eV: the lower of the highest profile values before and after it, minus e */
} gn_profile_min;

/* Interior minima of the interpolated profile deeper than tol (eV). The profile is monotone
 * between consecutive points of the list "images and interior critical points of every
 * segment", so its local minima are the points of that list lower than both list neighbours;
 * images lower than both neighbouring images are taken too. A minimum's depth is the lower of
 * the highest profile values before and after it minus its energy (a dip on the slope of a
 * barrier with only a tiny rise after it is shallow). Two minima with no maximum more than tol
 * above the higher of them in between belong to one dip: only the lower is kept. Writes up to
 * max minima into out in order of s and returns how many there are (may exceed max). */
size_t gn_profile_minima(size_t n, const double *s, const double *e, const double *f_tan,
                         double tol, gn_profile_min *out, size_t max);

/* Samples the profile at per_segment points per segment plus the last image:
 * (n - 1) * per_segment + 1 points into *xs, *ys (allocated, caller frees). */
int gn_profile_sample(size_t n, const double *s, const double *e, const double *f_tan,
                      int per_segment, double **xs, double **ys, size_t *npts, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
