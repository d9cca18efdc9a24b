/* gapneb: the processes of the models, their sites and endpoint structures (doc/design.md,
 * "Processes"). Å.
 *
 * Both endpoints list the same atoms in the same order: for hop and transfer only the adatom
 * (last) moves; for exchange the displaced surface atom keeps its index and moves to the target
 * hollow while the adatom takes its lattice position, so the NEB maps each atom onto itself.
 */
#include "model_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- hop and transfer ------------------------------------------------------------------ */

static int s2s_hop_target(const gn_model_opts *o, const gn_cell *c, const gn_site *v, size_t n,
                          const gn_site *from, gn_site *to, gn_error *err)
{
    double want[3] = {from->pos[0] + gn_model_spacing(o), from->pos[1], from->pos[2]};
    for (size_t i = 0; i < n; i++)
        if (v[i].crystal == 'A' && v[i].kind == GN_SITE_HOLLOW100 &&
            gn_model_mi_dist(c, want, v[i].pos) < GN_MODEL_NN_TOL) {
            *to = v[i];
            return GN_OK;
        }
    return gn_error_set(err, GN_EINVAL, "%s hop: no A100 site next to %s along +x",
                        gn_model_kind_name(o->kind), from->name);
}

/* The site of (crystal, kind) nearest to pos; the first of equally near sites in index order
 * (v is in index order), so ties go to the lowest index. */
static int nearest_site(const gn_cell *c, const gn_site *v, size_t n, char crystal, int kind,
                        const double pos[3], gn_site *to, double *dist)
{
    double best = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (v[i].crystal != crystal || v[i].kind != kind)
            continue;
        double d = gn_model_mi_dist(c, pos, v[i].pos);
        if (d < best - GN_MODEL_TIE_TOL) {
            best = d;
            *to = v[i];
        }
    }
    if (dist)
        *dist = best;
    return isfinite(best);
}

/* e2e and nc facing an edge: the processes go over the edge. */
static int over_edge(const gn_model_opts *o)
{
    return o->kind == GN_MODEL_E2E || (o->kind == GN_MODEL_NC && o->facing == GN_NC_EDGE);
}

static int hop_or_transfer(const gn_model_opts *o, const gn_model_built *m, gn_process p,
                           gn_model_move *mv, gn_error *err)
{
    const gn_cell *c = &m->atoms->cell;
    const char *mname = gn_model_kind_name(o->kind);
    if (p == GN_PROCESS_TRANSFER) {
        if (o->kind == GN_MODEL_E2E) /* nc: the nearest B100, like s2s */
            return gn_model_lookup(o, m->sites, m->nsites, "B100:0", &mv->to, err);
        if (!nearest_site(c, m->sites, m->nsites, 'B', GN_SITE_HOLLOW100, mv->from.pos, &mv->to,
                          NULL))
            return gn_error_set(err, GN_EINVAL, "%s transfer: the model has no B100 site", mname);
        return GN_OK;
    }
    if (over_edge(o))
        return gn_model_lookup(o, m->sites, m->nsites, "A111:0", &mv->to, err);
    switch (o->kind) {
    case GN_MODEL_PT111:
        if (!nearest_site(c, m->sites, m->nsites, 'A', GN_SITE_HCP111, mv->from.pos, &mv->to,
                          NULL))
            return gn_error_set(err, GN_EINVAL, "pt111 hop: the model has no A111h site");
        return GN_OK;
    default: return s2s_hop_target(o, c, m->sites, m->nsites, &mv->from, &mv->to, err);
    }
}

/* ---- exchange -------------------------------------------------------------------------- */

/* Whether atom i of crystal A is on its edge row: e2e, atoms 0 .. m-1 (model_e2e.c); nc, the
 * outermost atoms along z (model_nc.c: the row on the axis of the facing direction). */
static int on_edge_row(const gn_model_opts *o, const gn_model_built *m, size_t i)
{
    if (o->kind == GN_MODEL_E2E)
        return i < (size_t)o->m;
    double zmax = -INFINITY;
    for (size_t j = 0; j < m->na; j++)
        zmax = fmax(zmax, m->atoms->pos[3 * j + 2]);
    return fabs(m->atoms->pos[3 * i + 2] - zmax) < GN_MODEL_NN_TOL;
}

/* Where atom i (a nearest neighbour of the adatom's site) would go in an exchange: 1 and the
 * site, or 0 if atom i cannot be the displaced one.
 * e2e, nc facing an edge: an edge atom goes to the (111) fcc hollow it borders (the one at the
 * same x, a0/sqrt2 away). */
static int e2e_exchange_target(const gn_model_opts *o, const gn_model_built *m, size_t i,
                               gn_site *to)
{
    double d;
    return on_edge_row(o, m, i) &&
           nearest_site(&m->atoms->cell, m->sites, m->nsites, 'A', GN_SITE_FCC111,
                        m->atoms->pos + 3 * i, to, &d) &&
           fabs(d - gn_model_spacing(o)) < GN_MODEL_NN_TOL;
}

/* Slabs: the hollow diagonally across atom i from `from`, laterally from + 2 (r_i - from), at
 * the same height: a (100) hollow on (100), an hcp hollow on (111). */
static int slab_exchange_target(const gn_model_built *m, const gn_site *from, size_t i,
                                gn_site *to)
{
    const gn_cell *c = &m->atoms->cell;
    double d[3];
    for (int k = 0; k < 3; k++)
        d[k] = m->atoms->pos[3 * i + k] - from->pos[k];
    gn_cell_min_image(c, d);
    const double want[3] = {from->pos[0] + 2.0 * d[0], from->pos[1] + 2.0 * d[1], from->pos[2]};
    const int kind = from->kind == GN_SITE_HOLLOW100 ? GN_SITE_HOLLOW100 : GN_SITE_HCP111;
    double dist;
    return nearest_site(c, m->sites, m->nsites, 'A', kind, want, to, &dist) &&
           dist < GN_MODEL_NN_TOL;
}

static int exchange(const gn_model_opts *o, const gn_model_built *m, gn_model_move *mv,
                    gn_error *err)
{
    const gn_atoms *a = m->atoms;
    const double nn = gn_model_spacing(o);
    int found = 0;
    for (size_t i = 0; i < m->na; i++) {
        double r = gn_model_mi_dist(&a->cell, a->pos + 3 * i, mv->from.pos);
        if (fabs(r - nn) > GN_MODEL_NN_TOL || a->fixed[i])
            continue;
        gn_site to;
        int ok = over_edge(o) ? e2e_exchange_target(o, m, i, &to)
                              : slab_exchange_target(m, &mv->from, i, &to);
        if (!ok || (found && to.index >= mv->to.index))
            continue;
        found = 1;
        mv->to = to;
        mv->displaced = (long)i;
        memcpy(mv->vacated, a->pos + 3 * i, sizeof mv->vacated);
    }
    if (!found)
        return gn_error_set(err, GN_EINVAL, "%s exchange: no movable neighbour of %s with a "
                            "free hollow across it", gn_model_kind_name(o->kind), mv->from.name);
    char what[64];
    snprintf(what, sizeof what, "site %s (the displaced atom's)", mv->to.name);
    return gn_model_check_room(o, a, -1, mv->to.pos, what, err);
}

/* ---- public API ------------------------------------------------------------------------ */

static int describe(const gn_model_opts *o, const gn_model_built *m, gn_process p,
                    gn_model_move *mv, gn_error *err)
{
    memset(mv, 0, sizeof *mv);
    mv->process = p;
    mv->displaced = -1;
    if ((int)p < 0 || p >= GN_PROCESS_COUNT)
        return gn_error_set(err, GN_EINVAL, "unknown process %d", (int)p);
    if (p == GN_PROCESS_TRANSFER && gn_model_is_single(o))
        return gn_error_set(err, GN_EINVAL, "transfer needs two crystals (the model is single)");
    const char *start = o->kind == GN_MODEL_PT111 ? "A111:0" : "A100:0";
    int rc = gn_model_lookup(o, m->sites, m->nsites, start, &mv->from, err);
    if (rc)
        return rc;
    if (p == GN_PROCESS_EXCHANGE)
        return exchange(o, m, mv, err);
    return hop_or_transfer(o, m, p, mv, err);
}

int gn_model_process_move(const gn_model_opts *o, gn_process process, gn_model_move *move,
                          gn_error *err)
{
    gn_model_built m;
    int rc = gn_model_make(o, 1, &m, err);
    if (rc)
        return rc;
    rc = describe(o, &m, process, move, err);
    gn_model_built_clear(&m);
    return rc;
}

int gn_model_process_sites(const gn_model_opts *o, gn_process process, gn_site *from,
                           gn_site *to, gn_error *err)
{
    gn_model_move mv;
    int rc = gn_model_process_move(o, process, &mv, err);
    if (rc)
        return rc;
    *from = mv.from;
    *to = mv.to;
    return GN_OK;
}

/* The final structure: hop, transfer: the adatom at to; exchange: the displaced atom at to and
 * the adatom on the lattice position it left. */
static int final_state(const gn_model_opts *o, const gn_atoms *base, const gn_model_move *mv,
                       gn_atoms **out, gn_error *err)
{
    int rc = gn_model_add_adatom(o, base, &mv->to, out, err);
    if (rc || mv->displaced < 0)
        return rc;
    double *pos = (*out)->pos;
    memcpy(pos + 3 * (*out)->n - 3, mv->vacated, 3 * sizeof *pos);
    memcpy(pos + 3 * mv->displaced, mv->to.pos, 3 * sizeof *pos);
    return GN_OK;
}

static int endpoints(const gn_model_opts *o, const gn_atoms *base, const gn_model_move *mv,
                     gn_atoms **initial, gn_atoms **final, gn_error *err)
{
    *initial = *final = NULL;
    int rc = gn_model_add_adatom(o, base, &mv->from, initial, err);
    if (!rc)
        rc = final_state(o, base, mv, final, err);
    if (rc) {
        gn_atoms_free(*initial);
        *initial = NULL;
    }
    return rc;
}

int gn_model_process(const gn_model_opts *o, gn_process process, gn_atoms **initial,
                     gn_atoms **final, gn_error *err)
{
    *initial = *final = NULL;
    gn_model_built m;
    int rc = gn_model_make(o, 1, &m, err);
    if (rc)
        return rc;
    gn_model_move mv;
    rc = describe(o, &m, process, &mv, err);
    if (!rc)
        rc = endpoints(o, m.atoms, &mv, initial, final, err);
    gn_model_built_clear(&m);
    return rc;
}

int gn_model_site_endpoints(const gn_model_opts *o, const gn_site *from, const gn_site *to,
                            gn_atoms **initial, gn_atoms **final, gn_error *err)
{
    *initial = *final = NULL;
    gn_model_built m;
    int rc = gn_model_make(o, 0, &m, err);
    if (rc)
        return rc;
    gn_model_move mv = {.process = GN_PROCESS_HOP, .from = *from, .to = *to, .displaced = -1};
    rc = endpoints(o, m.atoms, &mv, initial, final, err);
    gn_model_built_clear(&m);
    return rc;
}
