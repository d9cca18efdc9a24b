/* gapneb command line: global options and dispatch to subcommands.
 * Units: Å, eV, eV/Å, amu, fs, K. */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

typedef struct subcommand {
    const char *name;
    int (*run)(gn_cli *cli, int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand subcommands[] = {
    {"table", gn_cmd_table, "barrier table over models x processes x gaps x potentials (the main job)"},
    {"run", gn_cmd_run, "run a batch job file (INI)"},
    {"neb", gn_cmd_neb, "climbing-image NEB between two endpoint structures"},
    {"relax", gn_cmd_relax, "relax a structure with FIRE"},
    {"energy", gn_cmd_energy, "single point: energy (eV), forces (eV/Å)"},
    {"potentials", gn_cmd_potentials, "list built-in potentials and their bulk/surface properties"},
    {"build", gn_cmd_build, "build a surface-to-surface (s2s) or edge-to-edge (e2e) gap model"},
    {"modes", gn_cmd_modes, "Hessian, saddle check and harmonic rates of an NEB run"},
    {"search", gn_cmd_search, "look for the processes leaving a minimum (dimer saddle search)"},
    {"plot", gn_cmd_plot, "redraw the figures of a run, table or adsorb folder"},
    {"adsorb", gn_cmd_adsorb, "most stable configurations of several adatoms in the gap, bridges"},
};
#define NSUB (sizeof subcommands / sizeof subcommands[0])

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb [--quiet|--verbose] SUBCOMMAND [OPTIONS]\n"
            "       gapneb --help | --version\n\n"
            "Climbing-image NEB barriers for a Pt adatom hopping on and across the gap between two\n"
            "nanocrystals (surface-to-surface and edge-to-edge models), with EAM, Morse and\n"
            "Lennard-Jones potentials.\n\nSubcommands:\n");
    for (size_t i = 0; i < NSUB; i++)
        fprintf(fp, "  %-11s %s\n", subcommands[i].name, subcommands[i].summary);
    fprintf(fp,
            "\nRun 'gapneb SUBCOMMAND --help' for its options.\n"
            "Units: length Å, energy eV, force eV/Å, mass amu, time fs, temperature K.\n"
            "Exit status: 0 all converged; 1 some rows failed or did not converge; 2 bad usage or\n"
            "bad input; 3 I/O failure.\n");
}

int main(int argc, char **argv)
{
    gn_cli cli = {.prog = "gapneb", .verbosity = 1};
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    /* '+' stops at the first non-option: the subcommand parses the rest. */
    while ((opt = getopt_long(argc, argv, "+hVqv", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h': usage(stdout); return gn_cli_finish_stdout(&cli);
        case 'V': printf("gapneb %s\n", PACKAGE_VERSION); return gn_cli_finish_stdout(&cli);
        case 'q': cli.verbosity = 0; break;
        case 'v': cli.verbosity = 2; break;
        default: usage(stderr); return GN_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return GN_EXIT_USAGE;
    }
    const char *name = argv[optind];
    for (size_t i = 0; i < NSUB; i++) {
        if (strcmp(name, subcommands[i].name) == 0) {
            char **sub_argv = argv + optind;
            int sub_argc = argc - optind;
            optind = 0; /* glibc: full reinitialisation of getopt for the subcommand */
            int status = subcommands[i].run(&cli, sub_argc, sub_argv);
            /* results lost on stdout are an I/O failure, whatever the subcommand thought */
            int io = status == GN_EXIT_IO ? GN_EXIT_OK : gn_cli_finish_stdout(&cli);
            return io ? io : status;
        }
    }
    fprintf(stderr, "gapneb: unknown subcommand '%s'\nTry 'gapneb --help'.\n", name);
    return GN_EXIT_USAGE;
}
