/* gapneb: normal-mode analysis of NEB run folders (gn_modes_run_dir*): reads path.xyz and
 * summary.json, writes modes.json, modes.tsv and unstable_mode.xyz. Units: Å, eV, THz and cm^-1,
 * K, 1/s. See include/gapneb/modes.h. */
#include "modes_internal.h"
#include "gapneb/element.h"
#include "gapneb/fileio.h"
#include "gapneb/io_xyz.h"
#include "gapneb/rundir.h"
#include "json_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        json_array_append_new(a, gn_json_num(s->freq_thz[i]));
    return a;
}

static json_t *modes_json(const run_data *rd)
{
    const gn_modes_result *r = rd->res;
    json_t *o = json_object();
    json_object_set_new(o, "units", json_string("energies eV, frequencies THz (negative = "
                                                "imaginary) and cm^-1, rates 1/s, T K, step Å"));
    json_object_set_new(o, "potential", json_string(r->potential));
    char spec[GN_POTENTIAL_SPEC_MAX];
    gn_rundir_potential_spec(r->potential, spec, sizeof spec);
    json_object_set_new(o, "potential_spec", json_string(spec));
    json_object_set_new(o, "temperature", gn_json_num(r->temperature));
    json_object_set_new(o, "fd_step", gn_json_num(r->step));
    json_object_set_new(o, "zero_tol_thz", gn_json_num(r->zero_tol_thz));
    json_object_set_new(o, "max_hessian_asymmetry", gn_json_num(r->max_asym));
    json_object_set_new(o, "climb_index", json_integer(r->climb_index));
    json_object_set_new(o, "dof", json_integer((json_int_t)r->dof));
    json_object_set_new(o, "hessian", json_string(gn_modes_hessian_name(r->hessian)));
    json_object_set_new(o, "hessian_atoms", json_integer((json_int_t)r->hessian_atoms));
    json_object_set_new(o, "partial_radius_A", gn_json_num(r->partial_radius));
    json_object_set_new(o, "partial_change", gn_json_num(r->partial_change));
    json_object_set_new(o, "partial_converged", json_boolean(r->partial_converged));
    json_object_set_new(o, "force_calls", json_integer((json_int_t)r->force_calls));
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
    json_object_set_new(o, "e_initial", gn_json_num(r->e_initial));
    json_object_set_new(o, "e_saddle", gn_json_num(r->e_saddle));
    json_object_set_new(o, "e_final", gn_json_num(r->e_final));
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
    fprintf(fp, "# normal modes of the %s, ascending; THz, negative = imaginary\n"
                "mode\tnu_initial_thz\tnu_saddle_thz\tnu_final_thz\n",
            rd->res->hessian == GN_MODES_FULL ? "movable atoms"
                                              : "atoms of the partial Hessian (the rest frozen)");
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
    if (rc == GN_OK) {
        rd->mode = malloc(3 * at[1]->n * sizeof *rd->mode);
        if (!rd->mode)
            rc = gn_error_set(err, GN_ENOMEM, "modes: out of memory");
    }
    if (rc == GN_OK)
        rc = gn_modes_analyse_core(pot, at, e, o, rd->res, rd->sets, rd->mode, err);
    if (rc == GN_OK) {
        rd->res->energy_mismatch = mismatch;
        rd->res->climb_index = rd->climb;
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
    gn_modes_resolve_opts(opts, &o);
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
