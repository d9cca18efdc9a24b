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
#include "strbuf_internal.h"

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

void gn_rundir_potential_spec(const char *name, char *spec, size_t cap)
{
    gn_error e;
    if (gn_potential_spec_resolve(name, spec, cap, &e) != GN_OK)
        snprintf(spec, cap, "%s", name);
}

static json_t *summary_json(const gn_neb_opts *o, const char *potential_name,
                            const gn_neb_result *r, json_t *extra)
{
    json_t *settings = json_pack(
        "{s:i, s:o, s:b, s:o, s:o, s:b, s:o, s:s, s:o, s:i, s:b, s:o, s:i, s:i, s:o, s:o, s:o}",
        "images", o->nimages, "spring_eV_per_A2", gn_json_num(o->k), "energy_weighted",
        o->energy_weighted, "k_min", gn_json_num(o->k_min), "k_max", gn_json_num(o->k_max),
        "climb", o->climb, "climb_fmax_eV_per_A", gn_json_num(o->climb_fmax), "interpolation",
        gn_interp_name(o->interp), "fmax_eV_per_A", gn_json_num(o->fmax), "max_steps",
        o->max_steps, "relax_endpoints", o->relax_endpoints, "endpoint_fmax_eV_per_A",
        gn_json_num(o->endpoint_fmax), "endpoint_max_steps", o->endpoint_max_steps,
        "fire_variant", (int)o->fire, "dt", gn_json_num(o->dt), "max_move_A",
        gn_json_num(o->max_move), "collapse_tol_A", gn_json_num(o->collapse_tol));
    if (settings) {
        json_object_set_new(settings, "optimizer", json_string(gn_minimizer_name(o->optimizer)));
        json_object_set_new(settings, "lbfgs_memory", json_integer(o->lbfgs_memory));
        json_object_set_new(settings, "threads", json_integer(o->threads));
        json_object_set_new(settings, "lbfgs_inverse_curvature_A2_per_eV",
                            gn_json_num(o->lbfgs_inv_curv));
        json_object_set_new(settings, "refine", json_integer(o->refine));
        json_object_set_new(settings, "refine_step_A", gn_json_num(o->refine_step));
        json_object_set_new(settings, "perturb_A", gn_json_num(o->perturb));
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
    json_object_set_new(results, "wall_time_s", gn_json_num(r->wall_time));
    json_object_set_new(results, "images_total", json_integer((json_int_t)r->nframes));
    /* the name as given, and the spec with every parameter resolved that rebuilds it */
    const char *name = potential_name ? potential_name : "";
    char spec[GN_POTENTIAL_SPEC_MAX];
    gn_rundir_potential_spec(name, spec, sizeof spec);
    json_t *root = json_pack("{s:s, s:s, s:s, s:o, s:o}", "gapneb_version", PACKAGE_VERSION,
                             "potential", name, "potential_spec", spec, "settings",
                             settings ? settings : json_null(), "results", results);
    if (root && extra)
        json_object_update(root, extra);
    json_decref(extra);
    return root;
}

/* path.xyz, profile.tsv, profile_interp.tsv and summary.json (with extra's keys, stolen) of one
 * band. */
static int write_run(const char *dir, const gn_neb_opts *o, const char *potential,
                     const gn_neb_result *res, json_t *extra, gn_error *err)
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
    if (rc) {
        json_decref(extra);
        return rc;
    }
    json_t *j = summary_json(o, potential, res, extra);
    if (!j)
        return gn_error_set(err, GN_ENOMEM, "summary.json: out of memory");
    rc = gn_path_join(path, sizeof path, dir, "summary.json", err);
    if (!rc)
        rc = gn_json_write_file(path, j, err);
    json_decref(j);
    return rc;
}

int gn_rundir_write(const char *dir, const gn_neb_opts *o, const char *potential,
                    const gn_neb_result *res, gn_error *err)
{
    return write_run(dir, o, potential, res, NULL, err);
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
 * this module writes it: '#' comment lines, then tab-separated numbers; with cflag >= 0 only the
 * lines whose column cflag is 1 (the intermediate minima of a joined profile). */
#define PROFILE_MAX_COLS 6
static int read_columns(const char *path, int cs, int ce, int cflag, double **xs, double **ys,
                        size_t *n, gn_error *err)
{
    char *text;
    int rc = gn_file_read_all(path, &text, NULL, err);
    if (rc != GN_OK)
        return rc;
    size_t cap = 0;
    int lineno = 0;
    char *cursor = text, *line;
    while (rc == GN_OK && (line = gn_text_next_line(&cursor))) {
        lineno++;
        if (!line[0] || line[0] == '#')
            continue;
        double v[PROFILE_MAX_COLS];
        int k = 0;
        char *p = line, *end;
        while (k < PROFILE_MAX_COLS && *p) {
            v[k++] = strtod(p, &end);
            if (end == p)
                break;
            p = *end == '\t' ? end + 1 : end;
        }
        int need = (cs > ce ? cs : ce) > cflag ? (cs > ce ? cs : ce) : cflag;
        if (k <= need)
            rc = gn_error_set(err, GN_EPARSE, "%s:%d: expected %d numbers", path, lineno,
                              need + 1);
        else if (cflag >= 0 && v[cflag] != 1.0)
            continue;
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
    free(p->s_min);
    free(p->energy_min);
    memset(p, 0, sizeof *p);
}

int gn_rundir_read_profile(const char *dir, gn_rundir_profile *p, gn_error *err)
{
    memset(p, 0, sizeof *p);
    char path[4096];
    int rc = gn_path_join(path, sizeof path, dir, "profile.tsv", err);
    if (!rc) /* image, s, energy, tangential force [, step, minimum] */
        rc = read_columns(path, 1, 2, -1, &p->s, &p->energy, &p->n, err);
    gn_error e;
    if (!rc && read_columns(path, 1, 2, 5, &p->s_min, &p->energy_min, &p->nmin, &e) != GN_OK) {
        free(p->s_min);
        free(p->energy_min);
        p->s_min = p->energy_min = NULL;
        p->nmin = 0; /* one band: no intermediate minima */
    }
    if (!rc)
        rc = gn_path_join(path, sizeof path, dir, "profile_interp.tsv", err);
    if (!rc) {
        if (read_columns(path, 0, 1, -1, &p->s_interp, &p->energy_interp, &p->ninterp, &e) !=
            GN_OK) {
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

/* The step folders summary.json lists (only a path of several steps has them); a list with a
 * name that would leave the run folder is not taken at all. */
static void summary_steps(const json_t *root, gn_rundir_summary *s)
{
    const json_t *arr = json_object_get(root, "steps");
    for (size_t k = 0; json_is_array(arr) && k < json_array_size(arr); k++) {
        const char *f = json_string_value(json_object_get(json_array_get(arr, k), "folder"));
        if (!f || f[0] == '/' || strstr(f, "..") || strlen(f) >= sizeof s->step_folder[0] ||
            s->nsteps == GN_STEPS_MAX) {
            s->nsteps = 0;
            return;
        }
        snprintf(s->step_folder[s->nsteps++], sizeof s->step_folder[0], "%s", f);
    }
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
    summary_steps(root, s);
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

/* ---- paths of elementary steps ------------------------------------------------------------ */

void gn_rundir_step_dir(const gn_steps_result *s, size_t k, char *buf, size_t cap)
{
    char a[16], b[16];
    gn_steps_minimum_name(s, k, a, sizeof a);
    gn_steps_minimum_name(s, k + 1, b, sizeof b);
    snprintf(buf, cap, "steps/%02zu-%s-%s", k + 1, a, b);
}

/* Index of step k's first image on the joined path (shared minima counted once). */
static size_t joined_base(const gn_steps_result *s, size_t k)
{
    size_t base = 0;
    for (size_t j = 0; j < k; j++)
        base += s->step[j].nimages - 1;
    return base;
}

static json_t *step_json(const gn_steps_result *s, size_t k)
{
    const gn_step *st = &s->step[k];
    char a[16], b[16], dir[64];
    gn_steps_minimum_name(s, k, a, sizeof a);
    gn_steps_minimum_name(s, k + 1, b, sizeof b);
    gn_rundir_step_dir(s, k, dir, sizeof dir);
    json_t *o = json_pack("{s:i, s:s, s:s}", "index", (int)k + 1, "from", a, "to", b);
    if (!o)
        return NULL;
    if (s->nsteps > 1)
        json_object_set_new(o, "folder", json_string(dir));
    json_object_set_new(o, "energy_from_eV", gn_json_num(st->e_from));
    json_object_set_new(o, "energy_to_eV", gn_json_num(st->e_to));
    json_object_set_new(o, "energy_saddle_eV", gn_json_num(st->e_saddle));
    json_object_set_new(o, "barrier_forward_eV", gn_json_num(st->barrier_fwd));
    json_object_set_new(o, "barrier_reverse_eV", gn_json_num(st->barrier_rev));
    json_object_set_new(o, "saddle_order",
                        st->saddle_order >= 0 ? json_integer(st->saddle_order) : json_null());
    json_object_set_new(o, "converged", json_boolean(st->converged));
    json_object_set_new(o, "depth", json_integer(st->depth));
    json_object_set_new(o, "climb_index", json_integer(st->climb_index));
    json_object_set_new(o, "climb_index_joined",
                        json_integer((json_int_t)(joined_base(s, k) + (size_t)st->climb_index)));
    json_object_set_new(o, "s_offset_A", gn_json_num(st->s_offset));
    json_object_set_new(o, "refinements", json_integer(st->refinements));
    json_object_set_new(o, "refine_failed", json_boolean(st->refine_failed));
    return o;
}

/* Keys added to summary.json: the steps, the path as a whole and the split settings. */
static json_t *steps_extra(const gn_steps_result *s, const gn_steps_opts *so)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < s->nsteps; k++)
        json_array_append_new(arr, step_json(s, k));
    json_t *path = json_object();
    json_object_set_new(path, "steps", json_integer((json_int_t)s->nsteps));
    json_object_set_new(path, "effective_barrier_eV", gn_json_num(s->ea_eff));
    json_object_set_new(path, "effective_barrier_reverse_eV", gn_json_num(s->ea_eff_rev));
    json_object_set_new(path, "rate_limiting_step",
                        s->rate_step >= 0 ? json_integer(s->rate_step + 1) : json_null());
    json_object_set_new(path, "first_order", json_boolean(s->first_order));
    json_object_set_new(path, "minima_candidates", json_integer(s->candidates));
    json_object_set_new(path, "split_depth_used", json_integer(s->depth));
    json_object_set_new(path, "split_truncated", json_boolean(s->truncated));
    json_t *set = json_pack("{s:b, s:o, s:i, s:b, s:o}", "split", so->split, "tolerance_eV",
                            gn_json_num(so->tol), "max_depth", so->max_depth, "saddle_order",
                            so->check_order, "distinct_A", gn_json_num(so->distinct));
    return json_pack("{s:o, s:o, s:o}", "steps", arr ? arr : json_null(), "path", path,
                     "split_settings", set ? set : json_null());
}

/* The whole path as one result for summary.json: the barriers out of the initial and the final
 * state, the rate-limiting step's climbing image (on the joined path), the totals. */
static void joined_result(const gn_steps_result *s, gn_neb_result *j)
{
    *j = s->first;
    j->band = NULL;
    j->s = j->energy = j->f_tan = NULL;
    const gn_step *top = s->rate_step >= 0 ? &s->step[s->rate_step] : NULL;
    j->converged = s->converged;
    j->barrier_fwd = s->step[0].barrier_fwd;                /* out of the initial state */
    j->barrier_rev = s->step[s->nsteps - 1].barrier_rev;    /* out of the final state */
    j->climb_index = top ? (int)(joined_base(s, (size_t)s->rate_step) + (size_t)top->climb_index)
                         : -1;
    j->saddle_negative = top ? top->saddle_order : -1;
    j->interp_max = -INFINITY;
    j->fmax = j->refinements = j->refine_failed = 0;
    for (size_t k = 0; k < s->nsteps; k++) {
        const gn_step *st = &s->step[k];
        if (st->interp_max > j->interp_max) {
            double sm, em;
            gn_profile_max(st->nimages, st->s, st->energy, st->f_tan, &sm, &em);
            j->interp_max = em;
            j->interp_max_s = st->s_offset + sm;
        }
        j->fmax = fmax(j->fmax, st->neb ? st->neb->fmax : NAN);
        j->refinements += st->refinements;
        j->refine_failed |= st->refine_failed;
    }
    j->iterations = s->iterations;
    j->force_calls = s->force_calls;
    j->wall_time = s->wall_time;
    j->nframes = joined_base(s, s->nsteps - 1) + s->step[s->nsteps - 1].nimages;
}

typedef struct joined_out {
    const gn_steps_result *s;
    int interp;
} joined_out;

static int write_joined_profile(FILE *fp, void *ctx, gn_error *err)
{
    const joined_out *j = ctx;
    const gn_steps_result *s = j->s;
    size_t idx = 0;
    fprintf(fp, j->interp ? "# cubic Hermite interpolation of each step, joined\n# s_A\tenergy_eV\n"
                          : "# image\ts_A\tenergy_eV\tf_tangent_eV_per_A\tstep\tminimum\n");
    for (size_t k = 0; k < s->nsteps; k++) {
        const gn_step *st = &s->step[k];
        size_t m = st->nimages;
        if (!j->interp) {
            for (size_t i = k ? 1 : 0; i < m; i++)
                fprintf(fp, "%zu\t%.6f\t%.8f\t%.8f\t%zu\t%d\n", idx++, st->s_offset + st->s[i],
                        st->energy[i], st->f_tan[i], k + 1, i + 1 == m && k + 1 < s->nsteps);
            continue;
        }
        double *xs, *ys;
        size_t np;
        int rc = gn_profile_sample(m, st->s, st->energy, st->f_tan, INTERP_PER_SEGMENT, &xs, &ys,
                                   &np, err);
        if (rc)
            return rc;
        for (size_t i = k ? 1 : 0; i < np; i++)
            fprintf(fp, "%.6f\t%.8f\n", st->s_offset + xs[i], ys[i]);
        free(xs);
        free(ys);
    }
    return GN_OK;
}

/* The joined path.xyz: every step's frames, shared minima once, each frame placed after the
 * previous one by minimum image so the path is continuous. */
static int write_joined_xyz(const char *path, const gn_steps_result *s, gn_error *err)
{
    size_t nf = joined_base(s, s->nsteps - 1) + s->step[s->nsteps - 1].nimages, f = 0;
    gn_frame *fr = calloc(nf, sizeof *fr);
    if (!fr)
        return gn_error_set(err, GN_ENOMEM, "path.xyz: out of memory");
    int rc = GN_OK;
    for (size_t k = 0; k < s->nsteps && rc == GN_OK; k++) {
        const gn_neb_result *nr = s->step[k].neb;
        for (size_t i = k ? 1 : 0; i < nr->nframes && rc == GN_OK; i++, f++) {
            fr[f] = nr->band[i];
            fr[f].atoms = NULL;
            rc = gn_atoms_copy(nr->band[i].atoms, &fr[f].atoms, err);
            gn_atoms *a = fr[f].atoms;
            for (size_t q = 0; rc == GN_OK && f && q < a->n; q++) {
                const double *prev = fr[f - 1].atoms->pos + 3 * q;
                double d[3] = {a->pos[3 * q] - prev[0], a->pos[3 * q + 1] - prev[1],
                               a->pos[3 * q + 2] - prev[2]};
                gn_cell_min_image(&a->cell, d);
                for (int c = 0; c < 3; c++)
                    a->pos[3 * q + c] = prev[c] + d[c];
            }
        }
    }
    if (rc == GN_OK)
        rc = gn_xyz_write(path, fr, nf, err);
    for (size_t i = 0; i < nf; i++)
        gn_atoms_free(fr[i].atoms); /* the forces belong to the steps */
    free(fr);
    return rc;
}

static int write_minima(const char *dir, const gn_steps_result *s, gn_error *err)
{
    char sub[4096], path[4200], name[32];
    int rc = gn_path_join(sub, sizeof sub, dir, "minima", err);
    if (rc == GN_OK)
        rc = gn_mkdir_p(sub, err);
    for (size_t k = 1; rc == GN_OK && k + 1 < s->nminima; k++) {
        gn_frame f = {s->min_atoms[k], s->e_initial + s->min_energy[k], 1, NULL};
        snprintf(name, sizeof name, "%02zu.xyz", k);
        if (!(rc = gn_path_join(path, sizeof path, sub, name, err)))
            rc = gn_xyz_write(path, &f, 1, err);
    }
    return rc;
}

static int write_joined(const char *dir, const gn_neb_opts *o, const gn_steps_opts *so,
                        const char *potential, const gn_steps_result *s, gn_error *err)
{
    char path[4096], sub[64];
    int rc = GN_OK;
    for (size_t k = 0; k < s->nsteps && rc == GN_OK; k++) {
        gn_rundir_step_dir(s, k, sub, sizeof sub);
        json_t *extra = json_pack("{s:o}", "step", step_json(s, k));
        if (!(rc = gn_path_join(path, sizeof path, dir, sub, err)))
            rc = write_run(path, o, potential, s->step[k].neb, extra, err);
        else
            json_decref(extra);
    }
    if (rc == GN_OK)
        rc = write_minima(dir, s, err);
    if (rc == GN_OK && !(rc = gn_path_join(path, sizeof path, dir, "path.xyz", err)))
        rc = write_joined_xyz(path, s, err);
    joined_out jo = {s, 0};
    if (rc == GN_OK && !(rc = gn_path_join(path, sizeof path, dir, "profile.tsv", err)))
        rc = gn_file_write_atomic(path, write_joined_profile, &jo, err);
    jo.interp = 1;
    if (rc == GN_OK && !(rc = gn_path_join(path, sizeof path, dir, "profile_interp.tsv", err)))
        rc = gn_file_write_atomic(path, write_joined_profile, &jo, err);
    if (rc != GN_OK)
        return rc;
    gn_neb_result j;
    joined_result(s, &j);
    json_t *root = summary_json(o, potential, &j, steps_extra(s, so));
    if (!root)
        return gn_error_set(err, GN_ENOMEM, "summary.json: out of memory");
    if (!(rc = gn_path_join(path, sizeof path, dir, "summary.json", err)))
        rc = gn_json_write_file(path, root, err);
    json_decref(root);
    return rc;
}

int gn_rundir_write_steps(const char *dir, const gn_neb_opts *o, const gn_steps_opts *so,
                          const char *potential, const gn_steps_result *s, gn_error *err)
{
    if (s->nsteps == 0)
        return gn_rundir_write(dir, o, potential, &s->first, err);
    for (size_t k = 0; k < s->nsteps; k++)
        if (!s->step[k].neb)
            return gn_error_set(err, GN_EINVAL, "run folder: step %zu has no atoms (a band-layer "
                                "result)", k + 1);
    int rc = gn_mkdir_p(dir, err);
    if (rc != GN_OK)
        return rc;
    if (s->nsteps == 1)
        return write_run(dir, o, potential, s->step[0].neb, steps_extra(s, so), err);
    return write_joined(dir, o, so, potential, s, err);
}
