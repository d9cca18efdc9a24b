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

/* Length of the valid UTF-8 character at p (at most n bytes), 0 if it is not one; C1 control
 * characters (U+0080..U+009F) count as invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t len = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
    if (len == 0 || len > n || (p[0] == 0xc2 && p[1] < 0xa0))
        return 0;
    for (size_t k = 1; k < len; k++)
        if ((p[k] & 0xc0) != 0x80)
            return 0;
    return len;
}

/* Messages quote pieces of input files; a binary file must not send control bytes (escape
 * sequences, carriage returns) to the user's terminal, so they are written as \xNN. */
static void escape_controls(char *msg, size_t size)
{
    char out[GN_ERROR_MSG_MAX];
    size_t o = 0, n = strlen(msg);
    for (size_t i = 0; i < n && o + 1 < sizeof out;) {
        const unsigned char *p = (const unsigned char *)msg + i;
        size_t len = *p >= 0x20 && *p < 0x7f ? 1 : utf8_len(p, n - i);
        if (len) {
            if (o + len >= sizeof out)
                break;
            memcpy(out + o, p, len);
            o += len;
            i += len;
        } else {
            if (o + 4 >= sizeof out)
                break;
            snprintf(out + o, 5, "\\x%02x", *p);
            o += 4;
            i++;
        }
    }
    out[o] = '\0';
    snprintf(msg, size, "%s", out);
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
    escape_controls(e->msg, sizeof e->msg);
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
    escape_controls(e->msg, sizeof e->msg);
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
