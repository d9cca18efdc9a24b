/* gapneb: finite-difference Hessian, normal modes, saddle verification and Vineyard rates.
 * Units: Å, eV, eV/Å, eV/Å^2, amu; eigenvalues eV/(Å^2 amu); frequencies THz and cm^-1; K; 1/s.
 * See include/gapneb/modes.h. The three-structure analysis is in modes_analyse.c, the partial
 * Hessian in modes_partial.c, NEB run folders and the reports in modes_run.c. */
#include "modes_internal.h"
#include "gapneb/relax.h"

#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sqrt(eV / (Å^2 amu)) in rad/s, divided by 2 pi and 1e12: THz per sqrt(eigenvalue). */
static double thz_per_sqrt_lambda(void)
{
    return sqrt(GN_EV_J / (1e-20 * GN_AMU_KG)) / (2.0 * M_PI) / 1e12;
}

double gn_modes_freq_thz(double lambda)
{
    double f = sqrt(fabs(lambda)) * thz_per_sqrt_lambda();
    return lambda < 0.0 ? -f : f;
}

double gn_modes_thz_to_cm(double thz) { return thz * 1e12 / GN_C_CM_S; }

int gn_modes_diagonalise(double *H, size_t dim, const double *dof_mass, double *eval,
                         double *evec, gn_error *err)
{
    if (dim == 0)
        return gn_error_set(err, GN_EINVAL, "diagonalise: empty Hessian");
    for (size_t i = 0; i < dim; i++)
        if (!(dof_mass[i] > 0.0))
            return gn_error_set(err, GN_EINVAL, "diagonalise: degree of freedom %zu has mass %g amu",
                                i, dof_mass[i]);
    for (size_t i = 0; i < dim; i++)
        for (size_t j = 0; j < dim; j++) {
            H[i * dim + j] /= sqrt(dof_mass[i] * dof_mass[j]);
            if (!isfinite(H[i * dim + j]))
                return gn_error_set(err, GN_ERANGE, "diagonalise: Hessian entry (%zu, %zu) is not "
                                    "finite", i, j);
        }
    /* dsyevd overwrites its input with the eigenvectors: keep H intact only if asked for none. */
    double *a = evec ? evec : malloc(dim * dim * sizeof *a);
    if (!a)
        return gn_error_set(err, GN_ENOMEM, "diagonalise: out of memory (dim %zu)", dim);
    if (a != H)
        memcpy(a, H, dim * dim * sizeof *a);
    lapack_int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, evec ? 'V' : 'N', 'U', (lapack_int)dim, a,
                                     (lapack_int)dim, eval);
    if (!evec)
        free(a);
    if (info != 0)
        return gn_error_set(err, GN_EEXTERNAL, "diagonalise: LAPACKE_dsyevd failed (info %d)",
                            (int)info);
    return GN_OK;
}

void gn_modes_set_clear(gn_modes_set *s)
{
    if (!s)
        return;
    free(s->lambda);
    free(s->freq_thz);
    free(s->evec);
    memset(s, 0, sizeof *s);
}

static double *dof_masses(const gn_atoms *a, size_t dim)
{
    double *m = malloc(dim * sizeof *m);
    if (!m)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++)
        if (!a->fixed[i])
            for (int x = 0; x < 3; x++)
                m[k++] = a->mass[i];
    return m;
}

void gn_modes_set_classify(gn_modes_set *s, double tol_thz)
{
    s->n_negative = s->n_zero = 0;
    for (size_t i = 0; i < s->dim; i++) {
        s->freq_thz[i] = gn_modes_freq_thz(s->lambda[i]);
        if (s->freq_thz[i] < -tol_thz)
            s->n_negative++;
        else if (s->freq_thz[i] <= tol_thz)
            s->n_zero++;
    }
}

int gn_modes_compute(gn_calc *c, const gn_atoms *a, double step, double tol_thz, int want_vectors,
                     gn_modes_set *out, gn_error *err)
{
    memset(out, 0, sizeof *out);
    if (step <= 0.0)
        step = GN_MODES_STEP_DEFAULT;
    if (tol_thz <= 0.0)
        tol_thz = GN_MODES_ZERO_TOL_THZ;
    double *H = NULL;
    size_t dim = 0;
    int rc = gn_modes_hessian(c, a, step, &H, &dim, &out->asym, err);
    if (rc)
        return rc;
    double *mass = dof_masses(a, dim);
    out->dim = dim;
    out->lambda = malloc(dim * sizeof *out->lambda);
    out->freq_thz = malloc(dim * sizeof *out->freq_thz);
    if (want_vectors)
        out->evec = malloc(dim * dim * sizeof *out->evec);
    if (!mass || !out->lambda || !out->freq_thz || (want_vectors && !out->evec))
        rc = gn_error_set(err, GN_ENOMEM, "modes: out of memory (dim %zu)", dim);
    else
        rc = gn_modes_diagonalise(H, dim, mass, out->lambda, out->evec, err);
    free(H);
    free(mass);
    if (rc) {
        gn_modes_set_clear(out);
        return rc;
    }
    gn_modes_set_classify(out, tol_thz);
    out->n_rigid = gn_modes_rigid_count(a);
    return GN_OK;
}

void gn_modes_opts_default(gn_modes_opts *o)
{
    memset(o, 0, sizeof *o);
    o->step = GN_MODES_STEP_DEFAULT;
    o->zero_tol_thz = GN_MODES_ZERO_TOL_THZ;
    o->temperature = GN_MODES_T_DEFAULT;
    o->write_files = 1;
    o->hessian = GN_MODES_PARTIAL;
    o->partial_tol = GN_MODES_PARTIAL_TOL;
    o->partial_move = GN_MODES_PARTIAL_MOVE;
    o->partial_shell = 0.0;
    o->partial_max_radius = 0.0;
}

int gn_modes_hessian_parse(const char *s, gn_modes_hessian_kind *out, gn_error *err)
{
    if (s && !strcmp(s, "partial"))
        *out = GN_MODES_PARTIAL;
    else if (s && !strcmp(s, "full"))
        *out = GN_MODES_FULL;
    else
        return gn_error_set(err, GN_EINVAL, "unknown Hessian '%s': partial or full", s ? s : "");
    return GN_OK;
}

const char *gn_modes_hessian_name(gn_modes_hessian_kind k)
{
    return k == GN_MODES_FULL ? "full" : "partial";
}

int gn_modes_rigid_count(const gn_atoms *a)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->fixed[i])
            return 0;
    int np = a->cell.pbc[0] + a->cell.pbc[1] + a->cell.pbc[2];
    return 3 + (np == 0 ? 3 : np == 1 ? 1 : 0);
}

/* Sum of ln(nu / THz) over the vibrations of s: all modes but the unstable one (the lowest, when
 * unstable) and the nr others nearest zero; NaN if one of them is not positive. */
static double sum_log_vib(const gn_modes_set *s, int unstable, int nr)
{
    size_t first = unstable ? 1 : 0;
    if ((size_t)nr + first > s->dim)
        return NAN;
    /* the frequencies ascend, so the n_rigid nearest zero are a window of consecutive modes */
    size_t lo = first, best = first;
    double best_w = INFINITY;
    for (lo = first; lo + (size_t)nr <= s->dim; lo++) {
        double w = 0.0;
        if (nr > 0)
            w = fmax(fabs(s->freq_thz[lo]), fabs(s->freq_thz[lo + (size_t)nr - 1]));
        if (w < best_w) {
            best_w = w;
            best = lo;
        }
    }
    double sum = 0.0;
    for (size_t i = first; i < s->dim; i++) {
        if (i >= best && i < best + (size_t)nr)
            continue;
        if (!(s->freq_thz[i] > 0.0))
            return NAN;
        sum += log(s->freq_thz[i]);
    }
    return sum;
}

/* Vineyard: nu* = prod nu(min) / prod nu(saddle, real), the unstable mode (lowest) left out.
 * The rigid-body modes left out are those the symmetry allows and both sets show as zero (a
 * structure in an external field, or held by fixed atoms, has none). */
double gn_modes_vineyard_thz(const gn_modes_set *min, const gn_modes_set *sad)
{
    if (min->n_negative || sad->n_negative != 1 || min->dim != sad->dim)
        return NAN;
    int nr = min->n_rigid < sad->n_rigid ? min->n_rigid : sad->n_rigid;
    nr = nr < min->n_zero ? nr : min->n_zero;
    nr = nr < sad->n_zero ? nr : sad->n_zero;
    return exp(sum_log_vib(min, 0, nr) - sum_log_vib(sad, 1, nr));
}

double gn_modes_rate(const gn_modes_result *r, int reverse, double T)
{
    double nu = reverse ? r->prefactor_rev_thz : r->prefactor_fwd_thz;
    double ea = reverse ? r->barrier_rev : r->barrier_fwd;
    if (!(nu > 0.0) || !(T > 0.0) || !isfinite(ea))
        return NAN;
    return exp(log(nu * 1e12) - ea / (GN_KB_EV * T));
}
