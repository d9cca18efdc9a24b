/* gapneb: interatomic potentials. Energies in eV, forces in eV/Å, lengths in Å.
 *
 * A gn_potential is immutable once created and may be shared by many threads (an external engine,
 * ipi.h, is a server that synchronises itself). Evaluation goes through a gn_calc, which is
 * per-thread state: the neighbour list (with its Verlet skin), scratch arrays and a counter of
 * force calls. Adding a potential touches its own file and the registry in potential.c only.
 *
 * A gn_calc may split one force call over several threads (gn_calc_set_threads), for large
 * structures; those threads are started and joined inside the call, so a gn_calc is still used
 * by one caller at a time and nothing is shared between calculators.
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
 * was not asked for (NULL means not wanted) and must overwrite, not accumulate into, them. A
 * cutoff of 0 means the potential needs no neighbour list (nl is then NULL). compute_batch is
 * optional: a potential that can evaluate several structures at once (an engine pool, ipi.h)
 * provides it; forces[i] may be NULL. It must be safe to call from several threads at once. */
typedef struct gn_potential_ops {
    int (*compute)(const void *self, const gn_atoms *a, const struct gn_nlist *nl, double *energy,
                   double *forces, double *peratom, gn_error *err);
    double (*cutoff)(const void *self);
    void (*free)(void *self);
    int (*compute_batch)(const void *self, size_t k, const gn_atoms *const *a, double *energy,
                         double *const *forces, gn_error *err);
    /* Optional (both NULL or both set): compute() for a calculator, on up to nthreads threads
     * and with scratch memory the calculator keeps between calls (*scratch is NULL at first;
     * the potential allocates what it needs there, and scratch_free releases it with the
     * calculator). Results equal compute()'s up to rounding (the order of sums may change;
     * 1e-12 relative at most). */
    int (*compute_calc)(const void *self, const gn_atoms *a, const struct gn_nlist *nl,
                        int nthreads, void **scratch, double *energy, double *forces,
                        double *peratom, gn_error *err);
    void (*scratch_free)(void *scratch);
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
 * parameters). An external engine spec ipi:unix:NAME or ipi:inet:[HOST:]PORT gives an i-PI
 * server with default engine options (ipi.h). */
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

/* Energies (eV) and forces (3n eV/Å each; forces or forces[i] may be NULL) of k structures,
 * a[i] with calculator c[i] (one calculator may appear several times: all of them must use one
 * potential). A potential that evaluates structures concurrently (gn_potential_concurrent) gets
 * them all at once; any other evaluates them in turn, exactly as k gn_calc_compute calls. Counts
 * one force call per structure on its calculator. The message of a failure names the structure
 * (index from 0). */
int gn_calc_compute_batch(gn_calc *const *c, size_t k, const gn_atoms *const *a, double *energy,
                          double *const *forces, gn_error *err);

/* 1 if gn_calc_compute_batch evaluates the structures of a batch concurrently with p (an i-PI
 * engine pool), so that callers should hand over as many structures at once as they can. */
int gn_potential_concurrent(const gn_potential *p);

/* Threads for each force call (default 1). Used only by potentials that can (EAM) and for
 * structures of at least GN_CALC_THREADS_MIN_ATOMS atoms: below that, starting threads costs
 * more than it saves. n must be 1 .. 64. */
#define GN_CALC_THREADS_MIN_ATOMS 2000
int gn_calc_set_threads(gn_calc *c, int n, gn_error *err);
int gn_calc_threads(const gn_calc *c);

/* Number of gn_calc_compute calls so far (a batch counts one per structure). */
unsigned long gn_calc_calls(const gn_calc *c);
const gn_potential *gn_calc_potential(const gn_calc *c);

#ifdef __cplusplus
}
#endif
#endif
