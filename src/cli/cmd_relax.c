/* gapneb relax: relaxes a structure with FIRE and writes it. Energies eV, forces eV/Å, lengths Å. */
#include "cli.h"

#include "gapneb/neb.h"
#include "gapneb/potential.h"
#include "gapneb/structure.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct relax_opts {
    const char *in, *out, *potential;
    char out_buf[4096];
    gn_fire_opts fire;
    gn_cli_engine engine;
} relax_opts;

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb relax STRUCTURE [-o OUT] [--fmax F] [--max-steps N]\n"
            "                    [--potential NAME|FILE] [--fire 1|2] [--max-move D]\n\n"
            "Relaxes a structure (extended XYZ or VASP POSCAR) with FIRE; fixed atoms stay put.\n"
            "Writes the relaxed structure and prints its energy (eV), the largest force on a\n"
            "movable atom (eV/Å), the FIRE steps and the force calls. A run that does not reach\n"
            "fmax within the step cap says so, writes the last structure and exits 1.\n\n"
            "Options:\n"
            "  -o, --out OUT              output file (.xyz or POSCAR name; default\n"
            "                             STRUCTURE with .relaxed.xyz; also --output)\n"
            "  -f, --fmax F               convergence: largest atomic force, eV/Å (0.005)\n"
            "  -n, --max-steps N          FIRE step cap (2000)\n"
            "  -p, --potential NAME|FILE  eam-pt (default), morse-pt, lj-pt, lj, or a LAMMPS EAM\n"
            "                             file (*.eam, *.eam.alloy)\n"
            GN_CLI_POTENTIAL_ENGINE_HELP
            "      --fire 1|2             FIRE (Bitzek 2006) or FIRE 2.0 (Guenole 2020, default)\n"
            "      --max-move D           largest move of an atom per step, Å (0.2)\n"
            "  -q, --quiet / -v, --verbose / -h, --help\n\n%s\n"
            "Units: length Å, energy eV, force eV/Å.\n"
            "Exit status: 0 converged; 1 not converged; 2 bad usage or bad input; 3 I/O failure\n"
            "(also an engine that fails); 128 + signal when interrupted.\n", gn_cli_engine_help);
}

/* STRUCTURE's base name without its extension + ".relaxed.xyz"; 0, or -1 when that does not
 * fit (the caller refuses rather than write to a shortened name). */
static int default_output(relax_opts *o)
{
    const char *base = strrchr(o->in, '/');
    base = base ? base + 1 : o->in;
    const char *dot = strrchr(base, '.');
    int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    int k = snprintf(o->out_buf, sizeof o->out_buf, "%.*s.relaxed.xyz", stem, base);
    if (k < 0 || (size_t)k >= sizeof o->out_buf)
        return -1;
    o->out = o->out_buf;
    return 0;
}

/* Returns -1 to go on, otherwise the exit status. */
static int parse_args(gn_cli *cli, int argc, char **argv, relax_opts *o)
{
    enum { OPT_FIRE = 1000, OPT_MAXMOVE };
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},       {"output", required_argument, NULL, 'o'},
        {"fmax", required_argument, NULL, 'f'},
        {"max-steps", required_argument, NULL, 'n'}, {"potential", required_argument, NULL, 'p'},
        {"fire", required_argument, NULL, OPT_FIRE}, {"max-move", required_argument, NULL, OPT_MAXMOVE},
        GN_CLI_ENGINE_LONGOPTS,
        GN_CLI_COMMON_LONGOPTS,                    {NULL, 0, NULL, 0},
    };
    o->potential = GN_POTENTIAL_DEFAULT;
    gn_fire_opts_default(&o->fire, GN_FIRE_2);
    o->fire.fmax = 0.005;
    o->fire.max_steps = 2000;
    int opt, v;
    gn_cli_engine_init(&o->engine, cli, "relax");
    while ((opt = getopt_long(argc, argv, "o:f:n:p:hqv", longopts, NULL)) != -1) {
        int ex = gn_cli_engine_opt(&o->engine, opt, optarg);
        if (ex > 0)
            return ex;
        if (ex < 0)
            continue;
        switch (opt) {
        case 'o': o->out = optarg; break;
        case 'p': o->potential = optarg; break;
        case 'f':
            if (gn_cli_parse_double(optarg, &o->fire.fmax) || !(o->fire.fmax > 0))
                return gn_cli_usage_error(cli, "relax", "--fmax needs a number > 0 (eV/Å)");
            break;
        case 'n':
            if (gn_cli_parse_int(optarg, &o->fire.max_steps) || o->fire.max_steps < 0)
                return gn_cli_usage_error(cli, "relax", "--max-steps needs an integer >= 0");
            break;
        case OPT_FIRE:
            if (gn_cli_parse_int(optarg, &v) || (v != 1 && v != 2))
                return gn_cli_usage_error(cli, "relax", "--fire needs 1 or 2");
            {
                double fmax = o->fire.fmax;
                int steps = o->fire.max_steps;
                double mm = o->fire.max_move;
                gn_fire_opts_default(&o->fire, (gn_fire_variant)v);
                o->fire.fmax = fmax;
                o->fire.max_steps = steps;
                o->fire.max_move = mm;
            }
            break;
        case OPT_MAXMOVE:
            if (gn_cli_parse_double(optarg, &o->fire.max_move) || !(o->fire.max_move > 0))
                return gn_cli_usage_error(cli, "relax", "--max-move needs a number > 0 (Å)");
            break;
        case 'h': usage(stdout); return GN_EXIT_OK;
        default:
            if (!gn_cli_common_opt(cli, opt))
                return gn_cli_usage_error(cli, "relax", "unknown option");
        }
    }
    if (optind >= argc)
        return gn_cli_usage_error(cli, "relax", "no STRUCTURE given");
    if (optind + 1 < argc)
        return gn_cli_usage_error(cli, "relax", "unexpected argument '%s'", argv[optind + 1]);
    o->in = argv[optind];
    if (!o->out && default_output(o) != 0)
        return gn_cli_usage_error(cli, "relax", "the output name made from '%s' is too long: "
                                  "give --out", o->in);
    return -1;
}

typedef struct relax_log {
    const gn_cli *cli;
} relax_log;

static int relax_progress(void *ctx, int step, double energy, double fmax)
{
    const relax_log *l = ctx;
    if (step % 20 == 0)
        gn_cli_log(l->cli, 2, "relax: step %5d  E %.6f eV  fmax %.5f eV/Å\n", step, energy, fmax);
    return 0;
}

int gn_cmd_relax(gn_cli *cli, int argc, char **argv)
{
    relax_opts o;
    memset(&o, 0, sizeof o);
    int ex = parse_args(cli, argc, argv, &o);
    if (ex >= 0)
        return ex;
    gn_error err;
    gn_error_clear(&err);
    gn_atoms *a = NULL;
    gn_potential *pot = NULL;
    int rc = gn_structure_read(o.in, &a, &err);
    if (!rc)
        rc = gn_atoms_validate(a, o.in, 0.5, &err);
    if (!rc)
        rc = gn_cli_potential_alloc(&o.engine, o.potential, &pot, &err);
    if (rc) {
        ex = gn_cli_fail(cli, &err);
        goto done;
    }
    relax_log log = {cli};
    o.fire.progress = relax_progress;
    o.fire.progress_ctx = &log;
    gn_cli_log(cli, 1, "relax: %s, %zu atoms (%zu movable), potential %s, fmax %g eV/Å\n", o.in,
               a->n, gn_atoms_nmovable(a), pot->name, o.fire.fmax);
    gn_fire_result r;
    rc = gn_relax(pot, a, &o.fire, &r, &err);
    if (!rc)
        rc = gn_structure_write(o.out, a, &err);
    if (rc) {
        ex = gn_cli_fail(cli, &err);
        goto done;
    }
    printf("structure    %s\n", o.out);
    printf("energy_eV    %.8f\n", r.energy);
    printf("fmax_eV/A    %.6f\n", r.fmax);
    printf("steps        %d\n", r.steps);
    printf("force_calls  %lu\n", r.evals);
    printf("converged    %s\n", r.converged ? "yes" : "no");
    if (!r.converged) {
        gn_cli_log(cli, 1, "relax: not converged: fmax %.5f eV/Å after %d steps (cap); the last "
                   "structure was written\n", r.fmax, r.steps);
        ex = GN_EXIT_FAIL;
    } else {
        ex = GN_EXIT_OK;
    }
done:
    gn_atoms_free(a);
    return gn_cli_potential_free(&o.engine, pot, ex);
}
