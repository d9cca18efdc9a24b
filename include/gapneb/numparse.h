/* gapneb: reading numbers and yes/no words from text, one set of rules for the command line, the
 * INI job files and the library's own parsers: the whole string (surrounding blanks allowed) must
 * be the value; numbers must be finite. Messages name the option or key (what) and the text.
 *
 * Units: none.
 * Thread safety: pure functions.
 */
#ifndef GAPNEB_NUMPARSE_H
#define GAPNEB_NUMPARSE_H

#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* GN_OK, or GN_EINVAL with "WHAT: 'TEXT' is not a number" (an integer, yes or no). */
int gn_parse_double(const char *s, const char *what, double *out, gn_error *err);
int gn_parse_int(const char *s, const char *what, int *out, gn_error *err);
/* yes/no, true/false, on/off, 1/0 (any case). */
int gn_parse_bool(const char *s, const char *what, int *out, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
