/* gapneb: the process search's folder (search.h): processes.tsv, processes.json, start.xyz,
 * saddle_K.xyz and product_K.xyz. Energies eV, lengths Å, frequencies THz; atoms numbered from 0
 * as in the structure file. */
#include "config.h"
#include "gapneb/search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/fileio.h"
#include "gapneb/io_xyz.h"
#include "json_internal.h"

typedef struct search_out {
    const gn_search_result *res;
    const gn_search_opts *o;
    const char *spec;
} search_out;

/* "12,130" or "-" when no atom moved that far. */
static void fprint_moved(FILE *fp, const gn_search_process *p)
{
    if (p->nmoved == 0)
        fputc('-', fp);
    for (size_t m = 0; m < p->nmoved; m++)
        fprintf(fp, "%s%zu", m ? "," : "", p->moved[m]);
}

static int write_tsv(FILE *fp, void *ctx, gn_error *err)
{
    (void)err;
    const search_out *s = ctx;
    const gn_search_result *r = s->res;
    fprintf(fp, "# gapneb search: the processes found from the start, lowest barrier first\n"
                "# potential %s; start energy %.8f eV; %d searches (seed %lu), %d converged, "
                "%zu unique connected saddles\n"
                "# energies eV (absolute: saddle_eV, product_eV), lengths Å, frequency THz "
                "(negative: imaginary); atoms numbered from 0\n",
            s->spec ? s->spec : "?", r->e_start, r->nsearch, s->o->seed, r->nconverged,
            r->nprocesses);
    fprintf(fp, "id\tbarrier_eV\treverse_barrier_eV\tsaddle_eV\tproduct_eV\treaction_eV\t"
                "freq_THz\tmoved_atoms\tmax_move_A\tsearch\ttimes_found\tforce_calls");
    if (s->o->confirm)
        fprintf(fp, "\tneb_barrier_eV\tneb_saddle_dist_A\tconfirmed");
    fputc('\n', fp);
    for (size_t k = 0; k < r->nprocesses; k++) {
        const gn_search_process *p = &r->processes[k];
        fprintf(fp, "%zu\t%.6f\t%.6f\t%.8f\t%.8f\t%.6f\t%.4f\t", k + 1, p->barrier,
                p->barrier_rev, p->e_saddle, p->e_product, p->e_product - r->e_start,
                p->freq_thz);
        fprint_moved(fp, p);
        fprintf(fp, "\t%.4f\t%d\t%d\t%lu", p->max_move, p->search, p->count, p->force_calls);
        if (s->o->confirm)
            fprintf(fp, "\t%.6f\t%.4f\t%s", p->neb_barrier, p->neb_saddle_dist,
                    p->confirmed == 1 ? "yes" : "no");
        fputc('\n', fp);
    }
    return GN_OK;
}

static json_t *settings_json(const search_out *s)
{
    const gn_search_opts *o = s->o;
    const gn_search_result *r = s->res;
    json_t *epi = json_array();
    for (size_t k = 0; k < r->nepicentres; k++)
        json_array_append_new(epi, json_integer((json_int_t)r->epicentres[k]));
    json_t *j = json_object();
    json_object_set_new(j, "searches", json_integer(o->nsearch));
    json_object_set_new(j, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(j, "atoms", epi);
    json_object_set_new(j, "atoms_given", json_boolean(o->atoms != NULL));
    json_object_set_new(j, "radius_A", gn_json_num(r->radius));
    json_object_set_new(j, "displace_A", gn_json_num(o->displace));
    json_object_set_new(j, "dimer_separation_A", gn_json_num(o->dimer.sep));
    json_object_set_new(j, "fmax_eV_per_A", gn_json_num(o->dimer.fmax));
    json_object_set_new(j, "dimer_max_steps", json_integer(o->dimer.max_steps));
    json_object_set_new(j, "dimer_max_rise_eV", gn_json_num(o->dimer.max_rise));
    json_object_set_new(j, "push_A", gn_json_num(o->push));
    json_object_set_new(j, "relax_fmax_eV_per_A", gn_json_num(o->relax.fmax));
    json_object_set_new(j, "same_energy_eV", gn_json_num(o->same_energy));
    json_object_set_new(j, "same_dist_A", gn_json_num(o->same_dist));
    json_object_set_new(j, "move_tol_A", gn_json_num(o->move_tol));
    json_object_set_new(j, "zero_tol_THz", gn_json_num(o->zero_tol_thz));
    json_object_set_new(j, "confirm", json_boolean(o->confirm));
    return j;
}

static json_t *summary_json(const gn_search_result *r)
{
    json_t *outcomes = json_object();
    for (int k = 0; k < GN_SEARCH_OUTCOME_COUNT; k++)
        json_object_set_new(outcomes, gn_search_outcome_name((gn_search_outcome)k),
                            json_integer(r->count[k]));
    json_t *j = json_object();
    json_object_set_new(j, "searches", json_integer(r->nsearch));
    json_object_set_new(j, "converged", json_integer(r->nconverged));
    json_object_set_new(j, "outcomes", outcomes);
    json_object_set_new(j, "unique_processes", json_integer((json_int_t)r->nprocesses));
    json_object_set_new(j, "force_calls", json_integer((json_int_t)r->force_calls));
    json_object_set_new(j, "dimer_force_calls", json_integer((json_int_t)r->dimer_calls));
    json_object_set_new(j, "dimer_calls_per_converged_saddle",
                        r->nconverged ? gn_json_num((double)r->dimer_calls / r->nconverged)
                                      : json_null());
    json_object_set_new(j, "start_relaxation_force_calls",
                        json_integer((json_int_t)r->start_calls));
    json_object_set_new(j, "wall_time_s", gn_json_num(r->wall_time));
    return j;
}

static json_t *process_json(const gn_search_result *r, size_t k, int confirm)
{
    const gn_search_process *p = &r->processes[k];
    char name[48];
    json_t *moved = json_array();
    for (size_t m = 0; m < p->nmoved; m++)
        json_array_append_new(moved, json_integer((json_int_t)p->moved[m]));
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer((json_int_t)k + 1));
    json_object_set_new(j, "barrier_eV", gn_json_num(p->barrier));
    json_object_set_new(j, "reverse_barrier_eV", gn_json_num(p->barrier_rev));
    json_object_set_new(j, "saddle_energy_eV", gn_json_num(p->e_saddle));
    json_object_set_new(j, "product_energy_eV", gn_json_num(p->e_product));
    json_object_set_new(j, "reaction_energy_eV", gn_json_num(p->e_product - r->e_start));
    json_object_set_new(j, "unstable_freq_THz", gn_json_num(p->freq_thz));
    json_object_set_new(j, "moved_atoms", moved);
    json_object_set_new(j, "max_move_A", gn_json_num(p->max_move));
    json_object_set_new(j, "search", json_integer(p->search));
    json_object_set_new(j, "times_found", json_integer(p->count));
    json_object_set_new(j, "force_calls", json_integer((json_int_t)p->force_calls));
    snprintf(name, sizeof name, "saddle_%03zu.xyz", k + 1);
    json_object_set_new(j, "saddle_file", json_string(name));
    snprintf(name, sizeof name, "product_%03zu.xyz", k + 1);
    json_object_set_new(j, "product_file", json_string(name));
    if (confirm) {
        json_object_set_new(j, "neb_barrier_eV", gn_json_num(p->neb_barrier));
        json_object_set_new(j, "neb_saddle_dist_A", gn_json_num(p->neb_saddle_dist));
        json_object_set_new(j, "neb_converged", json_boolean(p->neb_converged));
        json_object_set_new(j, "neb_force_calls", json_integer((json_int_t)p->neb_calls));
        json_object_set_new(j, "confirmed", json_boolean(p->confirmed == 1));
    }
    return j;
}

static json_t *attempt_json(const gn_search_attempt *a, int i)
{
    json_t *j = json_object();
    json_object_set_new(j, "search", json_integer(i));
    json_object_set_new(j, "outcome", json_string(gn_search_outcome_name(a->outcome)));
    json_object_set_new(j, "process", a->process >= 0 ? json_integer(a->process + 1)
                                                      : json_null());
    json_object_set_new(j, "epicentre", json_integer((json_int_t)a->epicentre));
    json_object_set_new(j, "dimer_steps", json_integer(a->dimer_steps));
    json_object_set_new(j, "dimer_force_calls", json_integer((json_int_t)a->dimer_calls));
    json_object_set_new(j, "force_calls", json_integer((json_int_t)a->force_calls));
    json_object_set_new(j, "saddle_energy_eV", gn_json_num(a->e_saddle));
    json_object_set_new(j, "saddle_order", a->order >= 0 ? json_integer(a->order) : json_null());
    return j;
}

static int write_json(const char *path, const search_out *s, gn_error *err)
{
    const gn_search_result *r = s->res;
    json_t *procs = json_array(), *atts = json_array();
    for (size_t k = 0; k < r->nprocesses; k++)
        json_array_append_new(procs, process_json(r, k, s->o->confirm));
    for (int i = 0; i < r->nsearch; i++)
        json_array_append_new(atts, attempt_json(&r->attempts[i], i));
    json_t *start = json_object();
    json_object_set_new(start, "energy_eV", gn_json_num(r->e_start));
    json_object_set_new(start, "file", json_string("start.xyz"));
    json_t *root = json_object();
    json_object_set_new(root, "gapneb_version", json_string(PACKAGE_VERSION));
    json_object_set_new(root, "potential_spec", json_string(s->spec ? s->spec : ""));
    json_object_set_new(root, "start", start);
    json_object_set_new(root, "settings", settings_json(s));
    json_object_set_new(root, "summary", summary_json(r));
    json_object_set_new(root, "processes", procs);
    json_object_set_new(root, "searches", atts);
    int rc = gn_json_write_file(path, root, err);
    json_decref(root);
    return rc;
}

static int write_structure(const char *dir, const char *name, gn_atoms *a, double e,
                           gn_error *err)
{
    char path[4096];
    int rc = gn_path_join(path, sizeof path, dir, name, err);
    gn_frame f = {.atoms = a, .energy = e, .has_energy = 1, .forces = NULL};
    return rc ? rc : gn_xyz_write(path, &f, 1, err);
}

int gn_search_write(const char *dir, const gn_search_result *res, const gn_search_opts *o,
                    const char *potential_spec, gn_error *err)
{
    gn_search_opts def;
    if (!o) {
        gn_search_opts_default(&def);
        o = &def;
    }
    search_out s = {res, o, potential_spec};
    char path[4096];
    int rc = gn_mkdir_p(dir, err);
    if (!rc)
        rc = write_structure(dir, "start.xyz", res->start, res->e_start, err);
    for (size_t k = 0; !rc && k < res->nprocesses; k++) {
        const gn_search_process *p = &res->processes[k];
        char name[48];
        snprintf(name, sizeof name, "saddle_%03zu.xyz", k + 1);
        rc = write_structure(dir, name, p->saddle, p->e_saddle, err);
        snprintf(name, sizeof name, "product_%03zu.xyz", k + 1);
        if (!rc)
            rc = write_structure(dir, name, p->product, p->e_product, err);
    }
    if (!rc && !(rc = gn_path_join(path, sizeof path, dir, "processes.tsv", err)))
        rc = gn_file_write_atomic(path, write_tsv, &s, err);
    if (!rc && !(rc = gn_path_join(path, sizeof path, dir, "processes.json", err)))
        rc = write_json(path, &s, err);
    return rc;
}
