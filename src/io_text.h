/* gapneb (private): text helpers shared by the structure-file parsers. Not installed. */
#ifndef GAPNEB_IO_TEXT_H
#define GAPNEB_IO_TEXT_H

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gapneb/error.h"

typedef struct line {
    const char *p;
    size_t len; /* without the newline and a trailing CR */
} line;

typedef struct lines {
    line *v;
    size_t n;
} lines;

/* Cuts the text into lines up front so that a count line can be checked against the lines that
 * really follow before anything is allocated for it. */
static inline int split_lines(const char *text, size_t len, const char *name, lines *out, gn_error *err)
{
    out->v = NULL;
    out->n = 0;
    size_t cap = 0;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (out->n == cap) {
            cap = cap ? 2 * cap : 64;
            line *v = realloc(out->v, cap * sizeof *v);
            if (!v) {
                free(out->v);
                out->v = NULL;
                return gn_error_set(err, GN_ENOMEM, "%s: out of memory", name);
            }
            out->v = v;
        }
        size_t l = end - i;
        if (l > 0 && text[i + l - 1] == '\r')
            l--;
        if (memchr(text + i, '\0', l)) {
            free(out->v);
            out->v = NULL;
            return gn_error_set(err, GN_EPARSE, "%s:%zu: contains a NUL byte (not a text file?)",
                                name, out->n + 1);
        }
        out->v[out->n].p = text + i;
        out->v[out->n].len = l;
        out->n++;
        i = end + 1;
    }
    return GN_OK;
}

static inline int is_blank(line l)
{
    for (size_t i = 0; i < l.len; i++)
        if (!isspace((unsigned char)l.p[i]))
            return 0;
    return 1;
}

static inline char *line_dup(line l)
{
    char *s = malloc(l.len + 1);
    if (s) {
        memcpy(s, l.p, l.len);
        s[l.len] = '\0';
    }
    return s;
}

/* Splits s in place at whitespace (and commas if commas is set); returns the token count, at most
 * max tokens stored (the count returned can exceed max). */
static inline size_t tokenize(char *s, int commas, char **tok, size_t max)
{
    size_t n = 0;
    char *p = s;
    for (;;) {
        while (*p && (isspace((unsigned char)*p) || (commas && *p == ',')))
            p++;
        if (!*p)
            break;
        if (n < max)
            tok[n] = p;
        n++;
        while (*p && !isspace((unsigned char)*p) && !(commas && *p == ','))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

static inline int parse_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(x))
        return 0;
    *v = x;
    return 1;
}

static inline int parse_long(const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || x < lo || x > hi)
        return 0;
    *v = x;
    return 1;
}

static inline int parse_bool(const char *s, int *v)
{
    static const char *const yes[] = {"T", "True", "true", "TRUE", "1"};
    static const char *const no[] = {"F", "False", "false", "FALSE", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *v = 1;
            return 1;
        }
        if (strcmp(s, no[i]) == 0) {
            *v = 0;
            return 1;
        }
    }
    return 0;
}

/* Two atoms closer than min_dist Å (minimum image): the message points at the lines of both
 * atoms (atom i, 0-based, is on line first_line + i), not at a header line. */
#include "gapneb/atoms.h"
static inline int close_atoms_check(const gn_atoms *a, const char *name, size_t first_line,
                                    double min_dist, gn_error *err)
{
    size_t i, j;
    double r;
    if (!gn_atoms_close_pair(a, min_dist, &i, &j, &r))
        return GN_OK;
    return gn_error_set(err, GN_EINVAL,
                        "%s:%zu: atom %zu is %.3f Å from atom %zu (line %zu): closer than %.2f Å "
                        "(a duplicated line?)",
                        name, first_line + j, j + 1, r, i + 1, first_line + i, min_dist);
}

#endif
