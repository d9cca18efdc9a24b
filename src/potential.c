/* gapneb: the potential registry and per-thread calculators. Energies eV, forces eV/Å, lengths Å.
 *
 * The registry maps built-in names to constructors; anything else that names an existing file or
 * ends like a LAMMPS EAM file goes to the EAM file reader. A gn_calc owns the neighbour list of one
 * thread, so one immutable gn_potential can serve many threads at once.
 */
#include "gapneb/potential.h"
#include "gapneb/neighbor.h"
#include "gapneb/pot_eam.h"
#include "gapneb/pot_pair.h"
#include "pot_pair_internal.h"
#include "potential_spec_internal.h"

#include <ctype.h>
#include <math.h>
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
                        "unknown potential '%s': not a built-in (%s) and not an existing file",
                        name, list);
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

/* ---- calculators ---- */

struct gn_calc {
    const gn_potential *pot;
    gn_nlist *nl;
    unsigned long calls;
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
    int st = gn_nlist_alloc(&c->nl, rc, skin_for(rc), err);
    if (st) {
        free(c);
        return gn_error_prefix(err, "potential %s: ", p->name);
    }
    c->pot = p;
    *out = c;
    return GN_OK;
}

void gn_calc_free(gn_calc *c)
{
    if (!c)
        return;
    gn_nlist_free(c->nl);
    free(c);
}

int gn_calc_compute(gn_calc *c, const gn_atoms *a, double *energy, double *forces,
                    double *peratom, gn_error *err)
{
    if (!c || !a || !energy)
        return gn_error_set(err, GN_EINVAL, "gn_calc_compute: NULL argument");
    c->calls++;
    int rc = gn_nlist_update(c->nl, a, err);
    if (rc)
        return rc;
    rc = c->pot->ops->compute(c->pot->self, a, c->nl, energy, forces, peratom, err);
    if (rc)
        return rc;
    if (!isfinite(*energy))
        return gn_error_set(err, GN_ERANGE, "potential %s gave a non-finite energy (atoms too "
                            "close?)", c->pot->name);
    return GN_OK;
}

unsigned long gn_calc_calls(const gn_calc *c) { return c->calls; }

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
