/* gapneb: a table row from a path of elementary steps (steps.h): its steps, effective barrier,
 * saddle orders and state, and the harmonic analysis of every step from its run folder with
 * the rate of the chain. Units: Å, eV, THz, 1/s, K. */
#include "config.h"
#include "table_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gapneb/fileio.h"
#include "gapneb/modes.h"
#include "gapneb/rundir.h"
#include "gapneb/units.h"

_Static_assert(GN_ROW_MAX_STEPS >= GN_STEPS_MAX, "a row must hold every step of a path");

void gn_table_steps_opts(const gn_job *job, gn_steps_opts *so)
{
    gn_steps_opts_default(so);
    so->split = job->split;
    so->tol = job->split_tol;
    so->max_depth = job->split_depth;
    so->check_order = job->saddle_order;
}

static void step_names(const gn_steps_result *s, size_t k, char *buf, size_t cap)
{
    char a[16], b[16];
    gn_steps_minimum_name(s, k, a, sizeof a);
    gn_steps_minimum_name(s, k + 1, b, sizeof b);
    snprintf(buf, cap, "step %zu (%s -> %s)", k + 1, a, b);
}

/* The state of a converged path: ok when every saddle is first-order (or orders are not
 * checked), else not-first-order with the first offending step named. */
static void order_state(gn_table_row *r, const gn_steps_result *s, const gn_neb_opts *no,
                        const gn_steps_opts *so)
{
    r->saddle_order = so->check_order ? 1 : -1;
    for (size_t k = 0; so->check_order && k < s->nsteps; k++) {
        const gn_step *st = &s->step[k];
        if (st->saddle_order == 1)
            continue;
        char name[64];
        step_names(s, k, name, sizeof name);
        r->saddle_order = st->saddle_order;
        r->state = GN_ROW_NOT_FIRST_ORDER;
        if (st->saddle_order == 0)
            snprintf(r->reason, sizeof r->reason,
                     "the climbing image of %s is a minimum (no negative mode), not a saddle: no "
                     "barrier%s", name,
                     s->truncated ? " (splitting stopped at its limit)" : "");
        else if (st->saddle_order < 0)
            snprintf(r->reason, sizeof r->reason, "the saddle order of %s is not known", name);
        else
            snprintf(r->reason, sizeof r->reason,
                     "the climbing image of %s has %d negative modes after %d refinement push%s%s: "
                     "its energy is an upper bound of the barrier", name, st->saddle_order,
                     st->refinements, st->refinements == 1 ? "" : "es",
                     no->refine ? "" : " (refinement off)");
        return;
    }
}

void gn_table_row_from_steps(gn_table_row *r, const gn_steps_result *s, const gn_neb_opts *no,
                             const gn_steps_opts *so, gn_strbuf *log)
{
    if (!s->nsteps || r->state == GN_ROW_COLLAPSED)
        return;
    r->nsteps = (int)s->nsteps;
    r->ea_eff = s->ea_eff;
    r->rate_step = s->rate_step + 1;
    r->iterations = s->iterations;
    r->wall_time = s->wall_time;
    /* leaving the initial state (the first step) and the final state (the last step) */
    r->barrier_fwd = s->step[0].barrier_fwd;
    r->barrier_rev = s->step[s->nsteps - 1].barrier_rev;
    r->interp_max = -INFINITY;
    for (size_t k = 0; k < s->nsteps; k++) {
        const gn_step *st = &s->step[k];
        gn_row_step *rs = &r->steps[k];
        rs->e_from = st->e_from;
        rs->e_to = st->e_to;
        rs->e_saddle = st->e_saddle;
        rs->barrier_fwd = st->barrier_fwd;
        rs->barrier_rev = st->barrier_rev;
        rs->saddle_order = st->saddle_order;
        rs->converged = st->converged;
        r->interp_max = fmax(r->interp_max, st->interp_max);
        char name[64];
        step_names(s, k, name, sizeof name);
        gn_strbuf_printf(log, "%s: minima %.6f -> %.6f eV, saddle %.6f eV (order %d, depth %d, "
                              "%d refinement pushes)%s\n", name, st->e_from, st->e_to,
                         st->e_saddle, st->saddle_order, st->depth, st->refinements,
                         st->converged ? "" : ", NOT converged");
    }
    gn_strbuf_printf(log, "path: %zu elementary step%s, %d minimum candidate%s relaxed, "
                          "effective barrier %.6f eV, rate-limiting step %d%s\n",
                     s->nsteps, s->nsteps == 1 ? "" : "s", s->candidates,
                     s->candidates == 1 ? "" : "s", s->ea_eff, r->rate_step,
                     s->truncated ? "; splitting stopped at its limit" : "");
    r->converged = s->converged;
    if (!s->converged) {
        for (size_t k = 0; k < s->nsteps; k++)
            if (!s->step[k].converged) {
                char name[64];
                step_names(s, k, name, sizeof name);
                r->state = GN_ROW_NOCONV;
                snprintf(r->reason, sizeof r->reason, "the band of %s did not converge (fmax "
                         "%.4f eV/Å > %g eV/Å)", name,
                         s->step[k].neb ? s->step[k].neb->fmax : NAN, no->fmax);
                return;
            }
    }
    /* every step converged: a first band that did not (it slid through the minima it was
     * split at) is superseded by them */
    if (r->state == GN_ROW_NOCONV && s->first.endpoints_converged) {
        r->state = GN_ROW_OK;
        r->reason[0] = '\0';
    }
    if (r->state == GN_ROW_OK)
        order_state(r, s, no, so);
}

/* ---- harmonic analysis of every step ----------------------------------------------------- */

static int step_modes(const gn_job *job, const gn_table_row *r, const char *dir,
                      gn_modes_result *mr, gn_error *e)
{
    gn_modes_opts mo;
    gn_modes_opts_default(&mo);
    mo.temperature = job->temperature;
    mo.potential = r->potential;
    mo.write_files = 1; /* modes.json, modes.tsv, unstable_mode.xyz beside the band */
    int rc = gn_modes_hessian_parse(job->modes_hessian, &mo.hessian, e);
    return rc ? rc : gn_modes_run_dir_ex(dir, &mo, mr, e);
}

void gn_table_row_modes(const gn_job *job, gn_table_row *r, gn_steps_result *s,
                        const char *rundir, gn_strbuf *log)
{
    if (!job->modes || !s->nsteps || (r->state != GN_ROW_OK &&
                                      r->state != GN_ROW_NOT_FIRST_ORDER))
        return;
    int verified = 1;
    for (size_t k = 0; k < s->nsteps; k++) {
        char sub[64], dir[GN_JOB_PATH_MAX + 400];
        gn_error e;
        gn_modes_result mr;
        gn_rundir_step_dir(s, k, sub, sizeof sub);
        if (s->nsteps == 1)
            snprintf(dir, sizeof dir, "%s", rundir);
        else if (gn_path_join(dir, sizeof dir, rundir, sub, &e) != GN_OK)
            return;
        if (step_modes(job, r, dir, &mr, &e) != GN_OK) {
            gn_strbuf_printf(log, "harmonic analysis of step %zu failed: %s\n", k + 1, e.msg);
            return;
        }
        gn_step *st = &s->step[k];
        st->imag_freq_thz = mr.imag_freq_thz;
        st->prefactor_fwd_thz = mr.prefactor_fwd_thz;
        st->prefactor_rev_thz = mr.prefactor_rev_thz;
        st->rate_fwd = mr.rate_fwd;
        st->rate_rev = mr.rate_rev;
        r->steps[k].imag_freq_thz = mr.imag_freq_thz;
        r->steps[k].prefactor_thz = mr.prefactor_fwd_thz;
        r->steps[k].rate_fwd = mr.rate_fwd;
        r->steps[k].rate_rev = mr.rate_rev;
        verified &= mr.verified;
        if ((int)k + 1 == r->rate_step || (r->rate_step == 0 && k == 0)) {
            r->n_negative = mr.n_negative_saddle;
            r->imag_freq_thz = mr.imag_freq_thz;
            r->prefactor_thz = mr.prefactor_fwd_thz;
        }
        gn_strbuf_printf(log, "modes of step %zu: saddle %s (%d negative), imaginary frequency "
                              "%.4f THz, prefactors %.4g / %.4g THz, rates %.4g / %.4g 1/s at %g "
                              "K\n", k + 1, mr.verified ? "verified" : "NOT verified",
                         mr.n_negative_saddle, mr.imag_freq_thz, mr.prefactor_fwd_thz,
                         mr.prefactor_rev_thz, mr.rate_fwd, mr.rate_rev, job->temperature);
        if (mr.n_zero_initial || mr.n_zero_saddle || mr.n_zero_final)
            gn_strbuf_printf(log, "  modes below %g THz: initial %d, saddle %d, final %d (beyond "
                                  "the rigid-body ones they are soft vibrations: they enter the "
                                  "prefactor when positive and leave none otherwise; the "
                                  "harmonic rate is uncertain for them)\n",
                             mr.zero_tol_thz, mr.n_zero_initial, mr.n_zero_saddle,
                             mr.n_zero_final);
    }
    gn_steps_chain_update(s);
    r->has_modes = 1;
    r->saddle_verified = verified;
    r->rate = s->rate_fwd;
    r->rate_rev = s->rate_rev;
    r->temperature = job->temperature;
    /* several steps: the effective prefactor, rate = nu* exp(-Ea_eff / kB T) (for one step it
     * is the Vineyard prefactor itself) */
    if (s->nsteps > 1)
        r->prefactor_thz = isfinite(r->ea_eff) ? 1e-12 * r->rate *
                                                     exp(r->ea_eff / (GN_KB_EV * job->temperature))
                                               : NAN;
    gn_strbuf_printf(log, "chain of %zu step%s: rates %.4g / %.4g 1/s\n", s->nsteps,
                     s->nsteps == 1 ? "" : "s", s->rate_fwd, s->rate_rev);
}
