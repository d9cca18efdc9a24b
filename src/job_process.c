/* gapneb: custom processes of a table job ([process NAME] sections, --process NAME=I->F): their
 * definitions, names and the process lookup by name (see include/gapneb/job.h). The sites are
 * names of the model's catalogue (model.h), checked when a row builds its endpoints. Units: none.
 */
#include "gapneb/job.h"
#include "strbuf_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int builtin_process(const char *name, gn_process *out)
{
    for (int p = 0; p < GN_PROCESS_COUNT; p++)
        if (!strcmp(gn_process_name((gn_process)p), name)) {
            *out = (gn_process)p;
            return 1;
        }
    return 0;
}

int gn_job_find_process(const gn_job *job, const char *name, gn_process *out, gn_error *err)
{
    if (builtin_process(name, out))
        return GN_OK;
    for (int k = 0; job && k < job->ncustom; k++)
        if (!strcmp(job->custom[k].name, name)) {
            *out = (gn_process)(GN_PROCESS_CUSTOM + k);
            return GN_OK;
        }
    return gn_error_set(err, GN_EINVAL, "unknown process '%s' (expected %s%s)", name,
                        gn_process_names_text(),
                        job && job->ncustom ? ", or a process defined in the job" :
                        "; define others with a [process NAME] section");
}

const gn_job_process *gn_job_custom_process(const gn_job *job, gn_process p)
{
    int k = gn_process_custom_index(p);
    return job && k >= 0 && k < job->ncustom ? &job->custom[k] : NULL;
}

const char *gn_job_process_name(const gn_job *job, gn_process p)
{
    const gn_job_process *c = gn_job_custom_process(job, p);
    return c ? c->name : gn_process_name(p);
}

void gn_job_process_format(const gn_job_process *c, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int half = 0; half < 2; half++)
        for (int k = 0; k < c->nadatoms; k++) {
            const char *sep = k ? "," : half ? "->" : "";
            int w = snprintf(buf + len, len < cap ? cap - len : 0, "%s%s", sep,
                             half ? c->final[k] : c->initial[k]);
            if (w > 0)
                len += (size_t)w;
        }
}

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return 0;
    return 1;
}

/* Splits a comma-separated site list into out (blanks trimmed), *n names. */
static int site_list(const char *list, char out[][GN_SITE_NAME_MAX], int *n, const char *what,
                     gn_error *err)
{
    *n = 0;
    const char *p = list;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (*n == GN_JOB_MAX_ADATOMS)
            return gn_error_set(err, GN_EINVAL, "%s: more than %d adatoms", what,
                                GN_JOB_MAX_ADATOMS);
        if (!gn_text_trim(p, len, out[*n], GN_SITE_NAME_MAX))
            return gn_error_set(err, GN_EINVAL, "%s: site name too long in '%s'", what, list);
        if (!out[*n][0])
            return gn_error_set(err, GN_EINVAL, "%s: empty site name in '%s'", what, list);
        for (int j = 0; j < *n; j++)
            if (!strcmp(out[j], out[*n]))
                return gn_error_set(err, GN_EINVAL, "%s: site %s is listed twice (two adatoms "
                                    "cannot share a site)", what, out[*n]);
        (*n)++;
        if (!end)
            return GN_OK;
        p = end + 1;
    }
}

int gn_job_define_process(gn_job *job, const char *name, const char *initial,
                          const char *final, const char *what, gn_error *err)
{
    gn_process p;
    if (!valid_name(name) || strlen(name) >= GN_PROCESS_NAME_MAX)
        return gn_error_set(err, GN_EINVAL, "%s: process name '%s': use up to %d letters, "
                            "digits, '-', '_' or '.'", what, name, GN_PROCESS_NAME_MAX - 1);
    if (builtin_process(name, &p))
        return gn_error_set(err, GN_EINVAL, "%s: '%s' is a built-in process; give yours "
                            "another name", what, name);
    for (int k = 0; k < job->ncustom; k++)
        if (!strcmp(job->custom[k].name, name))
            return gn_error_set(err, GN_EINVAL, "%s: process '%s' is defined twice", what, name);
    if (job->ncustom == GN_JOB_MAX_CUSTOM)
        return gn_error_set(err, GN_EINVAL, "%s: more than %d custom processes", what,
                            GN_JOB_MAX_CUSTOM);
    if (job->nprocesses == GN_JOB_MAX_PROCESSES)
        return gn_error_set(err, GN_EINVAL, "%s: more than %d processes", what,
                            GN_JOB_MAX_PROCESSES);
    gn_job_process c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "%s", name);
    char fin[GN_JOB_MAX_ADATOMS][GN_SITE_NAME_MAX];
    memset(fin, 0, sizeof fin); /* whole, so that equal definitions compare equal bytewise */
    int ni = 0, nf = 0;
    if (site_list(initial, c.initial, &ni, what, err) != GN_OK)
        return gn_error_prefix(err, "initial sites: ");
    if (site_list(final, fin, &nf, what, err) != GN_OK)
        return gn_error_prefix(err, "final sites: ");
    if (ni != nf)
        return gn_error_set(err, GN_EINVAL, "%s: process '%s' has %d initial and %d final "
                            "sites (adatom k goes from the k-th initial to the k-th final site)",
                            what, name, ni, nf);
    memcpy(c.final, fin, sizeof fin);
    c.nadatoms = ni;
    job->custom[job->ncustom] = c;
    job->processes[job->nprocesses++] = (gn_process)(GN_PROCESS_CUSTOM + job->ncustom);
    job->ncustom++;
    return GN_OK;
}

int gn_job_define_process_spec(gn_job *job, const char *spec, const char *what, gn_error *err)
{
    const char *eq = strchr(spec, '=');
    const char *arrow = eq ? strstr(eq, "->") : NULL;
    char name[GN_PROCESS_NAME_MAX], ini[GN_JOB_MAX_ADATOMS * GN_SITE_NAME_MAX * 2];
    char fin[sizeof ini];
    if (!eq || !arrow)
        return gn_error_set(err, GN_EINVAL, "%s: '%s' is not NAME=SITE,SITE->SITE,SITE", what,
                            spec);
    if (!gn_text_trim(spec, (size_t)(eq - spec), name, sizeof name) ||
        !gn_text_trim(eq + 1, (size_t)(arrow - eq - 1), ini, sizeof ini) ||
        !gn_text_trim(arrow + 2, strlen(arrow + 2), fin, sizeof fin))
        return gn_error_set(err, GN_EINVAL, "%s: '%s' is too long", what, spec);
    return gn_job_define_process(job, name, ini, fin, what, err);
}
