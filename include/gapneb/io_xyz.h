/* gapneb: extended XYZ structure files (the ASE / OVITO convention). Lengths in Å, energy in eV,
 * forces in eV/Å.
 *
 * Each frame is a count line, a comment line of key=value pairs and one line per atom. The keys
 * read are Lattice="ax ay az bx by bz cx cy cz" (cell vectors as rows), pbc="T T F", energy=E and
 * Properties=name:type:count:... (types S, R, I, L). Columns read: species:S:1 (or Z:I:1),
 * pos:R:3, forces:R:3, and the fixed-atom columns move_mask:L:1 or :L:3 (ASE; T = may move) and
 * fixed:L:1 or fixed:I:1 (1/T = fixed). Other keys and columns are skipped. A frame without Lattice
 * is a free cluster. Written: move_mask:L:1, which ASE reads back as FixAtoms. doc/formats.md has
 * the details.
 * Thread safety: no shared state.
 */
#ifndef GAPNEB_IO_XYZ_H
#define GAPNEB_IO_XYZ_H

#include <stdio.h>
#include <stddef.h>
#include "gapneb/atoms.h"
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads every frame of an extended XYZ file. On success *frames (free with gn_frames_free) holds
 * *nframes >= 1 frames; on failure both are zeroed and err names file, line and problem. */
int gn_xyz_read(const char *path, gn_frame **frames, size_t *nframes, gn_error *err);

/* As gn_xyz_read, from len bytes of memory (need not be NUL-terminated); name is used in the
 * messages in place of a file name. */
int gn_xyz_parse(const char *text, size_t len, const char *name, gn_frame **frames,
                 size_t *nframes, gn_error *err);

/* Writes nframes frames to path, whole or not at all. */
int gn_xyz_write(const char *path, const gn_frame *frames, size_t nframes, gn_error *err);

/* Writes nframes frames to an open stream. */
int gn_xyz_fwrite(FILE *fp, const gn_frame *frames, size_t nframes, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
