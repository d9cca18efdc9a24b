/* gapneb: shared internals of the adsorb module (adsorb.c: the run; adsorb_relax.c: relaxations
 * in threads, merging and ranking; adsorb_io.c, adsorb_fig.c: files and figures). Not installed.
 * Units: Å, eV. */
#ifndef GAPNEB_ADSORB_INTERNAL_H
#define GAPNEB_ADSORB_INTERNAL_H

#include "gapneb/adsorb.h"

/* One relaxation: start is relaxed into relaxed (both owned). */
typedef struct gn_adsorb_task {
    gn_atoms *start;
    int max_steps;           /* > 0: a pre-screen of this many FIRE steps; 0: the full one */
    gn_atoms *relaxed;
    double energy;           /* eV */
    int converged;
    unsigned long calls;
    int rc;                  /* status of the relaxation itself (not convergence) */
    gn_error err;
} gn_adsorb_task;

/* Relaxes every task with fo (max_steps replaced for pre-screens) in jobs threads (0: one per
 * core), each task with a calculator of its own, so that its result does not depend on the
 * thread or the order. Returns the first failure. */
int gn_adsorb_relax_all(const gn_potential *pot, const gn_fire_opts *fo, int jobs,
                        gn_adsorb_task *t, size_t n, gn_error *err);
void gn_adsorb_task_clear(gn_adsorb_task *t);

/* Orders the configurations of one gap and stage (energies set): distinct ones by energy with
 * ranks 1, 2, ..., then the merged ones (merged_into = 1 + the block index of the one they
 * relaxed into, turned into an id later), then the screened-out ones by screen energy. Equal
 * structures: energies within o->merge_energy and adatoms within o->merge_distance under an
 * operation of sym. */
int gn_adsorb_rank(gn_adsorb_config *v, size_t n, const gn_adsorb_sym *sym,
                   const gn_adsorb_opts *o, gn_error *err);

/* Gives every configuration its id (one per site set and stage, over the gaps in increasing
 * order, then rank) and turns merged_into into ids. */
void gn_adsorb_assign_ids(gn_adsorb_result *r);

/* The end of the block of configurations that starts at i: those of one gap and stage, which
 * are consecutive in r->configs. */
size_t gn_adsorb_block_end(const gn_adsorb_result *r, size_t i);

/* "d5-n3", "d5.8-n3": the stem of a gap's and stage's files. */
void gn_adsorb_stem(double gap, int nadatoms, char *buf, size_t cap);

#endif
