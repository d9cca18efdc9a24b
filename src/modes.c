/* gapneb: finite-difference Hessian, normal modes, saddle verification and Vineyard rates.
 * Units: Å, eV, eV/Å, eV/Å^2, amu; eigenvalues eV/(Å^2 amu); frequencies THz and cm^-1; K; 1/s.
 * See include/gapneb/modes.h. The second half of the file reads NEB run folders and writes the
 * reports (gn_modes_run_dir*). */
#include "gapneb/modes.h"
#include "gapneb/relax.h"
#include "gapneb/element.h"
#include "gapneb/fileio.h"
#include "gapneb/io_xyz.h"
#include "gapneb/rundir.h"
#include "json_internal.h"

#include <jansson.h>
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

static void classify(gn_modes_set *s, double tol_thz)
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
    classify(out, tol_thz);
    return GN_OK;
}

void gn_modes_opts_default(gn_modes_opts *o)
{
    memset(o, 0, sizeof *o);
    o->step = GN_MODES_STEP_DEFAULT;
    o->zero_tol_thz = GN_MODES_ZERO_TOL_THZ;
    o->temperature = GN_MODES_T_DEFAULT;
    o->write_files = 1;
}

/* Sum of ln(nu / THz) over modes first..dim-1; the caller has checked they are all real. */
static double sum_log_freq(const gn_modes_set *s, size_t first)
{
    double sum = 0.0;
    for (size_t i = first; i < s->dim; i++)
        sum += log(s->freq_thz[i]);
    return sum;
}

/* Vineyard: nu* = prod nu(min) / prod nu(saddle, real), the unstable mode (lowest) left out. */
static double vineyard_thz(const gn_modes_set *min, const gn_modes_set *sad)
{
    if (min->n_negative || min->n_zero || sad->n_negative != 1 || sad->n_zero ||
        min->dim != sad->dim)
        return NAN;
    return exp(sum_log_freq(min, 0) - sum_log_freq(sad, 1));
}

double gn_modes_rate(const gn_modes_result *r, int reverse, double T)
{
    double nu = reverse ? r->prefactor_rev_thz : r->prefactor_fwd_thz;
    double ea = reverse ? r->barrier_rev : r->barrier_fwd;
    if (!(nu > 0.0) || !(T > 0.0) || !isfinite(ea))
        return NAN;
    return exp(log(nu * 1e12) - ea / (GN_KB_EV * T));
}

static int check_same_atoms(const gn_atoms *a, const gn_atoms *b, const char *what, gn_error *err)
{
    int rc = gn_atoms_compatible(a, b, err);
    if (rc)
        return gn_error_prefix(err, "modes: initial and %s: ", what);
    for (size_t i = 0; i < a->n; i++)
        if (a->fixed[i] != b->fixed[i])
            return gn_error_set(err, GN_EINVAL, "modes: atom %zu is fixed in one structure and "
                                "movable in the %s", i + 1, what);
    return GN_OK;
}

/* Cartesian displacement of mass-weighted mode k: e_i / sqrt(m_i), normalised, over all atoms. */
static void cartesian_mode(const gn_atoms *a, const gn_modes_set *s, size_t k, double *out)
{
    size_t d = 0;
    double norm = 0.0;
    for (size_t i = 0; i < a->n; i++)
        for (int x = 0; x < 3; x++) {
            double v = 0.0;
            if (!a->fixed[i])
                v = s->evec[d++ * s->dim + k] / sqrt(a->mass[i]);
            out[3 * i + x] = v;
            norm += v * v;
        }
    norm = sqrt(norm);
    /* Sign convention: the largest component positive, so repeated runs agree. */
    size_t big = 0;
    for (size_t i = 0; i < 3 * a->n; i++)
        if (fabs(out[i]) > fabs(out[big]))
            big = i;
    if (out[big] < 0.0)
        norm = -norm;
    for (size_t i = 0; i < 3 * a->n; i++)
        out[i] /= norm;
}

static void fill_result(gn_modes_result *res, const gn_modes_set s[3], const gn_modes_opts *o)
{
    res->n_negative_initial = s[0].n_negative;
    res->n_negative_saddle = s[1].n_negative;
    res->n_negative_final = s[2].n_negative;
    res->n_zero_initial = s[0].n_zero;
    res->n_zero_saddle = s[1].n_zero;
    res->n_zero_final = s[2].n_zero;
    res->verified = s[1].n_negative == 1 && s[0].n_negative == 0 && s[2].n_negative == 0;
    res->dof = s[1].dim;
    res->imag_freq_thz = s[1].n_negative == 1 ? -s[1].freq_thz[0] : NAN;
    res->imag_freq_cm = gn_modes_thz_to_cm(res->imag_freq_thz);
    for (size_t k = 0; k < 3; k++)
        res->saddle_lowest_thz[k] = k < s[1].dim ? s[1].freq_thz[k] : NAN;
    res->prefactor_fwd_thz = vineyard_thz(&s[0], &s[1]);
    res->prefactor_rev_thz = vineyard_thz(&s[2], &s[1]);
    res->temperature = o->temperature;
    res->step = o->step;
    res->zero_tol_thz = o->zero_tol_thz;
    res->max_asym = fmax(s[0].asym, fmax(s[1].asym, s[2].asym));
    res->rate_fwd = gn_modes_rate(res, 0, o->temperature);
    res->rate_rev = gn_modes_rate(res, 1, o->temperature);
}

static void resolve_opts(const gn_modes_opts *opts, gn_modes_opts *o)
{
    if (opts)
        *o = *opts;
    else
        gn_modes_opts_default(o);
    if (o->step <= 0.0)
        o->step = GN_MODES_STEP_DEFAULT;
    if (o->zero_tol_thz <= 0.0)
        o->zero_tol_thz = GN_MODES_ZERO_TOL_THZ;
}

static int analyse_sets(const gn_potential *pot, const gn_atoms *const at[3],
                        const gn_modes_opts *o, gn_modes_set s[3], gn_error *err)
{
    static const char *const names[3] = {"initial state", "saddle", "final state"};
    int rc = GN_OK;
    for (int k = 0; k < 3 && rc == GN_OK; k++) {
        /* A calculator per structure keeps each neighbour list to its own geometry. */
        gn_calc *calc = NULL;
        rc = gn_calc_alloc(pot, &calc, err);
        if (rc == GN_OK)
            rc = gn_modes_compute(calc, at[k], o->step, o->zero_tol_thz, k == 1, &s[k], err);
        gn_calc_free(calc);
        if (rc)
            gn_error_prefix(err, "modes of the %s: ", names[k]);
    }
    return rc;
}

/* The analysis, keeping the three mode sets (freed by the caller) for the reports. */
static int analyse_core(const gn_potential *pot, const gn_atoms *const at[3], const double e[3],
                        const gn_modes_opts *o, gn_modes_result *res, gn_modes_set s[3],
                        gn_error *err)
{
    memset(s, 0, 3 * sizeof *s);
    memset(res, 0, sizeof *res);
    res->climb_index = -1;
    res->energy_mismatch = NAN;
    if (!pot || !at[0] || !at[1] || !at[2])
        return gn_error_set(err, GN_EINVAL, "modes: missing potential or structure");
    if (!(o->temperature > 0.0) || !isfinite(o->temperature))
        return gn_error_set(err, GN_ERANGE, "modes: temperature %g K is not positive",
                            o->temperature);
    int rc = check_same_atoms(at[0], at[1], "saddle", err);
    if (rc == GN_OK)
        rc = check_same_atoms(at[0], at[2], "final state", err);
    if (rc)
        return rc;
    res->e_initial = e[0];
    res->e_saddle = e[1];
    res->e_final = e[2];
    res->barrier_fwd = e[1] - e[0];
    res->barrier_rev = e[1] - e[2];
    snprintf(res->potential, sizeof res->potential, "%s", pot->name);
    rc = analyse_sets(pot, at, o, s, err);
    if (rc == GN_OK)
        fill_result(res, s, o);
    return rc;
}

int gn_modes_analyse_ex(const gn_potential *pot, const gn_atoms *initial, const gn_atoms *saddle,
                        const gn_atoms *final, double e_initial, double e_saddle, double e_final,
                        const gn_modes_opts *opts, gn_modes_result *res, double *unstable_mode,
                        gn_error *err)
{
    gn_modes_opts o;
    resolve_opts(opts, &o);
    const gn_atoms *at[3] = {initial, saddle, final};
    const double e[3] = {e_initial, e_saddle, e_final};
    gn_modes_set s[3];
    int rc = analyse_core(pot, at, e, &o, res, s, err);
    if (rc == GN_OK && unstable_mode)
        cartesian_mode(saddle, &s[1], 0, unstable_mode);
    for (int k = 0; k < 3; k++)
        gn_modes_set_clear(&s[k]);
    return rc;
}

int gn_modes_analyse(const gn_potential *pot, const gn_atoms *initial, const gn_atoms *saddle,
                     const gn_atoms *final, double e_initial, double e_saddle, double e_final,
                     double T, gn_modes_result *res, gn_error *err)
{
    gn_modes_opts o;
    gn_modes_opts_default(&o);
    o.temperature = T;
    return gn_modes_analyse_ex(pot, initial, saddle, final, e_initial, e_saddle, e_final, &o, res,
                               NULL, err);
}

/* ---------------------------------------------------------------------------------------------
 * NEB run folders: read path.xyz and summary.json, write modes.json, modes.tsv and
 * unstable_mode.xyz. */

typedef struct run_data {
    const char *dir;
    gn_frame *frames;
    size_t nframes;
    int climb;                 /* saddle frame */
    int collapsed;             /* the NEB found both endpoints in one minimum */
    char potential[1024];      /* as recorded in summary.json */
    gn_modes_result *res;
    gn_modes_set sets[3];
    double *mode;              /* 3n Cartesian unstable mode, or NULL */
} run_data;

static int read_summary(run_data *rd, gn_error *err)
{
    gn_rundir_summary sum;
    int rc = gn_rundir_read_summary(rd->dir, &sum, err);
    if (rc)
        return rc;
    rd->climb = sum.climb_index;
    rd->collapsed = sum.collapsed;
    snprintf(rd->potential, sizeof rd->potential, "%s", sum.potential);
    return GN_OK;
}

/* Without a climbing image, the highest interior image stands in for the saddle. */
static int highest_interior(const gn_frame *f, size_t n)
{
    int best = -1;
    for (size_t k = 1; k + 1 < n; k++)
        if (f[k].has_energy && (best < 0 || f[k].energy > f[best].energy))
            best = (int)k;
    return best;
}

static int read_run(run_data *rd, gn_error *err)
{
    char path[4096];
    int rc = gn_path_join(path, sizeof path, rd->dir, "path.xyz", err);
    if (!rc)
        rc = read_summary(rd, err);
    if (rc)
        return rc;
    if (rd->collapsed)
        return gn_error_set(err, GN_ECOLLAPSE, "%s: the endpoints relaxed into the same minimum "
                            "(summary.json): there is no saddle", rd->dir);
    rc = gn_xyz_read(path, &rd->frames, &rd->nframes, err);
    if (rc)
        return rc;
    if (rd->nframes < 3)
        return gn_error_set(err, GN_EINVAL, "%s: %zu frames; a band needs the two endpoints and "
                            "at least one image", path, rd->nframes);
    if (rd->climb < 1 || (size_t)rd->climb + 1 >= rd->nframes)
        rd->climb = highest_interior(rd->frames, rd->nframes);
    if (rd->climb < 1)
        return gn_error_set(err, GN_EINVAL, "%s: no climbing image in summary.json and no image "
                            "energies in path.xyz to pick the highest", rd->dir);
    return GN_OK;
}


static json_t *freq_array(const gn_modes_set *s)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->dim; i++)
        json_array_append_new(a, json_real(s->freq_thz[i]));
    return a;
}

static json_t *modes_json(const run_data *rd)
{
    const gn_modes_result *r = rd->res;
    json_t *o = json_object();
    json_object_set_new(o, "units", json_string("energies eV, frequencies THz (negative = "
                                                "imaginary) and cm^-1, rates 1/s, T K, step Å"));
    json_object_set_new(o, "potential", json_string(r->potential));
    json_object_set_new(o, "temperature", json_real(r->temperature));
    json_object_set_new(o, "fd_step", json_real(r->step));
    json_object_set_new(o, "zero_tol_thz", json_real(r->zero_tol_thz));
    json_object_set_new(o, "max_hessian_asymmetry", json_real(r->max_asym));
    json_object_set_new(o, "climb_index", json_integer(r->climb_index));
    json_object_set_new(o, "dof", json_integer((json_int_t)r->dof));
    json_object_set_new(o, "verified", json_boolean(r->verified));
    json_object_set_new(o, "n_negative", json_pack("{s:i,s:i,s:i}", "initial",
                                                   r->n_negative_initial, "saddle",
                                                   r->n_negative_saddle, "final",
                                                   r->n_negative_final));
    json_object_set_new(o, "n_zero", json_pack("{s:i,s:i,s:i}", "initial", r->n_zero_initial,
                                               "saddle", r->n_zero_saddle, "final",
                                               r->n_zero_final));
    json_object_set_new(o, "imag_freq_thz", gn_json_num(r->imag_freq_thz));
    json_object_set_new(o, "imag_freq_cm", gn_json_num(r->imag_freq_cm));
    json_object_set_new(o, "saddle_lowest_thz",
                        json_pack("[o,o,o]", gn_json_num(r->saddle_lowest_thz[0]),
                                  gn_json_num(r->saddle_lowest_thz[1]),
                                  gn_json_num(r->saddle_lowest_thz[2])));
    json_object_set_new(o, "prefactor_fwd_thz", gn_json_num(r->prefactor_fwd_thz));
    json_object_set_new(o, "prefactor_rev_thz", gn_json_num(r->prefactor_rev_thz));
    json_object_set_new(o, "barrier_fwd", gn_json_num(r->barrier_fwd));
    json_object_set_new(o, "barrier_rev", gn_json_num(r->barrier_rev));
    json_object_set_new(o, "rate_fwd", gn_json_num(r->rate_fwd));
    json_object_set_new(o, "rate_rev", gn_json_num(r->rate_rev));
    json_object_set_new(o, "e_initial", json_real(r->e_initial));
    json_object_set_new(o, "e_saddle", json_real(r->e_saddle));
    json_object_set_new(o, "e_final", json_real(r->e_final));
    json_object_set_new(o, "energy_mismatch", gn_json_num(r->energy_mismatch));
    json_object_set_new(o, "frequencies_thz",
                        json_pack("{s:o,s:o,s:o}", "initial", freq_array(&rd->sets[0]), "saddle",
                                  freq_array(&rd->sets[1]), "final", freq_array(&rd->sets[2])));
    return o;
}

static int write_json(const char *path, const run_data *rd, gn_error *err)
{
    json_t *o = modes_json(rd);
    if (!o)
        return gn_error_set(err, GN_ENOMEM, "modes.json: out of memory");
    int rc = gn_json_write_file(path, o, err);
    json_decref(o);
    return rc;
}

static int write_tsv(FILE *fp, void *ctx, gn_error *err)
{
    const run_data *rd = ctx;
    fprintf(fp, "# normal modes of the movable atoms, ascending; THz, negative = imaginary\n"
                "mode\tnu_initial_thz\tnu_saddle_thz\tnu_final_thz\n");
    for (size_t i = 0; i < rd->sets[1].dim; i++)
        fprintf(fp, "%zu\t%.6f\t%.6f\t%.6f\n", i + 1, rd->sets[0].freq_thz[i],
                rd->sets[1].freq_thz[i], rd->sets[2].freq_thz[i]);
    if (ferror(fp))
        return gn_error_set(err, GN_EIO, "modes.tsv: write failed");
    return GN_OK;
}

/* Frames of one period of the unstable mode, largest atomic excursion GN_MODE_AMPLITUDE Å. */
#define GN_MODE_FRAMES 20
#define GN_MODE_AMPLITUDE 0.3

static void write_mode_header(FILE *fp, const gn_atoms *a, int frame)
{
    const gn_cell *c = &a->cell;
    fprintf(fp, "%zu\nLattice=\"", a->n);
    for (int i = 0; i < 9; i++)
        fprintf(fp, "%s%.10f", i ? " " : "", c->h[i / 3][i % 3]);
    fprintf(fp, "\" Properties=species:S:1:pos:R:3:move_mask:L:1:mode:R:3:mode_norm:R:1 "
                "frame=%d pbc=\"%c %c %c\"\n",
            frame, c->pbc[0] ? 'T' : 'F', c->pbc[1] ? 'T' : 'F', c->pbc[2] ? 'T' : 'F');
}

static int write_mode_xyz(FILE *fp, void *ctx, gn_error *err)
{
    const run_data *rd = ctx;
    const gn_atoms *a = rd->frames[rd->climb].atoms;
    double big = 0.0;
    for (size_t i = 0; i < a->n; i++)
        big = fmax(big, sqrt(rd->mode[3 * i] * rd->mode[3 * i] +
                             rd->mode[3 * i + 1] * rd->mode[3 * i + 1] +
                             rd->mode[3 * i + 2] * rd->mode[3 * i + 2]));
    double amp = big > 0.0 ? GN_MODE_AMPLITUDE / big : 0.0;
    for (int f = 0; f < GN_MODE_FRAMES; f++) {
        double s = amp * sin(2.0 * M_PI * f / GN_MODE_FRAMES);
        write_mode_header(fp, a, f);
        for (size_t i = 0; i < a->n; i++) {
            const double *r = a->pos + 3 * i, *m = rd->mode + 3 * i;
            fprintf(fp, "%-2s %16.10f %16.10f %16.10f %c %13.8f %13.8f %13.8f %13.8f\n",
                    gn_element_symbol(a->z[i]), r[0] + s * m[0], r[1] + s * m[1], r[2] + s * m[2],
                    a->fixed[i] ? 'F' : 'T', m[0], m[1], m[2],
                    sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]));
        }
    }
    if (ferror(fp))
        return gn_error_set(err, GN_EIO, "unstable_mode.xyz: write failed");
    return GN_OK;
}

static int write_reports(run_data *rd, gn_error *err)
{
    char path[4096];
    int rc = gn_path_join(path, sizeof path, rd->dir, "modes.json", err);
    if (rc == GN_OK)
        rc = write_json(path, rd, err);
    if (rc == GN_OK && !(rc = gn_path_join(path, sizeof path, rd->dir, "modes.tsv", err)))
        rc = gn_file_write_atomic(path, write_tsv, rd, err);
    if (rc == GN_OK && rd->mode &&
        !(rc = gn_path_join(path, sizeof path, rd->dir, "unstable_mode.xyz", err)))
        rc = gn_file_write_atomic(path, write_mode_xyz, rd, err);
    return rc;
}

/* Energies of the three structures with the analysing potential, and how far they are from the
 * energies recorded in path.xyz. */
static int run_energies(run_data *rd, const gn_potential *pot, const gn_atoms *const at[3],
                        const gn_frame *const fr[3], double e[3], gn_error *err)
{
    rd->res->energy_mismatch = NAN;
    double mis = -1.0;
    for (int k = 0; k < 3; k++) {
        gn_calc *c = NULL;
        int rc = gn_calc_alloc(pot, &c, err);
        if (rc == GN_OK)
            rc = gn_calc_compute(c, at[k], &e[k], NULL, NULL, err);
        gn_calc_free(c);
        if (rc)
            return rc;
        if (fr[k]->has_energy)
            mis = fmax(mis, fabs(e[k] - fr[k]->energy));
    }
    if (mis >= 0.0)
        rd->res->energy_mismatch = mis;
    return GN_OK;
}

static int analyse_run(run_data *rd, const gn_modes_opts *o, gn_error *err)
{
    const char *name = o->potential ? o->potential : rd->potential;
    if (!o->pot && !name[0])
        return gn_error_set(err, GN_EINVAL, "%s/summary.json names no potential: give one",
                            rd->dir);
    gn_potential *own = NULL;
    int rc = o->pot ? GN_OK : gn_potential_alloc(name, &own, err);
    if (rc)
        return rc;
    const gn_potential *pot = o->pot ? o->pot : own;
    const gn_frame *fr[3] = {&rd->frames[0], &rd->frames[rd->climb],
                             &rd->frames[rd->nframes - 1]};
    const gn_atoms *at[3] = {fr[0]->atoms, fr[1]->atoms, fr[2]->atoms};
    double e[3];
    rc = run_energies(rd, pot, at, fr, e, err);
    double mismatch = rd->res->energy_mismatch;
    if (rc == GN_OK)
        rc = analyse_core(pot, at, e, o, rd->res, rd->sets, err);
    if (rc == GN_OK) {
        rd->res->energy_mismatch = mismatch;
        rd->res->climb_index = rd->climb;
        rd->mode = malloc(3 * at[1]->n * sizeof *rd->mode);
        if (!rd->mode)
            rc = gn_error_set(err, GN_ENOMEM, "modes: out of memory");
        else
            cartesian_mode(at[1], &rd->sets[1], 0, rd->mode);
    }
    gn_potential_free(own);
    return rc;
}

int gn_modes_run_dir_potential(const char *rundir, char *name, size_t size, gn_error *err)
{
    run_data rd;
    memset(&rd, 0, sizeof rd);
    rd.dir = rundir;
    int rc = read_summary(&rd, err);
    if (!rc)
        snprintf(name, size, "%s", rd.potential);
    return rc;
}

int gn_modes_run_dir_ex(const char *rundir, const gn_modes_opts *opts, gn_modes_result *res,
                        gn_error *err)
{
    gn_modes_opts o;
    resolve_opts(opts, &o);
    memset(res, 0, sizeof *res);
    res->climb_index = -1;
    if (!rundir || !*rundir)
        return gn_error_set(err, GN_EINVAL, "modes: no run folder given");
    run_data rd;
    memset(&rd, 0, sizeof rd);
    rd.dir = rundir;
    rd.res = res;
    int rc = read_run(&rd, err);
    if (rc == GN_OK)
        rc = analyse_run(&rd, &o, err);
    if (rc == GN_OK && o.write_files)
        rc = write_reports(&rd, err);
    if (rc)
        gn_error_prefix(err, "modes of run %s: ", rundir);
    for (int k = 0; k < 3; k++)
        gn_modes_set_clear(&rd.sets[k]);
    free(rd.mode);
    gn_frames_free(rd.frames, rd.nframes);
    return rc;
}

int gn_modes_run_dir(const char *rundir, double T, gn_modes_result *res, gn_error *err)
{
    gn_modes_opts o;
    gn_modes_opts_default(&o);
    o.temperature = T;
    return gn_modes_run_dir_ex(rundir, &o, res, err);
}
