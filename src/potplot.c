/* gapneb: figures of potentials (see include/gapneb/potplot.h). Lengths Å, energies eV (reduced
 * units for lj and morse), EAM densities in the potential's units.
 *
 * Scripts are composed and drawn with the gnuplot module, like the table figures (PNG and SVG
 * from one script a user can restyle and rerun).
 */
#include "gapneb/potplot.h"
#include "gnuplot_internal.h"

#include "gapneb/element.h"
#include "gapneb/fileio.h"
#include "gapneb/pot_eam.h"
#include "gapneb/pot_pair.h"
#include "gapneb/properties.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the curves ---- */

static int eam_eff(const gn_potcurve *c, double r, double *v, gn_error *err)
{
    const gn_potential *p = c->pot;
    double phi, dphi, f, df;
    int rc = gn_pot_eam_pair(p, p->z, p->z, r, &phi, &dphi, err);
    if (rc == GN_OK)
        rc = gn_pot_eam_density(p, p->z, r, &f, &df, err);
    if (rc == GN_OK)
        *v = phi + 2.0 * c->dF_bulk * f;
    return rc;
}

int gn_potcurve_energy(const gn_potcurve *c, double r, double *v, gn_error *err)
{
    if (!(r > 0.0))
        return gn_error_set(err, GN_ERANGE, "%s: distance %g is not positive", c->pot->name, r);
    if (c->eam)
        return eam_eff(c, r, v, err);
    return gn_pot_pair_energy(c->pot, r, 0, v, NULL, err);
}

/* Host density of an atom in perfect fcc with lattice constant a0: the sum of f over the
 * neighbours within the cutoff. */
static int fcc_density(const gn_potential *p, double a0, double *rho, gn_error *err)
{
    const double cut = gn_potential_cutoff(p);
    const double h = 0.5 * a0;
    const int m = (int)ceil(cut / h) + 1;
    double sum = 0.0;
    /* fcc sites: integer multiples of a0/2 with an even coordinate sum */
    for (int i = -m; i <= m; i++)
        for (int j = -m; j <= m; j++)
            for (int k = -m; k <= m; k++) {
                if ((i + j + k) % 2 || (!i && !j && !k))
                    continue;
                double r = h * sqrt((double)(i * i + j * j + k * k));
                if (r >= cut)
                    continue;
                double f, df;
                int rc = gn_pot_eam_density(p, p->z, r, &f, &df, err);
                if (rc)
                    return rc;
                sum += f;
            }
    *rho = sum;
    return GN_OK;
}

typedef struct min_ctx {
    const gn_potcurve *c;
    int failed;
} min_ctx;

static double eff_fn(double r, void *arg)
{
    min_ctx *m = arg;
    double v = 0.0;
    if (eam_eff(m->c, r, &v, NULL) != GN_OK)
        m->failed = 1;
    return v;
}

/* Minimum of phi_eff: the lowest of a grid over 0.6-1.6 nearest-neighbour distances, refined
 * with GSL's Brent minimiser to 1e-9 Å. */
static int eff_minimum(gn_potcurve *c, gn_error *err)
{
    min_ctx m = {c, 0};
    const double rnn = c->a0 / sqrt(2.0), lo = 0.6 * rnn, step = rnn / 400.0;
    int best = 0;
    double vbest = INFINITY;
    for (int i = 0; i <= 400; i++) {
        double v = eff_fn(lo + i * step, &m);
        if (v < vbest) {
            vbest = v;
            best = i;
        }
    }
    if (m.failed || best == 0 || best == 400)
        return gn_error_set(err, GN_EINVAL, "%s: no minimum of the effective pair potential "
                            "between %.3g and %.3g Å", c->pot->name, lo, lo + 400 * step);
    gsl_function fn = {eff_fn, &m};
    gsl_min_fminimizer *s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!s)
        return gn_error_set(err, GN_ENOMEM, "out of memory for a minimiser");
    double x = lo + best * step, a = x - step, b = x + step;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int st = gsl_min_fminimizer_set(s, &fn, x, a, b);
    for (int it = 0; st == GSL_SUCCESS && it < 200; it++) {
        st = gsl_min_fminimizer_iterate(s);
        x = gsl_min_fminimizer_x_minimum(s);
        a = gsl_min_fminimizer_x_lower(s);
        b = gsl_min_fminimizer_x_upper(s);
        if (gsl_min_test_interval(a, b, 1e-9, 0.0) == GSL_SUCCESS)
            break;
    }
    gsl_set_error_handler(old);
    gsl_min_fminimizer_free(s);
    /* a grid point already brackets the minimum; Brent only refuses flat (equal) ends */
    c->r0 = x;
    return m.failed ? gn_error_set(err, GN_EINVAL, "%s: effective pair potential not defined "
                                   "near %g Å", c->pot->name, x)
                    : GN_OK;
}

static int init_eam(const gn_potential *p, gn_potcurve *c, gn_error *err)
{
    c->eam = 1;
    c->r_on = NAN;
    c->r_cut = gn_potential_cutoff(p);
    double F;
    int rc = gn_lattice_constant(p, p->z, &c->a0, err);
    if (rc == GN_OK)
        rc = fcc_density(p, c->a0, &c->rho_bulk, err);
    if (rc == GN_OK)
        rc = gn_pot_eam_embed(p, p->z, c->rho_bulk, &F, &c->dF_bulk, err);
    return rc == GN_OK ? eff_minimum(c, err) : rc;
}

static int init_pair(const gn_potential *p, gn_potcurve *c, gn_error *err)
{
    gn_pair_info in;
    int rc = gn_pot_pair_info_get(p, &in, err);
    if (rc)
        return rc;
    c->r0 = in.r0;
    c->r_on = in.r_on;
    c->r_cut = in.r_cut;
    double p0, p2;
    rc = gn_pot_pair_energy(p, c->r0, 1, &p0, NULL, err);
    if (rc == GN_OK)
        rc = gn_pot_pair_energy(p, 2.0 * c->r0, 1, &p2, NULL, err);
    c->plain_ratio = p2 / p0;
    return rc;
}

int gn_potcurve_init(const gn_potential *p, gn_potcurve *c, gn_error *err)
{
    *c = (gn_potcurve){.pot = p, .r0 = NAN, .plain_ratio = NAN, .r_on = NAN, .r_cut = NAN,
                       .a0 = NAN, .rho_bulk = NAN, .dF_bulk = NAN};
    if (!p)
        return gn_error_set(err, GN_EINVAL, "gn_potcurve_init: no potential");
    int rc;
    if (gn_pot_pair_is(p))
        rc = init_pair(p, c, err);
    else if (gn_pot_eam_is(p))
        rc = init_eam(p, c, err);
    else
        return gn_error_set(err, GN_EINVAL, "%s: only pair and EAM potentials can be plotted",
                            p->name);
    if (rc == GN_OK)
        rc = gn_potcurve_energy(c, c->r0, &c->v_r0, err);
    if (rc == GN_OK)
        rc = gn_potcurve_energy(c, 2.0 * c->r0, &c->v_2r0, err);
    if (rc)
        return gn_error_prefix(err, "plotting %s: ", p->name);
    c->ratio = c->v_2r0 / c->v_r0 + 0.0; /* +0.0: no "-0" when V(2 r0) = 0 */
    return GN_OK;
}

/* ---- layout ---- */

#define NSAMPLE 1200

static const char *const colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                     "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
#define NCOLOR (sizeof colors / sizeof colors[0])

typedef struct plot_set {
    const gn_potcurve *c;
    size_t n;
    double xlo, xhi;  /* r range of panel a and of the samples */
    double depth;     /* largest |V(r0)| */
    double thi;       /* r/r0 range of panel b: 1.6 .. thi */
    double tail;      /* largest |V(2 r0)/V(r0)|, sets the y range of panel b */
} plot_set;

/* Panel a spans 0.8 r0 to just beyond the farthest cutoff, but no farther than 4 r0: a long
 * cutoff (the plain function) would squeeze the well into the left edge. */
static void layout(plot_set *s)
{
    double rcmax = 0.0, r0max = 0.0;
    s->xlo = INFINITY;
    s->depth = 0.0;
    s->tail = 0.0;
    for (size_t k = 0; k < s->n; k++) {
        const gn_potcurve *c = &s->c[k];
        s->xlo = fmin(s->xlo, 0.8 * c->r0);
        rcmax = fmax(rcmax, c->r_cut);
        r0max = fmax(r0max, c->r0);
        s->depth = fmax(s->depth, fabs(c->v_r0));
        s->tail = fmax(s->tail, fabs(c->ratio));
    }
    s->xhi = fmin(1.06 * rcmax, 4.0 * r0max);
    s->thi = 1.0;
    for (size_t k = 0; k < s->n; k++)
        s->thi = fmax(s->thi, s->xhi / s->c[k].r0);
    s->thi = fmax(fmin(s->thi, 4.0), 2.4);
    if (!(s->tail > 0.0))
        s->tail = 0.01;
}

/* The sample radii of curve c: from 0.85 r0 (the wall, far above the plotted range) to the
 * larger of xhi and thi r0 (panel b). */
static double sample_r(const plot_set *s, const gn_potcurve *c, int i)
{
    double lo = 0.85 * c->r0, hi = fmax(s->xhi, s->thi * c->r0);
    return lo + (hi - lo) * i / (NSAMPLE - 1);
}

static const char *curve_label(const gn_potcurve *c)
{
    const char *slash = strrchr(c->pot->name, '/');
    return slash ? slash + 1 : c->pot->name;
}

/* ---- data ---- */

/* potential.tsv: per curve k, block 2k the samples, block 2k+1 the points r0 and 2 r0. */
static int write_pair_data(FILE *fp, void *ctx, gn_error *err)
{
    plot_set *s = ctx;
    fprintf(fp, "# gapneb potentials --plot: V(r) as evaluated (pair potentials: switched or "
                "truncated and shifted; EAM: effective pair potential at the bulk density).\n"
                "# Units: r Å and V eV (reduced units for lj and morse). Blocks (gnuplot index): "
                "2k = curve k, 2k+1 = its r0 and 2 r0.\n");
    for (size_t k = 0; k < s->n; k++) {
        const gn_potcurve *c = &s->c[k];
        double d = fabs(c->v_r0);
        fprintf(fp, "%s# %s  spec %s  r0 %.10g  V(r0) %.10g  V(2r0) %.10g  ratio %.10g\n",
                k ? "\n\n" : "", c->pot->name, gn_potential_spec(c->pot), c->r0, c->v_r0,
                c->v_2r0, c->ratio);
        fprintf(fp, "# r\tV\tr_over_r0\tV_over_depth\tV_untruncated\n");
        for (int i = 0; i < NSAMPLE; i++) {
            double r = sample_r(s, c, i), v, vp = NAN;
            int rc = gn_potcurve_energy(c, r, &v, err);
            if (rc == GN_OK && !c->eam)
                rc = gn_pot_pair_energy(c->pot, r, 1, &vp, NULL, err);
            if (rc)
                return rc;
            fprintf(fp, "%.8g\t%.10g\t%.8g\t%.10g\t%.10g\n", r, v, r / c->r0, v / d, vp);
        }
        fprintf(fp, "\n\n# r0 and 2 r0 of %s\n# r\tV\tr_over_r0\tV_over_depth\n", c->pot->name);
        fprintf(fp, "%.10g\t%.10g\t1\t%.10g\n", c->r0, c->v_r0, c->v_r0 / d);
        fprintf(fp, "%.10g\t%.10g\t2\t%.10g\n", 2.0 * c->r0, c->v_2r0, c->v_2r0 / d);
    }
    return ferror(fp) ? gn_error_set(err, GN_EIO, "write error") : GN_OK;
}

/* eam.tsv: per EAM curve, block 3j the r functions, 3j+1 F(rho), 3j+2 the bulk point. */
static int write_eam_data(FILE *fp, void *ctx, gn_error *err)
{
    plot_set *s = ctx;
    fprintf(fp, "# gapneb potentials --plot: EAM functions. Units: r Å, phi and phi_eff eV, "
                "density f and rho in the potential's units, F eV.\n# phi_eff(r) = phi(r) + "
                "2 F'(rho_b) f(r), rho_b the density of bulk fcc at the potential's a0.\n"
                "# Blocks (gnuplot index): 3j = r functions, 3j+1 = F(rho), 3j+2 = (rho_b, "
                "F(rho_b)), for the j-th EAM potential;\n# densities also divided by rho_b, "
                "which makes potentials with different density units comparable.\n");
    int j = 0;
    for (size_t k = 0; k < s->n; k++) {
        const gn_potcurve *c = &s->c[k];
        const gn_potential *p = c->pot;
        if (!c->eam)
            continue;
        fprintf(fp, "%s# %s  a0 %.8g  rho_b %.10g  F'(rho_b) %.10g  cutoff %.8g\n"
                    "# r\tphi\tf\tphi_eff\tf_over_rho_b\n", j++ ? "\n\n" : "", p->name, c->a0, c->rho_bulk,
                c->dF_bulk, c->r_cut);
        for (int i = 0; i < NSAMPLE; i++) {
            double r = 0.5 + (1.06 * c->r_cut - 0.5) * i / (NSAMPLE - 1);
            double phi, dphi, f, df;
            int rc = gn_pot_eam_pair(p, p->z, p->z, r, &phi, &dphi, err);
            if (rc == GN_OK)
                rc = gn_pot_eam_density(p, p->z, r, &f, &df, err);
            if (rc)
                return rc;
            fprintf(fp, "%.8g\t%.10g\t%.10g\t%.10g\t%.10g\n", r, phi, f,
                    phi + 2.0 * c->dF_bulk * f, f / c->rho_bulk);
        }
        fprintf(fp, "\n\n# rho\tF\trho_over_rho_b\n");
        for (int i = 0; i < NSAMPLE; i++) {
            double rho = 2.0 * c->rho_bulk * i / (NSAMPLE - 1), F, dF;
            int rc = gn_pot_eam_embed(p, p->z, rho, &F, &dF, err);
            if (rc)
                return rc;
            fprintf(fp, "%.10g\t%.10g\t%.10g\n", rho, F, rho / c->rho_bulk);
        }
        double F, dF;
        int rc = gn_pot_eam_embed(p, p->z, c->rho_bulk, &F, &dF, err);
        if (rc)
            return rc;
        fprintf(fp, "\n\n# rho_b\tF(rho_b)\trho_over_rho_b\n%.10g\t%.10g\t1\n", c->rho_bulk, F);
    }
    return ferror(fp) ? gn_error_set(err, GN_EIO, "write error") : GN_OK;
}

/* ---- scripts ---- */

static void gp_tail(gn_strbuf *b)
{
    gn_strbuf_printf(b, "  unset multiplot\n");
    gn_gp_loop_close(b);
}

/* Clears what one panel set, so that the next panel and the next format start clean. */
static void gp_panel_reset(gn_strbuf *b)
{
    gn_strbuf_printf(b, "  unset object\n  unset arrow\n  unset label\n  set autoscale\n");
}

static int all_reduced(const plot_set *s, int want)
{
    for (size_t k = 0; k < s->n; k++)
        if ((s->c[k].pot->z == GN_Z_DUMMY) != want)
            return 0;
    return 1;
}

static void unit_labels(const plot_set *s, const char **r, const char **v)
{
    if (all_reduced(s, 1)) {
        *r = "r (reduced units)";
        *v = "V(r) (reduced units)";
    } else if (all_reduced(s, 0)) {
        *r = "r (Å)";
        *v = "V(r) (eV)";
    } else {
        *r = "r (Å; reduced units for lj, morse)";
        *v = "V(r) (eV; reduced units for lj, morse)";
    }
}

static void key_title(gn_strbuf *b, const gn_potcurve *c)
{
    char t[400];
    snprintf(t, sizeof t, "%s%s: V(2r₀)/V(r₀) = %.3f %%", curve_label(c),
             c->eam ? " (effective pair at bulk density)" : "", 100.0 * c->ratio);
    gn_gp_quote(b, t);
}

/* Shaded switch regions (pair) and cutoff lines (EAM and truncated-and-shifted), in the curve's
 * colour; x scaled by 1/r0 when reduced. */
static void gp_switch_marks(gn_strbuf *b, const plot_set *s, int reduced)
{
    for (size_t k = 0; k < s->n; k++) {
        const gn_potcurve *c = &s->c[k];
        double u = reduced ? 1.0 / c->r0 : 1.0;
        const char *col = colors[k % NCOLOR];
        if (isfinite(c->r_on) && c->r_on < c->r_cut)
            gn_strbuf_printf(b, "  set object rect from %.10g, graph 0 to %.10g, graph 1 fc rgb '%s' fs "
                        "transparent solid 0.12 noborder behind\n",
                    c->r_on * u, c->r_cut * u, col);
        else
            gn_strbuf_printf(b, "  set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 3 lw 1.5 "
                        "lc rgb '%s'\n",
                    c->r_cut * u, c->r_cut * u, col);
    }
}

static void gp_plot_curves(gn_strbuf *b, const plot_set *s, const char *cols, int titled)
{
    gn_strbuf_printf(b, "  plot");
    for (size_t k = 0; k < s->n; k++) {
        const char *col = colors[k % NCOLOR];
        gn_strbuf_printf(b, "%s 'potential.tsv' index %zu using %s with lines lw 2 lc rgb '%s' %s",
                k ? ", \\\n      " : "", 2 * k, cols, col, titled ? "title " : "notitle");
        if (titled)
            key_title(b, &s->c[k]);
        gn_strbuf_printf(b, ", \\\n      'potential.tsv' index %zu using %s with points pt 7 ps 1.3 "
                    "lc rgb '%s' notitle",
                2 * k + 1, cols, col);
    }
    /* the untruncated function of a single switched pair potential, for comparison */
    if (s->n == 1 && !s->c[0].eam && !strcmp(cols, "1:2"))
        gn_strbuf_printf(b, ", \\\n      'potential.tsv' index 0 using 1:5 with lines dt 2 lw 1 "
                    "lc rgb 'gray30' title 'untruncated: V(2r₀)/V(r₀) = %.3f %%'",
                100.0 * s->c[0].plain_ratio);
    gn_strbuf_printf(b, "\n");
}

static void compose_pair_script(gn_strbuf *b, const plot_set *s)
{
    const char *rl, *vl;
    unit_labels(s, &rl, &vl);
    gn_gp_head(b, "potential", "pair potentials V(r) with r0 and 2 r0 marked, switch regions "
                               "shaded (Supplementary Fig. 1 style)", "potential.tsv");
    gn_gp_loop_open_size(b, "potential", 900, 1000);
    gn_strbuf_printf(b, "  set multiplot layout 2,1\n");
    /* panel a: the well */
    gp_panel_reset(b);
    gn_strbuf_printf(b, "  set grid\n  set key top right box opaque\n  set xlabel '%s'\n"
                "  set ylabel '%s'\n  set title '(a) V(r); points at r₀ and 2r₀; shaded: "
                "switch to zero'\n  set xrange [%.10g:%.10g]\n  set yrange [%.10g:%.10g]\n",
            rl, vl, s->xlo, s->xhi, -1.25 * s->depth, 1.0 * s->depth);
    gp_switch_marks(b, s, 0);
    /* r0 and 2 r0: a dashed line and a label for each distinct r0, staggered upwards */
    int nlab = 0;
    for (size_t k = 0; k < s->n; k++) {
        const gn_potcurve *c = &s->c[k];
        int shown = 0;
        for (size_t q = 0; q < k; q++)
            shown |= fabs(s->c[q].r0 - c->r0) <= 1e-9 * c->r0;
        if (shown)
            continue;
        const char *col = s->n == 1 ? "gray40" : colors[k % NCOLOR];
        for (int m = 1; m <= 2; m++)
            gn_strbuf_printf(b, "  set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lc rgb "
                        "'%s'\n  set label '%sr₀' at %.10g, graph %.3f offset 0.4,0 tc rgb '%s'\n",
                    m * c->r0, m * c->r0, col, m == 2 ? "2" : "", m * c->r0, 0.05 + 0.05 * nlab,
                    col);
        nlab++;
    }
    gp_plot_curves(b, s, "1:2", 1);
    /* panel b: the tail, scaled so that V(2 r0)/V(r0) is read at r/r0 = 2 */
    gp_panel_reset(b);
    gn_strbuf_printf(b, "  unset key\n  set xlabel 'r / r₀'\n  set ylabel 'V(r) / |V(r₀)|'\n"
                "  set title '(b) the tail: the value at r/r₀ = 2 is -V(2r₀)/V(r₀)'\n"
                "  set xrange [1.6:%.10g]\n  set yrange [%.10g:%.10g]\n"
                "  set arrow from 2, graph 0 to 2, graph 1 nohead dt 2 lc rgb 'gray50'\n"
                "  set arrow from graph 0, first 0 to graph 1, first 0 nohead lc rgb 'gray50'\n",
            s->thi, -3.0 * s->tail, 0.6 * s->tail);
    gp_switch_marks(b, s, 1);
    gp_plot_curves(b, s, "3:4", 0);
    gp_tail(b);
}

/* One panel of the EAM figure: data block `block` of each EAM potential (0 r functions,
 * 1 F(rho)), columns cols; the cutoffs marked on r panels; x from xlo and y up to ymax (NAN:
 * autoscaled). */
static void gp_eam_panel(gn_strbuf *b, const plot_set *s, const char *title, const char *xl,
                         const char *yl, int block, const char *cols, double xlo, double ymax)
{
    gp_panel_reset(b);
    const char *what[3] = {"title", "xlabel", "ylabel"}, *text[3] = {title, xl, yl};
    gn_strbuf_printf(b, "  set grid\n  set key top right box opaque\n");
    for (int i = 0; i < 3; i++) {
        gn_strbuf_printf(b, "  set %s ", what[i]);
        gn_gp_quote(b, text[i]);
        gn_strbuf_printf(b, "\n");
    }
    if (isfinite(xlo))
        gn_strbuf_printf(b, "  set xrange [%.10g:*]\n", xlo);
    if (isfinite(ymax))
        gn_strbuf_printf(b, "  set yrange [*:%.10g]\n", ymax);
    for (size_t k = 0; k < s->n && block == 0; k++)
        if (s->c[k].eam)
            gn_strbuf_printf(b, "  set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dt 3 lw 1.5 "
                        "lc rgb '%s'\n",
                    s->c[k].r_cut, s->c[k].r_cut, colors[k % NCOLOR]);
    gn_strbuf_printf(b, "  plot");
    int j = 0;
    for (size_t k = 0; k < s->n; k++) {
        const gn_potcurve *c = &s->c[k];
        if (!c->eam)
            continue;
        gn_strbuf_printf(b, "%s 'eam.tsv' index %d using %s with lines lw 2 lc rgb '%s' title ",
                j ? ", \\\n      " : "", 3 * j + block, cols, colors[k % NCOLOR]);
        gn_gp_quote(b, curve_label(c));
        if (block == 1)
            gn_strbuf_printf(b, ", \\\n      'eam.tsv' index %d using 3:2 with points pt 7 ps 1.3 "
                        "lc rgb '%s' notitle",
                    3 * j + 2, colors[k % NCOLOR]);
        j++;
    }
    gn_strbuf_printf(b, "\n");
}

static void compose_eam_script(gn_strbuf *b, const plot_set *s)
{
    double rlo = INFINITY;
    for (size_t k = 0; k < s->n; k++)
        if (s->c[k].eam)
            rlo = fmin(rlo, 0.75 * s->c[k].r0);
    gn_gp_head(b, "eam", "EAM functions: pair term, density, embedding and effective pair "
                         "potential at the bulk density; dotted: cutoff", "eam.tsv");
    gn_gp_loop_open_size(b, "eam", 1100, 860);
    gn_strbuf_printf(b, "  set multiplot layout 2,2\n");
    gp_eam_panel(b, s, "(a) pair term φ(r)", "r (Å)", "φ (eV)", 0, "1:2", rlo, 1.0);
    gp_eam_panel(b, s, "(b) density of one neighbour f(r), per bulk density ρ_b", "r (Å)",
                 "f(r) / ρ_b", 0, "1:5", rlo, NAN);
    gp_eam_panel(b, s, "(c) embedding F(ρ); points: bulk fcc", "ρ / ρ_b", "F (eV)", 1, "3:2",
                 NAN, NAN);
    gp_eam_panel(b, s, "(d) effective pair φ(r) + 2F'(ρ_b)f(r)", "r (Å)", "V (eV)", 0, "1:4",
                 rlo, 0.5);
    gp_tail(b);
}

/* ---- writing and drawing ---- */

typedef struct figure {
    const char *data_name, *script_name;
    gn_writer_fn data;
    void (*script)(gn_strbuf *b, const plot_set *s);
} figure;

/* Writes NAME.tsv and NAME.gp into dir; the script's path in script. */
static int write_figure(const char *dir, const figure *f, plot_set *s, char *script, size_t cap,
                        gn_error *err)
{
    char path[4096];
    int rc = gn_path_join(path, sizeof path, dir, f->data_name, err);
    if (rc == GN_OK)
        rc = gn_file_write_atomic(path, f->data, s, err);
    if (rc == GN_OK)
        rc = gn_path_join(script, cap, dir, f->script_name, err);
    if (rc)
        return rc;
    gn_strbuf b = {0};
    f->script(&b, s);
    return gn_gp_write(&b, script, err);
}

int gn_potplot_write(const char *dir, const gn_potcurve *c, size_t n, const char *gnuplot,
                     gn_figure_status *st, gn_error *err)
{
    memset(st, 0, sizeof *st);
    if (!dir || !c || n == 0)
        return gn_error_set(err, GN_EINVAL, "gn_potplot_write: nothing to plot");
    int rc = gn_mkdir_p(dir, err);
    if (rc)
        return rc;
    plot_set s = {.c = c, .n = n};
    layout(&s);
    int any_eam = 0;
    for (size_t k = 0; k < n; k++)
        any_eam |= c[k].eam;
    static const figure figs[2] = {
        {"potential.tsv", "potential.gp", write_pair_data, compose_pair_script},
        {"eam.tsv", "eam.gp", write_eam_data, compose_eam_script}};
    char paths[2][4096], *scripts[2] = {paths[0], paths[1]};
    for (int i = 0; i < 1 + any_eam && rc == GN_OK; i++) {
        rc = write_figure(dir, &figs[i], &s, paths[i], sizeof paths[i], err);
        st->scripts += rc == GN_OK;
    }
    if (rc == GN_OK)
        gn_gnuplot_draw_all(scripts, (size_t)st->scripts, gnuplot, dir, st);
    return rc;
}
