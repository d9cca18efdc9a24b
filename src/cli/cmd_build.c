/* gapneb build: writes a surface-to-surface (s2s), edge-to-edge (e2e) or nanocrystal (nc) gap
 * model or a pt100, pt111 terrace, optionally with an adatom on a named site, or lists the
 * adsorption sites. Lengths in Å.
 *
 * The lattice constant is the chosen potential's equilibrium fcc value (--a0 overrides it), so
 * the built crystals are unstrained for that potential; so are the (relaxed) surface energies of
 * an nc Wulff shape (--gamma overrides them). The same potential relaxes the adatoms that find
 * the mid-gap sites (G:i, model_gap.h).
 */
#include "cli.h"

#include "gapneb/atoms.h"
#include "gapneb/element.h"
#include "gapneb/model.h"
#include "gapneb/picture.h"
#include "gapneb/model_gap.h"
#include "gapneb/potential.h"
#include "gapneb/structure.h"
#include "gapneb/io_xyz.h"
#include "gapneb/io_lammps.h"
#include "gapneb/engine_box.h"
#include "gapneb/properties.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SITES 64

typedef struct build_args {
    gn_model_opts model;
    double engine_vacuum;
    const char *sites[MAX_SITES]; /* --site, repeatable: one adatom each, in order */
    size_t nsites;
    const char *picture;          /* --picture FILE.png */
    const char *process; /* --process: both endpoints */
    const char *final;   /* --final FILE: where the final endpoint goes */
    const char *output;
    const char *potential;
    const char *element; /* NULL: Pt (or the potential's own element) */
    int potential_given;
    int a0_given;
    int gamma_given;
    int list_sites;
    gn_potential *pot; /* relaxes the mid-gap sites; sets a0 and the species */
} build_args;

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: gapneb build s2s|e2e|nc|pt100|pt111 --gap D [--site SITE]... [--list-sites]\n"
            "                    [-o FILE] [--process P --final FILE] [--picture FILE.png]\n"
            "                    [--n N] [--layers L] [--registry R] [--m M] [--radius R]\n"
            "                    [--fix-depth F] [--facing facet|edge] [--shape octahedron|wulff]\n"
            "                    [--diameter D | --atoms N] [--fix-shell W] [--gamma G100,G111]\n"
            "                    [--vacuum V] [--single]\n"
            "                    [--potential NAME|FILE] [--element EL] [--a0 A]\n\n"
            "Builds a gap model between two Pt nanocrystals A (bulk at z < 0) and B (its mirror\n"
            "image through z = d/2), or a terrace (crystal A alone), and writes it as extended\n"
            "XYZ (to stdout, or to FILE), as VASP POSCAR (FILE named POSCAR*, CONTCAR*, *.vasp\n"
            "or *.poscar) or as a LAMMPS data file (FILE named *.data: atom_style atomic, the\n"
            "same atom order, the box an i-PI engine is sent, padded with --engine-vacuum; for\n"
            "a LAMMPS fix ipi client). Atoms: A, then B, then one\n"
            "adatom per --site in the order given. Fixed atoms are marked (move_mask in XYZ).\n\n"
            "Models:\n"
            "  s2s   fcc(100) slabs facing each other, n x n surface cells (x along [110], y along\n"
            "        [1-10], periodic), L layers each; the 2 layers farthest from the gap fixed\n"
            "  e2e   two (001)/(111) edges facing each other, x along the edge [1-10] (periodic,\n"
            "        m spacings of a0/sqrt2); atoms within R of the edge line, fixed beyond R - F\n"
            "  nc    two finite fcc nanocrystals (free in every direction), truncated octahedra or\n"
            "        Wulff shapes, facing with their (001) facets (z axis through the facet centres)\n"
            "        or with (001)/(111) edges (e2e frame, origin at the middle of A's edge row)\n"
            "  pt100 one fcc(100) slab, the s2s crystal alone (no --gap)\n"
            "  pt111 one fcc(111) slab, n x n primitive surface cells (x along [1-10], y along\n"
            "        [11-2], periodic), L layers; the 2 layers farthest from the surface fixed\n\n"
            "Sites: A100:i (100) 4-fold hollows, A111:i (111) fcc hollows, A111h:i (111) hcp\n"
            "hollows, the same on B, and G:i mid-gap sites (an adatom bonded to both crystals,\n"
            "found by relaxing adatoms started midway between facing hollows with the potential;\n"
            "only at gaps where they exist; none on nc). Index 0 is nearest the cell centre,\n"
            "the axis (nc facing a facet) or the edge (e2e, nc facing an edge).\n\n"
            "Options:\n"
            "  -d, --gap D              gap d (Å): s2s between the facing nuclei planes, e2e\n"
            "                           between the edge rows, 0 < D <= %g (required unless\n"
            "                           --single or a terrace)\n"
            "  -s, --site SITE          put an adatom on SITE, e.g. A100:0, B111:2, A111h:0, G:0\n"
            "                           (index 0 is the site nearest the cell centre (s2s, pt100,\n"
            "                           pt111) or the edge (e2e)); repeat for more adatoms (a\n"
            "                           comma list works too); sites closer than 0.7\n"
            "                           nearest-neighbour distances to each other or to an atom\n"
            "                           are refused\n"
            "      --picture FILE.png   also draw the model: top view (s2s, terraces; e2e: front\n"
            "                           view) of the surface atoms and adatoms and a side view,\n"
            "                           discs coloured by crystal A, crystal B and adatoms,\n"
            "                           adatoms labelled by site; FILE.png, FILE.svg, FILE.tsv\n"
            "                           (data), FILE.gp (script)\n"
            "  -l, --list-sites         print the sites: name, kind (hollow100, fcc111, hcp111,\n"
            "                           gap), x y z (Å), distance to the cell centre (lateral)\n"
            "                           or to the edge line (e2e) (Å), neighbours (hollows: at\n"
            "                           a0/sqrt2 in the own crystal; gap: within 1.1 a0/sqrt2)\n"
            "  -o, --out FILE           write the structure to FILE instead of stdout (also\n"
            "                           --output)\n"
            "      --process P          the endpoints of process P (hop, transfer, exchange, as\n"
            "                           in gapneb table): the initial one to -o FILE (or\n"
            "                           stdout), the final one to --final FILE; same atoms in\n"
            "                           the same order, ready for gapneb neb\n"
            "      --final FILE         where --process writes the final endpoint\n"
            "      --n N                s2s, pt100, pt111: N x N surface cells (default 4)\n"
            "      --layers L           s2s, pt100, pt111: layers per slab, at least 3 (4)\n"
            "      --registry R         s2s: hollow (default), top or bridge;\n"
            "                           e2e: aligned (default) or staggered (half a spacing)\n"
            "      --m M                e2e: periodic length in edge spacings (default 4)\n"
            "      --radius R           e2e: keep atoms within R Å of the edge line (default 12)\n"
            "      --fix-depth F        e2e: fix atoms farther than R - F Å from the edge (4)\n"
            "      --facing F           nc: facet (default: (001) facets face each other) or edge\n"
            "                           ((001)/(111) edges); registries hollow, top, bridge facing\n"
            "                           a facet (default hollow), aligned, staggered facing an\n"
            "                           edge (default aligned)\n"
            "      --shape S            nc: octahedron (default; truncated octahedra of 38, 79,\n"
            "                           116, 201, 314, 405, 586, ... atoms) or wulff (the Wulff\n"
            "                           shape of the potential's relaxed (100)/(111) surface\n"
            "                           energies)\n"
            "      --diameter D         nc: distance between opposite (100) facets (nuclei\n"
            "                           planes), Å; the nearest shape is taken (default 20;\n"
            "                           --size is the same option)\n"
            "      --atoms N            nc: atoms per crystal; the shape with the nearest count\n"
            "      --fix-shell W        nc: fix the atoms less than W Å below the surface on the\n"
            "                           half of each crystal away from the gap (default 1: its\n"
            "                           outer layer; 0: free crystals)\n"
            "      --gamma G100,G111    nc wulff: surface energies (J/m^2) instead of the\n"
            "                           potential's\n"
            "      --vacuum V           Å of vacuum along the free directions (default 0: zero\n"
            "                           cell vectors there; V > 0 centres the model in a box)\n"
            "      --single             crystal A alone (a single surface or edge)\n"
            "      --engine-vacuum V    *.data: vacuum between periodic images along free\n"
            "                           directions, Å (default %g, as gapneb sends engines)\n"
            "  -p, --potential NAME|FILE  potential whose equilibrium lattice constant a0 is used\n"
            "                           (default %s; built-ins eam-pt, morse-pt, lj-pt, lj, or a\n"
            "                           LAMMPS EAM file); it also sets the species and relaxes\n"
            "                           the adatoms that find the mid-gap sites\n"
            "      --element EL         element of the crystals and the adatom, one the\n"
            "                           potential describes (default Pt; a multi-element\n"
            "                           LAMMPS setfl is used for that element only)\n"
            "  -a, --a0 A               lattice constant a0 (Å) instead of the potential's\n"
            "  -q, --quiet              no diagnostics on stderr\n"
            "  -v, --verbose            more diagnostics on stderr\n"
            "  -h, --help               this text\n\n"
            "Units: length Å. Exit status: 0 ok; 2 bad usage or bad input; 3 I/O failure.\n",
            GN_MODEL_GAP_MAX, GN_ENGINE_VACUUM_DEFAULT, GN_POTENTIAL_DEFAULT);
}

enum { OPT_N = 1000, OPT_LAYERS, OPT_REGISTRY, OPT_M, OPT_RADIUS, OPT_FIXDEPTH, OPT_VACUUM,
       OPT_SINGLE, OPT_BUILD_PROCESS, OPT_FINAL, OPT_ELEMENT, OPT_PICTURE, OPT_FACING, OPT_SHAPE,
       OPT_DIAMETER, OPT_ATOMS, OPT_FIXSHELL, OPT_GAMMA };

/* The numeric options: -1 if opt was one and parsed, 0 if opt is not numeric, otherwise the
 * exit status of a usage error. */
static int numeric_opt(gn_cli *cli, int opt, const char *val, build_args *b)
{
    gn_model_opts *o = &b->model;
    double *dv = NULL;
    int *iv = NULL;
    const char *name;
    switch (opt) {
    case 'd': dv = &o->gap; name = "--gap"; break;
    case 'a': dv = &o->a0; name = "--a0"; b->a0_given = 1; break;
    case OPT_N: iv = &o->n; name = "--n"; break;
    case OPT_LAYERS: iv = &o->layers; name = "--layers"; break;
    case OPT_M: iv = &o->m; name = "--m"; break;
    case OPT_RADIUS: dv = &o->R; name = "--radius"; break;
    case OPT_FIXDEPTH: dv = &o->fix_depth; name = "--fix-depth"; break;
    case OPT_VACUUM: dv = &o->vacuum; name = "--vacuum"; break;
    case GN_OPT_ENGINE_VACUUM: dv = &b->engine_vacuum; name = "--engine-vacuum"; break;
    case OPT_DIAMETER: dv = &o->diameter; name = "--diameter"; break;
    case OPT_ATOMS: iv = &o->natoms; name = "--atoms"; break;
    case OPT_FIXSHELL: dv = &o->fix_shell; name = "--fix-shell"; break;
    default: return 0;
    }
    int bad = dv ? gn_cli_parse_double(val, dv) : gn_cli_parse_int(val, iv);
    if (bad)
        return gn_cli_usage_error(cli, "build", "%s: '%s' is not a%s number", name, val,
                                  dv ? "" : "n integer");
    return -1;
}

/* --site A100:0 --site A100:1 or --site A100:0,A100:1: pointers into argv, commas cut. */
static int add_sites(gn_cli *cli, build_args *b, char *arg)
{
    for (char *tok = strtok(arg, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ')
            tok++;
        if (b->nsites == MAX_SITES)
            return gn_cli_usage_error(cli, "build", "more than %d sites", MAX_SITES);
        b->sites[b->nsites++] = tok;
    }
    return 0;
}

/* "G100,G111": two positive numbers. */
static int parse_gamma(const char *s, gn_model_opts *o)
{
    char buf[128];
    const char *comma = strchr(s, ',');
    if (!comma || (size_t)(comma - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, (size_t)(comma - s));
    buf[comma - s] = '\0';
    if (gn_cli_parse_double(buf, &o->gamma100) || gn_cli_parse_double(comma + 1, &o->gamma111))
        return -1;
    return o->gamma100 > 0.0 && o->gamma111 > 0.0 ? 0 : -1;
}

/* --facing, --shape, --gamma: -1 if opt was one and parsed, 0 if not one of them, otherwise the
 * exit status of a usage error. */
static int nc_opt(gn_cli *cli, int opt, const char *val, build_args *b)
{
    gn_error e;
    switch (opt) {
    case OPT_FACING:
        if (gn_nc_facing_parse(val, &b->model.facing, &e) != GN_OK)
            return gn_cli_usage_error(cli, "build", "--facing: %s", e.msg);
        return -1;
    case OPT_SHAPE:
        if (gn_nc_shape_parse(val, &b->model.shape, &e) != GN_OK)
            return gn_cli_usage_error(cli, "build", "--shape: %s", e.msg);
        return -1;
    case OPT_GAMMA:
        if (parse_gamma(val, &b->model) != 0)
            return gn_cli_usage_error(cli, "build", "--gamma: '%s' is not two numbers G100,G111 "
                                      "(J/m^2)", val);
        b->gamma_given = 1;
        return -1;
    default: return 0;
    }
}

/* The model kind comes first on the command line but the defaults depend on it, so options are
 * collected against s2s defaults and the kind-specific ones re-applied afterwards. */
static int parse_args(gn_cli *cli, int argc, char **argv, build_args *b)
{
    static const struct option longopts[] = {
        {"gap", required_argument, NULL, 'd'},
        {"site", required_argument, NULL, 's'},
        {"list-sites", no_argument, NULL, 'l'},
        {"out", required_argument, NULL, 'o'}, {"output", required_argument, NULL, 'o'},
        {"n", required_argument, NULL, OPT_N},
        {"layers", required_argument, NULL, OPT_LAYERS},
        {"registry", required_argument, NULL, OPT_REGISTRY},
        {"m", required_argument, NULL, OPT_M},
        {"radius", required_argument, NULL, OPT_RADIUS},
        {"fix-depth", required_argument, NULL, OPT_FIXDEPTH},
        {"vacuum", required_argument, NULL, OPT_VACUUM},
        {"single", no_argument, NULL, OPT_SINGLE},
        {"process", required_argument, NULL, OPT_BUILD_PROCESS},
        {"final", required_argument, NULL, OPT_FINAL},
        {"engine-vacuum", required_argument, NULL, GN_OPT_ENGINE_VACUUM},
        {"picture", required_argument, NULL, OPT_PICTURE},
        {"potential", required_argument, NULL, 'p'},
        {"a0", required_argument, NULL, 'a'},
        {"element", required_argument, NULL, OPT_ELEMENT},
        {"facing", required_argument, NULL, OPT_FACING},
        {"shape", required_argument, NULL, OPT_SHAPE},
        {"diameter", required_argument, NULL, OPT_DIAMETER},
        {"size", required_argument, NULL, OPT_DIAMETER},
        {"atoms", required_argument, NULL, OPT_ATOMS},
        {"fix-shell", required_argument, NULL, OPT_FIXSHELL},
        {"gamma", required_argument, NULL, OPT_GAMMA},
        GN_CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    memset(b, 0, sizeof *b);
    gn_model_opts_default(&b->model, GN_MODEL_S2S);
    b->model.registry = -1;
    b->potential = GN_POTENTIAL_DEFAULT;
    b->engine_vacuum = GN_ENGINE_VACUUM_DEFAULT;
    const char *registry = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "d:s:lo:p:a:hqv", longopts, NULL)) != -1) {
        int rc = numeric_opt(cli, opt, optarg, b);
        if (rc == 0)
            rc = nc_opt(cli, opt, optarg, b);
        if (rc > 0)
            return rc;
        if (rc < 0)
            continue;
        switch (opt) {
        case 's':
            if ((rc = add_sites(cli, b, optarg)) > 0)
                return rc;
            break;
        case OPT_PICTURE: b->picture = optarg; break;
        case 'l': b->list_sites = 1; break;
        case 'o': b->output = optarg; break;
        case 'p': b->potential = optarg; b->potential_given = 1; break;
        case OPT_REGISTRY: registry = optarg; break;
        case OPT_SINGLE: b->model.single = 1; break;
        case OPT_BUILD_PROCESS: b->process = optarg; break;
        case OPT_FINAL: b->final = optarg; break;
        case OPT_ELEMENT: b->element = optarg; break;
        case 'h': usage(stdout); return GN_EXIT_OK;
        default:
            if (!gn_cli_common_opt(cli, opt))
                return gn_cli_usage_error(cli, "build", "unknown option");
        }
    }
    if (optind >= argc)
        return gn_cli_usage_error(cli, "build", "no model given (s2s, e2e, nc, pt100 or pt111)");
    if (optind + 1 < argc)
        return gn_cli_usage_error(cli, "build", "unexpected argument '%s'", argv[optind + 1]);
    gn_model_kind kind;
    gn_error e;
    if (gn_model_kind_parse(argv[optind], &kind, &e) != GN_OK)
        return gn_cli_usage_error(cli, "build", "%s", e.msg);
    b->model.kind = kind;
    b->model.registry = kind == GN_MODEL_E2E ||
                                (kind == GN_MODEL_NC && b->model.facing == GN_NC_EDGE)
                            ? GN_REG_ALIGNED
                            : GN_REG_HOLLOW;
    if (registry && gn_model_has_gap(kind) &&
        gn_model_registry_parse(kind, registry, &b->model.registry, &e) != GN_OK)
        return gn_cli_usage_error(cli, "build", "--registry: %s", e.msg);
    if (!gn_model_has_gap(kind) && (registry || !isnan(b->model.gap)))
        return gn_cli_usage_error(cli, "build", "%s: %s has one crystal (no gap, no registry)",
                                  registry ? "--registry" : "--gap", gn_model_kind_name(kind));
    if (!gn_model_has_gap(kind))
        b->model.gap = INFINITY;
    if (!b->model.single && isnan(b->model.gap))
        return gn_cli_usage_error(cli, "build", "--gap D (Å) is required (or --single)");
    if (!b->model.single && gn_model_has_gap(kind) &&
        !(b->model.gap > 0.0 && b->model.gap <= GN_MODEL_GAP_MAX))
        return gn_cli_usage_error(cli, "build", "--gap %g: must be > 0 and at most %g Å",
                                  b->model.gap, GN_MODEL_GAP_MAX);
    if (b->output && gn_structure_format_from_name(b->output) == GN_FORMAT_UNKNOWN)
        return gn_cli_usage_error(cli, "build", "-o %s: name it *.xyz or *.extxyz (extended XYZ), "
                                  "POSCAR*, CONTCAR*, *.vasp, *.poscar (VASP) or *.data (LAMMPS)",
                                  b->output);
    if (!(b->engine_vacuum > 0.0) || b->engine_vacuum > 1000.0)
        return gn_cli_usage_error(cli, "build", "--engine-vacuum needs a number of Å in (0, 1000]");
    if (gn_ipi_is_spec(b->potential))
        return gn_cli_usage_error(cli, "build", "--potential %s: an engine cannot give the "
                                  "lattice constant here; give --a0 (and a built-in or EAM "
                                  "potential for the species, Pt by default)", b->potential);
    if (!b->process != !b->final)
        return gn_cli_usage_error(cli, "build", "--process P and --final FILE go together");
    if (b->process && (b->nsites || b->list_sites))
        return gn_cli_usage_error(cli, "build", "--process does not go with --site or "
                                  "--list-sites");
    if (b->final && gn_structure_format_from_name(b->final) == GN_FORMAT_UNKNOWN)
        return gn_cli_usage_error(cli, "build", "--final %s: name it *.xyz, *.extxyz or a POSCAR "
                                  "name", b->final);
    /* stdout carries the site table then: never mix a structure into it */
    if (b->list_sites && b->nsites && !b->output)
        return gn_cli_usage_error(cli, "build", "--list-sites with --site needs -o FILE");
    return -1;
}

/* The relaxed (100) and (111) surface energies of the potential, for an nc Wulff shape. */
static int wulff_gammas(const gn_cli *cli, build_args *b, gn_error *err)
{
    gn_model_opts *o = &b->model;
    if (o->kind != GN_MODEL_NC || o->shape != GN_NC_WULFF || b->gamma_given)
        return GN_OK;
    int rc = gn_surface_energy(b->pot, o->z, o->a0, 100, 1, &o->gamma100, NULL, err);
    if (!rc)
        rc = gn_surface_energy(b->pot, o->z, o->a0, 111, 1, &o->gamma111, NULL, err);
    if (!rc)
        gn_cli_log(cli, 1, "gapneb build: %s: relaxed surface energies gamma100 = %.4f, "
                   "gamma111 = %.4f J/m^2\n", b->pot->name, o->gamma100, o->gamma111);
    return rc;
}

/* The potential (kept for the mid-gap relaxations); a0 and the species from it unless --a0
 * was given without --potential (the species stays Pt then). */
static int lattice_from_potential(const gn_cli *cli, build_args *b, gn_error *err)
{
    int rc = gn_potential_alloc(b->potential, &b->pot, err);
    int own_species = !(b->a0_given && !b->potential_given);
    if (!rc && own_species && (rc = gn_potential_select_element(b->pot, b->element, err)))
        gn_error_prefix(err, "--element: ");
    if (rc)
        return rc;
    if (!own_species) {
        /* --a0 alone: the species is Pt, or the element named */
        if (b->element && (b->model.z = gn_element_z(b->element)) < 0)
            return gn_error_set(err, GN_EINVAL, "--element: '%s' is not an element symbol",
                                b->element);
        return GN_OK;
    }
    b->model.z = b->pot->z;
    if (!b->a0_given) {
        rc = gn_lattice_constant(b->pot, b->pot->z, &b->model.a0, err);
        if (!rc)
            gn_cli_log(cli, 1, "gapneb build: %s: equilibrium fcc a0 = %.6f Å\n", b->pot->name,
                       b->model.a0);
    }
    return rc ? rc : wulff_gammas(cli, b, err);
}

static void list_sites(const gn_model_opts *o, const gn_site *v, size_t n)
{
    const char *dist = o->kind == GN_MODEL_E2E ? "distance to the crystal's edge line (G: to the "
                                                 "line midway between the edge rows)"
                       : o->kind != GN_MODEL_NC  ? "lateral distance to the cell centre"
                       : o->facing == GN_NC_FACET ? "lateral distance to the z axis"
                                                  : "distance to the crystal's edge line";
    printf("# %s sites, a0 = %.6f Å; dist: %s (Å)\n", gn_model_kind_name(o->kind), o->a0, dist);
    printf("# %-8s %-9s %12s %12s %12s %10s %6s\n", "site", "kind", "x(Å)", "y(Å)", "z(Å)",
           "dist(Å)", "nn");
    for (size_t i = 0; i < n; i++)
        printf("  %-8s %-9s %12.6f %12.6f %12.6f %10.6f %6d\n", v[i].name,
               gn_site_kind_name(v[i].kind), v[i].pos[0], v[i].pos[1], v[i].pos[2], v[i].dist,
               v[i].nneigh);
}

/* The model with an adatom on each site, hollow or mid-gap, in order (the room rule of
 * gn_model_add_adatoms between them and against the crystals). */
static int build_with_sites(const build_args *b, gn_atoms **out, gn_error *err)
{
    gn_site s[MAX_SITES];
    gn_atoms *bare = NULL;
    int rc = GN_OK;
    for (size_t k = 0; k < b->nsites && !rc; k++) {
        for (size_t j = 0; j < k && !rc; j++)
            if (!strcmp(b->sites[j], b->sites[k]))
                rc = gn_error_set(err, GN_EINVAL, "site %s is given twice (two adatoms cannot "
                                  "share a site)", b->sites[k]);
        if (!rc)
            rc = gn_model_find_any_site(&b->model, b->pot, NULL, b->sites[k], &s[k], err);
    }
    if (!rc)
        rc = gn_model_build(&b->model, &bare, err);
    if (!rc)
        rc = gn_model_add_adatoms(bare, b->model.z, gn_model_nn_distance(&b->model), s,
                                  b->nsites, out, err);
    gn_atoms_free(bare);
    return rc;
}

static int write_structure(const build_args *b, const gn_atoms *a, gn_error *err)
{
    if (b->output && gn_structure_format_from_name(b->output) == GN_FORMAT_LAMMPS_DATA)
        return gn_lammps_data_write(b->output, a, b->engine_vacuum, err);
    if (b->output)
        return gn_structure_write(b->output, a, err);
    gn_frame f = {.atoms = (gn_atoms *)a, .energy = 0.0, .has_energy = 0, .forces = NULL};
    int rc = gn_xyz_fwrite(stdout, &f, 1, err);
    if (!rc && fflush(stdout) != 0)
        rc = gn_error_set(err, GN_EIO, "write failed: %s", strerror(errno));
    return rc ? gn_error_prefix(err, "standard output: ") : rc;
}

/* Both endpoints of a process of the table. */
static int build_process(const build_args *b, gn_atoms **ini, gn_atoms **fin, gn_error *err)
{
    gn_process p;
    int rc = gn_process_parse(b->process, &p, err);
    if (!rc && !gn_model_has_process(b->model.kind, p))
        rc = gn_error_set(err, GN_EINVAL, "%s does not define process %s",
                          gn_model_kind_name(b->model.kind), b->process);
    return rc ? rc : gn_model_process(&b->model, p, ini, fin, err);
}

/* --picture FILE.png: the folder and the base name (FILE without .png). */
static int picture_name(const char *file, char *dir, size_t dcap, char *name, size_t ncap)
{
    const char *slash = strrchr(file, '/');
    const char *base = slash ? slash + 1 : file;
    size_t len = strlen(base);
    if (len > 4 && !strcmp(base + len - 4, ".png"))
        len -= 4;
    if (!len || len >= ncap || (slash && (size_t)(slash - file) >= dcap))
        return -1;
    snprintf(dir, dcap, "%.*s", slash ? (int)(slash - file) : 1, slash ? file : ".");
    if (slash && slash == file)
        snprintf(dir, dcap, "/");
    snprintf(name, ncap, "%.*s", (int)len, base);
    return 0;
}

/* Draws the model: -1 (exit 1) when only gnuplot is missing or failed, else a status. */
static int draw_picture(const gn_cli *cli, const build_args *b, const gn_atoms *a, gn_error *err)
{
    char dir[4096], name[512];
    if (picture_name(b->picture, dir, sizeof dir, name, sizeof name))
        return gn_error_set(err, GN_EINVAL, "--picture %s: not a usable file name", b->picture);
    gn_atoms *bare = NULL;
    int rc = gn_model_build(&b->model, &bare, err);
    if (rc)
        return rc;
    size_t ncrystal = bare->n;
    gn_atoms_free(bare);
    int single = b->model.single || isinf(b->model.gap);
    gn_picture_panel p = {.atoms = a, .na = single ? ncrystal : ncrystal / 2,
                          .nb = single ? 0 : ncrystal / 2,
                          .adatom_labels = b->process ? NULL : b->sites};
    char title[256];
    if (single)
        snprintf(title, sizeof title, "%s, one crystal", gn_model_kind_name(b->model.kind));
    else
        snprintf(title, sizeof title, "%s, gap %g Å", gn_model_kind_name(b->model.kind),
                 b->model.gap);
    rc = gn_picture_draw(dir, name, b->model.kind, gn_model_nn_distance(&b->model), &p, 1, title,
                         NULL, err);
    if (rc == GN_EEXTERNAL) {
        fprintf(stderr, "%s: note: %s\n", cli->prog, err->msg);
        return -1;
    }
    if (!rc)
        gn_cli_log(cli, 1, "gapneb build: drew %s/%s.png and .svg (data %s.tsv, script %s.gp)\n",
                   dir, name, name, name);
    return rc;
}

static void log_summary(const gn_cli *cli, const build_args *b, const gn_atoms *a)
{
    const gn_model_opts *o = &b->model;
    size_t nfixed = a->n - gn_atoms_nmovable(a);
    if (o->single || isinf(o->gap))
        gn_cli_log(cli, 1, "gapneb build: %s one crystal, a0 = %.6f Å: %zu atoms (%zu fixed)",
                   gn_model_kind_name(o->kind), o->a0, a->n, nfixed);
    else
        gn_cli_log(cli, 1, "gapneb build: %s, %s registry, gap %.4f Å, a0 = %.6f Å: %zu atoms "
                   "(%zu fixed)", gn_model_kind_name(o->kind), gn_model_registry_name(o->registry),
                   o->gap, o->a0, a->n, nfixed);
    for (size_t k = 0; k < b->nsites; k++)
        gn_cli_log(cli, 1, "%s%s", k ? ", " : b->nsites > 1 ? ", adatoms on " : ", adatom on ",
                   b->sites[k]);
    gn_cli_log(cli, 1, "\n");
    gn_nc_info nc;
    gn_error err;
    if (o->kind == GN_MODEL_NC && gn_nc_info_get(o, &nc, &err) == GN_OK)
        gn_cli_log(cli, 1, "gapneb build: nc %s facing %s: %zu atoms per crystal, (100) facets "
                   "%.4f Å and (111) facets %.4f Å from the centre (%g Å across the (100) "
                   "facets), %d atoms on each (100)/(111) edge\n", gn_nc_shape_name(o->shape),
                   gn_nc_facing_name(o->facing), nc.natoms, nc.d100, nc.d111, 2.0 * nc.d100,
                   nc.edge_atoms);
}

int gn_cmd_build(gn_cli *cli, int argc, char **argv)
{
    build_args b;
    int rc = parse_args(cli, argc, argv, &b);
    if (rc >= 0)
        return rc;
    gn_error err;
    gn_error_clear(&err);
    if ((rc = lattice_from_potential(cli, &b, &err))) {
        gn_potential_free(b.pot);
        return gn_cli_fail(cli, &err);
    }
    if (b.list_sites) {
        gn_site *v = NULL;
        size_t n = 0;
        if ((rc = gn_model_all_sites(&b.model, b.pot, NULL, &v, &n, &err))) {
            gn_potential_free(b.pot);
            return gn_cli_fail(cli, &err);
        }
        list_sites(&b.model, v, n);
        free(v);
        if (!b.output && !b.nsites && !b.picture) {
            gn_potential_free(b.pot);
            return GN_EXIT_OK;
        }
    }
    gn_atoms *a = NULL, *fin = NULL;
    if (b.process)
        rc = build_process(&b, &a, &fin, &err);
    else
        rc = b.nsites ? build_with_sites(&b, &a, &err) : gn_model_build(&b.model, &a, &err);
    gn_potential_free(b.pot);
    if (!rc && fin && !(rc = gn_structure_write(b.final, fin, &err)))
        gn_cli_log(cli, 1, "gapneb build: wrote the final endpoint of %s to %s\n", b.process,
                   b.final);
    gn_atoms_free(fin);
    if (rc) {
        gn_atoms_free(a);
        return gn_cli_fail(cli, &err);
    }
    log_summary(cli, &b, a);
    if (b.picture && (rc = draw_picture(cli, &b, a, &err))) {
        gn_atoms_free(a);
        return rc == -1 ? GN_EXIT_FAIL : gn_cli_fail(cli, &err);
    }
    /* with only a picture (or a site list) asked for, stdout stays free of the structure */
    if (!b.output && (b.picture || b.list_sites)) {
        gn_atoms_free(a);
        return GN_EXIT_OK;
    }
    rc = write_structure(&b, a, &err);
    gn_atoms_free(a);
    if (rc)
        return gn_cli_fail(cli, &err);
    if (b.output)
        gn_cli_log(cli, 1, "gapneb build: wrote %s\n", b.output);
    return GN_EXIT_OK;
}
