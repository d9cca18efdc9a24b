/* gapneb: a growing text buffer and small text helpers (see strbuf_internal.h). */
#include "strbuf_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gn_strbuf_printf(gn_strbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int need = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (need < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->n + (size_t)need < b->cap) {
            b->n += (size_t)need;
            return;
        }
        size_t nc = (b->cap ? b->cap * 2 : 4096) + (size_t)need;
        char *ns = realloc(b->s, nc);
        if (!ns) {
            b->oom = 1;
            return;
        }
        if (!b->s)
            ns[0] = '\0';
        b->s = ns;
        b->cap = nc;
    }
}

const char *gn_strbuf_text(const gn_strbuf *b) { return b->s ? b->s : ""; }

void gn_strbuf_clear(gn_strbuf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

void gn_fmt_trunc(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
}

int gn_text_trim(const char *s, size_t len, char *buf, size_t cap)
{
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len >= cap)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return 1;
}

char *gn_text_next_line(char **cursor)
{
    char *line = *cursor;
    if (!line)
        return NULL;
    char *nl = strchr(line, '\n');
    *cursor = nl ? nl + 1 : NULL;
    if (nl)
        *nl = '\0';
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[n - 1] = '\0';
    return line;
}
