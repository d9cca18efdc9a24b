/* gapneb: error codes and messages (see include/gapneb/error.h). */
#include "gapneb/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void gn_error_clear(gn_error *e)
{
    if (!e)
        return;
    e->code = GN_OK;
    e->msg[0] = '\0';
}

int gn_error_set(gn_error *e, int code, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

int gn_error_prefix(gn_error *e, const char *fmt, ...)
{
    if (!e)
        return GN_OK;
    char head[GN_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    char old[GN_ERROR_MSG_MAX];
    memcpy(old, e->msg, sizeof old);
    /* Truncation of an over-long message is acceptable: keep as much of both as fits. */
    size_t hl = strlen(head);
    if (hl >= sizeof e->msg)
        hl = sizeof e->msg - 1;
    memcpy(e->msg, head, hl);
    size_t room = sizeof e->msg - 1 - hl, ol = strlen(old);
    if (ol > room)
        ol = room;
    memcpy(e->msg + hl, old, ol);
    e->msg[hl + ol] = '\0';
    return e->code;
}

const char *gn_status_name(int code)
{
    switch (code) {
    case GN_OK: return "success";
    case GN_EINVAL: return "invalid input";
    case GN_EIO: return "I/O error";
    case GN_ENOMEM: return "out of memory";
    case GN_ENOCONV: return "not converged";
    case GN_EPARSE: return "parse error";
    case GN_ERANGE: return "value out of range";
    case GN_ECOLLAPSE: return "endpoints collapsed";
    case GN_ENOTIMPL: return "not implemented";
    case GN_EEXTERNAL: return "external program failed";
    case GN_ECANCEL: return "cancelled";
    default: return "unknown error";
    }
}
