/* gapneb: the one way the library writes JSON (jansson): non-finite numbers as null, every real
 * with 17 significant digits (a double read back is the double written), two-space indent, keys
 * in insertion order, a final newline, the file written whole or not at all. Not installed. */
#ifndef GAPNEB_JSON_INTERNAL_H
#define GAPNEB_JSON_INTERNAL_H

#include <jansson.h>
#include "gapneb/error.h"

/* A JSON number, or null for NaN and infinities (JSON has neither). */
json_t *gn_json_num(double v);

/* Writes root to path atomically (fileio.h). root is not consumed. */
int gn_json_write_file(const char *path, const json_t *root, gn_error *err);

/* Reads a JSON object from path; messages name the file and line. Caller json_decref()s. */
int gn_json_read_file(const char *path, json_t **root, gn_error *err);

#endif
