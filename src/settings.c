/* gapneb: the settings table of a table job and what is derived from it (see settings.h).
 * Units: as each entry states. */
#include "config.h"
#include "gapneb/settings.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/numparse.h"

/* List setters: the job's own list functions with the settings' calling convention. */
static int set_models(gn_job *j, const char *v, int first, const char *what, gn_error *e)
{
    (void)first;
    return gn_job_set_models(j, v, what, e);
}
static int set_processes(gn_job *j, const char *v, int first, const char *what, gn_error *e)
{
    (void)first;
    return gn_job_set_processes(j, v, what, e);
}
static int set_gaps(gn_job *j, const char *v, int first, const char *what, gn_error *e)
{
    (void)first;
    return gn_job_set_gaps(j, v, what, e);
}
static int set_sweep(gn_job *j, const char *v, int first, const char *what, gn_error *e)
{
    (void)first;
    return gn_job_set_sweep(j, v, what, e);
}
static int set_potentials(gn_job *j, const char *v, int first, const char *what, gn_error *e)
{
    return gn_job_add_potentials(j, v, first, what, e);
}

#define F(field) offsetof(gn_job, field)
#define FS(field) offsetof(gn_job, field), sizeof(((gn_job *)0)->field)
#define NOLIM -INFINITY, INFINITY

/* The one place where a job setting is named, bounded, defaulted and explained. The NEB defaults
 * are those of gn_neb_opts_default and the model defaults those of gn_model_opts_default (a test
 * holds them together); the reasons for them are given there. */
static const gn_setting table[] = {
    /* [table]: which rows */
    {"table", "models", "models", NULL, GN_SETTING_LIST, 0, 0, NOLIM, "", "s2s,e2e", NULL,
     set_models, NULL, "LIST",
     "models to compute: s2s, e2e, nc (gap models), pt100, pt111 (terraces: one crystal, no "
     "gap, computed once)",
     GN_SETTING_ROW},
    {"table", "processes", "processes", NULL, GN_SETTING_LIST, 0, 0, NOLIM, "", "all", NULL,
     set_processes, NULL, "LIST",
     "processes of each model: hop, transfer, exchange, or all (every process a model defines; "
     "a model skips those it does not define: transfer needs a gap)",
     GN_SETTING_ROW},
    {"table", "gaps", "gaps", NULL, GN_SETTING_LIST, 0, 0, NOLIM, "Å", "5,5.8,8", NULL, set_gaps,
     "sweep", "LIST", "gaps d", GN_SETTING_ROW},
    {"table", "sweep", "sweep", NULL, GN_SETTING_LIST, 0, 0, NOLIM, "Å", "", NULL, set_sweep,
     "gaps", "A:B:STEP", "gaps from A to B inclusive in steps of STEP (instead of gaps)",
     GN_SETTING_ROW},
    {"table", "potentials", "potential", "potentials", GN_SETTING_LIST, 0, 0, NOLIM, "",
     "eam-pt", NULL, set_potentials, NULL, "P",
     "potential: a built-in name, with parameters if wanted (lj-pt:sigma=2.6,rc=8), or a LAMMPS "
     "EAM file; a comma list or a repeated option/key gives one set of rows per potential",
     GN_SETTING_ROW | GN_SETTING_REPEAT},
    /* [table]: output and run */
    {"table", "out", "out", NULL, GN_SETTING_STRING, FS(out), NOLIM, "", "gapneb-out", NULL, NULL,
     NULL, "DIR", "output folder", GN_SETTING_NOHASH},
    {"table", "jobs", "jobs", NULL, GN_SETTING_INT, F(jobs), 0, 0, 4096, "", "0", NULL, NULL,
     NULL, "N", "rows computed in parallel threads; 0 = one per core", GN_SETTING_NOHASH},
    {"table", "resume", "resume", NULL, GN_SETTING_BOOL, F(resume), 0, 0, 1, "",
     "no", NULL, NULL, NULL, NULL,
     "keep the rows of OUT/barriers.json computed with identical settings", GN_SETTING_NOHASH},
    {"table", "reference", "reference", NULL, GN_SETTING_STRING, FS(reference), NOLIM, "", "",
     NULL, NULL, NULL, "FILE",
     "CSV of published barriers (model,process,mechanism,direction,gap_A,barrier_eV,method,"
     "source; the old model,process,gap_A,barrier_eV,source is read too): compares each value "
     "with the rows of the same model, process and mechanism only (deviations, and the reason "
     "for every value not compared, on stdout, in OUT/reference.tsv and barriers.json) and "
     "draws figures/reference.png",
     GN_SETTING_NOHASH},
    {"table", "modes", "modes", NULL, GN_SETTING_BOOL, F(modes), 0, 0, 1, "", "no", NULL, NULL,
     NULL, NULL, "verify each saddle and add harmonic (HTST) rates", 0},
    {"table", "temperature", "temperature", NULL, GN_SETTING_DOUBLE, F(temperature), 0, 0, 1e5,
     "K", "300", NULL, NULL, NULL, "T", "temperature of the rates", GN_SETTING_MIN_OPEN},
    {"table", "modes_hessian", "modes-hessian", NULL, GN_SETTING_CHOICE, FS(modes_hessian),
     NOLIM, "", "partial", "partial|full", NULL, NULL, "H",
     "Hessian of the prefactors: partial (the atoms near those that move, the radius grown "
     "until the prefactor changes by less than 1 %) or full (every movable atom)", 0},
    {"table", "figures", "figures", NULL, GN_SETTING_BOOL, F(figures), 0, 0, 1, "", "yes", NULL,
     NULL, NULL, NULL, "write the figures (PNG, SVG, data and gnuplot scripts)",
     GN_SETTING_NOHASH},
    {"table", "search", "search", NULL, GN_SETTING_INT, F(search), 0, 0, 100000, "", "0", NULL,
     NULL, NULL, "N",
     "automatic saddle search (gapneb search): N dimer searches from each row's initial state "
     "around the adatom; adds the lowest barrier found, so a named process that is not the "
     "lowest shows; 0 = off",
     0},
    {"table", "gap_max", "gap-max", NULL, GN_SETTING_DOUBLE, F(gap_max), 0, 0, 1000, "Å", "50",
     NULL, NULL, NULL, "D", "largest gap accepted (a guard against typing 1e5 for 5)",
     GN_SETTING_NOHASH | GN_SETTING_MIN_OPEN},
    {"table", "gap_axis", "gap-axis", NULL, GN_SETTING_CHOICE, FS(gap_axis), NOLIM, "",
     "nominal", "nominal|relaxed", NULL, NULL, "A",
     "gap on the figures' x axis: the nominal gap d, or the gap after relaxing the initial state "
     "(s2s: between the mean heights of the two facing layers; e2e: between the two edge rows)",
     GN_SETTING_NOHASH},
    /* [neb] */
    {"neb", "images", "images", NULL, GN_SETTING_INT, F(images), 0, 1, 1000, "", "7", NULL,
     NULL, NULL, "N", "movable NEB images between the endpoints", 0},
    {"neb", "fmax", "fmax", NULL, GN_SETTING_DOUBLE, F(fmax), 0, 0, 100, "eV/Å", "0.01", NULL,
     NULL, NULL, "F", "NEB convergence: largest force on any movable atom of any image",
     GN_SETTING_MIN_OPEN},
    {"neb", "max_steps", "max-steps", NULL, GN_SETTING_INT, F(max_steps), 0, 1, 1e8, "", "1000",
     NULL, NULL, NULL, "N", "NEB iteration cap", 0},
    {"neb", "spring", "spring", "k", GN_SETTING_DOUBLE, F(spring), 0, 0, 1e4, "eV/Å^2", "5",
     NULL, NULL, NULL, "K", "spring constant between images", GN_SETTING_MIN_OPEN},
    {"neb", "climb", "climb", NULL, GN_SETTING_BOOL, F(climb), 0, 0, 1, "", "yes", NULL, NULL,
     NULL, NULL, "climbing image on the highest image", 0},
    {"neb", "climb_threshold", "climb-threshold", "climb-fmax", GN_SETTING_DOUBLE,
     F(climb_threshold), 0, 0, 1e4, "eV/Å", "0.5", NULL, NULL, NULL, "F",
     "the climbing image switches on once the band's largest force is below this",
     GN_SETTING_MIN_OPEN},
    {"neb", "interpolation", "interpolation", "interp", GN_SETTING_CHOICE, FS(interpolation),
     NOLIM, "", "idpp", "idpp|linear", NULL, NULL, "M", "initial band: idpp or linear", 0},
    {"neb", "perturb", "perturb", NULL, GN_SETTING_DOUBLE, F(perturb), 0, 0, 10, "Å", "0", NULL,
     NULL, NULL, "A",
     "push the starting band off symmetry planes at random (seeded, reproducible) by up to A; "
     "0 = none",
     0},
    {"neb", "refine", "refine", NULL, GN_SETTING_INT, F(refine), 0, 0, 100, "", "3", NULL, NULL,
     NULL, "N",
     "rounds of saddle refinement: if the climbing image has a second negative mode, push the "
     "band along it and relax again; 0 = off",
     0},
    {"neb", "refine_step", "refine-step", NULL, GN_SETTING_DOUBLE, F(refine_step), 0, 0, 10, "Å",
     "0.3", NULL, NULL, NULL, "D", "largest atom displacement of a refinement push",
     GN_SETTING_MIN_OPEN},
    {"neb", "endpoint_fmax", "endpoint-fmax", NULL, GN_SETTING_DOUBLE, F(endpoint_fmax), 0, 0,
     100, "eV/Å", "0.005", NULL, NULL, NULL, "F", "relaxation of the endpoints and the bare model",
     GN_SETTING_MIN_OPEN},
    {"neb", "split", "split", NULL, GN_SETTING_BOOL, F(split), 0, 0, 1, "", "yes", NULL, NULL,
     NULL, NULL,
     "split a path that passes an intermediate minimum into elementary steps, each computed by "
     "its own CI-NEB from its piece of the band (recursively, see split-depth)",
     0},
    {"neb", "split_tol", "split-tol", NULL, GN_SETTING_DOUBLE, F(split_tol), 0, 0, 10, "eV",
     "0.001", NULL, NULL, NULL, "E",
     "an interior minimum of the interpolated energy profile is a candidate for a split when "
     "deeper than this",
     GN_SETTING_MIN_OPEN},
    {"neb", "split_depth", "split-depth", NULL, GN_SETTING_INT, F(split_depth), 0, 0, 8, "", "4",
     NULL, NULL, NULL, "N", "levels of splitting: each elementary step may be split again", 0},
    {"neb", "saddle_order", "saddle-order", NULL, GN_SETTING_BOOL, F(saddle_order), 0, 0, 1, "",
     "yes", NULL, NULL, NULL, NULL,
     "count the negative curvature modes of every climbing image (lowest-mode search); a row "
     "whose saddle is not first-order is reported as not-first-order, not ok",
     0},
    {"neb", "optimizer", "optimizer", NULL, GN_SETTING_CHOICE, FS(optimizer), NOLIM, "", "lbfgs",
     "lbfgs|fire", NULL, NULL, "O",
     "optimiser of the band (the endpoints relax with FIRE): lbfgs (L-BFGS over the whole "
     "band) or fire (FIRE 2.0)",
     0},
    {"neb", "threads", "threads", NULL, GN_SETTING_INT, F(threads), 0, 0, 64, "", "0", NULL, NULL,
     NULL, "N",
     "threads of each force call, for models of 2000 atoms or more; 0 = the cores the row "
     "threads leave (all cores for a table of one row, one thread per row when there are as "
     "many rows as cores: see jobs)",
     GN_SETTING_NOHASH},
    /* [model] */
    {"model", "s2s_size", "s2s-size", NULL, GN_SETTING_INT, F(s2s_size), 0, 1, 1000, "", "4",
     NULL, NULL, NULL, "N", "s2s and the terraces pt100, pt111: N x N surface cells per layer", 0},
    {"model", "s2s_layers", "s2s-layers", NULL, GN_SETTING_INT, F(s2s_layers), 0, 3, 1000, "",
     "4", NULL, NULL, NULL, "L",
     "s2s and the terraces pt100, pt111: layers per slab (the 2 farthest from the gap or the "
     "surface are fixed)",
     0},
    {"model", "s2s_registry", "s2s-registry", NULL, GN_SETTING_CHOICE, FS(s2s_registry), NOLIM,
     "", "hollow", "hollow|top|bridge", NULL, NULL, "R",
     "s2s: where crystal B's facing atoms sit above A: hollow, top or bridge", 0},
    {"model", "e2e_length", "e2e-length", NULL, GN_SETTING_INT, F(e2e_length), 0, 1, 1000, "",
     "4", NULL, NULL, NULL, "M", "e2e: periodic length in edge spacings", 0},
    {"model", "e2e_radius", "e2e-radius", NULL, GN_SETTING_DOUBLE, F(e2e_radius), 0, 0, 1000,
     "Å", "12", NULL, NULL, NULL, "R", "e2e: keep the atoms within R of the edge line",
     GN_SETTING_MIN_OPEN},
    {"model", "e2e_registry", "e2e-registry", NULL, GN_SETTING_CHOICE, FS(e2e_registry), NOLIM,
     "", "aligned", "aligned|staggered", NULL, NULL, "R",
     "e2e: edge rows aligned or staggered by half a spacing", 0},
    {"model", "element", "element", NULL, GN_SETTING_STRING, FS(element), NOLIM, "", "", NULL,
     NULL, NULL, "EL",
     "element of the crystals and the adatoms, one the potential describes (a multi-element "
     "setfl is used for it alone); empty: Pt, or the potential's only element", 0},
    {"model", "a0", "a0", NULL, GN_SETTING_DOUBLE, F(a0), 0, 0, 100, "Å", "0", NULL, NULL, NULL,
     "A", "fcc lattice constant of the crystals; 0 = the potential's own equilibrium value (an "
     "external engine cannot give it: set it for ipi: potentials)", 0},
    {"model", "nc_facing", "nc-facing", NULL, GN_SETTING_CHOICE, FS(nc_facing), NOLIM, "",
     "facet", "facet|edge", NULL, NULL, "F",
     "nc: the nanocrystals face each other with their (001) facets or (001)/(111) edges", 0},
    {"model", "nc_shape", "nc-shape", NULL, GN_SETTING_CHOICE, FS(nc_shape), NOLIM, "",
     "octahedron", "octahedron|wulff", NULL, NULL, "S",
     "nc: truncated octahedra (38, 79, 116, 201, 314, 405, 586 ... atoms) or the Wulff shape of "
     "the potential's relaxed (100) and (111) surface energies",
     0},
    {"model", "nc_diameter", "nc-diameter", NULL, GN_SETTING_DOUBLE, F(nc_diameter), 0, 0, 1000,
     "Å", "20", NULL, NULL, NULL, "D",
     "nc: distance between opposite (100) facets (nuclei planes); the shape nearest it is taken",
     GN_SETTING_MIN_OPEN},
    {"model", "nc_atoms", "nc-atoms", NULL, GN_SETTING_INT, F(nc_atoms), 0, 0, 1000000, "", "0",
     NULL, NULL, NULL, "N",
     "nc: atoms per crystal instead of the diameter (the shape with the nearest count); 0 = use "
     "the diameter",
     0},
    {"model", "nc_fix_shell", "nc-fix-shell", NULL, GN_SETTING_DOUBLE, F(nc_fix_shell), 0, 0,
     1000, "Å", "1", NULL, NULL, NULL, "W",
     "nc: atoms less than W below the surface on the half of each crystal away from the gap are "
     "fixed; 0 = free crystals",
     0},
    {"model", "nc_registry", "nc-registry", NULL, GN_SETTING_CHOICE, FS(nc_registry), NOLIM, "",
     "auto", "auto|hollow|top|bridge|aligned|staggered", NULL, NULL, "R",
     "nc: crystal B's registry, hollow, top or bridge facing a facet, aligned or staggered "
     "facing an edge; auto = hollow or aligned",
     0},
    /* [engine] */
    {"engine", "engine_command", "engine-command", NULL, GN_SETTING_STRING, FS(engine_command),
     NOLIM, "", "", NULL, NULL, NULL, "CMD",
     "for ipi: potentials, start CMD (/bin/sh -c) as the i-PI clients once the socket listens; "
     "it finds the socket in $GAPNEB_IPI_ADDRESS and $GAPNEB_IPI_PORT, its number in "
     "$GAPNEB_ENGINE_INDEX; empty: the user starts them", GN_SETTING_NOHASH},
    {"engine", "engine_count", "engine-count", NULL, GN_SETTING_INT, F(engine_count), 0, 1, 256,
     "", "1", NULL, NULL, NULL, "N", "clients to start with engine_command; the structures of "
     "every row go to all connected clients in parallel", GN_SETTING_NOHASH},
    {"engine", "engine_timeout", "engine-timeout", NULL, GN_SETTING_DOUBLE, F(engine_timeout), 0,
     0, 1e7, "s", "600", NULL, NULL, NULL, "S",
     "longest wait for a client while work waits, and for one evaluation",
     GN_SETTING_NOHASH | GN_SETTING_MIN_OPEN},
    {"engine", "engine_vacuum", "engine-vacuum", NULL, GN_SETTING_DOUBLE, F(engine_vacuum), 0, 0,
     1000, "Å", "12", NULL, NULL, NULL, "V",
     "vacuum between periodic images along the model's free directions in the box sent to an "
     "engine", GN_SETTING_MIN_OPEN},
};
#define NSET (sizeof table / sizeof table[0])

const gn_setting *gn_settings(size_t *n)
{
    if (n)
        *n = NSET;
    return table;
}

const gn_setting *gn_setting_by_key(const char *section, const char *key)
{
    for (size_t i = 0; i < NSET; i++)
        if (!strcmp(table[i].section, section) &&
            !strcmp(table[i].key, key))
            return &table[i];
    /* "potential" = one potential per line, the spelling of repeated keys */
    if (!strcmp(section, "table") && !strcmp(key, "potential"))
        return gn_setting_by_option("potential");
    return NULL;
}

int gn_settings_has_section(const char *section)
{
    for (size_t i = 0; i < NSET; i++)
        if (!strcmp(table[i].section, section))
            return 1;
    return 0;
}

const char *gn_settings_sections_text(void)
{
    return "[table], [neb], [model], [engine] or [process NAME]";
}

const gn_setting *gn_setting_by_option(const char *option)
{
    for (size_t i = 0; i < NSET; i++)
        if (!strcmp(table[i].option, option) || (table[i].alias && !strcmp(table[i].alias, option)))
            return &table[i];
    return NULL;
}

static void *field(gn_job *job, const gn_setting *s) { return (char *)job + s->offset; }
static const void *cfield(const gn_job *job, const gn_setting *s)
{
    return (const char *)job + s->offset;
}

static size_t index_of(const gn_setting *s) { return (size_t)(s - table); }

/* The allowed range in words, for messages: "> 0", ">= 1", "from 1 to 1000". */
static void range_text(const gn_setting *s, char *buf, size_t cap)
{
    const char *lo = s->flags & GN_SETTING_MIN_OPEN ? ">" : ">=";
    if (isinf(s->min) && isinf(s->max))
        buf[0] = '\0';
    else if (isinf(s->max))
        snprintf(buf, cap, "%s %g", lo, s->min);
    else
        snprintf(buf, cap, "%s %g and <= %g", lo, s->min, s->max);
}

static int in_range(const gn_setting *s, double v)
{
    int lo_ok = s->flags & GN_SETTING_MIN_OPEN ? v > s->min : v >= s->min;
    return lo_ok && v <= s->max;
}

static int out_of_range(const gn_setting *s, const char *value, const char *what, gn_error *err)
{
    char r[96];
    range_text(s, r, sizeof r);
    return gn_error_set(err, GN_EINVAL, "%s: '%s' is out of range (need %s%s%s)", what, value, r,
                        s->unit[0] ? " " : "", s->unit);
}

static int set_string(const gn_setting *s, gn_job *job, const char *value, const char *what,
                      gn_error *err)
{
    if (strlen(value) >= s->size)
        return gn_error_set(err, GN_EINVAL, "%s: value longer than %zu characters", what,
                            s->size - 1);
    if (s->type == GN_SETTING_CHOICE) {
        size_t len = strlen(value);
        const char *c = s->choices;
        int ok = 0;
        while (*c && !ok) {
            const char *bar = strchr(c, '|');
            size_t n = bar ? (size_t)(bar - c) : strlen(c);
            ok = n == len && !strncmp(c, value, n);
            c += n + (bar != NULL);
        }
        if (!ok)
            return gn_error_set(err, GN_EINVAL, "%s: '%s' is not one of %s", what, value,
                                s->choices);
    }
    memcpy(field(job, s), value, strlen(value) + 1);
    return GN_OK;
}

static int set_value(const gn_setting *s, gn_job *job, const char *value, int first,
                     const char *what, gn_error *err)
{
    double d;
    int i;
    switch (s->type) {
    case GN_SETTING_INT:
        if (gn_parse_int(value, what, &i, err) != GN_OK)
            return GN_EINVAL;
        if (!in_range(s, i))
            return out_of_range(s, value, what, err);
        *(int *)field(job, s) = i;
        return GN_OK;
    case GN_SETTING_DOUBLE:
        if (gn_parse_double(value, what, &d, err) != GN_OK)
            return GN_EINVAL;
        if (!in_range(s, d))
            return out_of_range(s, value, what, err);
        *(double *)field(job, s) = d;
        return GN_OK;
    case GN_SETTING_BOOL:
        return gn_parse_bool(value, what, (int *)field(job, s), err);
    case GN_SETTING_STRING:
        /* "" is a value only where it is the default ("no reference file") */
        if (!value[0] && s->def[0])
            return gn_error_set(err, GN_EINVAL, "%s: empty value", what);
        return set_string(s, job, value, what, err);
    case GN_SETTING_CHOICE:
        return set_string(s, job, value, what, err);
    case GN_SETTING_LIST:
        return s->set(job, value, first, what, err);
    }
    return gn_error_set(err, GN_EINVAL, "%s: unknown setting type", what);
}

int gn_setting_apply(const gn_setting *s, gn_job *job, const char *value, const char *what,
                     gn_settings_seen *seen, gn_error *err)
{
    size_t k = index_of(s);
    int first = 1;
    if (seen) {
        first = !seen->given[k];
        if (!first && !(s->flags & GN_SETTING_REPEAT))
            return gn_error_set(err, GN_EINVAL, "%s is given twice", what);
        const gn_setting *c = s->conflicts ? gn_setting_by_key(s->section, s->conflicts) : NULL;
        if (c && seen->given[index_of(c)])
            return gn_error_set(err, GN_EINVAL, "give %s or %s, not both", c->key, s->key);
    }
    int rc = set_value(s, job, value, first, what, err);
    if (rc == GN_OK && seen)
        seen->given[k] = 1;
    return rc;
}

int gn_job_init(gn_job *job, gn_error *err)
{
    memset(job, 0, sizeof *job);
    int rc = gn_settings_defaults(job, err);
    if (rc != GN_OK)
        gn_job_clear(job);
    return rc;
}

int gn_settings_defaults(gn_job *job, gn_error *err)
{
    for (size_t i = 0; i < NSET; i++) {
        if (!table[i].def[0] && table[i].type == GN_SETTING_LIST)
            continue; /* sweep: gaps are the default */
        int rc = set_value(&table[i], job, table[i].def, 1, table[i].key, err);
        if (rc != GN_OK)
            return gn_error_prefix(err, "default of %s: ", table[i].key);
    }
    return GN_OK;
}

/* Appends text to buf (of cap bytes, holding len) with a comma before all but the first. */
static size_t append_item(char *buf, size_t cap, size_t len, const char *text)
{
    int k = snprintf(buf + len, len < cap ? cap - len : 0, "%s%s", len ? "," : "", text);
    return k > 0 ? len + (size_t)k : len;
}

static void format_list(const gn_setting *s, const gn_job *job, char *buf, size_t cap)
{
    size_t len = 0;
    char num[32];
    buf[0] = '\0';
    if (s->set == set_models)
        for (int i = 0; i < job->nmodels; i++)
            len = append_item(buf, cap, len, gn_model_kind_name(job->models[i]));
    else if (s->set == set_processes && job->all_processes)
        len = append_item(buf, cap, len, "all");
    else if (s->set == set_processes)
        for (int i = 0; i < job->nprocesses; i++)
            len = append_item(buf, cap, len, gn_job_process_name(job, job->processes[i]));
    else if (s->set == set_gaps)
        for (size_t i = 0; i < job->ngaps; i++) {
            snprintf(num, sizeof num, "%.17g", job->gaps[i]);
            len = append_item(buf, cap, len, num);
        }
    else if (s->set == set_potentials)
        for (int i = 0; i < job->npotentials; i++)
            len = append_item(buf, cap, len, job->potentials[i]);
}

void gn_setting_format(const gn_setting *s, const gn_job *job, char *buf, size_t cap)
{
    switch (s->type) {
    case GN_SETTING_INT: snprintf(buf, cap, "%d", *(const int *)cfield(job, s)); break;
    case GN_SETTING_DOUBLE: snprintf(buf, cap, "%.17g", *(const double *)cfield(job, s)); break;
    case GN_SETTING_BOOL: snprintf(buf, cap, "%s", *(const int *)cfield(job, s) ? "yes" : "no");
        break;
    case GN_SETTING_STRING:
    case GN_SETTING_CHOICE: snprintf(buf, cap, "%s", (const char *)cfield(job, s)); break;
    case GN_SETTING_LIST: format_list(s, job, buf, cap); break;
    }
}

static unsigned long long fnv1a(unsigned long long h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

unsigned long long gn_settings_hash(const gn_job *job)
{
    unsigned long long h = 14695981039346656037ULL;
    char v[GN_JOB_PATH_MAX + 64];
    for (size_t i = 0; i < NSET; i++) {
        const gn_setting *s = &table[i];
        if (s->flags & (GN_SETTING_NOHASH | GN_SETTING_ROW))
            continue;
        gn_setting_format(s, job, v, sizeof v);
        h = fnv1a(h, s->section);
        h = fnv1a(h, ".");
        h = fnv1a(h, s->key);
        h = fnv1a(h, "=");
        h = fnv1a(h, v);
        h = fnv1a(h, ";");
    }
    return h;
}

/* ---- help texts ------------------------------------------------------------------------- */

#define HELP_COL 26    /* column of the option texts */
#define HELP_WIDTH 96  /* wrap width */

/* "(eV/Å, default 0.01)", "(default yes)", "(no default)". */
static void default_text(const gn_setting *s, char *buf, size_t cap)
{
    const char *def = s->def[0] ? s->def : NULL;
    if (s->type == GN_SETTING_LIST && !def) {
        snprintf(buf, cap, "%s%s", s->unit[0] ? "in " : "", s->unit);
        return;
    }
    snprintf(buf, cap, "%s%s%sdefault %s", s->unit[0] ? "in " : "", s->unit,
             s->unit[0] ? ", " : "", def ? def : "none");
}

/* Writes text wrapped at width, each line after the first indented by indent spaces. */
static void wrap(FILE *fp, const char *text, int col, int indent, int width)
{
    const char *p = text;
    while (*p) {
        const char *sp = p;
        while (*sp && *sp != ' ')
            sp++;
        int len = (int)(sp - p);
        if (col > indent && col + 1 + len > width) {
            fprintf(fp, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', fp);
            col++;
        }
        fwrite(p, 1, (size_t)len, fp);
        col += len;
        p = *sp ? sp + 1 : sp;
    }
    fputc('\n', fp);
}

static void option_line(FILE *fp, const gn_setting *s)
{
    char head[96], def[128], text[1024];
    if (s->type == GN_SETTING_BOOL)
        snprintf(head, sizeof head, "  --%s, --no-%s", s->option, s->option);
    else
        snprintf(head, sizeof head, "  --%s %s", s->option, s->arg);
    default_text(s, def, sizeof def);
    snprintf(text, sizeof text, "%s (%s%s%s)", s->help, def, s->alias ? "; also --" : "",
             s->alias ? s->alias : "");
    int col = (int)strlen(head);
    fputs(head, fp);
    if (col < HELP_COL - 1) {
        fprintf(fp, "%*s", HELP_COL - col, "");
    } else {
        fprintf(fp, "\n%*s", HELP_COL, "");
    }
    wrap(fp, text, HELP_COL, HELP_COL, HELP_WIDTH);
}

void gn_settings_print_options(FILE *fp)
{
    const char *section = "";
    static const char *const titles[][2] = {{"table", "Rows, output and analysis"},
                                             {"neb", "NEB"},
                                             {"model", "Models"},
                                             {"engine", "External engine"}};
    for (size_t i = 0; i < NSET; i++) {
        if (strcmp(section, table[i].section)) {
            section = table[i].section;
            for (size_t t = 0; t < sizeof titles / sizeof titles[0]; t++)
                if (!strcmp(titles[t][0], section))
                    fprintf(fp, "%s%s options (INI section [%s]):\n", i ? "\n" : "",
                            titles[t][1], section);
        }
        option_line(fp, &table[i]);
    }
}

void gn_settings_print_ini(FILE *fp)
{
    const char *section = "";
    for (size_t i = 0; i < NSET; i++) {
        const gn_setting *s = &table[i];
        if (strcmp(section, s->section)) {
            section = s->section;
            fprintf(fp, "%s[%s]\n", i ? "\n" : "", section);
        }
        char def[128], text[1024], head[64];
        default_text(s, def, sizeof def);
        snprintf(head, sizeof head, "  %s = %s", s->key,
                 s->type == GN_SETTING_BOOL ? "yes|no" : s->choices ? s->choices : s->arg);
        snprintf(text, sizeof text, "%s (%s)%s", s->help, def,
                 s->flags & GN_SETTING_REPEAT ? "; the key may be repeated (also 'potential')"
                                              : "");
        int col = (int)strlen(head);
        fputs(head, fp);
        if (col < HELP_COL + 3)
            fprintf(fp, "%*s", HELP_COL + 4 - col, "");
        else
            fprintf(fp, "\n%*s", HELP_COL + 4, "");
        wrap(fp, text, HELP_COL + 4, HELP_COL + 4, HELP_WIDTH);
    }
    fprintf(fp, "\n[process NAME]              (repeatable: one section per custom process)\n");
    fprintf(fp, "  initial = SITE, SITE...     sites of the adatoms in the initial state (A100:0, "
                "B111:2...;\n%*sgapneb build --list-sites)\n", HELP_COL + 4, "");
    fprintf(fp, "  final = SITE, SITE...       their sites in the final state: adatom k goes from "
                "the k-th\n%*sinitial to the k-th final site; an adatom with the same site in "
                "both\n%*sis a spectator. The process joins the process list (name it in "
                "processes\n%*sif that list is given).\n", HELP_COL + 4, "", HELP_COL + 4, "",
                HELP_COL + 4, "");
}

/* The custom processes as [process NAME] sections. */
static void write_processes(FILE *fp, const gn_job *job)
{
    for (int k = 0; k < job->ncustom; k++) {
        const gn_job_process *c = &job->custom[k];
        fprintf(fp, "\n[process %s]\ninitial = ", c->name);
        for (int half = 0; half < 2; half++) {
            for (int i = 0; i < c->nadatoms; i++)
                fprintf(fp, "%s%s", i ? ", " : "", half ? c->final[i] : c->initial[i]);
            fprintf(fp, "\n%s", half ? "" : "final = ");
        }
    }
}

void gn_settings_write_ini(FILE *fp, const gn_job *job)
{
    const char *section = "";
    size_t cap = (size_t)GN_JOB_MAX_GAPS * 26 + GN_JOB_MAX_POT * GN_JOB_PATH_MAX;
    char *v = malloc(cap);
    if (!v)
        return;
    fprintf(fp, "; gapneb job, every setting written out (gapneb run reads it back)\n");
    for (size_t i = 0; i < NSET; i++) {
        if (strcmp(section, table[i].section)) {
            section = table[i].section;
            fprintf(fp, "%s[%s]\n", i ? "\n" : "", section);
        }
        gn_setting_format(&table[i], job, v, cap);
        if (table[i].type != GN_SETTING_LIST || v[0])
            fprintf(fp, "%s = %s\n", table[i].key, v);
    }
    free(v);
    write_processes(fp, job);
}

/* troff needs '-' escaped and a leading '.' or '\'' protected. */
static void man_text(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (*s == '-')
            fputs("\\-", fp);
        else if (*s == '\\')
            fputs("\\e", fp);
        else
            fputc(*s, fp);
    }
}

void gn_settings_print_man(FILE *fp)
{
    for (size_t i = 0; i < NSET; i++) {
        const gn_setting *s = &table[i];
        char def[128];
        default_text(s, def, sizeof def);
        fputs(".TP\n.B ", fp);
        if (s->type == GN_SETTING_BOOL) {
            man_text(fp, "--");
            man_text(fp, s->option);
            fputs(", ", fp);
            man_text(fp, "--no-");
            man_text(fp, s->option);
            fputc('\n', fp);
        } else {
            man_text(fp, "--");
            man_text(fp, s->option);
            fputs(" \\fI", fp);
            man_text(fp, s->arg);
            fputs("\\fR\n", fp);
        }
        man_text(fp, s->help);
        fputs(" (", fp);
        man_text(fp, def);
        fputs("). INI: [", fp);
        man_text(fp, s->section);
        fputs("] ", fp);
        man_text(fp, s->key);
        if (s->alias) {
            fputs("; also ", fp);
            man_text(fp, "--");
            man_text(fp, s->alias);
        }
        fputs(".\n", fp);
    }
}
