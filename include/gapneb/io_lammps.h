/* gapneb: LAMMPS data files (written, not read), so that a LAMMPS client of an i-PI engine
 * (ipi.h) can be set up from any gapneb structure. Lengths in Å, masses in amu.
 *
 * atom_style atomic, atom IDs 1..n in gapneb's atom order (fix ipi matches atoms by ID), one
 * atom type per species in order of first appearance (named in the header and in the Masses
 * comments, for pair_coeff), and the engine box of engine_box.h: the free directions padded with
 * vacuum and the atoms centred in them, in LAMMPS's restricted triclinic form (tilt factors
 * written only when the box is not orthogonal). The box is meant to be periodic in all three
 * directions (`boundary p p p`): the vacuum keeps periodic images apart, and fix ipi puts the box
 * it receives at -L/2..L/2 and wraps the atoms into it.
 *
 * Thread safety: plain functions; writing is atomic (fileio.h).
 */
#ifndef GAPNEB_IO_LAMMPS_H
#define GAPNEB_IO_LAMMPS_H

#include <stdio.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes a to path with vacuum Å along free directions (GN_ENGINE_VACUUM_DEFAULT when <= 0),
 * whole or not at all. */
int gn_lammps_data_write(const char *path, const gn_atoms *a, double vacuum, gn_error *err);

/* The same to an open stream. */
int gn_lammps_data_fwrite(FILE *fp, const gn_atoms *a, double vacuum, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
