/* gapneb command line: shared helpers (exit codes, messages, number parsing). */
#include "cli.h"

#include "gapneb/numparse.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int gn_cli_common_opt(gn_cli *cli, int opt)
{
    switch (opt) {
    case 'q': cli->verbosity = 0; return 1;
    case 'v': cli->verbosity = 2; return 1;
    default: return 0;
    }
}

int gn_cli_exit_code(int status)
{
    switch (status) {
    case GN_OK: return GN_EXIT_OK;
    case GN_ENOCONV:
    case GN_ECOLLAPSE:
    case GN_EEXTERNAL: return GN_EXIT_FAIL;
    case GN_EIO:
    case GN_ENOMEM: return GN_EXIT_IO;
    default: return GN_EXIT_USAGE;
    }
}

int gn_cli_fail(const gn_cli *cli, const gn_error *e)
{
    fprintf(stderr, "%s: error: %s\n", cli->prog, e->msg[0] ? e->msg : gn_status_name(e->code));
    return gn_cli_exit_code(e->code);
}

int gn_cli_usage_error(const gn_cli *cli, const char *sub, const char *fmt, ...)
{
    fprintf(stderr, "%s %s: ", cli->prog, sub);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s %s --help'.\n", cli->prog, sub);
    return GN_EXIT_USAGE;
}

void gn_cli_log(const gn_cli *cli, int level, const char *fmt, ...)
{
    if (cli->verbosity < level)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
}

int gn_cli_parse_double(const char *s, double *out)
{
    return gn_parse_double(s, "", out, NULL) == GN_OK ? 0 : -1;
}

int gn_cli_parse_int(const char *s, int *out)
{
    return gn_parse_int(s, "", out, NULL) == GN_OK ? 0 : -1;
}

int gn_cli_finish_stdout(const gn_cli *cli)
{
    /* errno as the failed flush left it; if the flush had nothing left to write, the error came
     * from an earlier write whose errno may be gone: EIO then, never "Success" */
    errno = 0;
    int bad = fflush(stdout) != 0, e = errno;
    if (!bad && !ferror(stdout))
        return GN_EXIT_OK;
    fprintf(stderr, "%s: error: writing the results to standard output failed: %s\n", cli->prog,
            strerror(e ? e : EIO));
    return GN_EXIT_IO;
}
