/* gapneb potentials: lists the built-in potentials, prints their fcc properties (Å, eV/atom, GPa,
 * J/m^2), plots potentials (V(r) and V(2 r0)/V(r0), EAM functions) and writes an EAM potential as
 * a LAMMPS setfl file. */
#include "cli.h"

#include "gapneb/element.h"
#include "gapneb/pot_eam.h"
#include "gapneb/potential.h"
#include "gapneb/potplot.h"
#include "gapneb/properties.h"

#include <math.h>

#define PLOT_DIR_DEFAULT "gapneb-potentials"
#define MAX_SPECS 16

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb potentials [--properties] [--unrelaxed] [--potential SPECS]\n"
            "       gapneb potentials --plot SPECS [--out DIR]\n"
            "       gapneb potentials --write-setfl FILE [--potential SPEC] [--nrho N] [--nr N]\n"
            "                         [--rhomax RHO]\n\n"
            "Lists the built-in potentials with their references and canonical specs. Units:\n"
            "length Å, energy eV (lj and morse: reduced units, species X).\n\n"
            "A potential SPEC is a built-in name, a LAMMPS EAM file, or a pair potential with\n"
            "parameters, NAME:KEY=VALUE,KEY=VALUE,...:\n"
            "  lj:epsilon=E,sigma=S,rc=RC,rs=RS     (also lj-pt:...)\n"
            "  morse:D=D,alpha=A,r0=R0,rc=RC,rs=RS  (also morse-pt:...; morse needs D, alpha,\n"
            "                                       r0, rc)\n"
            "Missing keys keep the built-in's values; the pair function is switched smoothly to\n"
            "zero from rs to rc (lj: rc = 2.5 sigma, rs = 2 sigma; morse-pt: 8.5-9.5 Å; rc\n"
            "alone: rs = 0.8 rc, morse-pt 8.5/9.5 rc); rs = rc truncates and shifts; a long rc\n"
            "gives the plain function. SPECS is a comma list: a piece KEY=VALUE continues the\n"
            "parameters of the spec before it, so 'lj:rc=6,rs=5,eam-pt' is two potentials.\n\n"
            "  --properties        for each Pt potential print the fcc lattice constant a0 (Å),\n"
            "                      cohesive energy E_coh (eV/atom), bulk modulus B (GPa) and the\n"
            "                      (100) and (111) surface energies (J/m^2 and eV per surface atom),\n"
            "                      relaxed with FIRE (unrelaxed ones are printed too)\n"
            "  --unrelaxed         skip the relaxed surface energies (faster)\n"
            "  --potential SPECS   only these potentials\n"
            "  --plot SPECS        draw the potentials into DIR: potential.{png,svg} (V(r) with\n"
            "                      r0 and 2 r0 marked, the switch shaded, V(2 r0)/V(r0) in the\n"
            "                      key; the tail against r/r0) and, for EAM potentials,\n"
            "                      eam.{png,svg} (phi, density, F, effective pair potential at\n"
            "                      the bulk density, cutoff marked), with the data (.tsv) and\n"
            "                      gnuplot scripts (.gp); prints r0, V(r0), V(2 r0) and the ratio\n"
            "                      on stdout. gnuplot from $GNUPLOT or PATH.\n"
            "  --out DIR           folder of the figures (default %s)\n"
            "  --write-setfl FILE  write the EAM potential (default eam-pt) as a LAMMPS setfl file\n"
            "                      for pair_style eam/alloy\n"
            "  --nrho N, --nr N    table sizes of the setfl file (default %d and %d)\n"
            "  --rhomax RHO        largest tabulated density (default %g, density units of the\n"
            "                      potential; eam-pt bulk Pt has 33.4)\n"
            "  -q, --quiet         no progress on stderr\n"
            "  -v, --verbose       more progress on stderr\n"
            "  -h, --help          this help\n\n"
            "Exit status: 0 ok; 1 gnuplot failed or is missing (data and scripts are written);\n"
            "2 bad usage or bad input (a bad spec names the key); 3 I/O failure.\n",
            PLOT_DIR_DEFAULT, GN_EAM_SETFL_NRHO, GN_EAM_SETFL_NR, GN_EAM_SETFL_RHOMAX);
}

typedef struct pot_opts {
    int properties, relax;
    const char *potential, *setfl, *plot, *out;
    int nrho, nr;
    double rhomax;
} pot_opts;

static int parse(gn_cli *cli, int argc, char **argv, pot_opts *o)
{
    static const struct option longopts[] = {
        {"properties", no_argument, NULL, 'p'}, {"unrelaxed", no_argument, NULL, 'u'},
        {"potential", required_argument, NULL, 'P'}, {"write-setfl", required_argument, NULL, 'w'},
        {"nrho", required_argument, NULL, 'N'},   {"nr", required_argument, NULL, 'R'},
        {"rhomax", required_argument, NULL, 'M'}, {"plot", required_argument, NULL, 'G'},
        {"out", required_argument, NULL, 'o'},    GN_CLI_COMMON_LONGOPTS,
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
        case 'G': o->plot = optarg; break;
        case 'o': o->out = optarg; break;
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
    if (o->plot && (o->properties || o->setfl || o->potential))
        return gn_cli_usage_error(cli, "potentials", "--plot takes its own list of potentials and "
                                  "goes alone (not with --properties, --write-setfl, --potential)");
    if (o->out && !o->plot)
        return gn_cli_usage_error(cli, "potentials", "--out is the folder of --plot");
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
        printf("%-12s %s\n%-12s spec %s\n", p->name, p->description, "",
               gn_potential_spec(p));
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

/* Splits a comma list of specs (gn_potential_spec_split); the count, or -1 after a message. */
static int split_specs(gn_cli *cli, const char *list, char (*specs)[GN_POTENTIAL_SPEC_MAX])
{
    const char *cur = list;
    int n = 0, r;
    while ((r = gn_potential_spec_split(&cur, specs[n], GN_POTENTIAL_SPEC_MAX)) != 0) {
        if (r < 0 || !specs[n][0]) {
            gn_cli_usage_error(cli, "potentials", "bad or empty potential spec in '%s'", list);
            return -1;
        }
        if (++n == MAX_SPECS) {
            gn_cli_usage_error(cli, "potentials", "more than %d potentials in '%s'", MAX_SPECS,
                               list);
            return -1;
        }
    }
    if (!n)
        gn_cli_usage_error(cli, "potentials", "empty list of potentials");
    return n ? n : -1;
}

static void print_curve(const gn_potcurve *c)
{
    char rs[32] = "-", plain[32] = "-";
    if (isfinite(c->r_on))
        snprintf(rs, sizeof rs, "%.6g", c->r_on);
    if (isfinite(c->plain_ratio))
        snprintf(plain, sizeof plain, "%.4f", 100.0 * c->plain_ratio);
    printf("%-16s %10.6f %12.6f %12.8f %9.4f %9s %8s %8.6g  %s\n", c->pot->name, c->r0, c->v_r0,
           c->v_2r0, 100.0 * c->ratio, plain, rs, c->r_cut, gn_potential_spec(c->pot));
    if (c->eam)
        printf("#   %s: fcc a0 %.6f Å, bulk density rho_b %.6g, F'(rho_b) %.6g eV per density "
               "unit\n", c->pot->name, c->a0, c->rho_bulk, c->dF_bulk);
}

static int plot(gn_cli *cli, const pot_opts *o)
{
    char specs[MAX_SPECS][GN_POTENTIAL_SPEC_MAX];
    int n = split_specs(cli, o->plot, specs);
    if (n < 0)
        return GN_EXIT_USAGE;
    gn_potential *pots[MAX_SPECS] = {NULL};
    gn_potcurve curves[MAX_SPECS];
    gn_error err;
    int rc = GN_OK, k;
    for (k = 0; k < n && rc == GN_OK; k++) {
        rc = gn_potential_alloc(specs[k], &pots[k], &err);
        if (rc == GN_OK)
            rc = gn_potcurve_init(pots[k], &curves[k], &err);
    }
    const char *dir = o->out ? o->out : PLOT_DIR_DEFAULT;
    gn_figure_status st;
    if (rc == GN_OK) {
        printf("# V(2 r0)/V(r0) as gapneb evaluates each potential (switched or truncated and "
               "shifted);\n# r0: minimum of the untruncated pair function (EAM: of the effective "
               "pair potential\n# phi + 2 F'(rho_b) f at the bulk fcc density). Units: Å, eV "
               "(lj, morse: reduced units).\n");
        printf("# %-14s %10s %12s %12s %9s %9s %8s %8s  %s\n", "potential", "r0", "V(r0)",
               "V(2r0)", "ratio_%", "untrunc_%", "rs", "rc", "spec");
        for (int i = 0; i < n; i++)
            print_curve(&curves[i]);
        gn_cli_log(cli, 1, "potentials: writing figures to %s\n", dir);
        rc = gn_potplot_write(dir, curves, (size_t)n, NULL, &st, &err);
    }
    for (int i = 0; i < n; i++)
        gn_potential_free(pots[i]);
    if (rc)
        return gn_cli_fail(cli, &err);
    gn_cli_log(cli, 1, "potentials: %d of %d figures drawn in %s\n", st.drawn, st.scripts, dir);
    if (st.drawn < st.scripts) {
        fprintf(stderr, "%s: %s\n", cli->prog, st.note);
        return GN_EXIT_FAIL;
    }
    return GN_EXIT_OK;
}

int gn_cmd_potentials(gn_cli *cli, int argc, char **argv)
{
    pot_opts o = {0, 1, NULL, NULL, NULL, NULL, GN_EAM_SETFL_NRHO, GN_EAM_SETFL_NR, GN_EAM_SETFL_RHOMAX};
    int rc = parse(cli, argc, argv, &o);
    if (rc)
        return rc < 0 ? GN_EXIT_OK : rc;
    if (o.plot)
        return plot(cli, &o);
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
    if (o.potential) {
        char specs[MAX_SPECS][GN_POTENTIAL_SPEC_MAX];
        int n = split_specs(cli, o.potential, specs);
        for (int i = 0; i < n && rc == GN_EXIT_OK; i++)
            rc = one_potential(cli, specs[i], &o);
        return n < 0 ? GN_EXIT_USAGE : rc;
    }
    for (const char *const *b = gn_potential_builtins(); *b; b++) {
        rc = one_potential(cli, *b, &o);
        if (rc)
            return rc;
    }
    return GN_EXIT_OK;
}
