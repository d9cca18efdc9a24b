/* Tests of the pictures of configurations (picture.h) on a known model: s2s, 4 x 4 cells, 4
 * layers, gap 5 Å, one adatom on A100:0. The top view's data must list exactly the facing
 * layers (16 atoms of A at z = 0 and 16 of B at z = d, matched position by position against the
 * model's atoms) and the adatom at its site; the side view every atom; and the drawn PNG must be
 * a PNG (its signature), when gnuplot is installed. */
#define _XOPEN_SOURCE 700
#include "gn_test.h"
#include "gapneb/gnuplot.h"
#include "gapneb/picture.h"

#define MAXROWS 400

typedef struct block {
    char name[128];
    double v[MAXROWS][3];
    int n;
} block;

/* Reads the blocks of a picture's data file (comments "# panel 1: NAME" start them). */
static int read_blocks(const char *path, block *b, int max)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[512];
    int nb = -1;
    while (fgets(line, sizeof line, fp)) {
        if (!strncmp(line, "# panel 1: ", 11) && nb + 1 < max) {
            nb++;
            snprintf(b[nb].name, sizeof b[nb].name, "%.100s", line + 11);
            b[nb].name[strcspn(b[nb].name, "\n")] = '\0';
            b[nb].n = 0;
            continue;
        }
        double x, y, r;
        if (nb >= 0 && line[0] != '#' && sscanf(line, "%lf %lf %lf", &x, &y, &r) == 3 &&
            b[nb].n < MAXROWS) {
            b[nb].v[b[nb].n][0] = x;
            b[nb].v[b[nb].n][1] = y;
            b[nb].v[b[nb].n][2] = r;
            b[nb].n++;
        }
    }
    fclose(fp);
    return nb + 1;
}

static const block *find(const block *b, int n, const char *prefix)
{
    for (int i = 0; i < n; i++)
        if (!strncmp(b[i].name, prefix, strlen(prefix)))
            return &b[i];
    fail_msg("no block '%s'", prefix);
    return NULL;
}

/* Every row of blk is the (x, y) of one atom of a[lo, hi) at height z, and every such atom has
 * a row. */
static void same_atoms(const block *blk, const gn_atoms *a, size_t lo, size_t hi, double z)
{
    int want = 0;
    for (size_t i = lo; i < hi; i++) {
        if (fabs(a->pos[3 * i + 2] - z) > 1e-6)
            continue;
        want++;
        int hit = 0;
        for (int k = 0; k < blk->n && !hit; k++)
            hit = fabs(blk->v[k][0] - a->pos[3 * i]) < 1e-3 &&
                  fabs(blk->v[k][1] - a->pos[3 * i + 1]) < 1e-3;
        if (!hit)
            fail_msg("%s: atom %zu at (%g, %g) is missing", blk->name, i, a->pos[3 * i],
                     a->pos[3 * i + 1]);
    }
    assert_int_equal(blk->n, want);
}

static void test_s2s_picture(void **state)
{
    (void)state;
    gn_model_opts mo;
    gn_model_opts_default(&mo, GN_MODEL_S2S);
    mo.a0 = 3.92;
    mo.gap = 5.0;
    gn_error err;
    gn_atoms *bare, *a;
    gn_assert_ok(gn_model_build(&mo, &bare, &err), &err);
    const char *site[] = {"A100:0"};
    gn_assert_ok(gn_model_with_adatoms(&mo, site, 1, &a, &err), &err);
    gn_site s;
    gn_assert_ok(gn_model_find_site(&mo, "A100:0", &s, &err), &err);
    size_t na = bare->n / 2;
    gn_picture_panel p = {.atoms = a, .na = na, .nb = na, .adatom_labels = site, .title = "t"};
    char *dir = gn_test_tmpdir("picture");
    gn_assert_ok(gn_picture_write(dir, "pic", GN_MODEL_S2S, gn_model_nn_distance(&mo), &p, 1,
                                  "test", &err), &err);
    char path[512];
    snprintf(path, sizeof path, "%s/pic.tsv", dir);
    static block b[16];
    int nb = read_blocks(path, b, 16);
    const block *ta = find(b, nb, "top view, crystal A"), *tb = find(b, nb, "top view, crystal B");
    const block *ad = find(b, nb, "top view, adatoms"), *side = find(b, nb, "side view, every");
    assert_int_equal(ta->n, 16);
    assert_int_equal(tb->n, 16);
    same_atoms(ta, a, 0, na, 0.0);
    same_atoms(tb, a, na, 2 * na, mo.gap);
    assert_int_equal(ad->n, 1);
    gn_assert_near(ad->v[0][0], s.pos[0], 1e-3);
    gn_assert_near(ad->v[0][1], s.pos[1], 1e-3);
    assert_int_equal(side->n, (int)a->n);

    char gp[4096];
    if (gn_gnuplot_find(NULL, gp, sizeof gp)) {
        gn_assert_ok(gn_picture_draw(dir, "pic", GN_MODEL_S2S, gn_model_nn_distance(&mo), &p, 1,
                                     "test", NULL, &err), &err);
        snprintf(path, sizeof path, "%s/pic.png", dir);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        unsigned char sig[8];
        assert_int_equal(fread(sig, 1, 8, fp), 8);
        fclose(fp);
        assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
    } else {
        fprintf(stderr, "gnuplot not found: the PNG is not checked\n");
    }
    gn_atoms_free(a);
    gn_atoms_free(bare);
    gn_test_rm_rf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_s2s_picture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
