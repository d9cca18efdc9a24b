/* gapneb: the computation of one row of the barrier table: model -> endpoints -> CI-NEB ->
 * elementary steps (steps.h) -> adsorption energies -> relaxed gap -> run folder (rundir.h) ->
 * optional harmonic analysis of every step -> log.
 * Units: Å, eV, eV/Å, s, THz, 1/s, K. */
#include "config.h"
#include "table_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/atoms.h"
#include "gapneb/fileio.h"
#include "gapneb/model.h"
#include "gapneb/model_gap.h"
#include "gapneb/modes.h"
#include "gapneb/neb.h"
#include "gapneb/potential.h"
#include "gapneb/properties.h"
#include "gapneb/relax.h"
#include "gapneb/rundir.h"
#include "gapneb/table_io.h"
#include "strbuf_internal.h"

/* What the NEB's progress callback of one row needs. */
typedef struct row_progress {
    gn_strbuf *log;
    const gn_table_compute_ctx *ctx;
    int stopped;               /* the cancel hook stopped the band */
} row_progress;

/* ---- options ------------------------------------------------------------------------------ */

static int neb_progress(void *ctx, int iter, double fmax, double barrier, int climb)
{
    row_progress *rp = ctx;
    gn_strbuf_printf(rp->log, "iteration %5d  band fmax %10.5f eV/Å  barrier %9.5f eV  "
                              "climbing image %d\n", iter, fmax, barrier, climb);
    if (gn_table_compute_cancelled(rp->ctx))
        rp->stopped = 1;
    return rp->stopped;
}

/* The nc settings; a Wulff shape takes the potential's relaxed surface energies (a 1x1 slab
 * each, milliseconds). */
static int nc_options(const gn_job *job, const pot_data *pd, gn_model_opts *mo, gn_error *err)
{
    int rc = gn_nc_facing_parse(job->nc_facing, &mo->facing, err);
    if (!rc)
        rc = gn_nc_shape_parse(job->nc_shape, &mo->shape, err);
    mo->diameter = job->nc_diameter;
    mo->natoms = job->nc_atoms;
    mo->fix_shell = job->nc_fix_shell;
    mo->registry = mo->facing == GN_NC_EDGE ? GN_REG_ALIGNED : GN_REG_HOLLOW;
    if (!rc && strcmp(job->nc_registry, "auto") != 0)
        rc = gn_model_registry_parse(GN_MODEL_NC, job->nc_registry, &mo->registry, err);
    if (!rc && mo->shape == GN_NC_WULFF)
        rc = gn_surface_energy(pd->pot, mo->z, mo->a0, 100, 1, &mo->gamma100, NULL, err);
    if (!rc && mo->shape == GN_NC_WULFF)
        rc = gn_surface_energy(pd->pot, mo->z, mo->a0, 111, 1, &mo->gamma111, NULL, err);
    return rc ? rc : gn_model_opts_check(mo, err);
}

static int model_options(const gn_job *job, const gn_table_row *r, const pot_data *pd,
                         gn_model_opts *mo, gn_error *err)
{
    gn_model_opts_default(mo, r->model);
    mo->gap = r->gap;
    mo->a0 = pd->a0;
    mo->z = pd->pot->z;
    mo->n = job->s2s_size;
    mo->layers = job->s2s_layers;
    mo->m = job->e2e_length;
    mo->R = job->e2e_radius;
    if (r->model == GN_MODEL_NC)
        return nc_options(job, pd, mo, err);
    const char *reg = r->model == GN_MODEL_S2S ? job->s2s_registry : job->e2e_registry;
    int rc = gn_model_has_gap(r->model) ? gn_model_registry_parse(r->model, reg, &mo->registry, err)
                                        : GN_OK; /* the terraces have no registry */
    return rc ? rc : gn_model_opts_check(mo, err);
}

static int neb_options(const gn_job *job, gn_neb_opts *no, row_progress *rp, gn_error *err)
{
    gn_neb_opts_default(no);
    no->nimages = job->images;
    no->fmax = job->fmax;
    no->max_steps = job->max_steps;
    no->k = job->spring;
    no->climb = job->climb;
    no->climb_fmax = job->climb_threshold;
    if (gn_interp_parse(job->interpolation, &no->interp, err) != GN_OK)
        return GN_EINVAL;
    no->perturb = job->perturb;
    no->refine = job->refine;
    no->refine_step = job->refine_step;
    no->endpoint_fmax = job->endpoint_fmax;
    if (gn_minimizer_parse(job->optimizer, &no->optimizer, err) != GN_OK)
        return GN_EINVAL;
    no->threads = rp->ctx && rp->ctx->calc_threads > 0 ? rp->ctx->calc_threads : 1;
    no->progress = neb_progress;
    no->progress_ctx = rp;
    return gn_neb_opts_check(no, err);
}

/* ---- the steps of a row ------------------------------------------------------------------- */

/* E(model without adatom, relaxed) in eV. */
static int bare_energy(const gn_model_opts *mo, const gn_potential *pot, double fmax,
                       double *e, unsigned long *calls, gn_error *err)
{
    gn_atoms *a = NULL;
    gn_calc *c = NULL;
    int rc = gn_model_build(mo, &a, err);
    if (rc == GN_OK)
        rc = gn_calc_alloc(pot, &c, err);
    gn_fire_opts fo;
    gn_relax_opts_default(&fo);
    fo.fmax = fmax;
    fo.max_steps = 5000;
    gn_fire_result fr = {0};
    if (rc == GN_OK)
        rc = gn_relax_calc(c, a, &fo, &fr, e, err);
    if (c)
        *calls += gn_calc_calls(c);
    if (rc == GN_OK && !fr.converged)
        rc = gn_error_set(err, GN_ENOCONV, "the model without adatom did not relax to %g eV/Å",
                          fmax);
    gn_calc_free(c);
    gn_atoms_free(a);
    return rc;
}

static void fill_from_neb(gn_table_row *r, const gn_neb_result *res, const gn_neb_opts *no)
{
    r->converged = res->converged;
    r->collapsed = res->collapsed;
    r->iterations = res->iterations;
    r->force_calls = res->force_calls;
    r->wall_time = res->wall_time;
    if (res->collapsed) {
        r->state = GN_ROW_COLLAPSED;
        snprintf(r->reason, sizeof r->reason,
                 "endpoints relaxed into the same minimum (largest atom displacement between "
                 "them %.3f Å < %.3f Å): no barrier",
                 res->endpoint_distance, no->collapse_tol);
        return;
    }
    if (res->converged && res->barrier_fwd < GN_TABLE_NO_BARRIER &&
        res->barrier_rev < GN_TABLE_NO_BARRIER) {
        /* On a very flat surface both endpoints can stop a little apart (more than the NEB's
         * collapse tolerance) inside one basin: the band then finds nothing to climb. A barrier
         * of zero both ways is no transition, so it is reported as a collapse, never as 0 eV. */
        r->state = GN_ROW_COLLAPSED;
        r->collapsed = 1;
        snprintf(r->reason, sizeof r->reason,
                 "no barrier between the endpoints (forward %.2g eV, reverse %.2g eV, both below "
                 "%g eV; endpoints %.3f Å apart): they lie in the same minimum",
                 res->barrier_fwd, res->barrier_rev, GN_TABLE_NO_BARRIER,
                 res->endpoint_distance);
        return;
    }
    r->barrier_fwd = res->barrier_fwd;
    r->barrier_rev = res->barrier_rev;
    r->reaction_energy = res->reaction_energy;
    r->interp_max = res->interp_max;
    if (res->converged) {
        r->state = GN_ROW_OK;
    } else {
        r->state = GN_ROW_NOCONV;
        if (!res->endpoints_converged)
            snprintf(r->reason, sizeof r->reason, "an endpoint did not relax to %g eV/Å",
                     no->endpoint_fmax);
        else
            snprintf(r->reason, sizeof r->reason,
                     "band not converged after %d iterations (fmax %.4f eV/Å > %g eV/Å)",
                     res->iterations, res->fmax, no->fmax);
    }
}

static void row_fail(gn_table_row *r, const gn_error *e)
{
    r->state = e->code == GN_ENOCONV ? GN_ROW_NOCONV : GN_ROW_FAILED;
    snprintf(r->reason, sizeof r->reason, "%.1000s", e->msg[0] ? e->msg : gn_status_name(e->code));
}

static void log_refinement(gn_strbuf *log, const gn_neb_result *res)
{
    if (res->saddle_negative < 0)
        return;
    gn_strbuf_printf(log, "saddle refinement: %d push%s along a second negative mode; %d "
                          "negative mode%s at the last check%s\n",
                     res->refinements, res->refinements == 1 ? "" : "es", res->saddle_negative,
                     res->saddle_negative == 1 ? "" : "s",
                     res->refine_failed ? "; the pushed band did not converge, so the band "
                                          "before the push is reported" : "");
}

/* The endpoints of the row's process: a named one from the model, a custom one from its sites
 * in the job (mid-gap sites found with the row's potential). *nadatoms receives the number of
 * adatoms. */
static int endpoints(const gn_job *job, const gn_table_row *r, const gn_model_opts *mo,
                     const gn_potential *pot, gn_atoms **ini, gn_atoms **fin, int *nadatoms,
                     gn_error *e)
{
    *nadatoms = 1;
    if (!gn_process_is_custom(r->process))
        return gn_model_process(mo, r->process, ini, fin, e);
    const gn_job_process *c = gn_job_custom_process(job, r->process);
    if (!c)
        return gn_error_set(e, GN_EINVAL, "process %s is not defined in the job",
                            gn_row_process_name(r));
    gn_site in[GN_JOB_MAX_ADATOMS], out[GN_JOB_MAX_ADATOMS];
    int rc = GN_OK;
    for (int k = 0; k < c->nadatoms && !rc; k++) {
        rc = gn_model_find_any_site(mo, pot, NULL, c->initial[k], &in[k], e);
        if (!rc)
            rc = gn_model_find_any_site(mo, pot, NULL, c->final[k], &out[k], e);
    }
    *nadatoms = c->nadatoms;
    if (!rc)
        rc = gn_model_custom_process(mo, in, out, (size_t)c->nadatoms, ini, fin, e);
    return rc ? gn_error_prefix(e, "process %s: ", c->name) : GN_OK;
}

/* Runs the NEB of the row and fills it; *have_res tells whether res holds a band. GN_ECANCEL
 * when the cancel hook stopped the band. */
static int run_band(const gn_job *job, const pot_data *pd, gn_table_row *r, gn_neb_opts *no,
                    const gn_steps_opts *so, gn_steps_result *sres, int *have_res,
                    unsigned long *calls, row_progress *rp, gn_error *e)
{
    gn_strbuf *log = rp->log;
    gn_model_opts mo;
    gn_atoms *ini = NULL, *fin = NULL;
    int nad = 1;
    int rc = model_options(job, r, pd, &mo, e);
    if (rc == GN_OK)
        rc = neb_options(job, no, rp, e);
    if (rc == GN_OK)
        rc = endpoints(job, r, &mo, pd->pot, &ini, &fin, &nad, e);
    if (rc == GN_OK) {
        rc = gn_steps_run(pd->pot, ini, fin, no, so, sres, e);
        *have_res = rc == GN_OK;
        if (*have_res)
            *calls += sres->force_calls;
    }
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    /* stopped, or failed because the stop ended an engine it waited for: left pending */
    if ((rc == GN_OK && rp->stopped) || (rc != GN_OK && gn_table_compute_cancelled(rp->ctx)))
        rc = gn_error_set(e, GN_ECANCEL, "stopped on request");
    if (rc != GN_OK)
        return rc;
    const gn_neb_result *res = &sres->first;
    fill_from_neb(r, res, no);
    log_refinement(log, res);
    gn_table_row_from_steps(r, sres, no, so, log);
    double eb;
    if (isnan(pd->e_atom)) /* an engine: its isolated atom is not this model's business */
        gn_strbuf_printf(log, "adsorption energies not available: %s is an external engine\n",
                         r->potential);
    else if (bare_energy(&mo, pd->pot, no->endpoint_fmax, &eb, calls, e) == GN_OK) {
        r->e_ads_initial = res->e_initial - eb - nad * pd->e_atom;
        r->e_ads_final = res->e_final - eb - nad * pd->e_atom;
    } else {
        gn_strbuf_printf(log, "adsorption energies not available: %s\n", e->msg);
    }
    if (gn_model_has_gap(r->model) && res->nframes > 0 &&
        gn_model_relaxed_gap(&mo, res->band[0].atoms, &r->gap_relaxed, e))
        gn_strbuf_printf(log, "relaxed gap not available: %s\n", e->msg);
    r->force_calls = *calls; /* the bands, both endpoints, the minima and the bare model */
    if (gn_table_row_search(job, pd, r, res, rp->ctx, log) == GN_ECANCEL)
        return gn_error_set(e, GN_ECANCEL, "stopped on request");
    return GN_OK;
}

/* Writes the run folder and the log; a failure to write makes the row failed. */
static void write_rundir(const gn_job *job, gn_table_row *r, const gn_neb_opts *no,
                         const gn_steps_opts *so, gn_steps_result *res, int have_res,
                         gn_strbuf *log)
{
    gn_error e;
    char dir[GN_JOB_PATH_MAX + 300];
    int wrc = gn_path_join(dir, sizeof dir, job->out, r->rundir, &e);
    if (wrc == GN_OK)
        wrc = gn_mkdir_p(dir, &e);
    if (wrc == GN_OK && have_res)
        wrc = gn_rundir_write_steps(dir, no, so, r->potential, res, &e);
    if (wrc == GN_OK && have_res)
        gn_table_row_modes(job, r, res, dir, log);
    gn_strbuf_printf(log, "result: %s%s%s\n", gn_row_state_name(r->state),
                     r->reason[0] ? ": " : "", r->reason);
    if (isfinite(r->barrier_fwd))
        gn_strbuf_printf(log, "barrier forward %.6f eV, reverse %.6f eV, reaction energy %.6f "
                              "eV, interpolated maximum %.6f eV\n",
                         r->barrier_fwd, r->barrier_rev, r->reaction_energy, r->interp_max);
    if (r->nsteps > 1)
        gn_strbuf_printf(log, "those are the barriers out of the initial state (step 1) and out "
                              "of the final state (step %d); effective barrier %.6f eV (step "
                              "%d)\n", r->nsteps, r->ea_eff, r->rate_step);
    if (wrc == GN_OK)
        wrc = gn_rundir_write_log(dir, gn_strbuf_text(log), &e);
    char path[GN_JOB_PATH_MAX + 320];
    /* last: a run folder with row.json is complete (gn_table_save_row rewrites it with the
     * row's wall time) */
    if (wrc == GN_OK && !(wrc = gn_path_join(path, sizeof path, dir, "row.json", &e)))
        wrc = gn_table_row_write_json(path, r, &e);
    if (wrc != GN_OK && r->state != GN_ROW_FAILED) {
        r->state = GN_ROW_FAILED;
        r->io_failure = 1;
        snprintf(r->reason, sizeof r->reason, "writing the run folder: %.1000s", e.msg);
    }
}

static const pot_data *find_potential(const gn_table_compute_ctx *d, const gn_job *job,
                                      const char *name)
{
    for (int i = 0; i < d->npot; i++)
        if (d->pots[i].pot && !strcmp(job->potentials[i], name))
            return &d->pots[i];
    return NULL;
}

int gn_table_compute_row(void *ctx, const gn_job *job, gn_table_row *r, unsigned long *calls,
                         gn_error *err)
{
    (void)err; /* a row that fails is a failed row, not a failed table */
    const pot_data *pd = find_potential(ctx, job, r->potential);
    gn_error e;
    gn_error_clear(&e);
    if (!pd) {
        gn_error_set(&e, GN_EINVAL, "potential %s is not available", r->potential);
        row_fail(r, &e);
        return GN_OK;
    }
    r->a0 = pd->a0;
    snprintf(r->potential_spec, sizeof r->potential_spec, "%s", gn_potential_spec(pd->pot));
    gn_strbuf log = {0};
    gn_strbuf_printf(&log, "gapneb %s: %s %s at gap %g Å with %s (a0 = %.6f Å)\n",
                     PACKAGE_VERSION, gn_model_kind_name(r->model), gn_row_process_name(r),
                     r->gap, r->potential, pd->a0);
    const gn_job_process *cp = gn_job_custom_process(job, r->process);
    if (cp) {
        char sites[600];
        gn_job_process_format(cp, sites, sizeof sites);
        gn_strbuf_printf(&log, "custom process %s: %s (adatom k from the k-th initial to the "
                               "k-th final site)\n", cp->name, sites);
    }
    gn_neb_opts no;
    gn_neb_opts_default(&no);
    gn_steps_opts so;
    gn_table_steps_opts(job, &so);
    gn_steps_result res;
    memset(&res, 0, sizeof res);
    int have_res = 0;
    row_progress rp = {&log, ctx, 0};
    int rc = run_band(job, pd, r, &no, &so, &res, &have_res, calls, &rp, &e);
    if (rc == GN_ECANCEL) { /* left pending: nothing of it is written */
        gn_strbuf_clear(&log);
        gn_steps_result_clear(&res);
        return GN_ECANCEL;
    }
    if (rc != GN_OK)
        row_fail(r, &e);
    write_rundir(job, r, &no, &so, &res, have_res, &log);
    gn_strbuf_clear(&log);
    gn_steps_result_clear(&res);
    return GN_OK;
}
