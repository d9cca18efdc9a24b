/* gapneb: a table job, the list of (model, process, gap, potential) rows to compute and the
 * settings they share; read from command-line values or from an INI job file (inih).
 *
 * Units: gaps in Å, forces in eV/Å, spring constants in eV/Å^2, temperatures in K.
 *
 * INI job file (every key optional; unknown sections, unknown keys and bad values are errors that
 * name the file and line):
 *
 *   [table]
 *   models      = s2s, e2e          ; any of s2s, e2e
 *   processes   = hop, transfer     ; any of hop, transfer
 *   gaps        = 5, 5.8, 8         ; Å, or instead:
 *   sweep       = 4:10:0.25         ; START:STOP:STEP in Å, STOP included within rounding
 *   potentials  = eam-pt            ; names or EAM files; the key may also be repeated
 *   out         = gapneb-out        ; output folder (relative to the working directory)
 *   jobs        = 0                 ; worker threads, 0 = number of cores
 *   resume      = no                ; yes/no, true/false, 1/0
 *   reference   = FILE.csv          ; published barriers to compare with
 *   modes       = no                ; saddle check and harmonic rates per row
 *   temperature = 300               ; K, for the rates
 *   [neb]
 *   images = 7   fmax = 0.01   max_steps = 2000   spring = 5   climb = yes
 *   climb_threshold = 0.5   interpolation = idpp|linear
 *   perturb = 0         ; Å, random symmetry breaking of the starting band (gn_band_perturb)
 *   refine = 3          ; saddle refinement rounds (gn_neb_opts.refine), 0 = off
 *   [model]
 *   s2s_size = 4   s2s_layers = 4   s2s_registry = hollow|top|bridge
 *   e2e_length = 4   e2e_radius = 12   e2e_registry = aligned|staggered
 *
 * Values 0 or "" in a gn_job mean "the library default" for that setting.
 */
#ifndef GAPNEB_JOB_H
#define GAPNEB_JOB_H

#include <stddef.h>
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GN_JOB_MAX_LIST 8       /* models, processes */
#define GN_JOB_MAX_POT 16       /* potentials in one job */
#define GN_JOB_MAX_GAPS 10000   /* gaps in one job */
#define GN_JOB_NAME_MAX 16
#define GN_JOB_PATH_MAX 1024

/* Default symmetry breaking of table bands: random push amplitude in Å (gn_band_perturb in
 * neb.h) and saddle refinement rounds (gn_neb_opts.refine); chosen by measurement, see neb.h. */
#define GN_JOB_PERTURB_DEFAULT 0.0
#define GN_JOB_REFINE_DEFAULT 3

typedef struct gn_job {
    char models[GN_JOB_MAX_LIST][GN_JOB_NAME_MAX];
    int nmodels;
    char processes[GN_JOB_MAX_LIST][GN_JOB_NAME_MAX];
    int nprocesses;
    double *gaps; /* Å, owned */
    size_t ngaps;
    char potentials[GN_JOB_MAX_POT][GN_JOB_PATH_MAX];
    int npotentials;
    char out[GN_JOB_PATH_MAX];
    char reference[GN_JOB_PATH_MAX]; /* "" = none */
    int jobs;                        /* threads; 0 = number of cores */
    int resume;
    int modes;
    double temperature; /* K */

    /* NEB settings (0 = default of the NEB module) */
    int images;
    double fmax;             /* eV/Å */
    int max_steps;
    double spring;           /* eV/Å^2 */
    int climb;               /* 1 on (default), 0 off */
    double climb_threshold;  /* eV/Å */
    char interpolation[GN_JOB_NAME_MAX]; /* "idpp", "linear", "" = default */
    double perturb;          /* Å, 0 = none; gn_job_init sets GN_JOB_PERTURB_DEFAULT (unlike
                                the other NEB settings, 0 is a value here, not "default") */
    int refine;              /* saddle refinement rounds, 0 = off; gn_job_init sets
                                GN_JOB_REFINE_DEFAULT (0 is a value here too) */

    /* model settings (0 / "" = default of the model module) */
    int s2s_size, s2s_layers;
    char s2s_registry[GN_JOB_NAME_MAX];
    int e2e_length;
    double e2e_radius; /* Å */
    char e2e_registry[GN_JOB_NAME_MAX];
} gn_job;

/* The default table: s2s, e2e x hop, transfer x 5, 5.8, 8 Å x eam-pt, out gapneb-out, jobs 0,
 * temperature 300 K, perturb GN_JOB_PERTURB_DEFAULT, refine GN_JOB_REFINE_DEFAULT. */
int gn_job_init(gn_job *job, gn_error *err);
void gn_job_clear(gn_job *job);

/* Comma-separated lists. Each replaces the previous content of its list. what names the option or
 * key in messages ("--models"). */
int gn_job_set_models(gn_job *job, const char *list, const char *what, gn_error *err);
int gn_job_set_processes(gn_job *job, const char *list, const char *what, gn_error *err);
int gn_job_set_gaps(gn_job *job, const char *list, const char *what, gn_error *err);
int gn_job_set_sweep(gn_job *job, const char *spec, const char *what, gn_error *err);
/* Adds potentials (a comma list) after clearing them if clear is set. */
int gn_job_add_potentials(gn_job *job, const char *list, int clear, const char *what,
                          gn_error *err);

/* Parses START:STOP:STEP (Å) into a new array: START, START+STEP, ... up to STOP inclusive
 * within 1e-6 of STEP. STEP > 0, STOP >= START. */
int gn_parse_sweep(const char *spec, double **gaps, size_t *n, gn_error *err);

/* Reads an INI job file over a job already set up (normally by gn_job_init). */
int gn_job_load_ini(gn_job *job, const char *path, gn_error *err);
/* The same from text in memory; name is used in messages as the file name. */
int gn_job_load_ini_string(gn_job *job, const char *text, const char *name, gn_error *err);

/* Checks the job as a whole (non-empty lists, positive gaps, sane NEB values). */
int gn_job_validate(const gn_job *job, gn_error *err);

/* Number of rows: models x processes x gaps x potentials. */
size_t gn_job_nrows(const gn_job *job);

#ifdef __cplusplus
}
#endif
#endif
