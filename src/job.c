/* gapneb: table jobs: the row lists and their checks (see include/gapneb/job.h). The settings
 * themselves are declared in settings.c (which also makes a job with their defaults,
 * gn_job_init); the INI reader is job_ini.c.
 * Units: gaps Å. */
#include "gapneb/job.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/numparse.h"
#include "gapneb/potential.h"

void gn_job_clear(gn_job *job)
{
    if (!job)
        return;
    free(job->gaps);
    job->gaps = NULL;
    job->ngaps = 0;
}

/* Copies the next comma-separated item of *s into buf, trimmed; advances *s. Returns 0 at the
 * end of the list, -1 if the item does not fit. */
static int next_item(const char **s, char *buf, size_t cap)
{
    const char *p = *s;
    if (!*p)
        return 0;
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    *s = end ? end + 1 : p + len;
    while (len && isspace((unsigned char)*p)) {
        p++;
        len--;
    }
    while (len && isspace((unsigned char)p[len - 1]))
        len--;
    if (len >= cap)
        return -1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return 1;
}

/* Fills a list of enum values from names; duplicates are refused because they would make
 * duplicate rows. parse gets ctx (the job, for process names it defines). */
typedef int (*name_parse_fn)(const void *ctx, const char *s, int *out, gn_error *err);

#define MAX_NAMES GN_JOB_MAX_PROCESSES /* the longest list: processes */

static int set_names(int *dst, int *n, int max, const char *list, name_parse_fn parse,
                     const void *ctx, const char *what, gn_error *err)
{
    int tmp[MAX_NAMES], count = 0, r;
    char item[GN_PROCESS_NAME_MAX];
    const char *s = list;
    while ((r = next_item(&s, item, sizeof item)) != 0) {
        int v;
        if (r < 0)
            return gn_error_set(err, GN_EINVAL, "%s: name too long in '%s'", what, list);
        if (parse(ctx, item, &v, err) != GN_OK)
            return gn_error_prefix(err, "%s: ", what);
        for (int i = 0; i < count; i++)
            if (tmp[i] == v)
                return gn_error_set(err, GN_EINVAL, "%s: '%s' is listed twice", what, item);
        if (count == max || count == MAX_NAMES)
            return gn_error_set(err, GN_EINVAL, "%s: too many names", what);
        tmp[count++] = v;
    }
    if (count == 0)
        return gn_error_set(err, GN_EINVAL, "%s: empty list", what);
    memcpy(dst, tmp, (size_t)count * sizeof *tmp);
    *n = count;
    return GN_OK;
}

static int parse_model(const void *ctx, const char *s, int *out, gn_error *err)
{
    (void)ctx;
    gn_model_kind k = GN_MODEL_S2S;
    int rc = gn_model_kind_parse(s, &k, err);
    *out = (int)k;
    return rc;
}

static int parse_process(const void *ctx, const char *s, int *out, gn_error *err)
{
    gn_process p = GN_PROCESS_HOP;
    int rc = gn_job_find_process(ctx, s, &p, err);
    *out = (int)p;
    return rc;
}

int gn_job_set_models(gn_job *job, const char *list, const char *what, gn_error *err)
{
    int v[GN_JOB_MAX_LIST], n = 0;
    int rc = set_names(v, &n, GN_JOB_MAX_LIST, list, parse_model, job, what, err);
    if (rc != GN_OK)
        return rc;
    for (int i = 0; i < n; i++)
        job->models[i] = (gn_model_kind)v[i];
    job->nmodels = n;
    return GN_OK;
}

int gn_job_set_processes(gn_job *job, const char *list, const char *what, gn_error *err)
{
    int v[GN_JOB_MAX_PROCESSES], n = 0;
    char item[GN_PROCESS_NAME_MAX];
    const char *s = list;
    if (next_item(&s, item, sizeof item) == 1 && !strcmp(item, "all") && !*s) {
        /* every process, the job's own too; each model then computes those it defines */
        for (int i = 0; i < GN_PROCESS_COUNT; i++)
            job->processes[i] = (gn_process)i;
        job->nprocesses = GN_PROCESS_COUNT;
        for (int k = 0; k < job->ncustom && job->nprocesses < GN_JOB_MAX_PROCESSES; k++)
            job->processes[job->nprocesses++] = (gn_process)(GN_PROCESS_CUSTOM + k);
        job->all_processes = 1;
        return GN_OK;
    }
    int rc = set_names(v, &n, GN_JOB_MAX_PROCESSES, list, parse_process, job, what, err);
    if (rc != GN_OK)
        return rc;
    job->all_processes = 0;
    for (int i = 0; i < n; i++)
        job->processes[i] = (gn_process)v[i];
    job->nprocesses = n;
    return GN_OK;
}

/* Replaces the job's gaps by g (owned), refusing a gap given twice (it would be a duplicate
 * row). */
static int take_gaps(gn_job *job, double *g, size_t n, const char *what, gn_error *err)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (g[k] == g[i]) {
                double d = g[i];
                free(g);
                return gn_error_set(err, GN_EINVAL, "%s: gap %g Å is listed twice", what, d);
            }
    free(job->gaps);
    job->gaps = g;
    job->ngaps = n;
    return GN_OK;
}

int gn_job_set_gaps(gn_job *job, const char *list, const char *what, gn_error *err)
{
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    if (n > GN_JOB_MAX_GAPS)
        return gn_error_set(err, GN_EINVAL, "%s: more than %d gaps", what, GN_JOB_MAX_GAPS);
    double *g = malloc(n * sizeof *g);
    if (!g)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    size_t count = 0;
    char item[64];
    const char *s = list;
    int r;
    while ((r = next_item(&s, item, sizeof item)) != 0) {
        if (r < 0 || gn_parse_double(item, what, &g[count], err) != GN_OK || !(g[count] > 0)) {
            free(g);
            return gn_error_set(err, GN_EINVAL, "%s: '%s' is not a positive gap in Å", what,
                                r < 0 ? list : item);
        }
        count++;
    }
    if (count == 0) {
        free(g);
        return gn_error_set(err, GN_EINVAL, "%s: empty list of gaps", what);
    }
    return take_gaps(job, g, count, what, err);
}

int gn_parse_sweep(const char *spec, double **gaps, size_t *n, gn_error *err)
{
    *gaps = NULL;
    *n = 0;
    char buf[3][64];
    const char *p = spec;
    for (int k = 0; k < 3; k++) {
        const char *end = strchr(p, ':');
        if ((k < 2) != (end != NULL))
            return gn_error_set(err, GN_EINVAL, "'%s' is not START:STOP:STEP", spec);
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len >= sizeof buf[k])
            return gn_error_set(err, GN_EINVAL, "'%s' is not START:STOP:STEP", spec);
        memcpy(buf[k], p, len);
        buf[k][len] = '\0';
        p = end ? end + 1 : p + len;
    }
    double v[3];
    for (int k = 0; k < 3; k++)
        if (gn_parse_double(buf[k], spec, &v[k], err) != GN_OK)
            return GN_EINVAL;
    if (v[0] <= 0 || v[2] <= 0 || v[1] < v[0])
        return gn_error_set(err, GN_EINVAL,
                            "'%s': need 0 < START <= STOP and STEP > 0 (Å)", spec);
    /* Counting steps with a tolerance keeps STOP in the sweep despite rounding (4:10:0.1). */
    double steps = floor((v[1] - v[0]) / v[2] + 1e-6);
    if (steps + 1 > GN_JOB_MAX_GAPS)
        return gn_error_set(err, GN_EINVAL, "'%s': more than %d gaps", spec, GN_JOB_MAX_GAPS);
    size_t count = (size_t)steps + 1;
    double *g = malloc(count * sizeof *g);
    if (!g)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++)
        g[i] = v[0] + (double)i * v[2]; /* multiply, not accumulate: no drift */
    *gaps = g;
    *n = count;
    return GN_OK;
}

int gn_job_set_sweep(gn_job *job, const char *spec, const char *what, gn_error *err)
{
    double *g;
    size_t n;
    int rc = gn_parse_sweep(spec, &g, &n, err);
    if (rc != GN_OK)
        return gn_error_prefix(err, "%s: ", what);
    return take_gaps(job, g, n, what, err);
}

int gn_job_add_potentials(gn_job *job, const char *list, int clear, const char *what,
                          gn_error *err)
{
    int n = clear ? 0 : job->npotentials;
    char item[GN_JOB_PATH_MAX];
    const char *s = list;
    int r, added = 0;
    while ((r = gn_potential_spec_split(&s, item, sizeof item)) != 0) {
        if (r < 0 || !item[0])
            return gn_error_set(err, GN_EINVAL, "%s: bad potential name in '%s'", what, list);
        for (int i = 0; i < n; i++)
            if (strcmp(job->potentials[i], item) == 0)
                return gn_error_set(err, GN_EINVAL, "%s: potential '%s' is listed twice", what,
                                    item);
        if (n == GN_JOB_MAX_POT)
            return gn_error_set(err, GN_EINVAL, "%s: more than %d potentials", what,
                                GN_JOB_MAX_POT);
        memcpy(job->potentials[n++], item, sizeof item);
        added++;
    }
    if (!added)
        return gn_error_set(err, GN_EINVAL, "%s: empty list of potentials", what);
    job->npotentials = n;
    return GN_OK;
}

size_t gn_job_model_gaps(const gn_job *job, gn_model_kind model)
{
    return gn_model_has_gap(model) ? job->ngaps : 1;
}

size_t gn_job_nrows(const gn_job *job)
{
    size_t n = 0;
    for (int m = 0; m < job->nmodels; m++)
        for (int q = 0; q < job->nprocesses; q++)
            if (gn_model_has_process(job->models[m], job->processes[q]))
                n += gn_job_model_gaps(job, job->models[m]) * (size_t)job->npotentials;
    return n;
}

/* A process named in the list that none of the models defines would silently make no rows. */
static int check_processes(const gn_job *job, gn_error *err)
{
    for (int q = 0; q < job->nprocesses && !job->all_processes; q++) {
        int some = 0;
        for (int m = 0; m < job->nmodels; m++)
            some |= gn_model_has_process(job->models[m], job->processes[q]);
        if (!some)
            return gn_error_set(err, GN_EINVAL, "process %s is defined by none of the models "
                                "(transfer needs a gap: s2s or e2e)",
                                gn_process_name(job->processes[q]));
    }
    return GN_OK;
}

int gn_job_validate(const gn_job *job, gn_error *err)
{
    if (job->nmodels < 1 || job->nprocesses < 1 || job->ngaps < 1 || job->npotentials < 1)
        return gn_error_set(err, GN_EINVAL, "the job has no rows (empty model, process, gap or "
                                            "potential list)");
    int rc = check_processes(job, err);
    if (rc != GN_OK)
        return rc;
    for (size_t i = 0; i < job->ngaps; i++)
        if (!(job->gaps[i] > 0) || !(job->gaps[i] <= job->gap_max))
            return gn_error_set(err, GN_EINVAL, "gap %g Å is outside (0, %g] Å (the largest gap "
                                "accepted is gap_max, option --gap-max)", job->gaps[i],
                                job->gap_max);
    for (int k = 0; k < job->ncustom; k++) {
        int listed = 0;
        for (int i = 0; i < job->nprocesses; i++)
            listed |= gn_process_custom_index(job->processes[i]) == k;
        if (!listed)
            return gn_error_set(err, GN_EINVAL, "process '%s' is defined but not in the process "
                                "list (processes = ...): add it there to compute it, or remove "
                                "its definition", job->custom[k].name);
    }
    return GN_OK;
}
