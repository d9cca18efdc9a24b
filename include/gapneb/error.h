/* gapneb: error codes and messages.
 *
 * Every library function that can fail returns an int status (GN_OK on success) and, on failure,
 * writes a human-readable message into a caller-supplied gn_error. The message names the file,
 * line and problem where there is one. There is no global error state: the library is reentrant.
 * Units: none (messages quote values with their units).
 * Thread safety: the gn_error is the caller's; nothing is global.
 */
#ifndef GAPNEB_ERROR_H
#define GAPNEB_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum gn_status {
    GN_OK = 0,
    GN_EINVAL = 1,    /* bad argument or bad input data */
    GN_EIO = 2,       /* a file could not be read or written */
    GN_ENOMEM = 3,    /* allocation failed */
    GN_ENOCONV = 4,   /* an iterative method did not converge within its cap */
    GN_EPARSE = 5,    /* a file is malformed (message names file and line) */
    GN_ERANGE = 6,    /* a number is out of its valid range (NaN, inf, negative spacing...) */
    GN_ECOLLAPSE = 7, /* NEB endpoints relaxed into the same minimum */
    GN_ENOTIMPL = 8,  /* feature not available in this build */
    GN_EEXTERNAL = 9, /* an external program failed */
    GN_ECANCEL = 10   /* stopped on request (a signal, a cancel hook): nothing is wrong */
};

#define GN_ERROR_MSG_MAX 1024

typedef struct gn_error {
    int code;
    char msg[GN_ERROR_MSG_MAX];
} gn_error;

/* Resets e to GN_OK with an empty message. e may be NULL. */
void gn_error_clear(gn_error *e);

/* Records code and a printf-style message in e (which may be NULL) and returns code, so that a
 * caller can write `return gn_error_set(err, GN_EINVAL, "...")`. */
int gn_error_set(gn_error *e, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prepends context ("while reading X: ") to the message already in e; returns e->code. */
int gn_error_prefix(gn_error *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A short name for a status code ("invalid input", "I/O error", ...). */
const char *gn_status_name(int code);

#ifdef __cplusplus
}
#endif
#endif
