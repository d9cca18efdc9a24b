/* gapneb: the barrier table (see include/gapneb/table.h): rows, settings keys, --resume, the
 * thread pool, and the computation of one row (model -> endpoints -> CI-NEB -> adsorption
 * energies -> optional harmonic analysis -> run folder).
 * Units: Å, eV, eV/Å, s, THz, 1/s, K. */
#include "config.h"
#include "gapneb/table.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gapneb/atoms.h"
#include "gapneb/element.h"
#include "gapneb/fileio.h"
#include "gapneb/minimize.h"
#include "gapneb/relax.h"
#include "gapneb/model.h"
#include "gapneb/modes.h"
#include "gapneb/neb.h"
#include "gapneb/potential.h"
#include "gapneb/properties.h"
#include "gapneb/report.h"

static const char *const state_names[] = {"pending", "ok", "not_converged", "collapsed",
                                          "failed"};

const char *gn_row_state_name(int state)
{
    return state >= 0 && state <= GN_ROW_FAILED ? state_names[state] : "unknown";
}

int gn_row_state_parse(const char *s)
{
    for (int i = 0; i <= GN_ROW_FAILED; i++)
        if (!strcmp(s, state_names[i]))
            return i;
    return -1;
}

void gn_table_row_clear(gn_table_row *r)
{
    memset(r, 0, sizeof *r);
    r->gap = r->barrier_fwd = r->barrier_rev = r->reaction_energy = r->interp_max = NAN;
    r->e_ads_initial = r->e_ads_final = r->a0 = r->wall_time = NAN;
    r->ref_barrier = r->ref_gap = NAN;
    r->imag_freq_thz = r->prefactor_thz = r->rate = r->temperature = NAN;
}

void gn_table_clear(gn_table *t)
{
    if (!t)
        return;
    free(t->rows);
    memset(t, 0, sizeof *t);
}

/* ---- settings key ------------------------------------------------------------------------- */

/* FNV-1a: a stable 64-bit hash; the key only has to change when a setting does. */
static unsigned long long fnv1a(unsigned long long h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int is_builtin(const char *name)
{
    const char *const *b = gn_potential_builtins();
    for (size_t i = 0; b && b[i]; i++)
        if (!strcmp(b[i], name))
            return 1;
    return 0;
}

/* A potential file's content enters the key, so editing the file invalidates --resume. */
static unsigned long long potential_hash(const char *name)
{
    unsigned long long h = 14695981039346656037ULL;
    h = fnv1a(h, name, strlen(name));
    if (is_builtin(name))
        return h;
    char *text;
    size_t len;
    gn_error e;
    if (gn_file_read_all(name, &text, &len, &e) == GN_OK) {
        h = fnv1a(h, text, len);
        free(text);
    }
    return h;
}

static void row_key(const gn_job *job, gn_table_row *r, unsigned long long pot_hash)
{
    char s[2048];
    /* %.17g: two settings that differ in any bit get different keys */
    snprintf(s, sizeof s,
             "gapneb %s|%s|%s|gap=%.17g|pot=%016llx|images=%d|fmax=%.17g|steps=%d|k=%.17g|"
             "climb=%d|climb_thr=%.17g|interp=%s|perturb=%.17g,%d|s2s=%d,%d,%s|e2e=%d,%.17g,%s|"
             "modes=%d,%.17g",
             PACKAGE_VERSION, r->model, r->process, r->gap, pot_hash, job->images, job->fmax,
             job->max_steps, job->spring, job->climb, job->climb_threshold, job->interpolation,
             job->perturb, job->refine,
             job->s2s_size, job->s2s_layers, job->s2s_registry, job->e2e_length,
             job->e2e_radius, job->e2e_registry, job->modes,
             job->modes ? job->temperature : 0.0); /* rows without modes ignore T */
    unsigned long long h = fnv1a(14695981039346656037ULL, s, strlen(s));
    snprintf(r->key, sizeof r->key, "%016llx", h);
}

/* Folder-safe short name of a potential: the file's base name, other characters as '_'. */
static void pot_tag(const char *pot, char *out, size_t cap)
{
    const char *s = strrchr(pot, '/');
    s = s ? s + 1 : pot;
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++) {
        char c = s[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_';
        out[i] = ok ? c : '_';
    }
    out[i] = '\0';
}

int gn_table_init(const gn_job *job, gn_table *t, gn_error *err)
{
    memset(t, 0, sizeof *t);
    int rc = gn_job_validate(job, err);
    if (rc != GN_OK)
        return rc;
    size_t n = gn_job_nrows(job);
    t->rows = calloc(n, sizeof *t->rows);
    if (!t->rows)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    unsigned long long ph[GN_JOB_MAX_POT];
    for (int p = 0; p < job->npotentials; p++)
        ph[p] = potential_hash(job->potentials[p]);
    size_t i = 0;
    for (int m = 0; m < job->nmodels; m++)
        for (int q = 0; q < job->nprocesses; q++)
            for (size_t g = 0; g < job->ngaps; g++)
                for (int p = 0; p < job->npotentials; p++, i++) {
                    gn_table_row *r = &t->rows[i];
                    gn_table_row_clear(r);
                    snprintf(r->model, sizeof r->model, "%s", job->models[m]);
                    snprintf(r->process, sizeof r->process, "%s", job->processes[q]);
                    snprintf(r->potential, sizeof r->potential, "%s", job->potentials[p]);
                    r->gap = job->gaps[g];
                    row_key(job, r, ph[p]);
                    char tag[128] = "";
                    if (job->npotentials > 1)
                        pot_tag(job->potentials[p], tag, sizeof tag);
                    snprintf(r->rundir, sizeof r->rundir, "runs/%s-%s-%g%s%s", r->model,
                             r->process, r->gap, tag[0] ? "-" : "", tag);
                }
    t->n = n;
    return GN_OK;
}

int gn_table_all_ok(const gn_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].state != GN_ROW_OK)
            return 0;
    return 1;
}

int gn_table_threads(int jobs, size_t nrows)
{
    long n = jobs > 0 ? jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (nrows && (size_t)n > nrows)
        n = (long)nrows;
    return n < 1 ? 1 : (int)n;
}

/* ---- crossover ---------------------------------------------------------------------------- */

static const gn_table_row *find_rate_row(const gn_table *t, const char *model, const char *pot,
                                         const char *process, double gap)
{
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (!strcmp(r->model, model) && !strcmp(r->potential, pot) &&
            !strcmp(r->process, process) && fabs(r->gap - gap) < 1e-9 && r->has_modes &&
            r->rate > 0 && isfinite(r->rate))
            return r;
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int gn_table_crossover(const gn_table *t, const char *model, const char *potential, double *gap)
{
    double *g = malloc((t->n + 1) * sizeof *g), *d = malloc((t->n + 1) * sizeof *d);
    size_t n = 0;
    int found = 0;
    if (!g || !d)
        goto out;
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (!strcmp(r->model, model) && !strcmp(r->potential, potential) &&
            !strcmp(r->process, "hop"))
            g[n++] = r->gap;
    }
    qsort(g, n, sizeof *g, cmp_double);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const gn_table_row *h = find_rate_row(t, model, potential, "hop", g[i]);
        const gn_table_row *x = find_rate_row(t, model, potential, "transfer", g[i]);
        if (h && x && (m == 0 || g[m - 1] != g[i])) {
            g[m] = g[i];
            d[m++] = log(x->rate) - log(h->rate); /* > 0: the transfer wins */
        }
    }
    for (size_t i = m; i-- > 0;) {
        if (d[i] <= 0)
            continue;
        found = 1;
        /* between the last gap where the transfer wins and the next, where it loses, the log
         * ratio is taken as linear in d */
        *gap = i + 1 < m ? g[i] + (g[i + 1] - g[i]) * d[i] / (d[i] - d[i + 1]) : g[i];
        break;
    }
out:
    free(g);
    free(d);
    return found;
}

/* Why a row gives no rate: a short phrase, or NULL when it has one. */
static const char *no_rate_reason(const gn_table_row *r)
{
    if (!r)
        return "no row";
    if (r->state != GN_ROW_OK)
        return gn_row_state_name(r->state);
    if (!r->has_modes)
        return "no harmonic analysis";
    if (r->rate > 0 && isfinite(r->rate))
        return NULL;
    if (r->n_negative >= 2)
        return "saddle not first-order";
    if (r->n_negative == 0)
        return "saddle has no negative mode";
    return "no rate";
}

static const gn_table_row *find_row(const gn_table *t, const char *model, const char *pot,
                                    const char *process, double gap)
{
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (!strcmp(r->model, model) && !strcmp(r->potential, pot) &&
            !strcmp(r->process, process) && fabs(r->gap - gap) < 1e-9)
            return r;
    }
    return NULL;
}

/* Appends "PROCESS REASON at G1, G2 Å" groups to info->missing, one group per (process,
 * reason) in order of first appearance over the sorted gaps. */
static void describe_missing(const gn_table *t, const char *model, const char *pot,
                             const double *g, size_t n, gn_crossover_info *info)
{
    static const char *const procs[] = {"hop", "transfer"};
    size_t len = 0;
    info->missing[0] = '\0';
    for (int p = 0; p < 2; p++)
        for (size_t i = 0; i < n; i++) {
            const char *why = no_rate_reason(find_row(t, model, pot, procs[p], g[i]));
            int first = 1;
            for (size_t k = 0; why && k < i; k++) {
                const char *w2 = no_rate_reason(find_row(t, model, pot, procs[p], g[k]));
                first &= !(w2 && !strcmp(w2, why));
            }
            if (!why || !first)
                continue;
            int k = snprintf(info->missing + len, sizeof info->missing - len, "%s%s %s at ",
                             len ? "; " : "", procs[p], why);
            for (size_t j = i; k >= 0 && j < n; j++) {
                const char *w2 = no_rate_reason(find_row(t, model, pot, procs[p], g[j]));
                if (!w2 || strcmp(w2, why))
                    continue;
                len = strlen(info->missing);
                k = snprintf(info->missing + len, sizeof info->missing - len, "%s%g",
                             j == i ? "" : ", ", g[j]);
            }
            len = strlen(info->missing);
            snprintf(info->missing + len, sizeof info->missing - len, " Å");
            len = strlen(info->missing);
        }
}

/* Largest gap with d > 0 (d = the transfer's advantage), linear between sweep points. */
static int largest_positive(const double *g, const double *d, size_t m, double *gap)
{
    for (size_t i = m; i-- > 0;) {
        if (!(d[i] > 0))
            continue;
        *gap = i + 1 < m ? g[i] + (g[i + 1] - g[i]) * d[i] / (d[i] - d[i + 1]) : g[i];
        return 1;
    }
    return 0;
}

void gn_table_crossover_info(const gn_table *t, const char *model, const char *potential,
                             gn_crossover_info *info)
{
    memset(info, 0, sizeof *info);
    info->gap = info->barrier_gap = NAN;
    info->status = info->barrier_status = GN_CROSS_UNDETERMINED;
    double *g = malloc((t->n + 1) * sizeof *g), *d = malloc((t->n + 1) * sizeof *d);
    if (!g || !d)
        goto out;
    size_t n = 0;
    int hop = 0, transfer = 0;
    for (size_t i = 0; i < t->n; i++) {
        const gn_table_row *r = &t->rows[i];
        if (strcmp(r->model, model) || strcmp(r->potential, potential))
            continue;
        hop |= !strcmp(r->process, "hop");
        transfer |= !strcmp(r->process, "transfer");
        info->has_modes |= r->has_modes;
        size_t k = 0;
        while (k < n && fabs(g[k] - r->gap) >= 1e-9)
            k++;
        if (k == n)
            g[n++] = r->gap;
    }
    info->has_rows = hop && transfer;
    if (!info->has_rows)
        goto out;
    qsort(g, n, sizeof *g, cmp_double);
    describe_missing(t, model, potential, g, n, info);
    double found_gap;
    int found = gn_table_crossover(t, model, potential, &found_gap);
    if (found)
        info->gap = found_gap;
    if (!info->missing[0])
        info->status = found ? GN_CROSS_FOUND : GN_CROSS_NONE;
    else
        info->partial_found = found;
    /* the barrier crossover, over converged rows */
    size_t m = 0;
    int all = 1;
    for (size_t i = 0; i < n; i++) {
        const gn_table_row *h = find_row(t, model, potential, "hop", g[i]);
        const gn_table_row *x = find_row(t, model, potential, "transfer", g[i]);
        if (!h || !x || h->state != GN_ROW_OK || x->state != GN_ROW_OK ||
            !isfinite(h->barrier_fwd) || !isfinite(x->barrier_fwd)) {
            all = 0;
            continue;
        }
        g[m] = g[i];
        d[m++] = h->barrier_fwd - x->barrier_fwd; /* > 0: the transfer's barrier is lower */
    }
    if (largest_positive(g, d, m, &info->barrier_gap))
        info->barrier_status = all ? GN_CROSS_FOUND : GN_CROSS_UNDETERMINED;
    else
        info->barrier_status = all && m ? GN_CROSS_NONE : GN_CROSS_UNDETERMINED;
out:
    free(g);
    free(d);
}

void gn_crossover_rate_text(const gn_crossover_info *info, const char *model,
                            const char *potential, double T, char *buf, size_t cap)
{
    if (info->status == GN_CROSS_FOUND)
        snprintf(buf, cap, "crossover %s %s: transfer faster than hop up to a gap of %.3f Å at %g K",
                 model, potential, info->gap, T);
    else if (info->status == GN_CROSS_NONE)
        snprintf(buf, cap, "crossover %s %s: none (the hop is faster at every gap at %g K)", model,
                 potential, T);
    else if (info->partial_found)
        snprintf(buf, cap, "crossover %s %s: not determined (%s); among the gaps with rates the "
                 "transfer is faster up to %.3f Å at %g K", model, potential, info->missing,
                 info->gap, T);
    else
        snprintf(buf, cap, "crossover %s %s: not determined (%s)", model, potential,
                 info->missing);
}

void gn_crossover_barrier_text(const gn_crossover_info *info, const char *model,
                               const char *potential, char *buf, size_t cap)
{
    const char *head = "barrier crossover (by barriers, not rates)";
    if (info->barrier_status == GN_CROSS_FOUND)
        snprintf(buf, cap, "%s %s %s: transfer barrier below hop barrier up to a gap of %.3f Å",
                 head, model, potential, info->barrier_gap);
    else if (info->barrier_status == GN_CROSS_NONE)
        snprintf(buf, cap, "%s %s %s: none (the hop barrier is lower at every gap)", head, model,
                 potential);
    else if (isfinite(info->barrier_gap))
        snprintf(buf, cap, "%s %s %s: %.3f Å among the gaps with converged barriers (some are "
                 "missing)", head, model, potential, info->barrier_gap);
    else
        snprintf(buf, cap, "%s %s %s: not determined (barriers missing)", head, model, potential);
}

/* ---- shared per-potential data ------------------------------------------------------------ */

typedef struct pot_data {
    gn_potential *pot;
    double a0;       /* Å */
    double e_atom;   /* eV, the isolated atom */
    int ready;
} pot_data;

typedef struct default_ctx {
    pot_data pots[GN_JOB_MAX_POT];
    int npot;
} default_ctx;

/* Relaxes a in place to fmax eV/Å with the relaxation defaults (relax.h); energy in *e (eV). */
static int relax_atoms(gn_calc *c, gn_atoms *a, double fmax, int steps, double *e, int *conv,
                       gn_error *err)
{
    gn_fire_opts fo;
    gn_relax_opts_default(&fo);
    fo.fmax = fmax;
    fo.max_steps = steps;
    gn_fire_result fr;
    int rc = gn_relax_calc(c, a, &fo, &fr, e, err);
    if (rc == GN_OK)
        *conv = fr.converged;
    return rc;
}

static int isolated_atom_energy(const gn_potential *p, double *e, gn_error *err)
{
    gn_calc *c;
    gn_atoms *a = NULL;
    int rc = gn_calc_alloc(p, &c, err);
    if (rc != GN_OK)
        return rc;
    const double r[3] = {0, 0, 0};
    rc = gn_atoms_alloc(&a, 0, err);
    if (rc == GN_OK)
        rc = gn_atoms_push(a, p->z, r, 0, err);
    if (rc == GN_OK)
        rc = gn_calc_compute(c, a, e, NULL, NULL, err);
    gn_atoms_free(a);
    gn_calc_free(c);
    return rc;
}

static int prepare_potential(pot_data *pd, const char *name, gn_error *err)
{
    int rc = gn_potential_alloc(name, &pd->pot, err);
    if (rc != GN_OK)
        return rc;
    rc = gn_lattice_constant(pd->pot, pd->pot->z, &pd->a0, err);
    if (rc == GN_OK)
        rc = isolated_atom_energy(pd->pot, &pd->e_atom, err);
    if (rc != GN_OK)
        return gn_error_prefix(err, "potential %s: ", name);
    pd->ready = 1;
    return GN_OK;
}

static void default_ctx_free(default_ctx *d)
{
    for (int i = 0; i < d->npot; i++)
        gn_potential_free(d->pots[i].pot);
    d->npot = 0;
}

/* ---- one row ------------------------------------------------------------------------------ */

typedef struct row_log {
    char *s;
    size_t n, cap;
} row_log;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void log_add(row_log *l, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    size_t len = strlen(line);
    if (l->n + len + 1 > l->cap) {
        size_t nc = (l->cap ? 2 * l->cap : 4096) + len;
        char *ns = realloc(l->s, nc);
        if (!ns)
            return; /* the log is a convenience: losing lines is better than failing the row */
        l->s = ns;
        l->cap = nc;
    }
    memcpy(l->s + l->n, line, len + 1);
    l->n += len;
}

static int neb_progress(void *ctx, int iter, double fmax, double barrier, int climb)
{
    log_add(ctx, "iteration %5d  band fmax %10.5f eV/Å  barrier %9.5f eV  climbing image %d\n",
            iter, fmax, barrier, climb);
    return 0;
}

static int model_options(const gn_job *job, const gn_table_row *r, const pot_data *pd,
                         gn_model_opts *mo, gn_error *err)
{
    gn_model_kind kind;
    if (gn_model_kind_parse(r->model, &kind, err) != GN_OK)
        return GN_EINVAL;
    gn_model_opts_default(mo, kind);
    mo->gap = r->gap;
    mo->a0 = pd->a0;
    mo->z = pd->pot->z;
    if (kind == GN_MODEL_S2S) {
        if (job->s2s_size)
            mo->n = job->s2s_size;
        if (job->s2s_layers)
            mo->layers = job->s2s_layers;
        if (job->s2s_registry[0] &&
            gn_model_registry_parse(kind, job->s2s_registry, &mo->registry, err) != GN_OK)
            return GN_EINVAL;
    } else {
        if (job->e2e_length)
            mo->m = job->e2e_length;
        if (job->e2e_radius > 0)
            mo->R = job->e2e_radius;
        if (job->e2e_registry[0] &&
            gn_model_registry_parse(kind, job->e2e_registry, &mo->registry, err) != GN_OK)
            return GN_EINVAL;
    }
    return gn_model_opts_check(mo, err);
}

static int neb_options(const gn_job *job, gn_neb_opts *no, row_log *log, gn_error *err)
{
    gn_neb_opts_default(no);
    if (job->images)
        no->nimages = job->images;
    if (job->fmax > 0)
        no->fmax = job->fmax;
    if (job->max_steps)
        no->max_steps = job->max_steps;
    if (job->spring > 0)
        no->k = job->spring;
    no->climb = job->climb;
    if (job->climb_threshold > 0)
        no->climb_fmax = job->climb_threshold;
    if (job->interpolation[0] && gn_interp_parse(job->interpolation, &no->interp, err) != GN_OK)
        return GN_EINVAL;
    no->perturb = job->perturb;
    no->refine = job->refine;
    no->progress = neb_progress;
    no->progress_ctx = log;
    return gn_neb_opts_check(no, err);
}

/* E(model without adatom, relaxed) in eV. */
static int bare_energy(const gn_model_opts *mo, const gn_potential *pot, double fmax,
                       double *e, unsigned long *calls, gn_error *err)
{
    gn_atoms *a = NULL;
    gn_calc *c = NULL;
    int conv = 0;
    int rc = gn_model_build(mo, &a, err);
    if (rc == GN_OK)
        rc = gn_calc_alloc(pot, &c, err);
    if (rc == GN_OK)
        rc = relax_atoms(c, a, fmax, 5000, e, &conv, err);
    if (c)
        *calls += gn_calc_calls(c);
    if (rc == GN_OK && !conv)
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

static void row_modes(const gn_job *job, const pot_data *pd, gn_table_row *r,
                      const gn_neb_result *res, row_log *log)
{
    if (!job->modes || r->state != GN_ROW_OK || res->climb_index <= 0 || res->nframes < 3)
        return;
    size_t last = res->nframes - 1, ci = (size_t)res->climb_index;
    gn_modes_result mr;
    gn_error e;
    int rc = gn_modes_analyse(pd->pot, res->band[0].atoms, res->band[ci].atoms,
                              res->band[last].atoms, res->band[0].energy, res->band[ci].energy,
                              res->band[last].energy, job->temperature, &mr, &e);
    if (rc != GN_OK) {
        log_add(log, "harmonic analysis failed: %s\n", e.msg);
        return;
    }
    r->has_modes = 1;
    r->saddle_verified = mr.verified;
    r->n_negative = mr.n_negative_saddle;
    r->imag_freq_thz = mr.imag_freq_thz;
    r->prefactor_thz = mr.prefactor_fwd_thz;
    r->rate = mr.rate_fwd;
    r->temperature = job->temperature;
    log_add(log, "modes: saddle %s (%d negative), imaginary frequency %.4f THz, prefactor %.4g "
                 "THz, rate %.4g 1/s at %g K\n",
            mr.verified ? "verified" : "NOT verified", mr.n_negative_saddle, mr.imag_freq_thz,
            mr.prefactor_fwd_thz, mr.rate_fwd, job->temperature);
}

static void row_fail(gn_table_row *r, const gn_error *e)
{
    r->state = e->code == GN_ENOCONV ? GN_ROW_NOCONV : GN_ROW_FAILED;
    snprintf(r->reason, sizeof r->reason, "%.1000s", e->msg[0] ? e->msg : gn_status_name(e->code));
}

static int write_log(const char *dir, const row_log *log, gn_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/log.txt", dir);
    return gn_file_write_string(path, log->s ? log->s : "", err);
}

static int compute_row(void *ctx, const gn_job *job, gn_table_row *r, unsigned long *calls,
                       gn_error *err)
{
    (void)err;
    default_ctx *d = ctx;
    const pot_data *pd = NULL;
    for (int i = 0; i < d->npot; i++)
        if (d->pots[i].pot && !strcmp(job->potentials[i], r->potential))
            pd = &d->pots[i];
    gn_error e;
    gn_error_clear(&e);
    if (!pd || !pd->ready) {
        gn_error_set(&e, GN_EINVAL, "potential %s is not available", r->potential);
        row_fail(r, &e);
        return GN_OK;
    }
    r->a0 = pd->a0;
    row_log log = {0};
    log_add(&log, "gapneb %s: %s %s at gap %g Å with %s (a0 = %.6f Å)\n", PACKAGE_VERSION,
            r->model, r->process, r->gap, r->potential, pd->a0);
    gn_model_opts mo;
    gn_neb_opts no;
    gn_atoms *ini = NULL, *fin = NULL;
    gn_neb_result res;
    memset(&res, 0, sizeof res);
    int have_res = 0, rc = model_options(job, r, pd, &mo, &e);
    if (rc == GN_OK)
        rc = neb_options(job, &no, &log, &e);
    gn_process proc = GN_PROCESS_HOP;
    if (rc == GN_OK)
        rc = gn_process_parse(r->process, &proc, &e);
    if (rc == GN_OK)
        rc = gn_model_process(&mo, proc, &ini, &fin, &e);
    if (rc == GN_OK) {
        rc = gn_neb_run(pd->pot, ini, fin, &no, &res, &e);
        have_res = rc == GN_OK;
        if (have_res)
            *calls += res.force_calls;
    }
    if (rc == GN_OK) {
        fill_from_neb(r, &res, &no);
        if (res.saddle_negative >= 0)
            log_add(&log, "saddle refinement: %d push%s along a second negative mode; %d negative "
                          "mode%s at the last check%s\n",
                    res.refinements, res.refinements == 1 ? "" : "es", res.saddle_negative,
                    res.saddle_negative == 1 ? "" : "s",
                    res.refine_failed ? "; the pushed band did not converge, so the band before "
                                        "the push is reported" : "");
        double eb;
        if (bare_energy(&mo, pd->pot, no.endpoint_fmax, &eb, calls, &e) == GN_OK) {
            r->e_ads_initial = res.e_initial - eb - pd->e_atom;
            r->e_ads_final = res.e_final - eb - pd->e_atom;
        } else {
            log_add(&log, "adsorption energies not available: %s\n", e.msg);
        }
        r->force_calls = *calls; /* the band, both endpoints and the bare model */
        row_modes(job, pd, r, &res, &log);
    } else {
        row_fail(r, &e);
    }
    char dir[GN_JOB_PATH_MAX + 300];
    snprintf(dir, sizeof dir, "%s/%s", job->out, r->rundir);
    int wrc = gn_mkdir_p(dir, &e);
    if (wrc == GN_OK && have_res)
        wrc = gn_neb_write_run(dir, &no, r->potential, &res, &e);
    log_add(&log, "result: %s%s%s\n", gn_row_state_name(r->state), r->reason[0] ? ": " : "",
            r->reason);
    if (isfinite(r->barrier_fwd))
        log_add(&log, "barrier forward %.6f eV, reverse %.6f eV, reaction energy %.6f eV, "
                      "interpolated maximum %.6f eV\n",
                r->barrier_fwd, r->barrier_rev, r->reaction_energy, r->interp_max);
    if (wrc == GN_OK)
        wrc = write_log(dir, &log, &e);
    if (wrc != GN_OK && r->state != GN_ROW_FAILED) {
        r->state = GN_ROW_FAILED;
        snprintf(r->reason, sizeof r->reason, "writing the run folder: %.1000s", e.msg);
    }
    free(log.s);
    if (have_res)
        gn_neb_result_clear(&res);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
    return GN_OK;
}

/* ---- resume ------------------------------------------------------------------------------- */

static void take_over(const gn_job *job, gn_table *t)
{
    char path[GN_JOB_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/barriers.json", job->out);
    gn_table old = {0};
    gn_error e;
    if (gn_report_read_json(path, &old, &e) != GN_OK)
        return; /* nothing to resume from: every row is computed */
    for (size_t i = 0; i < t->n; i++) {
        gn_table_row *r = &t->rows[i];
        for (size_t j = 0; j < old.n; j++) {
            const gn_table_row *o = &old.rows[j];
            /* a failed row may have failed for a passing reason (I/O): computed again */
            if (strcmp(o->key, r->key) || o->state == GN_ROW_FAILED ||
                o->state == GN_ROW_PENDING)
                continue;
            *r = *o;
            r->reused = 1;
            t->nreused++;
            break;
        }
    }
    gn_table_clear(&old);
}

/* ---- thread pool -------------------------------------------------------------------------- */

typedef struct pool {
    pthread_mutex_t mu;
    size_t next, done, todo;
    size_t *order; /* pending rows, most expensive first */
    gn_table *t;
    const gn_job *job;
    const gn_table_hooks *hooks;
    gn_row_compute_fn compute;
    void *ctx;
    unsigned long calls;
    int rc;
    gn_error err;
} pool;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void pool_log(pool *p, int level, const char *fmt, ...)
{
    if (!p->hooks || !p->hooks->log)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    p->hooks->log(p->hooks->log_ctx, level, line);
}

static void report_row(pool *p, const gn_table_row *r)
{
    char res[160];
    if (isfinite(r->barrier_fwd))
        snprintf(res, sizeof res, "barrier %.4f eV", r->barrier_fwd);
    else
        snprintf(res, sizeof res, "no barrier");
    pool_log(p, 1, "[%zu/%zu] %s %s gap %g Å %s: %s, %s (%lu force calls, %.1f s)%s%s\n",
             p->done, p->todo, r->model, r->process, r->gap, r->potential,
             gn_row_state_name(r->state), res, r->force_calls, r->wall_time,
             r->reason[0] ? ": " : "", r->reason);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        if (p->next >= p->todo || p->rc != GN_OK) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        gn_table_row *r = &p->t->rows[p->order[p->next++]];
        pool_log(p, 2, "starting %s %s gap %g Å %s\n", r->model, r->process, r->gap,
                 r->potential);
        pthread_mutex_unlock(&p->mu);

        unsigned long calls = 0;
        gn_error e;
        gn_error_clear(&e);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = p->compute(p->ctx, p->job, r, &calls, &e);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        /* the whole row: endpoints, band, bare model, modes and files, not only the band */
        r->wall_time = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        if (r->state == GN_ROW_PENDING) {
            r->state = GN_ROW_FAILED;
            snprintf(r->reason, sizeof r->reason, "row not computed: %.1000s", e.msg);
        }

        pthread_mutex_lock(&p->mu);
        p->calls += calls;
        p->done++;
        if (rc != GN_OK && p->rc == GN_OK) {
            p->rc = rc;
            p->err = e;
        }
        report_row(p, r);
        pthread_mutex_unlock(&p->mu);
    }
}

static int run_pool(pool *p, int nthreads)
{
    pthread_t th[256];
    if (nthreads > 256)
        nthreads = 256;
    int started = 0;
    for (; started < nthreads; started++)
        if (pthread_create(&th[started], NULL, worker, p) != 0)
            break;
    if (started == 0) /* no thread at all: compute in this one */
        worker(p);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    return started;
}

/* Rough relative cost of a row, to start the expensive ones first so that the last thread to
 * finish does not run alone for long: the e2e crystals hold about twice the atoms of s2s, and
 * wider gaps take longer bands for the transfer. */
static double row_cost(const gn_table_row *r)
{
    return (strcmp(r->model, "e2e") == 0 ? 2.0 : 1.0) *
           (1.0 + (strcmp(r->process, "transfer") == 0 ? 0.1 * r->gap : 0.0));
}

/* Pending row indices by decreasing cost (insertion sort: tables are small, and it is stable). */
static size_t *order_rows(const gn_table *t, size_t todo)
{
    size_t *o = malloc((todo ? todo : 1) * sizeof *o), n = 0;
    if (!o)
        return NULL;
    for (size_t i = 0; i < t->n; i++) {
        if (t->rows[i].state != GN_ROW_PENDING)
            continue;
        double c = row_cost(&t->rows[i]);
        size_t k = n++;
        while (k > 0 && row_cost(&t->rows[o[k - 1]]) < c) {
            o[k] = o[k - 1];
            k--;
        }
        o[k] = i;
    }
    return o;
}

/* Creates the potentials needed by pending rows, with a0 and the isolated-atom energy. */
static int prepare(const gn_job *job, const gn_table *t, default_ctx *d, gn_error *err)
{
    memset(d, 0, sizeof *d);
    for (int i = 0; i < job->npotentials; i++) {
        int needed = 0;
        for (size_t k = 0; k < t->n; k++)
            needed |= t->rows[k].state == GN_ROW_PENDING &&
                      !strcmp(t->rows[k].potential, job->potentials[i]);
        d->npot = i + 1;
        if (!needed)
            continue;
        int rc = prepare_potential(&d->pots[i], job->potentials[i], err);
        if (rc != GN_OK)
            return rc;
    }
    return GN_OK;
}

int gn_table_run(const gn_job *job, gn_table *t, const gn_table_hooks *hooks, gn_error *err)
{
    if (job->resume)
        take_over(job, t);
    size_t todo = 0;
    for (size_t i = 0; i < t->n; i++)
        todo += t->rows[i].state == GN_ROW_PENDING;
    pool p = {.t = t, .job = job, .hooks = hooks, .todo = todo};
    if (t->nreused)
        pool_log(&p, 1, "resume: %zu of %zu rows taken over from %s/barriers.json\n",
                 t->nreused, t->n, job->out);
    if (!todo)
        return GN_OK;
    default_ctx d;
    int rc = GN_OK;
    int own = !hooks || !hooks->compute;
    if (own) {
        rc = prepare(job, t, &d, err);
        if (rc != GN_OK) {
            default_ctx_free(&d);
            return rc;
        }
    }
    p.order = order_rows(t, todo);
    if (!p.order) {
        if (own)
            default_ctx_free(&d);
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    p.compute = own ? compute_row : hooks->compute;
    p.ctx = own ? (void *)&d : hooks->compute_ctx;
    gn_error_clear(&p.err);
    if (pthread_mutex_init(&p.mu, NULL) != 0) {
        free(p.order);
        if (own)
            default_ctx_free(&d);
        return gn_error_set(err, GN_ENOMEM, "cannot create a mutex");
    }
    int nth = gn_table_threads(job->jobs, todo);
    pool_log(&p, 1, "computing %zu rows with %d thread%s\n", todo, nth, nth > 1 ? "s" : "");
    run_pool(&p, nth);
    pthread_mutex_destroy(&p.mu);
    free(p.order);
    t->new_force_calls += p.calls;
    if (own)
        default_ctx_free(&d);
    if (p.rc != GN_OK) {
        if (err)
            *err = p.err;
        return p.rc;
    }
    return GN_OK;
}
