/* gapneb: bridges across the gap and the energetic critical gap (see adsorb.h). Units: Å. */
#include "gapneb/adsorb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NODES (GN_ADSORB_MAX_ADATOMS * 4 + 2)

static double dist(const gn_atoms *a, size_t i, size_t j)
{
    double d[3];
    gn_atoms_displacement(a, i, j, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* Distance from atom i to the nearest atom of [lo, hi). */
static double to_crystal(const gn_atoms *a, size_t i, size_t lo, size_t hi)
{
    double best = INFINITY;
    for (size_t j = lo; j < hi; j++)
        best = fmin(best, dist(a, i, j));
    return best;
}

/* Minimax (bottleneck) path between node 0 (crystal A) and node 1 (crystal B) over the adatom
 * nodes 2..: Floyd-Warshall with max for the path length and min for the choice. The direct A-B
 * link is left out, so every chain goes through an adatom. */
int gn_adsorb_bridge(const gn_atoms *a, size_t na, size_t nb, double nn, double *ratio)
{
    size_t nad = a->n > na + nb ? a->n - na - nb : 0;
    *ratio = INFINITY;
    if (!nad || !na || !nb || !(nn > 0))
        return 0;
    if (nad + 2 > NODES) /* more adatoms than a configuration holds: chains of the first ones */
        nad = NODES - 2;
    const size_t n = nad + 2;
    double w[NODES][NODES];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            w[i][j] = INFINITY;
    for (size_t k = 0; k < nad; k++) {
        size_t ak = na + nb + k;
        w[0][k + 2] = w[k + 2][0] = to_crystal(a, ak, 0, na) / nn;
        w[1][k + 2] = w[k + 2][1] = to_crystal(a, ak, na, na + nb) / nn;
        for (size_t q = 0; q < k; q++)
            w[q + 2][k + 2] = w[k + 2][q + 2] = dist(a, ak, na + nb + q) / nn;
    }
    for (size_t m = 2; m < n; m++) /* intermediate nodes: adatoms only */
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double via = fmax(w[i][m], w[m][j]);
                if (via < w[i][j])
                    w[i][j] = via;
            }
    *ratio = w[0][1];
    return *ratio <= GN_ADSORB_BRIDGE_NN;
}

void gn_adsorb_critical_gap(const double *g, const double *ratio, size_t n,
                            gn_adsorb_critical *c)
{
    memset(c, 0, sizeof *c);
    c->gap = c->gap_lo = c->gap_hi = NAN;
    c->status = GN_CRITICAL_NONE;
    if (!n)
        return;
    size_t *o = malloc(n * sizeof *o);
    if (!o) {
        c->status = GN_CRITICAL_UNDETERMINED;
        return;
    }
    for (size_t i = 0; i < n; i++) { /* gaps in increasing order */
        size_t j = i;
        while (j > 0 && g[o[j - 1]] > g[i]) {
            o[j] = o[j - 1];
            j--;
        }
        o[j] = i;
    }
    long last = -1;
    for (size_t i = 0; i < n; i++) {
        if (isnan(ratio[o[i]])) {
            c->status = GN_CRITICAL_UNDETERMINED;
            free(o);
            return;
        }
        if (ratio[o[i]] <= GN_ADSORB_BRIDGE_NN)
            last = (long)i;
    }
    if (last == (long)n - 1) {
        c->status = GN_CRITICAL_BEYOND;
        c->gap = c->gap_lo = g[o[n - 1]];
    } else if (last >= 0) {
        double g0 = g[o[last]], g1 = g[o[last + 1]];
        double r0 = ratio[o[last]], r1 = ratio[o[last + 1]];
        c->status = GN_CRITICAL_FOUND;
        c->gap_lo = g0;
        c->gap_hi = g1;
        /* linear in the ratio; a chain that breaks completely (no adatom near B) gives an
         * infinite ratio, and then only the bracket is known: its lower end is reported */
        c->gap = isfinite(r1) && r1 > r0 ? g0 + (GN_ADSORB_BRIDGE_NN - r0) / (r1 - r0) * (g1 - g0)
                                        : g0;
    }
    free(o);
}
