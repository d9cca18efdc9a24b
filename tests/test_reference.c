/* gapneb tests: published values matched by model, process and mechanism (reference.h) on a
 * crafted CSV and a synthetic table, with the deviations worked out by hand and the reason for
 * every value not compared; the old five-column format; the shipped reference file (every row
 * with a source, a mechanism and a method); reference.tsv, barriers.json's "reference" list read
 * back, the printed comparison and the comparison figure. */
#include "gn_test.h"

#include <unistd.h>

#include "gapneb/figures.h"
#include "gapneb/reference.h"
#include "gapneb/reference_io.h"
#include "gapneb/report.h"
#include "gapneb/table_io.h"

static gn_table_row *add_row(gn_table *t, gn_model_kind m, gn_process p, double gap,
                             const char *pot, double fwd, double rev)
{
    t->rows = realloc(t->rows, (t->n + 1) * sizeof *t->rows);
    assert_non_null(t->rows);
    gn_table_row *r = &t->rows[t->n++];
    gn_table_row_clear(r);
    r->model = m;
    r->process = p;
    r->gap = gap;
    snprintf(r->potential, sizeof r->potential, "%s", pot);
    r->state = isfinite(fwd) ? GN_ROW_OK : GN_ROW_NOCONV;
    if (!isfinite(fwd))
        snprintf(r->reason, sizeof r->reason, "band not converged");
    r->barrier_fwd = fwd;
    r->barrier_rev = rev;
    snprintf(r->rundir, sizeof r->rundir, "runs/%s-%s-%zu", gn_model_kind_name(m),
             gn_process_name(p), t->n);
    return r;
}

/* Rows: 0 pt100 hop eam-pt, 1 pt100 hop /x/Pt_u3.eam, 2 pt100 exchange eam-pt, 3 pt111 hop
 * eam-pt, 4 s2s hop 5 Å eam-pt, 5 pt100 exchange lj-pt (not converged). */
static void synthetic(gn_table *t)
{
    memset(t, 0, sizeof *t);
    add_row(t, GN_MODEL_PT100, GN_PROCESS_HOP, INFINITY, "eam-pt", 0.93, 0.93);
    add_row(t, GN_MODEL_PT100, GN_PROCESS_HOP, INFINITY, "/x/Pt_u3.eam", 0.64, 0.64);
    add_row(t, GN_MODEL_PT100, GN_PROCESS_EXCHANGE, INFINITY, "eam-pt", 0.69, 0.69);
    add_row(t, GN_MODEL_PT111, GN_PROCESS_HOP, INFINITY, "eam-pt", 0.0827, 0.0971);
    add_row(t, GN_MODEL_S2S, GN_PROCESS_HOP, 5.0, "eam-pt", 0.28, 0.28);
    add_row(t, GN_MODEL_PT100, GN_PROCESS_EXCHANGE, INFINITY, "lj-pt", NAN, NAN);
}

static const char *crafted =
    "# crafted published values\n"
    "model,process,mechanism,direction,gap_A,barrier_eV,method,source,potential\n"
    /* 0 */ "pt111,hop,hop,fcc111->hcp111,inf,0.26,experiment,\"A, Journal 1, 1 (2000)\",\n"
    /* 1 */ "pt111,hop,hop,hcp111->fcc111,inf,0.20,DFT-PBE,\"B, Journal 2, 2 (2001)\",\n"
    /* 2 */ "pt111,exchange,exchange,,inf,1.0,DFT-PBE,\"C (2002)\",\n"
    /* 3 */ "pt111,hop,exchange,,inf,0.5,DFT-PBE,\"D (2003)\",\n"
    /* 4 */ "pt100,exchange,exchange,hollow100->hollow100,inf,0.47,experiment,\"E (1990)\",\n"
    /* 5 */ "e2e,hop,unknown,unknown,inf,0.03,EAM,\"F (2010)\",\n"
    /* 6 */ "pt100,hop,hop,fcc111->hcp111,inf,0.9,EAM,\"G (2004)\",\n"
    /* 7 */ "s2s,hop,hop,,5.8,0.45,EAM,\"H (2005)\",\n"
    /* 8 */ "pt100,hop,hop,,inf,0.6,EAM + NEB,\"I (2006)\",Pt_u3.eam\n"
    /* 9 */ "pt100,edge,hop,,inf,0.1,EAM,\"J (2007)\",\n";

/* The matches of reference row j: their count, and the first. */
static size_t matches_of(const gn_ref_comparison *c, size_t j, const gn_ref_match **first)
{
    size_t n = 0;
    *first = NULL;
    for (size_t k = 0; k < c->n; k++)
        if (c->m[k].ref == j) {
            if (!n)
                *first = &c->m[k];
            n++;
        }
    return n;
}

static void expect_not_compared(const gn_ref_comparison *c, size_t j, const char *needle)
{
    const gn_ref_match *m;
    assert_int_equal(matches_of(c, j, &m), 1);
    assert_int_equal(m->row, -1);
    assert_true(isnan(m->deviation));
    if (!strstr(m->reason, needle))
        fail_msg("reference row %zu: reason '%s' lacks '%s'", j, m->reason, needle);
}

static void expect_compared(const gn_ref_comparison *c, size_t j, long row, int reverse,
                            double deviation)
{
    const gn_ref_match *m;
    assert_int_equal(matches_of(c, j, &m), 1);
    assert_int_equal(m->row, row);
    assert_int_equal(m->reverse, reverse);
    gn_assert_near(m->deviation, deviation, 1e-12);
    assert_string_equal(m->reason, "");
}

static void test_matching(void **state)
{
    (void)state;
    gn_reference ref;
    gn_error err;
    gn_assert_ok(gn_reference_parse(crafted, "crafted.csv", &ref, &err), &err);
    assert_int_equal(ref.n, 10);
    assert_false(ref.legacy);
    gn_table t;
    synthetic(&t);
    gn_ref_comparison c;
    gn_assert_ok(gn_reference_compare(&ref, &t, &c, &err), &err);

    /* same model, process and mechanism: compared, 0.0827 - 0.26 and, in the reverse direction,
     * the reverse barrier: 0.0971 - 0.20 */
    expect_compared(&c, 0, 3, 0, 0.0827 - 0.26);
    expect_compared(&c, 1, 3, 1, 0.0971 - 0.20);
    /* the pt100 exchange value goes to both pt100 exchange rows, never to the pt100 hop rows:
     * 0.69 - 0.47 for eam-pt, no deviation for the row without a barrier */
    const gn_ref_match *m;
    assert_int_equal(matches_of(&c, 4, &m), 2);
    assert_int_equal(m[0].row, 2);
    gn_assert_near(m[0].deviation, 0.69 - 0.47, 1e-12);
    assert_int_equal(m[1].row, 5);
    assert_true(isnan(m[1].deviation));
    assert_non_null(strstr(m[1].reason, "no forward barrier (not_converged"));
    /* a value of one potential goes to the rows of that potential only (file name) */
    expect_compared(&c, 8, 1, 0, 0.64 - 0.6);

    /* different process, mechanism, direction, gap or nothing established: never compared */
    expect_not_compared(&c, 2, "the table has no pt111 exchange rows");
    expect_not_compared(&c, 3, "mechanism 'exchange' differs from the process 'hop'");
    expect_not_compared(&c, 5, "neither the mechanism nor the direction");
    expect_not_compared(&c, 6, "direction fcc111->hcp111 is neither the table's pt100 hop "
                               "direction (hollow100->hollow100)");
    expect_not_compared(&c, 7, "no s2s hop row at gap 5.80 Å");
    expect_not_compared(&c, 9, "process 'edge' is not one the table computes");
    assert_int_equal(c.nref_matched, 4);
    gn_ref_comparison_clear(&c);

    /* the rows' own columns: the first forward value (the reverse one is not a forward
     * comparison), the rows of another process none */
    assert_int_equal(gn_reference_apply(&ref, &t), 4);
    assert_false(t.rows[0].has_ref);
    assert_true(t.rows[1].has_ref);
    gn_assert_near(t.rows[1].ref_barrier, 0.6, 0);
    gn_assert_near(t.rows[3].ref_barrier, 0.26, 0);
    gn_assert_near(gn_row_deviation(&t.rows[3]), 0.0827 - 0.26, 1e-12);
    assert_true(t.rows[5].has_ref);
    assert_true(isnan(gn_row_deviation(&t.rows[5])));
    assert_false(t.rows[4].has_ref);

    /* a harmonic analysis that finds no first-order saddle over two minima: compared (same
     * process and mechanism), but no deviation, and the reason says why */
    t.rows[3].has_modes = 1;
    t.rows[3].n_negative = 2;
    gn_assert_ok(gn_reference_compare(&ref, &t, &c, &err), &err);
    assert_int_equal(matches_of(&c, 0, &m), 1);
    assert_int_equal(m->row, 3);
    gn_assert_near(m->barrier, 0.0827, 0);
    assert_true(isnan(m->deviation));
    assert_non_null(strstr(m->reason, "2 negative modes at the saddle: the saddle is not "
                                      "first-order"));
    assert_true(isnan(gn_row_deviation(&t.rows[3])));
    t.rows[3].n_negative = 1; /* one negative mode, but an endpoint is not a minimum */
    assert_non_null(strstr(gn_row_unverified_reason(&t.rows[3]), "endpoint is not a minimum"));
    t.rows[3].saddle_verified = 1;
    assert_null(gn_row_unverified_reason(&t.rows[3]));
    gn_assert_near(gn_row_deviation(&t.rows[3]), 0.0827 - 0.26, 1e-12);
    gn_ref_comparison_clear(&c);
    gn_table_clear(&t);
    gn_reference_clear(&ref);
}

static void test_directions(void **state)
{
    (void)state;
    char d[64];
    gn_assert_ok(gn_process_direction(GN_MODEL_PT111, GN_PROCESS_HOP, d, sizeof d), &(gn_error){0});
    assert_string_equal(d, "fcc111->hcp111");
    gn_process_direction(GN_MODEL_PT111, GN_PROCESS_EXCHANGE, d, sizeof d);
    assert_string_equal(d, "fcc111->hcp111");
    gn_process_direction(GN_MODEL_PT100, GN_PROCESS_HOP, d, sizeof d);
    assert_string_equal(d, "hollow100->hollow100");
    gn_process_direction(GN_MODEL_E2E, GN_PROCESS_HOP, d, sizeof d);
    assert_string_equal(d, "hollow100->fcc111");
    assert_int_not_equal(gn_process_direction(GN_MODEL_PT100, GN_PROCESS_TRANSFER, d, sizeof d),
                         GN_OK);
    assert_string_equal(d, "");
}

static void test_formats(void **state)
{
    (void)state;
    gn_reference ref;
    gn_error err;
    /* the old five columns, in any order: the process is the mechanism, an exact gap wins */
    const char *old = "model,process,gap_A,barrier_eV,source\n"
                      "s2s,hop,inf,0.50,\"Someone, Another (2000)\"\n"
                      "s2s, hop, 5.0, 0.45, Exact gap\n"
                      "pt100,exchange,inf,0.47,Kellogg\n";
    gn_assert_ok(gn_reference_parse(old, "old.csv", &ref, &err), &err);
    assert_true(ref.legacy);
    assert_int_equal(ref.n, 3);
    assert_string_equal(ref.rows[0].mechanism, "hop");
    assert_string_equal(ref.rows[2].mechanism, "exchange");
    assert_string_equal(ref.rows[1].direction, "");
    gn_table t;
    synthetic(&t);
    assert_int_equal(gn_reference_apply(&ref, &t), 3); /* s2s hop, both pt100 exchange rows */
    gn_assert_near(t.rows[4].ref_barrier, 0.45, 0);
    gn_assert_near(t.rows[2].ref_barrier, 0.47, 0);
    assert_false(t.rows[0].has_ref);
    gn_table_clear(&t);
    gn_reference_clear(&ref);
    gn_assert_ok(gn_reference_parse("barrier_eV,source,model,gap_A,process\n0.3,x,s2s,5,hop\n",
                                    "o.csv", &ref, &err), &err);
    assert_string_equal(ref.rows[0].process, "hop");
    gn_reference_clear(&ref);

    const char *head = "model,process,mechanism,direction,gap_A,barrier_eV,method,source\n";
    char text[1024];
    struct {
        const char *row;
        const char *needle;
    } bad[] = {
        {"pt111,hop,,,inf,0.3,DFT,src", "f.csv:2: empty or too long mechanism"},
        {"pt111,hop,hop,fcc->hcp,inf,0.3,DFT,src", "f.csv:2: direction 'fcc->hcp'"},
        {"pt111,hop,hop,,inf,0.3,,src", "f.csv:2: empty or too long method"},
        {"pt111,hop,hop,,inf,0.3,DFT,", "f.csv:2: empty source"},
        {"pt111,hop,hop,,inf,abc,DFT,src", "f.csv:2: barrier_eV 'abc'"},
        {"pt111,hop,hop,,-1,0.3,DFT,src", "f.csv:2: gap_A '-1'"},
        {"pt111,hop,hop,,inf,0.3,DFT", "f.csv:2: 7 fields, the header has 8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "%s%s\n", head, bad[i].row);
        assert_int_equal(gn_reference_parse(text, "f.csv", &ref, &err), GN_EPARSE);
        if (!strstr(err.msg, bad[i].needle))
            fail_msg("'%s' lacks '%s'", err.msg, bad[i].needle);
    }
    const char *bad_head[] = {"model,process,mechanism,gap_A,barrier_eV,source\n",
                              "model,process,gap_A,barrier_eV,source,source\n",
                              "model,process,gap_A,barrier_eV,comment\n",
                              "model,process,gap_A,source\n"};
    for (size_t i = 0; i < sizeof bad_head / sizeof bad_head[0]; i++)
        assert_int_equal(gn_reference_parse(bad_head[i], "f.csv", &ref, &err), GN_EPARSE);
}

/* The shipped file: the new format, every row with a source (a citation with a year), a
 * mechanism and a method; a value whose mechanism is unknown is never compared. */
static void test_shipped_file(void **state)
{
    (void)state;
    char path[2048];
    gn_reference ref;
    gn_error err;
    snprintf(path, sizeof path, "%s/data/reference/pt-adatom-barriers.csv", gn_test_srcdir());
    gn_assert_ok(gn_reference_load(path, &ref, &err), &err);
    assert_false(ref.legacy);
    assert_true(ref.n >= 5);
    for (size_t i = 0; i < ref.n; i++) {
        const gn_ref_row *q = &ref.rows[i];
        char label[64];
        assert_true(q->barrier > 0 && q->barrier < 2);
        assert_true(strlen(q->source) > 40);
        assert_true(q->mechanism[0] && q->method[0]);
        gn_ref_short_label(q, label, sizeof label);
        if (!strstr(label, " 19") && !strstr(label, " 20"))
            fail_msg("line %d: no year in the source '%s'", q->line, q->source);
    }
    gn_table t;
    synthetic(&t);
    add_row(&t, GN_MODEL_E2E, GN_PROCESS_HOP, 8.0, "eam-pt", 0.3, 0.2);
    add_row(&t, GN_MODEL_E2E, GN_PROCESS_EXCHANGE, 8.0, "eam-pt", 0.7, 0.6);
    gn_ref_comparison c;
    gn_assert_ok(gn_reference_compare(&ref, &t, &c, &err), &err);
    for (size_t k = 0; k < c.n; k++) {
        const gn_ref_row *q = &ref.rows[c.m[k].ref];
        if (!strcmp(q->mechanism, "unknown"))
            assert_int_equal(c.m[k].row, -1);
        if (c.m[k].row >= 0)
            assert_string_equal(gn_process_name(t.rows[c.m[k].row].process), q->mechanism);
    }
    gn_ref_comparison_clear(&c);
    gn_table_clear(&t);
    gn_reference_clear(&ref);
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

static void test_outputs(void **state)
{
    (void)state;
    char *dir = gn_test_tmpdir("reference");
    gn_reference ref, back;
    gn_error err;
    gn_assert_ok(gn_reference_parse(crafted, "crafted.csv", &ref, &err), &err);
    gn_table t;
    synthetic(&t);
    t.reference = &ref;
    gn_reference_apply(&ref, &t);
    gn_assert_ok(gn_table_write(dir, &t, &err), &err);

    char path[1024];
    snprintf(path, sizeof path, "%s/reference.tsv", dir);
    assert_true(file_contains(path, "\tforward\t0.082700\t-0.177300\tcompared\t\n"));
    assert_true(file_contains(path, "\treverse\t0.097100\t-0.102900\tcompared\t\n"));
    assert_true(file_contains(path, "\tnot_compared\tmechanism 'exchange' differs"));
    assert_true(file_contains(path, "\tno_barrier\tthe row has no forward barrier"));

    /* barriers.json keeps the published values: read back, they compare the same */
    snprintf(path, sizeof path, "%s/barriers.json", dir);
    gn_assert_ok(gn_reference_read_json(path, &back, &err), &err);
    assert_int_equal(back.n, ref.n);
    for (size_t i = 0; i < ref.n; i++) {
        assert_string_equal(back.rows[i].mechanism, ref.rows[i].mechanism);
        assert_string_equal(back.rows[i].direction, ref.rows[i].direction);
        assert_string_equal(back.rows[i].source, ref.rows[i].source);
        assert_string_equal(back.rows[i].potential, ref.rows[i].potential);
        gn_assert_near(back.rows[i].barrier, ref.rows[i].barrier, 0);
        assert_true(back.rows[i].gap == ref.rows[i].gap);
    }
    assert_string_equal(back.path, "crafted.csv");
    assert_true(file_contains(path, "\"reason\": \"the table has no pt111 exchange rows\""));
    gn_reference_clear(&back);

    /* the printed comparison: a line per comparison, one per value not compared */
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    gn_report_print(fp, &t);
    fclose(fp);
    assert_non_null(strstr(text, "# comparison with published values (crafted.csv): 4 of 10"));
    assert_non_null(strstr(text, "0.0971 (rev)  -0.103"));
    assert_non_null(strstr(text, "# not compared: e2e hop (unknown) 0.030 eV at gap inf, EAM, "
                                 "F 2010: the source establishes neither"));
    assert_non_null(strstr(text, "# no deviation: pt100 exchange lj-pt vs E 1990"));
    free(text);

    /* the comparison figure: one bar per row drawn, one per value compared */
    gn_figure_status st;
    gn_assert_ok(gn_figures_write(dir, &t, &ref, "/nonexistent/gnuplot", &st, &err), &err);
    snprintf(path, sizeof path, "%s/figures/reference.tsv", dir);
    assert_true(file_contains(path, "\"0.26 experiment, A 2000\""));
    assert_true(file_contains(path, "\"0.20 DFT-PBE, B 2001\""));
    assert_false(file_contains(path, "D 2003")); /* another mechanism: not in the figure */
    snprintf(path, sizeof path, "%s/figures/reference.gp", dir);
    assert_true(file_contains(path, "\"pt111 hop\\nfcc111->hcp111\""));
    if (access("/usr/bin/gnuplot", X_OK) == 0) {
        gn_assert_ok(gn_figures_write(dir, &t, &ref, "/usr/bin/gnuplot", &st, &err), &err);
        if (st.drawn != st.scripts)
            fail_msg("%d of %d drawn: %s", st.drawn, st.scripts, st.note);
        snprintf(path, sizeof path, "%s/figures/reference.png", dir);
        assert_true(file_contains(path, "PNG"));
    }
    gn_table_clear(&t);
    gn_reference_clear(&ref);
    gn_test_rm_rf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matching),     cmocka_unit_test(test_directions),
        cmocka_unit_test(test_formats),      cmocka_unit_test(test_shipped_file),
        cmocka_unit_test(test_outputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
