/* gapneb: one piece of work on several threads (see parallel_internal.h). */
#include "parallel_internal.h"

#include <pthread.h>

typedef struct part {
    gn_parallel_fn fn;
    void *ctx;
    int t, n;
} part;

static void *run_part(void *arg)
{
    part *p = arg;
    p->fn(p->ctx, p->t, p->n);
    return NULL;
}

void gn_parallel_run(int n, gn_parallel_fn fn, void *ctx)
{
    if (n > GN_PARALLEL_MAX)
        n = GN_PARALLEL_MAX;
    if (n <= 1) {
        fn(ctx, 0, 1);
        return;
    }
    pthread_t th[GN_PARALLEL_MAX];
    part parts[GN_PARALLEL_MAX];
    int started[GN_PARALLEL_MAX] = {0};
    for (int t = 1; t < n; t++) {
        parts[t] = (part){fn, ctx, t, n};
        started[t] = pthread_create(&th[t], NULL, run_part, &parts[t]) == 0;
    }
    fn(ctx, 0, n);
    for (int t = 1; t < n; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        else
            fn(ctx, t, n);
    }
}

void gn_parallel_split(size_t natoms, const size_t *first, int n, size_t *bounds)
{
    const size_t total = first[natoms];
    size_t i = 0;
    bounds[0] = 0;
    for (int t = 1; t < n; t++) {
        /* the first atom whose prefix reaches t/n of the work (binary search from i) */
        size_t want = (size_t)((double)total * t / n), lo = i, hi = natoms;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (first[mid] < want)
                lo = mid + 1;
            else
                hi = mid;
        }
        i = lo;
        bounds[t] = i;
    }
    bounds[n] = natoms;
}
