/* gapneb adsorb: configurations of several adatoms in the gap, their adsorption energies against
 * the gap, bridges and the energetic critical gap (Supp. Figs 7 and 8 of the source study).
 * Units: gaps and lengths Å, energies eV. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/adsorb.h"
#include "gapneb/job.h"
#include "gapneb/potential.h"
#include "gapneb/properties.h"
#include "gapneb/settings.h"

#define SHOW 6 /* configurations printed per gap and stage */

static void usage(FILE *fp)
{
    fprintf(fp,
        "Usage: gapneb adsorb s2s|e2e --adatoms K (--gaps LIST | --sweep A:B:STEP)\n"
        "       gapneb adsorb pt100|pt111 --adatoms K     (a terrace: no gap)\n"
        "                     [--sites SET] [--site-radius R] [--sequential] [--exhaustive]\n"
        "                     [--keep M] [--potential P] [--jobs J] [--out DIR] [--no-figures]\n\n"
        "Finds the most stable configurations of K adatoms in the gap at each gap d: every set\n"
        "of K candidate sites (no two closer than 0.7 nearest-neighbour distances), one per\n"
        "class of the model's symmetries (mirrors, translations, the swap of A and B), relaxed\n"
        "with FIRE (as the NEB endpoints are); configurations that relax into the same\n"
        "structure are merged. E_ads = E(model + K adatoms) - E(model) - K E(atom), in total\n"
        "and per adatom, ranked per gap. A configuration bridges the gap when a chain of atoms,\n"
        "each within 1.15 nearest-neighbour distances of the next, joins crystal A to crystal\n"
        "B through the adatoms; the line 'bridging' gives the largest gap at which the most\n"
        "stable configuration bridges (interpolated between gaps), beside the source's 7.8 Å.\n\n"
        "Options:\n"
        "  -k, --adatoms K        adatoms, 1..%d (default 1)\n"
        "  -d, --gaps LIST        gaps d (Å), comma-separated\n"
        "      --sweep A:B:STEP   gaps from A to B inclusive (Å)\n"
        "      --sites SET        candidate sites, a comma list of: default (sites within the\n"
        "                         radius of the cell centre (s2s) or of the edge rows (e2e),\n"
        "                         mid-gap sites G:i included where they exist), all, a family\n"
        "                         (A100, A111h, G...) within the radius, or site names (A100:3;\n"
        "                         gapneb build --list-sites). Default: default\n"
        "      --site-radius R    radius of the default set and families, Å (default: s2s\n"
        "                         1.05 nearest-neighbour distances, e2e 3 Å)\n"
        "      --sequential       one adatom at a time at the best site given the ones placed\n"
        "                         (Supp. Fig. 8), every candidate's energy reported per stage\n"
        "      --exhaustive       never pre-screen (by default, a gap with more than 64\n"
        "                         classes relaxes each for 40 FIRE steps and fully relaxes the\n"
        "                         best M only); with it the pre-screen is still measured\n"
        "      --keep M           classes kept by the pre-screen (default 24)\n"
        "  -p, --potential P      potential (default %s; built-ins, a spec such as\n"
        "                         lj-pt:sigma=2.6,rc=8, or a LAMMPS EAM file)\n"
        GN_CLI_POTENTIAL_ENGINE_HELP_AT("                         ")
        "      --a0 A             lattice constant, Å (default: the potential's; needed with\n"
        "                         an engine)\n"
        "  -j, --jobs J           relaxations in parallel threads (default 0: one per core)\n"
        "  -o, --out DIR          output folder (default gapneb-adsorb)\n"
        "      --no-figures       no figures (data and structures only)\n"
        "      --s2s-size N, --s2s-layers L, --s2s-registry R, --e2e-length M,\n"
        "      --e2e-radius R, --e2e-registry R   the model, as for gapneb table\n"
        "  -q, --quiet / -v, --verbose / -h, --help\n\n"
        "Writes DIR/adsorption.tsv and .json (gap, id, sites, E_ads total and per adatom, rank,\n"
        "bridges...), DIR/structures/dGAP-nK-all.xyz (every relaxed configuration) and\n"
        "-best.xyz, and DIR/figures/ (E_ads against gap with the winner's id, every\n"
        "configuration, pictures of the configurations); gapneb plot DIR redraws the figures.\n"
        "\n%s\n"
        "On an engine every structure holds the K adatoms (its clients serve one size): no\n"
        "isolated atom or bare model is computed, so E_ads is not available (nan) and the\n"
        "configurations are ranked by total energy, which orders them as E_ads would;\n"
        "--sequential needs K = 1 there, and K > 1 takes no mid-gap sites.\n\n"
        "Units: Å, eV. Exit status: 0 ok; 1 a relaxation did not converge or a figure was\n"
        "not drawn; 2 bad usage or input; 3 I/O failure (also an engine that fails);\n"
        "128 + signal when interrupted.\n",
        GN_ADSORB_MAX_ADATOMS, GN_POTENTIAL_DEFAULT, gn_cli_engine_help);
}

typedef struct adsorb_args {
    gn_adsorb_opts o;
    const char *potential, *out, *gaps, *sweep, *s2s_registry, *e2e_registry;
    int figures;
    double a0;
    gn_cli_engine engine;
} adsorb_args;

enum { O_SWEEP = 1100, O_SITES, O_SRADIUS, O_SEQ, O_EXH, O_KEEP, O_NOFIG, O_S2S_SIZE,
       O_S2S_LAYERS, O_S2S_REG, O_E2E_LEN, O_E2E_RADIUS, O_E2E_REG, O_A0 };

static int number(gn_cli *cli, const char *name, const char *val, int *iv, double *dv)
{
    int bad = iv ? gn_cli_parse_int(val, iv) : gn_cli_parse_double(val, dv);
    return bad ? gn_cli_usage_error(cli, "adsorb", "%s: '%s' is not a%s number", name, val,
                                    iv ? "n integer" : "")
               : 0;
}

static int one_option(gn_cli *cli, int opt, adsorb_args *a)
{
    gn_adsorb_opts *o = &a->o;
    switch (opt) {
    case 'k': return number(cli, "--adatoms", optarg, &o->nadatoms, NULL);
    case 'd': a->gaps = optarg; return 0;
    case O_SWEEP: a->sweep = optarg; return 0;
    case O_SITES: o->sites = optarg; return 0;
    case O_SRADIUS: return number(cli, "--site-radius", optarg, NULL, &o->radius);
    case O_SEQ: o->sequential = 1; return 0;
    case O_EXH: o->exhaustive = 1; return 0;
    case O_KEEP: return number(cli, "--keep", optarg, &o->keep, NULL);
    case 'p': a->potential = optarg; return 0;
    case 'j': return number(cli, "--jobs", optarg, &o->jobs, NULL);
    case 'o': a->out = optarg; return 0;
    case O_NOFIG: a->figures = 0; return 0;
    case O_S2S_SIZE: return number(cli, "--s2s-size", optarg, &o->model.n, NULL);
    case O_S2S_LAYERS: return number(cli, "--s2s-layers", optarg, &o->model.layers, NULL);
    case O_S2S_REG: a->s2s_registry = optarg; return 0;
    case O_E2E_LEN: return number(cli, "--e2e-length", optarg, &o->model.m, NULL);
    case O_E2E_RADIUS: return number(cli, "--e2e-radius", optarg, NULL, &o->model.R);
    case O_E2E_REG: a->e2e_registry = optarg; return 0;
    case O_A0:
        if (number(cli, "--a0", optarg, NULL, &a->a0))
            return GN_EXIT_USAGE;
        return a->a0 > 0 && a->a0 < 100 ? 0 : gn_cli_usage_error(cli, "adsorb", "--a0 needs a "
                                                                  "number of Å in (0, 100)");
    default:
        return gn_cli_common_opt(cli, opt) ? 0 : gn_cli_usage_error(cli, "adsorb", "bad option");
    }
}

static int parse(gn_cli *cli, int argc, char **argv, adsorb_args *a, int *help)
{
    static const struct option lo[] = {
        {"adatoms", required_argument, NULL, 'k'}, {"gaps", required_argument, NULL, 'd'},
        {"sweep", required_argument, NULL, O_SWEEP}, {"sites", required_argument, NULL, O_SITES},
        {"site-radius", required_argument, NULL, O_SRADIUS},
        {"sequential", no_argument, NULL, O_SEQ}, {"exhaustive", no_argument, NULL, O_EXH},
        {"keep", required_argument, NULL, O_KEEP}, {"potential", required_argument, NULL, 'p'},
        {"jobs", required_argument, NULL, 'j'}, {"out", required_argument, NULL, 'o'},
        {"no-figures", no_argument, NULL, O_NOFIG},
        {"s2s-size", required_argument, NULL, O_S2S_SIZE},
        {"s2s-layers", required_argument, NULL, O_S2S_LAYERS},
        {"s2s-registry", required_argument, NULL, O_S2S_REG},
        {"e2e-length", required_argument, NULL, O_E2E_LEN},
        {"e2e-radius", required_argument, NULL, O_E2E_RADIUS},
        {"e2e-registry", required_argument, NULL, O_E2E_REG},
        {"a0", required_argument, NULL, O_A0}, GN_CLI_ENGINE_LONGOPTS,
        GN_CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    gn_adsorb_opts_default(&a->o, GN_MODEL_S2S);
    a->potential = GN_POTENTIAL_DEFAULT;
    a->out = "gapneb-adsorb";
    a->figures = 1;
    gn_cli_engine_init(&a->engine, cli, "adsorb");
    *help = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "k:d:p:j:o:qvh", lo, NULL)) != -1) {
        if (opt == 'h') {
            *help = 1;
            return 0;
        }
        int st = gn_cli_engine_opt(&a->engine, opt, optarg);
        if (st < 0)
            continue;
        if (st == 0)
            st = one_option(cli, opt, a);
        if (st)
            return st;
    }
    if (optind + 1 != argc)
        return gn_cli_usage_error(cli, "adsorb", "expected one model (s2s or e2e)");
    gn_error e;
    gn_model_kind kind;
    if (gn_model_kind_parse(argv[optind], &kind, &e))
        return gn_cli_usage_error(cli, "adsorb", "%s", e.msg);
    a->o.model.kind = kind;
    const char *reg = kind == GN_MODEL_E2E ? a->e2e_registry : a->s2s_registry;
    a->o.model.registry = kind == GN_MODEL_E2E ? GN_REG_ALIGNED : GN_REG_HOLLOW;
    if (reg && gn_model_has_gap(kind) &&
        gn_model_registry_parse(kind, reg, &a->o.model.registry, &e))
        return gn_cli_usage_error(cli, "adsorb", "%s", e.msg);
    if (!gn_model_has_gap(kind)) { /* a terrace: one crystal, no gap */
        if (a->gaps || a->sweep || reg)
            return gn_cli_usage_error(cli, "adsorb", "%s has one crystal (no gap, no registry)",
                                      gn_model_kind_name(kind));
        return 0;
    }
    if (!a->gaps == !a->sweep)
        return gn_cli_usage_error(cli, "adsorb", "give --gaps LIST or --sweep A:B:STEP");
    return 0;
}

static void print_results(const gn_adsorb_result *r)
{
    printf("# %s, %s, %d adatom%s%s; E_ads = E(model + adatoms) - E(model) - n E(atom), eV; "
           "E_add: the last adatom's share\n", gn_model_kind_name(r->kind), r->potential,
           r->nadatoms, r->nadatoms == 1 ? "" : "s", r->sequential ? ", sequential" : "");
    if (isnan(r->e_atom)) /* an engine: gn_adsorb_run says why */
        printf("# E_ads and E_add not available (nan): %s is an external engine, which gives no "
               "E(atom) or E(model); ranked by total energy (same atoms at each gap)\n",
               r->potential);
    printf("%-7s %2s %4s %5s  %-28s %-28s %10s %10s %10s %7s %6s\n", "gap/Å", "n", "rank",
           "id", "final sites", "start sites", "Eads/eV", "Eads/atom", "Eadd/eV", "bridge",
           "ratio");
    for (size_t i = 0; i < r->n; i++) {
        const gn_adsorb_config *c = &r->configs[i];
        if (!c->rank || c->rank > SHOW)
            continue;
        printf("%-7g %2d %4d %5d  %-28s %-28s %10.4f %10.4f %10.4f %7s %6.3f%s\n", c->gap,
               c->nadatoms, c->rank, c->id, c->final_sites, c->sites, c->e_ads,
               c->e_ads_per_atom, c->e_add,
               c->bridges ? "yes" : "no", c->bridge_ratio, c->converged ? "" : "  (not converged)");
    }
    char line[1024];
    gn_adsorb_critical_text(r, line, sizeof line);
    if (gn_model_has_gap(r->kind))
        printf("%s\n", line);
    for (size_t g = 0; g < r->ngaps; g++)
        if (r->gaps[g].screened)
            printf("pre-screen at %g Å: the most stable configuration was number %d of the "
                   "screen (%s by keeping %d)\n", r->gaps[g].gap, r->gaps[g].screen_rank_of_best,
                   r->gaps[g].screen_rank_of_best <= r->keep ? "found" : "missed", r->keep);
}

static void progress(void *ctx, const char *line) { gn_cli_log(ctx, 1, "%s", line); }

static int setup(gn_cli *cli, adsorb_args *a, gn_potential **pot, gn_job *job)
{
    gn_error e;
    static const double no_gap = INFINITY; /* a terrace: one run, no gap */
    int rc = gn_job_init(job, &e);
    if (!rc && (a->gaps || a->sweep))
        rc = a->gaps ? gn_job_set_gaps(job, a->gaps, "--gaps", &e)
                     : gn_job_set_sweep(job, a->sweep, "--sweep", &e);
    if (rc)
        return rc == GN_EINVAL ? gn_cli_usage_error(cli, "adsorb", "%s", e.msg)
                               : gn_cli_fail(cli, &e);
    if (gn_ipi_is_spec(a->potential) && !(a->a0 > 0))
        return gn_cli_usage_error(cli, "adsorb", "potential %s is an external engine, which "
                                  "cannot give the lattice constant: give --a0 (Å)",
                                  a->potential);
    a->o.model.a0 = a->a0;
    if ((rc = gn_cli_potential_alloc(&a->engine, a->potential, pot, &e)) ||
        (!(a->a0 > 0) && (rc = gn_lattice_constant(*pot, (*pot)->z, &a->o.model.a0, &e))))
        return gn_cli_fail(cli, &e);
    a->o.model.z = (*pot)->z;
    a->o.gaps = gn_model_has_gap(a->o.model.kind) ? job->gaps : &no_gap;
    a->o.ngaps = gn_model_has_gap(a->o.model.kind) ? job->ngaps : 1;
    a->o.progress = progress;
    a->o.progress_ctx = cli;
    return 0;
}

static int outputs(gn_cli *cli, const adsorb_args *a, const gn_adsorb_result *r)
{
    gn_error e;
    if (gn_adsorb_write(a->out, r, &e))
        return gn_cli_fail(cli, &e);
    gn_cli_log(cli, 1, "wrote %s/adsorption.tsv, adsorption.json and structures/\n", a->out);
    if (!a->figures)
        return 0;
    int scripts = 0, drawn = 0;
    char note[512] = "";
    if (gn_adsorb_figures(a->out, r, NULL, &scripts, &drawn, note, sizeof note, &e))
        return gn_cli_fail(cli, &e);
    if (note[0])
        fprintf(stderr, "%s: note: %s\n", cli->prog, note);
    gn_cli_log(cli, 1, "figures: %d drawn of %d scripts in %s/figures\n", drawn, scripts, a->out);
    return drawn == scripts ? 0 : GN_EXIT_FAIL;
}

int gn_cmd_adsorb(gn_cli *cli, int argc, char **argv)
{
    adsorb_args a;
    int help;
    int status = parse(cli, argc, argv, &a, &help);
    if (status || help) {
        if (help)
            usage(stdout);
        return status;
    }
    gn_potential *pot = NULL;
    gn_job job;
    memset(&job, 0, sizeof job);
    status = setup(cli, &a, &pot, &job);
    gn_adsorb_result r;
    memset(&r, 0, sizeof r);
    gn_error e;
    if (!status && gn_adsorb_run(pot, &a.o, &r, &e))
        status = gn_cli_fail(cli, &e);
    if (!status) {
        print_results(&r);
        status = gn_cli_finish_stdout(cli);
    }
    if (!status)
        status = outputs(cli, &a, &r);
    int unconverged = 0;
    for (size_t i = 0; i < r.n; i++)
        unconverged += !r.configs[i].screened_out && !r.configs[i].converged;
    if (!status && unconverged) {
        fprintf(stderr, "%s: note: %d relaxation%s did not converge (marked in the outputs)\n",
                cli->prog, unconverged, unconverged == 1 ? "" : "s");
        status = GN_EXIT_FAIL;
    }
    gn_adsorb_result_clear(&r);
    gn_job_clear(&job);
    return gn_cli_potential_free(&a.engine, pot, status);
}
