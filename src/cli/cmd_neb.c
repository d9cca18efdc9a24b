/* gapneb neb: placeholder until its issue lands. */
#include "cli.h"

int gn_cmd_neb(gn_cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return gn_cli_not_implemented(cli, "neb");
}
