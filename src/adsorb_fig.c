/* gapneb: figures of an adsorb run (see adsorb.h), drawn with gnuplot (gnuplot.h) and the
 * pictures of configurations (picture.h). Units: gaps Å, energies eV. */
#include "adsorb_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/fileio.h"
#include "gapneb/io_xyz.h"
#include "gapneb/picture.h"
#include "gnuplot_internal.h"

#define PANELS 4 /* configurations shown per gap (Supp. Fig. 7a-d) */

typedef struct figs {
    const char *outdir;
    char figdir[4200], sdir[4200];
    const gn_adsorb_result *r;
    char **scripts;
    size_t nscripts;
} figs;

static int add_script(figs *f, const char *name, gn_error *err)
{
    char path[4400];
    int rc = gn_path_join(path, sizeof path, f->figdir, name, err);
    if (rc)
        return rc;
    char **v = realloc(f->scripts, (f->nscripts + 1) * sizeof *v);
    if (!v)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    f->scripts = v;
    if (!(v[f->nscripts] = strdup(path)))
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    f->nscripts++;
    return GN_OK;
}

static int write_named(gn_strbuf *b, const figs *f, const char *name, gn_error *err)
{
    char path[4400];
    int rc = gn_path_join(path, sizeof path, f->figdir, name, err);
    if (rc) {
        gn_strbuf_clear(b);
        return rc;
    }
    return gn_gp_write(b, path, err);
}

/* ---- energies against the gap ------------------------------------------------------------- */

/* The stages a figure shows: K only, or 1..K when sequential. */
static int first_stage(const gn_adsorb_result *r) { return r->sequential ? 1 : r->nadatoms; }

/* On an engine (no E(atom): gn_adsorb_run), the total energy. */
static double shown_energy(const gn_adsorb_result *r, const gn_adsorb_config *c)
{
    return isnan(r->e_atom) ? c->energy : r->sequential ? c->e_add : c->e_ads;
}

static int figure_best(figs *f, gn_error *err)
{
    const gn_adsorb_result *r = f->r;
    gn_strbuf data = {0}, gp = {0};
    int nblk = 0, nbridge = 0;
    for (int k = first_stage(r); k <= r->nadatoms; k++) {
        gn_strbuf_printf(&data, "%s# adatom%s %d: gap_A\tenergy_eV\tlabel\tbridges\n",
                         nblk ? "\n\n" : "", r->sequential ? "" : "s", k);
        for (size_t g = 0; g < r->ngaps; g++) {
            long b = gn_adsorb_best(r, g, k);
            if (b < 0)
                continue;
            const gn_adsorb_config *c = &r->configs[b];
            nbridge += c->bridges;
            if (r->sequential) /* where the adatoms ended */
                gn_strbuf_printf(&data, "%.6f\t%.8f\t\"%s\"\t%d\n", c->gap, shown_energy(r, c),
                                 c->final_sites, c->bridges);
            else
                gn_strbuf_printf(&data, "%.6f\t%.8f\t\"c%d\"\t%d\n", c->gap, shown_energy(r, c),
                                 c->id, c->bridges);
        }
        nblk++;
    }
    int rc = write_named(&data, f, "eads-vs-gap.tsv", err);
    if (rc)
        return rc;
    gn_gp_head(&gp, "eads-vs-gap", r->sequential
                   ? "adsorption energy of the added adatom at its most stable site, per stage"
                   : "adsorption energy of the most stable configuration, its id at each point",
               "eads-vs-gap.tsv");
    gn_strbuf_printf(&gp, "set xlabel 'gap d (Å)'\nset ylabel '%s'\nset title '%s %s, %s'\n"
                          "set offsets graph 0.05, graph 0.05, graph 0.15, graph 0.1\n",
                     isnan(r->e_atom) ? "total energy, no E_ads from an engine (eV)"
                     : r->sequential ? "E_add of the added adatom (eV)"
                                     : "E_ads, all adatoms together (eV)",
                     r->sequential ? "One adatom at a time:" : "Most stable configuration,",
                     gn_model_kind_name(r->kind), r->potential);
    gn_gp_loop_open(&gp, "eads-vs-gap");
    gn_strbuf_printf(&gp, "  plot");
    for (int b = 0; b < nblk; b++) {
        int k = first_stage(r) + b;
        char title[64];
        if (r->sequential)
            snprintf(title, sizeof title, "adatom %d (label: final sites)", k);
        else
            snprintf(title, sizeof title, "%d adatom%s (label: id)", k, k > 1 ? "s" : "");
        gn_strbuf_printf(&gp, "%s \\\n    'eads-vs-gap.tsv' index %d using 1:2 with linespoints "
                              "lw 2 pt 7 lc %d title '%s', \\\n    '' index %d using 1:2:3 with "
                              "labels offset 0,1.2 font ',10' tc lt %d notitle",
                         b ? "," : "", b, b + 1, title, b, b + 1);
    }
    if (nbridge) /* circles round the points whose structure bridges the gap */
        gn_strbuf_printf(&gp, ", \\\n    'eads-vs-gap.tsv' index 0:%d using 1:($4 > 0 ? $2 : "
                              "NaN) with points pt 6 ps 2.5 lc rgb 'black' title 'bridges the "
                              "gap'", nblk - 1);
    gn_gp_loop_close(&gp);
    rc = write_named(&gp, f, "eads-vs-gap.gp", err);
    return rc ? rc : add_script(f, "eads-vs-gap.gp", err);
}

/* Does configuration id win (rank 1) at some gap of stage k? */
static int wins(const gn_adsorb_result *r, int k, int id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->configs[i].nadatoms == k && r->configs[i].id == id && r->configs[i].rank == 1)
            return 1;
    return 0;
}

/* Every distinct configuration of stage k against the gap, one block per id. */
static int figure_all(figs *f, int k, gn_error *err)
{
    const gn_adsorb_result *r = f->r;
    int maxid = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->configs[i].nadatoms == k && r->configs[i].id > maxid)
            maxid = r->configs[i].id;
    gn_strbuf data = {0}, gp = {0}, items = {0};
    int nblk = 0;
    char name[64], dname[80];
    snprintf(name, sizeof name, "eads-all-n%d", k);
    snprintf(dname, sizeof dname, "%s.tsv", name);
    for (int id = 1; id <= maxid; id++) {
        int npts = 0;
        const char *sites = "";
        for (size_t g = 0; g < r->ngaps; g++)
            for (size_t i = 0; i < r->n; i++) {
                const gn_adsorb_config *c = &r->configs[i];
                if (c->nadatoms != k || c->id != id || c->gap != r->gaps[g].gap || !c->rank)
                    continue;
                if (!npts++)
                    gn_strbuf_printf(&data, "%s# c%d: %s\n# gap_A\tenergy_eV\trank\n",
                                     nblk ? "\n\n" : "", id, c->sites);
                gn_strbuf_printf(&data, "%.6f\t%.8f\t%d\n", c->gap, shown_energy(r, c), c->rank);
                sites = c->sites;
            }
        if (!npts)
            continue;
        if (wins(r, k, id)) {
            char title[GN_ADSORB_SITES_MAX + 16];
            gn_fmt_trunc(title, sizeof title, "c%d: %s", id, sites);
            gn_strbuf_printf(&items, ", \\\n    '%s' index %d using 1:2 with linespoints lw 2 pt 7 "
                                     "title ", dname, nblk);
            gn_gp_quote(&items, title);
        }
        nblk++;
    }
    if (!nblk) {
        gn_strbuf_clear(&data);
        gn_strbuf_clear(&items);
        return GN_OK;
    }
    int rc = write_named(&data, f, dname, err);
    if (rc) {
        gn_strbuf_clear(&items);
        return rc;
    }
    gn_gp_head(&gp, name, "every distinct configuration against the gap (one line per id; the "
                          "ones that win somewhere in colour)", dname);
    gn_strbuf_printf(&gp, "set xlabel 'gap d (Å)'\nset ylabel '%s'\nset title 'All "
                          "configurations with %d adatom%s, %s, %s'\nset key outside right "
                          "top box opaque\nset offsets graph 0.05, graph 0.05, graph 0.05, "
                          "graph 0.05\n",
                     r->sequential ? "E_add of the added adatom (eV)" : "E_ads (eV)", k,
                     k > 1 ? "s" : "", gn_model_kind_name(r->kind), r->potential);
    gn_gp_loop_open_size(&gp, name, 1100, 620);
    gn_strbuf_printf(&gp, "  plot '%s' index 0:%d using 1:2 with linespoints lw 1 pt 7 ps 0.6 "
                          "lc rgb 'gray70' title 'other configurations'%s",
                     dname, nblk - 1, gn_strbuf_text(&items));
    gn_strbuf_clear(&items);
    gn_gp_loop_close(&gp);
    snprintf(dname, sizeof dname, "%s.gp", name);
    rc = write_named(&gp, f, dname, err);
    return rc ? rc : add_script(f, dname, err);
}

/* ---- pictures ----------------------------------------------------------------------------- */

/* Structures read from OUT/structures/ for a result read back from a file. */
typedef struct loaded {
    gn_frame *f;
    size_t n;
} loaded;

static void loaded_clear(loaded *l)
{
    gn_frames_free(l->f, l->n);
    l->f = NULL;
    l->n = 0;
}

static int load(const figs *f, const char *file, loaded *l, gn_error *err)
{
    char path[4400];
    int rc = gn_path_join(path, sizeof path, f->sdir, file, err);
    return rc ? rc : gn_xyz_read(path, &l->f, &l->n, err);
}

/* The relaxed structure of configuration i of the block [from, to): its own, or the frame of
 * STEM-all.xyz at its place among the block's relaxed configurations. */
static const gn_atoms *structure_of(const gn_adsorb_result *r, size_t from, size_t i,
                                    const loaded *l)
{
    if (r->configs[i].relaxed)
        return r->configs[i].relaxed;
    size_t k = 0;
    for (size_t j = from; j < i; j++)
        k += !r->configs[j].screened_out;
    return k < l->n ? l->f[k].atoms : NULL;
}

/* Splits "A100:0 A100:1" into labels (pointers into buf). */
static size_t split_sites(const char *sites, char *buf, size_t cap, const char **lab, size_t max)
{
    snprintf(buf, cap, "%s", sites);
    size_t n = 0;
    for (char *tok = strtok(buf, " "); tok && n < max; tok = strtok(NULL, " "))
        lab[n++] = tok;
    return n;
}

static int draw_panels(figs *f, const char *name, const gn_picture_panel *p, size_t np,
                       const char *title, gn_error *err)
{
    int rc = gn_picture_write(f->figdir, name, f->r->kind, f->r->nn, p, np, title, err);
    char gpname[128];
    snprintf(gpname, sizeof gpname, "%s.gp", name);
    return rc ? rc : add_script(f, gpname, err);
}

/* The most stable configurations of one gap (Supp. Fig. 7a-d). */
static int pictures_best(figs *f, size_t g, size_t from, size_t to, const loaded *l,
                         gn_error *err)
{
    const gn_adsorb_result *r = f->r;
    gn_picture_panel p[PANELS];
    char titles[PANELS][128], buf[PANELS][GN_ADSORB_SITES_MAX];
    const char *labels[PANELS][GN_ADSORB_MAX_ADATOMS];
    size_t np = 0;
    for (int rank = 1; rank <= PANELS; rank++)
        for (size_t i = from; i < to; i++) {
            const gn_adsorb_config *c = &r->configs[i];
            const gn_atoms *a = c->rank == rank ? structure_of(r, from, i, l) : NULL;
            if (!a)
                continue;
            split_sites(c->placed, buf[np], sizeof buf[np], labels[np], GN_ADSORB_MAX_ADATOMS);
            snprintf(titles[np], sizeof titles[np], "c%d: E_ads %.3f eV%s", c->id, c->e_ads,
                     c->bridges ? ", bridges" : "");
            p[np] = (gn_picture_panel){.atoms = a, .na = r->gaps[g].na, .nb = r->gaps[g].nb,
                                       .adatom_labels = labels[np], .title = titles[np]};
            np++;
        }
    if (!np)
        return GN_OK;
    char name[96], stem[64], title[256];
    gn_adsorb_stem(r->gaps[g].gap, r->configs[from].nadatoms, stem, sizeof stem);
    snprintf(name, sizeof name, "pictures-%s", stem);
    snprintf(title, sizeof title, "%s, gap %g Å, %d adatoms: the %zu most stable configurations",
             gn_model_kind_name(r->kind), r->gaps[g].gap, r->configs[from].nadatoms, np);
    return draw_panels(f, name, p, np, title, err);
}

/* One stage of the sequential procedure (Supp. Fig. 8a, c, e): the structure it starts from
 * with the candidate sites marked, and its most stable result. */
static int pictures_stage(figs *f, size_t g, size_t from, size_t to, const loaded *l,
                          const gn_atoms *base, const char *base_labels, gn_error *err)
{
    const gn_adsorb_result *r = f->r;
    size_t n = to - from, nm = 0;
    double *marks = malloc((3 * n + 1) * sizeof *marks);
    const char **mlab = malloc((n + 1) * sizeof *mlab);
    char (*rk)[12] = malloc((n + 1) * sizeof *rk);
    char buf[2][GN_ADSORB_SITES_MAX];
    const char *labels[2][GN_ADSORB_MAX_ADATOMS];
    int rc = !marks || !mlab || !rk ? gn_error_set(err, GN_ENOMEM, "out of memory") : GN_OK;
    long best = -1;
    /* a candidate is labelled by the energy rank of where it led (the names are in the table:
     * nineteen site names side by side would be unreadable); one that led to a structure
     * found from another candidate too, by nothing */
    for (size_t i = from; !rc && i < to; i++) {
        memcpy(marks + 3 * nm, r->configs[i].site_pos, 3 * sizeof *marks);
        if (r->configs[i].rank)
            snprintf(rk[nm], sizeof rk[nm], "%d", r->configs[i].rank);
        else
            rk[nm][0] = '\0';
        mlab[nm] = rk[nm];
        nm++;
        if (r->configs[i].rank == 1)
            best = (long)i;
    }
    const gn_atoms *ba = best >= 0 ? structure_of(r, from, (size_t)best, l) : NULL;
    int k = r->configs[from].nadatoms;
    gn_picture_panel p[2];
    char t0[160], t1[GN_ADSORB_SITES_MAX + 80];
    size_t np = 0;
    if (!rc && base) {
        snprintf(t0, sizeof t0, "adatom %d: %d candidate site%s (energy rank)", k, (int)nm,
                 nm == 1 ? "" : "s");
        size_t nl = base_labels ? split_sites(base_labels, buf[0], sizeof buf[0], labels[0],
                                              GN_ADSORB_MAX_ADATOMS) : 0;
        p[np++] = (gn_picture_panel){.atoms = base, .na = r->gaps[g].na, .nb = r->gaps[g].nb,
                                     .adatom_labels = nl ? labels[0] : NULL, .marks = marks,
                                     .mark_labels = mlab, .nmarks = nm, .title = t0};
    }
    if (!rc && ba) {
        split_sites(r->configs[best].placed, buf[1], sizeof buf[1], labels[1],
                    GN_ADSORB_MAX_ADATOMS);
        gn_fmt_trunc(t1, sizeof t1, "most stable: %s, E_add %.3f eV%s",
                     r->configs[best].placed, r->configs[best].e_add,
                     r->configs[best].bridges ? ", bridges" : "");
        p[np++] = (gn_picture_panel){.atoms = ba, .na = r->gaps[g].na, .nb = r->gaps[g].nb,
                                     .adatom_labels = labels[1], .title = t1};
    }
    char name[96], stem[64], title[200];
    gn_adsorb_stem(r->gaps[g].gap, k, stem, sizeof stem);
    snprintf(name, sizeof name, "pictures-%s", stem);
    snprintf(title, sizeof title, "%s, gap %g Å: adatom %d", gn_model_kind_name(r->kind),
             r->gaps[g].gap, k);
    if (!rc && np)
        rc = draw_panels(f, name, p, np, title, err);
    free(marks);
    free(mlab);
    free(rk);
    return rc;
}

/* Pictures of every gap: loads what the result does not hold. */
static int pictures_gap(figs *f, size_t g, gn_error *err)
{
    const gn_adsorb_result *r = f->r;
    loaded prev = {0}, cur = {0}, model = {0};
    const gn_atoms *base = r->gaps[g].model;
    const char *base_labels = NULL;
    char file[128], stem[64];
    int rc = GN_OK;
    if (!base && r->sequential) {
        snprintf(file, sizeof file, "d%g-model.xyz", r->gaps[g].gap);
        if (load(f, file, &model, err) == GN_OK && model.n)
            base = model.f[0].atoms;
    }
    for (size_t i = 0; i < r->n && !rc;) {
        size_t end = gn_adsorb_block_end(r, i);
        const gn_adsorb_config *c = &r->configs[i];
        if (c->gap != r->gaps[g].gap) {
            i = end;
            continue;
        }
        loaded_clear(&cur);
        if (!c->relaxed) {
            gn_adsorb_stem(c->gap, c->nadatoms, stem, sizeof stem);
            snprintf(file, sizeof file, "%s-all.xyz", stem);
            rc = load(f, file, &cur, err);
        }
        if (!rc && r->sequential)
            rc = pictures_stage(f, g, i, end, &cur, base, base_labels, err);
        else if (!rc)
            rc = pictures_best(f, g, i, end, &cur, err);
        /* the next stage starts from this stage's most stable structure */
        long b = gn_adsorb_best(r, g, c->nadatoms);
        loaded_clear(&prev);
        prev = cur;
        cur = (loaded){0};
        base = b >= 0 ? structure_of(r, i, (size_t)b, &prev) : NULL;
        base_labels = b >= 0 ? r->configs[b].placed : NULL;
        i = end;
    }
    loaded_clear(&prev);
    loaded_clear(&cur);
    loaded_clear(&model);
    return rc;
}

int gn_adsorb_figures(const char *outdir, const gn_adsorb_result *r, const char *gnuplot,
                      int *scripts, int *drawn, char *note, size_t note_cap, gn_error *err)
{
    figs f = {.outdir = outdir, .r = r};
    *scripts = *drawn = 0;
    if (note_cap)
        note[0] = '\0';
    int rc = gn_path_join(f.figdir, sizeof f.figdir, outdir, "figures", err);
    if (!rc)
        rc = gn_path_join(f.sdir, sizeof f.sdir, outdir, "structures", err);
    if (!rc)
        rc = gn_mkdir_p(f.figdir, err);
    int finite = 0; /* a terrace (gap inf) has no curve against the gap, only pictures */
    for (size_t g = 0; g < r->ngaps; g++)
        finite += isfinite(r->gaps[g].gap);
    if (!rc && r->n && finite)
        rc = figure_best(&f, err);
    for (int k = first_stage(r); !rc && finite && k <= r->nadatoms; k++)
        rc = figure_all(&f, k, err);
    for (size_t g = 0; !rc && g < r->ngaps; g++)
        rc = pictures_gap(&f, g, err);
    if (!rc) {
        gn_figure_status st;
        memset(&st, 0, sizeof st);
        gn_gnuplot_draw_all(f.scripts, f.nscripts, gnuplot, f.figdir, &st);
        *scripts = (int)f.nscripts;
        *drawn = st.drawn;
        if (note_cap)
            snprintf(note, note_cap, "%s", st.note);
    }
    for (size_t i = 0; i < f.nscripts; i++)
        free(f.scripts[i]);
    free(f.scripts);
    return rc;
}
