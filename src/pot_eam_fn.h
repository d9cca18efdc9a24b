/* gapneb: the EAM functions, inline for the force loops of pot_eam.c and for the one-at-a-time
 * accessors and the setfl writer of pot_eam_api.c, so that both give bit for bit the same
 * numbers: the analytic Zhou 2004 Pt set (see pot_eam_api.c for the form and the choices) and
 * the tables, evaluated as LAMMPS pair_eam does. Lengths Å, energies eV. Not installed. */
#ifndef GAPNEB_POT_EAM_FN_H
#define GAPNEB_POT_EAM_FN_H

#include "pot_eam_impl.h"

#include <math.h>

/* Zhou 2004 Pt parameters, as tabulated in LAMMPS tools/eam_database and OpenMD's
 * EAM.Zhou2004.frc (the two agree; OpenMD notes that rho_n = 0.25 rho_e is not in the paper). */
static const double ZW_RE = GN_EAM_PT_RE, ZW_FE = 2.336509, ZW_RHOE = GN_EAM_PT_RHO_E,
                    ZW_RHOS = 35.205357, ZW_ALPHA = 7.105782, ZW_BETA = 3.789750,
                    ZW_A = 0.556398, ZW_B = 0.696037, ZW_KAPPA = 0.385255, ZW_LAMBDA = 0.770510;
static const double ZW_FN[4] = {-1.455568, -2.149952, 0.528491, 1.222875};
static const double ZW_F[4] = {-4.17, 0.0, 3.010561, -2.420128};
static const double ZW_ETA = 1.450000, ZW_FEMB = -4.145597;
static const double ZW_MASS = 195.08;

/* ---- analytic functions ---- */

/* The batch loop below is vectorised only if its body is inlined, which GCC declines at -O2 for
 * a function of this size. */
#if defined(__GNUC__)
#define ZW_INLINE static inline __attribute__((always_inline))
#else
#define ZW_INLINE static inline
#endif

/* u^20 and its derivative 20 u^19. */
static inline double pow20(double u, double *d)
{
    double u2 = u * u, u4 = u2 * u2, u5 = u4 * u, u10 = u5 * u5;
    *d = 20.0 * u10 * u5 * u4;
    return u10 * u10;
}

/* For Zhou's Pt set alpha = (15/8) beta + 7.5e-7, so one exponential t = e^{-beta(x-1)/8}
 * gives e^{-beta(x-1)} = t^8 and e^{-alpha(x-1)} = t^15 e^{-delta(x-1)}, the last factor
 * to second order (|delta (x-1)| < 1e-6 inside the cutoff: error below 1e-18). This halves
 * the exponentials of the hottest loop; test_eam checks it against direct evaluation.
 * zw_exp_arg gives the exponent of t, zw_exp the exponential, zw_pair_t the rest, so that a
 * batch of pairs is all vector arithmetic. */
static inline double zw_exp_arg(double r)
{
    static const double inv_re = 1.0 / GN_EAM_PT_RE;
    double u = r * inv_re - 1.0;
    return -0.125 * ZW_BETA * u;
}

/* e^x for the exponents of zw_exp_arg: 0 <= r <= r_c gives -0.64 <= x <= 0.48, where the Taylor
 * series to x^16 is exact to below 1e-17 relative (the next term is at most 0.65^17/17! = 2e-18
 * against e^x >= 0.52), i.e. to rounding, like libm's exp. Unlike a call to exp() it is plain
 * arithmetic, which the batch loop turns into vector instructions (exp() took a sixth of the
 * force call). */
ZW_INLINE double zw_exp(double x)
{
    /* 1/k!, k = 16 .. 0 */
    double p = 1.0 / 20922789888000.0;
    p = p * x + 1.0 / 1307674368000.0;
    p = p * x + 1.0 / 87178291200.0;
    p = p * x + 1.0 / 6227020800.0;
    p = p * x + 1.0 / 479001600.0;
    p = p * x + 1.0 / 39916800.0;
    p = p * x + 1.0 / 3628800.0;
    p = p * x + 1.0 / 362880.0;
    p = p * x + 1.0 / 40320.0;
    p = p * x + 1.0 / 5040.0;
    p = p * x + 1.0 / 720.0;
    p = p * x + 1.0 / 120.0;
    p = p * x + 1.0 / 24.0;
    p = p * x + 1.0 / 6.0;
    p = p * x + 0.5;
    p = p * x + 1.0;
    return p * x + 1.0;
}

/* Both functions share e^{-beta(x-1)} / (1 + (x-lambda)^20); one division serves both
 * denominators and the constants' inverses replace the others. t = exp(zw_exp_arg(r)),
 * 0 < r <= r_c. The taper is branch-free: in a list the tapered and untapered pairs come in no
 * predictable order, and a branch would keep the batch loop from being vectorised. */
ZW_INLINE void zw_pair_t(double r, double t, double *f, double *df, double *phi, double *dphi)
{
    static const double inv_re = 1.0 / GN_EAM_PT_RE;
    const double delta = ZW_ALPHA - 1.875 * ZW_BETA;
    const double rs = GN_EAM_PT_RTAPER, rc = GN_EAM_PT_RCUT;
    double x = r * inv_re, u = x - 1.0;
    double t2 = t * t, t4 = t2 * t2, t8 = t4 * t4, du = delta * u;
    double eb = t8, ea = t8 * t4 * t2 * t * (1.0 - du + 0.5 * du * du);
    double dpl, dpk;
    double dl = 1.0 + pow20(x - ZW_LAMBDA, &dpl), dk = 1.0 + pow20(x - ZW_KAPPA, &dpk);
    double inv = 1.0 / (dl * dk), gl = dk * inv, gk = dl * inv;
    /* d/dx of e/(1+u^20) = e (-c - 20 u^19 g) g */
    double fb = eb * gl, dfb = -fb * (ZW_BETA + dpl * gl) * inv_re;
    double fa = ea * gk, dfa = -fa * (ZW_ALPHA + dpk * gk) * inv_re;
    double f0 = ZW_FE * fb, df0 = ZW_FE * dfb;
    double p0 = ZW_A * fa - ZW_B * fb, dp0 = ZW_A * dfa - ZW_B * dfb;
    /* quintic switch S(t) = 1 - 10 t^3 + 15 t^4 - 6 t^5, with t = max(q, 0) = (q + |q|) / 2
     * (exact in binary arithmetic): below the taper t = 0, so S = 1 and S' = 0 exactly, without
     * a comparison, which GCC would turn back into a branch. r <= r_c: t <= 1. */
    double q = (r - rs) / (rc - rs), tt = 0.5 * (q + fabs(q));
    double tt2 = tt * tt, omt = 1.0 - tt;
    double s = 1.0 - tt2 * tt * (10.0 - 15.0 * tt + 6.0 * tt2);
    double ds = -30.0 * tt2 * omt * omt / (rc - rs);
    *f = f0 * s;
    *df = df0 * s + f0 * ds;
    *phi = p0 * s;
    *dphi = dp0 * s + p0 * ds;
}

/* One pair, 0 < r < r_c (the callers return zeros beyond the cutoff); the same arithmetic as a
 * batch, so gn_pot_eam_density/pair and the setfl writer give bit for bit what the force call
 * uses. */
static inline void zw_pair(double r, double *f, double *df, double *phi, double *dphi)
{
    zw_pair_t(r, zw_exp(zw_exp_arg(r)), f, df, phi, dphi);
}

static inline double poly3(const double c[4], double u, double *du)
{
    *du = c[1] + u * (2.0 * c[2] + 3.0 * c[3] * u);
    return c[0] + u * (c[1] + u * (c[2] + u * c[3]));
}

static inline void zw_embed(double rho, double *F, double *dF)
{
    const double rho_n = GN_EAM_PT_RHO_N, rho_0 = GN_EAM_PT_RHO_0;
    double du;
    if (rho < rho_n) {
        *F = poly3(ZW_FN, rho / rho_n - 1.0, &du);
        *dF = du / rho_n;
    } else if (rho < rho_0) {
        *F = poly3(ZW_F, rho / ZW_RHOE - 1.0, &du);
        *dF = du / ZW_RHOE;
    } else {
        double q = rho / ZW_RHOS, lq = log(q), qe = pow(q, ZW_ETA);
        *F = ZW_FEMB * (1.0 - ZW_ETA * lq) * qe;
        *dF = -ZW_FEMB * ZW_ETA * ZW_ETA * lq * qe / rho;
    }
}

/* ---- tabulated functions, evaluated as LAMMPS pair_eam does ---- */

/* Index and fraction on a grid of n points: LAMMPS's p = x/dx + 1, m = (int)p clamped to
 * [1, n-1], fraction clamped to 1; returns the 0-based interval. */
static inline int grid_index(int n, double rdx, double x, double *p)
{
    double q = x * rdx + 1.0;
    int m;
    /* written so that a NaN or huge x (densities of a broken table) never reaches the int */
    if (!(q >= 1.0))
        m = 1;
    else if (q >= (double)n)
        m = n - 1;
    else
        m = (int)q;
    q -= m;
    *p = q < 1.0 ? q : 1.0;
    return m - 1;
}

static inline double spl_val(const double *c, double p) { return ((c[3] * p + c[4]) * p + c[5]) * p + c[6]; }
static inline double spl_der(const double *c, double p) { return (c[0] * p + c[1]) * p + c[2]; }

static inline void tab_embed(const gn_eam_tab *t, int e, double rho, double *F, double *dF)
{
    double p;
    int m = grid_index(t->nrho, t->rdrho, rho, &p);
    const double *c = t->frho + 7 * ((size_t)e * t->nrho + m);
    *dF = spl_der(c, p);
    *F = spl_val(c, p);
    if (rho > t->rhomax)
        *F += *dF * (rho - t->rhomax);
}

static inline int pair_index(int a, int b) { return a >= b ? a * (a + 1) / 2 + b : b * (b + 1) / 2 + a; }

/* fi, dfi: density of an atom of element ti; fj, dfj: of tj; phi between them. */
static inline void tab_pair(const gn_eam_tab *t, int ti, int tj, double r, double *fi, double *dfi,
                     double *fj, double *dfj, double *phi, double *dphi)
{
    double p;
    int m = grid_index(t->nr, t->rdr, r, &p);
    const double *c = t->rhor + 7 * ((size_t)ti * t->nr + m);
    *fi = spl_val(c, p);
    *dfi = spl_der(c, p);
    if (tj != ti)
        c = t->rhor + 7 * ((size_t)tj * t->nr + m);
    *fj = spl_val(c, p);
    *dfj = spl_der(c, p);
    c = t->z2r + 7 * ((size_t)pair_index(ti, tj) * t->nr + m);
    double z2 = spl_val(c, p), z2p = spl_der(c, p);
    double rinv = 1.0 / r;
    *phi = z2 * rinv;
    *dphi = (z2p - *phi) * rinv;
}

#endif
