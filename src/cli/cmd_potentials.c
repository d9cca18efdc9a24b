/* gapneb potentials: lists the built-in potentials, prints their fcc properties (Å, eV/atom, GPa,
 * J/m^2) and writes an EAM potential as a LAMMPS setfl file. */
#include "cli.h"

#include "gapneb/element.h"
#include "gapneb/pot_eam.h"
#include "gapneb/potential.h"
#include "gapneb/properties.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb potentials [--properties] [--unrelaxed] [--potential NAME|FILE]\n"
            "                         [--write-setfl FILE [--nrho N] [--nr N] [--rhomax RHO]]\n\n"
            "Lists the built-in potentials with their references. Units: length Å, energy eV.\n\n"
            "  --properties        for each Pt potential print the fcc lattice constant a0 (Å),\n"
            "                      cohesive energy E_coh (eV/atom), bulk modulus B (GPa) and the\n"
            "                      (100) and (111) surface energies (J/m^2 and eV per surface atom),\n"
            "                      relaxed with FIRE (unrelaxed ones are printed too)\n"
            "  --unrelaxed         skip the relaxed surface energies (faster)\n"
            "  --potential P       only this potential (a built-in name or a LAMMPS EAM file)\n"
            "  --write-setfl FILE  write the EAM potential (default eam-pt) as a LAMMPS setfl file\n"
            "                      for pair_style eam/alloy\n"
            "  --nrho N, --nr N    table sizes of the setfl file (default %d and %d)\n"
            "  --rhomax RHO        largest tabulated density (default %g, density units of the\n"
            "                      potential; eam-pt bulk Pt has 33.4)\n"
            "  -q, --quiet         no progress on stderr\n"
            "  -v, --verbose       more progress on stderr\n"
            "  -h, --help          this help\n\n"
            "Exit status: 0 ok; 2 bad usage or bad input; 3 I/O failure.\n",
            GN_EAM_SETFL_NRHO, GN_EAM_SETFL_NR, GN_EAM_SETFL_RHOMAX);
}

typedef struct pot_opts {
    int properties, relax;
    const char *potential, *setfl;
    int nrho, nr;
    double rhomax;
} pot_opts;

static int parse(gn_cli *cli, int argc, char **argv, pot_opts *o)
{
    static const struct option longopts[] = {
        {"properties", no_argument, NULL, 'p'}, {"unrelaxed", no_argument, NULL, 'u'},
        {"potential", required_argument, NULL, 'P'}, {"write-setfl", required_argument, NULL, 'w'},
        {"nrho", required_argument, NULL, 'N'},   {"nr", required_argument, NULL, 'R'},
        {"rhomax", required_argument, NULL, 'M'}, GN_CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    int opt;
    opterr = 0; /* our own message names the option */
    while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'p': o->properties = 1; break;
        case 'u': o->relax = 0; break;
        case 'P': o->potential = optarg; break;
        case 'w': o->setfl = optarg; break;
        case 'N':
            if (gn_cli_parse_int(optarg, &o->nrho) || o->nrho < 5)
                return gn_cli_usage_error(cli, "potentials", "--nrho needs an integer >= 5");
            break;
        case 'R':
            if (gn_cli_parse_int(optarg, &o->nr) || o->nr < 5)
                return gn_cli_usage_error(cli, "potentials", "--nr needs an integer >= 5");
            break;
        case 'M':
            if (gn_cli_parse_double(optarg, &o->rhomax) || !(o->rhomax > 0))
                return gn_cli_usage_error(cli, "potentials", "--rhomax needs a number > 0");
            break;
        case 'h': usage(stdout); return -1;
        default:
            if (gn_cli_common_opt(cli, opt))
                break;
            return gn_cli_usage_error(cli, "potentials", "unknown option or missing value: '%s'",
                                      argv[optind - 1]);
        }
    }
    if (optind < argc)
        return gn_cli_usage_error(cli, "potentials", "unexpected argument '%s'", argv[optind]);
    return 0;
}

static void print_properties(const gn_potential *p, const gn_properties *o)
{
    printf("%-12s %9.5f %9.4f %8.1f %9.4f %9.4f %9.4f %9.4f", p->name, o->a0, o->ecoh,
           o->bulk_modulus, o->gamma100, o->gamma100_ev, o->gamma111, o->gamma111_ev);
    if (o->relaxed)
        printf(" %9.4f %9.4f %9.4f %9.4f", o->gamma100_relaxed, o->gamma100_relaxed_ev,
               o->gamma111_relaxed, o->gamma111_relaxed_ev);
    printf("\n");
}

static int one_potential(gn_cli *cli, const char *name, const pot_opts *o)
{
    gn_potential *p;
    gn_error err;
    int rc = gn_potential_alloc(name, &p, &err);
    if (rc)
        return gn_cli_fail(cli, &err);
    if (!o->properties) {
        printf("%-12s %s\n", p->name, p->description);
    } else if (p->z == GN_Z_PT) {
        gn_properties pr;
        gn_cli_log(cli, 1, "potentials: computing properties of %s\n", p->name);
        rc = gn_properties_compute(p, p->z, o->relax, &pr, &err);
        if (rc) {
            gn_potential_free(p);
            return gn_cli_fail(cli, &err);
        }
        print_properties(p, &pr);
    } else {
        gn_cli_log(cli, 2, "potentials: %s is not a Pt potential, no properties\n", p->name);
    }
    gn_potential_free(p);
    return GN_EXIT_OK;
}

static int write_setfl(gn_cli *cli, const pot_opts *o)
{
    const char *name = o->potential ? o->potential : GN_POTENTIAL_DEFAULT;
    gn_potential *p;
    gn_error err;
    int rc = gn_potential_alloc(name, &p, &err);
    if (!rc)
        rc = gn_pot_eam_write_setfl(p, o->setfl, o->nrho, o->rhomax, o->nr, &err);
    gn_potential_free(p);
    if (rc)
        return gn_cli_fail(cli, &err);
    gn_cli_log(cli, 1, "potentials: wrote %s as setfl to %s (nrho %d up to %g, nr %d)\n", name,
               o->setfl, o->nrho, o->rhomax, o->nr);
    return GN_EXIT_OK;
}

int gn_cmd_potentials(gn_cli *cli, int argc, char **argv)
{
    pot_opts o = {0, 1, NULL, NULL, GN_EAM_SETFL_NRHO, GN_EAM_SETFL_NR, GN_EAM_SETFL_RHOMAX};
    int rc = parse(cli, argc, argv, &o);
    if (rc)
        return rc < 0 ? GN_EXIT_OK : rc;
    if (o.setfl) {
        rc = write_setfl(cli, &o);
        if (rc || !o.properties)
            return rc;
    }
    if (o.properties) {
        printf("# fcc properties at each potential's own a0; surface energies from %s slabs\n",
               "15-layer");
        printf("# %-10s %9s %9s %8s %9s %9s %9s %9s%s\n", "potential", "a0/Å", "Ecoh/eV",
               "B/GPa", "g100/Jm2", "g100/eV", "g111/Jm2", "g111/eV",
               o.relax ? "  relaxed: g100/Jm2 g100/eV g111/Jm2 g111/eV" : "");
    }
    if (o.potential)
        return one_potential(cli, o.potential, &o);
    for (const char *const *b = gn_potential_builtins(); *b; b++) {
        rc = one_potential(cli, *b, &o);
        if (rc)
            return rc;
    }
    return GN_EXIT_OK;
}
