/* gapneb tests: analytic 2D surfaces shared by the NEB and steps tests (header-only). Units
 * are the surfaces' own. */
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

/* Newton's method on the gradient with a central-difference Hessian of the analytic gradient. */
static inline void newton2(grad_fn f, double *x)
{
    for (int it = 0; it < 100; it++) {
        double e, g[2], h[2][2], gp[2], gm[2];
        f(x, &e, g);
        for (int k = 0; k < 2; k++) {
            double xp[2] = {x[0], x[1]}, xm[2] = {x[0], x[1]};
            xp[k] += 1e-6;
            xm[k] -= 1e-6;
            f(xp, &e, gp);
            f(xm, &e, gm);
            h[0][k] = (gp[0] - gm[0]) / 2e-6;
            h[1][k] = (gp[1] - gm[1]) / 2e-6;
        }
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
