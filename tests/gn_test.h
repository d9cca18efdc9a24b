/* gapneb tests: shared helpers for the cmocka programs (header-only). */
#ifndef GN_TEST_H
#define GN_TEST_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gapneb/gapneb.h"

/* Asserts |a - b| <= tol with a readable message. */
#define gn_assert_near(a, b, tol)                                                              \
    do {                                                                                       \
        double gn_a_ = (a), gn_b_ = (b), gn_t_ = (tol);                                        \
        if (!(fabs(gn_a_ - gn_b_) <= gn_t_))                                                   \
            fail_msg("%s = %.12g, expected %s = %.12g within %.3g (diff %.3g)", #a, gn_a_, #b, \
                     gn_b_, gn_t_, fabs(gn_a_ - gn_b_));                                      \
    } while (0)

#define gn_assert_ok(expr, errp)                                                               \
    do {                                                                                       \
        int gn_rc_ = (expr);                                                                   \
        if (gn_rc_ != GN_OK)                                                                   \
            fail_msg("%s failed (%d): %s", #expr, gn_rc_, (errp)->msg);                        \
    } while (0)

/* Deterministic generator for tests (xorshift64*), seeded per test: no global state. */
typedef struct gn_rng { uint64_t s; } gn_rng;
static inline double gn_rng_uniform(gn_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (double)((r->s * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

/* Path of a file in the source tree (tests run from the build tree). */
static inline const char *gn_test_srcdir(void)
{
    const char *s = getenv("GN_SRCDIR");
    return s ? s : GN_TEST_SRCDIR;
}

/* A fresh folder /tmp/gn-test-NAME-XXXXXX for a test's files (caller frees the name), and its
 * recursive removal afterwards. */
#include <ftw.h>
static inline char *gn_test_tmpdir(const char *name)
{
    char *d = malloc(strlen(name) + 32);
    assert_non_null(d);
    sprintf(d, "/tmp/gn-test-%s-XXXXXX", name);
    assert_non_null(mkdtemp(d));
    return d;
}

static inline int gn_test_rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static inline void gn_test_rm_rf(const char *dir)
{
    nftw(dir, gn_test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A two-element LAMMPS setfl, "Au Pt" (Au listed first, so a reader that takes the first element
 * gets Au), or "Au" alone (with_pt = 0, a file without Pt). Pt is eam-pt sampled on the grid;
 * "Au" is a made-up variant, F x 1.1, f x 0.9, phi x 1.05 (its own lattice constant), and the
 * Au-Pt pair the mean of the two pairs. 2000-point tables up to rho = 100 and r = 6.5 Å. */
#include "gapneb/pot_eam.h"
#define GN_TEST_AU 79
static inline void gn_test_write_aupt_setfl(const char *path, int with_pt)
{
    enum { N = 2000 };
    const double drho = 100.0 / (N - 1), dr = GN_EAM_PT_RCUT / (N - 1);
    gn_potential *p;
    gn_error err;
    gn_assert_ok(gn_pot_eam_pt_alloc(&p, &err), &err);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    int nel = with_pt ? 2 : 1;
    fprintf(fp, "gapneb test: made-up Au and eam-pt Pt\n\n\n%d Au%s\n%d %.16e %d %.16e %.16e\n",
            nel, with_pt ? " Pt" : "", N, drho, N, dr, GN_EAM_PT_RCUT);
    for (int e = 0; e < nel; e++) {
        double sf = e ? 1.0 : 1.1, sd = e ? 1.0 : 0.9;
        fprintf(fp, "%d %.4f 3.92 fcc\n", e ? 78 : GN_TEST_AU, e ? 195.08 : 196.97);
        for (int m = 0; m < N; m++) {
            double F, dF;
            gn_pot_eam_embed(p, 78, m * drho, &F, &dF, NULL);
            fprintf(fp, "%.16e%s", sf * F, m % 5 == 4 ? "\n" : " ");
        }
        for (int m = 0; m < N; m++) {
            double f, df;
            gn_pot_eam_density(p, 78, m * dr, &f, &df, NULL);
            fprintf(fp, "%.16e%s", sd * f, m % 5 == 4 ? "\n" : " ");
        }
    }
    /* pairs in setfl order: Au-Au, then Pt-Au, Pt-Pt */
    const double scale[3] = {1.05, 0.5 * (1.05 + 1.0), 1.0};
    for (int k = 0; k < (with_pt ? 3 : 1); k++)
        for (int m = 0; m < N; m++) {
            double phi = 0.0, dphi;
            if (m > 0)
                gn_pot_eam_pair(p, 78, 78, m * dr, &phi, &dphi, NULL);
            fprintf(fp, "%.16e%s", scale[k] * m * dr * phi, m % 5 == 4 ? "\n" : " ");
        }
    assert_int_equal(fclose(fp), 0);
    gn_potential_free(p);
}

#endif
