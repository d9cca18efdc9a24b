/* gapneb: a set of atoms. Positions in Å, masses in amu.
 *
 * gn_atoms owns its arrays. Species are atomic numbers (element.h). fixed[i] = 1 means atom i
 * never moves in relaxations and NEB. A gn_frame adds what a structure file can carry beside the
 * atoms: a total energy (eV) and forces (eV/Å).
 * Thread safety: a gn_atoms is plain data; functions read or write only the atoms passed in.
 */
#ifndef GAPNEB_ATOMS_H
#define GAPNEB_ATOMS_H

#include <stddef.h>
#include "gapneb/cell.h"
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gn_atoms {
    size_t n;              /* number of atoms */
    size_t cap;            /* allocated capacity (internal) */
    double *pos;           /* 3n, Å */
    int *z;                /* n, atomic numbers */
    double *mass;          /* n, amu */
    unsigned char *fixed;  /* n, 1 = fixed */
    gn_cell cell;
} gn_atoms;

typedef struct gn_frame {
    gn_atoms *atoms;
    double energy;      /* eV, valid if has_energy */
    int has_energy;
    double *forces;     /* 3n eV/Å or NULL */
} gn_frame;

/* New set of n atoms: positions zero, z = 0, masses 0, none fixed, free-space cell. */
int gn_atoms_alloc(gn_atoms **out, size_t n, gn_error *err);
void gn_atoms_free(gn_atoms *a);
int gn_atoms_copy(const gn_atoms *src, gn_atoms **out, gn_error *err);

/* Appends one atom (mass from z). */
int gn_atoms_push(gn_atoms *a, int z, const double r[3], int fixed, gn_error *err);

/* Number of atoms that may move. */
size_t gn_atoms_nmovable(const gn_atoms *a);

/* Validates a structure: finite coordinates, known species, periodic cell vectors no longer than
 * GN_ATOMS_CELL_RATIO x (the diagonal of the atoms' bounding box + GN_ATOMS_CELL_PAD), no two atoms
 * closer than min_dist Å (minimum image). name is used in the message (a file name). */
#define GN_ATOMS_CELL_RATIO 100.0
#define GN_ATOMS_CELL_PAD 10.0 /* Å */
int gn_atoms_validate(const gn_atoms *a, const char *name, double min_dist, gn_error *err);

/* The first pair (in index order, i < j, 0-based) of atoms closer than min_dist Å (minimum
 * image): returns 1 and sets *i, *j and their distance, or returns 0. */
int gn_atoms_close_pair(const gn_atoms *a, double min_dist, size_t *i, size_t *j, double *dist);

/* Checks that b can be the other end of a path from a: same count, same species per index, same
 * cell (within 1e-6 Å), the same atoms fixed, and every fixed atom at the same place (minimum
 * image, within GN_ATOMS_FIXED_TOL Å). The message names the first mismatch and its atom. */
#define GN_ATOMS_FIXED_TOL 1e-3
int gn_atoms_compatible(const gn_atoms *a, const gn_atoms *b, gn_error *err);

/* Minimum-image displacement r_j - r_i in Å. */
void gn_atoms_displacement(const gn_atoms *a, size_t i, size_t j, double d[3]);

/* Frames: free the atoms and forces of n frames, then the array. */
void gn_frames_free(gn_frame *f, size_t n);

#ifdef __cplusplus
}
#endif
#endif
