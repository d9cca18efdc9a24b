/* gapneb: the periodic box an external force engine is given (DFT codes, LAMMPS through i-PI or
 * a data file). Lengths in Å.
 *
 * gapneb models are periodic along some cell vectors and free along the others (zero or
 * non-periodic vectors). Engines want a box periodic in all three directions, so every free
 * direction gets a vector as long as the atoms' extent along it plus `vacuum` (the thickness of
 * empty space between periodic images), and the atoms are centred in it. Free vectors are
 * orthogonal to the periodic ones and to each other: with one periodic vector a, the first free
 * one follows the first Cartesian axis not parallel to a and the second completes a right-handed
 * set; with none, the Cartesian axes.
 *
 * A cell whose three vectors are all non-zero (a model built with `--vacuum`, a POSCAR) already is
 * a box: it is sent as it is, the atoms unshifted, so that a DFT engine can be given one cell for
 * every run on a model.
 *
 * The box is then turned into LAMMPS's restricted triclinic form (a = (ax,0,0),
 * b = (bx,by,0), c = (cx,cy,cz), ax, by, cz > 0), the only one LAMMPS `fix ipi` reads (it takes
 * the box from the diagonal and the xy, xz, yz entries of the i-PI cell): engine coordinates are
 * r' = rot (r + shift), forces go back as F = rot^T F'. For gapneb's models rot is the identity.
 * A left-handed set of periodic vectors is refused (no rotation can make it LAMMPS's form).
 *
 * Thread safety: plain functions on caller-owned data.
 */
#ifndef GAPNEB_ENGINE_BOX_H
#define GAPNEB_ENGINE_BOX_H

#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Vacuum between periodic images along free directions, Å: 6 Å on each side of the model,
 * the usual minimum of plane-wave and real-space DFT slab calculations and more than twice the
 * cutoff of every built-in potential (morse-pt 9.5 Å at most needs > 9.5 Å between images). */
#define GN_ENGINE_VACUUM_DEFAULT 12.0

typedef struct gn_engine_box {
    double box[3][3];   /* rows: the engine's cell vectors, Å, restricted triclinic */
    double rot[3][3];   /* rotation from gapneb's frame to the engine's */
    double shift[3];    /* Å, added to gapneb positions before the rotation */
    double u[3][3];     /* gapneb frame: unit vector of each free direction (zero if periodic) */
    double len[3];      /* length of each box vector, Å */
    int free_dir[3];    /* 1 where the model is free (vacuum-padded) */
    int identity;       /* rot is exactly the identity */
    int given;          /* the cell's own vectors, no padding or shift (see above) */
    double spacing[3];  /* given: distance between the faces of the box along each vector, Å */
    double vacuum;      /* Å */
} gn_engine_box;

/* The box for the n atoms of a (positions pos, 3n numbers, or a->pos when pos is NULL). Fails
 * (GN_EINVAL) for vacuum <= 0, non-finite positions or a left-handed periodic cell. */
int gn_engine_box_init(gn_engine_box *b, const gn_atoms *a, const double *pos, double vacuum,
                       gn_error *err);

/* 1 if every atom (pos, 3n) keeps at least margin Å to both faces of the box along every free
 * direction: a later structure of the same model (a NEB image) may then reuse the box, so that a
 * DFT engine sees the same cell for a whole band. */
int gn_engine_box_fits(const gn_engine_box *b, const double *pos, size_t n, double margin);

/* Engine coordinates (3n, Å) of pos (3n, Å). out may not alias pos. */
void gn_engine_box_positions(const gn_engine_box *b, const double *pos, size_t n, double *out);

/* Forces (3n) from the engine's frame back to gapneb's, in place. */
void gn_engine_box_forces_back(const gn_engine_box *b, double *f, size_t n);

#ifdef __cplusplus
}
#endif
#endif
