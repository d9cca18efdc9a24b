/* gapneb: INI job files (inih), read through the settings table (settings.h): every key of
 * [table], [neb] and [model] is a setting, with the same parsing and ranges as the command-line
 * options. [process NAME] sections (repeatable, one per custom process, keys initial and final)
 * define custom processes (job.h); they are read in a first pass, so that the process list may
 * name them wherever it appears in the file. Errors name the file and line.
 * Units: as the settings table states. */
#include "gapneb/job.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "gapneb/fileio.h"
#include "gapneb/settings.h"

#define MAX_SECTIONS (16 + GN_JOB_MAX_CUSTOM)
#define PROC_VALUE_MAX 512

/* A [process NAME] section as read. */
typedef struct ini_proc {
    char name[64];
    char initial[PROC_VALUE_MAX], final[PROC_VALUE_MAX];
    int line; /* of the section header */
} ini_proc;

typedef struct ini_ctx {
    gn_job *job;
    const char *text;  /* remaining input */
    int line;          /* line being parsed (counted by the reader) */
    int failed_line;
    gn_error err;      /* first error, without the file:line prefix */
    gn_settings_seen seen;
    char sections[MAX_SECTIONS][64];
    int nsections;
    int pass;          /* 1: [process NAME] sections only; 2: the settings */
    ini_proc procs[GN_JOB_MAX_CUSTOM];
    int nprocs;
} ini_ctx;

static void fail(ini_ctx *c, gn_error *e)
{
    if (!c->failed_line) {
        c->failed_line = c->line;
        c->err = *e;
    }
}

/* NAME of a "process NAME" section, or NULL for another section. */
static const char *process_section(const char *section)
{
    while (isspace((unsigned char)*section))
        section++;
    if (strncmp(section, "process", 7) || !isspace((unsigned char)section[7]))
        return NULL;
    section += 7;
    while (isspace((unsigned char)*section))
        section++;
    return section;
}

static ini_proc *find_proc(ini_ctx *c, const char *section)
{
    for (int i = 0; i < c->nprocs; i++)
        if (!strcmp(c->procs[i].name, section))
            return &c->procs[i];
    return NULL;
}

/* Pass 1: a [process NAME] header starts a definition (even an empty section, which is then
 * refused for its missing keys rather than ignored). */
static void register_process(ini_ctx *c, const char *section)
{
    if (!process_section(section))
        return;
    gn_error e;
    if (c->nprocs == GN_JOB_MAX_CUSTOM) {
        gn_error_set(&e, GN_EINVAL, "more than %d [process] sections", GN_JOB_MAX_CUSTOM);
        fail(c, &e);
        return;
    }
    ini_proc *p = &c->procs[c->nprocs++];
    memset(p, 0, sizeof *p);
    size_t len = strlen(section); /* fits: both hold a section name of the same size */
    memcpy(p->name, section, len + 1);
    p->line = c->line;
}

/* Pass 1: the keys of a [process NAME] section. */
static void process_key(ini_ctx *c, const char *section, const char *name, const char *value)
{
    gn_error e;
    ini_proc *p = find_proc(c, section);
    char *dst = !p ? NULL : !strcmp(name, "initial") ? p->initial
                          : !strcmp(name, "final")   ? p->final : NULL;
    if (!p)
        gn_error_set(&e, GN_EINVAL, "section [%s] not registered", section);
    else if (!dst)
        gn_error_set(&e, GN_EINVAL, "unknown key '%s' in [%s] (expected initial and final)",
                     name, section);
    else if (dst[0])
        gn_error_set(&e, GN_EINVAL, "%s is given twice", name);
    else if (!value[0] || strlen(value) >= PROC_VALUE_MAX)
        gn_error_set(&e, GN_EINVAL, "%s: expected a list of up to %d site names", name,
                     GN_JOB_MAX_ADATOMS);
    else {
        snprintf(dst, PROC_VALUE_MAX, "%s", value);
        return;
    }
    fail(c, &e);
}

/* After pass 1: the definitions, in file order. */
static void define_processes(ini_ctx *c)
{
    for (int i = 0; i < c->nprocs && !c->failed_line; i++) {
        ini_proc *p = &c->procs[i];
        gn_error e;
        gn_error_clear(&e);
        char what[96];
        snprintf(what, sizeof what, "[%.80s]", p->name);
        if (!p->initial[0] || !p->final[0])
            gn_error_set(&e, GN_EINVAL, "%s: needs both initial = SITE, ... and final = "
                         "SITE, ...", what);
        else
            gn_job_define_process(c->job, process_section(p->name), p->initial, p->final, what,
                                  &e);
        if (e.code != GN_OK) {
            c->line = p->line;
            fail(c, &e);
        }
    }
}

/* A section header seen twice would silently merge two blocks of settings: refused. */
static void check_section_line(ini_ctx *c, const char *line)
{
    while (isspace((unsigned char)*line))
        line++;
    const char *end = *line == '[' ? strchr(line, ']') : NULL;
    if (!end)
        return;
    size_t len = (size_t)(end - line - 1);
    gn_error e;
    for (int i = 0; i < c->nsections; i++)
        if (strlen(c->sections[i]) == len && !strncmp(c->sections[i], line + 1, len)) {
            gn_error_set(&e, GN_EPARSE, "section [%s] appears twice", c->sections[i]);
            fail(c, &e);
            return;
        }
    if (c->nsections < MAX_SECTIONS && len < sizeof c->sections[0]) {
        memcpy(c->sections[c->nsections], line + 1, len);
        c->sections[c->nsections++][len] = '\0';
        if (c->pass == 1)
            register_process(c, c->sections[c->nsections - 1]);
    }
}

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
    c->line++;
    /* A line longer than the buffer is refused rather than split into two lines. */
    if (i == num - 1 && c->text[i] && str[i - 1] != '\n') {
        gn_error e;
        gn_error_set(&e, GN_EPARSE, "line longer than %d characters", num - 2);
        fail(c, &e);
        while (*c->text && *c->text != '\n')
            c->text++;
        if (*c->text)
            c->text++;
        str[0] = '\n';
        str[1] = '\0';
        return str;
    }
    c->text += i;
    check_section_line(c, str);
    return str;
}

static int job_ini_handler(void *user, const char *section, const char *name, const char *value)
{
    ini_ctx *c = user;
    if (c->failed_line)
        return 1; /* report only the first error */
    if (!name)
        return 1; /* a section header alone (inih calls so when built to) */
    int proc = process_section(section) != NULL;
    if (c->pass == 1 || proc) {
        if (c->pass == 1 && proc)
            process_key(c, section, name, value);
        return !c->failed_line;
    }
    gn_error e;
    gn_error_clear(&e);
    const gn_setting *s = gn_setting_by_key(section, name);
    if (!section[0])
        gn_error_set(&e, GN_EINVAL, "key '%s' outside a section (%s)", name,
                     gn_settings_sections_text());
    else if (!s && !gn_settings_has_section(section))
        gn_error_set(&e, GN_EINVAL, "unknown section [%s] (expected %s)", section,
                     gn_settings_sections_text());
    else if (!s)
        gn_error_set(&e, GN_EINVAL, "unknown key '%s' in [%s]", name, section);
    else
        gn_setting_apply(s, c->job, value, name, &c->seen, &e);
    if (e.code != GN_OK) {
        fail(c, &e);
        return 0;
    }
    return 1;
}

/* One pass over the text; inih's status (0, the first bad line, or < 0). */
static int parse_pass(ini_ctx *c, const char *text, int pass)
{
    c->text = text;
    c->line = 0;
    c->nsections = 0;
    c->pass = pass;
    return ini_parse_stream(job_ini_reader, c, job_ini_handler, c);
}

static int finish(const ini_ctx *c, int r, const char *name, gn_error *err)
{
    if (r < 0)
        return gn_error_set(err, GN_ENOMEM, "%s: out of memory while parsing", name);
    if (c->failed_line && (r == 0 || c->failed_line <= r))
        return gn_error_set(err, GN_EPARSE, "%s:%d: %s", name, c->failed_line, c->err.msg);
    if (r > 0)
        return gn_error_set(err, GN_EPARSE, "%s:%d: syntax error (expected '[section]' or "
                                            "'key = value')", name, r);
    return GN_OK;
}

int gn_job_load_ini_string(gn_job *job, const char *text, const char *name, gn_error *err)
{
    ini_ctx *c = calloc(1, sizeof *c); /* about 20 kB of process definitions: not the stack */
    if (!c)
        return gn_error_set(err, GN_ENOMEM, "%s: out of memory while parsing", name);
    c->job = job;
    gn_error_clear(&c->err);
    int r = parse_pass(c, text, 1);
    if (r == 0 && !c->failed_line)
        define_processes(c);
    if (r == 0 && !c->failed_line)
        r = parse_pass(c, text, 2);
    int rc = finish(c, r, name, err);
    free(c);
    return rc;
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
