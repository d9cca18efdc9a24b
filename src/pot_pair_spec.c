/* gapneb: specs of the pair potentials, lj/lj-pt/morse/morse-pt[:KEY=VALUE,...] (grammar in
 * potential_spec.c, keys and defaults in pot_pair.h). Energies eV (reduced units for lj and
 * morse), lengths Å, alpha 1/Å.
 *
 * A spec without parameters is the built-in itself (same constructor, same description). With
 * parameters, the missing ones take the built-in's values. The canonical spec lists every
 * parameter in its shortest exact decimal form, so that reading it back gives the same doubles.
 */
#include "pot_pair_internal.h"
#include "potential_spec_internal.h"

#include "gapneb/element.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct family {
    const char *name;
    int kind, z;
    int (*builtin)(gn_potential **out, gn_error *err); /* NULL: no parameter-free form */
    double par[3];        /* defaults of the pair parameters (NAN: required) */
    double rc, rs;        /* default switch: in units of sigma for LJ, Å for Morse (NAN: required) */
    double ratio_num, ratio_den; /* rs = rc num / den when only rc is given */
} family;

static const char *const lj_keys[] = {"epsilon", "sigma", "rc", "rs", NULL};
static const char *const morse_keys[] = {"D", "alpha", "r0", "rc", "rs", NULL};

/* In the order gn_pot_pair_spec_format looks for a family of (kind, z). */
static const family families[] = {
    {"lj", GN_PAIR_LJ, GN_Z_DUMMY, gn_pot_lj_reduced_alloc, {1.0, 1.0, NAN}, GN_LJ_REDUCED_RCUT,
     GN_LJ_REDUCED_RON, GN_LJ_REDUCED_RON, GN_LJ_REDUCED_RCUT},
    {"lj-pt", GN_PAIR_LJ, GN_Z_PT, gn_pot_lj_pt_alloc, {GN_LJ_PT_EPSILON, GN_LJ_PT_SIGMA, NAN},
     GN_LJ_REDUCED_RCUT, GN_LJ_REDUCED_RON, GN_LJ_REDUCED_RON, GN_LJ_REDUCED_RCUT},
    {"morse-pt", GN_PAIR_MORSE, GN_Z_PT, gn_pot_morse_pt_alloc,
     {GN_MORSE_PT_D, GN_MORSE_PT_ALPHA, GN_MORSE_PT_R0}, GN_MORSE_PT_RCUT, GN_MORSE_PT_RON,
     GN_MORSE_PT_RON, GN_MORSE_PT_RCUT},
    {"morse", GN_PAIR_MORSE, GN_Z_DUMMY, NULL, {NAN, NAN, NAN}, NAN, NAN, GN_LJ_REDUCED_RON,
     GN_LJ_REDUCED_RCUT},
};
#define NFAMILY (sizeof families / sizeof families[0])

static const family *family_named(const char *name, size_t len)
{
    for (size_t i = 0; i < NFAMILY; i++)
        if (strlen(families[i].name) == len && !strncmp(families[i].name, name, len))
            return &families[i];
    return NULL;
}

int gn_pot_pair_spec_claims(const char *spec)
{
    while (*spec == ' ' || *spec == '\t')
        spec++;
    size_t n = gn_spec_name_len(spec);
    while (n && (spec[n - 1] == ' ' || spec[n - 1] == '\t'))
        n--;
    return family_named(spec, n) != NULL;
}

typedef struct resolved {
    const family *f;
    int has_params;
    double par[3];
    double rc, rs;
} resolved;

static int npar(const family *f) { return f->kind == GN_PAIR_LJ ? 2 : 3; }

static const char *const *keys_of(const family *f)
{
    return f->kind == GN_PAIR_LJ ? lj_keys : morse_keys;
}

/* Reads the parameters of spec s of family f, applies the defaults and checks the values. */
static int resolve(const gn_spec *s, const family *f, resolved *r, gn_error *err)
{
    const char *const *keys = keys_of(f);
    double v[GN_SPEC_MAX_KEYS];
    int rc = gn_spec_numbers(s, keys, v, err);
    if (rc)
        return rc;
    int np = npar(f);
    r->f = f;
    r->has_params = s->nkeys > 0;
    for (int i = 0; i < np; i++)
        r->par[i] = isnan(v[i]) ? f->par[i] : v[i];
    r->par[2] = np == 3 ? r->par[2] : 0.0;
    double unit = f->kind == GN_PAIR_LJ ? r->par[1] : 1.0; /* LJ cutoffs scale with sigma */
    double rc_in = v[np], rs_in = v[np + 1];
    r->rc = isnan(rc_in) ? f->rc * unit : rc_in;
    if (!isnan(rs_in))
        r->rs = rs_in;
    else if (!isnan(rc_in))
        r->rs = rc_in * f->ratio_num / f->ratio_den; /* rc = 6: rs = 4.8, not 4.800000000000001 */
    else
        r->rs = f->rs * unit;
    double all[GN_SPEC_MAX_KEYS] = {r->par[0], r->par[1], r->par[2]};
    all[np] = r->rc;
    all[np + 1] = r->rs;
    for (int i = 0; keys[i]; i++) {
        if (isnan(all[i]))
            return gn_error_set(err, GN_EINVAL, "potential spec '%s': %s needs %s (no default)",
                                s->text, f->name, keys[i]);
        if (!(all[i] > 0.0))
            return gn_error_set(err, GN_EINVAL, "potential spec '%s': %s = %g must be positive",
                                s->text, keys[i], all[i]);
    }
    if (r->rs > r->rc)
        return gn_error_set(err, GN_EINVAL, "potential spec '%s': rs = %g is beyond rc = %g (the "
                            "switch runs from rs to rc; rs = rc truncates and shifts)", s->text,
                            r->rs, r->rc);
    return GN_OK;
}

static int parse_resolve(const char *text, gn_spec *s, resolved *r, gn_error *err)
{
    int rc = gn_spec_parse(text, s, err);
    if (rc)
        return rc;
    const family *f = family_named(s->name, strlen(s->name));
    if (!f)
        return gn_error_set(err, GN_EINVAL, "potential spec '%s': %s is not a pair potential",
                            s->text, s->name);
    return resolve(s, f, r, err);
}

/* "NAME:k=v,...", all keys of the family in order; 0, or -1 if it does not fit in cap. */
static int format_canonical(const char *name, const char *const *keys, const double *val,
                            char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "%s", name);
    for (int i = 0; keys[i] && n < cap; i++) {
        char num[40];
        gn_spec_format_number(val[i], num, sizeof num);
        n += (size_t)snprintf(buf + n, cap - n, "%c%s=%s", i ? ',' : ':', keys[i], num);
    }
    return n < cap ? 0 : -1;
}

static int canonical(const resolved *r, char *buf, size_t cap)
{
    int np = npar(r->f);
    double val[GN_SPEC_MAX_KEYS] = {r->par[0], r->par[1], r->par[2]};
    val[np] = r->rc;
    val[np + 1] = r->rs;
    return format_canonical(r->f->name, keys_of(r->f), val, buf, cap);
}

int gn_pot_pair_spec_format(int kind, int z, const double *par, double r_on, double r_cut,
                            char *buf, size_t cap)
{
    for (size_t i = 0; i < NFAMILY; i++) {
        if (families[i].kind != kind || families[i].z != z)
            continue;
        resolved r = {&families[i], 1, {par[0], par[1], kind == GN_PAIR_LJ ? 0.0 : par[2]},
                      r_cut, r_on};
        return canonical(&r, buf, cap);
    }
    return -1;
}

int gn_pot_pair_spec_resolve(const char *text, char *out, size_t cap, gn_error *err)
{
    gn_spec s;
    resolved r;
    int rc = parse_resolve(text, &s, &r, err);
    if (rc)
        return rc;
    if (canonical(&r, out, cap))
        return gn_error_set(err, GN_ERANGE, "potential spec '%s': canonical form longer than "
                            "%zu bytes", s.text, cap);
    return GN_OK;
}

static void describe(const resolved *r, char *buf, size_t cap)
{
    const char *units = r->f->z == GN_Z_DUMMY ? "reduced units, species X" : "Pt, eV and Å";
    char sw[96];
    if (r->rs == r->rc)
        snprintf(sw, sizeof sw, "truncated and shifted at %g", r->rc);
    else
        snprintf(sw, sizeof sw, "quintic switch %g-%g", r->rs, r->rc);
    if (r->f->kind == GN_PAIR_LJ)
        snprintf(buf, cap, "12-6 Lennard-Jones (%s): eps %g, sigma %g, %s", units, r->par[0],
                 r->par[1], sw);
    else
        snprintf(buf, cap, "Morse (%s): D %g, alpha %g, r0 %g, %s", units, r->par[0], r->par[1],
                 r->par[2], sw);
}

int gn_pot_pair_spec_params(const char *text, gn_pair_params *p, gn_error *err)
{
    gn_spec s;
    resolved r;
    int rc = parse_resolve(text, &s, &r, err);
    if (rc)
        return rc;
    memset(p, 0, sizeof *p);
    snprintf(p->text, sizeof p->text, "%s", s.text);
    p->kind = r.f->kind;
    p->z = r.f->z;
    p->builtin = r.has_params ? NULL : r.f->builtin;
    memcpy(p->par, r.par, sizeof p->par);
    p->rc = r.rc;
    p->rs = r.rs;
    describe(&r, p->description, sizeof p->description);
    return GN_OK;
}
