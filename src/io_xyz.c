/* gapneb: extended XYZ read and write (ASE / OVITO convention). Lengths Å, energy eV, forces
 * eV/Å. See include/gapneb/io_xyz.h and doc/formats.md. */
#include "gapneb/io_xyz.h"
#include "gapneb/element.h"
#include "gapneb/fileio.h"
#include "io_text.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Minimum distance between atoms accepted in a file (Å): closer pairs are corrupt input. */
#define XYZ_MIN_DIST 0.5
/* Bounds that keep a hostile Properties string from driving huge allocations. */
#define XYZ_MAX_COUNT 1000
#define XYZ_MAX_COLS 4000

/* ---- the comment line: key=value pairs ---- */

typedef struct kv {
    const char *key;
    const char *val; /* NULL for a bare key */
    int unterminated;
} kv;

typedef struct kvlist {
    kv *v;
    size_t n;
    char *buf; /* decoded keys and values */
} kvlist;

static void kvlist_free(kvlist *k)
{
    free(k->v);
    free(k->buf);
    k->v = NULL;
    k->buf = NULL;
    k->n = 0;
}

static int is_open(char c) { return c == '"' || c == '\'' || c == '{' || c == '['; }

static char closer(char c) { return c == '{' ? '}' : c == '[' ? ']' : c; }

/* Copies one word (key or value) from *pp into *qq, decoding quotes, brackets and backslash
 * escapes as ASE does; stops at unquoted whitespace, or at '=' when stop_eq. */
static void read_word(const char **pp, const char *end, char **qq, int stop_eq, int *unterminated)
{
    const char *p = *pp;
    char *q = *qq;
    while (p < end && !isspace((unsigned char)*p) && !(stop_eq && *p == '=')) {
        if (*p == '\\' && p + 1 < end) {
            *q++ = p[1];
            p += 2;
        } else if (!stop_eq && is_open(*p)) {
            char c = closer(*p++);
            while (p < end && *p != c) {
                if (*p == '\\' && p + 1 < end)
                    p++;
                *q++ = *p++;
            }
            if (p < end)
                p++;
            else
                *unterminated = 1;
        } else {
            *q++ = *p++;
        }
    }
    *q++ = '\0';
    *pp = p;
    *qq = q;
}

static int parse_comment(line l, kvlist *out, const char *name, size_t lineno, gn_error *err)
{
    out->v = NULL;
    out->n = 0;
    /* Every key and value decodes to at most its raw length plus a terminator. */
    out->buf = malloc(2 * l.len + 2);
    size_t cap = l.len / 2 + 1;
    out->v = malloc(cap * sizeof *out->v);
    if (!out->buf || !out->v) {
        kvlist_free(out);
        return gn_error_set(err, GN_ENOMEM, "%s:%zu: out of memory", name, lineno);
    }
    const char *p = l.p, *end = l.p + l.len;
    char *q = out->buf;
    for (;;) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end)
            break;
        kv item = {q, NULL, 0};
        read_word(&p, end, &q, 1, &item.unterminated);
        if (p < end && *p == '=') {
            p++;
            item.val = q;
            read_word(&p, end, &q, 0, &item.unterminated);
        }
        if (out->n < cap) /* a pair takes at least two raw characters: cap is never reached */
            out->v[out->n++] = item;
    }
    return GN_OK;
}

/* The last value given for key (case-insensitive), or NULL. */
static const kv *kv_find(const kvlist *k, const char *key)
{
    for (size_t i = k->n; i-- > 0;)
        if (strcasecmp(k->v[i].key, key) == 0)
            return &k->v[i];
    return NULL;
}

/* ---- Properties ---- */

enum role { ROLE_SKIP, ROLE_SPECIES, ROLE_Z, ROLE_POS, ROLE_FORCES, ROLE_MOVE_MASK, ROLE_FIXED };

typedef struct prop {
    const char *name;
    char type;
    int count;
    enum role role;
} prop;

typedef struct props {
    prop *v;
    size_t n;
    size_t ncols;
    int has[ROLE_FIXED + 1];
    char *buf;
} props;

static void props_free(props *p)
{
    free(p->v);
    free(p->buf);
}

typedef struct known_prop {
    const char *name;
    enum role role;
    const char *shapes; /* accepted "T:n" forms, space separated */
} known_prop;

static const known_prop KNOWN[] = {
    {"species", ROLE_SPECIES, "S:1"}, {"Z", ROLE_Z, "I:1"},
    {"pos", ROLE_POS, "R:3"},         {"positions", ROLE_POS, "R:3"},
    {"forces", ROLE_FORCES, "R:3"},   {"force", ROLE_FORCES, "R:3"},
    {"move_mask", ROLE_MOVE_MASK, "L:1 L:3"},
    {"fixed", ROLE_FIXED, "L:1 I:1"},
};

static int shape_ok(const char *shapes, char type, int count)
{
    char want[16];
    snprintf(want, sizeof want, "%c:%d", type, count);
    size_t wl = strlen(want);
    for (const char *s = shapes; (s = strstr(s, want)) != NULL; s += wl)
        if ((s == shapes || s[-1] == ' ') && (s[wl] == '\0' || s[wl] == ' '))
            return 1;
    return 0;
}

static int assign_role(props *pp, prop *p, const char *name, size_t lineno, gn_error *err)
{
    p->role = ROLE_SKIP;
    for (size_t i = 0; i < sizeof KNOWN / sizeof *KNOWN; i++) {
        if (strcmp(p->name, KNOWN[i].name) != 0)
            continue;
        if (!shape_ok(KNOWN[i].shapes, p->type, p->count))
            return gn_error_set(err, GN_EPARSE, "%s:%zu: property '%s' must be %s, found %c:%d",
                                name, lineno, p->name, KNOWN[i].shapes, p->type, p->count);
        p->role = KNOWN[i].role;
        int species_like = p->role == ROLE_SPECIES || p->role == ROLE_Z;
        if (pp->has[p->role] || (species_like && (pp->has[ROLE_SPECIES] || pp->has[ROLE_Z])))
            return gn_error_set(err, GN_EPARSE, "%s:%zu: property '%s' given twice", name,
                                lineno, p->name);
        pp->has[p->role] = 1;
        return GN_OK;
    }
    return GN_OK;
}

static int parse_properties(const char *spec, props *pp, const char *name, size_t lineno,
                            gn_error *err)
{
    memset(pp, 0, sizeof *pp);
    size_t len = strlen(spec);
    pp->buf = malloc(len + 1);
    pp->v = malloc((len / 6 + 1) * sizeof *pp->v);
    if (!pp->buf || !pp->v)
        return gn_error_set(err, GN_ENOMEM, "%s:%zu: out of memory", name, lineno);
    memcpy(pp->buf, spec, len + 1);
    char *field[3];
    char *s = pp->buf;
    for (;;) {
        for (int f = 0; f < 3; f++) {
            field[f] = s;
            char *colon = strchr(s, ':');
            if (!colon && f < 2)
                return gn_error_set(err, GN_EPARSE,
                                    "%s:%zu: Properties must be name:type:count triples, "
                                    "'%s' is incomplete", name, lineno, field[0]);
            if (colon) {
                *colon = '\0';
                s = colon + 1;
            } else {
                s = NULL;
            }
        }
        long count;
        if (!*field[0] || strlen(field[1]) != 1 || !strchr("SRIL", field[1][0]))
            return gn_error_set(err, GN_EPARSE,
                                "%s:%zu: Properties entry '%s:%s' needs a name and a type of S, "
                                "R, I or L", name, lineno, field[0], field[1]);
        if (!parse_long(field[2], 1, XYZ_MAX_COUNT, &count))
            return gn_error_set(err, GN_EPARSE,
                                "%s:%zu: Properties entry '%s' has a bad column count '%s'", name,
                                lineno, field[0], field[2]);
        prop *p = &pp->v[pp->n++];
        p->name = field[0];
        p->type = field[1][0];
        p->count = (int)count;
        pp->ncols += (size_t)count;
        if (pp->ncols > XYZ_MAX_COLS)
            return gn_error_set(err, GN_EPARSE, "%s:%zu: Properties has more than %d columns",
                                name, lineno, XYZ_MAX_COLS);
        int rc = assign_role(pp, p, name, lineno, err);
        if (rc)
            return rc;
        if (!s)
            break;
    }
    if (!pp->has[ROLE_SPECIES] && !pp->has[ROLE_Z])
        return gn_error_set(err, GN_EPARSE, "%s:%zu: Properties has no species:S:1 column", name,
                            lineno);
    if (!pp->has[ROLE_POS])
        return gn_error_set(err, GN_EPARSE, "%s:%zu: Properties has no pos:R:3 column", name,
                            lineno);
    return GN_OK;
}

/* ---- frames ---- */

typedef struct frame_ctx {
    const char *name;
    size_t lineno; /* of the comment line */
    double h[3][3];
    int pbc[3];
    int has_lattice;
    double energy;
    int has_energy;
    props props;
} frame_ctx;

static int parse_lattice(const char *val, frame_ctx *f, gn_error *err)
{
    char *s = malloc(strlen(val) + 1);
    if (!s)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    strcpy(s, val);
    char *tok[9];
    size_t n = tokenize(s, 1, tok, 9);
    int rc = GN_OK;
    if (n != 9)
        rc = gn_error_set(err, GN_EPARSE, "%s:%zu: Lattice needs 9 numbers, found %zu", f->name,
                          f->lineno, n);
    for (size_t i = 0; rc == GN_OK && i < 9; i++)
        if (!parse_double(tok[i], &f->h[i / 3][i % 3]))
            rc = gn_error_set(err, GN_EPARSE, "%s:%zu: Lattice value '%s' is not a finite number",
                              f->name, f->lineno, tok[i]);
    free(s);
    f->has_lattice = 1;
    return rc;
}

static int parse_pbc(const char *val, frame_ctx *f, gn_error *err)
{
    char *s = malloc(strlen(val) + 1);
    if (!s)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    strcpy(s, val);
    char *tok[3];
    size_t n = tokenize(s, 1, tok, 3);
    int rc = GN_OK;
    if (n != 1 && n != 3)
        rc = gn_error_set(err, GN_EPARSE, "%s:%zu: pbc needs 3 flags (T or F), found %zu",
                          f->name, f->lineno, n);
    for (size_t i = 0; rc == GN_OK && i < 3; i++)
        if (!parse_bool(tok[n == 1 ? 0 : i], &f->pbc[i]))
            rc = gn_error_set(err, GN_EPARSE, "%s:%zu: pbc flag '%s' is not T or F", f->name,
                              f->lineno, tok[n == 1 ? 0 : i]);
    free(s);
    return rc;
}

static int check_known(const kv *k, frame_ctx *f, gn_error *err)
{
    if (k && k->unterminated)
        return gn_error_set(err, GN_EPARSE, "%s:%zu: unterminated quote in the value of %s",
                            f->name, f->lineno, k->key);
    if (k && !k->val)
        return gn_error_set(err, GN_EPARSE, "%s:%zu: %s has no value", f->name, f->lineno,
                            k->key);
    return GN_OK;
}

static int read_header(line l, frame_ctx *f, gn_error *err)
{
    kvlist k;
    int rc = parse_comment(l, &k, f->name, f->lineno, err);
    if (rc)
        return rc;
    const kv *lat = kv_find(&k, "Lattice"), *pbc = kv_find(&k, "pbc");
    const kv *en = kv_find(&k, "energy"), *pr = kv_find(&k, "Properties");
    if (!rc && !(rc = check_known(lat, f, err)) && lat)
        rc = parse_lattice(lat->val, f, err);
    f->pbc[0] = f->pbc[1] = f->pbc[2] = f->has_lattice;
    if (!rc && !(rc = check_known(pbc, f, err)) && pbc)
        rc = parse_pbc(pbc->val, f, err);
    if (!rc && !(rc = check_known(en, f, err)) && en) {
        if (!parse_double(en->val, &f->energy))
            rc = gn_error_set(err, GN_EPARSE, "%s:%zu: energy '%s' is not a finite number",
                              f->name, f->lineno, en->val);
        f->has_energy = 1;
    }
    if (!rc && !(rc = check_known(pr, f, err)))
        rc = parse_properties(pr ? pr->val : "species:S:1:pos:R:3", &f->props, f->name,
                              f->lineno, err);
    kvlist_free(&k);
    return rc;
}

/* The message for a line with too few columns names the property that ran short. */
static int short_line(const frame_ctx *f, size_t lineno, size_t ntok, gn_error *err)
{
    size_t col = 0;
    for (size_t i = 0; i < f->props.n; i++) {
        const prop *p = &f->props.v[i];
        if (ntok < col + (size_t)p->count) {
            size_t got = ntok - col;
            if (p->role == ROLE_POS)
                return gn_error_set(err, GN_EPARSE, "%s:%zu: expected 3 coordinates, found %zu",
                                    f->name, lineno, got);
            return gn_error_set(err, GN_EPARSE,
                                "%s:%zu: expected %zu columns, found %zu (property '%s' needs %d "
                                "values, found %zu)",
                                f->name, lineno, f->props.ncols, ntok, p->name, p->count, got);
        }
        col += (size_t)p->count;
    }
    return gn_error_set(err, GN_EPARSE, "%s:%zu: expected %zu columns, found %zu", f->name,
                        lineno, f->props.ncols, ntok);
}

static int bad_value(const frame_ctx *f, size_t lineno, const prop *p, const char *tok,
                     gn_error *err)
{
    static const char *const what[] = {['S'] = "a string", ['R'] = "a finite number",
                                       ['I'] = "an integer", ['L'] = "T or F"};
    return gn_error_set(err, GN_EPARSE, "%s:%zu: '%s' in property '%s' is not %s", f->name,
                        lineno, tok, p->name, what[(unsigned char)p->type]);
}

/* Stores one column value of atom i according to the property's role. */
static int store_value(const frame_ctx *f, size_t lineno, const prop *p, int c, const char *tok,
                       gn_atoms *a, double *forces, size_t i, gn_error *err)
{
    double x = 0;
    long iv = 0;
    int b = 0;
    int ok = p->type == 'S' || (p->type == 'R' && parse_double(tok, &x)) ||
             (p->type == 'I' && parse_long(tok, INT_MIN, INT_MAX, &iv)) ||
             (p->type == 'L' && parse_bool(tok, &b));
    if (!ok)
        return bad_value(f, lineno, p, tok, err);
    switch (p->role) {
    case ROLE_SPECIES:
        iv = gn_element_z(tok);
        if (iv < 0)
            return gn_error_set(err, GN_EPARSE, "%s:%zu: unknown element '%s'", f->name, lineno,
                                tok);
        /* fall through */
    case ROLE_Z:
        if (!gn_element_symbol((int)iv))
            return gn_error_set(err, GN_EPARSE, "%s:%zu: unknown atomic number %ld", f->name,
                                lineno, iv);
        a->z[i] = (int)iv;
        a->mass[i] = gn_element_mass((int)iv);
        break;
    case ROLE_POS: a->pos[3 * i + c] = x; break;
    case ROLE_FORCES: forces[3 * i + c] = x; break;
    case ROLE_MOVE_MASK: a->fixed[i] |= !b; break; /* any direction held: the atom is fixed */
    case ROLE_FIXED: a->fixed[i] |= (p->type == 'L' ? b : iv != 0); break;
    case ROLE_SKIP: break;
    }
    return GN_OK;
}

static int parse_atom_line(const frame_ctx *f, line l, size_t lineno, gn_atoms *a,
                           double *forces, size_t i, char **tok, gn_error *err)
{
    char *s = line_dup(l);
    if (!s)
        return gn_error_set(err, GN_ENOMEM, "%s:%zu: out of memory", f->name, lineno);
    size_t ntok = tokenize(s, 0, tok, f->props.ncols);
    int rc = GN_OK;
    if (ntok != f->props.ncols)
        rc = short_line(f, lineno, ntok, err);
    size_t col = 0;
    for (size_t k = 0; rc == GN_OK && k < f->props.n; k++) {
        const prop *p = &f->props.v[k];
        for (int c = 0; rc == GN_OK && c < p->count; c++)
            rc = store_value(f, lineno, p, c, tok[col++], a, forces, i, err);
    }
    free(s);
    return rc;
}

static int parse_count(line l, const char *name, size_t lineno, size_t avail, size_t *n,
                       gn_error *err)
{
    char *s = line_dup(l);
    if (!s)
        return gn_error_set(err, GN_ENOMEM, "%s: out of memory", name);
    char *tok[2];
    size_t nt = tokenize(s, 0, tok, 2);
    long v = 0;
    int rc = GN_OK;
    if (nt != 1 || !parse_long(tok[0], 0, LONG_MAX, &v))
        rc = gn_error_set(err, GN_EPARSE, "%s:%zu: expected the number of atoms, found '%.40s'",
                          name, lineno, nt ? tok[0] : "");
    else if (v == 0)
        rc = gn_error_set(err, GN_EPARSE, "%s:%zu: a frame with no atoms", name, lineno);
    else if ((size_t)v > avail)
        rc = gn_error_set(err, GN_EPARSE,
                          "%s:%zu: truncated: %ld atoms declared but only %zu lines follow", name,
                          lineno, v, avail);
    free(s);
    *n = (size_t)v;
    return rc;
}

static int finish_frame(frame_ctx *f, gn_atoms *a, gn_error *err)
{
    if (!f->has_lattice && (f->pbc[0] || f->pbc[1] || f->pbc[2]))
        return gn_error_set(err, GN_EPARSE, "%s:%zu: pbc is periodic but there is no Lattice",
                            f->name, f->lineno);
    int rc = gn_cell_init(&a->cell, f->h, f->pbc, err);
    if (rc)
        return gn_error_prefix(err, "%s:%zu: ", f->name, f->lineno);
    char where[512];
    snprintf(where, sizeof where, "%s:%zu", f->name, f->lineno);
    rc = gn_atoms_validate(a, where, 0.0, err);
    /* the atoms follow the comment line */
    return rc ? rc : close_atoms_check(a, f->name, f->lineno + 1, XYZ_MIN_DIST, err);
}

/* Parses the frame whose count line is ls->v[*at]; advances *at past it. */
static int parse_frame(const lines *ls, size_t *at, const char *name, gn_frame *out,
                       gn_error *err)
{
    size_t first = *at, n = 0;
    size_t after = ls->n - first - 1; /* lines after the count line, the comment line first */
    int rc = parse_count(ls->v[first], name, first + 1, after ? after - 1 : 0, &n, err);
    if (rc)
        return rc;
    frame_ctx f;
    memset(&f, 0, sizeof f);
    f.name = name;
    f.lineno = first + 2;
    rc = read_header(ls->v[first + 1], &f, err);
    char **tok = NULL;
    if (!rc)
        rc = gn_atoms_alloc(&out->atoms, n, err);
    if (!rc && f.props.has[ROLE_FORCES] && !(out->forces = calloc(3 * n, sizeof *out->forces)))
        rc = gn_error_set(err, GN_ENOMEM, "%s: out of memory", name);
    if (!rc && !(tok = malloc((f.props.ncols + 1) * sizeof *tok)))
        rc = gn_error_set(err, GN_ENOMEM, "%s: out of memory", name);
    for (size_t i = 0; !rc && i < n; i++)
        rc = parse_atom_line(&f, ls->v[first + 2 + i], first + 3 + i, out->atoms, out->forces,
                             i, tok, err);
    if (!rc)
        rc = finish_frame(&f, out->atoms, err);
    out->energy = f.energy;
    out->has_energy = f.has_energy;
    free(tok);
    props_free(&f.props);
    *at = first + 2 + n;
    return rc;
}

int gn_xyz_parse(const char *text, size_t len, const char *name, gn_frame **frames,
                 size_t *nframes, gn_error *err)
{
    *frames = NULL;
    *nframes = 0;
    if (!name)
        name = "<memory>";
    lines ls;
    int rc = split_lines(text, len, name, &ls, err);
    if (rc)
        return rc;
    gn_frame *fr = NULL;
    size_t nf = 0, cap = 0, at = 0;
    while (!rc) {
        while (at < ls.n && is_blank(ls.v[at]))
            at++;
        if (at >= ls.n)
            break;
        if (nf == cap) {
            cap = cap ? 2 * cap : 4;
            gn_frame *v = realloc(fr, cap * sizeof *v);
            if (!v) {
                rc = gn_error_set(err, GN_ENOMEM, "%s: out of memory", name);
                break;
            }
            fr = v;
        }
        memset(&fr[nf], 0, sizeof fr[nf]);
        nf++;
        rc = parse_frame(&ls, &at, name, &fr[nf - 1], err);
    }
    free(ls.v);
    if (!rc && nf == 0)
        rc = gn_error_set(err, GN_EPARSE, "%s:1: no frames (empty file)", name);
    if (rc) {
        gn_frames_free(fr, nf);
        return rc;
    }
    *frames = fr;
    *nframes = nf;
    return GN_OK;
}

int gn_xyz_read(const char *path, gn_frame **frames, size_t *nframes, gn_error *err)
{
    *frames = NULL;
    *nframes = 0;
    char *buf;
    size_t len;
    int rc = gn_file_read_all(path, &buf, &len, err);
    if (rc)
        return rc;
    rc = gn_xyz_parse(buf, len, path, frames, nframes, err);
    free(buf);
    return rc;
}

/* ---- writing ---- */

static int finite_all(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

static int check_frame(const gn_frame *f, size_t k, gn_error *err)
{
    const gn_atoms *a = f->atoms;
    if (!a)
        return gn_error_set(err, GN_EINVAL, "frame %zu has no atoms", k + 1);
    if (a->n == 0)
        return gn_error_set(err, GN_EINVAL, "frame %zu has no atoms", k + 1);
    if (!finite_all(a->pos, 3 * a->n) || !finite_all(&a->cell.h[0][0], 9) ||
        (f->forces && !finite_all(f->forces, 3 * a->n)) ||
        (f->has_energy && !isfinite(f->energy)))
        return gn_error_set(err, GN_EINVAL, "frame %zu has a non-finite number", k + 1);
    for (size_t i = 0; i < a->n; i++)
        if (!gn_element_symbol(a->z[i]))
            return gn_error_set(err, GN_EINVAL, "frame %zu: atom %zu has unknown species %d",
                                k + 1, i + 1, a->z[i]);
    return GN_OK;
}

static int any_nonzero(const double h[3][3])
{
    for (int k = 0; k < 3; k++)
        for (int d = 0; d < 3; d++)
            if (h[k][d] != 0.0)
                return 1;
    return 0;
}

static void write_header(FILE *fp, const gn_frame *f)
{
    const gn_atoms *a = f->atoms;
    const gn_cell *c = &a->cell;
    int has_fixed = a->n > gn_atoms_nmovable(a);
    fprintf(fp, "%zu\n", a->n);
    if (any_nonzero(c->h) || c->pbc[0] || c->pbc[1] || c->pbc[2]) {
        fputs("Lattice=\"", fp);
        for (int i = 0; i < 9; i++)
            fprintf(fp, "%s%.10f", i ? " " : "", c->h[i / 3][i % 3]);
        fputs("\" ", fp);
    }
    fprintf(fp, "Properties=species:S:1:pos:R:3%s%s", has_fixed ? ":move_mask:L:1" : "",
            f->forces ? ":forces:R:3" : "");
    if (f->has_energy)
        fprintf(fp, " energy=%.10f", f->energy);
    fprintf(fp, " pbc=\"%c %c %c\"\n", c->pbc[0] ? 'T' : 'F', c->pbc[1] ? 'T' : 'F',
            c->pbc[2] ? 'T' : 'F');
}

static void write_atoms(FILE *fp, const gn_frame *f)
{
    const gn_atoms *a = f->atoms;
    int has_fixed = a->n > gn_atoms_nmovable(a);
    for (size_t i = 0; i < a->n; i++) {
        const double *r = a->pos + 3 * i;
        fprintf(fp, "%-2s %18.10f %18.10f %18.10f", gn_element_symbol(a->z[i]), r[0], r[1], r[2]);
        if (has_fixed)
            fprintf(fp, " %c", a->fixed[i] ? 'F' : 'T');
        if (f->forces) {
            const double *g = f->forces + 3 * i;
            fprintf(fp, " %18.10f %18.10f %18.10f", g[0], g[1], g[2]);
        }
        fputc('\n', fp);
    }
}

int gn_xyz_fwrite(FILE *fp, const gn_frame *frames, size_t nframes, gn_error *err)
{
    if (nframes == 0)
        return gn_error_set(err, GN_EINVAL, "no frames to write");
    for (size_t k = 0; k < nframes; k++) {
        int rc = check_frame(&frames[k], k, err);
        if (rc)
            return rc;
    }
    for (size_t k = 0; k < nframes; k++) {
        write_header(fp, &frames[k]);
        write_atoms(fp, &frames[k]);
    }
    if (ferror(fp))
        return gn_error_set(err, GN_EIO, "write failed: %s", strerror(errno ? errno : EIO));
    return GN_OK;
}

typedef struct write_ctx {
    const gn_frame *frames;
    size_t n;
} write_ctx;

static int write_cb(FILE *fp, void *ctx, gn_error *err)
{
    const write_ctx *w = ctx;
    return gn_xyz_fwrite(fp, w->frames, w->n, err);
}

int gn_xyz_write(const char *path, const gn_frame *frames, size_t nframes, gn_error *err)
{
    write_ctx w = {frames, nframes};
    int rc = gn_file_write_atomic(path, write_cb, &w, err);
    if (rc && !strstr(err ? err->msg : "", path))
        gn_error_prefix(err, "%s: ", path);
    return rc;
}
