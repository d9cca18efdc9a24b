/* gapneb: potential specs, NAME[:KEY=VALUE{,KEY=VALUE}]: parsing, lists of specs and canonical
 * specs. What the keys mean belongs to the potentials (pot_pair_spec.c for the pair potentials);
 * this file knows only the grammar. Units: those of each potential (Å, eV). */
#include "potential_spec_internal.h"
#include "pot_pair_internal.h"
#include "strbuf_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gn_spec_copy_trimmed(const char *s, size_t len, char *buf, size_t cap)
{
    return gn_text_trim(s, len, buf, cap) ? 0 : -1;
}

size_t gn_spec_name_len(const char *text)
{
    const char *colon = strchr(text, ':');
    return colon ? (size_t)(colon - text) : strlen(text);
}

static int parse_param(gn_spec *out, const char *p, size_t len, gn_error *err)
{
    const char *eq = memchr(p, '=', len);
    if (!eq)
        return gn_error_set(err, GN_EINVAL, "potential spec '%s': parameter '%.*s' is not "
                            "KEY=VALUE", out->text, (int)len, p);
    int k = out->nkeys;
    if (k == GN_SPEC_MAX_KEYS)
        return gn_error_set(err, GN_EINVAL, "potential spec '%s': more than %d parameters",
                            out->text, GN_SPEC_MAX_KEYS);
    if (gn_spec_copy_trimmed(p, (size_t)(eq - p), out->key[k], sizeof out->key[k]) ||
        gn_spec_copy_trimmed(eq + 1, len - (size_t)(eq - p) - 1, out->value[k], sizeof out->value[k]))
        return gn_error_set(err, GN_EINVAL, "potential spec '%s': parameter '%.*s' is too long",
                            out->text, (int)len, p);
    if (!out->key[k][0] || !out->value[k][0])
        return gn_error_set(err, GN_EINVAL, "potential spec '%s': parameter '%.*s' needs a key "
                            "and a value", out->text, (int)len, p);
    for (int i = 0; i < k; i++)
        if (!strcmp(out->key[i], out->key[k]))
            return gn_error_set(err, GN_EINVAL, "potential spec '%s': key '%s' is given twice",
                                out->text, out->key[k]);
    out->nkeys++;
    return GN_OK;
}

int gn_spec_parse(const char *text, gn_spec *out, gn_error *err)
{
    memset(out, 0, sizeof *out);
    if (gn_spec_copy_trimmed(text, strlen(text), out->text, sizeof out->text))
        return gn_error_set(err, GN_EINVAL, "potential spec '%.40s...' is longer than %zu "
                            "characters", text, sizeof out->text - 1);
    size_t nl = gn_spec_name_len(out->text);
    if (gn_spec_copy_trimmed(out->text, nl, out->name, sizeof out->name) || !out->name[0])
        return gn_error_set(err, GN_EINVAL, "potential spec '%s': bad potential name",
                            out->text);
    if (!out->text[nl])
        return GN_OK;
    const char *p = out->text + nl + 1;
    if (!*p)
        return gn_error_set(err, GN_EINVAL, "potential spec '%s': no parameters after ':'",
                            out->text);
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        int rc = parse_param(out, p, len, err);
        if (rc)
            return rc;
        if (!comma)
            return GN_OK;
        p = comma + 1;
    }
}

static int key_index(const char *const *keys, const char *k)
{
    for (int i = 0; keys[i]; i++)
        if (!strcmp(keys[i], k))
            return i;
    return -1;
}

int gn_spec_numbers(const gn_spec *s, const char *const *keys, double *val, gn_error *err)
{
    for (int i = 0; keys[i]; i++)
        val[i] = NAN;
    for (int k = 0; k < s->nkeys; k++) {
        int i = key_index(keys, s->key[k]);
        if (i < 0) {
            char list[256] = "";
            for (int j = 0; keys[j]; j++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", j ? ", " : "",
                         keys[j]);
            return gn_error_set(err, GN_EINVAL, "potential spec '%s': unknown key '%s' for %s "
                                "(keys: %s)", s->text, s->key[k], s->name, list);
        }
        char *end;
        errno = 0;
        double v = strtod(s->value[k], &end);
        if (end == s->value[k] || *end || errno == ERANGE || !isfinite(v))
            return gn_error_set(err, GN_EINVAL, "potential spec '%s': %s = '%s' is not a finite "
                                "number", s->text, s->key[k], s->value[k]);
        val[i] = v;
    }
    return GN_OK;
}

void gn_spec_format_number(double x, char *buf, size_t cap)
{
    char g[48] = "", f[48];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(g, sizeof g, "%.*g", prec, x);
        if (strtod(g, NULL) == x)
            break;
    }
    /* "1000", not "1e+03": plain decimals where they are exact and short */
    if (strchr(g, 'e') && fabs(x) >= 1e-4 && fabs(x) < 1e15)
        for (int d = 0; d <= 17; d++) {
            snprintf(f, sizeof f, "%.*f", d, x);
            if (strtod(f, NULL) == x) {
                if (strlen(f) < 24)
                    snprintf(g, sizeof g, "%s", f);
                break;
            }
        }
    snprintf(buf, cap, "%s", g);
}

/* A piece of a list "starts like KEY=VALUE": an '=' before any ':'. */
static int is_param_piece(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] == ':')
            return 0;
        if (p[i] == '=')
            return 1;
    }
    return 0;
}

int gn_potential_spec_split(const char **cursor, char *buf, size_t cap)
{
    const char *start = *cursor, *p = start;
    if (!*p)
        return 0;
    const char *comma = strchr(p, ',');
    /* the first piece always starts a spec; the next ones continue it while they are KEY=VALUE
     * and the spec has parameters */
    int params = memchr(p, ':', comma ? (size_t)(comma - p) : strlen(p)) != NULL;
    while (comma && params) {
        const char *q = comma + 1, *next = strchr(q, ',');
        if (!is_param_piece(q, next ? (size_t)(next - q) : strlen(q)))
            break;
        comma = next;
    }
    size_t len = comma ? (size_t)(comma - start) : strlen(start);
    *cursor = comma ? comma + 1 : start + len;
    return gn_spec_copy_trimmed(start, len, buf, cap) ? -1 : 1;
}

const char *gn_potential_spec(const gn_potential *p) { return p->spec[0] ? p->spec : p->name; }
