/* gapneb run: a barrier table from an INI job file; the keys are the settings of the settings
 * table (settings.h), and every `gapneb table` option given here overrides the file.
 * Units: gaps Å, forces eV/Å, spring constants eV/Å^2, temperatures K. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

#include "gapneb/job.h"
#include "gapneb/settings.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb run [OPTIONS] JOB.ini\n\n"
            "Runs the barrier table described by an INI job file, as 'gapneb table' does with\n"
            "options. Sections and keys (all optional; unknown sections and keys, a key given\n"
            "twice and values out of range are errors naming the file and line):\n\n");
    gn_settings_print_ini(fp);
    fprintf(fp,
            "\nPaths are relative to the working directory. Examples: data/jobs/*.ini (installed\n"
            "in the gapneb data folder); default.ini reproduces 'gapneb table'.\n\n"
            "Options: every option of 'gapneb table' (see gapneb table --help), applied after\n"
            "the file, so that it overrides the file's value (e.g. --out DIR, --jobs N,\n"
            "--resume, --no-figures); --dry-run writes the job as resolved (file and options)\n"
            "as INI on stdout and computes nothing; -q, --quiet / -v, --verbose / -h, --help.\n\n"
            "Exit status: 0 all rows converged; 1 some row failed, collapsed or did not converge;\n"
            "2 bad usage or a bad job file; 3 I/O failure; 130/143 stopped by SIGINT/SIGTERM.\n");
}

int gn_cmd_run(gn_cli *cli, int argc, char **argv)
{
    return gn_cmd_table_job(cli, "run", argc, argv, usage, 1);
}
