/* gapneb: file helpers. Results are written whole or not at all: to a temporary name in the same
 * folder, then renamed over the target.
 * Units: sizes in bytes.
 * Thread safety: no shared state; temporary names are unique per call (mkstemp). */
#ifndef GAPNEB_FILEIO_H
#define GAPNEB_FILEIO_H

#include <stdio.h>
#include <stddef.h>
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads a whole file into a NUL-terminated buffer (caller frees). Limit: 1 GiB. */
int gn_file_read_all(const char *path, char **buf, size_t *len, gn_error *err);

/* Writes path atomically: calls write(fp, ctx, err) on a temporary file in the same folder, then
 * flushes, closes and renames it to path. On any failure the temporary is removed and path is
 * untouched. */
typedef int (*gn_writer_fn)(FILE *fp, void *ctx, gn_error *err);
int gn_file_write_atomic(const char *path, gn_writer_fn write, void *ctx, gn_error *err);

/* Writes a string atomically. */
int gn_file_write_string(const char *path, const char *text, gn_error *err);

/* mkdir -p. */
int gn_mkdir_p(const char *path, gn_error *err);

/* An exclusive lock on a folder for one process at a time: DIR/.gapneb.lock, locked with flock()
 * (so a killed process leaves no stale lock) and holding the owner's pid. *fd receives the open
 * lock file; GN_EIO naming the folder (and the owner's pid when it can be read) when another
 * process holds the lock or the folder is not writable. */
int gn_dir_lock(const char *dir, int *fd, gn_error *err);
void gn_dir_unlock(int fd);

/* dir + "/" + name into out (cap bytes). A path that does not fit is an error (GN_EINVAL naming
 * it), never a silently shortened path. */
int gn_path_join(char *out, size_t cap, const char *dir, const char *name, gn_error *err);

/* Extension of path as written, without the dot ("xyz"), "" if none; a pointer into path. */
const char *gn_path_ext(const char *path);

#ifdef __cplusplus
}
#endif
#endif
