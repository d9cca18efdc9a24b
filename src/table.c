/* gapneb: the barrier table (see include/gapneb/table.h): the rows of a job with their settings
 * keys and run folder names, and the thread pool that computes them. The computation of one row
 * is table_row.c. Units: Å, eV, s. */
#include "config.h"
#include "gapneb/table.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gapneb/fileio.h"
#include "gapneb/potential.h"
#include "gapneb/settings.h"
#include "table_internal.h"

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

static void row_key(const gn_job *job, gn_table_row *r, unsigned long long settings,
                    unsigned long long pot_hash)
{
    char s[1024], sites[600] = "";
    const gn_job_process *c = gn_job_custom_process(job, r->process);
    if (c) /* a custom process is its sites */
        gn_job_process_format(c, sites, sizeof sites);
    /* %.17g: two gaps that differ in any bit get different keys */
    snprintf(s, sizeof s, "gapneb %s|%s|%s%s%s|gap=%.17g|pot=%016llx|settings=%016llx",
             PACKAGE_VERSION, gn_model_kind_name(r->model), gn_row_process_name(r),
             c ? "=" : "", sites, r->gap, pot_hash, settings);
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
    unsigned long long ph[GN_JOB_MAX_POT], settings = gn_settings_hash(job);
    for (int p = 0; p < job->npotentials; p++)
        ph[p] = potential_hash(job->potentials[p]);
    size_t i = 0;
    for (int m = 0; m < job->nmodels; m++)
        for (int q = 0; q < job->nprocesses; q++)
            for (size_t g = 0; g < gn_job_model_gaps(job, job->models[m]); g++)
                for (int p = 0;
                     p < job->npotentials && gn_model_has_process(job->models[m],
                                                                  job->processes[q]);
                     p++, i++) {
                    gn_table_row *r = &t->rows[i];
                    gn_table_row_clear(r);
                    r->model = job->models[m];
                    r->process = job->processes[q];
                    snprintf(r->process_name, sizeof r->process_name, "%s",
                             gn_job_process_name(job, r->process));
                    snprintf(r->potential, sizeof r->potential, "%s", job->potentials[p]);
                    /* the terraces have no gap: inf, their wide-gap limit */
                    r->gap = gn_model_has_gap(r->model) ? job->gaps[g] : INFINITY;
                    row_key(job, r, settings, ph[p]);
                    char tag[128] = "";
                    if (job->npotentials > 1)
                        pot_tag(job->potentials[p], tag, sizeof tag);
                    snprintf(r->rundir, sizeof r->rundir, "runs/%s-%s-%g%s%s",
                             gn_model_kind_name(r->model), r->process_name, r->gap,
                             tag[0] ? "-" : "", tag);
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
    if (r->nsteps > 1 && isfinite(r->ea_eff))
        snprintf(res, sizeof res, "effective barrier %.4f eV over %d steps", r->ea_eff,
                 r->nsteps);
    else if (isfinite(gn_row_barrier(r)))
        snprintf(res, sizeof res, "barrier %.4f eV", gn_row_barrier(r));
    else
        snprintf(res, sizeof res, "no barrier");
    pool_log(p, 1, "[%zu/%zu] %s %s gap %g Å %s: %s, %s (%lu force calls, %.1f s)%s%s\n",
             p->done, p->todo, gn_model_kind_name(r->model), gn_row_process_name(r), r->gap,
             r->potential, gn_row_state_name(r->state), res, r->force_calls, r->wall_time,
             r->reason[0] ? ": " : "", r->reason);
}

/* Computes row r on a private copy (other threads and the row_done hook read the table while it
 * runs) and returns its status. */
static int compute_one(pool *p, gn_table_row *r, unsigned long *calls, gn_error *e)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = p->compute(p->ctx, p->job, r, calls, e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* the whole row: endpoints, band, bare model, modes and files, not only the band */
    r->wall_time = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (r->state == GN_ROW_PENDING && rc != GN_ECANCEL) {
        r->state = GN_ROW_FAILED;
        snprintf(r->reason, sizeof r->reason, "row not computed: %.1000s", e->msg);
    }
    return rc;
}

static int cancelled(const pool *p)
{
    return p->hooks && p->hooks->cancelled && p->hooks->cancelled(p->hooks->cancel_ctx);
}

static void row_finished(pool *p, size_t idx, const gn_table_row *r, unsigned long calls,
                         int rc, const gn_error *e)
{
    pthread_mutex_lock(&p->mu);
    if (rc == GN_ECANCEL) { /* stopped on request: the row stays pending for --resume */
        p->calls += calls;
        pthread_mutex_unlock(&p->mu);
        return;
    }
    p->t->rows[idx] = *r;
    p->calls += calls;
    p->done++;
    if (rc != GN_OK && p->rc == GN_OK) {
        p->rc = rc;
        p->err = *e;
    }
    report_row(p, r);
    gn_error we;
    if (p->hooks && p->hooks->row_done &&
        p->hooks->row_done(p->hooks->row_done_ctx, p->t, idx, &we) != GN_OK)
        pool_log(p, 0, "warning: %s\n", we.msg);
    pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg)
{
    pool *p = arg;
    gn_table_row *r = malloc(sizeof *r);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        if (!r && p->rc == GN_OK) {
            p->rc = GN_ENOMEM;
            gn_error_set(&p->err, GN_ENOMEM, "out of memory");
        }
        if (p->next >= p->todo || p->rc != GN_OK || cancelled(p)) {
            pthread_mutex_unlock(&p->mu);
            free(r);
            return NULL;
        }
        size_t idx = p->order[p->next++];
        *r = p->t->rows[idx];
        pool_log(p, 2, "starting %s %s gap %g Å %s\n", gn_model_kind_name(r->model),
                 gn_row_process_name(r), r->gap, r->potential);
        pthread_mutex_unlock(&p->mu);

        unsigned long calls = 0;
        gn_error e;
        gn_error_clear(&e);
        int rc = compute_one(p, r, &calls, &e);
        row_finished(p, idx, r, calls, rc, &e);
    }
}

static void run_pool(pool *p, int nthreads)
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
}

/* Rough relative cost of a row, to start the expensive ones first so that the last thread to
 * finish does not run alone for long: the e2e crystals hold about twice the atoms of s2s, and
 * wider gaps take longer bands for the transfer. */
static double row_cost(const gn_table_row *r)
{
    return (r->model == GN_MODEL_E2E ? 2.0 : 1.0) *
           (1.0 + (r->process == GN_PROCESS_TRANSFER ? 0.1 * r->gap : 0.0));
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

static size_t count_pending(const gn_table *t)
{
    size_t todo = 0;
    for (size_t i = 0; i < t->n; i++)
        todo += t->rows[i].state == GN_ROW_PENDING;
    return todo;
}

int gn_table_run(const gn_job *job, gn_table *t, const gn_table_hooks *hooks, gn_error *err)
{
    size_t todo = count_pending(t);
    if (!todo)
        return GN_OK;
    pool p = {.t = t, .job = job, .hooks = hooks, .todo = todo};
    gn_table_compute_ctx *own = NULL;
    if (!hooks || !hooks->compute) {
        int rc = gn_table_compute_ctx_alloc(job, t, hooks, &own, err);
        if (rc != GN_OK)
            return rc;
    }
    p.compute = own ? gn_table_compute_row : hooks->compute;
    p.ctx = own ? (void *)own : hooks->compute_ctx;
    p.order = order_rows(t, todo);
    gn_error_clear(&p.err);
    int rc = GN_OK;
    if (!p.order)
        rc = gn_error_set(err, GN_ENOMEM, "out of memory");
    else if (pthread_mutex_init(&p.mu, NULL) != 0)
        rc = gn_error_set(err, GN_ENOMEM, "cannot create a mutex");
    if (rc == GN_OK) {
        int nth = gn_table_threads(job->jobs, todo);
        if (own)
            own->calc_threads = job->threads > 0 ? job->threads : gn_table_threads(0, 0) / nth;
        pool_log(&p, 1, "computing %zu rows with %d thread%s\n", todo, nth, nth > 1 ? "s" : "");
        run_pool(&p, nth);
        pthread_mutex_destroy(&p.mu);
        t->new_force_calls += p.calls;
        if (p.rc != GN_OK) {
            if (err)
                *err = p.err;
            rc = p.rc;
        }
    }
    free(p.order);
    gn_table_compute_ctx_free(own);
    return rc;
}
