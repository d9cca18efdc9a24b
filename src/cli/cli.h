/* gapneb command line: shared conventions for every subcommand.
 *
 * Results go to stdout or files; progress and diagnostics to stderr. Exit status: 0 all converged,
 * 1 some rows failed or did not converge (the rest are written), 2 bad usage or bad input,
 * 3 I/O failure. Units: Å, eV, eV/Å, amu, fs, K.
 */
#ifndef GAPNEB_CLI_H
#define GAPNEB_CLI_H

#include <stdio.h>
#include "gapneb/error.h"

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

/* Number parsing for option values: the whole string must be a finite number. */
int gn_cli_parse_double(const char *s, double *out);
int gn_cli_parse_int(const char *s, int *out);

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

#endif
