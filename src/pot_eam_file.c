/* gapneb: reading LAMMPS EAM files (lengths Å, energies eV, densities in the file's units).
 *
 * funcfl (*.eam, DYNAMO single element): a comment line; "Z mass a0 lattice"; "nrho drho nr dr
 * cutoff"; then F(rho) (nrho values), Z(r) and rho(r) (nr values each), any number a line.
 * setfl (*.eam.alloy): three comment lines; "nelements el1 el2 ..."; "nrho drho nr dr cutoff"; per
 * element "Z mass a0 lattice", F(rho), rho(r); then r*phi(r) for each pair i >= j.
 *
 * The tables are turned into the numbers LAMMPS (pair_style eam and eam/alloy) computes from the
 * same file, so that both codes agree to rounding:
 *  - funcfl is resampled onto LAMMPS's common grid with its 4-point Lagrange formula: the common
 *    grid has one point fewer than the file (LAMMPS sets n = (int)((n_file - 1) dx / dx + 0.5)),
 *    while F's linear extension still starts at (nrho_file - 1) drho; the pair term is z2r = 27.2 * 0.529 * Z(r)^2 (LAMMPS's rounded
 *    Hartree x Bohr, not the exact 14.39964 eV Å, which differs by about 3 meV/atom).
 *  - every table gets per-interval cubics whose node slopes are the 4th-order finite differences
 *    of LAMMPS's interpolate(); lookups use p = x/dx + 1, m = (int)p clamped to [1, n-1] and the
 *    fraction clamped to 1, so values beyond the tables are held at their last value, except F,
 *    which grows linearly with its end slope beyond rhomax.
 */
#include "pot_eam_impl.h"

#include "gapneb/fileio.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gn_eam_spline(int n, double delta, const double *y, double *spl)
{
    double *s = spl; /* s[7m + k] */
    for (int m = 0; m < n; m++)
        s[7 * m + 6] = y[m];
    s[7 * 0 + 5] = y[1] - y[0];
    s[7 * 1 + 5] = 0.5 * (y[2] - y[0]);
    s[7 * (n - 2) + 5] = 0.5 * (y[n - 1] - y[n - 3]);
    s[7 * (n - 1) + 5] = y[n - 1] - y[n - 2];
    for (int m = 2; m <= n - 3; m++)
        s[7 * m + 5] = ((y[m - 2] - y[m + 2]) + 8.0 * (y[m + 1] - y[m - 1])) / 12.0;
    for (int m = 0; m < n - 1; m++) {
        s[7 * m + 4] = 3.0 * (y[m + 1] - y[m]) - 2.0 * s[7 * m + 5] - s[7 * (m + 1) + 5];
        s[7 * m + 3] = s[7 * m + 5] + s[7 * (m + 1) + 5] - 2.0 * (y[m + 1] - y[m]);
    }
    s[7 * (n - 1) + 4] = 0.0;
    s[7 * (n - 1) + 3] = 0.0;
    for (int m = 0; m < n; m++) {
        s[7 * m + 2] = s[7 * m + 5] / delta;
        s[7 * m + 1] = 2.0 * s[7 * m + 4] / delta;
        s[7 * m + 0] = 3.0 * s[7 * m + 3] / delta;
    }
}

int gn_eam_tab_alloc(gn_eam_tab *t, gn_error *err)
{
    size_t nel = (size_t)t->nel, npair = nel * (nel + 1) / 2;
    t->z = calloc(nel, sizeof *t->z);
    t->lattice = calloc(nel, sizeof *t->lattice);
    t->frho = malloc(7 * nel * (size_t)t->nrho * sizeof *t->frho);
    t->rhor = malloc(7 * nel * (size_t)t->nr * sizeof *t->rhor);
    t->z2r = malloc(7 * npair * (size_t)t->nr * sizeof *t->z2r);
    if (!t->z || !t->lattice || !t->frho || !t->rhor || !t->z2r)
        return gn_error_set(err, GN_ENOMEM, "out of memory for EAM tables");
    t->rdr = 1.0 / t->dr;
    t->rdrho = 1.0 / t->drho;
    return GN_OK;
}

/* ---- a reader that knows its line number ---- */

typedef struct reader {
    const char *path;
    const char *pos, *end;
    int line; /* line of pos, 1-based */
} reader;

/* Copies the rest of the current line (must not be at end of file) into a new string and moves to
 * the next line. */
static int next_line(reader *r, const char *what, char **out, int *lineno, gn_error *err)
{
    if (r->pos >= r->end)
        return gn_error_set(err, GN_EPARSE, "%s:%d: file ends where the %s line was expected",
                            r->path, r->line, what);
    const char *nl = memchr(r->pos, '\n', (size_t)(r->end - r->pos));
    const char *stop = nl ? nl : r->end;
    size_t len = (size_t)(stop - r->pos);
    *out = malloc(len + 1);
    if (!*out)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    memcpy(*out, r->pos, len);
    (*out)[len] = '\0';
    *lineno = r->line;
    r->pos = nl ? nl + 1 : r->end;
    r->line++;
    return GN_OK;
}

/* After a table: the rest of its last line must be blank. */
static int finish_line(reader *r, const char *what, gn_error *err)
{
    while (r->pos < r->end && *r->pos != '\n') {
        if (!isspace((unsigned char)*r->pos))
            return gn_error_set(err, GN_EPARSE,
                                "%s:%d: unexpected value after the %s table (the counts nrho/nr "
                                "do not match the tables)",
                                r->path, r->line, what);
        r->pos++;
    }
    if (r->pos < r->end) {
        r->pos++;
        r->line++;
    }
    return GN_OK;
}

static int read_values(reader *r, int n, double *v, const char *what, gn_error *err)
{
    for (int k = 0; k < n; k++) {
        int last = r->line; /* where the previous value was: the place to point at on EOF */
        while (r->pos < r->end && isspace((unsigned char)*r->pos)) {
            if (*r->pos == '\n')
                r->line++;
            r->pos++;
        }
        if (r->pos >= r->end)
            return gn_error_set(err, GN_EPARSE,
                                "%s:%d: file ends after %d of the %d values of the %s table "
                                "(truncated file?)",
                                r->path, last, k, n, what);
        char tok[64];
        size_t len = 0;
        while (r->pos < r->end && !isspace((unsigned char)*r->pos)) {
            if (len < sizeof tok - 1)
                tok[len++] = *r->pos;
            r->pos++;
        }
        tok[len] = '\0';
        char *endp;
        errno = 0;
        double x = strtod(tok, &endp);
        if (*endp || endp == tok)
            return gn_error_set(err, GN_EPARSE, "%s:%d: '%s' is not a number (value %d of the %s "
                                "table)", r->path, r->line, tok, k + 1, what);
        if (!isfinite(x))
            return gn_error_set(err, GN_ERANGE, "%s:%d: value %d of the %s table is %s", r->path,
                                r->line, k + 1, what, tok);
        v[k] = x;
    }
    return finish_line(r, what, err);
}

/* ---- header lines ---- */

/* "nrho drho nr dr cutoff" */
typedef struct grid_hdr {
    int nrho, nr;
    double drho, dr, cut;
} grid_hdr;

static int parse_grid(const reader *r, const char *s, int line, int min_n, grid_hdr *g,
                      gn_error *err)
{
    char extra[8];
    int got = sscanf(s, "%d %lf %d %lf %lf %7s", &g->nrho, &g->drho, &g->nr, &g->dr, &g->cut,
                     extra);
    if (got != 5)
        return gn_error_set(err, GN_EPARSE,
                            "%s:%d: expected 'nrho drho nr dr cutoff' (5 numbers), got '%.60s'",
                            r->path, line, s);
    if (g->nrho < min_n || g->nr < min_n)
        return gn_error_set(err, GN_EPARSE, "%s:%d: table sizes nrho = %d, nr = %d: need >= %d",
                            r->path, line, g->nrho, g->nr, min_n);
    if (!(g->drho > 0.0) || !(g->dr > 0.0) || !isfinite(g->drho) || !isfinite(g->dr))
        return gn_error_set(err, GN_ERANGE,
                            "%s:%d: table spacings must be positive (drho = %g, dr = %g)", r->path,
                            line, g->drho, g->dr);
    double rmax = (g->nr - 1) * g->dr;
    if (!(g->cut > 0.0) || !isfinite(g->cut))
        return gn_error_set(err, GN_ERANGE, "%s:%d: cutoff must be positive, got %g", r->path,
                            line, g->cut);
    if (g->cut > rmax * (1.0 + 1e-9))
        return gn_error_set(err, GN_ERANGE,
                            "%s:%d: cutoff %g Å is longer than the r tables (%d points x %g Å "
                            "reach %g Å)",
                            r->path, line, g->cut, g->nr, g->dr, rmax);
    return GN_OK;
}

/* The tables announced (count values in all) must fit in the rest of the file, each value taking
 * at least two bytes: a header that claims 1e9 points is a truncated or corrupt file, found before
 * gigabytes are allocated for it. (Small tables are left to the reader, whose message says where
 * the file ends.) */
static int tables_fit(const reader *r, int line, double count, gn_error *err)
{
    double avail = (double)(r->end - r->pos);
    if (count > 1e5 && count * 2.0 > avail + 1.0)
        return gn_error_set(err, GN_EPARSE,
                            "%s:%d: the table sizes announce %.0f values, more than the %.0f bytes "
                            "that follow can hold (truncated file?)",
                            r->path, line, count, avail);
    return GN_OK;
}

/* "Z mass a0 lattice": returns Z and a0 (0 if absent). */
static int parse_element(const reader *r, const char *s, int line, int *z, double *a0,
                         gn_error *err)
{
    double mass;
    *a0 = 0.0;
    int got = sscanf(s, "%d %lf %lf", z, &mass, a0);
    if (got < 2)
        return gn_error_set(err, GN_EPARSE, "%s:%d: expected 'Z mass a0 lattice', got '%.60s'",
                            r->path, line, s);
    if (!(mass > 0.0) || !isfinite(mass))
        return gn_error_set(err, GN_ERANGE, "%s:%d: mass must be positive, got %g", r->path,
                            line, mass);
    return GN_OK;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static gn_eam *eam_new(void)
{
    gn_eam *e = calloc(1, sizeof *e);
    if (e)
        for (int z = 0; z <= GN_Z_MAX; z++)
            e->zmap[z] = -1;
    return e;
}

static void eam_discard(gn_eam *e)
{
    if (!e)
        return;
    gn_eam_tab_release(&e->tab);
    free(e);
}

/* ---- funcfl ---- */

/* LAMMPS's 4-point Lagrange resampling of a file table y (nf points, spacing dy) onto n points of
 * spacing d. */
static void resample(const double *y, int nf, double dy, int n, double d, double *out)
{
    const double sixth = 1.0 / 6.0;
    for (int m = 1; m <= n; m++) {
        double x = (m - 1) * d;
        double p = x / dy + 1.0;
        int k = (int)p;
        if (k > nf - 2)
            k = nf - 2;
        if (k < 2)
            k = 2;
        p -= k;
        if (p > 2.0)
            p = 2.0;
        double c1 = -sixth * p * (p - 1.0) * (p - 2.0);
        double c2 = 0.5 * (p * p - 1.0) * (p - 2.0);
        double c3 = -0.5 * p * (p + 1.0) * (p - 2.0);
        double c4 = sixth * p * (p * p - 1.0);
        out[m - 1] = c1 * y[k - 2] + c2 * y[k - 1] + c3 * y[k] + c4 * y[k + 1];
    }
}

static int funcfl_tables(gn_eam *e, const grid_hdr *g, const double *F, const double *Z,
                         const double *R, gn_error *err)
{
    gn_eam_tab *t = &e->tab;
    double rmax = (g->nr - 1) * g->dr, rhomax = (g->nrho - 1) * g->drho;
    t->nel = 1;
    t->dr = g->dr;
    t->drho = g->drho;
    t->nr = (int)(rmax / g->dr + 0.5);
    t->nrho = (int)(rhomax / g->drho + 0.5);
    t->rhomax = rhomax;
    int rc = gn_eam_tab_alloc(t, err);
    if (rc)
        return rc;
    int nmax = t->nr > t->nrho ? t->nr : t->nrho;
    double *buf = malloc(2 * (size_t)nmax * sizeof *buf);
    if (!buf)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    double *zr = buf + nmax;
    resample(F, g->nrho, g->drho, t->nrho, t->drho, buf);
    gn_eam_spline(t->nrho, t->drho, buf, t->frho);
    resample(R, g->nr, g->dr, t->nr, t->dr, buf);
    gn_eam_spline(t->nr, t->dr, buf, t->rhor);
    resample(Z, g->nr, g->dr, t->nr, t->dr, zr);
    for (int m = 0; m < t->nr; m++)
        buf[m] = 27.2 * 0.529 * zr[m] * zr[m];
    gn_eam_spline(t->nr, t->dr, buf, t->z2r);
    free(buf);
    return GN_OK;
}

static int funcfl_read(reader *r, gn_eam *e, char *comment, size_t comment_len, gn_error *err)
{
    char *l1 = NULL, *l2 = NULL, *l3 = NULL;
    int n1, n2, n3, z;
    double a0;
    grid_hdr g;
    double *F = NULL, *Z = NULL, *R = NULL;
    int rc = next_line(r, "comment", &l1, &n1, err);
    if (!rc)
        rc = next_line(r, "'Z mass a0 lattice'", &l2, &n2, err);
    if (!rc)
        rc = parse_element(r, l2, n2, &z, &a0, err);
    if (!rc && !gn_element_symbol(z))
        rc = gn_error_set(err, GN_ERANGE, "%s:%d: atomic number %d is not an element", r->path,
                          n2, z);
    if (!rc)
        rc = next_line(r, "'nrho drho nr dr cutoff'", &l3, &n3, err);
    /* 6 file points give LAMMPS's common grid the 5 its slopes need. */
    if (!rc)
        rc = parse_grid(r, l3, n3, 6, &g, err);
    if (!rc)
        rc = tables_fit(r, n3, (double)g.nrho + 2.0 * g.nr, err);
    if (!rc) {
        F = malloc(g.nrho * sizeof *F);
        Z = malloc(g.nr * sizeof *Z);
        R = malloc(g.nr * sizeof *R);
        if (!F || !Z || !R)
            rc = gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    if (!rc)
        rc = read_values(r, g.nrho, F, "F(rho)", err);
    if (!rc)
        rc = read_values(r, g.nr, Z, "Z(r)", err);
    if (!rc)
        rc = read_values(r, g.nr, R, "rho(r)", err);
    if (!rc) {
        e->cut = g.cut;
        e->zmap[z] = 0;
        rc = funcfl_tables(e, &g, F, Z, R, err);
    }
    if (!rc) {
        e->tab.z[0] = z;
        e->tab.lattice[0] = a0;
        snprintf(comment, comment_len, "%s", l1);
    }
    free(l1);
    free(l2);
    free(l3);
    free(F);
    free(Z);
    free(R);
    return rc;
}

/* ---- setfl ---- */

static int parse_elements(reader *r, const char *s, int line, gn_eam *e, gn_error *err)
{
    char *copy = strdup(s);
    if (!copy)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    char *save = NULL, *tok = strtok_r(copy, " \t\r", &save), *endp;
    long nel = tok ? strtol(tok, &endp, 10) : 0;
    int rc = GN_OK;
    if (!tok || *endp || nel < 1 || nel > 100)
        rc = gn_error_set(err, GN_EPARSE, "%s:%d: expected 'nelements el1 el2 ...', got '%.60s'",
                          r->path, line, s);
    e->tab.nel = (int)nel;
    int k = 0;
    while (!rc && (tok = strtok_r(NULL, " \t\r", &save))) {
        int z = gn_element_z(tok);
        if (k >= nel)
            rc = gn_error_set(err, GN_EPARSE, "%s:%d: more element names than nelements = %ld",
                              r->path, line, nel);
        else if (z < 0)
            rc = gn_error_set(err, GN_EPARSE, "%s:%d: '%s' is not an element symbol", r->path,
                              line, tok);
        else if (e->zmap[z] >= 0)
            rc = gn_error_set(err, GN_EPARSE, "%s:%d: element %s listed twice", r->path, line,
                              tok);
        else
            e->zmap[z] = k++;
    }
    if (!rc && k != nel)
        rc = gn_error_set(err, GN_EPARSE, "%s:%d: nelements = %ld but %d element names follow",
                          r->path, line, nel, k);
    free(copy);
    return rc;
}

static int setfl_element(reader *r, gn_eam *e, int k, double *buf, gn_error *err)
{
    gn_eam_tab *t = &e->tab;
    char *l = NULL, what[64];
    int line, z;
    int rc = next_line(r, "'Z mass a0 lattice'", &l, &line, err);
    if (!rc)
        rc = parse_element(r, l, line, &z, &t->lattice[k], err);
    free(l);
    if (rc)
        return rc;
    for (int q = 0; q <= GN_Z_MAX; q++)
        if (e->zmap[q] == k)
            t->z[k] = q;
    const char *sym = gn_element_symbol(t->z[k]);
    snprintf(what, sizeof what, "F(rho) of %s", sym);
    rc = read_values(r, t->nrho, buf, what, err);
    if (rc)
        return rc;
    gn_eam_spline(t->nrho, t->drho, buf, t->frho + 7 * (size_t)k * t->nrho);
    snprintf(what, sizeof what, "rho(r) of %s", sym);
    rc = read_values(r, t->nr, buf, what, err);
    if (rc)
        return rc;
    gn_eam_spline(t->nr, t->dr, buf, t->rhor + 7 * (size_t)k * t->nr);
    return GN_OK;
}

static int setfl_pairs(reader *r, gn_eam *e, double *buf, gn_error *err)
{
    gn_eam_tab *t = &e->tab;
    char what[64];
    for (int a = 0, idx = 0; a < t->nel; a++)
        for (int b = 0; b <= a; b++, idx++) {
            snprintf(what, sizeof what, "r*phi(r) of %s-%s", gn_element_symbol(t->z[a]),
                     gn_element_symbol(t->z[b]));
            int rc = read_values(r, t->nr, buf, what, err);
            if (rc)
                return rc;
            gn_eam_spline(t->nr, t->dr, buf, t->z2r + 7 * (size_t)idx * t->nr);
        }
    return GN_OK;
}

static int setfl_read(reader *r, gn_eam *e, char *comment, size_t comment_len, gn_error *err)
{
    char *l[5] = {NULL};
    int n[5], rc = GN_OK;
    grid_hdr g;
    for (int k = 0; k < 3 && !rc; k++)
        rc = next_line(r, "comment", &l[k], &n[k], err);
    if (!rc)
        rc = next_line(r, "'nelements el1 ...'", &l[3], &n[3], err);
    if (!rc)
        rc = parse_elements(r, l[3], n[3], e, err);
    if (!rc)
        rc = next_line(r, "'nrho drho nr dr cutoff'", &l[4], &n[4], err);
    if (!rc)
        rc = parse_grid(r, l[4], n[4], 5, &g, err);
    if (!rc) {
        double nel = e->tab.nel;
        rc = tables_fit(r, n[4], nel * (g.nrho + g.nr) + 0.5 * nel * (nel + 1.0) * g.nr, err);
    }
    if (!rc) {
        e->cut = g.cut;
        e->tab.nrho = g.nrho;
        e->tab.nr = g.nr;
        e->tab.drho = g.drho;
        e->tab.dr = g.dr;
        e->tab.rhomax = (g.nrho - 1) * g.drho;
        rc = gn_eam_tab_alloc(&e->tab, err);
    }
    double *buf = NULL;
    if (!rc) {
        buf = malloc((size_t)(g.nrho > g.nr ? g.nrho : g.nr) * sizeof *buf);
        if (!buf)
            rc = gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    for (int k = 0; !rc && k < e->tab.nel; k++)
        rc = setfl_element(r, e, k, buf, err);
    if (!rc)
        rc = setfl_pairs(r, e, buf, err);
    if (!rc)
        snprintf(comment, comment_len, "%s", l[0]);
    free(buf);
    for (int k = 0; k < 5; k++)
        free(l[k]);
    return rc;
}

/* Anything after the last table is a sign of wrong counts. */
static int check_end(reader *r, gn_error *err)
{
    while (r->pos < r->end) {
        if (!isspace((unsigned char)*r->pos))
            return gn_error_set(err, GN_EPARSE,
                                "%s:%d: unexpected data after the last table (wrong table sizes "
                                "or element count?)",
                                r->path, r->line);
        if (*r->pos == '\n')
            r->line++;
        r->pos++;
    }
    return GN_OK;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

int gn_pot_eam_parse(const char *text, size_t len, const char *path, int setfl,
                     gn_potential **out, gn_error *err)
{
    *out = NULL;
    if (!path)
        path = "<memory>";
    gn_eam *e = eam_new();
    if (!e)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    reader r = {path, text, text + len, 1};
    char comment[200];
    int rc = setfl ? setfl_read(&r, e, comment, sizeof comment, err)
                   : funcfl_read(&r, e, comment, sizeof comment, err);
    if (!rc)
        rc = check_end(&r, err);
    if (rc) {
        eam_discard(e);
        return rc;
    }
    /* Strip the line end and control characters a comment may carry. */
    for (char *c = comment; *c; c++)
        if (iscntrl((unsigned char)*c))
            *c = ' ';
    char desc[512];
    snprintf(desc, sizeof desc, "LAMMPS %s EAM file %s: %.200s", setfl ? "setfl" : "funcfl",
             base_name(path), comment);
    /* models are of Pt unless the caller chooses (gn_potential_select_element): a file without
     * Pt has no default element rather than a silent first one */
    return gn_eam_wrap(e, path, desc, e->zmap[GN_Z_PT] >= 0 ? GN_Z_PT : -1, out, err);
}

int gn_pot_eam_file_new_format(const char *path, int setfl, gn_potential **out, gn_error *err)
{
    *out = NULL;
    char *buf;
    size_t len;
    int rc = gn_file_read_all(path, &buf, &len, err);
    if (rc)
        return rc;
    rc = gn_pot_eam_parse(buf, len, path, setfl, out, err);
    free(buf);
    return rc;
}

int gn_pot_eam_file_alloc(const char *path, gn_potential **out, gn_error *err)
{
    if (has_suffix(path, ".fs")) {
        *out = NULL;
        return gn_error_set(err, GN_ENOTIMPL,
                            "%s: Finnis-Sinclair EAM files (pair_style eam/fs) are not supported; "
                            "use *.eam (funcfl) or *.eam.alloy (setfl)", path);
    }
    int setfl = has_suffix(path, ".alloy") || has_suffix(path, ".setfl");
    return gn_pot_eam_file_new_format(path, setfl, out, err);
}
