/* gapneb: small vector helpers and the one pseudo-random stream of the iterative solvers
 * (lowmode.c, dimer.c, search.c): xorshift64* (Vigna, ACM Trans. Math. Softw. 42, 30 (2016)), a
 * local state per caller, no global state. Header-only, not installed. Units: none. */
#ifndef GAPNEB_VEC_INTERNAL_H
#define GAPNEB_VEC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

static inline double gn_vdot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* y += a x */
static inline void gn_vaxpy(double a, const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] += a * x[i];
}

/* The next 64 output bits of the stream *s (never seed it with 0). */
static inline uint64_t gn_xorshift_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/* Uniform in [-0.5, 0.5). */
static inline double gn_xorshift_centered(uint64_t *s)
{
    return (double)(gn_xorshift_next(s) >> 11) * (1.0 / 9007199254740992.0) - 0.5;
}

#endif
