/* gapneb: VASP POSCAR / CONTCAR structure files (VASP 5 format, with the species line). Lengths in
 * Å.
 *
 * Read: comment, scale (one positive factor, three positive factors, or a negative number meaning
 * the cell volume in Å^3), three cell vectors, species, counts, optional "Selective dynamics",
 * Direct or Cartesian coordinates. Anything after the coordinates (velocities) is ignored. A
 * POSCAR is always periodic in all three directions. An atom is fixed when any of its three
 * selective-dynamics flags is F (never move an atom along a direction the file forbids).
 * Written: Cartesian coordinates, species in blocks of consecutive atoms (atom order kept),
 * "Selective dynamics" with F F F / T T T when any atom is fixed. A zero cell vector along a free
 * direction is written as a vector normal to the other two, as long as the atoms' extent along it
 * plus GN_POSCAR_VACUUM Å.
 * Thread safety: no shared state.
 */
#ifndef GAPNEB_IO_POSCAR_H
#define GAPNEB_IO_POSCAR_H

#include <stdio.h>
#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Vacuum (Å) added when a zero cell vector of a non-periodic direction must be made up. */
#define GN_POSCAR_VACUUM 15.0

/* Reads one structure. On failure *out is NULL and err names file, line and problem. */
int gn_poscar_read(const char *path, gn_atoms **out, gn_error *err);

/* As gn_poscar_read, from len bytes of memory (need not be NUL-terminated); name is used in the
 * messages in place of a file name. */
int gn_poscar_parse(const char *text, size_t len, const char *name, gn_atoms **out,
                    gn_error *err);

/* Writes a structure to path, whole or not at all. comment may be NULL (the formula is used). */
int gn_poscar_write(const char *path, const gn_atoms *a, const char *comment, gn_error *err);

/* Writes a structure to an open stream. */
int gn_poscar_fwrite(FILE *fp, const gn_atoms *a, const char *comment, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
