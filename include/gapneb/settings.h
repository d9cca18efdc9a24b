/* gapneb: the settings of a table job, declared once.
 *
 * Each setting is one entry of a table: INI section and key, long option of `gapneb table` and
 * `gapneb run`, type, offset into gn_job, range, unit, default and help text. Everything else is
 * derived from that table: the defaults of gn_job_init, the INI reader, the command-line options,
 * the help texts (defaults printed from the table), the man page section and the settings hash
 * that `--resume` compares. A value the command line refuses, the INI reader refuses with the same
 * message (and file:line).
 *
 * Units: as each entry states (Å, eV/Å, eV/Å^2, K).
 * Thread safety: the table is constant; functions that write only write the job passed in.
 */
#ifndef GAPNEB_SETTINGS_H
#define GAPNEB_SETTINGS_H

#include <stddef.h>
#include <stdio.h>
#include "gapneb/error.h"
#include "gapneb/job.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gn_setting_type {
    GN_SETTING_INT,    /* int field */
    GN_SETTING_DOUBLE, /* double field */
    GN_SETTING_BOOL,   /* int field, 0/1; INI yes/no, true/false, on/off, 1/0; option --X/--no-X */
    GN_SETTING_STRING, /* char[size] field */
    GN_SETTING_CHOICE, /* char[size] field, one of choices ("idpp|linear") */
    GN_SETTING_LIST    /* a list parsed by the entry's own setter (models, gaps, potentials...) */
} gn_setting_type;

enum {
    GN_SETTING_NOHASH = 1 << 0,  /* does not change a row's result (out, jobs, resume...) */
    GN_SETTING_ROW = 1 << 1,     /* defines the rows (models, processes, gaps, potentials): a
                                    row's own value enters its key, not the job's list */
    GN_SETTING_REPEAT = 1 << 2,  /* the INI key may be repeated, each adds to the list */
    GN_SETTING_MIN_OPEN = 1 << 3 /* the range excludes min (value > min, not >= min) */
};

typedef struct gn_setting {
    const char *section;  /* INI section: "table", "neb", "model" or "engine" */
    const char *key;      /* INI key */
    const char *option;   /* long option without "--" */
    const char *alias;    /* an older option spelling, still accepted (or NULL) */
    gn_setting_type type;
    size_t offset;        /* offsetof(gn_job, field); LIST: unused */
    size_t size;          /* STRING/CHOICE: buffer size */
    double min, max;      /* INT/DOUBLE range (min open with GN_SETTING_MIN_OPEN) */
    const char *unit;     /* "Å", "eV/Å", ... or "" */
    const char *def;      /* default, as text that the parser reads like user input */
    const char *choices;  /* CHOICE: "a|b|c" */
    int (*set)(gn_job *job, const char *value, int first, const char *what, gn_error *err);
                          /* LIST: parses value into the job; first: the first time this key or
                             option is given (a repeated key adds instead of replacing) */
    const char *conflicts;/* key of a setting that may not be given together with this one */
    const char *arg;      /* argument name in help texts ("LIST", "F"); NULL for BOOL */
    const char *help;     /* one sentence; the unit and default are appended by the help */
    unsigned flags;
} gn_setting;

/* The table, in help order, and its length. */
const gn_setting *gn_settings(size_t *n);

/* 1 if some setting belongs to INI section `section`; the sections in words, for messages. */
int gn_settings_has_section(const char *section);
const char *gn_settings_sections_text(void);

/* Lookups (NULL when absent): by section and key, by long option (or its alias). */
const gn_setting *gn_setting_by_key(const char *section, const char *key);
const gn_setting *gn_setting_by_option(const char *option);

/* Settings given so far by one reader (command line or INI file): repeated keys and conflicting
 * settings are detected with it. Zero-initialise before the first gn_setting_apply. */
typedef struct gn_settings_seen {
    unsigned char given[64];
} gn_settings_seen;

/* Parses value into job for setting s, with the range checks of the table. what names the
 * source in messages ("--fmax", "fmax"). A second value for a non-repeatable setting, or a
 * setting that conflicts with one already given, is refused. */
int gn_setting_apply(const gn_setting *s, gn_job *job, const char *value, const char *what,
                     gn_settings_seen *seen, gn_error *err);

/* A job with every setting at its default: the default table. Release with gn_job_clear. */
int gn_job_init(gn_job *job, gn_error *err);

/* Sets every setting of job to its default (gn_job_init calls this). */
int gn_settings_defaults(gn_job *job, gn_error *err);

/* The current value of s in job as text (the form the parser reads back); for a LIST the list
 * (models, processes, gaps with 17 digits, potentials), "" for sweep (its gaps are the gaps). */
void gn_setting_format(const gn_setting *s, const gn_job *job, char *buf, size_t cap);

/* FNV-1a hash of every setting that can change a row's result (not NOHASH, not ROW), in table
 * order, each as "section.key=value;". Combined with a row's own model, process, gap and
 * potential it gives the row's settings key. */
unsigned long long gn_settings_hash(const gn_job *job);

/* Help text of the options (`gapneb table --help`) or of the INI sections and keys
 * (`gapneb run --help`), with units and defaults from the table. */
void gn_settings_print_options(FILE *fp);
void gn_settings_print_ini(FILE *fp);
/* The whole job as an INI file that gn_job_load_ini reads back to the same job: every setting
 * with its current value (lists included; sweep is written as its gaps). */
void gn_settings_write_ini(FILE *fp, const gn_job *job);

/* The settings section of the man page (troff). */
void gn_settings_print_man(FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
