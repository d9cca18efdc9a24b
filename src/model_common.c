/* gapneb: helpers shared by the gap-model builders (model.c and the per-model crystal files), so
 * that the builders depend on this small module and not on each other. Lengths in Å. */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double gn_model_spacing(const gn_model_opts *o) { return o->a0 / sqrt(2.0); }

int gn_model_cands_push(gn_model_cands *c, const double pos[3], int facet, gn_error *err)
{
    if (c->n == c->cap) {
        size_t ncap = c->cap ? 2 * c->cap : 64;
        gn_model_cand *v = realloc(c->v, ncap * sizeof *v);
        if (!v)
            return gn_error_set(err, GN_ENOMEM, "out of memory for candidate sites");
        c->v = v;
        c->cap = ncap;
    }
    gn_model_cand *e = &c->v[c->n++];
    memcpy(e->pos, pos, sizeof e->pos);
    e->facet = facet;
    return GN_OK;
}
