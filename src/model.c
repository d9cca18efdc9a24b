/* gapneb: the models' options and names, and which processes each model defines
 * (doc/design.md, "Models", "Processes"). Å.
 *
 * The model files: crystal A comes from model_s2s.c (s2s, pt100), model_e2e.c or model_pt111.c;
 * model_build.c adds crystal B (A mirrored through z = d/2 and shifted by the registry, atom by
 * atom, so B's atom i is the image of A's atom i) and the vacuum; model_sites.c keeps the
 * candidate sites that have the full nearest-neighbour count in their crystal (which is what
 * removes points hanging over an edge or beyond the cut radius) and names them;
 * model_process.c builds the endpoints of the processes; model_gap.c finds the mid-gap sites.
 */
#include "model_internal.h"
#include "gapneb/element.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- options and names ---------------------------------------------------------------- */

void gn_model_opts_default(gn_model_opts *o, gn_model_kind kind)
{
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->gap = NAN;
    o->a0 = NAN;
    o->z = GN_Z_PT;
    o->n = 4;
    o->layers = 4;
    o->registry = kind == GN_MODEL_E2E ? GN_REG_ALIGNED : GN_REG_HOLLOW; /* pt*: unused */
    o->m = 4;
    o->R = 12.0;
    o->fix_depth = 4.0;
    o->vacuum = 0.0;
    o->single = 0;
    o->facing = GN_NC_FACET;
    o->shape = GN_NC_OCTAHEDRON;
    o->diameter = 20.0;
    o->natoms = 0;
    o->gamma100 = NAN;
    o->gamma111 = NAN;
    o->fix_shell = 1.0;
}

int gn_model_has_gap(gn_model_kind k)
{
    return k == GN_MODEL_S2S || k == GN_MODEL_E2E || k == GN_MODEL_NC;
}

int gn_model_is_single(const gn_model_opts *o)
{
    return o->single || isinf(o->gap) || !gn_model_has_gap(o->kind);
}

/* s2s, pt100 and pt111 share the slab options. */
static int check_slab(const gn_model_opts *o, gn_error *err)
{
    const char *m = gn_model_kind_name(o->kind);
    if (o->n < 2 || o->n > 64)
        return gn_error_set(err, GN_EINVAL, "%s: n = %d surface cells: must be 2..64", m, o->n);
    if (o->layers < 3 || o->layers > 200)
        return gn_error_set(err, GN_EINVAL,
                            "%s: %d layers: must be 3..200 (the 2 farthest are fixed)", m,
                            o->layers);
    return GN_OK;
}

int gn_model_opts_check(const gn_model_opts *o, gn_error *err)
{
    if ((int)o->kind < 0 || o->kind >= GN_MODEL_COUNT)
        return gn_error_set(err, GN_EINVAL, "unknown model kind %d", (int)o->kind);
    if (!isfinite(o->a0) || o->a0 <= 0.0)
        return gn_error_set(err, GN_EINVAL, "lattice constant a0 = %g Å: must be finite and > 0",
                            o->a0);
    if (!gn_model_is_single(o) && !(o->gap > 0.0 && o->gap <= GN_MODEL_GAP_LIMIT))
        return gn_error_set(err, GN_EINVAL, "gap d = %g Å: must be > 0 and at most %g Å", o->gap,
                            GN_MODEL_GAP_LIMIT);
    if (!isfinite(o->vacuum) || o->vacuum < 0.0)
        return gn_error_set(err, GN_EINVAL, "vacuum = %g Å: must be >= 0", o->vacuum);
    if (o->z < 0 || o->z > 118)
        return gn_error_set(err, GN_EINVAL, "atomic number %d out of range", o->z);
    if (o->kind == GN_MODEL_NC) {
        return gn_model_nc_check(o, err);
    } else if (o->kind != GN_MODEL_E2E) {
        int rc = check_slab(o, err);
        if (rc)
            return rc;
        if (o->kind == GN_MODEL_S2S && o->registry != GN_REG_HOLLOW &&
            o->registry != GN_REG_TOP && o->registry != GN_REG_BRIDGE)
            return gn_error_set(err, GN_EINVAL, "s2s: registry must be hollow, top or bridge");
    } else {
        if (o->m < 2 || o->m > 100)
            return gn_error_set(err, GN_EINVAL, "e2e: m = %d edge spacings: must be 2..100", o->m);
        if (!isfinite(o->R) || o->R < 2.0 * o->a0 || o->R > 60.0 * o->a0)
            return gn_error_set(err, GN_EINVAL, "e2e: radius R = %g Å: must be 2 a0 .. 60 a0",
                                o->R);
        if (!isfinite(o->fix_depth) || o->fix_depth < 0.0 || o->fix_depth >= o->R)
            return gn_error_set(err, GN_EINVAL, "e2e: fixed depth %g Å: must be in [0, R)",
                                o->fix_depth);
        if (o->registry != GN_REG_ALIGNED && o->registry != GN_REG_STAGGERED)
            return gn_error_set(err, GN_EINVAL, "e2e: registry must be aligned or staggered");
    }
    return GN_OK;
}

static const char *const model_names[GN_MODEL_COUNT] = {"s2s", "e2e", "pt100", "pt111", "nc"};

int gn_model_kind_parse(const char *s, gn_model_kind *out, gn_error *err)
{
    for (int i = 0; s && i < GN_MODEL_COUNT; i++)
        if (strcmp(s, model_names[i]) == 0) {
            *out = (gn_model_kind)i;
            return GN_OK;
        }
    return gn_error_set(err, GN_EINVAL,
                        "unknown model '%s' (expected s2s, e2e, pt100, pt111 or nc)", s ? s : "");
}

const char *gn_model_kind_name(gn_model_kind k)
{
    return (int)k >= 0 && k < GN_MODEL_COUNT ? model_names[k] : "unknown";
}

static const struct {
    const char *name;
    int reg;
    gn_model_kind kind;
} registries[] = {
    {"hollow", GN_REG_HOLLOW, GN_MODEL_S2S},     {"top", GN_REG_TOP, GN_MODEL_S2S},
    {"bridge", GN_REG_BRIDGE, GN_MODEL_S2S},     {"aligned", GN_REG_ALIGNED, GN_MODEL_E2E},
    {"staggered", GN_REG_STAGGERED, GN_MODEL_E2E},
};
#define NREG (sizeof registries / sizeof registries[0])

/* nc takes the registries of s2s when facing a facet and those of e2e when facing an edge;
 * gn_model_opts_check matches them with the facing. */
int gn_model_registry_parse(gn_model_kind kind, const char *s, int *out, gn_error *err)
{
    for (size_t i = 0; s && i < NREG; i++)
        if ((registries[i].kind == kind || kind == GN_MODEL_NC) &&
            strcmp(s, registries[i].name) == 0) {
            *out = registries[i].reg;
            return GN_OK;
        }
    return gn_error_set(err, GN_EINVAL, "%s: unknown registry '%s' (expected %s)",
                        gn_model_kind_name(kind), s ? s : "",
                        kind == GN_MODEL_S2S   ? "hollow, top or bridge"
                        : kind == GN_MODEL_NC ? "hollow, top, bridge (facing a facet) or aligned, "
                                                "staggered (an edge)"
                                              : "aligned or staggered");
}

/* ---- nc ---- */

static const char *const facing_names[] = {"facet", "edge"};
static const char *const shape_names[] = {"octahedron", "wulff"};

/* Index of s in names[0..n), or -1. */
static int name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

int gn_nc_facing_parse(const char *s, gn_nc_facing *out, gn_error *err)
{
    int i = name_index(facing_names, 2, s);
    if (i < 0)
        return gn_error_set(err, GN_EINVAL, "unknown facing '%s' (expected facet or edge)",
                            s ? s : "");
    *out = (gn_nc_facing)i;
    return GN_OK;
}

const char *gn_nc_facing_name(gn_nc_facing f)
{
    return (int)f >= 0 && (int)f < 2 ? facing_names[f] : "unknown";
}

int gn_nc_shape_parse(const char *s, gn_nc_shape *out, gn_error *err)
{
    int i = name_index(shape_names, 2, s);
    if (i < 0)
        return gn_error_set(err, GN_EINVAL, "unknown shape '%s' (expected octahedron or wulff)",
                            s ? s : "");
    *out = (gn_nc_shape)i;
    return GN_OK;
}

const char *gn_nc_shape_name(gn_nc_shape s)
{
    return (int)s >= 0 && (int)s < 2 ? shape_names[s] : "unknown";
}

int gn_model_nc_check(const gn_model_opts *o, gn_error *err)
{
    if (o->facing != GN_NC_FACET && o->facing != GN_NC_EDGE)
        return gn_error_set(err, GN_EINVAL, "nc: facing must be facet or edge");
    if (o->shape != GN_NC_OCTAHEDRON && o->shape != GN_NC_WULFF)
        return gn_error_set(err, GN_EINVAL, "nc: shape must be octahedron or wulff");
    if (o->natoms < 0 || o->natoms > 1000000)
        return gn_error_set(err, GN_EINVAL, "nc: %d atoms per crystal: must be 0 (use the "
                            "diameter) or 1 .. 1000000", o->natoms);
    if (o->natoms == 0 && (!isfinite(o->diameter) || o->diameter < 2.0 * o->a0 ||
                           o->diameter > 2.0 * GN_NC_H100_MAX * o->a0))
        return gn_error_set(err, GN_EINVAL, "nc: diameter %g Å: must be 2 a0 .. %d a0 (%.1f .. "
                            "%.1f Å)", o->diameter, 2 * GN_NC_H100_MAX, 2.0 * o->a0,
                            2.0 * GN_NC_H100_MAX * o->a0);
    if (o->shape == GN_NC_WULFF &&
        !(isfinite(o->gamma100) && isfinite(o->gamma111) && o->gamma100 > 0.0 &&
          o->gamma111 > 0.0))
        return gn_error_set(err, GN_EINVAL, "nc: the Wulff shape needs surface energies "
                            "gamma100, gamma111 > 0 (got %g, %g)", o->gamma100, o->gamma111);
    if (!isfinite(o->fix_shell) || o->fix_shell < 0.0)
        return gn_error_set(err, GN_EINVAL, "nc: fixed shell %g Å: must be >= 0", o->fix_shell);
    int facet_reg = o->registry == GN_REG_HOLLOW || o->registry == GN_REG_TOP ||
                    o->registry == GN_REG_BRIDGE;
    int edge_reg = o->registry == GN_REG_ALIGNED || o->registry == GN_REG_STAGGERED;
    if (o->facing == GN_NC_FACET ? !facet_reg : !edge_reg)
        return gn_error_set(err, GN_EINVAL, "nc facing %s: registry must be %s",
                            gn_nc_facing_name(o->facing),
                            o->facing == GN_NC_FACET ? "hollow, top or bridge"
                                                     : "aligned or staggered");
    return GN_OK;
}

/* The process table: name, route, and whether the terraces define it (every process is
 * defined on the gap models). */
static const struct {
    const char *name;
    gn_route route;
    int terrace;
} processes[GN_PROCESS_COUNT] = {
    [GN_PROCESS_HOP] = {"hop", GN_ROUTE_WITHIN, 1},
    [GN_PROCESS_TRANSFER] = {"transfer", GN_ROUTE_ACROSS, 0},
    [GN_PROCESS_EXCHANGE] = {"exchange", GN_ROUTE_WITHIN, 1},
};

int gn_process_parse(const char *s, gn_process *out, gn_error *err)
{
    for (int i = 0; s && i < GN_PROCESS_COUNT; i++)
        if (strcmp(s, processes[i].name) == 0) {
            *out = (gn_process)i;
            return GN_OK;
        }
    return gn_error_set(err, GN_EINVAL, "unknown process '%s' (expected %s)", s ? s : "",
                        gn_process_names_text());
}

int gn_process_is_custom(gn_process p)
{
    return (int)p >= GN_PROCESS_CUSTOM && (int)p < GN_PROCESS_CUSTOM + GN_PROCESS_CUSTOM_MAX;
}

int gn_process_custom_index(gn_process p)
{
    return gn_process_is_custom(p) ? (int)p - GN_PROCESS_CUSTOM : -1;
}

const char *gn_process_name(gn_process p)
{
    if (gn_process_is_custom(p))
        return "custom"; /* its own name lives in the job (gn_job_process_name) */
    return (int)p >= 0 && p < GN_PROCESS_COUNT ? processes[p].name : "unknown";
}

const char *gn_process_names_text(void) { return "hop, transfer or exchange"; }

int gn_model_has_process(gn_model_kind k, gn_process p)
{
    if ((int)k >= 0 && k < GN_MODEL_COUNT && gn_process_is_custom(p))
        return 1; /* a custom process's sites decide: a row without them fails, saying so */
    if ((int)p < 0 || p >= GN_PROCESS_COUNT || (int)k < 0 || k >= GN_MODEL_COUNT)
        return 0;
    return gn_model_has_gap(k) || processes[p].terrace;
}

gn_route gn_process_route(gn_process p)
{
    return (int)p >= 0 && p < GN_PROCESS_COUNT ? processes[p].route : GN_ROUTE_WITHIN;
}

const char *gn_route_name(gn_route r)
{
    return r == GN_ROUTE_WITHIN ? "within" : r == GN_ROUTE_ACROSS ? "across" : "unknown";
}

static const char *const site_kinds[GN_SITE_KIND_COUNT] = {"hollow100", "fcc111", "hcp111",
                                                            "gap"};

const char *gn_site_kind_name(int kind)
{
    return kind >= 0 && kind < GN_SITE_KIND_COUNT ? site_kinds[kind] : "unknown";
}

const char *gn_model_registry_name(int registry)
{
    for (size_t i = 0; i < NREG; i++)
        if (registries[i].reg == registry)
            return registries[i].name;
    return "unknown";
}

