/* gapneb: whole-string number and yes/no parsing (see numparse.h). */
#include "gapneb/numparse.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>

/* Skips blanks; returns 1 when nothing else is left. */
static int only_blanks(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return *p == '\0';
}

static const char *skip_blanks(const char *s)
{
    while (s && isspace((unsigned char)*s))
        s++;
    return s;
}

int gn_parse_double(const char *s, const char *what, double *out, gn_error *err)
{
    const char *p = skip_blanks(s);
    if (p && *p) {
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end != p && only_blanks(end) && !errno && isfinite(v)) {
            *out = v;
            return GN_OK;
        }
    }
    return gn_error_set(err, GN_EINVAL, "%s: '%s' is not a number", what, s ? s : "");
}

int gn_parse_int(const char *s, const char *what, int *out, gn_error *err)
{
    const char *p = skip_blanks(s);
    if (p && *p) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end != p && only_blanks(end) && !errno && v >= INT_MIN && v <= INT_MAX) {
            *out = (int)v;
            return GN_OK;
        }
    }
    return gn_error_set(err, GN_EINVAL, "%s: '%s' is not an integer", what, s ? s : "");
}

int gn_parse_bool(const char *s, const char *what, int *out, gn_error *err)
{
    static const char *const words[][2] = {{"yes", "no"}, {"true", "false"}, {"on", "off"},
                                           {"1", "0"}};
    const char *p = skip_blanks(s);
    for (size_t i = 0; p && i < sizeof words / sizeof words[0]; i++)
        for (int v = 0; v < 2; v++)
            if (strcasecmp(p, words[i][v]) == 0) {
                *out = !v;
                return GN_OK;
            }
    return gn_error_set(err, GN_EINVAL, "%s: '%s' is not yes or no", what, s ? s : "");
}
