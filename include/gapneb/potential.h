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

#define GN_POTENTIAL_SPEC_MAX 512 /* bytes of a canonical spec, with the terminating NUL */

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
    int z;                  /* element the models are built of: the built-ins' own (78 for
                               Pt, GN_Z_DUMMY for lj); for an EAM file Pt if the file has it,
                               else -1 (none) until gn_potential_select_element chooses one */
    char spec[GN_POTENTIAL_SPEC_MAX]; /* canonical spec, all parameters resolved ("" = name) */
} gn_potential;

/* Creates a potential from a spec: a built-in name (see gn_potential_builtins), a LAMMPS EAM file
 * path (*.eam funcfl, *.eam.alloy setfl), or a parameterised pair potential
 *
 *     NAME:KEY=VALUE,KEY=VALUE,...      e.g.  lj:rc=6   lj:epsilon=1,sigma=1,rc=2.5,rs=2.5
 *
 * with NAME lj, lj-pt, morse or morse-pt and the keys of pot_pair.h (epsilon, sigma / D, alpha,
 * r0; rc, rs the switch from rs to rc; rs = rc truncated and shifted). Unknown keys, keys given
 * twice and values that are not positive finite numbers are refused (GN_EINVAL) with a message
 * naming them. The potential's name is the spec as given (the built-in's name without
 * parameters). */
int gn_potential_alloc(const char *spec, gn_potential **out, gn_error *err);
void gn_potential_free(gn_potential *p);
double gn_potential_cutoff(const gn_potential *p);

/* NULL-terminated list of built-in names; the first is the default ("eam-pt"). */
const char *const *gn_potential_builtins(void);
#define GN_POTENTIAL_DEFAULT "eam-pt"

/* ---- specs ----
 * The canonical spec of a potential names it with every parameter resolved, numbers in their
 * shortest exact decimal form: gn_potential_alloc of it builds the same potential bit for bit
 * ("lj" -> "lj:epsilon=1,sigma=1,rc=2.5,rs=2"; an EAM file or "eam-pt": the name itself). Outputs
 * record it so that a result can be reproduced. */
const char *gn_potential_spec(const gn_potential *p);

/* The canonical spec of a spec text, without building the potential (so without reading files):
 * parameters of lj, lj-pt, morse, morse-pt are checked and resolved as gn_potential_alloc does;
 * any other text (a file path, an external potential) is copied as given, blanks trimmed.
 * GN_EINVAL on a bad spec, GN_ERANGE if out (cap bytes) is too small. */
int gn_potential_spec_resolve(const char *spec, char *out, size_t cap, gn_error *err);

/* Splits a comma-separated list of specs, where the parameters of one spec are separated by
 * commas too: a piece that starts like KEY=VALUE (an '=' before any ':') continues the parameter
 * list of the spec before it; any other piece starts a new spec. So
 *     "lj:epsilon=1,rc=6,eam-pt,lj-pt:rc=8"  ->  "lj:epsilon=1,rc=6", "eam-pt", "lj-pt:rc=8".
 * (A file name containing '=' or ',' cannot be given in such a list.) *cursor points into the
 * list and advances; the next spec, blanks trimmed, is copied into buf (cap bytes). Returns 1 for
 * a spec, 0 at the end of the list, -1 if a spec does not fit in buf. */
int gn_potential_spec_split(const char **cursor, char *buf, size_t cap);
/* 1 if p describes element z: the elements of an EAM file, the one element a pair potential is
 * made for (it would give numbers for any species, but they are not that species'). */
int gn_potential_has_element(const gn_potential *p, int z);

/* The elements p describes, in file order (up to max of them written to zs); returns their count. */
int gn_potential_elements(const gn_potential *p, int *zs, int max);

/* "Au Pt": the symbols of the elements p describes, for messages. */
void gn_potential_elements_text(const gn_potential *p, char *buf, size_t size);

/* Chooses the element models are built of (sets p->z): symbol ("Pt", "Au") must be one p
 * describes, else GN_EINVAL naming the elements it has. symbol NULL or "" keeps p's default (Pt
 * for a file that has it) and fails the same way if there is none, so that a file without Pt is
 * never silently used for a Pt model. Changes p: call it before p is shared between threads. */
int gn_potential_select_element(gn_potential *p, const char *symbol, gn_error *err);

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
