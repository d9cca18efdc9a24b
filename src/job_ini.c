/* gapneb: INI job files (inih), read through the settings table (settings.h): every section and
 * key is a setting, with the same parsing and ranges as the command-line options. Errors name the
 * file and line. Units: as the settings table states. */
#include "gapneb/job.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "gapneb/fileio.h"
#include "gapneb/settings.h"

#define MAX_SECTIONS 16

typedef struct ini_ctx {
    gn_job *job;
    const char *text;  /* remaining input */
    int line;          /* line being parsed (counted by the reader) */
    int failed_line;
    gn_error err;      /* first error, without the file:line prefix */
    gn_settings_seen seen;
    char sections[MAX_SECTIONS][32];
    int nsections;
} ini_ctx;

static void fail(ini_ctx *c, gn_error *e)
{
    if (!c->failed_line) {
        c->failed_line = c->line;
        c->err = *e;
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
