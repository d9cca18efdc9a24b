/* gapneb energy: single point. Total energy (eV), energy per atom (eV), the largest force on a
 * movable atom (eV/Å), optionally the force on every atom and per-atom energies. */
#include "cli.h"

#include "gapneb/atoms.h"
#include "gapneb/element.h"
#include "gapneb/potential.h"
#include "gapneb/structure.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct energy_opts {
    const char *structure;
    const char *potential;
    int forces;
    int per_atom;
    gn_cli_engine engine;
} energy_opts;

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb energy STRUCTURE [--potential NAME|FILE] [--forces] [--per-atom]\n\n"
            "Single-point energy and forces of a structure (extended XYZ or VASP POSCAR).\n"
            "Prints the total energy (eV), the energy per atom (eV) and the largest force on a\n"
            "movable atom (eV/Å).\n\n"
            "Options:\n"
            "  -p, --potential NAME|FILE  built-in potential (eam-pt, morse-pt, lj-pt, lj;\n"
            "                             default %s) or a LAMMPS EAM file (*.eam funcfl,\n"
            "                             *.eam.alloy setfl)\n"
            GN_CLI_POTENTIAL_ENGINE_HELP
            "  -f, --forces               also print the force on every atom (eV/Å)\n"
            "  -a, --per-atom             also print the energy of every atom (eV)\n"
            "  -q, --quiet                no diagnostics on stderr\n"
            "  -v, --verbose              more diagnostics on stderr\n"
            "  -h, --help                 this text\n\n"
            "\n%s\n"
            "Units: length Å, energy eV, force eV/Å (reduced units for the potential lj).\n"
            "Exit status: 0 ok; 2 bad usage or bad input; 3 I/O failure (also an engine that\n"
            "fails); 128 + signal when interrupted.\n",
            GN_POTENTIAL_DEFAULT, gn_cli_engine_help);
}

/* Returns -1 to go on, otherwise the exit status. */
static int parse_args(gn_cli *cli, int argc, char **argv, energy_opts *o)
{
    static const struct option longopts[] = {
        {"potential", required_argument, NULL, 'p'},
        {"forces", no_argument, NULL, 'f'},
        {"per-atom", no_argument, NULL, 'a'},
        GN_CLI_ENGINE_LONGOPTS,
        GN_CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    *o = (energy_opts){.potential = GN_POTENTIAL_DEFAULT};
    gn_cli_engine_init(&o->engine, cli, "energy");
    int opt;
    while ((opt = getopt_long(argc, argv, "p:fahqv", longopts, NULL)) != -1) {
        int ex = gn_cli_engine_opt(&o->engine, opt, optarg);
        if (ex > 0)
            return ex;
        if (ex < 0)
            continue;
        switch (opt) {
        case 'p': o->potential = optarg; break;
        case 'f': o->forces = 1; break;
        case 'a': o->per_atom = 1; break;
        case 'h': usage(stdout); return GN_EXIT_OK;
        default:
            if (!gn_cli_common_opt(cli, opt))
                return gn_cli_usage_error(cli, "energy", "unknown option");
        }
    }
    if (optind >= argc)
        return gn_cli_usage_error(cli, "energy", "no STRUCTURE given");
    if (optind + 1 < argc)
        return gn_cli_usage_error(cli, "energy", "unexpected argument '%s'", argv[optind + 1]);
    o->structure = argv[optind];
    return -1;
}

/* A pair potential made for one element gives numbers for any species; say so rather than
 * silently treating, say, Au as Pt. (Species an EAM file lacks are refused by the potential;
 * species it has, in any mix, are what it is for: no warning.) */
static void warn_species(const gn_cli *cli, const gn_atoms *a, const gn_potential *p)
{
    if (gn_ipi_is(p))
        return; /* the engine's clients know their species */
    for (size_t i = 0; i < a->n; i++)
        if (!gn_potential_has_element(p, a->z[i])) {
            char have[256];
            gn_potential_elements_text(p, have, sizeof have);
            gn_cli_log(cli, 1,
                       "gapneb energy: warning: atom %zu is %s but potential %s is made for %s\n",
                       i + 1, gn_element_symbol(a->z[i]), p->name, have);
            return;
        }
}

/* Values that print as zero print without a minus sign. */
static double tidy(double x) { return fabs(x) < 5e-9 ? 0.0 : x; }

static void print_table(const gn_atoms *a, const double *f, const double *pe,
                        const energy_opts *o)
{
    printf("\n# atom  species");
    if (o->forces)
        printf("        fx(eV/Å)        fy(eV/Å)        fz(eV/Å)       |f|(eV/Å)");
    if (o->per_atom)
        printf("         e(eV)");
    printf("  fixed\n");
    for (size_t i = 0; i < a->n; i++) {
        printf("%6zu  %-7s", i + 1, gn_element_symbol(a->z[i]));
        if (o->forces) {
            const double *g = f + 3 * i;
            printf(" %15.8f %15.8f %15.8f %15.8f", tidy(g[0]), tidy(g[1]), tidy(g[2]),
                   sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]));
        }
        if (o->per_atom)
            printf(" %13.8f", pe[i]);
        printf("  %5d\n", a->fixed[i] ? 1 : 0);
    }
}

static void print_summary(const char *path, const gn_atoms *a, const gn_potential *p, double e,
                          const double *f)
{
    double fmax = 0.0;
    size_t imax = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->fixed[i])
            continue;
        const double *g = f + 3 * i;
        double fi = sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
        if (fi > fmax || imax == 0) {
            fmax = fi;
            imax = i + 1;
        }
    }
    printf("structure     %s\n", path);
    printf("potential     %s\n", p->name);
    printf("atoms         %zu (%zu movable)\n", a->n, gn_atoms_nmovable(a));
    printf("energy        %.8f eV\n", e);
    printf("energy/atom   %.8f eV\n", e / (double)a->n);
    if (imax)
        printf("fmax          %.8f eV/Å (movable atoms; atom %zu)\n", fmax, imax);
    else
        printf("fmax          0 eV/Å (no movable atoms)\n");
}

int gn_cmd_energy(gn_cli *cli, int argc, char **argv)
{
    energy_opts o;
    int st = parse_args(cli, argc, argv, &o);
    if (st >= 0)
        return st;
    gn_error err;
    gn_error_clear(&err);
    gn_atoms *a = NULL;
    gn_potential *p = NULL;
    gn_calc *c = NULL;
    double *f = NULL, *pe = NULL, e = 0.0;
    int rc = gn_structure_read(o.structure, &a, &err);
    if (!rc)
        rc = gn_atoms_validate(a, o.structure, 0.0, &err);
    if (!rc)
        rc = gn_cli_potential_alloc(&o.engine, o.potential, &p, &err);
    if (!rc)
        rc = gn_calc_alloc(p, &c, &err);
    if (!rc) {
        f = malloc(3 * a->n * sizeof *f);
        pe = malloc(a->n * sizeof *pe);
        if (!f || !pe)
            rc = gn_error_set(&err, GN_ENOMEM, "out of memory for %zu atoms", a->n);
    }
    if (!rc) {
        warn_species(cli, a, p);
        gn_cli_log(cli, 2, "gapneb energy: %s, %zu atoms, potential %s (%s), cutoff %.4f Å\n",
                   o.structure, a->n, p->name, p->description, gn_potential_cutoff(p));
        rc = gn_calc_compute(c, a, &e, f, o.per_atom ? pe : NULL, &err);
    }
    if (!rc) {
        print_summary(o.structure, a, p, e, f);
        if (o.forces || o.per_atom)
            print_table(a, f, pe, &o); /* a lost stdout is caught by gn_cli_finish_stdout */
    }
    int status = rc ? gn_cli_fail(cli, &err) : GN_EXIT_OK;
    free(f);
    free(pe);
    gn_calc_free(c);
    status = gn_cli_potential_free(&o.engine, p, status);
    gn_atoms_free(a);
    return status;
}
