/* gapneb command line: shared conventions for every subcommand.
 *
 * Results go to stdout or files; progress and diagnostics to stderr. Exit status: 0 all converged,
 * 1 some rows failed or did not converge (the rest are written), 2 bad usage or bad input,
 * 3 I/O failure. Units: Å, eV, eV/Å, amu, fs, K.
 */
#ifndef GAPNEB_CLI_H
#define GAPNEB_CLI_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include "gapneb/error.h"
#include "gapneb/ipi.h"
#include "gapneb/potential.h"

enum { GN_EXIT_OK = 0, GN_EXIT_FAIL = 1, GN_EXIT_USAGE = 2, GN_EXIT_IO = 3 };

typedef struct gn_cli {
    const char *prog;   /* "gapneb" */
    int verbosity;      /* 0 quiet, 1 normal, 2 verbose */
} gn_cli;

/* Options every subcommand accepts; returns 1 if opt was one of them. */
#define GN_CLI_COMMON_LONGOPTS \
    {"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'}, \
    {"help", no_argument, NULL, 'h'}
int gn_cli_common_opt(gn_cli *cli, int opt);

/* Exit status for a library status code. */
int gn_cli_exit_code(int status);

/* Prints "gapneb: error: <message>" on stderr and returns the exit status for e->code. */
int gn_cli_fail(const gn_cli *cli, const gn_error *e);

/* Prints "gapneb SUB: <message>" (a usage error) on stderr, a hint to --help, returns 2. */
int gn_cli_usage_error(const gn_cli *cli, const char *sub, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Progress on stderr, shown when cli->verbosity >= level (1 normal, 2 verbose). */
void gn_cli_log(const gn_cli *cli, int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Number parsing for option values (numparse.h): the whole string must be a finite number.
 * Returns 0 or -1. */
int gn_cli_parse_double(const char *s, double *out);
int gn_cli_parse_int(const char *s, int *out);

/* The options of `table` and `run`, from the settings table (settings.h). */
struct option;
struct gn_setting;
struct gn_job;
typedef struct gn_cli_setting_arg {
    const struct gn_setting *setting; /* NULL: one of the extra options (opt) */
    const char *value;                /* the option's argument ("yes"/"no" for --X/--no-X) */
    const char *name;                 /* the option as given, without "--" */
    int opt;                          /* extra options: their getopt value */
} gn_cli_setting_arg;

/* Parses argv (getopt_long; positional arguments are left from optind on): every setting's
 * option, the extra options given and -q/-v/-h. out (room for argc entries) receives the options
 * in order; *help is set for -h/--help. Returns 0 or the exit status of a usage error. */
int gn_cli_settings_parse(gn_cli *cli, const char *sub, int argc, char **argv,
                          const struct option *extra, size_t nextra, gn_cli_setting_arg *out,
                          size_t *nout, int *help);

/* Applies the setting options of args to job, in order; 0 or the exit status of a usage error
 * (the message names the option and says what is wrong, as the INI reader does). */
int gn_cli_settings_apply(gn_cli *cli, const char *sub, const gn_cli_setting_arg *args, size_t n,
                          struct gn_job *job);

/* External force engines (ipi.h) for the subcommands that take --potential: the --engine-*
 * options, the potential, and clean ends on SIGINT/SIGTERM/SIGHUP (the library installs no
 * signal handlers: a thread of the command line waits for the signals and shuts the engine
 * down, which sends EXIT to the clients and removes the socket file). */
enum {
    GN_OPT_ENGINE_COMMAND = 3000,
    GN_OPT_ENGINE_COUNT,
    GN_OPT_ENGINE_TIMEOUT,
    GN_OPT_ENGINE_VACUUM
};
#define GN_CLI_ENGINE_LONGOPTS \
    {"engine-command", required_argument, NULL, GN_OPT_ENGINE_COMMAND}, \
    {"engine-count", required_argument, NULL, GN_OPT_ENGINE_COUNT}, \
    {"engine-timeout", required_argument, NULL, GN_OPT_ENGINE_TIMEOUT}, \
    {"engine-vacuum", required_argument, NULL, GN_OPT_ENGINE_VACUUM}
/* Help lines of the engine options and of the engine specs of --potential. */
extern const char gn_cli_engine_help[];
#define GN_CLI_POTENTIAL_ENGINE_HELP_AT(INDENT) \
    INDENT "or an external engine: ipi:unix:NAME (socket /tmp/ipi_NAME)\n" \
    INDENT "or ipi:inet:[HOST:]PORT (TCP), see the engine options\n"
#define GN_CLI_POTENTIAL_ENGINE_HELP GN_CLI_POTENTIAL_ENGINE_HELP_AT("                             ")

typedef struct gn_cli_engine {
    gn_ipi_opts ipi;
    int given;            /* an --engine-* option was given */
    int count_given;
    const gn_cli *cli;
    const char *sub;
    gn_potential *pot;    /* the engine while in use */
    pthread_t watcher;
    int watching;
    sigset_t old_mask;
    atomic_int stop;      /* asks the watcher to end */
    atomic_int signo;     /* the signal that ended the run, 0 if none */
} gn_cli_engine;

void gn_cli_engine_init(gn_cli_engine *e, const gn_cli *cli, const char *sub);

/* -1 if opt was an engine option and its value is good, 0 if opt is not an engine option,
 * otherwise the exit status of a usage error. */
int gn_cli_engine_opt(gn_cli_engine *e, int opt, const char *arg);

/* Creates the potential (engine options for ipi: specs; refused for others). For an engine,
 * blocks SIGINT, SIGTERM and SIGHUP and starts the thread that waits for them. */
int gn_cli_potential_alloc(gn_cli_engine *e, const char *name, gn_potential **out,
                           gn_error *err);

/* Prints the engine's report (evaluations per client, wall time waiting) on stderr, stops the
 * watcher, frees p and restores the signal mask. Returns status, or 128 + the signal if one
 * ended the run. */
int gn_cli_potential_free(gn_cli_engine *e, gn_potential *p, int status);

/* Subcommands: argv[0] is the subcommand name. */
int gn_cmd_table(gn_cli *cli, int argc, char **argv);
int gn_cmd_run(gn_cli *cli, int argc, char **argv);
int gn_cmd_neb(gn_cli *cli, int argc, char **argv);
int gn_cmd_relax(gn_cli *cli, int argc, char **argv);
int gn_cmd_energy(gn_cli *cli, int argc, char **argv);
int gn_cmd_potentials(gn_cli *cli, int argc, char **argv);
int gn_cmd_build(gn_cli *cli, int argc, char **argv);
int gn_cmd_modes(gn_cli *cli, int argc, char **argv);
int gn_cmd_plot(gn_cli *cli, int argc, char **argv);
int gn_cmd_adsorb(gn_cli *cli, int argc, char **argv);
int gn_cmd_search(gn_cli *cli, int argc, char **argv);

/* --dry-run of table and run: the job is written as INI on stdout, nothing is computed.
 * --process NAME=SITE,...->SITE,... of table and run: a custom process (job.h), applied with
 * the settings in command-line order by gn_cli_settings_apply. */
enum { OPT_DRY_RUN = 900, OPT_PROCESS = 901 };
#define GN_CLI_PROCESS_OPTION {"process", required_argument, NULL, OPT_PROCESS}
int gn_cli_dry_run(const gn_cli_setting_arg *args, size_t n);

/* Flushes stdout and checks it: 0, or 3 (I/O) with a message when writing failed (a full disk,
 * a closed pipe). main() calls it after every subcommand that did not already end in 3, so no
 * subcommand ends in 0 with its results lost; a subcommand may call it itself to report the loss
 * before it goes on (table does, before its figures). */
int gn_cli_finish_stdout(const gn_cli *cli);

/* `gapneb table` (job_file 0) and `gapneb run JOB.ini` (job_file 1): options from the settings
 * table, the job file first so that options override it, --dry-run, then the job. */
int gn_cmd_table_job(gn_cli *cli, const char *sub, int argc, char **argv,
                     void (*usage_fn)(FILE *), int job_file);

/* Runs a table job that is fully set up (cmd_table.c, shared with cmd_run.c); returns the exit
 * status. */
int gn_cmd_table_execute(gn_cli *cli, struct gn_job *job);

#endif
