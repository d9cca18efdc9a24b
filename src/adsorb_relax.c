/* gapneb: relaxations of adatom configurations in threads, merging of configurations that relax
 * into the same structure, ranks and ids (see adsorb.h, adsorb_internal.h). Units: Å, eV. */
#include "adsorb_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapneb/relax.h"
#include "gapneb/table.h"

/* ---- the pool ----------------------------------------------------------------------------- */

typedef struct pool {
    pthread_mutex_t mu;
    size_t next, n;
    gn_adsorb_task *t;
    const gn_potential *pot;
    const gn_fire_opts *fo;
} pool;

/* A calculator of its own for each relaxation: a neighbour list carried over from another
 * structure would be rebuilt at other steps, and the sums in another order, so the result
 * would depend on which thread ran what before (measured: a different set of distinct
 * configurations at 5.8 Å from one run to the next). */
static void relax_one(const gn_potential *pot, const gn_fire_opts *fo, gn_adsorb_task *t)
{
    gn_fire_opts o = *fo;
    if (t->max_steps > 0)
        o.max_steps = t->max_steps;
    gn_fire_result fr;
    gn_calc *calc = NULL;
    t->rc = gn_calc_alloc(pot, &calc, &t->err);
    if (!t->rc)
        t->rc = gn_atoms_copy(t->start, &t->relaxed, &t->err);
    if (!t->rc)
        t->rc = gn_relax_calc(calc, t->relaxed, &o, &fr, &t->energy, &t->err);
    t->converged = !t->rc && fr.converged;
    t->calls = calc ? gn_calc_calls(calc) : 0;
    gn_calc_free(calc);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next < p->n ? p->next++ : p->n;
        pthread_mutex_unlock(&p->mu);
        if (i == p->n)
            break;
        relax_one(p->pot, p->fo, &p->t[i]);
    }
    return NULL;
}

int gn_adsorb_relax_all(const gn_potential *pot, const gn_fire_opts *fo, int jobs,
                        gn_adsorb_task *t, size_t n, gn_error *err)
{
    if (!n)
        return GN_OK;
    long nth = gn_table_threads(jobs, n);
    if (nth > 64)
        nth = 64;
    pool p = {.n = n, .t = t, .pot = pot, .fo = fo};
    if (pthread_mutex_init(&p.mu, NULL))
        return gn_error_set(err, GN_ENOMEM, "cannot create a mutex");
    pthread_t th[64];
    long started = 0;
    for (; started < nth; started++)
        if (pthread_create(&th[started], NULL, worker, &p))
            break;
    if (!started)
        worker(&p);
    for (long i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&p.mu);
    for (size_t i = 0; i < n; i++)
        if (t[i].rc) {
            if (err)
                *err = t[i].err;
            return t[i].rc;
        }
    return GN_OK;
}

void gn_adsorb_task_clear(gn_adsorb_task *t)
{
    gn_atoms_free(t->start);
    gn_atoms_free(t->relaxed);
    t->start = t->relaxed = NULL;
}

/* ---- merging and ranks -------------------------------------------------------------------- */

static const double *adatoms_of(const gn_adsorb_config *c)
{
    return c->relaxed->pos + 3 * (c->relaxed->n - (size_t)c->nadatoms);
}

/* Order: relaxed configurations by energy (merged ones stay where their energy puts them),
 * then the screened-out ones by screen energy; site sets break ties. */
static int cmp_config(const void *a, const void *b)
{
    const gn_adsorb_config *p = a, *q = b;
    if (p->screened_out != q->screened_out)
        return p->screened_out ? 1 : -1;
    double ep = p->screened_out ? p->screen_energy : p->energy;
    double eq = q->screened_out ? q->screen_energy : q->energy;
    if (ep != eq)
        return ep < eq ? -1 : 1;
    return strcmp(p->sites, q->sites);
}

int gn_adsorb_rank(gn_adsorb_config *v, size_t n, const gn_adsorb_sym *sym,
                   const gn_adsorb_opts *o, gn_error *err)
{
    (void)err;
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_config);
    int rank = 0;
    for (size_t i = 0; i < n; i++) {
        v[i].merged_into = 0;
        v[i].rank = 0;
        if (v[i].screened_out || !v[i].relaxed)
            continue;
        /* compared with the distinct configurations below it in energy */
        for (size_t j = 0; j < i && !v[i].merged_into; j++)
            if (!v[j].screened_out && !v[j].merged_into && v[j].relaxed &&
                fabs(v[i].energy - v[j].energy) < o->merge_energy &&
                gn_adsorb_sym_equivalent(sym, adatoms_of(&v[i]), adatoms_of(&v[j]),
                                         v[i].nadatoms, o->merge_distance))
                v[i].merged_into = (int)j + 1;
        if (!v[i].merged_into)
            v[i].rank = ++rank;
    }
    return GN_OK;
}

/* ---- ids and names ------------------------------------------------------------------------ */

void gn_adsorb_stem(double gap, int nadatoms, char *buf, size_t cap)
{
    snprintf(buf, cap, "d%g-n%d", gap, nadatoms);
}

size_t gn_adsorb_block_end(const gn_adsorb_result *r, size_t i)
{
    size_t j = i;
    while (j < r->n && r->configs[j].gap == r->configs[i].gap &&
           r->configs[j].nadatoms == r->configs[i].nadatoms)
        j++;
    return j;
}

/* Class of a configuration for numbering: ranked ones first, then merged, then screened out. */
static int id_pass(const gn_adsorb_config *c)
{
    return c->rank ? 0 : c->screened_out ? 2 : 1;
}

/* The name an id stands for: where the adatoms ended, or for a configuration that was only
 * pre-screened, where they started. */
static const char *id_key(const gn_adsorb_config *c)
{
    return c->screened_out || !c->final_sites[0] ? c->sites : c->final_sites;
}

/* The id of c's structure type in its stage (screened-out configurations, named by their start,
 * are numbered apart); a ranked configuration never shares its id with another ranked one of
 * the same gap (two distinct minima with one final site set: the second gets its own id). */
static int id_for(const gn_adsorb_result *r, const gn_adsorb_config *c)
{
    int max = 0, found = 0;
    for (size_t j = 0; j < r->n; j++) {
        const gn_adsorb_config *o = &r->configs[j];
        if (o->nadatoms != c->nadatoms || !o->id)
            continue;
        max = o->id > max ? o->id : max;
        if (!found && (id_pass(o) == 2) == (id_pass(c) == 2) && !strcmp(id_key(o), id_key(c)))
            found = o->id;
    }
    for (size_t j = 0; found && c->rank && j < r->n; j++) {
        const gn_adsorb_config *o = &r->configs[j];
        if (o != c && o->id == found && o->rank && o->gap == c->gap &&
            o->nadatoms == c->nadatoms)
            found = 0;
    }
    return found ? found : max + 1;
}

void gn_adsorb_assign_ids(gn_adsorb_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        r->configs[i].id = 0;
    /* ranked configurations first (the gaps in increasing order, each in rank order), so that
     * c1, c2... are the ones that matter; then the merged and screened-out ones */
    for (int pass = 0; pass < 3; pass++)
        for (;;) {
            double g = INFINITY;
            int any = 0; /* a terrace's gap is INFINITY: a flag, not the value, says "none" */
            for (size_t i = 0; i < r->n; i++)
                if (!r->configs[i].id && id_pass(&r->configs[i]) == pass &&
                    (!any || r->configs[i].gap < g)) {
                    g = r->configs[i].gap;
                    any = 1;
                }
            if (!any)
                break;
            for (size_t i = 0; i < r->n; i++) {
                gn_adsorb_config *c = &r->configs[i];
                if (!c->id && c->gap == g && id_pass(c) == pass)
                    c->id = id_for(r, c);
            }
        }
    for (size_t i = 0; i < r->n;) {
        size_t end = gn_adsorb_block_end(r, i);
        for (size_t j = i; j < end; j++)
            if (r->configs[j].merged_into > 0 && i + (size_t)r->configs[j].merged_into - 1 < end)
                r->configs[j].merged_into = r->configs[i + (size_t)r->configs[j].merged_into - 1].id;
        i = end;
    }
}
