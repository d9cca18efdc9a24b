/* gapneb run: a barrier table from an INI job file; the keys are the settings of the settings
 * table (settings.h), and every `gapneb table` option given here overrides the file.
 * Units: gaps Å, forces eV/Å, spring constants eV/Å^2, temperatures K. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

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
            "2 bad usage or a bad job file; 3 I/O failure.\n");
}

int gn_cmd_run(gn_cli *cli, int argc, char **argv)
{
    static const struct option extra[] = {{"dry-run", no_argument, NULL, OPT_DRY_RUN}};
    gn_job job;
    gn_error e;
    if (gn_job_init(&job, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    gn_cli_setting_arg *args = calloc((size_t)argc + 1, sizeof *args);
    size_t nargs = 0;
    int help = 0, status = args ? 0 : gn_cli_usage_error(cli, "run", "out of memory");
    if (!status)
        status = gn_cli_settings_parse(cli, "run", argc, argv, extra, 1, args, &nargs, &help);
    if (!status && help)
        usage(stdout);
    if (!status && !help && optind + 1 != argc)
        status = gn_cli_usage_error(cli, "run", "expected one job file (JOB.ini)");
    if (!status && !help && gn_job_load_ini(&job, argv[optind], &e) != GN_OK)
        status = gn_cli_fail(cli, &e);
    if (!status && !help)
        status = gn_cli_settings_apply(cli, "run", args, nargs, &job);
    if (!status && !help && gn_cli_dry_run(args, nargs)) {
        gn_settings_write_ini(stdout, &job);
        status = gn_cli_finish_stdout(cli);
    } else if (!status && !help) {
        status = gn_cmd_table_execute(cli, &job);
    }
    free(args);
    gn_job_clear(&job);
    return status;
}
