/* gapneb: VASP POSCAR / CONTCAR read and write (VASP 5 format). Lengths Å, volume Å^3. See
 * include/gapneb/io_poscar.h and doc/formats.md. */
#include "gapneb/io_poscar.h"
#include "gapneb/element.h"
#include "gapneb/fileio.h"
#include "io_text.h"

#include <limits.h>

/* Minimum distance between atoms accepted in a file (Å): closer pairs are corrupt input. */
#define POSCAR_MIN_DIST 0.5
/* Longest element name kept from a species token such as "Pt_pv" or "Pt/3a1b..." */
#define SYMBOL_MAX 8

typedef struct poscar_ctx {
    const char *name;
    const lines *ls;
    size_t at; /* index of the next line to read */
    char *buf; /* the current line, tokenised */
    char **tok;
    size_t ntok;
    size_t maxtok;
} poscar_ctx;

/* Tokenises the next line into ctx->tok; fails at the end of the file naming what was wanted. */
static int next_line(poscar_ctx *c, const char *want, gn_error *err)
{
    if (c->at >= c->ls->n)
        return gn_error_set(err, GN_EPARSE, "%s:%zu: truncated: expected %s", c->name,
                            c->at + 1, want);
    free(c->buf);
    c->buf = line_dup(c->ls->v[c->at]);
    if (!c->buf)
        return gn_error_set(err, GN_ENOMEM, "%s: out of memory", c->name);
    c->at++;
    c->ntok = tokenize(c->buf, 0, c->tok, c->maxtok);
    if (c->ntok > c->maxtok)
        c->ntok = c->maxtok;
    return GN_OK;
}

static int need_numbers(poscar_ctx *c, size_t k, const char *what, double *v, gn_error *err)
{
    if (c->ntok < k)
        return gn_error_set(err, GN_EPARSE, "%s:%zu: expected %zu numbers for %s, found %zu",
                            c->name, c->at, k, what, c->ntok);
    for (size_t i = 0; i < k; i++)
        if (!parse_double(c->tok[i], &v[i]))
            return gn_error_set(err, GN_EPARSE, "%s:%zu: '%s' in %s is not a finite number",
                                c->name, c->at, c->tok[i], what);
    return GN_OK;
}

static double det3(const double m[3][3])
{
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
           m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

/* Scale line and cell vectors; fills h (scaled, Å) and the factors applied to Cartesian input. */
static int read_cell(poscar_ctx *c, double h[3][3], double scale[3], gn_error *err)
{
    int rc = next_line(c, "a comment line", err);
    if (!rc)
        rc = next_line(c, "the scale factor", err);
    if (rc)
        return rc;
    size_t scale_line = c->at;
    double s[3];
    rc = need_numbers(c, 1, "the scale factor", s, err);
    if (rc)
        return rc;
    int three = c->ntok >= 3 && parse_double(c->tok[1], &s[1]) && parse_double(c->tok[2], &s[2]);
    for (int k = 0; k < 3 && !rc; k++) {
        rc = next_line(c, "three cell vectors", err);
        char what[32];
        snprintf(what, sizeof what, "cell vector %d", k + 1);
        if (!rc)
            rc = need_numbers(c, 3, what, h[k], err);
    }
    if (rc)
        return rc;
    if (three && (s[0] <= 0 || s[1] <= 0 || s[2] <= 0))
        return gn_error_set(err, GN_EPARSE, "%s:%zu: three scale factors must all be positive",
                            c->name, scale_line);
    if (!three && s[0] == 0)
        return gn_error_set(err, GN_EPARSE, "%s:%zu: the scale factor is zero", c->name,
                            scale_line);
    double vol = fabs(det3(h));
    if (!three && s[0] < 0) {
        if (vol < 1e-6)
            return gn_error_set(err, GN_EINVAL, "%s:3: the cell is singular (volume %.3g Å^3)",
                                c->name, vol);
        s[0] = cbrt(-s[0] / vol); /* a negative scale is the wanted volume in Å^3 */
    }
    for (int d = 0; d < 3; d++)
        scale[d] = three ? s[d] : s[0];
    for (int k = 0; k < 3; k++)
        for (int d = 0; d < 3; d++)
            h[k][d] *= scale[d];
    return GN_OK;
}

/* Strips a POTCAR suffix ("Pt_pv", "Pt/abc") and looks the symbol up. */
static int species_z(const char *tok)
{
    char sym[SYMBOL_MAX + 1];
    size_t n = strcspn(tok, "_/");
    if (n == 0 || n > SYMBOL_MAX)
        return -1;
    memcpy(sym, tok, n);
    sym[n] = '\0';
    return gn_element_z(sym);
}

typedef struct species_list {
    int z[64];
    size_t count[64];
    size_t n;
    size_t total;
} species_list;

static int read_species(poscar_ctx *c, species_list *sp, gn_error *err)
{
    int rc = next_line(c, "the species line", err);
    if (rc)
        return rc;
    double dummy;
    if (c->ntok == 0 || parse_double(c->tok[0], &dummy))
        return gn_error_set(err, GN_EPARSE,
                            "%s:%zu: expected the element symbols (VASP 5 format); VASP 4 files "
                            "without a species line are not supported",
                            c->name, c->at);
    if (c->ntok > sizeof sp->z / sizeof *sp->z)
        return gn_error_set(err, GN_EPARSE, "%s:%zu: more than %zu species", c->name, c->at,
                            sizeof sp->z / sizeof *sp->z);
    sp->n = c->ntok;
    for (size_t i = 0; i < sp->n; i++) {
        sp->z[i] = species_z(c->tok[i]);
        if (sp->z[i] < 0)
            return gn_error_set(err, GN_EPARSE, "%s:%zu: unknown element '%s'", c->name, c->at,
                                c->tok[i]);
    }
    size_t species_line = c->at;
    rc = next_line(c, "the atom counts", err);
    if (rc)
        return rc;
    /* One count per species, exactly (ASE refuses a mismatch too): "Pt / 64 65" is not 64 atoms.
     * A '!' starts a comment, as ASE reads it. */
    size_t ncount = 0;
    while (ncount < c->ntok && c->tok[ncount][0] != '!')
        ncount++;
    if (ncount != sp->n)
        return gn_error_set(err, GN_EPARSE,
                            "%s:%zu: expected %zu atom count%s (one per species on line %zu), "
                            "found %zu",
                            c->name, c->at, sp->n, sp->n == 1 ? "" : "s", species_line, ncount);
    sp->total = 0;
    size_t avail = c->ls->n - c->at;
    for (size_t i = 0; i < sp->n; i++) {
        long v;
        if (!parse_long(c->tok[i], 1, LONG_MAX, &v))
            return gn_error_set(err, GN_EPARSE, "%s:%zu: atom count '%s' is not a positive integer",
                                c->name, c->at, c->tok[i]);
        if ((size_t)v > avail || sp->total + (size_t)v > avail)
            return gn_error_set(err, GN_EPARSE,
                                "%s:%zu: truncated: more atoms declared than lines follow",
                                c->name, c->at);
        sp->count[i] = (size_t)v;
        sp->total += (size_t)v;
    }
    return GN_OK;
}

/* "Selective dynamics" (optional) and the coordinate mode; sets *cart and *selective. */
static int read_mode(poscar_ctx *c, int *cart, int *selective, gn_error *err)
{
    int rc = next_line(c, "Direct or Cartesian", err);
    if (rc)
        return rc;
    *selective = c->ntok > 0 && (c->tok[0][0] == 'S' || c->tok[0][0] == 's');
    if (*selective && (rc = next_line(c, "Direct or Cartesian", err)))
        return rc;
    char m = c->ntok > 0 ? c->tok[0][0] : '\0';
    if (m == 'C' || m == 'c' || m == 'K' || m == 'k')
        *cart = 1;
    else if (m == 'D' || m == 'd')
        *cart = 0;
    else
        return gn_error_set(err, GN_EPARSE, "%s:%zu: expected Direct or Cartesian, found '%.40s'",
                            c->name, c->at, c->ntok ? c->tok[0] : "");
    return GN_OK;
}

static int read_atom(poscar_ctx *c, gn_atoms *a, size_t i, int cart, int selective,
                     const double scale[3], gn_error *err)
{
    int rc = next_line(c, "more atom coordinates", err);
    double v[3];
    if (!rc)
        rc = need_numbers(c, 3, "the coordinates", v, err);
    if (rc)
        return rc;
    if (cart) {
        for (int d = 0; d < 3; d++)
            a->pos[3 * i + d] = v[d] * scale[d];
    } else {
        gn_cell_to_cart(&a->cell, v, a->pos + 3 * i);
    }
    if (!selective)
        return GN_OK;
    if (c->ntok < 6)
        return gn_error_set(err, GN_EPARSE,
                            "%s:%zu: expected 3 selective-dynamics flags after the coordinates, "
                            "found %zu", c->name, c->at, c->ntok - 3);
    for (int k = 3; k < 6; k++) {
        int b;
        if (strcmp(c->tok[k], "T") == 0 || strcmp(c->tok[k], "t") == 0)
            b = 1;
        else if (strcmp(c->tok[k], "F") == 0 || strcmp(c->tok[k], "f") == 0)
            b = 0;
        else
            return gn_error_set(err, GN_EPARSE,
                                "%s:%zu: selective-dynamics flag '%s' is not T or F", c->name,
                                c->at, c->tok[k]);
        a->fixed[i] |= !b; /* any direction held: the atom is fixed */
    }
    return GN_OK;
}

static int parse_body(poscar_ctx *c, gn_atoms **out, gn_error *err)
{
    double h[3][3], scale[3];
    species_list sp;
    memset(&sp, 0, sizeof sp);
    int cart = 0, selective = 0;
    int rc = read_cell(c, h, scale, err);
    if (!rc)
        rc = read_species(c, &sp, err);
    if (!rc)
        rc = read_mode(c, &cart, &selective, err);
    if (rc)
        return rc;
    const int pbc[3] = {1, 1, 1};
    gn_atoms *a;
    if ((rc = gn_atoms_alloc(&a, sp.total, err)))
        return rc;
    if ((rc = gn_cell_init(&a->cell, h, pbc, err))) {
        gn_atoms_free(a);
        return gn_error_prefix(err, "%s:3: ", c->name);
    }
    size_t i = 0, first = c->at + 1; /* line of the first atom */
    for (size_t s = 0; s < sp.n && !rc; s++)
        for (size_t k = 0; k < sp.count[s] && !rc; k++, i++) {
            a->z[i] = sp.z[s];
            a->mass[i] = gn_element_mass(sp.z[s]);
            rc = read_atom(c, a, i, cart, selective, scale, err);
        }
    if (!rc)
        rc = gn_atoms_validate(a, c->name, 0.0, err);
    if (!rc)
        rc = close_atoms_check(a, c->name, first, POSCAR_MIN_DIST, err);
    if (rc) {
        gn_atoms_free(a);
        return rc;
    }
    *out = a;
    return GN_OK;
}

int gn_poscar_parse(const char *text, size_t len, const char *name, gn_atoms **out,
                    gn_error *err)
{
    *out = NULL;
    if (!name)
        name = "<memory>";
    lines ls;
    int rc = split_lines(text, len, name, &ls, err);
    if (rc)
        return rc;
    /* One more token than the species a file may list, so that too many can be told. */
    char *tok[65];
    poscar_ctx c = {name, &ls, 0, NULL, tok, 0, 65};
    rc = parse_body(&c, out, err);
    free(c.buf);
    free(ls.v);
    return rc;
}

int gn_poscar_read(const char *path, gn_atoms **out, gn_error *err)
{
    *out = NULL;
    char *buf;
    size_t len;
    int rc = gn_file_read_all(path, &buf, &len, err);
    if (rc)
        return rc;
    rc = gn_poscar_parse(buf, len, path, out, err);
    free(buf);
    return rc;
}

/* ---- writing ---- */

/* The cell written: given vectors as they are; a zero vector (free direction) becomes a vector
 * normal to the others, as long as the atoms' extent along it plus GN_POSCAR_VACUUM, so that
 * periodic images stay apart. */
static int is_zero(const double v[3]) { return v[0] == 0.0 && v[1] == 0.0 && v[2] == 0.0; }

static void written_cell(const gn_atoms *a, double h[3][3])
{
    static const double axes[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    /* A cluster gets a box along x, y and z rather than the cell module's arbitrary completion. */
    int cluster = is_zero(a->cell.h[0]) && is_zero(a->cell.h[1]) && is_zero(a->cell.h[2]);
    for (int k = 0; k < 3; k++) {
        const double *v = a->cell.h[k];
        if (!is_zero(v)) {
            memcpy(h[k], v, sizeof h[k]);
            continue;
        }
        const double *u = cluster ? axes[k] : a->cell.hf[k];
        double nu = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < a->n; i++) {
            const double *r = a->pos + 3 * i;
            double x = (r[0] * u[0] + r[1] * u[1] + r[2] * u[2]) / nu;
            lo = fmin(lo, x);
            hi = fmax(hi, x);
        }
        double len = hi - lo + GN_POSCAR_VACUUM;
        for (int d = 0; d < 3; d++)
            h[k][d] = u[d] / nu * len;
    }
}

static int check_atoms(const gn_atoms *a, gn_error *err)
{
    if (!a || a->n == 0)
        return gn_error_set(err, GN_EINVAL, "no atoms to write");
    for (size_t i = 0; i < a->n; i++) {
        if (!gn_element_symbol(a->z[i]))
            return gn_error_set(err, GN_EINVAL, "atom %zu has unknown species %d", i + 1,
                                a->z[i]);
        for (int d = 0; d < 3; d++)
            if (!isfinite(a->pos[3 * i + d]))
                return gn_error_set(err, GN_EINVAL, "atom %zu has a non-finite coordinate",
                                    i + 1);
    }
    return GN_OK;
}

/* Species as blocks of consecutive atoms, so that the atom order survives (VASP allows a species
 * to appear in several blocks). mode 0 prints symbols, 1 counts, 2 the formula. */
static void write_blocks(FILE *fp, const gn_atoms *a, int mode)
{
    size_t i = 0;
    while (i < a->n) {
        size_t j = i;
        while (j < a->n && a->z[j] == a->z[i])
            j++;
        const char *sym = gn_element_symbol(a->z[i]);
        if (mode == 0)
            fprintf(fp, " %4s", sym);
        else if (mode == 1)
            fprintf(fp, " %4zu", j - i);
        else
            fprintf(fp, "%s%zu", sym, j - i);
        i = j;
    }
}

static void write_comment(FILE *fp, const gn_atoms *a, const char *comment)
{
    if (!comment) {
        write_blocks(fp, a, 2);
        fputs(" written by gapneb\n", fp);
        return;
    }
    for (const char *p = comment; *p; p++)
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, fp);
    fputc('\n', fp);
}

int gn_poscar_fwrite(FILE *fp, const gn_atoms *a, const char *comment, gn_error *err)
{
    int rc = check_atoms(a, err);
    if (rc)
        return rc;
    double h[3][3];
    written_cell(a, h);
    write_comment(fp, a, comment);
    fputs("1.0\n", fp);
    for (int k = 0; k < 3; k++)
        fprintf(fp, " %20.12f %20.12f %20.12f\n", h[k][0], h[k][1], h[k][2]);
    write_blocks(fp, a, 0);
    fputc('\n', fp);
    write_blocks(fp, a, 1);
    fputc('\n', fp);
    int selective = gn_atoms_nmovable(a) < a->n;
    if (selective)
        fputs("Selective dynamics\n", fp);
    fputs("Cartesian\n", fp);
    for (size_t i = 0; i < a->n; i++) {
        const double *r = a->pos + 3 * i;
        fprintf(fp, " %20.12f %20.12f %20.12f", r[0], r[1], r[2]);
        if (selective)
            fputs(a->fixed[i] ? "   F   F   F" : "   T   T   T", fp);
        fputc('\n', fp);
    }
    if (ferror(fp))
        return gn_error_set(err, GN_EIO, "write failed: %s", strerror(errno ? errno : EIO));
    return GN_OK;
}

typedef struct write_ctx {
    const gn_atoms *a;
    const char *comment;
} write_ctx;

static int write_cb(FILE *fp, void *ctx, gn_error *err)
{
    const write_ctx *w = ctx;
    return gn_poscar_fwrite(fp, w->a, w->comment, err);
}

int gn_poscar_write(const char *path, const gn_atoms *a, const char *comment, gn_error *err)
{
    write_ctx w = {a, comment};
    int rc = gn_file_write_atomic(path, write_cb, &w, err);
    if (rc && err && !strstr(err->msg, path))
        gn_error_prefix(err, "%s: ", path);
    return rc;
}
