/* Tests of the report module and the table machinery that needs no physics: TSV/JSON round
 * trips, reference files and deviation arithmetic (by hand), the aligned table, the crossover
 * gap of synthetic rates with a known answer, the thread pool and --resume with a counting row
 * function, and the figures (PNG/SVG checked by their signatures when gnuplot is there). */
#define _XOPEN_SOURCE 700
#include "gn_test.h"
#include "gapneb/crossover.h"
#include "gapneb/figures.h"
#include "gapneb/reference.h"
#include "gapneb/report.h"
#include "gapneb/settings.h"
#include "gapneb/table.h"
#include "gapneb/table_io.h"

#include <pthread.h>
#include <unistd.h>


/* A synthetic table: an ok row with modes and a single-surface reference, a collapsed row with
 * a reason holding a tab, a not-converged row. */
static void synthetic(gn_table *t)
{
    memset(t, 0, sizeof *t);
    t->n = 3;
    t->rows = calloc(3, sizeof *t->rows);
    assert_non_null(t->rows);
    for (int i = 0; i < 3; i++)
        gn_table_row_clear(&t->rows[i]);
    gn_table_row *r = &t->rows[0];
    r->model = GN_MODEL_S2S;
    r->process = GN_PROCESS_HOP;
    r->gap = 5.8;
    strcpy(r->potential, "eam-pt");
    r->state = GN_ROW_OK;
    r->converged = 1;
    r->barrier_fwd = 0.4312;
    r->barrier_rev = 0.4311;
    r->reaction_energy = -0.0001;
    r->interp_max = 0.4315;
    r->e_ads_initial = -5.25;
    r->e_ads_final = -5.2501;
    r->a0 = 3.920084;
    r->iterations = 65;
    r->force_calls = 564;
    r->wall_time = 0.25;
    strcpy(r->key, "0123456789abcdef");
    strcpy(r->rundir, "runs/s2s-hop-5.8");
    r->has_ref = 1;
    r->ref_barrier = 0.40;
    r->ref_gap = INFINITY;
    strcpy(r->ref_source, "A. Author, Journal 1, 2 (2000)");
    r->has_modes = 1;
    r->saddle_verified = 1;
    r->n_negative = 1;
    r->imag_freq_thz = 1.141;
    r->prefactor_thz = 52.1;
    r->rate = 1.19e9;
    r->temperature = 300;
    /* two elementary steps through a minimum 0.2 eV up; the second's order not checked */
    r->nsteps = 2;
    r->rate_step = 1;
    r->saddle_order = 1;
    r->ea_eff = 0.4312;
    r->gap_relaxed = 6.0123;
    r->rate_rev = 1.18e9;
    const gn_row_step st[2] = {{0.0, 0.2, 0.4312, 0.4312, 0.2312, 1, 1, 1.141, 52.1, 2.4e9, 3e12},
                               {0.2, -0.0001, 0.4310, 0.2310, 0.4311, -1, 1, NAN, NAN, NAN, NAN}};
    memcpy(r->steps, st, sizeof st);

    r = &t->rows[1];
    r->model = GN_MODEL_E2E;
    r->process = GN_PROCESS_TRANSFER;
    r->gap = 3.5;
    strcpy(r->potential, "/some/where/Pt u3.eam");
    r->state = GN_ROW_COLLAPSED;
    r->collapsed = 1;
    strcpy(r->reason, "endpoints\tcollapsed");
    r->force_calls = 168;

    r = &t->rows[2];
    r->model = GN_MODEL_E2E;
    r->process = GN_PROCESS_HOP;
    r->gap = 8;
    strcpy(r->potential, "eam-pt");
    r->state = GN_ROW_NOCONV;
    r->barrier_fwd = 1.5;
    r->iterations = 1000;
    strcpy(r->reason, "band not converged");
}

/* steps: compare the steps' energies and rates too (JSON holds the list, TSV only counts and
 * saddle orders) */
static void check_same(const gn_table *a, const gn_table *b, double tol, int steps)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const gn_table_row *x = &a->rows[i], *y = &b->rows[i];
        assert_int_equal(x->model, y->model);
        assert_int_equal(x->process, y->process);
        assert_string_equal(x->potential, y->potential);
        assert_string_equal(x->key, y->key);
        assert_string_equal(x->rundir, y->rundir);
        assert_int_equal(x->state, y->state);
        assert_int_equal(x->converged, y->converged);
        assert_int_equal(x->collapsed, y->collapsed);
        assert_int_equal(x->iterations, y->iterations);
        assert_int_equal(x->force_calls, y->force_calls);
        assert_int_equal(x->has_ref, y->has_ref);
        assert_int_equal(x->has_modes, y->has_modes);
        const double xs[] = {x->gap, x->barrier_fwd, x->barrier_rev, x->reaction_energy,
                             x->interp_max, x->e_ads_initial, x->e_ads_final, x->ref_barrier,
                             x->prefactor_thz, x->imag_freq_thz};
        const double ys[] = {y->gap, y->barrier_fwd, y->barrier_rev, y->reaction_energy,
                             y->interp_max, y->e_ads_initial, y->e_ads_final, y->ref_barrier,
                             y->prefactor_thz, y->imag_freq_thz};
        for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
            if (isnan(xs[k]) || isnan(ys[k])) {
                if (!(isnan(xs[k]) && isnan(ys[k])))
                    fail_msg("row %zu value %zu: %g vs %g", i, k, xs[k], ys[k]);
                continue;
            }
            gn_assert_near(xs[k], ys[k], tol * fmax(1.0, fabs(xs[k])));
        }
        if (x->has_ref)
            assert_true(isinf(y->ref_gap) == isinf(x->ref_gap));
        if (!isnan(x->rate) || !isnan(y->rate))
            gn_assert_near(x->rate, y->rate, 1e-5 * fabs(x->rate));
        /* the elementary steps: counts and saddle orders in both formats, the list in JSON */
        assert_int_equal(x->nsteps, y->nsteps);
        assert_int_equal(x->rate_step, y->rate_step);
        assert_int_equal(x->saddle_order, y->saddle_order);
        const double xe[] = {x->ea_eff, x->gap_relaxed}, ye[] = {y->ea_eff, y->gap_relaxed};
        for (int k = 0; k < 2; k++)
            if (!(isnan(xe[k]) && isnan(ye[k])))
                gn_assert_near(xe[k], ye[k], tol * fmax(1.0, fabs(xe[k])));
        for (int k = 0; k < x->nsteps; k++) {
            const gn_row_step *p = &x->steps[k], *q = &y->steps[k];
            assert_int_equal(p->saddle_order, q->saddle_order);
            if (!steps)
                continue;
            assert_int_equal(p->converged, q->converged);
            const double pv[] = {p->e_from, p->e_to, p->e_saddle, p->barrier_fwd, p->barrier_rev,
                                 p->imag_freq_thz, p->prefactor_thz, p->rate_fwd, p->rate_rev};
            const double qv[] = {q->e_from, q->e_to, q->e_saddle, q->barrier_fwd, q->barrier_rev,
                                 q->imag_freq_thz, q->prefactor_thz, q->rate_fwd, q->rate_rev};
            for (size_t j = 0; j < sizeof pv / sizeof pv[0]; j++)
                if (!(isnan(pv[j]) && isnan(qv[j])))
                    gn_assert_near(pv[j], qv[j], 1e-15 * fmax(1.0, fabs(pv[j])));
        }
    }
}

static void test_roundtrip(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("report");
    gn_table t, back = {0};
    gn_error err;
    synthetic(&t);
    gn_assert_ok(gn_table_write(dir, &t, &err), &err);
    char path[512];
    snprintf(path, sizeof path, "%s/barriers.json", dir);
    gn_assert_ok(gn_table_read_json(path, &back, &err), &err);
    check_same(&t, &back, 1e-15, 1); /* JSON keeps every digit */
    snprintf(path, sizeof path, "%s/barriers.tsv", dir);
    gn_assert_ok(gn_table_read_tsv(path, &back, &err), &err);
    check_same(&t, &back, 1e-6, 0); /* TSV prints energies to 1e-6 eV */
    /* the tab inside the reason became a space instead of breaking the row */
    assert_string_equal(back.rows[1].reason, "endpoints collapsed");
    gn_table_clear(&back);
    /* a damaged file is a parse error that names the file and line */
    FILE *fp = fopen(path, "a");
    fputs("s2s\thop\n", fp);
    fclose(fp);
    assert_int_equal(gn_table_read_tsv(path, &back, &err), GN_EPARSE);
    char where[600];
    snprintf(where, sizeof where, "%s:6:", path);
    assert_non_null(strstr(err.msg, where));
    gn_table_clear(&t);
    gn_test_rm_rf(dir);
    free(dir);
}

/* The saddle-orders text: "1,-,2" is three steps (the middle one not checked); anything else is
 * a parse error quoting the text, also when it comes from a row file. */
static void test_orders_parse(void **state)
{
    (void)state;
    gn_table_row r;
    gn_error err;
    gn_table_row_clear(&r);
    gn_assert_ok(gn_row_orders_parse(&r, "1,-,2", &err), &err);
    assert_int_equal(r.nsteps, 3);
    assert_int_equal(r.steps[0].saddle_order, 1);
    assert_int_equal(r.steps[1].saddle_order, -1);
    assert_int_equal(r.steps[2].saddle_order, 2);
    const char *bad[] = {"1,x", "1;2", "-3", "1,,2", "99999999999",
                         "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"}; /* 17 > GN_ROW_MAX_STEPS */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gn_table_row_clear(&r);
        err.msg[0] = '\0';
        assert_int_equal(gn_row_orders_parse(&r, bad[i], &err), GN_EPARSE);
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
        if (!strstr(err.msg, quoted))
            fail_msg("'%s': message '%s' does not quote it", bad[i], err.msg);
    }
    char *dir = gn_test_tmpdir("orders");
    char path[512];
    snprintf(path, sizeof path, "%s/row.json", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("{\"saddle_orders\": \"1,x\"}\n", fp);
    fclose(fp);
    assert_int_equal(gn_table_row_read_json(path, &r, &err), GN_EPARSE);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "saddle_orders"));
    assert_non_null(strstr(err.msg, "'1,x'"));
    gn_test_rm_rf(dir);
    free(dir);
}

static void test_reference(void **state)
{
    (void)state;
    gn_reference ref;
    gn_error err;
    const char *csv = "# published barriers\n"
                      "model,process,gap_A,barrier_eV,source\n"
                      "s2s,hop,inf,0.50,\"Someone, Another (2000)\"\n"
                      "s2s, hop, 5.8, 0.45, Exact gap\n"
                      "\n"
                      "pt111,hop,inf,0.26,\"He said \"\"hi\"\"\"\n";
    gn_assert_ok(gn_reference_parse(csv, "ref.csv", &ref, &err), &err);
    assert_int_equal(ref.n, 3);
    assert_true(isinf(ref.rows[0].gap));
    assert_string_equal(ref.rows[0].source, "Someone, Another (2000)");
    assert_string_equal(ref.rows[2].source, "He said \"hi\"");
    gn_table t;
    synthetic(&t);
    t.rows[0].has_ref = 0;
    /* row 0 (s2s hop 5.8) gets the exact-gap row over the wide-gap limit; e2e rows nothing */
    assert_int_equal(gn_reference_apply(&ref, &t), 1);
    assert_true(t.rows[0].has_ref);
    gn_assert_near(t.rows[0].ref_barrier, 0.45, 0);
    /* 0.4312 - 0.45 = -0.0188 */
    gn_assert_near(gn_row_deviation(&t.rows[0]), -0.0188, 1e-12);
    assert_false(t.rows[1].has_ref);
    assert_true(isnan(gn_row_deviation(&t.rows[1])));
    /* at another gap only the single-surface value applies: 0.4312 - 0.50 = -0.0688 */
    t.rows[0].gap = 8.0;
    gn_reference_apply(&ref, &t);
    gn_assert_near(t.rows[0].ref_barrier, 0.50, 0);
    gn_assert_near(gn_row_deviation(&t.rows[0]), -0.0688, 1e-12);
    /* the effective barrier counts for a row of elementary steps */
    t.rows[0].ea_eff = 0.52;
    gn_assert_near(gn_row_deviation(&t.rows[0]), 0.02, 1e-12);
    /* a row without a barrier has no deviation (a climbing image in a minimum: NaN) */
    t.rows[0].ea_eff = NAN;
    assert_true(isnan(gn_row_deviation(&t.rows[0])));
    t.rows[0].nsteps = 0; /* an older table: barrier_fwd */
    gn_assert_near(gn_row_deviation(&t.rows[0]), -0.0688, 1e-12);
    t.rows[0].barrier_fwd = NAN;
    assert_true(isnan(gn_row_deviation(&t.rows[0])));
    gn_table_clear(&t);
    gn_reference_clear(&ref);

    struct {
        const char *text;
        const char *needle;
    } bad[] = {
        {"model,process,gap,barrier_eV,source\n", "ref.csv:1:"},
        {"model,process,gap_A,barrier_eV,source\ns2s,hop,5,abc,x\n", "ref.csv:2:"},
        {"model,process,gap_A,barrier_eV,source\n#\ns2s,hop,-5,0.3,x\n", "ref.csv:3:"},
        {"model,process,gap_A,barrier_eV,source\ns2s,hop,5,0.3\n", "ref.csv:2:"},
        {"model,process,gap_A,barrier_eV,source\ns2s,hop,5,0.3,\"open\n", "ref.csv:2:"},
        {"# only a comment\n", "no header"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(gn_reference_parse(bad[i].text, "ref.csv", &ref, &err), GN_EPARSE);
        if (!strstr(err.msg, bad[i].needle))
            fail_msg("'%s' lacks '%s'", err.msg, bad[i].needle);
    }
    /* the shipped reference file parses */
    char path[2048];
    snprintf(path, sizeof path, "%s/data/reference/pt-adatom-barriers.csv", gn_test_srcdir());
    gn_assert_ok(gn_reference_load(path, &ref, &err), &err);
    assert_true(ref.n >= 1);
    for (size_t i = 0; i < ref.n; i++) {
        assert_true(ref.rows[i].barrier > 0 && ref.rows[i].barrier < 2);
        assert_true(strlen(ref.rows[i].source) > 10);
    }
    gn_reference_clear(&ref);
}

static void test_print(void **state)
{
    (void)state;
    gn_table t;
    synthetic(&t);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    gn_report_print(fp, &t);
    fclose(fp);
    /* header, 3 rows, the steps of the first (a heading and one line each), 2 notes for the
     * rows that are not ok */
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    assert_int_equal(lines, 9);
    assert_non_null(strstr(buf, "2 elementary steps"));
    assert_non_null(strstr(buf, "1 IS -> M1"));
    assert_non_null(strstr(buf, "(order not checked)"));
    assert_non_null(strstr(buf, "1,-")); /* the orders column */
    assert_non_null(strstr(buf, "Ea_fwd/eV"));
    assert_non_null(strstr(buf, "dev/eV"));
    assert_non_null(strstr(buf, "+0.031")); /* 0.4312 - 0.40 */
    assert_non_null(strstr(buf, "potential")); /* the rows use two potentials */
    assert_non_null(strstr(buf, "collapsed: endpoints"));
    /* columns are aligned: every table line has the same width in characters */
    size_t w0 = 0;
    char *line = buf;
    for (int l = 0; l < 4; l++) {
        char *nl = strchr(line, '\n');
        size_t w = 0;
        for (char *p = line; p < nl; p++)
            w += ((unsigned char)*p & 0xC0) != 0x80;
        if (l == 0)
            w0 = w;
        assert_int_equal(w, w0);
        line = nl + 1;
    }
    free(buf);
    gn_table_clear(&t);
}

/* The rate crossover gap of (model, eam-pt), found over every gap or over those with rates. */
static int rate_crossover(const gn_table *t, gn_model_kind model, double *g)
{
    gn_crossover_info ci;
    gn_crossover_compute(t, model, "eam-pt", &ci);
    *g = ci.gap;
    return isfinite(ci.gap);
}

/* Hop rate 1e6 /s at every gap; transfer rate 1e9 exp(-(g - 4) ln(1e3) / 2): the log ratio is
 * ln(1e3) (1 - (g - 4) / 2), zero at g = 6 exactly, and linear in g, so interpolation between
 * gaps 5 and 7 must give 6. */
static void test_crossover(void **state)
{
    (void)state;
    const double gaps[] = {4, 5, 7, 8};
    gn_table t = {0};
    t.n = 8;
    t.rows = calloc(8, sizeof *t.rows);
    for (int i = 0; i < 8; i++) {
        gn_table_row *r = &t.rows[i];
        gn_table_row_clear(r);
        r->model = GN_MODEL_S2S;
        strcpy(r->potential, "eam-pt");
        r->process = i < 4 ? GN_PROCESS_HOP : GN_PROCESS_TRANSFER;
        r->gap = gaps[i % 4];
        r->state = GN_ROW_OK;
        r->has_modes = 1;
        r->rate = i < 4 ? 1e6 : 1e9 * exp(-(r->gap - 4) * log(1e3) / 2);
    }
    double g = 0;
    assert_true(rate_crossover(&t, GN_MODEL_S2S, &g));
    gn_assert_near(g, 6.0, 1e-9);
    /* a row whose saddle is not first-order is left out, whatever rate it carries: the
     * crossover is then not determined, and the reason names the state */
    t.rows[6].state = GN_ROW_NOT_FIRST_ORDER;
    gn_crossover_info ci;
    gn_crossover_compute(&t, GN_MODEL_S2S, "eam-pt", &ci);
    assert_int_equal(ci.status, GN_CROSS_UNDETERMINED);
    if (!strstr(ci.missing, "transfer not-first-order at 7 Å"))
        fail_msg("missing: '%s'", ci.missing);
    t.rows[6].state = GN_ROW_OK;
    assert_false(rate_crossover(&t, GN_MODEL_E2E, &g));
    /* the transfer never faster: no crossover */
    for (int i = 4; i < 8; i++)
        t.rows[i].rate = 1.0;
    assert_false(rate_crossover(&t, GN_MODEL_S2S, &g));
    /* faster at every gap: the largest gap computed */
    for (int i = 4; i < 8; i++)
        t.rows[i].rate = 1e7;
    assert_true(rate_crossover(&t, GN_MODEL_S2S, &g));
    gn_assert_near(g, 8.0, 0);
    /* at 300 K rates within exp(1 meV / kB T) = 1.039 of each other are a tie: 1 % faster is
     * no crossover, 10 % is */
    for (int i = 0; i < 8; i++) {
        t.rows[i].temperature = 300;
        t.rows[i].rate = i < 4 ? 1e6 : 1.01e6;
    }
    assert_false(rate_crossover(&t, GN_MODEL_S2S, &g));
    for (int i = 4; i < 8; i++)
        t.rows[i].rate = 1.1e6;
    assert_true(rate_crossover(&t, GN_MODEL_S2S, &g));
    gn_assert_near(g, 8.0, 0);
    gn_table_clear(&t);
}

/* The barrier crossover status after giving the transfer rows at 5 and 6 Å (rows 3, 4) these
 * barriers. */
static int barrier_status_with(gn_table *t, double fwd, int nsteps, double ea_eff)
{
    for (int i = 3; i < 5; i++) {
        t->rows[i].barrier_fwd = fwd;
        t->rows[i].nsteps = nsteps;
        t->rows[i].ea_eff = ea_eff;
        t->rows[i].n_negative = 1; /* first-order: the barrier counts */
    }
    gn_crossover_info ci;
    gn_crossover_compute(t, GN_MODEL_S2S, "eam-pt", &ci);
    return ci.barrier_status;
}

/* Crossover with rates missing: the rate crossover is "not determined" and says which rows lack
 * a rate and why; so is the barrier crossover, since only first-order saddles count
 * (mechanism.h); once every saddle is first-order the barrier crossover (hop barrier minus
 * transfer barrier: 0.1, 0.1, -0.1 eV at 5, 6, 7 Å, so zero at 6.5 Å by linear interpolation)
 * is found. */
static void test_crossover_info(void **state)
{
    (void)state;
    const double gaps[] = {5, 6, 7};
    gn_table t = {0};
    t.n = 6;
    t.rows = calloc(6, sizeof *t.rows);
    for (int i = 0; i < 6; i++) {
        gn_table_row *r = &t.rows[i];
        gn_table_row_clear(r);
        r->model = GN_MODEL_S2S;
        strcpy(r->potential, "eam-pt");
        r->process = i < 3 ? GN_PROCESS_HOP : GN_PROCESS_TRANSFER;
        r->gap = gaps[i % 3];
        r->state = GN_ROW_OK;
        r->has_modes = 1;
        r->temperature = 300;
        r->n_negative = 1;
        r->saddle_verified = 1;
        r->rate = i < 3 ? 1e6 : 1e9;
        r->barrier_fwd = i < 3 ? 0.5 : (r->gap < 6.5 ? 0.4 : 0.6);
    }
    /* the transfer saddle at 5 and 6 Å is second order: no rate there */
    for (int i = 3; i < 5; i++) {
        t.rows[i].rate = NAN;
        t.rows[i].saddle_verified = 0;
        t.rows[i].n_negative = 2;
    }
    gn_crossover_info ci;
    gn_crossover_compute(&t, GN_MODEL_S2S, "eam-pt", &ci);
    assert_true(ci.has_rows && ci.has_modes);
    assert_int_equal(ci.status, GN_CROSS_UNDETERMINED);
    assert_string_equal(ci.missing, "transfer saddle not first-order at 5, 6 Å");
    assert_true(ci.partial_found); /* at 7 Å the transfer's rate is the larger */
    gn_assert_near(ci.gap, 7.0, 0);
    char line[2600];
    gn_crossover_rate_text(&ci, line, sizeof line);
    assert_non_null(strstr(line, "not determined (transfer saddle not first-order at 5, 6 Å)"));
    assert_non_null(strstr(line, "across the gap (transfer) is faster up to 7.000 Å"));
    /* only at 7 Å do both barriers count, and there the hop's is the lower */
    assert_int_equal(ci.barrier_status, GN_CROSS_UNDETERMINED);
    assert_true(isnan(ci.barrier_gap));
    gn_crossover_barrier_text(&ci, line, sizeof line);
    assert_non_null(strstr(line, "by barriers"));
    assert_non_null(strstr(line, "not first-order"));
    /* first-order transfer saddles only 0.5 meV below the hop's at 5 and 6 Å (one shared
     * saddle, say): a tie, not a crossover; 2 meV below is one */
    assert_int_equal(barrier_status_with(&t, 0.4995, 0, NAN), GN_CROSS_NONE);
    assert_int_equal(barrier_status_with(&t, 0.498, 0, NAN), GN_CROSS_FOUND);
    /* the effective barrier of a row of elementary steps is what counts */
    assert_int_equal(barrier_status_with(&t, 0.4, 2, 0.7), GN_CROSS_NONE);
    barrier_status_with(&t, 0.4, 0, NAN);
    /* all rates known and the hop always faster: "none", not "not determined" */
    for (int i = 3; i < 6; i++) {
        t.rows[i].rate = 1.0;
        t.rows[i].n_negative = 1;
    }
    gn_crossover_compute(&t, GN_MODEL_S2S, "eam-pt", &ci);
    assert_int_equal(ci.status, GN_CROSS_NONE);
    assert_string_equal(ci.missing, "");
    assert_int_equal(ci.barrier_status, GN_CROSS_FOUND);
    gn_assert_near(ci.barrier_gap, 6.5, 1e-12);
    gn_crossover_barrier_text(&ci, line, sizeof line);
    assert_non_null(strstr(line, "6.500 Å"));
    assert_non_null(strstr(line, "across the gap (transfer) is below the lowest within the crystal "
                                 "(hop)"));
    /* a failed hop row at 7 Å is named with its state */
    t.rows[2].state = GN_ROW_NOCONV;
    gn_crossover_compute(&t, GN_MODEL_S2S, "eam-pt", &ci);
    assert_int_equal(ci.status, GN_CROSS_UNDETERMINED);
    assert_string_equal(ci.missing, "hop not_converged at 7 Å");
    assert_int_equal(ci.barrier_status, GN_CROSS_UNDETERMINED);
    /* a model without transfer rows has no crossover at all */
    gn_crossover_compute(&t, GN_MODEL_E2E, "eam-pt", &ci);
    assert_false(ci.has_rows);
    gn_table_clear(&t);
}

/* ---- the pool and --resume with a synthetic row function ---- */

typedef struct counter {
    pthread_mutex_t mu;
    int calls;
    int per_row[64];
} counter;

/* barrier = gap / 10 + (transfer ? 1 : 0); rows at gap 6 fail; every call costs 100 "force
 * calls" */
static int fake_row(void *ctx, const gn_job *job, gn_table_row *r, unsigned long *calls,
                    gn_error *err)
{
    (void)job;
    (void)err;
    counter *c = ctx;
    pthread_mutex_lock(&c->mu);
    c->calls++;
    pthread_mutex_unlock(&c->mu);
    *calls += 100;
    r->force_calls = 100;
    if (fabs(r->gap - 6) < 1e-9) {
        r->state = GN_ROW_FAILED;
        strcpy(r->reason, "synthetic failure");
        return GN_OK;
    }
    r->state = GN_ROW_OK;
    r->converged = 1;
    r->barrier_fwd = r->gap / 10 + (r->process == GN_PROCESS_TRANSFER);
    return GN_OK;
}

/* As the command line does: every finished row saved at once (row.json, barriers.*). */
static int save_row(void *ctx, const gn_table *t, size_t row, gn_error *err)
{
    return gn_table_save_row(ctx, t, row, err);
}

static void test_pool_and_resume(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("report");
    gn_job job;
    gn_error err;
    gn_assert_ok(gn_job_init(&job, &err), &err);
    gn_assert_ok(gn_job_set_gaps(&job, "4,5,6,7,8", "t", &err), &err);
    gn_assert_ok(gn_job_set_processes(&job, "hop,transfer", "t", &err), &err);
    snprintf(job.out, sizeof job.out, "%s", dir);
    job.jobs = 3;
    counter c = {.calls = 0};
    pthread_mutex_init(&c.mu, NULL);
    gn_table_hooks hooks = {.compute = fake_row, .compute_ctx = &c, .row_done = save_row,
                            .row_done_ctx = dir};
    gn_table t;
    gn_assert_ok(gn_table_init(&job, &t, &err), &err);
    assert_int_equal(t.n, 20);
    gn_assert_ok(gn_table_run(&job, &t, &hooks, &err), &err);
    assert_int_equal(c.calls, 20); /* each row once */
    assert_int_equal(t.new_force_calls, 2000);
    for (size_t i = 0; i < t.n; i++) {
        const gn_table_row *r = &t.rows[i];
        /* order: models, processes, gaps; each row holds its own result */
        assert_int_equal(r->model, i < 10 ? GN_MODEL_S2S : GN_MODEL_E2E);
        if (fabs(r->gap - 6) < 1e-9) {
            assert_int_equal(r->state, GN_ROW_FAILED);
        } else {
            assert_int_equal(r->state, GN_ROW_OK);
            gn_assert_near(r->barrier_fwd,
                           r->gap / 10 + (r->process == GN_PROCESS_TRANSFER), 1e-15);
        }
    }
    assert_false(gn_table_all_ok(&t));
    gn_assert_ok(gn_table_write(dir, &t, &err), &err);
    gn_table_clear(&t);

    /* resume: only the 4 failed rows are computed again */
    job.resume = 1;
    c.calls = 0;
    gn_assert_ok(gn_table_init(&job, &t, &err), &err);
    assert_int_equal(gn_table_resume(&job, &t), 16);
    gn_assert_ok(gn_table_run(&job, &t, &hooks, &err), &err);
    assert_int_equal(c.calls, 4);
    assert_int_equal(t.nreused, 16);
    assert_int_equal(t.new_force_calls, 400);
    gn_table_clear(&t);

    /* a changed setting changes every key: everything is computed */
    job.fmax = 0.02;
    c.calls = 0;
    gn_assert_ok(gn_table_init(&job, &t, &err), &err);
    assert_int_equal(gn_table_resume(&job, &t), 0);
    gn_assert_ok(gn_table_run(&job, &t, &hooks, &err), &err);
    assert_int_equal(c.calls, 20);
    assert_int_equal(t.nreused, 0);
    gn_table_clear(&t);

    /* one thread gives the same rows */
    job.jobs = 1;
    job.resume = 0;
    c.calls = 0;
    gn_assert_ok(gn_table_init(&job, &t, &err), &err);
    gn_assert_ok(gn_table_run(&job, &t, &hooks, &err), &err);
    assert_int_equal(c.calls, 20);
    gn_table_clear(&t);

    assert_int_equal(gn_table_threads(0, 100) >= 1, 1);
    assert_int_equal(gn_table_threads(8, 3), 3);
    pthread_mutex_destroy(&c.mu);
    gn_job_clear(&job);
    gn_test_rm_rf(dir);
    free(dir);
}

/* ---- figures ---- */

static int file_starts_with(const char *path, const char *magic, size_t n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    char buf[64] = {0};
    size_t got = fread(buf, 1, n, fp);
    fclose(fp);
    return got == n && memcmp(buf, magic, n) == 0;
}

static int file_contains(const char *path, const char *needle)
{
    char *text;
    gn_error err;
    if (gn_file_read_all(path, &text, NULL, &err) != GN_OK)
        return 0;
    int found = strstr(text, needle) != NULL;
    free(text);
    return found;
}

static void write_run(const char *dir, const char *rundir, double scale)
{
    char path[1024];
    gn_error err;
    snprintf(path, sizeof path, "%s/%s", dir, rundir);
    gn_assert_ok(gn_mkdir_p(path, &err), &err);
    char text[1024];
    snprintf(text, sizeof text,
             "# image\ts_A\tenergy_eV\tf_tangent_eV_per_A\n0\t0\t0\t0\n1\t0.5\t%g\t-0.5\n"
             "2\t1.0\t%g\t0\n3\t1.5\t%g\t0.5\n4\t2.0\t0\t0\n",
             0.2 * scale, 0.3 * scale, 0.2 * scale);
    strcat(path, "/profile.tsv");
    gn_assert_ok(gn_file_write_string(path, text, &err), &err);
}

static void test_figures(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("report");
    gn_table t;
    synthetic(&t);
    /* two gaps for s2s hop, so that the barrier figure has a curve */
    t.rows[1] = t.rows[0];
    t.rows[1].gap = 8.0;
    t.rows[1].gap_relaxed = 8.26;
    t.rows[1].barrier_fwd = t.rows[1].ea_eff = 0.6;
    strcpy(t.rows[1].rundir, "runs/s2s-hop-8");
    /* a third gap whose saddle is not first-order: an open marker, not a point of the line */
    t.rows[2] = t.rows[0];
    t.rows[2].gap = 9.0;
    t.rows[2].gap_relaxed = 9.25;
    t.rows[2].state = GN_ROW_NOT_FIRST_ORDER;
    t.rows[2].ea_eff = 0.77;
    t.rows[2].rundir[0] = '\0';
    write_run(dir, t.rows[0].rundir, 1.0);
    write_run(dir, t.rows[1].rundir, 2.0);
    gn_reference ref;
    gn_error err;
    gn_assert_ok(gn_reference_parse("model,process,gap_A,barrier_eV,source\n"
                                    "s2s,hop,inf,0.5,Single surface 'quoted'\n"
                                    "s2s,hop,6,0.45,Finite gap\n",
                                    "ref.csv", &ref, &err),
                 &err);
    gn_figure_status st;
    /* without gnuplot: data and scripts, and a note */
    gn_assert_ok(gn_figures_write(dir, &t, &ref, "/nonexistent/gnuplot", &st, &err), &err);
    assert_int_equal(st.gnuplot, 0);
    assert_int_equal(st.drawn, 0);
    assert_true(st.scripts >= 2);
    assert_non_null(strstr(st.note, "gnuplot"));
    char path[1024];
    snprintf(path, sizeof path, "%s/figures/barrier-s2s.tsv", dir);
    assert_true(file_contains(path, "8.000000\t0.6"));
    assert_true(file_contains(path, "saddle not first-order\n# gap_A\tbarrier_eV\n9.000000\t0.77"));
    char gp[1024];
    snprintf(gp, sizeof gp, "%s/figures/barrier-s2s.gp", dir);
    assert_true(file_contains(gp, "pt 6"));
    assert_true(file_contains(gp, "open: saddle not first-order"));
    /* the relaxed gap on the x axis */
    gn_figures_opts fo;
    gn_figures_opts_default(&fo);
    gn_assert_ok(gn_gap_axis_parse("relaxed", &fo.gap_axis, &err), &err);
    assert_int_equal(gn_gap_axis_parse("measured", &fo.gap_axis, &err), GN_EINVAL);
    gn_assert_ok(gn_figures_write_opts(dir, &t, &ref, "/nonexistent/gnuplot", &fo, &st, &err),
                 &err);
    assert_true(file_contains(path, "8.260000\t0.6"));
    assert_true(file_contains(path, "6.012300\t0.4312"));
    assert_true(file_contains(gp, "relaxed gap"));
    fo.gap_axis = GN_GAP_AXIS_NOMINAL;
    gn_assert_ok(gn_figures_write_opts(dir, &t, &ref, "/nonexistent/gnuplot", &fo, &st, &err),
                 &err);
    snprintf(path, sizeof path, "%s/figures/barrier-s2s-ref.tsv", dir);
    assert_true(file_contains(path, "6.000000\t0.45"));
    snprintf(path, sizeof path, "%s/figures/barrier-s2s.gp", dir);
    assert_true(file_contains(path, "Single surface ''quoted''")); /* gnuplot quoting */
    snprintf(path, sizeof path, "%s/figures/profile-s2s-hop.tsv", dir);
    assert_true(file_contains(path, "1.00000000\t0.6")); /* the second run's peak, 2 x 0.3 */
    /* a joined profile of two steps: its intermediate minimum marked */
    snprintf(path, sizeof path, "%s/%s/profile.tsv", dir, t.rows[0].rundir);
    gn_assert_ok(gn_file_write_string(path,
                                      "# image\ts_A\tenergy_eV\tf_tangent_eV_per_A\tstep\tminimum\n"
                                      "0\t0\t0\t0\t1\t0\n1\t0.5\t0.4\t0\t1\t0\n"
                                      "2\t1.0\t0.2\t0\t1\t1\n3\t1.5\t0.4\t0\t2\t0\n"
                                      "4\t2.0\t0\t0\t2\t0\n",
                                      &err),
                 &err);
    gn_assert_ok(gn_figures_write(dir, &t, &ref, "/nonexistent/gnuplot", &st, &err), &err);
    snprintf(path, sizeof path, "%s/figures/profile-s2s-hop.tsv", dir);
    assert_true(file_contains(path, "intermediate minima (s_A, energy_eV)\n1.00000000\t0.2\n"));
    snprintf(path, sizeof path, "%s/figures/profile-s2s-hop.gp", dir);
    assert_true(file_contains(path, "title 'intermediate minima'"));

    /* with gnuplot, when installed */
    if (access("/usr/bin/gnuplot", X_OK) == 0) {
        gn_assert_ok(gn_figures_write(dir, &t, &ref, "/usr/bin/gnuplot", &st, &err), &err);
        if (st.drawn != st.scripts)
            fail_msg("%d of %d drawn: %s", st.drawn, st.scripts, st.note);
        snprintf(path, sizeof path, "%s/figures/barrier-s2s.png", dir);
        assert_true(file_starts_with(path, "\x89PNG", 4));
        snprintf(path, sizeof path, "%s/figures/profile-s2s-hop.svg", dir);
        assert_true(file_contains(path, "<svg"));
        snprintf(path, sizeof path, "%s/figures/rate-s2s.png", dir);
        assert_true(file_starts_with(path, "\x89PNG", 4));
        /* no temporary files left behind */
        snprintf(path, sizeof path, "%s/figures/barrier-s2s.png.tmp%ld", dir, (long)getpid());
        assert_int_equal(access(path, F_OK), -1);
        /* a single run folder */
        snprintf(path, sizeof path, "%s/runs/s2s-hop-8", dir);
        gn_assert_ok(gn_figures_run(path, "/usr/bin/gnuplot", &st, &err), &err);
        assert_int_equal(st.drawn, 1);
        strcat(path, "/profile.png");
        assert_true(file_starts_with(path, "\x89PNG", 4));
    }
    gn_reference_clear(&ref);
    gn_table_clear(&t);
    gn_test_rm_rf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip), cmocka_unit_test(test_orders_parse),
        cmocka_unit_test(test_reference),
        cmocka_unit_test(test_print),     cmocka_unit_test(test_crossover),
        cmocka_unit_test(test_crossover_info),
        cmocka_unit_test(test_pool_and_resume), cmocka_unit_test(test_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
