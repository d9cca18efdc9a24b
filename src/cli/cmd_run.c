/* gapneb run: a barrier table from an INI job file (format in include/gapneb/job.h).
 * Units: gaps Å, forces eV/Å, spring constants eV/Å^2, temperatures K. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

#include "gapneb/job.h"

/* Defined in cmd_table.c: runs a job that is fully set up, returns the exit status. */
int gn_cmd_table_execute(gn_cli *cli, gn_job *job, int figures);

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb run [OPTIONS] JOB.ini\n\n"
            "Runs the barrier table described by an INI job file, as 'gapneb table' does with\n"
            "options. Sections and keys (all optional; unknown ones are errors):\n"
            "  [table]  models = s2s, e2e   processes = hop, transfer\n"
            "           gaps = 5, 5.8, 8 (Å)  or  sweep = START:STOP:STEP (Å)\n"
            "           potentials = eam-pt, FILE.eam ... (or repeated 'potential = ...')\n"
            "           out = gapneb-out   jobs = 0 (cores)   resume = no\n"
            "           reference = FILE.csv   modes = no   temperature = 300 (K)\n"
            "  [neb]    images = 7   fmax = 0.01 (eV/Å)   max_steps = 1000   spring = 5 (eV/Å^2)\n"
            "           climb = yes   climb_threshold = 0.5 (eV/Å)   interpolation = idpp|linear\n"
            "           refine = 3 (saddle refinement rounds)   perturb = 0 (Å)\n"
            "  [model]  s2s_size = 4   s2s_layers = 4   s2s_registry = hollow|top|bridge\n"
            "           e2e_length = 4   e2e_radius = 12 (Å)   e2e_registry = aligned|staggered\n"
            "Paths are relative to the working directory. Examples: data/jobs/*.ini (installed\n"
            "in the gapneb data folder); default.ini reproduces 'gapneb table'.\n\n"
            "Options:\n"
            "  --resume       as resume = yes\n"
            "  --jobs N       overrides jobs\n"
            "  --out DIR      overrides out\n"
            "  --no-figures   write no figures\n"
            "  -q, --quiet / -v, --verbose / -h, --help\n\n"
            "Exit status: 0 all rows converged; 1 some row failed, collapsed or did not converge;\n"
            "2 bad usage or a bad job file; 3 I/O failure.\n");
}

enum { OPT_RESUME = 256, OPT_JOBS, OPT_OUT, OPT_NOFIG };

int gn_cmd_run(gn_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"resume", no_argument, NULL, OPT_RESUME},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"out", required_argument, NULL, OPT_OUT},
        {"no-figures", no_argument, NULL, OPT_NOFIG},
        GN_CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    int opt, resume = 0, jobs = -1, figures = 1;
    const char *out = NULL;
    while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout);
            return GN_EXIT_OK;
        }
        if (gn_cli_common_opt(cli, opt))
            continue;
        switch (opt) {
        case OPT_RESUME: resume = 1; break;
        case OPT_NOFIG: figures = 0; break;
        case OPT_OUT: out = optarg; break;
        case OPT_JOBS:
            if (gn_cli_parse_int(optarg, &jobs) || jobs < 1)
                return gn_cli_usage_error(cli, "run", "--jobs: '%s' is not >= 1", optarg);
            break;
        default: return gn_cli_usage_error(cli, "run", "bad option");
        }
    }
    if (optind + 1 != argc)
        return gn_cli_usage_error(cli, "run", "expected one job file (JOB.ini)");
    gn_job job;
    gn_error e;
    if (gn_job_init(&job, &e) != GN_OK)
        return gn_cli_fail(cli, &e);
    int status = 0;
    if (gn_job_load_ini(&job, argv[optind], &e) != GN_OK)
        status = gn_cli_fail(cli, &e);
    if (!status && out && (size_t)snprintf(job.out, sizeof job.out, "%s", out) >= sizeof job.out)
        status = gn_cli_usage_error(cli, "run", "--out: name too long");
    if (!status) {
        job.resume |= resume;
        if (jobs > 0)
            job.jobs = jobs;
        status = gn_cmd_table_execute(cli, &job, figures);
    }
    gn_job_clear(&job);
    return status;
}
