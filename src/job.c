/* gapneb: table jobs from option values and INI files (see include/gapneb/job.h).
 * Units: gaps Å, forces eV/Å, spring constants eV/Å^2, temperatures K. */
#include "gapneb/job.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "gapneb/fileio.h"

static const char *const known_models[] = {"s2s", "e2e", NULL};
static const char *const known_processes[] = {"hop", "transfer", NULL};

int gn_job_init(gn_job *job, gn_error *err)
{
    memset(job, 0, sizeof *job);
    job->temperature = 300.0;
    job->climb = 1;
    job->perturb = GN_JOB_PERTURB_DEFAULT;
    job->refine = GN_JOB_REFINE_DEFAULT;
    snprintf(job->out, sizeof job->out, "gapneb-out");
    int rc = gn_job_set_models(job, "s2s,e2e", "default", err);
    if (rc == GN_OK)
        rc = gn_job_set_processes(job, "hop,transfer", "default", err);
    if (rc == GN_OK)
        rc = gn_job_set_gaps(job, "5,5.8,8", "default", err);
    if (rc == GN_OK)
        rc = gn_job_add_potentials(job, "eam-pt", 1, "default", err);
    if (rc != GN_OK)
        gn_job_clear(job);
    return rc;
}

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

static int in_list(const char *const *names, const char *s)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return 1;
    return 0;
}

/* Fills a list of known names; duplicates are refused because they would make duplicate rows. */
static int set_names(char (*dst)[GN_JOB_NAME_MAX], int *n, const char *list,
                     const char *const *known, const char *what, gn_error *err)
{
    char tmp[GN_JOB_MAX_LIST][GN_JOB_NAME_MAX];
    int count = 0, r;
    char item[GN_JOB_NAME_MAX];
    const char *s = list;
    while ((r = next_item(&s, item, sizeof item)) != 0) {
        if (r < 0 || !in_list(known, item))
            return gn_error_set(err, GN_EINVAL, "%s: unknown name in '%s' (expected %s%s%s)",
                                what, list, known[0], known[1] ? " or " : "",
                                known[1] ? known[1] : "");
        for (int i = 0; i < count; i++)
            if (strcmp(tmp[i], item) == 0)
                return gn_error_set(err, GN_EINVAL, "%s: '%s' is listed twice", what, item);
        if (count == GN_JOB_MAX_LIST)
            return gn_error_set(err, GN_EINVAL, "%s: too many names", what);
        memcpy(tmp[count++], item, sizeof item);
    }
    if (count == 0)
        return gn_error_set(err, GN_EINVAL, "%s: empty list", what);
    memcpy(dst, tmp, sizeof tmp);
    *n = count;
    return GN_OK;
}

int gn_job_set_models(gn_job *job, const char *list, const char *what, gn_error *err)
{
    return set_names(job->models, &job->nmodels, list, known_models, what, err);
}

int gn_job_set_processes(gn_job *job, const char *list, const char *what, gn_error *err)
{
    return set_names(job->processes, &job->nprocesses, list, known_processes, what, err);
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    double v = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (*end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_int(const char *s, int *out)
{
    char *end;
    errno = 0;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    long v = strtol(s, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (*end || errno || v < INT_MIN || v > INT_MAX)
        return -1;
    *out = (int)v;
    return 0;
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
        if (r < 0 || parse_double(item, &g[count]) != 0 || g[count] <= 0) {
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
    free(job->gaps);
    job->gaps = g;
    job->ngaps = count;
    return GN_OK;
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
        if (parse_double(buf[k], &v[k]) != 0)
            return gn_error_set(err, GN_EINVAL, "'%s': '%s' is not a number", spec, buf[k]);
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
    free(job->gaps);
    job->gaps = g;
    job->ngaps = n;
    return GN_OK;
}

int gn_job_add_potentials(gn_job *job, const char *list, int clear, const char *what,
                          gn_error *err)
{
    int n = clear ? 0 : job->npotentials;
    char item[GN_JOB_PATH_MAX];
    const char *s = list;
    int r, added = 0;
    while ((r = next_item(&s, item, sizeof item)) != 0) {
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

size_t gn_job_nrows(const gn_job *job)
{
    return (size_t)job->nmodels * (size_t)job->nprocesses * job->ngaps *
           (size_t)job->npotentials;
}

int gn_job_validate(const gn_job *job, gn_error *err)
{
    if (job->nmodels < 1 || job->nprocesses < 1 || job->ngaps < 1 || job->npotentials < 1)
        return gn_error_set(err, GN_EINVAL, "the job has no rows (empty model, process, gap or "
                                            "potential list)");
    for (size_t i = 0; i < job->ngaps; i++)
        if (!(job->gaps[i] > 0) || !isfinite(job->gaps[i]))
            return gn_error_set(err, GN_EINVAL, "gap %g Å is not positive", job->gaps[i]);
    if (job->images < 0 || job->images > 1000)
        return gn_error_set(err, GN_EINVAL, "images = %d: need 1..1000 (0 = default)",
                            job->images);
    if (job->fmax < 0 || job->spring < 0 || job->climb_threshold < 0 || job->max_steps < 0 ||
        !(job->perturb >= 0) || !isfinite(job->perturb) || job->refine < 0)
        return gn_error_set(err, GN_EINVAL, "negative NEB setting (fmax, spring, "
                                            "climb_threshold, max_steps, perturb or refine)");
    if (job->jobs < 0)
        return gn_error_set(err, GN_EINVAL, "jobs = %d: need >= 0 (0 = number of cores)",
                            job->jobs);
    if (!(job->temperature > 0))
        return gn_error_set(err, GN_EINVAL, "temperature %g K: need > 0", job->temperature);
    if (!job->out[0])
        return gn_error_set(err, GN_EINVAL, "empty output folder name");
    return GN_OK;
}

/* ---- INI ---------------------------------------------------------------------------------- */

typedef struct ini_ctx {
    gn_job *job;
    const char *text; /* remaining input */
    int line;         /* line being parsed (counted by the reader) */
    int failed_line;
    gn_error err;     /* first handler error, without the file:line prefix */
    int have_gaps, have_sweep, cleared_pot;
} ini_ctx;

/* inih reader over a string that counts lines, so the handler knows which line it is on. */
static char *job_ini_reader(char *str, int num, void *stream)
{
    ini_ctx *c = stream;
    if (!*c->text)
        return NULL;
    int i = 0;
    while (i < num - 1 && c->text[i] && c->text[i] != '\n') {
        str[i] = c->text[i];
        i++;
    }
    if (i < num - 1 && c->text[i] == '\n')
        str[i++] = '\n';
    str[i] = '\0';
    /* A line longer than the buffer is refused below rather than split into two lines. */
    if (i == num - 1 && c->text[i] && str[i - 1] != '\n') {
        c->line++;
        if (!c->failed_line) {
            c->failed_line = c->line;
            gn_error_set(&c->err, GN_EPARSE, "line longer than %d characters", num - 2);
        }
        while (*c->text && *c->text != '\n')
            c->text++;
        if (*c->text)
            c->text++;
        str[0] = '\n';
        str[1] = '\0';
        return str;
    }
    c->text += i;
    c->line++;
    return str;
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"1", "yes", "true", "on", NULL};
    static const char *const no[] = {"0", "no", "false", "off", NULL};
    for (int i = 0; yes[i]; i++)
        if (strcasecmp(v, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
    for (int i = 0; no[i]; i++)
        if (strcasecmp(v, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    return -1;
}

static int set_string(char *dst, size_t cap, const char *v, const char *key, gn_error *e)
{
    if (strlen(v) >= cap)
        return gn_error_set(e, GN_EINVAL, "%s: value too long", key);
    memcpy(dst, v, strlen(v) + 1);
    return GN_OK;
}

static int bad_value(gn_error *e, const char *key, const char *v, const char *expected)
{
    return gn_error_set(e, GN_EINVAL, "%s = '%s': expected %s", key, v, expected);
}

static int set_pos_int(int *dst, const char *key, const char *v, gn_error *e)
{
    if (parse_int(v, dst) != 0 || *dst < 0)
        return bad_value(e, key, v, "a non-negative integer");
    return GN_OK;
}

static int set_pos_double(double *dst, const char *key, const char *v, const char *unit,
                          gn_error *e)
{
    if (parse_double(v, dst) != 0 || *dst < 0) {
        char what[64];
        snprintf(what, sizeof what, "a non-negative number (%s)", unit);
        return bad_value(e, key, v, what);
    }
    return GN_OK;
}

static int set_choice(char *dst, const char *key, const char *v, const char *a, const char *b,
                      const char *c, gn_error *e)
{
    if (strcmp(v, a) && strcmp(v, b) && (!c || strcmp(v, c))) {
        char what[96];
        snprintf(what, sizeof what, "%s, %s%s%s", a, b, c ? " or " : "", c ? c : "");
        return bad_value(e, key, v, what);
    }
    return set_string(dst, GN_JOB_NAME_MAX, v, key, e);
}

static int table_key(ini_ctx *c, const char *key, const char *v, gn_error *e)
{
    gn_job *j = c->job;
    if (!strcmp(key, "models"))
        return gn_job_set_models(j, v, key, e);
    if (!strcmp(key, "processes"))
        return gn_job_set_processes(j, v, key, e);
    if (!strcmp(key, "gaps") || !strcmp(key, "sweep")) {
        int sweep = key[0] == 's';
        if (sweep ? c->have_gaps : c->have_sweep)
            return gn_error_set(e, GN_EINVAL, "give either gaps or sweep, not both");
        c->have_gaps |= !sweep;
        c->have_sweep |= sweep;
        return sweep ? gn_job_set_sweep(j, v, key, e) : gn_job_set_gaps(j, v, key, e);
    }
    if (!strcmp(key, "potentials") || !strcmp(key, "potential")) {
        /* The first occurrence replaces the default; repeated keys add rows. */
        int rc = gn_job_add_potentials(j, v, !c->cleared_pot, key, e);
        c->cleared_pot = 1;
        return rc;
    }
    if (!strcmp(key, "out"))
        return v[0] ? set_string(j->out, sizeof j->out, v, key, e)
                    : bad_value(e, key, v, "a folder name");
    if (!strcmp(key, "reference"))
        return set_string(j->reference, sizeof j->reference, v, key, e);
    if (!strcmp(key, "jobs"))
        return set_pos_int(&j->jobs, key, v, e);
    if (!strcmp(key, "resume"))
        return parse_bool(v, &j->resume) ? bad_value(e, key, v, "yes or no") : GN_OK;
    if (!strcmp(key, "modes"))
        return parse_bool(v, &j->modes) ? bad_value(e, key, v, "yes or no") : GN_OK;
    if (!strcmp(key, "temperature")) {
        if (parse_double(v, &j->temperature) != 0 || !(j->temperature > 0))
            return bad_value(e, key, v, "a positive temperature in K");
        return GN_OK;
    }
    return gn_error_set(e, GN_EINVAL, "unknown key '%s' in [table]", key);
}

static int neb_key(ini_ctx *c, const char *key, const char *v, gn_error *e)
{
    gn_job *j = c->job;
    if (!strcmp(key, "images")) {
        if (parse_int(v, &j->images) != 0 || j->images < 1 || j->images > 1000)
            return bad_value(e, key, v, "an integer from 1 to 1000");
        return GN_OK;
    }
    if (!strcmp(key, "fmax"))
        return set_pos_double(&j->fmax, key, v, "eV/Å", e);
    if (!strcmp(key, "max_steps"))
        return set_pos_int(&j->max_steps, key, v, e);
    if (!strcmp(key, "spring"))
        return set_pos_double(&j->spring, key, v, "eV/Å^2", e);
    if (!strcmp(key, "climb"))
        return parse_bool(v, &j->climb) ? bad_value(e, key, v, "yes or no") : GN_OK;
    if (!strcmp(key, "climb_threshold"))
        return set_pos_double(&j->climb_threshold, key, v, "eV/Å", e);
    if (!strcmp(key, "interpolation"))
        return set_choice(j->interpolation, key, v, "idpp", "linear", NULL, e);
    if (!strcmp(key, "perturb"))
        return set_pos_double(&j->perturb, key, v, "Å", e);
    if (!strcmp(key, "refine"))
        return set_pos_int(&j->refine, key, v, e);
    return gn_error_set(e, GN_EINVAL, "unknown key '%s' in [neb]", key);
}

static int model_key(ini_ctx *c, const char *key, const char *v, gn_error *e)
{
    gn_job *j = c->job;
    if (!strcmp(key, "s2s_size"))
        return set_pos_int(&j->s2s_size, key, v, e);
    if (!strcmp(key, "s2s_layers"))
        return set_pos_int(&j->s2s_layers, key, v, e);
    if (!strcmp(key, "s2s_registry"))
        return set_choice(j->s2s_registry, key, v, "hollow", "top", "bridge", e);
    if (!strcmp(key, "e2e_length"))
        return set_pos_int(&j->e2e_length, key, v, e);
    if (!strcmp(key, "e2e_radius"))
        return set_pos_double(&j->e2e_radius, key, v, "Å", e);
    if (!strcmp(key, "e2e_registry"))
        return set_choice(j->e2e_registry, key, v, "aligned", "staggered", NULL, e);
    return gn_error_set(e, GN_EINVAL, "unknown key '%s' in [model]", key);
}

static int job_ini_handler(void *user, const char *section, const char *name, const char *value)
{
    ini_ctx *c = user;
    if (c->failed_line)
        return 1; /* report only the first error */
    gn_error e;
    gn_error_clear(&e);
    int rc;
    if (!name)
        rc = GN_OK; /* a section header alone (inih calls with name NULL when configured so) */
    else if (!strcmp(section, "table"))
        rc = table_key(c, name, value, &e);
    else if (!strcmp(section, "neb"))
        rc = neb_key(c, name, value, &e);
    else if (!strcmp(section, "model"))
        rc = model_key(c, name, value, &e);
    else if (!section[0])
        rc = gn_error_set(&e, GN_EINVAL, "key '%s' outside a section ([table], [neb] or "
                                         "[model])", name);
    else
        rc = gn_error_set(&e, GN_EINVAL, "unknown section [%s] (expected [table], [neb] or "
                                         "[model])", section);
    if (rc != GN_OK) {
        c->failed_line = c->line;
        c->err = e;
        return 0;
    }
    return 1;
}

int gn_job_load_ini_string(gn_job *job, const char *text, const char *name, gn_error *err)
{
    ini_ctx c = {.job = job, .text = text};
    gn_error_clear(&c.err);
    int r = ini_parse_stream(job_ini_reader, &c, job_ini_handler, &c);
    if (r < 0)
        return gn_error_set(err, GN_ENOMEM, "%s: out of memory while parsing", name);
    if (c.failed_line && (r == 0 || c.failed_line <= r))
        return gn_error_set(err, GN_EPARSE, "%s:%d: %s", name, c.failed_line, c.err.msg);
    if (r > 0)
        return gn_error_set(err, GN_EPARSE, "%s:%d: syntax error (expected '[section]' or "
                                            "'key = value')", name, r);
    return GN_OK;
}

int gn_job_load_ini(gn_job *job, const char *path, gn_error *err)
{
    char *text;
    int rc = gn_file_read_all(path, &text, NULL, err);
    if (rc != GN_OK)
        return rc;
    rc = gn_job_load_ini_string(job, text, path, err);
    free(text);
    return rc;
}
