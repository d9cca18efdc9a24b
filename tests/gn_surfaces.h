/* gapneb tests: analytic 2D surfaces with exactly known saddles, shared by the NEB and dimer
 * tests (header-only): Muller-Brown, a LEPS surface, and Newton's method on their gradients for
 * the reference stationary points. Units are the surfaces' own. */
#ifndef GN_SURFACES_H
#define GN_SURFACES_H

#include <math.h>

typedef void (*grad_fn)(const double *x, double *e, double *g);

/* ---- Muller-Brown (Muller and Brown, Theor. Chim. Acta 53, 75 (1979)) ---- */
static const double mbA[4] = {-200, -100, -170, 15}, mba[4] = {-1, -1, -6.5, 0.7},
                    mbb[4] = {0, 0, 11, 0.6}, mbc[4] = {-10, -10, -6.5, 0.7},
                    mbx[4] = {1, 0, -0.5, -1}, mby[4] = {0, 0.5, 1.5, 1};

static inline void mb(const double *p, double *e, double *g)
{
    *e = 0;
    g[0] = g[1] = 0;
    for (int k = 0; k < 4; k++) {
        double dx = p[0] - mbx[k], dy = p[1] - mby[k];
        double v = mbA[k] * exp(mba[k] * dx * dx + mbb[k] * dx * dy + mbc[k] * dy * dy);
        *e += v;
        g[0] += v * (2 * mba[k] * dx + mbb[k] * dy);
        g[1] += v * (mbb[k] * dx + 2 * mbc[k] * dy);
    }
}

/* ---- LEPS (Jonsson, Mills and Jacobsen 1998 review parameters), x = (r_AB, r_BC) ---- */
static const double la = 0.05, lb = 0.30, lc = 0.05, ldAB = 4.746, ldBC = 4.746, ldAC = 3.445,
                    lr0 = 0.742, lal = 1.942;

static inline void leps_qj(double r, double d, double *q, double *dq, double *j, double *dj)
{
    double e1 = exp(-lal * (r - lr0)), e2 = e1 * e1;
    *q = d / 2 * (1.5 * e2 - e1);
    *dq = d / 2 * (-3 * lal * e2 + lal * e1);
    *j = d / 4 * (e2 - 6 * e1);
    *dj = d / 4 * (-2 * lal * e2 + 6 * lal * e1);
}

static inline void leps(const double *x, double *e, double *g)
{
    double r[3] = {x[0], x[1], x[0] + x[1]}, d[3] = {ldAB, ldBC, ldAC}, w[3] = {1 + la, 1 + lb, 1 + lc};
    double q[3], dq[3], j[3], dj[3];
    for (int k = 0; k < 3; k++) {
        leps_qj(r[k], d[k], &q[k], &dq[k], &j[k], &dj[k]);
        j[k] /= w[k];
        dj[k] /= w[k];
    }
    double s = j[0] * j[0] + j[1] * j[1] + j[2] * j[2] - j[0] * j[1] - j[1] * j[2] - j[0] * j[2];
    double rs = sqrt(s);
    *e = q[0] / w[0] + q[1] / w[1] + q[2] / w[2] - rs;
    double ds[3] = {(2 * j[0] - j[1] - j[2]) * dj[0], (2 * j[1] - j[0] - j[2]) * dj[1],
                    (2 * j[2] - j[0] - j[1]) * dj[2]};
    double dv[3];
    for (int k = 0; k < 3; k++)
        dv[k] = dq[k] / w[k] - ds[k] / (2 * rs);
    g[0] = dv[0] + dv[2];
    g[1] = dv[1] + dv[2];
}

/* Hessian of a 2D surface by central differences (step 1e-6) of its analytic gradient. */
static inline void hess2(grad_fn f, const double *x, double h[2][2])
{
    double e, gp[2], gm[2];
    for (int k = 0; k < 2; k++) {
        double xp[2] = {x[0], x[1]}, xm[2] = {x[0], x[1]};
        xp[k] += 1e-6;
        xm[k] -= 1e-6;
        f(xp, &e, gp);
        f(xm, &e, gm);
        h[0][k] = (gp[0] - gm[0]) / 2e-6;
        h[1][k] = (gp[1] - gm[1]) / 2e-6;
    }
}

/* Newton's method on the gradient with the Hessian above: converges to the stationary point
 * (minimum or saddle) nearest the guess x. */
static inline void newton2(grad_fn f, double *x)
{
    for (int it = 0; it < 100; it++) {
        double e, g[2], h[2][2];
        f(x, &e, g);
        hess2(f, x, h);
        double det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
        double dx = (h[1][1] * g[0] - h[0][1] * g[1]) / det;
        double dy = (-h[1][0] * g[0] + h[0][0] * g[1]) / det;
        x[0] -= dx;
        x[1] -= dy;
        if (fabs(dx) + fabs(dy) < 1e-13)
            break;
    }
}

#endif
