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

#endif
