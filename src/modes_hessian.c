/* gapneb: finite-difference Hessians (modes.h): of a generic objective, and of the movable atoms
 * of a structure, whose displaced structures go to the potential in batches when it evaluates
 * them concurrently (an engine pool, ipi.h). Units: Å, eV/Å, Hessian eV/Å^2. */
#include "gapneb/modes.h"
#include "modes_internal.h"
#include "gapneb/relax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t gn_modes_count_dof(const gn_objective *obj)
{
    size_t n = obj->nparticles * (size_t)obj->dim, m = 0;
    for (size_t k = 0; k < n; k++)
        m += !obj->mask || obj->mask[k];
    return m;
}

/* Column j of the raw Hessian from forces at x +- h e_k (k the full-vector index). */
static int hessian_column(const gn_objective *obj, double *x, size_t k, double step,
                          double *fp, double *fm, double *col, gn_error *err)
{
    size_t n = obj->nparticles * (size_t)obj->dim;
    double x0 = x[k], e;
    x[k] = x0 + step;
    int rc = obj->eval(obj->ctx, x, &e, fp, err);
    if (rc == GN_OK) {
        x[k] = x0 - step;
        rc = obj->eval(obj->ctx, x, &e, fm, err);
    }
    x[k] = x0;
    if (rc != GN_OK)
        return rc;
    size_t j = 0;
    for (size_t l = 0; l < n; l++) {
        if (obj->mask && !obj->mask[l])
            continue;
        col[j++] = -(fp[l] - fm[l]) / (2.0 * step);
    }
    return GN_OK;
}

double gn_modes_symmetrise(double *H, size_t dim)
{
    double asym = 0.0;
    for (size_t i = 0; i < dim; i++)
        for (size_t j = i + 1; j < dim; j++) {
            double a = H[i * dim + j], b = H[j * dim + i];
            if (fabs(a - b) > asym)
                asym = fabs(a - b);
            H[i * dim + j] = H[j * dim + i] = 0.5 * (a + b);
        }
    return asym;
}

int gn_modes_hessian_obj(const gn_objective *obj, const double *x, double step, double *H,
                         double *asym, gn_error *err)
{
    if (!obj || !obj->eval || !x || !H || obj->dim <= 0)
        return gn_error_set(err, GN_EINVAL, "Hessian: missing objective, vector or output");
    if (!(step > 0.0) || !isfinite(step))
        return gn_error_set(err, GN_ERANGE, "Hessian: finite-difference step %g is not positive",
                            step);
    size_t n = obj->nparticles * (size_t)obj->dim, dim = gn_modes_count_dof(obj);
    double *xw = malloc(n * sizeof *xw), *fp = malloc(n * sizeof *fp),
           *fm = malloc(n * sizeof *fm);
    int rc = GN_OK;
    if (!xw || !fp || !fm) {
        rc = gn_error_set(err, GN_ENOMEM, "Hessian: out of memory for %zu components", n);
        goto done;
    }
    memcpy(xw, x, n * sizeof *xw);
    size_t row = 0;
    for (size_t k = 0; k < n && rc == GN_OK; k++) {
        if (obj->mask && !obj->mask[k])
            continue;
        rc = hessian_column(obj, xw, k, step, fp, fm, H + row * dim, err);
        row++;
    }
    if (rc == GN_OK) {
        double a = gn_modes_symmetrise(H, dim);
        if (asym)
            *asym = a;
    }
done:
    free(xw);
    free(fp);
    free(fm);
    return rc;
}

/* Coordinates displaced per batch by hessian_batched: 32 structures in flight keep a pool of up
 * to 32 engines busy, and the copies cost 32 structures of memory. */
#define HESS_CHUNK 16

/* The same Hessian as the objective path (same displacements, same differences), but the
 * displaced structures of HESS_CHUNK coordinates go to the potential in one batch, so that an
 * engine pool evaluates them in parallel. */
static int hessian_batched(gn_calc *c, const gn_atoms *a, double step, double *H, size_t dim,
                           double *asym, gn_error *err)
{
    size_t n3 = 3 * a->n;
    gn_atoms *w[2 * HESS_CHUNK] = {NULL};
    gn_calc *cs[2 * HESS_CHUNK];
    double e[2 * HESS_CHUNK], *fp[2 * HESS_CHUNK];
    size_t comp[HESS_CHUNK];
    double *f = malloc(2 * HESS_CHUNK * n3 * sizeof *f);
    int rc = f ? GN_OK : gn_error_set(err, GN_ENOMEM, "Hessian: out of memory");
    for (int k = 0; k < 2 * HESS_CHUNK && !rc; k++) {
        rc = gn_atoms_copy(a, &w[k], err);
        cs[k] = c;
        fp[k] = f + (size_t)k * n3;
    }
    size_t row = 0, next = 0;
    while (!rc && row < dim) {
        size_t nc = 0;
        for (; next < n3 && nc < HESS_CHUNK; next++)
            if (!a->fixed[next / 3])
                comp[nc++] = next;
        for (size_t j = 0; j < nc; j++)
            for (int sgn = 0; sgn < 2; sgn++) {
                gn_atoms *x = w[2 * j + (size_t)sgn];
                memcpy(x->pos, a->pos, n3 * sizeof *x->pos);
                x->pos[comp[j]] = a->pos[comp[j]] + (sgn ? -step : step);
            }
        rc = gn_calc_compute_batch(cs, 2 * nc, (const gn_atoms *const *)w, e, fp, err);
        for (size_t j = 0; j < nc && !rc; j++, row++) {
            const double *fplus = fp[2 * j], *fminus = fp[2 * j + 1];
            double *col = H + row * dim;
            size_t q = 0;
            for (size_t l = 0; l < n3; l++)
                if (!a->fixed[l / 3])
                    col[q++] = -(fplus[l] - fminus[l]) / (2.0 * step);
        }
    }
    if (!rc) {
        double as = gn_modes_symmetrise(H, dim);
        if (asym)
            *asym = as;
    }
    for (int k = 0; k < 2 * HESS_CHUNK; k++)
        gn_atoms_free(w[k]);
    free(f);
    return rc;
}

int gn_modes_hessian(gn_calc *c, const gn_atoms *a, double step, double **H, size_t *dim,
                     double *asym, gn_error *err)
{
    *H = NULL;
    *dim = 0;
    size_t m = gn_atoms_nmovable(a);
    if (m == 0)
        return gn_error_set(err, GN_EINVAL, "Hessian: the structure has no movable atoms");
    if (gn_potential_concurrent(gn_calc_potential(c))) {
        if (!(step > 0.0) || !isfinite(step))
            return gn_error_set(err, GN_ERANGE, "Hessian: finite-difference step %g is not "
                                "positive", step);
        double *h = malloc(9 * m * m * sizeof *h);
        if (!h)
            return gn_error_set(err, GN_ENOMEM, "Hessian: out of memory for %zu movable atoms",
                                m);
        int rc = hessian_batched(c, a, step, h, 3 * m, asym, err);
        if (rc) {
            free(h);
            return rc;
        }
        *H = h;
        *dim = 3 * m;
        return GN_OK;
    }
    gn_atoms *work = NULL;
    int rc = gn_atoms_copy(a, &work, err);
    if (rc)
        return rc;
    gn_atoms_objective ao;
    rc = gn_atoms_objective_init(&ao, c, work, err);
    double *h = rc ? NULL : malloc(9 * m * m * sizeof *h);
    if (!rc && !h)
        rc = gn_error_set(err, GN_ENOMEM, "Hessian: out of memory for %zu movable atoms", m);
    if (!rc)
        rc = gn_modes_hessian_obj(&ao.obj, a->pos, step, h, asym, err);
    gn_atoms_objective_clear(&ao);
    gn_atoms_free(work);
    if (rc) {
        free(h);
        return rc;
    }
    *H = h;
    *dim = 3 * m;
    return GN_OK;
}
