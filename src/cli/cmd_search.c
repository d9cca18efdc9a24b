/* gapneb search: automatic process search from a minimum by the dimer method (search.h).
 * Lengths Å, energies eV, forces eV/Å, frequencies THz. */
#include "cli.h"

#include "gapneb/atoms.h"
#include "gapneb/potential.h"
#include "gapneb/search.h"
#include "gapneb/structure.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct search_args {
    const char *in, *out, *potential, *atoms;
    int jobs;
    gn_search_opts so;
    gn_cli_engine engine;
} search_args;

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb search STRUCTURE [--potential P] [--searches N] [--radius R]\n"
            "                     [--atoms LIST] [--seed S] [--jobs J] [--out DIR] [--confirm]\n\n"
            "Looks for the elementary processes that leave a minimum, without naming them: the\n"
            "structure is relaxed; each search displaces the atoms within R of one of the chosen\n"
            "atoms at random (Gaussian, --displace per component) and follows the lowest mode\n"
            "uphill with the dimer method (Henkelman and Jónsson 1999; rotation of Heyden et al.\n"
            "2005, L-BFGS translation of Kästner and Sherwood 2008) to a saddle. A saddle counts\n"
            "when it is first-order (Lanczos: one imaginary frequency) and one of the two minima\n"
            "it falls into along its unstable mode is the start; saddles within 1 meV and 0.1 Å\n"
            "of each other are one process. Searches run in parallel; the result depends on the\n"
            "seed and the number of searches, not on the number of threads.\n\n"
            "The chosen atoms are by default the least-coordinated movable atoms (neighbours\n"
            "within 1.2 nearest-neighbour distances): an adatom on a facet has 4 on (100) or 3\n"
            "on (111), surface atoms 7 to 9. Atoms are numbered from 0 in file order.\n\n"
            "Writes DIR/processes.tsv and DIR/processes.json (barrier, reverse barrier, saddle\n"
            "and product energies, atoms that move more than 0.5 Å, force calls), DIR/start.xyz\n"
            "and each saddle and product as DIR/saddle_K.xyz, DIR/product_K.xyz (K by barrier).\n\n"
            "Options:\n"
            "  -p, --potential P   eam-pt (default), morse-pt, lj-pt, lj (with parameters, e.g.\n"
            "                      lj-pt:rc=8) or a LAMMPS EAM file\n"
            GN_CLI_POTENTIAL_ENGINE_HELP_AT("                      ")
            "  -n, --searches N    number of searches (10)\n"
            "  -r, --radius R      displace the atoms within R Å of the chosen atom (default 1.2\n"
            "                      nearest-neighbour distances: its first neighbour shell)\n"
            "  -a, --atoms LIST    chosen atoms, e.g. 128 or 3,7,10-12 (default: the\n"
            "                      least-coordinated movable atoms)\n"
            "  -s, --seed S        seed of the displacements (1)\n"
            "  -j, --jobs J        parallel threads; 0 = one per core (0)\n"
            "  -o, --out DIR       output folder (search-out)\n"
            "      --confirm       a climbing-image NEB from the start to each product, which must\n"
            "                      reproduce the saddle within 2 meV\n"
            "      --displace D    standard deviation of the displacement, Å (0.1)\n"
            "      --fmax F        saddle convergence: largest force, eV/Å (0.01)\n"
            "      --max-steps N   dimer translation steps per search (500)\n"
            "  -q, --quiet / -v, --verbose / -h, --help\n\n"
            "\n%s\n"
            "With an engine pool the parallel searches share the clients.\n\n"
            "Units: length Å, energy eV, force eV/Å, frequency THz.\n"
            "Exit status: 0 at least one process found (and confirmed, with --confirm); 1 none\n"
            "found or a confirmation failed; 2 bad usage or bad input; 3 I/O failure (also an\n"
            "engine that fails); 128 + signal when interrupted.\n", gn_cli_engine_help);
}

/* "3,7,10-12" into a new array; -1 on a malformed list. */
static int parse_atoms(const char *s, size_t **out, size_t *n)
{
    size_t cap = 8, m = 0;
    size_t *v = malloc(cap * sizeof *v);
    const char *p = s;
    while (v && *p) {
        char *end;
        long a = strtol(p, &end, 10), b;
        if (end == p || a < 0)
            break;
        b = a;
        if (*end == '-') {
            p = end + 1;
            b = strtol(p, &end, 10);
            if (end == p || b < a || b - a > 1000000)
                break;
        }
        for (long k = a; k <= b; k++) {
            if (m == cap) {
                size_t *w = realloc(v, 2 * cap * sizeof *v);
                if (!w)
                    break;
                v = w;
                cap *= 2;
            }
            v[m++] = (size_t)k;
        }
        if (*end == ',' && end[1])
            p = end + 1;
        else if (*end == '\0')
            p = end;
        else
            break;
    }
    if (!v || *p || m == 0) {
        free(v);
        return -1;
    }
    *out = v;
    *n = m;
    return 0;
}

/* Returns -1 to go on, otherwise the exit status. */
static int parse_args(gn_cli *cli, int argc, char **argv, search_args *a)
{
    enum { OPT_CONFIRM = 1000, OPT_DISPLACE, OPT_FMAX, OPT_MAXSTEPS };
    static const struct option longopts[] = {
        {"potential", required_argument, NULL, 'p'}, {"searches", required_argument, NULL, 'n'},
        {"radius", required_argument, NULL, 'r'},    {"atoms", required_argument, NULL, 'a'},
        {"seed", required_argument, NULL, 's'},      {"jobs", required_argument, NULL, 'j'},
        {"out", required_argument, NULL, 'o'},       {"confirm", no_argument, NULL, OPT_CONFIRM},
        {"displace", required_argument, NULL, OPT_DISPLACE},
        {"fmax", required_argument, NULL, OPT_FMAX},
        {"max-steps", required_argument, NULL, OPT_MAXSTEPS},
        GN_CLI_ENGINE_LONGOPTS,
        GN_CLI_COMMON_LONGOPTS,                      {NULL, 0, NULL, 0},
    };
    a->potential = GN_POTENTIAL_DEFAULT;
    a->out = "search-out";
    gn_search_opts_default(&a->so);
    gn_cli_engine_init(&a->engine, cli, "search");
    int opt;
    while ((opt = getopt_long(argc, argv, "p:n:r:a:s:j:o:hqv", longopts, NULL)) != -1) {
        int ex = gn_cli_engine_opt(&a->engine, opt, optarg);
        if (ex > 0)
            return ex;
        if (ex < 0)
            continue;
        switch (opt) {
        case 'p': a->potential = optarg; break;
        case 'o': a->out = optarg; break;
        case 'a': a->atoms = optarg; break;
        case OPT_CONFIRM: a->so.confirm = 1; break;
        case 'n':
            if (gn_cli_parse_int(optarg, &a->so.nsearch) || a->so.nsearch < 1)
                return gn_cli_usage_error(cli, "search", "--searches needs an integer >= 1");
            break;
        case 'r':
            if (gn_cli_parse_double(optarg, &a->so.radius) || !(a->so.radius > 0))
                return gn_cli_usage_error(cli, "search", "--radius needs a number > 0 (Å)");
            break;
        case 's': {
            char *end;
            errno = 0;
            unsigned long seed = strtoul(optarg, &end, 10);
            if (end == optarg || *end || errno || optarg[0] == '-')
                return gn_cli_usage_error(cli, "search", "--seed needs an integer >= 0");
            a->so.seed = seed;
            break;
        }
        case 'j':
            if (gn_cli_parse_int(optarg, &a->jobs) || a->jobs < 0 || a->jobs > 4096)
                return gn_cli_usage_error(cli, "search", "--jobs needs an integer 0 to 4096");
            break;
        case OPT_DISPLACE:
            if (gn_cli_parse_double(optarg, &a->so.displace) || !(a->so.displace > 0) ||
                a->so.displace > 2)
                return gn_cli_usage_error(cli, "search", "--displace needs a number in (0, 2] "
                                          "(Å)");
            break;
        case OPT_FMAX:
            if (gn_cli_parse_double(optarg, &a->so.dimer.fmax) || !(a->so.dimer.fmax > 0))
                return gn_cli_usage_error(cli, "search", "--fmax needs a number > 0 (eV/Å)");
            break;
        case OPT_MAXSTEPS:
            if (gn_cli_parse_int(optarg, &a->so.dimer.max_steps) || a->so.dimer.max_steps < 1)
                return gn_cli_usage_error(cli, "search", "--max-steps needs an integer >= 1");
            break;
        case 'h': usage(stdout); return GN_EXIT_OK;
        default:
            if (!gn_cli_common_opt(cli, opt))
                return gn_cli_usage_error(cli, "search", "unknown option");
        }
    }
    if (optind >= argc)
        return gn_cli_usage_error(cli, "search", "no STRUCTURE given");
    if (optind + 1 < argc)
        return gn_cli_usage_error(cli, "search", "unexpected argument '%s'", argv[optind + 1]);
    a->in = argv[optind];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    a->so.jobs = a->jobs > 0 ? a->jobs : cores > 0 ? (int)(cores < 4096 ? cores : 4096) : 1;
    return -1;
}

static void progress(void *ctx, int search, int done, int total, gn_search_outcome outcome,
                     double barrier)
{
    const gn_cli *cli = ctx;
    if (outcome == GN_SEARCH_NEW)
        gn_cli_log(cli, 2, "search %d (%d/%d done): saddle %.4f eV above the start\n", search,
                   done, total, barrier);
    else
        gn_cli_log(cli, 2, "search %d (%d/%d done): %s\n", search, done, total,
                   gn_search_outcome_name(outcome));
}

static void print_result(const gn_search_result *r, const gn_search_opts *o, const char *out)
{
    int connected = r->count[GN_SEARCH_NEW] + r->count[GN_SEARCH_DUPLICATE];
    printf("# %d searches: %d converged, %d first-order and connected to the start, %zu unique"
           " processes; %.0f dimer force calls per converged saddle\n",
           r->nsearch, r->nconverged, connected, r->nprocesses,
           r->nconverged ? (double)r->dimer_calls / r->nconverged : 0.0);
    printf("# start energy %.6f eV; files in %s\n", r->e_start, out);
    printf("id\tbarrier_eV\treverse_eV\treaction_eV\tmoved_atoms\tfound\tforce_calls%s\n",
           o->confirm ? "\tneb_barrier_eV\tconfirmed" : "");
    for (size_t k = 0; k < r->nprocesses; k++) {
        const gn_search_process *p = &r->processes[k];
        printf("%zu\t%.4f\t%.4f\t%.4f\t", k + 1, p->barrier, p->barrier_rev,
               p->e_product - r->e_start);
        if (p->nmoved == 0)
            putchar('-');
        for (size_t m = 0; m < p->nmoved; m++)
            printf("%s%zu", m ? "," : "", p->moved[m]);
        printf("\t%d\t%lu", p->count, p->force_calls);
        if (o->confirm)
            printf("\t%.4f\t%s", p->neb_barrier, p->confirmed == 1 ? "yes" : "no");
        putchar('\n');
    }
}

int gn_cmd_search(gn_cli *cli, int argc, char **argv)
{
    search_args a;
    memset(&a, 0, sizeof a);
    int ex = parse_args(cli, argc, argv, &a);
    if (ex >= 0)
        return ex;
    gn_error err;
    gn_error_clear(&err);
    gn_atoms *start = NULL;
    gn_potential *pot = NULL;
    size_t *atoms = NULL, natoms = 0;
    gn_search_result res;
    memset(&res, 0, sizeof res);
    if (a.atoms && parse_atoms(a.atoms, &atoms, &natoms)) {
        ex = gn_cli_usage_error(cli, "search", "--atoms needs atom numbers from 0, e.g. 128 or "
                                "3,7,10-12, not '%s'", a.atoms);
        goto done;
    }
    a.so.atoms = atoms;
    a.so.natoms = natoms;
    int rc = gn_structure_read(a.in, &start, &err);
    if (!rc)
        rc = gn_atoms_validate(start, a.in, 0.5, &err);
    if (!rc)
        rc = gn_cli_potential_alloc(&a.engine, a.potential, &pot, &err);
    if (rc) {
        ex = gn_cli_fail(cli, &err);
        goto done;
    }
    a.so.progress = progress;
    a.so.progress_ctx = cli;
    gn_cli_log(cli, 1, "search: %s, %zu atoms (%zu movable), potential %s, %d searches on %d "
               "threads, seed %lu\n", a.in, start->n, gn_atoms_nmovable(start),
               gn_potential_spec(pot), a.so.nsearch, a.so.jobs, a.so.seed);
    rc = gn_search_run(pot, start, &a.so, &res, &err);
    if (!rc) {
        gn_cli_log(cli, 1, "search: %zu chosen atom(s) (first %zu), radius %.3f Å; %.1f s\n",
                   res.nepicentres, res.nepicentres ? res.epicentres[0] : 0, res.radius,
                   res.wall_time);
        rc = gn_search_write(a.out, &res, &a.so, gn_potential_spec(pot), &err);
    }
    if (rc) {
        ex = gn_cli_fail(cli, &err);
        goto done;
    }
    print_result(&res, &a.so, a.out);
    ex = res.nprocesses > 0 ? GN_EXIT_OK : GN_EXIT_FAIL;
    for (size_t k = 0; a.so.confirm && k < res.nprocesses; k++)
        if (res.processes[k].confirmed != 1)
            ex = GN_EXIT_FAIL;
    if (res.nprocesses == 0)
        gn_cli_log(cli, 1, "search: no process found: try more searches (--searches) or a "
                   "larger displacement (--displace)\n");
    int ex2 = gn_cli_finish_stdout(cli);
    if (ex2)
        ex = ex2;
done:
    gn_search_result_clear(&res);
    gn_atoms_free(start);
    free(atoms);
    return gn_cli_potential_free(&a.engine, pot, ex);
}
