/* gapneb: writing and reading JSON files (see json_internal.h). */
#include "json_internal.h"

#include <math.h>
#include <stdio.h>

#include "gapneb/fileio.h"

#define GN_JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(17))

json_t *gn_json_num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static int dump(FILE *fp, void *ctx, gn_error *err)
{
    if (json_dumpf(ctx, fp, GN_JSON_FLAGS) != 0 || fputc('\n', fp) == EOF)
        return gn_error_set(err, GN_EIO, "writing JSON failed");
    return GN_OK;
}

int gn_json_write_file(const char *path, const json_t *root, gn_error *err)
{
    return gn_file_write_atomic(path, dump, (void *)root, err);
}

int gn_json_read_file(const char *path, json_t **root, gn_error *err)
{
    json_error_t je;
    *root = json_load_file(path, 0, &je);
    if (!*root) {
        if (je.line < 1) /* not a parse error: the file could not be read */
            return gn_error_set(err, GN_EIO, "%s", je.text);
        return gn_error_set(err, GN_EPARSE, "%s:%d: %s", path, je.line, je.text);
    }
    if (!json_is_object(*root)) {
        json_decref(*root);
        *root = NULL;
        return gn_error_set(err, GN_EPARSE, "%s: not a JSON object", path);
    }
    return GN_OK;
}
