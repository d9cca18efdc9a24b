/* gapneb: the NEB run folder (see rundir.h): the one place that writes and reads path.xyz,
 * profile.tsv, profile_interp.tsv, summary.json and log.txt.
 * Units: Å, eV, eV/Å. */
#include "config.h"
#include "gapneb/rundir.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/fileio.h"
#include "gapneb/io_xyz.h"
#include "gapneb/potential.h"
#include "gapneb/profile.h"
#include "json_internal.h"

#define INTERP_PER_SEGMENT 20

typedef struct profile_out {
    const gn_neb_result *res;
    int interp;
} profile_out;

static int write_profile(FILE *fp, void *ctx, gn_error *err)
{
    const profile_out *p = ctx;
    const gn_neb_result *r = p->res;
    if (!p->interp) {
        fprintf(fp, "# image\ts_A\tenergy_eV\tf_tangent_eV_per_A\n");
        for (size_t i = 0; i < r->nframes; i++)
            fprintf(fp, "%zu\t%.6f\t%.8f\t%.8f\n", i, r->s[i], r->energy[i], r->f_tan[i]);
        return GN_OK;
    }
    double *xs, *ys;
    size_t np;
    int rc = gn_profile_sample(r->nframes, r->s, r->energy, r->f_tan, INTERP_PER_SEGMENT, &xs, &ys, &np, err);
    if (rc)
        return rc;
    fprintf(fp, "# cubic Hermite interpolation between images (energies and tangential forces)\n"
                "# s_A\tenergy_eV\n");
    for (size_t i = 0; i < np; i++)
        fprintf(fp, "%.6f\t%.8f\n", xs[i], ys[i]);
    free(xs);
    free(ys);
    return GN_OK;
}

static json_t *summary_json(const gn_neb_opts *o, const char *potential_name,
                            const gn_neb_result *r)
{
    json_t *settings = json_pack(
        "{s:i, s:f, s:b, s:f, s:f, s:b, s:f, s:s, s:f, s:i, s:b, s:f, s:i, s:i, s:f, s:f, s:f}",
        "images", o->nimages, "spring_eV_per_A2", o->k, "energy_weighted", o->energy_weighted,
        "k_min", o->k_min, "k_max", o->k_max, "climb", o->climb, "climb_fmax_eV_per_A",
        o->climb_fmax, "interpolation", gn_interp_name(o->interp), "fmax_eV_per_A", o->fmax,
        "max_steps", o->max_steps, "relax_endpoints", o->relax_endpoints,
        "endpoint_fmax_eV_per_A", o->endpoint_fmax, "endpoint_max_steps", o->endpoint_max_steps,
        "fire_variant", (int)o->fire, "dt", o->dt, "max_move_A", o->max_move, "collapse_tol_A",
        o->collapse_tol);
    if (settings) {
        json_object_set_new(settings, "optimizer", json_string(gn_minimizer_name(o->optimizer)));
        json_object_set_new(settings, "lbfgs_memory", json_integer(o->lbfgs_memory));
        json_object_set_new(settings, "threads", json_integer(o->threads));
        json_object_set_new(settings, "lbfgs_inverse_curvature_A2_per_eV",
                            json_real(o->lbfgs_inv_curv));
        json_object_set_new(settings, "refine", json_integer(o->refine));
        json_object_set_new(settings, "refine_step_A", json_real(o->refine_step));
        json_object_set_new(settings, "perturb_A", json_real(o->perturb));
        json_object_set_new(settings, "perturb_seed", json_integer((json_int_t)o->perturb_seed));
    }
    json_t *results = json_object();
    json_object_set_new(results, "converged", json_boolean(r->converged));
    json_object_set_new(results, "collapsed", json_boolean(r->collapsed));
    json_object_set_new(results, "endpoints_converged", json_boolean(r->endpoints_converged));
    json_object_set_new(results, "endpoint_distance_A", gn_json_num(r->endpoint_distance));
    json_object_set_new(results, "barrier_forward_eV",
                        r->collapsed ? json_null() : gn_json_num(r->barrier_fwd));
    json_object_set_new(results, "barrier_reverse_eV",
                        r->collapsed ? json_null() : gn_json_num(r->barrier_rev));
    json_object_set_new(results, "reaction_energy_eV", gn_json_num(r->reaction_energy));
    json_object_set_new(results, "interpolated_max_eV",
                        r->collapsed ? json_null() : gn_json_num(r->interp_max));
    json_object_set_new(results, "interpolated_max_s_A",
                        r->collapsed ? json_null() : gn_json_num(r->interp_max_s));
    json_object_set_new(results, "energy_initial_eV", gn_json_num(r->e_initial));
    json_object_set_new(results, "energy_final_eV", gn_json_num(r->e_final));
    json_object_set_new(results, "climb_index", json_integer(r->climb_index));
    json_object_set_new(results, "fmax_eV_per_A", gn_json_num(r->fmax));
    json_object_set_new(results, "refinements", json_integer(r->refinements));
    json_object_set_new(results, "refine_failed", json_boolean(r->refine_failed));
    json_object_set_new(results, "restart_kept", json_boolean(r->restart_kept));
    json_object_set_new(results, "saddle_negative_modes",
                        r->saddle_negative >= 0 ? json_integer(r->saddle_negative) : json_null());
    json_object_set_new(results, "iterations", json_integer(r->iterations));
    json_object_set_new(results, "force_calls", json_integer((json_int_t)r->force_calls));
    json_object_set_new(results, "wall_time_s", json_real(r->wall_time));
    json_object_set_new(results, "images_total", json_integer((json_int_t)r->nframes));
    /* the name as given, and the spec with every parameter resolved that rebuilds it */
    const char *name = potential_name ? potential_name : "";
    char spec[GN_POTENTIAL_SPEC_MAX];
    gn_error e;
    if (gn_potential_spec_resolve(name, spec, sizeof spec, &e) != GN_OK)
        snprintf(spec, sizeof spec, "%s", name);
    return json_pack("{s:s, s:s, s:s, s:o, s:o}", "gapneb_version", PACKAGE_VERSION, "potential",
                     name, "potential_spec", spec, "settings", settings ? settings : json_null(),
                     "results", results);
}

int gn_rundir_write(const char *dir, const gn_neb_opts *o, const char *potential,
                    const gn_neb_result *res, gn_error *err)
{
    char path[4096];
    int rc = gn_mkdir_p(dir, err);
    if (!rc && res->nframes > 0 && !(rc = gn_path_join(path, sizeof path, dir, "path.xyz", err)))
        rc = gn_xyz_write(path, res->band, res->nframes, err);
    if (!rc && !res->collapsed && res->s) {
        profile_out p = {res, 0};
        if (!(rc = gn_path_join(path, sizeof path, dir, "profile.tsv", err)))
            rc = gn_file_write_atomic(path, write_profile, &p, err);
        p.interp = 1;
        if (!rc && !(rc = gn_path_join(path, sizeof path, dir, "profile_interp.tsv", err)))
            rc = gn_file_write_atomic(path, write_profile, &p, err);
    }
    if (rc)
        return rc;
    json_t *j = summary_json(o, potential, res);
    if (!j)
        return gn_error_set(err, GN_ENOMEM, "summary.json: out of memory");
    rc = gn_path_join(path, sizeof path, dir, "summary.json", err);
    if (!rc)
        rc = gn_json_write_file(path, j, err);
    json_decref(j);
    return rc;
}

int gn_rundir_write_log(const char *dir, const char *text, gn_error *err)
{
    char path[4096];
    int rc = gn_path_join(path, sizeof path, dir, "log.txt", err);
    return rc ? rc : gn_file_write_string(path, text, err);
}

/* ---- reading -------------------------------------------------------------------------------- */

/* Appends (x, y) to the arrays *xs, *ys of *n points (capacity *cap). */
static int push_point(double **xs, double **ys, size_t *n, size_t *cap, double x, double y)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        double *nx = realloc(*xs, nc * sizeof *nx);
        if (!nx)
            return -1;
        *xs = nx;
        double *ny = realloc(*ys, nc * sizeof *ny);
        if (!ny)
            return -1;
        *ys = ny;
        *cap = nc;
    }
    (*xs)[*n] = x;
    (*ys)[*n] = y;
    (*n)++;
    return 0;
}

/* Reads columns cs (reaction coordinate) and ce (energy) of the data lines of a profile file as
 * this module writes it: '#' comment lines, then tab-separated numbers. */
static int read_columns(const char *path, int cs, int ce, double **xs, double **ys, size_t *n,
                        gn_error *err)
{
    char *text;
    int rc = gn_file_read_all(path, &text, NULL, err);
    if (rc != GN_OK)
        return rc;
    size_t cap = 0;
    int lineno = 0;
    char *next = NULL;
    for (char *line = text; line && rc == GN_OK; line = next) {
        char *nl = strchr(line, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        lineno++;
        if (!line[0] || line[0] == '#')
            continue;
        double v[4];
        int k = 0;
        char *p = line, *end;
        while (k < 4 && *p) {
            v[k++] = strtod(p, &end);
            if (end == p)
                break;
            p = *end == '\t' ? end + 1 : end;
        }
        if (k <= cs || k <= ce)
            rc = gn_error_set(err, GN_EPARSE, "%s:%d: expected %d numbers", path, lineno,
                              (cs > ce ? cs : ce) + 1);
        else if (push_point(xs, ys, n, &cap, v[cs], v[ce]) != 0)
            rc = gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    free(text);
    if (rc == GN_OK && *n == 0)
        rc = gn_error_set(err, GN_EPARSE, "%s: no profile data", path);
    return rc;
}

void gn_rundir_profile_clear(gn_rundir_profile *p)
{
    free(p->s);
    free(p->energy);
    free(p->s_interp);
    free(p->energy_interp);
    memset(p, 0, sizeof *p);
}

int gn_rundir_read_profile(const char *dir, gn_rundir_profile *p, gn_error *err)
{
    memset(p, 0, sizeof *p);
    char path[4096];
    int rc = gn_path_join(path, sizeof path, dir, "profile.tsv", err);
    if (!rc) /* image, s, energy, tangential force */
        rc = read_columns(path, 1, 2, &p->s, &p->energy, &p->n, err);
    if (!rc)
        rc = gn_path_join(path, sizeof path, dir, "profile_interp.tsv", err);
    if (!rc) {
        gn_error e;
        if (read_columns(path, 0, 1, &p->s_interp, &p->energy_interp, &p->ninterp, &e) != GN_OK) {
            free(p->s_interp);
            free(p->energy_interp);
            p->s_interp = p->energy_interp = NULL;
            p->ninterp = 0; /* an older or partial folder: the images alone */
        }
    }
    if (rc)
        gn_rundir_profile_clear(p);
    return rc;
}

/* The potential may be recorded as a string or as an object with a "name". */
static void summary_potential(json_t *root, char *out, size_t size)
{
    json_t *p = json_object_get(root, "potential");
    if (json_is_object(p))
        p = json_object_get(p, "name");
    if (json_is_string(p))
        snprintf(out, size, "%s", json_string_value(p));
}

/* dir/summary.json into *root (its path into path, 4096 bytes). */
static int read_summary_json(const char *dir, char *path, json_t **root, gn_error *err)
{
    int rc = gn_path_join(path, 4096, dir, "summary.json", err);
    return rc ? rc : gn_json_read_file(path, root, err);
}

int gn_rundir_read_summary(const char *dir, gn_rundir_summary *s, gn_error *err)
{
    memset(s, 0, sizeof *s);
    s->climb_index = -1;
    char path[4096];
    json_t *root;
    int rc = read_summary_json(dir, path, &root, err);
    if (rc)
        return rc;
    /* the outcome is under "results"; accepted at the top level too */
    json_t *results = json_object_get(root, "results");
    if (!json_is_object(results))
        results = root;
    json_t *ci = json_object_get(results, "climb_index");
    s->climb_index = json_is_integer(ci) ? (int)json_integer_value(ci) : -1;
    s->collapsed = json_is_true(json_object_get(results, "collapsed"));
    summary_potential(root, s->potential, sizeof s->potential);
    json_decref(root);
    return GN_OK;
}

/* Number or boolean at key of obj into *v, if there. */
static void get_num(const json_t *obj, const char *key, double *v)
{
    const json_t *j = json_object_get(obj, key);
    if (json_is_number(j))
        *v = json_number_value(j);
    else if (json_is_boolean(j))
        *v = json_is_true(j);
}

static void get_int(const json_t *obj, const char *key, int *v)
{
    double x = *v;
    get_num(obj, key, &x);
    if (x >= -1e9 && x <= 1e9 && x == floor(x))
        *v = (int)x;
}

int gn_rundir_read_settings(const char *dir, gn_neb_opts *o, gn_error *err)
{
    char path[4096];
    json_t *root;
    int rc = read_summary_json(dir, path, &root, err);
    if (rc)
        return rc;
    const json_t *set = json_object_get(root, "settings");
    if (!json_is_object(set)) {
        json_decref(root);
        return gn_error_set(err, GN_EPARSE, "%s: not an NEB summary (no \"settings\")", path);
    }
    int fire = (int)o->fire;
    get_num(set, "spring_eV_per_A2", &o->k);
    get_int(set, "energy_weighted", &o->energy_weighted);
    get_num(set, "k_min", &o->k_min);
    get_num(set, "k_max", &o->k_max);
    get_int(set, "climb", &o->climb);
    get_num(set, "climb_fmax_eV_per_A", &o->climb_fmax);
    get_num(set, "fmax_eV_per_A", &o->fmax);
    get_int(set, "max_steps", &o->max_steps);
    get_num(set, "endpoint_fmax_eV_per_A", &o->endpoint_fmax);
    get_int(set, "endpoint_max_steps", &o->endpoint_max_steps);
    get_int(set, "fire_variant", &fire);
    get_num(set, "dt", &o->dt);
    get_num(set, "max_move_A", &o->max_move);
    get_num(set, "collapse_tol_A", &o->collapse_tol);
    get_int(set, "refine", &o->refine);
    get_num(set, "refine_step_A", &o->refine_step);
    o->fire = (gn_fire_variant)fire;
    const char *interp = json_string_value(json_object_get(set, "interpolation"));
    if (interp)
        gn_interp_parse(interp, &o->interp, NULL);
    /* a run from before the optimiser setting was recorded used FIRE */
    const char *opt = json_string_value(json_object_get(set, "optimizer"));
    if (!opt || gn_minimizer_parse(opt, &o->optimizer, NULL) != GN_OK)
        o->optimizer = GN_MIN_FIRE;
    get_int(set, "lbfgs_memory", &o->lbfgs_memory);
    get_num(set, "lbfgs_inverse_curvature_A2_per_eV", &o->lbfgs_inv_curv);
    get_int(set, "threads", &o->threads);
    json_decref(root);
    rc = gn_neb_opts_check(o, err);
    return rc ? gn_error_prefix(err, "%s: ", path) : GN_OK;
}
