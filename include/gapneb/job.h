/* gapneb: a table job: the list of (model, process, gap, potential) rows to compute and the
 * settings they share, from command-line values or an INI job file.
 *
 * Every setting (its INI key, option, type, range, unit, default and help) is declared once, in
 * the settings table (settings.h); gn_job_init (settings.h) fills a job with the table's defaults, so every
 * field holds a real value (there is no "0 means default"). The INI format, generated from that
 * table, is printed by `gapneb run --help` and the man page.
 *
 * Units: gaps Å, forces eV/Å, spring constants eV/Å^2, temperatures K.
 * Thread safety: a job is plain data; functions write only the job passed in.
 */
#ifndef GAPNEB_JOB_H
#define GAPNEB_JOB_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GN_JOB_MAX_LIST 8       /* models, processes */
#define GN_JOB_MAX_POT 16       /* potentials in one job */
#define GN_JOB_MAX_GAPS 10000   /* gaps in one job */
#define GN_JOB_NAME_MAX 16
#define GN_JOB_PATH_MAX 1024
#define GN_JOB_MAX_PROCESSES 32          /* processes of one job: built-in and custom */
#define GN_JOB_MAX_CUSTOM GN_PROCESS_CUSTOM_MAX
#define GN_JOB_MAX_ADATOMS 16            /* adatoms of a custom process */
#define GN_PROCESS_NAME_MAX 32
#define GN_SITE_NAME_MAX 16              /* as gn_site.name */

/* A custom process ([process NAME] section of a job file, or --process NAME=INITIAL->FINAL):
 * adatom k moves from initial[k] to final[k]; an adatom whose two sites are the same is a
 * spectator. */
typedef struct gn_job_process {
    char name[GN_PROCESS_NAME_MAX];
    int nadatoms;
    char initial[GN_JOB_MAX_ADATOMS][GN_SITE_NAME_MAX];
    char final[GN_JOB_MAX_ADATOMS][GN_SITE_NAME_MAX];
} gn_job_process;

typedef struct gn_job {
    /* the rows: models x processes x gaps x potentials */
    gn_model_kind models[GN_JOB_MAX_LIST];
    int nmodels;
    gn_process processes[GN_JOB_MAX_PROCESSES];
    int nprocesses;
    gn_job_process custom[GN_JOB_MAX_CUSTOM]; /* defined custom processes (job_process.c) */
    int ncustom;
    int all_processes; /* the list was "all": every process, each model those it defines */
    double *gaps; /* Å, owned */
    size_t ngaps;
    char potentials[GN_JOB_MAX_POT][GN_JOB_PATH_MAX];
    int npotentials;

    /* [table] */
    char out[GN_JOB_PATH_MAX];
    char reference[GN_JOB_PATH_MAX]; /* "" = none */
    int jobs;                        /* threads; 0 = number of cores */
    int resume;
    int modes;
    double temperature;              /* K */
    int figures;
    double gap_max;                  /* Å, largest gap accepted */
    char gap_axis[GN_JOB_NAME_MAX];  /* figures: "nominal" or "relaxed" gap on the x axis */
    char modes_hessian[GN_JOB_NAME_MAX]; /* "partial" or "full" (modes.h) */
    int search;                      /* dimer searches from each row's initial state; 0 = off */

    /* [neb] */
    int images;
    double fmax;             /* eV/Å */
    int max_steps;
    double spring;           /* eV/Å^2 */
    int climb;
    double climb_threshold;  /* eV/Å */
    char interpolation[GN_JOB_NAME_MAX];
    double perturb;          /* Å, 0 = none */
    int refine;              /* saddle refinement rounds, 0 = off */
    double refine_step;      /* Å */
    double endpoint_fmax;    /* eV/Å */
    int split;               /* split paths at intermediate minima (steps.h) */
    double split_tol;        /* eV, depth of a profile minimum that counts */
    int split_depth;         /* levels of splitting */
    int saddle_order;        /* count the negative modes of every climbing image */
    char optimizer[GN_JOB_NAME_MAX]; /* "lbfgs" or "fire" (gn_minimizer_parse) */
    int threads;             /* threads of each force call (large models) */

    /* [model] */
    int s2s_size, s2s_layers;
    char s2s_registry[GN_JOB_NAME_MAX];
    int e2e_length;
    double e2e_radius; /* Å */
    char e2e_registry[GN_JOB_NAME_MAX];
    char element[GN_JOB_NAME_MAX];   /* "" = Pt, or the potential's only element */
    double a0;                       /* Å, lattice constant; 0 = the potential's equilibrium */

    char nc_facing[GN_JOB_NAME_MAX];   /* "facet" or "edge" */
    char nc_shape[GN_JOB_NAME_MAX];    /* "octahedron" or "wulff" */
    double nc_diameter;                /* Å */
    int nc_atoms;                      /* 0 = by diameter */
    double nc_fix_shell;               /* Å */
    char nc_registry[GN_JOB_NAME_MAX]; /* "auto": hollow facing a facet, aligned an edge */
    /* [engine]: external force engines (ipi.h), for potentials ipi:... */
    char engine_command[GN_JOB_PATH_MAX]; /* "" = the user starts the clients */
    int engine_count;
    double engine_timeout;           /* s */
    double engine_vacuum;            /* Å */
} gn_job;

/* A job is made with gn_job_init (settings.h: every setting at the default of the settings
 * table, i.e. the default table) and released here. */
void gn_job_clear(gn_job *job);

/* Comma-separated lists. Each replaces the previous content of its list, except potentials,
 * which are added after clearing the list only when clear is set. what names the option or key
 * in messages ("--models"). Duplicates are refused (they would make duplicate rows). Processes
 * "all" is every process (gn_process); each model computes the listed processes it defines
 * (gn_model_has_process) and skips the others. */
int gn_job_set_models(gn_job *job, const char *list, const char *what, gn_error *err);
int gn_job_set_processes(gn_job *job, const char *list, const char *what, gn_error *err);
int gn_job_set_gaps(gn_job *job, const char *list, const char *what, gn_error *err);
int gn_job_set_sweep(gn_job *job, const char *spec, const char *what, gn_error *err);
int gn_job_add_potentials(gn_job *job, const char *list, int clear, const char *what,
                          gn_error *err);

/* ---- custom processes (job_process.c) ----
 * Defining a custom process appends it to the job's process list; a later processes list (key
 * or option) replaces that list and must name it to compute it (gn_job_validate refuses a
 * defined process that is not computed, so a [process] section is never ignored silently).
 * Names: letters, digits, '-', '_', '.'; not a built-in process name; each defined once.
 * initial and final are comma-separated site lists of equal length (1..GN_JOB_MAX_ADATOMS, no
 * site twice in one list); the sites are checked against the model when a row is built. */
int gn_job_define_process(gn_job *job, const char *name, const char *initial,
                          const char *final, const char *what, gn_error *err);
/* The command-line form "NAME=SITE,SITE->SITE,SITE" (blanks allowed around the parts). */
int gn_job_define_process_spec(gn_job *job, const char *spec, const char *what, gn_error *err);
/* A built-in or custom process by name: GN_OK, or GN_EINVAL naming the valid names. */
int gn_job_find_process(const gn_job *job, const char *name, gn_process *out, gn_error *err);
/* The name of process p in this job (custom: its own name; unknown: "unknown"). */
const char *gn_job_process_name(const gn_job *job, gn_process p);
/* The definition of a custom process of this job, NULL for a built-in or unknown one. */
const gn_job_process *gn_job_custom_process(const gn_job *job, gn_process p);
/* "A100:0,A100:1->A100:2,A100:1" (the spec form without the name). */
void gn_job_process_format(const gn_job_process *c, char *buf, size_t cap);

/* Parses START:STOP:STEP (Å) into a new array: START, START+STEP, ... up to STOP inclusive
 * within 1e-6 of STEP. STEP > 0, STOP >= START. */
int gn_parse_sweep(const char *spec, double **gaps, size_t *n, gn_error *err);

/* Reads an INI job file over a job already set up (normally by gn_job_init). Unknown sections
 * and keys, repeated keys (except potential/potentials), bad values and values out of range are
 * errors naming the file and line. */
int gn_job_load_ini(gn_job *job, const char *path, gn_error *err);
/* The same from text in memory; name is used in messages as the file name. */
int gn_job_load_ini_string(gn_job *job, const char *text, const char *name, gn_error *err);

/* Checks the job as a whole: non-empty lists, every listed process defined by some listed model,
 * every gap in (0, gap_max], every defined custom process in the process list. */
int gn_job_validate(const gn_job *job, gn_error *err);

/* Gaps a model is computed at: the job's gaps for s2s and e2e; one (gap inf) for the terraces
 * pt100 and pt111. */
size_t gn_job_model_gaps(const gn_job *job, gn_model_kind model);

/* Number of rows: for each model, the listed processes it defines x its gaps x potentials. */
size_t gn_job_nrows(const gn_job *job);

#ifdef __cplusplus
}
#endif
#endif
