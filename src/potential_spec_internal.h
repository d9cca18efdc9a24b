/* gapneb: the grammar of potential specs, NAME[:KEY=VALUE{,KEY=VALUE}] (library-internal; the
 * public side is in potential.h). Pure functions, thread-safe. */
#ifndef GAPNEB_POTENTIAL_SPEC_INTERNAL_H
#define GAPNEB_POTENTIAL_SPEC_INTERNAL_H

#include <stddef.h>
#include "gapneb/potential.h"

#define GN_SPEC_MAX_KEYS 8

typedef struct gn_spec {
    char text[256];  /* the whole spec, blanks trimmed */
    char name[64];
    int nkeys;       /* 0: no ':' in the spec */
    char key[GN_SPEC_MAX_KEYS][32];
    char value[GN_SPEC_MAX_KEYS][64];
} gn_spec;

/* Parses a spec with parameters. Refuses (GN_EINVAL, naming the spec and the piece) an empty
 * name, an empty parameter list, a parameter without '=' or with an empty key or value, a key
 * given twice, more than GN_SPEC_MAX_KEYS parameters and texts that do not fit. */
int gn_spec_parse(const char *text, gn_spec *out, gn_error *err);

/* The values of the keys in keys[] (NULL-terminated, at most GN_SPEC_MAX_KEYS) as numbers in
 * val[] (NAN where a key is absent). A key not in keys[] or a value that is not a finite number
 * is refused with a message naming the spec, the key and the valid keys. */
int gn_spec_numbers(const gn_spec *s, const char *const *keys, double *val, gn_error *err);

/* The shortest "%.Ng" text of x that reads back as exactly x. */
void gn_spec_format_number(double x, char *buf, size_t cap);

/* The length of the name part of a spec text (up to the first ':', blanks not trimmed). */
size_t gn_spec_name_len(const char *text);

/* Copies s[0..len) without surrounding blanks into buf; -1 if it does not fit. */
int gn_spec_copy_trimmed(const char *s, size_t len, char *buf, size_t cap);

#endif
