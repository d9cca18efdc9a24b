/* gapneb: building a pair potential from its spec (lj, lj-pt, morse, morse-pt with parameters).
 * Kept apart from pot_pair_spec.c, which the pair core itself uses for canonical specs, so that
 * no file calls back into one that calls it. Energies eV, lengths Å. */
#include "pot_pair_internal.h"

int gn_pot_pair_spec_alloc(const char *text, gn_potential **out, gn_error *err)
{
    *out = NULL;
    gn_pair_params p;
    int rc = gn_pot_pair_spec_params(text, &p, err);
    if (rc)
        return rc;
    if (p.builtin)
        return p.builtin(out, err);
    if (p.kind == GN_PAIR_LJ)
        return gn_pot_lj_make(p.text, p.description, p.par[0], p.par[1], p.rs, p.rc, p.z, out,
                              err);
    return gn_pot_morse_make(p.text, p.description, p.par[0], p.par[1], p.par[2], p.rs, p.rc,
                             p.z, out, err);
}
