/* gapneb command line: the options of `gapneb table` and `gapneb run`, made from the settings
 * table (settings.h): one long option per setting (--X and --no-X for yes/no settings), plus the
 * options every subcommand has. Units: as the settings table states. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/settings.h"

/* getopt values: OPT_BASE + 4 k (+1 alias, +2 --no-X) for setting k. */
#define OPT_BASE 1000

static int option_value(size_t k, int variant) { return OPT_BASE + 4 * (int)k + variant; }

typedef struct longopts {
    struct option *v;   /* terminated by a zero entry */
    char (*no)[64];     /* the "no-X" names, one per setting */
} longopts;

static void longopts_clear(longopts *l)
{
    free(l->v);
    free(l->no);
}

/* The getopt table of the settings, the extra options given and the common ones. */
static int make_longopts(const struct option *extra, size_t nextra, longopts *l)
{
    size_t n;
    const gn_setting *s = gn_settings(&n);
    l->v = calloc(3 * n + nextra + 4, sizeof *l->v);
    l->no = calloc(n, sizeof *l->no);
    if (!l->v || !l->no) {
        longopts_clear(l);
        return -1;
    }
    struct option *o = l->v;
    for (size_t k = 0; k < n; k++) {
        int arg = s[k].type == GN_SETTING_BOOL ? no_argument : required_argument;
        *o++ = (struct option){s[k].option, arg, NULL, option_value(k, 0)};
        if (s[k].alias)
            *o++ = (struct option){s[k].alias, arg, NULL, option_value(k, 1)};
        if (s[k].type == GN_SETTING_BOOL) {
            snprintf(l->no[k], sizeof l->no[k], "no-%s", s[k].option);
            *o++ = (struct option){l->no[k], no_argument, NULL, option_value(k, 2)};
        }
    }
    for (size_t i = 0; i < nextra; i++)
        *o++ = extra[i];
    *o++ = (struct option){"quiet", no_argument, NULL, 'q'};
    *o++ = (struct option){"verbose", no_argument, NULL, 'v'};
    *o++ = (struct option){"help", no_argument, NULL, 'h'};
    return 0;
}

int gn_cli_settings_parse(gn_cli *cli, const char *sub, int argc, char **argv,
                          const struct option *extra, size_t nextra, gn_cli_setting_arg *out,
                          size_t *nout, int *help)
{
    longopts lo = {0};
    if (make_longopts(extra, nextra, &lo) != 0)
        return gn_cli_usage_error(cli, sub, "out of memory");
    size_t n, count = 0;
    const gn_setting *s = gn_settings(&n);
    int opt, status = 0;
    *help = 0;
    while (!status && (opt = getopt_long(argc, argv, "qvh", lo.v, NULL)) != -1) {
        if (opt == 'h') {
            *help = 1;
            break;
        }
        if (gn_cli_common_opt(cli, opt))
            continue;
        if (opt >= OPT_BASE && (size_t)(opt - OPT_BASE) / 4 < n) {
            size_t k = (size_t)(opt - OPT_BASE) / 4;
            int variant = (opt - OPT_BASE) % 4;
            const char *v = s[k].type != GN_SETTING_BOOL ? optarg : variant == 2 ? "no" : "yes";
            out[count++] = (gn_cli_setting_arg){&s[k], v,
                                                variant == 1 ? s[k].alias : s[k].option, opt};
            continue;
        }
        int known = 0;
        for (size_t i = 0; i < nextra; i++)
            known |= extra[i].val == opt;
        if (known && opt != '?') {
            out[count++] = (gn_cli_setting_arg){NULL, optarg, NULL, opt};
            continue;
        }
        status = gn_cli_usage_error(cli, sub, "bad option");
    }
    longopts_clear(&lo);
    *nout = count;
    return status;
}

int gn_cli_settings_apply(gn_cli *cli, const char *sub, const gn_cli_setting_arg *args, size_t n,
                          gn_job *job)
{
    gn_settings_seen seen;
    memset(&seen, 0, sizeof seen);
    for (size_t i = 0; i < n; i++) {
        char what[64];
        gn_error e;
        if (!args[i].setting && args[i].opt == OPT_PROCESS) {
            if (gn_job_define_process_spec(job, args[i].value, "--process", &e) != GN_OK)
                return gn_cli_usage_error(cli, sub, "%s", e.msg);
            continue;
        }
        if (!args[i].setting)
            continue;
        snprintf(what, sizeof what, "--%s", args[i].name);
        if (gn_setting_apply(args[i].setting, job, args[i].value, what, &seen, &e) != GN_OK)
            return gn_cli_usage_error(cli, sub, "%s", e.msg);
    }
    return 0;
}

int gn_cli_dry_run(const gn_cli_setting_arg *args, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!args[i].setting && args[i].opt == OPT_DRY_RUN)
            return 1;
    return 0;
}
