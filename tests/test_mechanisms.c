/* Tests of the mechanisms without physics (lengths Å, energies eV):
 * - exchange endpoints measured from the atoms: counts, identities (only the displaced atom and
 *   the adatom move; the adatom ends on the displaced atom's lattice position), the displaced
 *   atom at the expected hollow (s2s, pt100: a 4-fold hollow a0 away along <100>; pt111: an hcp
 *   hollow 2 a0/sqrt6 away across the displaced atom; e2e: an atom of the edge row pushed into
 *   the (111) fcc hollow it borders, the e2e hop's final site), no two atoms closer than 0.9 NN;
 * - the terraces pt100 and pt111 from their atoms: interlayer spacings a0/2 and a0/sqrt3,
 *   coordination (8 and 9 in the outer layers, 12 inside), ABC stacking, every site's
 *   neighbours, fcc hollows straight above third-layer atoms and hcp hollows above second-layer
 *   ones, the pt111 hop fcc -> hcp;
 * - the lowest mechanism of a synthetic table (known answers by hand): which process, which
 *   rows count, the note, the TSV columns, the crossover between the routes.
 */
#define _XOPEN_SOURCE 700
#include "gn_test.h"
#include "gapneb/crossover.h"
#include "gapneb/mechanism.h"
#include "gapneb/report.h"
#include "gapneb/table_io.h"

#define A0 3.92

static gn_model_opts opts(gn_model_kind kind, double gap)
{
    gn_model_opts o;
    gn_model_opts_default(&o, kind);
    o.gap = gap;
    o.a0 = A0;
    return o;
}

static double dist_mi(const gn_cell *c, const double *a, const double *b)
{
    double d[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    gn_cell_min_image(c, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

static void lateral(const gn_cell *c, const double *a, const double *b, double d[3])
{
    for (int k = 0; k < 3; k++)
        d[k] = b[k] - a[k];
    gn_cell_min_image(c, d);
}

/* Atoms of a other than skip within 1e-6 of distance r from p. */
static int count_at(const gn_atoms *a, const double *p, double r, long skip)
{
    int n = 0;
    for (size_t i = 0; i < a->n; i++)
        n += (long)i != skip && fabs(dist_mi(&a->cell, a->pos + 3 * i, p) - r) < 1e-6;
    return n;
}

static double min_pair(const gn_atoms *a)
{
    double m = INFINITY;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = i + 1; j < a->n; j++)
            m = fmin(m, dist_mi(&a->cell, a->pos + 3 * i, a->pos + 3 * j));
    return m;
}

/* The exchange endpoints as atoms: returns the displaced atom's index after checking what every
 * exchange shares. */
static size_t check_exchange_common(const gn_model_opts *o, const gn_atoms *ini,
                                    const gn_atoms *fin)
{
    gn_error err;
    gn_atoms *base;
    gn_assert_ok(gn_model_build(o, &base, &err), &err);
    const size_t n = base->n, ad = n;
    const double nn = A0 / sqrt(2.0);
    assert_int_equal(ini->n, n + 1);
    assert_int_equal(fin->n, n + 1);
    gn_assert_ok(gn_atoms_compatible(ini, fin, &err), &err);
    /* the initial state: the bare model plus the adatom */
    for (size_t i = 0; i < 3 * n; i++)
        gn_assert_near(ini->pos[i], base->pos[i], 0);
    /* exactly one crystal atom moves */
    long moved = -1;
    for (size_t i = 0; i < n; i++)
        if (dist_mi(&ini->cell, ini->pos + 3 * i, fin->pos + 3 * i) > 1e-9) {
            assert_int_equal(moved, -1);
            moved = (long)i;
        }
    assert_true(moved >= 0);
    const size_t d = (size_t)moved;
    assert_false(ini->fixed[d]);
    assert_int_equal(ini->z[d], fin->z[d]);
    /* it was a nearest neighbour of the adatom's site, and the adatom takes its place */
    gn_assert_near(dist_mi(&ini->cell, ini->pos + 3 * d, ini->pos + 3 * ad), nn, 1e-9);
    gn_assert_near(dist_mi(&ini->cell, fin->pos + 3 * ad, ini->pos + 3 * d), 0.0, 1e-9);
    /* no overlap in either endpoint */
    assert_true(min_pair(ini) > 0.9 * nn);
    assert_true(min_pair(fin) > 0.9 * nn);
    gn_atoms_free(base);
    return d;
}

static void exchange_endpoints(const gn_model_opts *o, gn_atoms **ini, gn_atoms **fin)
{
    gn_error err;
    gn_assert_ok(gn_model_process(o, GN_PROCESS_EXCHANGE, ini, fin, &err), &err);
}

/* s2s and pt100: the displaced surface atom ends in the 4-fold hollow diagonally across, a0 from
 * the adatom's start along a <100> direction (the diagonal of the [110]/[1-10] frame). */
static void check_exchange_100(const gn_model_opts *o)
{
    gn_atoms *ini, *fin;
    exchange_endpoints(o, &ini, &fin);
    size_t d = check_exchange_common(o, ini, fin), ad = ini->n - 1;
    assert_true(fabs(ini->pos[3 * d + 2]) < 1e-9); /* from A's facing layer (z = 0) */
    double v[3];
    lateral(&ini->cell, ini->pos + 3 * ad, fin->pos + 3 * d, v);
    gn_assert_near(sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]), A0, 1e-9);
    gn_assert_near(fabs(v[0]), fabs(v[1]), 1e-9);
    gn_assert_near(v[2], 0.0, 1e-9);
    /* a hollow of A: four atoms of A at NN, counting the adatom now in the lattice */
    assert_int_equal(count_at(fin, fin->pos + 3 * d, A0 / sqrt(2.0), (long)d), 4);
    gn_site from, to;
    gn_error err;
    gn_assert_ok(gn_model_process_sites(o, GN_PROCESS_EXCHANGE, &from, &to, &err), &err);
    assert_string_equal(from.name, "A100:0");
    assert_int_equal(to.kind, GN_SITE_HOLLOW100);
    gn_assert_near(dist_mi(&ini->cell, to.pos, fin->pos + 3 * d), 0.0, 1e-9);
    print_message("%s exchange: atom %zu to %s\n", gn_model_kind_name(o->kind), d, to.name);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
}

static void test_exchange_s2s_pt100(void **state)
{
    (void)state;
    gn_model_opts o = opts(GN_MODEL_S2S, 5.8);
    check_exchange_100(&o);
    o.registry = GN_REG_BRIDGE;
    check_exchange_100(&o);
    o = opts(GN_MODEL_PT100, NAN);
    check_exchange_100(&o);
    o.n = 5;
    check_exchange_100(&o);
    /* at d = 3.85 Å the hollows have no room below B's atoms */
    o = opts(GN_MODEL_S2S, 3.85);
    gn_atoms *ini = NULL, *fin = NULL;
    gn_error err;
    assert_int_equal(gn_model_process(&o, GN_PROCESS_EXCHANGE, &ini, &fin, &err), GN_EINVAL);
    assert_non_null(strstr(err.msg, "no room"));
    assert_null(ini);
}

/* e2e: an edge atom (on the edge line y = z = 0) into the (111) fcc hollow it borders, which is
 * the e2e hop's final site A111:0, on the (111) side, no atom straight below it. */
static void test_exchange_e2e(void **state)
{
    (void)state;
    gn_model_opts o = opts(GN_MODEL_E2E, 5.8);
    for (int reg = 0; reg < 2; reg++) {
        o.registry = reg ? GN_REG_STAGGERED : GN_REG_ALIGNED;
        gn_atoms *ini, *fin;
        exchange_endpoints(&o, &ini, &fin);
        size_t d = check_exchange_common(&o, ini, fin);
        gn_assert_near(hypot(ini->pos[3 * d + 1], ini->pos[3 * d + 2]), 0.0, 1e-9);
        gn_assert_near(dist_mi(&ini->cell, ini->pos + 3 * d, fin->pos + 3 * d), A0 / sqrt(2.0),
                       1e-9);
        assert_true(fin->pos[3 * d + 1] > 0.0);
        gn_site hf, ht;
        gn_error err;
        gn_assert_ok(gn_model_process_sites(&o, GN_PROCESS_HOP, &hf, &ht, &err), &err);
        gn_assert_near(dist_mi(&ini->cell, ht.pos, fin->pos + 3 * d), 0.0, 1e-9);
        assert_string_equal(ht.name, "A111:0");
        /* fcc: no atom at the hcp depth 2 a0/sqrt3 */
        assert_int_equal(count_at(fin, fin->pos + 3 * d, 2 * A0 / sqrt(3.0), -1), 0);
        gn_atoms_free(ini);
        gn_atoms_free(fin);
    }
}

/* ---- terraces ---------------------------------------------------------------------------- */

/* Distinct z values of the atoms, descending (layers). */
static int layers_of(const gn_atoms *a, double *z, int max)
{
    int n = 0;
    for (size_t i = 0; i < a->n; i++) {
        int seen = 0;
        for (int k = 0; k < n; k++)
            seen |= fabs(z[k] - a->pos[3 * i + 2]) < 1e-6;
        if (!seen && n < max)
            z[n++] = a->pos[3 * i + 2];
    }
    for (int i = 0; i < n; i++) /* sort descending */
        for (int j = i + 1; j < n; j++)
            if (z[j] > z[i]) {
                double t = z[i];
                z[i] = z[j];
                z[j] = t;
            }
    return n;
}

static int layer_of(const double *z, int nl, double zi)
{
    for (int k = 0; k < nl; k++)
        if (fabs(z[k] - zi) < 1e-6)
            return k;
    return -1;
}

/* Minimum-image lateral distance from p to the nearest atom of layer k. */
static double lateral_to_layer(const gn_atoms *a, const double *z, int nl, int k, const double *p)
{
    double best = INFINITY;
    for (size_t i = 0; i < a->n; i++) {
        if (layer_of(z, nl, a->pos[3 * i + 2]) != k)
            continue;
        double d[3];
        lateral(&a->cell, p, a->pos + 3 * i, d);
        best = fmin(best, hypot(d[0], d[1]));
    }
    return best;
}

static void check_terrace(const gn_model_opts *o, double spacing, int outer_cn)
{
    gn_error err;
    gn_atoms *a;
    gn_assert_ok(gn_model_build(o, &a, &err), &err);
    const double nn = A0 / sqrt(2.0);
    assert_int_equal(a->n, (size_t)(o->n * o->n * o->layers));
    assert_true(a->cell.pbc[0] && a->cell.pbc[1] && !a->cell.pbc[2]);
    double z[64];
    int nl = layers_of(a, z, 64);
    assert_int_equal(nl, o->layers);
    for (int k = 0; k + 1 < nl; k++)
        gn_assert_near(z[k] - z[k + 1], spacing, 1e-9);
    gn_assert_near(z[0], 0.0, 1e-9);
    size_t nfixed = 0;
    for (size_t i = 0; i < a->n; i++) {
        int k = layer_of(z, nl, a->pos[3 * i + 2]);
        assert_int_equal(a->fixed[i], k >= nl - 2);
        nfixed += a->fixed[i];
        /* coordination at exactly NN, none closer */
        int cn = count_at(a, a->pos + 3 * i, nn, (long)i);
        assert_int_equal(cn, k == 0 || k == nl - 1 ? outer_cn : 12);
    }
    assert_int_equal(nfixed, 2 * (size_t)(o->n * o->n));
    /* stacking: layer k + period lies laterally on layer k, layer k + 1 does not */
    const int period = o->kind == GN_MODEL_PT111 ? 3 : 2;
    for (size_t i = 0; i < a->n; i++) {
        int k = layer_of(z, nl, a->pos[3 * i + 2]);
        if (k + period < nl)
            gn_assert_near(lateral_to_layer(a, z, nl, k + period, a->pos + 3 * i), 0.0, 1e-9);
        if (k + 1 < nl)
            assert_true(lateral_to_layer(a, z, nl, k + 1, a->pos + 3 * i) > 1.0);
    }
    /* sites: full neighbour count, one spacing above the surface; (111): fcc above a
     * third-layer atom, hcp above a second-layer atom */
    gn_site *v;
    size_t ns;
    gn_assert_ok(gn_model_sites(o, &v, &ns, &err), &err);
    int nkind[3] = {0, 0, 0};
    for (size_t i = 0; i < ns; i++) {
        assert_int_equal(v[i].crystal, 'A');
        nkind[v[i].kind]++;
        assert_int_equal(count_at(a, v[i].pos, nn, -1), o->kind == GN_MODEL_PT111 ? 3 : 4);
        gn_assert_near(v[i].pos[2], spacing, 1e-9);
        if (v[i].kind == GN_SITE_HOLLOW100)
            continue;
        double below1 = lateral_to_layer(a, z, nl, 1, v[i].pos);
        double below2 = lateral_to_layer(a, z, nl, 2, v[i].pos);
        if (v[i].kind == GN_SITE_HCP111) {
            gn_assert_near(below1, 0.0, 1e-9);
            assert_non_null(strstr(v[i].name, "A111h:"));
        } else {
            gn_assert_near(below2, 0.0, 1e-9);
            assert_null(strchr(v[i].name, 'h'));
        }
    }
    if (o->kind == GN_MODEL_PT111) {
        assert_int_equal(nkind[GN_SITE_FCC111], o->n * o->n);
        assert_int_equal(nkind[GN_SITE_HCP111], o->n * o->n);
    } else {
        assert_int_equal(nkind[GN_SITE_HOLLOW100], o->n * o->n);
    }
    /* an even cell has a hollow at its centre: index 0 */
    if (o->n % 2 == 0)
        gn_assert_near(v[0].dist, 0.0, 1e-9);
    free(v);
    gn_atoms_free(a);
}

static void test_terraces(void **state)
{
    (void)state;
    gn_model_opts o = opts(GN_MODEL_PT100, NAN);
    check_terrace(&o, A0 / 2, 8);
    o.layers = 5;
    check_terrace(&o, A0 / 2, 8);
    /* pt100 is the s2s crystal A */
    gn_model_opts s = opts(GN_MODEL_S2S, 6.0);
    gn_atoms *a, *b;
    gn_error err;
    o = opts(GN_MODEL_PT100, NAN);
    gn_assert_ok(gn_model_build(&o, &a, &err), &err);
    gn_assert_ok(gn_model_build(&s, &b, &err), &err);
    for (size_t i = 0; i < 3 * a->n; i++)
        gn_assert_near(a->pos[i], b->pos[i], 0);
    gn_atoms_free(a);
    gn_atoms_free(b);

    o = opts(GN_MODEL_PT111, NAN);
    check_terrace(&o, A0 / sqrt(3.0), 9);
    o.n = 3;
    o.layers = 6;
    check_terrace(&o, A0 / sqrt(3.0), 9);
    /* no transfer on a terrace; a gap is refused by the CLI, ignored by the library */
    o = opts(GN_MODEL_PT111, NAN);
    gn_atoms *ini = NULL, *fin = NULL;
    assert_int_equal(gn_model_process(&o, GN_PROCESS_TRANSFER, &ini, &fin, &err), GN_EINVAL);
    assert_false(gn_model_has_process(GN_MODEL_PT111, GN_PROCESS_TRANSFER));
    assert_true(gn_model_has_process(GN_MODEL_PT100, GN_PROCESS_EXCHANGE));
}

/* pt111: hop fcc -> the nearest hcp hollow (a0/sqrt6 laterally); exchange: a surface atom next
 * to the fcc site into the hcp hollow across it, collinear, 2 a0/sqrt6 from the start. */
static void test_pt111_processes(void **state)
{
    (void)state;
    gn_model_opts o = opts(GN_MODEL_PT111, NAN);
    gn_error err;
    gn_site from, to;
    gn_assert_ok(gn_model_process_sites(&o, GN_PROCESS_HOP, &from, &to, &err), &err);
    assert_string_equal(from.name, "A111:0");
    assert_int_equal(to.kind, GN_SITE_HCP111);
    gn_atoms *ini, *fin;
    gn_assert_ok(gn_model_process(&o, GN_PROCESS_HOP, &ini, &fin, &err), &err);
    size_t ad = ini->n - 1;
    gn_assert_near(dist_mi(&ini->cell, ini->pos + 3 * ad, fin->pos + 3 * ad), A0 / sqrt(6.0),
                   1e-9);
    gn_atoms_free(ini);
    gn_atoms_free(fin);

    exchange_endpoints(&o, &ini, &fin);
    size_t d = check_exchange_common(&o, ini, fin);
    double u[3], w[3];
    lateral(&ini->cell, ini->pos + 3 * ad, ini->pos + 3 * d, u);
    lateral(&ini->cell, ini->pos + 3 * ad, fin->pos + 3 * d, w);
    gn_assert_near(w[0], 2 * u[0], 1e-9);
    gn_assert_near(w[1], 2 * u[1], 1e-9);
    gn_assert_near(w[2], 0.0, 1e-9);
    gn_assert_near(hypot(w[0], w[1]), 2 * A0 / sqrt(6.0), 1e-9);
    /* the displaced atom is on an hcp site: one atom straight below at 2 a0/sqrt3 */
    assert_int_equal(count_at(fin, fin->pos + 3 * d, 2 * A0 / sqrt(3.0), (long)d), 1);
    gn_atoms_free(ini);
    gn_atoms_free(fin);
}

/* ---- the lowest mechanism of a synthetic table --------------------------------------------- */

static gn_table_row *add_row(gn_table *t, size_t *cap, gn_model_kind m, gn_process p, double gap,
                             double barrier)
{
    gn_error err;
    gn_assert_ok(gn_table_push(t, cap, &err), &err);
    gn_table_row *r = &t->rows[t->n - 1];
    r->model = m;
    r->process = p;
    r->gap = gap;
    strcpy(r->potential, "eam-pt");
    r->state = GN_ROW_OK;
    r->converged = 1;
    r->barrier_fwd = barrier;
    return r;
}

/* s2s at gaps 5, 6, 7: hop 0.9, exchange 0.7 (not converged at 7 Å), transfer 0.4, 0.6, 0.8:
 * within = exchange 0.7 (at 7 Å only the hop counts: 0.9, incomplete); across = transfer; the
 * barrier crossover (0.7 - 0.4 = 0.3 at 5, 0.1 at 6) is not complete at 7 Å but lies beyond 6 Å.
 * pt100 (gap inf): hop 0.93 with a second-order saddle, exchange 0.69. */
static void synthetic(gn_table *t)
{
    size_t cap = 0;
    memset(t, 0, sizeof *t);
    const double gaps[] = {5, 6, 7};
    for (int g = 0; g < 3; g++) {
        add_row(t, &cap, GN_MODEL_S2S, GN_PROCESS_HOP, gaps[g], 0.9);
        add_row(t, &cap, GN_MODEL_S2S, GN_PROCESS_TRANSFER, gaps[g], 0.4 + 0.2 * g);
        gn_table_row *x = add_row(t, &cap, GN_MODEL_S2S, GN_PROCESS_EXCHANGE, gaps[g], 0.7);
        if (g == 2) {
            x->state = GN_ROW_NOCONV;
            strcpy(x->reason, "band not converged");
        }
    }
    gn_table_row *h = add_row(t, &cap, GN_MODEL_PT100, GN_PROCESS_HOP, INFINITY, 0.93);
    h->has_modes = 1;
    h->n_negative = 2;
    add_row(t, &cap, GN_MODEL_PT100, GN_PROCESS_EXCHANGE, INFINITY, 0.69);
}

static void test_lowest(void **state)
{
    (void)state;
    gn_table t;
    synthetic(&t);
    gn_lowest l;
    gn_lowest_of(&t, &t.rows[0], GN_ROUTE_WITHIN, &l);
    assert_int_equal(l.nrows, 2);
    assert_true(gn_lowest_complete(&l));
    gn_assert_near(l.barrier, 0.7, 0);
    assert_int_equal(l.row->process, GN_PROCESS_EXCHANGE);
    gn_lowest_of(&t, &t.rows[3], GN_ROUTE_ACROSS, &l);
    gn_assert_near(l.barrier, 0.6, 1e-12);
    assert_int_equal(l.row->process, GN_PROCESS_TRANSFER);
    /* 7 Å: the exchange does not count */
    gn_lowest_of(&t, &t.rows[6], GN_ROUTE_WITHIN, &l);
    assert_false(gn_lowest_complete(&l));
    assert_int_equal(l.counted, 1);
    gn_assert_near(l.barrier, 0.9, 0);
    assert_string_equal(gn_lowest_excluded_reason(&t.rows[8]), "not_converged");
    /* pt100: the second-order hop does not count; no route across */
    gn_lowest_of(&t, &t.rows[9], GN_ROUTE_WITHIN, &l);
    assert_int_equal(l.row->process, GN_PROCESS_EXCHANGE);
    assert_false(gn_lowest_complete(&l));
    gn_lowest_of(&t, &t.rows[9], GN_ROUTE_ACROSS, &l);
    assert_int_equal(l.nrows, 0);
    assert_null(l.row);

    /* the table-wide computation agrees, with notes */
    gn_mechanisms m;
    gn_error err;
    gn_assert_ok(gn_mechanisms_compute(&t, &m, &err), &err);
    for (size_t i = 0; i < t.n; i++)
        for (int r = 0; r < GN_ROUTE_COUNT; r++) {
            gn_lowest_of(&t, &t.rows[i], (gn_route)r, &l);
            assert_int_equal(m.per_row[i][r].nrows, l.nrows);
            assert_int_equal(m.per_row[i][r].counted, l.counted);
            assert_ptr_equal(m.per_row[i][r].row, l.row);
        }
    assert_string_equal(m.note[0], "");
    assert_string_equal(m.note[6], "exchange not_converged");
    assert_string_equal(m.note[10], "hop saddle not first-order");
    assert_int_equal(m.first[0] + m.first[1] + m.first[3] + m.first[9] + m.first[10], 3);
    gn_mechanisms_clear(&m);

    /* the barrier crossover between the routes: d = within - across = 0.3, 0.1 at 5, 6 Å;
     * 7 Å is incomplete, so the crossover is the last complete gap, 6 Å, undetermined */
    gn_crossover_info ci;
    gn_crossover_compute(&t, GN_MODEL_S2S, "eam-pt", &ci);
    assert_true(ci.has_rows);
    assert_int_equal(ci.barrier_status, GN_CROSS_UNDETERMINED);
    gn_assert_near(ci.barrier_gap, 6.0, 1e-12);
    /* with the exchange converged at 7 Å: d = -0.1 there, zero at 6.5 Å, exchange vs transfer */
    t.rows[8].state = GN_ROW_OK;
    gn_crossover_compute(&t, GN_MODEL_S2S, "eam-pt", &ci);
    assert_int_equal(ci.barrier_status, GN_CROSS_FOUND);
    gn_assert_near(ci.barrier_gap, 6.5, 1e-12);
    assert_string_equal(ci.barrier_mechanism[0], "exchange");
    assert_string_equal(ci.barrier_mechanism[1], "transfer");
    /* a terrace has no route across: no crossover */
    gn_crossover_compute(&t, GN_MODEL_PT100, "eam-pt", &ci);
    assert_false(ci.has_rows);
    gn_table_clear(&t);
}

/* The TSV carries the lowest columns on every row (read independently here), reading them back
 * is harmless, and the printed table has the block with its marks. */
static void test_lowest_output(void **state)
{
    (void)state;
    gn_table t;
    synthetic(&t);
    char *dir = gn_test_tmpdir("mech"), path[256];
    gn_error err;
    snprintf(path, sizeof path, "%s/barriers.tsv", dir);
    gn_assert_ok(gn_table_write_tsv(path, &t, &err), &err);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[8192];
    assert_non_null(fgets(line, sizeof line, fp)); /* comment */
    assert_non_null(fgets(line, sizeof line, fp)); /* header */
    int col_we = -1, col_wp = -1, col_ap = -1, col_gap = -1, k = 0;
    for (char *f = strtok(line, "\t\n"); f; f = strtok(NULL, "\t\n"), k++) {
        col_we = strcmp(f, "lowest_within_eV") ? col_we : k;
        col_wp = strcmp(f, "lowest_within_process") ? col_wp : k;
        col_ap = strcmp(f, "lowest_across_process") ? col_ap : k;
        col_gap = strcmp(f, "gap_A") ? col_gap : k;
    }
    assert_true(col_we >= 0 && col_wp >= 0 && col_ap >= 0 && col_gap >= 0);
    static const char *const want_wp[] = {"exchange", "exchange", "exchange", "exchange",
                                          "exchange", "exchange", "hop",      "hop",
                                          "hop",      "exchange", "exchange"};
    for (size_t r = 0; r < t.n; r++) {
        assert_non_null(fgets(line, sizeof line, fp));
        char *f[64];
        int nf = 0;
        for (char *p = line, *tab; nf < 64; p = tab + 1) {
            f[nf++] = p;
            if (!(tab = strchr(p, '\t')))
                break;
            *tab = '\0';
        }
        assert_string_equal(f[col_wp], want_wp[r]);
        assert_string_equal(f[col_ap], r < 9 ? "transfer" : "");
        if (r >= 9)
            assert_string_equal(f[col_gap], "inf");
        if (r < 6)
            gn_assert_near(strtod(f[col_we], NULL), 0.7, 1e-12);
    }
    fclose(fp);
    gn_table back = {0};
    gn_assert_ok(gn_table_read_tsv(path, &back, &err), &err);
    assert_int_equal(back.n, t.n);
    assert_true(isinf(back.rows[10].gap));
    gn_table_clear(&back);
    snprintf(path, sizeof path, "%s/barriers.json", dir);
    gn_assert_ok(gn_table_write_json(path, &t, &err), &err);
    gn_assert_ok(gn_table_read_json(path, &back, &err), &err);
    assert_true(isinf(back.rows[10].gap)); /* "inf" survives JSON */
    gn_table_clear(&back);

    snprintf(path, sizeof path, "%s/stdout.txt", dir);
    fp = fopen(path, "w");
    gn_report_print(fp, &t);
    fclose(fp);
    char *out;
    gn_assert_ok(gn_file_read_all(path, &out, NULL, &err), &err);
    assert_non_null(strstr(out, "# s2s     7.00     0.9000  hop*"));
    assert_non_null(strstr(out, "# * s2s 7.00 Å eam-pt: not counted: exchange not_converged"));
    assert_non_null(strstr(out, "pt100    inf"));
    free(out);
    gn_table_clear(&t);
    gn_test_rm_rf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exchange_s2s_pt100), cmocka_unit_test(test_exchange_e2e),
        cmocka_unit_test(test_terraces),           cmocka_unit_test(test_pt111_processes),
        cmocka_unit_test(test_lowest),             cmocka_unit_test(test_lowest_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
