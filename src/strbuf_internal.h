/* gapneb: a growing text buffer, for text composed in pieces and written whole (run logs, figure
 * scripts and data), truncating formatting for display text, and small text helpers (trimmed
 * list items, numbers in tables). Not installed. */
#ifndef GAPNEB_STRBUF_INTERNAL_H
#define GAPNEB_STRBUF_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define GN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GN_PRINTF(f, a)
/* Copies s[0, len) with leading and trailing blanks removed into buf (cap bytes, NUL-terminated);
 * 0 when it does not fit (buf is then unspecified), 1 otherwise. For comma-list items. */
int gn_text_trim(const char *s, size_t len, char *buf, size_t cap);

/* The next line of a text cut up in place: the newline (and a CR before it) become NULs and
 * *cursor moves past them; NULL once the text is used up (a text ending in a newline gives a
 * last, empty line). Start with *cursor at the text. */
char *gn_text_next_line(char **cursor);

#endif

typedef struct gn_strbuf {
    char *s;    /* NUL-terminated text, NULL while empty */
    size_t n;   /* length */
    size_t cap;
    int oom;    /* an allocation failed: later appends do nothing */
} gn_strbuf;

/* Appends printf-style text. Failing to grow sets oom instead of failing the caller: a caller
 * that must not lose text checks oom before using the buffer. */
void gn_strbuf_printf(gn_strbuf *b, const char *fmt, ...) GN_PRINTF(2, 3);

/* The text ("" while empty). */
const char *gn_strbuf_text(const gn_strbuf *b);

/* Frees the text; b is then empty. */
void gn_strbuf_clear(gn_strbuf *b);

/* snprintf for display text (titles, table cells, notes) that may be cut short to fit: the cut
 * is deliberate and silent. Paths are never built with it (gn_path_join reports the cut). */
void gn_fmt_trunc(char *buf, size_t cap, const char *fmt, ...) GN_PRINTF(3, 4);

/* Copies s[0, len) with leading and trailing blanks removed into buf (cap bytes, NUL-terminated);
 * 0 when it does not fit (buf is then unspecified), 1 otherwise. For comma-list items. */
int gn_text_trim(const char *s, size_t len, char *buf, size_t cap);

/* The next line of a text cut up in place: the newline (and a CR before it) become NULs and
 * *cursor moves past them; NULL once the text is used up (a text ending in a newline gives a
 * last, empty line). Start with *cursor at the text. */
char *gn_text_next_line(char **cursor);

#endif
