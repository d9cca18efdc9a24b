/* gapneb: running one piece of work on several threads (pthreads), for the force call of one
 * large structure. Not installed.
 *
 * gn_parallel_run(n, fn, ctx) calls fn(ctx, t, n) for t = 0 .. n-1, part 0 in the calling thread
 * and the others in threads started for this call and joined before it returns: nothing
 * outlives the call and nothing is shared but ctx. If a thread cannot be started, the calling
 * thread does its part afterwards, so the work is always done (only slower). */
#ifndef GAPNEB_PARALLEL_INTERNAL_H
#define GAPNEB_PARALLEL_INTERNAL_H

#include <stddef.h>

#define GN_PARALLEL_MAX 64

typedef void (*gn_parallel_fn)(void *ctx, int t, int n);

void gn_parallel_run(int n, gn_parallel_fn fn, void *ctx);

/* Splits the atoms 0 .. natoms-1 into n contiguous blocks of about equal work, where the work
 * of atoms [0, i) is first[i] (a non-decreasing prefix count, first[natoms] the total): block t
 * is [bounds[t], bounds[t+1]). bounds has n + 1 entries. */
void gn_parallel_split(size_t natoms, const size_t *first, int n, size_t *bounds);

#endif
