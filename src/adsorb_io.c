/* gapneb: the files of an adsorb run (see adsorb.h): adsorption.tsv and adsorption.json through
 * one column table, the relaxed structures as extended XYZ, and reading the JSON back.
 * Units: Å, eV, s. */
#include "adsorb_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/fileio.h"
#include "gapneb/io_xyz.h"
#include "json_internal.h"
#include "strbuf_internal.h"
#include "tsv_internal.h"

/* ---- columns ------------------------------------------------------------------------------ */

typedef enum kind { K_DBL, K_INT, K_ULONG, K_STR, K_BOOL } kind;

typedef struct column {
    const char *name;
    kind k;
    size_t off;
    const char *fmt; /* K_DBL */
} column;

#define CD(n, f, fm) {n, K_DBL, offsetof(gn_adsorb_config, f), fm}
#define CI(n, f) {n, K_INT, offsetof(gn_adsorb_config, f), NULL}
#define CB(n, f) {n, K_BOOL, offsetof(gn_adsorb_config, f), NULL}

static const column cols[] = {
    CD("gap_A", gap, "%.4f"),
    CI("nadatoms", nadatoms),
    CI("id", id),
    CI("rank", rank),
    {"final_sites", K_STR, offsetof(gn_adsorb_config, final_sites), NULL},
    {"start_sites", K_STR, offsetof(gn_adsorb_config, sites), NULL},
    {"adatom_sites", K_STR, offsetof(gn_adsorb_config, placed), NULL},
    CD("final_offset_A", final_offset, "%.3f"),
    CI("multiplicity", multiplicity),
    CD("energy_eV", energy, "%.6f"),
    CD("e_ads_eV", e_ads, "%.6f"),
    CD("e_ads_per_adatom_eV", e_ads_per_atom, "%.6f"),
    CD("e_add_eV", e_add, "%.6f"),
    CB("bridges", bridges),
    CD("bridge_ratio", bridge_ratio, "%.4f"),
    CI("merged_into", merged_into),
    CB("screened_out", screened_out),
    CD("screen_energy_eV", screen_energy, "%.6f"),
    CI("screen_rank", screen_rank),
    CB("converged", converged),
    {"force_calls", K_ULONG, offsetof(gn_adsorb_config, force_calls), NULL},
    CD("site_x_A", site_pos[0], "%.4f"),
    CD("site_y_A", site_pos[1], "%.4f"),
    CD("site_z_A", site_pos[2], "%.4f"),
};
#define NCOLS (sizeof cols / sizeof cols[0])

static const void *cell(const gn_adsorb_config *c, const column *k)
{
    return (const char *)c + k->off;
}

static void put_cell(FILE *fp, const gn_adsorb_config *c, const column *k)
{
    switch (k->k) {
    case K_DBL: gn_tsv_put_num(fp, k->fmt, *(const double *)cell(c, k)); break;
    case K_INT: fprintf(fp, "%d", *(const int *)cell(c, k)); break;
    case K_BOOL: fputs(*(const int *)cell(c, k) ? "yes" : "no", fp); break;
    case K_ULONG: fprintf(fp, "%lu", *(const unsigned long *)cell(c, k)); break;
    case K_STR: fputs((const char *)cell(c, k), fp); break;
    }
}

static int write_tsv(FILE *fp, void *ctx, gn_error *err)
{
    const gn_adsorb_result *r = ctx;
    fprintf(fp, "# gapneb adsorb: %s, %s, %d adatoms%s; energies eV, lengths Å; E_ads = E(model "
                "+ adatoms) - E(model) - n E(atom); E(atom) = %.6f eV; bridge_ratio: longest "
                "link of the best chain A-adatoms-B in nearest-neighbour distances (%.4f Å), "
                "bridges when <= %.2f; rank 0: merged into another id or screened out\n",
            gn_model_kind_name(r->kind), r->potential, r->nadatoms,
            r->sequential ? ", sequential" : "", r->e_atom, r->nn, GN_ADSORB_BRIDGE_NN);
    for (size_t k = 0; k < NCOLS; k++)
        fprintf(fp, "%s%s", k ? "\t" : "", cols[k].name);
    fputc('\n', fp);
    for (size_t i = 0; i < r->n; i++) {
        for (size_t k = 0; k < NCOLS; k++) {
            if (k)
                fputc('\t', fp);
            put_cell(fp, &r->configs[i], &cols[k]);
        }
        fputc('\n', fp);
    }
    return ferror(fp) ? gn_error_set(err, GN_EIO, "writing adsorption.tsv failed") : GN_OK;
}

/* ---- JSON --------------------------------------------------------------------------------- */

static json_t *config_json(const gn_adsorb_config *c)
{
    json_t *o = json_object();
    for (size_t k = 0; k < NCOLS; k++) {
        const column *col = &cols[k];
        json_t *v = NULL;
        switch (col->k) {
        case K_DBL: v = gn_json_num(*(const double *)cell(c, col)); break;
        case K_INT: v = json_integer(*(const int *)cell(c, col)); break;
        case K_BOOL: v = json_boolean(*(const int *)cell(c, col)); break;
        case K_ULONG: v = json_integer((json_int_t) * (const unsigned long *)cell(c, col)); break;
        case K_STR: v = json_string((const char *)cell(c, col)); break;
        }
        json_object_set_new(o, col->name, v);
    }
    return o;
}

static json_t *gap_json(const gn_adsorb_gap *g)
{
    return json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:i, s:I, s:o}", "gap_A",
                     gn_json_num(g->gap), "e_bare_eV", gn_json_num(g->e_bare), "atoms_A",
                     (json_int_t)g->na, "atoms_B", (json_int_t)g->nb, "candidate_sites",
                     (json_int_t)g->ncandidates, "sets", (json_int_t)g->nsets, "classes",
                     (json_int_t)g->nclasses, "symmetry_operations", (json_int_t)g->nops,
                     "screened", g->screened, "screen_rank_of_best", g->screen_rank_of_best,
                     "force_calls", (json_int_t)g->force_calls, "wall_time_s",
                     gn_json_num(g->wall_time));
}

static const char *const critical_names[] = {"found", "beyond", "none", "not_determined"};

static json_t *result_json(const gn_adsorb_result *r)
{
    char text[1024];
    gn_adsorb_critical_text(r, text, sizeof text);
    json_t *crit = json_pack("{s:s, s:o, s:o, s:o, s:s}", "status",
                             critical_names[r->critical.status & 3], "gap_A",
                             gn_json_num(r->critical.gap), "gap_lo_A",
                             gn_json_num(r->critical.gap_lo), "gap_hi_A",
                             gn_json_num(r->critical.gap_hi), "text", text);
    json_t *gaps = json_array(), *configs = json_array();
    for (size_t i = 0; i < r->ngaps; i++)
        json_array_append_new(gaps, gap_json(&r->gaps[i]));
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(configs, config_json(&r->configs[i]));
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:i, s:b, s:i, s:f, s:o, s:o, s:o}", "model",
                     gn_model_kind_name(r->kind), "potential", r->potential, "a0_A",
                     gn_json_num(r->a0), "nn_A", gn_json_num(r->nn), "e_atom_eV",
                     gn_json_num(r->e_atom), "nadatoms", r->nadatoms, "sequential",
                     r->sequential, "keep", r->keep, "bridge_nn", GN_ADSORB_BRIDGE_NN,
                     "critical_gap", crit, "gaps", gaps, "configurations", configs);
}

/* ---- structures --------------------------------------------------------------------------- */

/* structures/STEM-all.xyz (the relaxed configurations of a gap and stage in table order) and
 * STEM-best.xyz. */
static int write_structures(const char *dir, const gn_adsorb_result *r, size_t from, size_t to,
                            gn_error *err)
{
    gn_frame *f = calloc(to - from + 1, sizeof *f);
    if (!f)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    size_t n = 0, best = 0;
    for (size_t i = from; i < to; i++) {
        const gn_adsorb_config *c = &r->configs[i];
        if (!c->relaxed || c->screened_out)
            continue;
        if (c->rank == 1)
            best = n;
        f[n++] = (gn_frame){.atoms = c->relaxed, .energy = c->energy, .has_energy = 1};
    }
    char stem[64], name[96], path[4200];
    gn_adsorb_stem(r->configs[from].gap, r->configs[from].nadatoms, stem, sizeof stem);
    int rc = GN_OK;
    for (int which = 0; which < 2 && n && !rc; which++) {
        snprintf(name, sizeof name, "%s-%s.xyz", stem, which ? "best" : "all");
        rc = gn_path_join(path, sizeof path, dir, name, err);
        if (!rc)
            rc = gn_xyz_write(path, which ? f + best : f, which ? 1 : n, err);
    }
    free(f);
    return rc;
}

int gn_adsorb_write(const char *outdir, const gn_adsorb_result *r, gn_error *err)
{
    char path[4200], sdir[4200];
    int rc = gn_mkdir_p(outdir, err);
    if (!rc && !(rc = gn_path_join(path, sizeof path, outdir, "adsorption.tsv", err)))
        rc = gn_file_write_atomic(path, write_tsv, (void *)r, err);
    if (!rc && !(rc = gn_path_join(path, sizeof path, outdir, "adsorption.json", err))) {
        json_t *root = result_json(r);
        rc = root ? gn_json_write_file(path, root, err)
                  : gn_error_set(err, GN_ENOMEM, "out of memory for JSON");
        json_decref(root);
    }
    if (!rc && !(rc = gn_path_join(sdir, sizeof sdir, outdir, "structures", err)))
        rc = gn_mkdir_p(sdir, err);
    for (size_t g = 0; g < r->ngaps && !rc; g++) {
        char name[96];
        snprintf(name, sizeof name, "d%g-model.xyz", r->gaps[g].gap);
        gn_frame f = {.atoms = r->gaps[g].model, .energy = r->gaps[g].e_bare, .has_energy = 1};
        if (r->gaps[g].model && !(rc = gn_path_join(path, sizeof path, sdir, name, err)))
            rc = gn_xyz_write(path, &f, 1, err);
    }
    for (size_t i = 0; i < r->n && !rc;) {
        size_t j = gn_adsorb_block_end(r, i);
        rc = write_structures(sdir, r, i, j, err);
        i = j;
    }
    return rc;
}

/* ---- reading back ------------------------------------------------------------------------- */

static double num(const json_t *o, const char *key, double missing)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : missing;
}

static long integer(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (long)json_integer_value(v) : json_is_true(v) ? 1 : 0;
}

static int read_config(const json_t *o, gn_adsorb_config *c, const char *path, size_t i,
                       gn_error *err)
{
    memset(c, 0, sizeof *c);
    for (size_t k = 0; k < NCOLS; k++) {
        const column *col = &cols[k];
        void *dst = (char *)c + col->off;
        switch (col->k) {
        /* a missing bridge ratio (null) is a chain that does not exist */
        case K_DBL:
            *(double *)dst = num(o, col->name, strcmp(col->name, "bridge_ratio") ? NAN : INFINITY);
            break;
        case K_INT:
        case K_BOOL: *(int *)dst = (int)integer(o, col->name); break;
        case K_ULONG: *(unsigned long *)dst = (unsigned long)integer(o, col->name); break;
        case K_STR: {
            const char *s = json_string_value(json_object_get(o, col->name));
            if (!s || strlen(s) >= GN_ADSORB_SITES_MAX)
                return gn_error_set(err, GN_EPARSE, "%s: configuration %zu has no %s", path,
                                    i + 1, col->name);
            snprintf((char *)dst, GN_ADSORB_SITES_MAX, "%s", s);
            break;
        }
        }
    }
    if (!isfinite(c->gap) || c->nadatoms < 1 || c->nadatoms > GN_ADSORB_MAX_ADATOMS)
        return gn_error_set(err, GN_EPARSE, "%s: configuration %zu: bad gap or adatom count",
                            path, i + 1);
    return GN_OK;
}

static int read_gaps(const json_t *a, gn_adsorb_result *r, const char *path, gn_error *err)
{
    r->ngaps = json_array_size(a);
    r->gaps = calloc(r->ngaps + 1, sizeof *r->gaps);
    if (!r->gaps)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->ngaps; i++) {
        const json_t *o = json_array_get(a, i);
        gn_adsorb_gap *g = &r->gaps[i];
        g->gap = num(o, "gap_A", NAN);
        g->e_bare = num(o, "e_bare_eV", NAN);
        g->na = (size_t)integer(o, "atoms_A");
        g->nb = (size_t)integer(o, "atoms_B");
        g->ncandidates = (size_t)integer(o, "candidate_sites");
        g->nsets = (size_t)integer(o, "sets");
        g->nclasses = (size_t)integer(o, "classes");
        g->nops = (size_t)integer(o, "symmetry_operations");
        g->screened = (int)integer(o, "screened");
        g->screen_rank_of_best = (int)integer(o, "screen_rank_of_best");
        g->force_calls = (unsigned long)integer(o, "force_calls");
        g->wall_time = num(o, "wall_time_s", NAN);
        if (!isfinite(g->gap))
            return gn_error_set(err, GN_EPARSE, "%s: gap %zu has no gap_A", path, i + 1);
    }
    return GN_OK;
}

int gn_adsorb_read_json(const char *path, gn_adsorb_result *r, gn_error *err)
{
    memset(r, 0, sizeof *r);
    json_t *root;
    int rc = gn_json_read_file(path, &root, err);
    if (rc)
        return rc;
    const char *model = json_string_value(json_object_get(root, "model"));
    const char *pot = json_string_value(json_object_get(root, "potential"));
    const json_t *gaps = json_object_get(root, "gaps");
    const json_t *configs = json_object_get(root, "configurations");
    if (!model || !pot || !json_is_array(gaps) || !json_is_array(configs) ||
        gn_model_kind_parse(model, &r->kind, err))
        rc = gn_error_set(err, GN_EPARSE, "%s: not an adsorption.json (model, potential, gaps "
                          "and configurations expected)", path);
    if (!rc) {
        snprintf(r->potential, sizeof r->potential, "%s", pot);
        r->a0 = num(root, "a0_A", NAN);
        r->nn = num(root, "nn_A", NAN);
        r->e_atom = num(root, "e_atom_eV", NAN);
        r->nadatoms = (int)integer(root, "nadatoms");
        r->sequential = (int)integer(root, "sequential");
        r->keep = (int)integer(root, "keep");
        rc = read_gaps(gaps, r, path, err);
    }
    if (!rc) {
        r->n = json_array_size(configs);
        r->configs = calloc(r->n + 1, sizeof *r->configs);
        if (!r->configs)
            rc = gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; !rc && i < r->n; i++)
        rc = read_config(json_array_get(configs, i), &r->configs[i], path, i, err);
    const json_t *crit = json_object_get(root, "critical_gap");
    const char *st = json_string_value(json_object_get(crit, "status"));
    for (int k = 0; !rc && st && k < 4; k++)
        if (!strcmp(st, critical_names[k]))
            r->critical.status = k;
    r->critical.gap = num(crit, "gap_A", NAN);
    r->critical.gap_lo = num(crit, "gap_lo_A", NAN);
    r->critical.gap_hi = num(crit, "gap_hi_A", NAN);
    json_decref(root);
    if (rc)
        gn_adsorb_result_clear(r);
    return rc;
}
