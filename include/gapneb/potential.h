/* gapneb: interatomic potentials. Energies in eV, forces in eV/Å, lengths in Å.
 *
 * A gn_potential is immutable once created and may be shared by many threads. Evaluation goes
 * through a gn_calc, which is per-thread state: the neighbour list (with its Verlet skin), scratch
 * arrays and a counter of force calls. Adding a potential touches its own file and the registry
 * in potential.c only.
 */
#ifndef GAPNEB_POTENTIAL_H
#define GAPNEB_POTENTIAL_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct gn_nlist;

/* What a potential implementation provides. compute() must add nothing to forces/peratom that it
 * was not asked for (NULL means not wanted) and must overwrite, not accumulate into, them. */
typedef struct gn_potential_ops {
    int (*compute)(const void *self, const gn_atoms *a, const struct gn_nlist *nl, double *energy,
                   double *forces, double *peratom, gn_error *err);
    double (*cutoff)(const void *self);
    void (*free)(void *self);
} gn_potential_ops;

typedef struct gn_potential {
    const gn_potential_ops *ops;
    void *self;
    char name[256];         /* registry name or file path */
    char description[512];  /* one line with the reference */
    int z;                  /* element it is meant for (78 for Pt, GN_Z_DUMMY for lj) */
} gn_potential;

/* Creates a potential from a built-in name (see gn_potential_builtins) or a LAMMPS EAM file path
 * (*.eam funcfl, *.eam.alloy setfl). */
int gn_potential_alloc(const char *name_or_file, gn_potential **out, gn_error *err);
void gn_potential_free(gn_potential *p);
double gn_potential_cutoff(const gn_potential *p);

/* NULL-terminated list of built-in names; the first is the default ("eam-pt"). */
const char *const *gn_potential_builtins(void);
#define GN_POTENTIAL_DEFAULT "eam-pt"

typedef struct gn_calc gn_calc;

int gn_calc_alloc(const gn_potential *p, gn_calc **out, gn_error *err);
void gn_calc_free(gn_calc *c);

/* Energy (eV), forces (3n eV/Å, may be NULL) and per-atom energies (n eV, may be NULL) of a.
 * Counts one force call. */
int gn_calc_compute(gn_calc *c, const gn_atoms *a, double *energy, double *forces,
                    double *peratom, gn_error *err);

/* Number of gn_calc_compute calls so far. */
unsigned long gn_calc_calls(const gn_calc *c);
const gn_potential *gn_calc_potential(const gn_calc *c);

#ifdef __cplusplus
}
#endif
#endif
