/* gapneb: read and write a structure in whichever format its file name (or content) says.
 * Lengths in Å.
 *
 * Names ending in .xyz or .extxyz are extended XYZ; names containing POSCAR or CONTCAR or ending
 * in .vasp or .poscar are VASP POSCAR; names ending in .data are LAMMPS data files, written only
 * (io_lammps.h, default engine vacuum) (case-insensitive). Reading a file with any other name
 * sniffs the content: a first non-blank line holding one integer means XYZ, anything else POSCAR.
 * Reading a multi-frame XYZ file gives its last frame (ASE's convention for "the structure").
 * Thread safety: no shared state.
 */
#ifndef GAPNEB_STRUCTURE_H
#define GAPNEB_STRUCTURE_H

#include "gapneb/atoms.h"
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gn_structure_format {
    GN_FORMAT_UNKNOWN = 0,
    GN_FORMAT_XYZ = 1,
    GN_FORMAT_POSCAR = 2,
    GN_FORMAT_LAMMPS_DATA = 3
} gn_structure_format;

/* The format a file name implies, GN_FORMAT_UNKNOWN if the name does not say. */
gn_structure_format gn_structure_format_from_name(const char *path);

/* The format len bytes of text look like (XYZ or POSCAR, never GN_FORMAT_UNKNOWN). */
gn_structure_format gn_structure_format_sniff(const char *text, size_t len);

/* Reads one structure (the last frame of a multi-frame XYZ file). */
int gn_structure_read(const char *path, gn_atoms **out, gn_error *err);

/* Writes one structure, whole or not at all; GN_EINVAL if the name does not say the format. */
int gn_structure_write(const char *path, const gn_atoms *a, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
