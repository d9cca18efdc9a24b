/* gapneb: the potential registry and per-thread calculators. Energies eV, forces eV/Å, lengths Å.
 *
 * The registry maps built-in names to constructors; anything else that names an existing file or
 * ends like a LAMMPS EAM file goes to the EAM file reader. A gn_calc owns the neighbour list of one
 * thread, so one immutable gn_potential can serve many threads at once.
 */
#include "gapneb/potential.h"
#include "gapneb/element.h"
#include "gapneb/ipi.h"
#include "gapneb/neighbor.h"
#include "gapneb/pot_eam.h"
#include "gapneb/pot_pair.h"
#include "pot_pair_internal.h"
#include "potential_spec_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct builtin {
    const char *name;
    int (*create)(gn_potential **out, gn_error *err);
} builtin;

/* The first entry is the default (GN_POTENTIAL_DEFAULT); builtin_names lists the same names in
 * the same order (test_registry creates each of them). */
static const builtin builtins[] = {
    {"eam-pt", gn_pot_eam_pt_alloc},
    {"morse-pt", gn_pot_morse_pt_alloc},
    {"lj-pt", gn_pot_lj_pt_alloc},
    {"lj", gn_pot_lj_reduced_alloc},
};
#define NBUILTIN (sizeof builtins / sizeof builtins[0])

static const char *const builtin_names[NBUILTIN + 1] = {"eam-pt", "morse-pt", "lj-pt", "lj", NULL};

const char *const *gn_potential_builtins(void) { return builtin_names; }

static int ends_with(const char *s, const char *tail)
{
    size_t ls = strlen(s), lt = strlen(tail);
    return ls >= lt && strcmp(s + ls - lt, tail) == 0;
}

static int is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A built-in that takes no parameters, given some (eam-pt:x=1): refused, naming it. */
static int refuse_params(const char *text, gn_error *err)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t nl = gn_spec_name_len(text);
    if (!text[nl])
        return GN_OK;
    for (const char *const *b = gn_potential_builtins(); *b; b++)
        if (strlen(*b) == nl && !strncmp(text, *b, nl))
            return gn_error_set(err, GN_EINVAL, "potential spec '%s': %s takes no parameters",
                                text, *b);
    return GN_OK;
}

int gn_potential_alloc(const char *name, gn_potential **out, gn_error *err)
{
    if (!out)
        return gn_error_set(err, GN_EINVAL, "gn_potential_alloc: NULL output");
    *out = NULL;
    if (!name || !*name)
        return gn_error_set(err, GN_EINVAL, "no potential named");
    if (gn_ipi_is_spec(name))
        return gn_ipi_potential_alloc(name, NULL, out, err);
    /* Pair potentials with or without KEY=VALUE parameters (pot_pair_spec.c); other built-ins
     * take none. */
    if (gn_pot_pair_spec_claims(name))
        return gn_pot_pair_spec_alloc(name, out, err);
    int rc = refuse_params(name, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < NBUILTIN; i++)
        if (strcmp(name, builtins[i].name) == 0)
            return builtins[i].create(out, err);
    /* Built-in names win over files of the same name in the working folder. */
    if (ends_with(name, ".eam.fs"))
        return gn_error_set(err, GN_ENOTIMPL,
                            "potential file %s: Finnis-Sinclair EAM files (*.eam.fs) are not "
                            "supported; use funcfl (*.eam) or setfl (*.eam.alloy)",
                            name);
    if (is_regular_file(name) || ends_with(name, ".eam") || ends_with(name, ".eam.alloy"))
        return gn_pot_eam_file_alloc(name, out, err);
    char list[256] = "";
    for (size_t i = 0; i < NBUILTIN; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, builtins[i].name, sizeof list - strlen(list) - 1);
    }
    return gn_error_set(err, GN_EINVAL,
                        "unknown potential '%s': not a built-in (%s), not an existing file and "
                        "not an engine (ipi:unix:NAME, ipi:inet:[HOST:]PORT)",
                        name, list);
}

int gn_potential_alloc_engine(const char *name, const gn_ipi_opts *opts, gn_potential **out,
                              gn_error *err)
{
    if (gn_ipi_is_spec(name))
        return gn_ipi_potential_alloc(name, opts, out, err);
    if (opts && opts->command) {
        if (out)
            *out = NULL;
        return gn_error_set(err, GN_EINVAL, "an engine command needs an engine potential "
                            "(ipi:unix:NAME or ipi:inet:[HOST:]PORT), not '%s'", name);
    }
    return gn_potential_alloc(name, out, err);
}

void gn_potential_free(gn_potential *p)
{
    if (!p)
        return;
    if (p->ops && p->ops->free)
        p->ops->free(p->self);
    free(p);
}

double gn_potential_cutoff(const gn_potential *p) { return p->ops->cutoff(p->self); }

/* ---- elements ---- */

int gn_potential_elements(const gn_potential *p, int *zs, int max)
{
    if (gn_pot_eam_is(p))
        return gn_pot_eam_elements(p, zs, max);
    if (max > 0)
        zs[0] = p->z;
    return 1;
}

int gn_potential_has_element(const gn_potential *p, int z)
{
    int zs[GN_Z_MAX + 1];
    int n = gn_potential_elements(p, zs, GN_Z_MAX + 1);
    for (int k = 0; k < n && k <= GN_Z_MAX; k++)
        if (zs[k] == z)
            return 1;
    return 0;
}

void gn_potential_elements_text(const gn_potential *p, char *buf, size_t size)
{
    int zs[GN_Z_MAX + 1];
    int n = gn_potential_elements(p, zs, GN_Z_MAX + 1);
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < n && k <= GN_Z_MAX && len < size; k++) {
        const char *sym = gn_element_symbol(zs[k]);
        int w = snprintf(buf + len, size - len, "%s%s", k ? " " : "", sym ? sym : "?");
        len += w > 0 ? (size_t)w : 0;
    }
}

int gn_potential_select_element(gn_potential *p, const char *symbol, gn_error *err)
{
    if (!p)
        return gn_error_set(err, GN_EINVAL, "gn_potential_select_element: no potential");
    char have[256];
    gn_potential_elements_text(p, have, sizeof have);
    if (!symbol || !*symbol) {
        if (p->z >= 0)
            return GN_OK;
        return gn_error_set(err, GN_EINVAL, "potential %s has no Pt (it describes %s): choose "
                            "one of its elements", p->name, have);
    }
    int z = gn_element_z(symbol);
    if (z < 0)
        return gn_error_set(err, GN_EINVAL, "'%s' is not an element symbol", symbol);
    if (!gn_potential_has_element(p, z))
        return gn_error_set(err, GN_EINVAL, "potential %s does not describe %s (it describes %s)",
                            p->name, symbol, have);
    p->z = z;
    return GN_OK;
}

/* ---- calculators ---- */

struct gn_calc {
    const gn_potential *pot;
    gn_nlist *nl;
    unsigned long calls;
    int threads;
    void *scratch; /* the potential's work arrays, kept between calls (compute_calc) */
};

/* Verlet skin: 1 Å for potentials in Å (cutoffs 6-10 Å; an adatom hop moves ~1.4 Å per NEB
 * image, so the list is rebuilt only a few times per band relaxation), but no more than 30 % of
 * the cutoff so that reduced-unit potentials (cutoff 2.5 sigma) do not carry a list three times
 * the size they need. */
static double skin_for(double cutoff)
{
    double s = 0.3 * cutoff;
    return s < 1.0 ? s : 1.0;
}

int gn_calc_alloc(const gn_potential *p, gn_calc **out, gn_error *err)
{
    if (!out)
        return gn_error_set(err, GN_EINVAL, "gn_calc_alloc: NULL output");
    *out = NULL;
    if (!p || !p->ops || !p->ops->compute || !p->ops->cutoff)
        return gn_error_set(err, GN_EINVAL, "gn_calc_alloc: no potential");
    gn_calc *c = calloc(1, sizeof *c);
    if (!c)
        return gn_error_set(err, GN_ENOMEM, "out of memory for a calculator");
    double rc = gn_potential_cutoff(p);
    int st = rc > 0.0 ? gn_nlist_alloc(&c->nl, rc, skin_for(rc), err) : GN_OK;
    if (st) {
        free(c);
        return gn_error_prefix(err, "potential %s: ", p->name);
    }
    c->pot = p;
    c->threads = 1;
    *out = c;
    return GN_OK;
}

void gn_calc_free(gn_calc *c)
{
    if (!c)
        return;
    gn_nlist_free(c->nl);
    if (c->scratch && c->pot->ops->scratch_free)
        c->pot->ops->scratch_free(c->scratch);
    free(c);
}

int gn_calc_compute(gn_calc *c, const gn_atoms *a, double *energy, double *forces,
                    double *peratom, gn_error *err)
{
    if (!c || !a || !energy)
        return gn_error_set(err, GN_EINVAL, "gn_calc_compute: NULL argument");
    c->calls++;
    int rc = c->nl ? gn_nlist_update(c->nl, a, err) : GN_OK;
    if (rc)
        return rc;
    if (c->pot->ops->compute_calc)
        rc = c->pot->ops->compute_calc(c->pot->self, a, c->nl,
                                       a->n >= GN_CALC_THREADS_MIN_ATOMS ? c->threads : 1,
                                       &c->scratch, energy, forces, peratom, err);
    else
        rc = c->pot->ops->compute(c->pot->self, a, c->nl, energy, forces, peratom, err);
    if (rc)
        return rc;
    if (!isfinite(*energy))
        return gn_error_set(err, GN_ERANGE, "potential %s gave a non-finite energy (atoms too "
                            "close?)", c->pot->name);
    return GN_OK;
}

int gn_potential_concurrent(const gn_potential *p)
{
    return p && p->ops && p->ops->compute_batch;
}

int gn_calc_compute_batch(gn_calc *const *c, size_t k, const gn_atoms *const *a, double *energy,
                          double *const *forces, gn_error *err)
{
    if (k == 0)
        return GN_OK;
    if (!c || !a || !energy || !c[0])
        return gn_error_set(err, GN_EINVAL, "gn_calc_compute_batch: NULL argument");
    const gn_potential *p = c[0]->pot;
    for (size_t i = 0; i < k; i++)
        if (!c[i] || c[i]->pot != p || !a[i])
            return gn_error_set(err, GN_EINVAL, "gn_calc_compute_batch: structure %zu has no "
                                "calculator of the batch's potential", i);
    if (!gn_potential_concurrent(p)) {
        for (size_t i = 0; i < k; i++) {
            int rc = gn_calc_compute(c[i], a[i], &energy[i], forces ? forces[i] : NULL, NULL,
                                     err);
            if (rc)
                return gn_error_prefix(err, "structure %zu of %zu: ", i, k);
        }
        return GN_OK;
    }
    for (size_t i = 0; i < k; i++)
        c[i]->calls++;
    return p->ops->compute_batch(p->self, k, a, energy, forces, err);
}

unsigned long gn_calc_calls(const gn_calc *c) { return c->calls; }

int gn_calc_set_threads(gn_calc *c, int n, gn_error *err)
{
    if (!c || n < 1 || n > 64)
        return gn_error_set(err, GN_EINVAL, "calculator threads: %d (must be 1 .. 64)", n);
    c->threads = n;
    return GN_OK;
}

int gn_calc_threads(const gn_calc *c) { return c->threads; }

const gn_potential *gn_calc_potential(const gn_calc *c) { return c->pot; }

int gn_potential_spec_resolve(const char *spec, char *out, size_t cap, gn_error *err)
{
    if (!spec || !out || !cap)
        return gn_error_set(err, GN_EINVAL, "gn_potential_spec_resolve: NULL argument");
    if (gn_pot_pair_spec_claims(spec))
        return gn_pot_pair_spec_resolve(spec, out, cap, err);
    int rc = refuse_params(spec, err);
    if (rc)
        return rc;
    if (gn_spec_copy_trimmed(spec, strlen(spec), out, cap))
        return gn_error_set(err, GN_ERANGE, "potential spec '%s' is too long", spec);
    return GN_OK;
}
