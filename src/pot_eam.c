/* gapneb: EAM evaluation (energy eV, forces eV/Å, lengths Å): the neighbour-list passes, on one
 * or several threads, for the analytic Zhou 2004 Pt functions and for tables (pot_eam_fn.h);
 * the potential object. The functions one at a time, the eam-pt constructor and the setfl writer
 * are in pot_eam_api.c.
 */
#include "pot_eam_fn.h"

#include "gapneb/element.h"
#include "gapneb/fileio.h"
#include "gapneb/neighbor.h"
#include "parallel_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---- energy and forces ----
 *
 * Two passes over the half list, as every EAM code does: densities, then forces once F'(rho) is
 * known. The first pass keeps, for each pair inside the cutoff, what the second needs, so that the
 * second reads neither the list (with its image shifts) nor the positions: for the analytic
 * functions (two exponentials a pair) the unit vector and the three derivatives; for tables, whose
 * lookups are cheap, the unit vector and r, from which it looks up the derivatives as LAMMPS
 * does.
 *
 * With several threads (gn_calc_set_threads) each pass runs over contiguous blocks of atoms with
 * about equal numbers of pairs; a thread adds the densities and forces of its pairs (including
 * those on atoms of other blocks) into arrays of its own, which are then summed in thread order,
 * so the result does not depend on the scheduling: it differs from the serial sums by rounding
 * only (their order changes). Thread t writes the records of block t from the block's first pair
 * on, so the blocks never share memory. One thread runs exactly the serial code. */

typedef struct pair_rec {
    double u[3];          /* (x_j + shift - x_i) / r */
    double df, dphi;      /* one element: the density derivative is the same for i and j */
} pair_rec;

typedef struct tab_rec {
    double u[3];          /* (x_j + shift - x_i) / r */
    double r;
} tab_rec;

/* Work arrays of a force call. A calculator keeps them between calls (gn_calc's scratch), so
 * that a large structure does not get fresh pages from the system on every call: at 10^5 atoms
 * the records alone are some 200 MB. They grow when needed and never shrink. */
typedef struct eam_work {
    size_t cap_n, cap_np;  /* atoms and pairs the arrays hold */
    int cap_nt;            /* threads the per-thread arrays hold */
    int *type;
    double *rho, *fp;
    pair_rec *rec;         /* analytic: pairs inside the cutoff, grouped by i */
    tab_rec *trec;         /* tables: the same pairs, geometry only */
    int *rec_j;
    size_t *rec_first;     /* natoms: the records of atom i are rec_first[i] .. rec_end[i]-1 */
    size_t *rec_end;
    double *rho_t, *f_t;   /* threads 1 .. nt-1: densities (natoms each), forces (3 natoms) */
} eam_work;

static void work_free(eam_work *w)
{
    free(w->type);
    free(w->rho);
    free(w->fp);
    free(w->rec);
    free(w->trec);
    free(w->rec_j);
    free(w->rec_first);
    free(w->rec_end);
    free(w->rho_t);
    free(w->f_t);
    memset(w, 0, sizeof *w);
}

/* *p holds at least n elements of size sz afterwards (contents not kept). */
static int grow(void *pp, size_t n, size_t sz)
{
    void **p = pp;
    free(*p);
    *p = malloc(n * sz);
    return *p != NULL;
}

/* Makes w hold a structure of a->n atoms with nl's pairs on nt threads, zeroes the densities and
 * maps the atoms' elements. On failure w is left empty. */
static int work_prepare(const gn_eam *e, const gn_atoms *a, const gn_nlist *nl, int nt,
                        eam_work *w, gn_error *err)
{
    size_t n = a->n, m = n ? n : 1, np = nl->npairs ? nl->npairs : 1;
    int ok = 1;
    if (m > w->cap_n) {
        ok = grow(&w->type, m, sizeof *w->type) && grow(&w->rho, m, sizeof *w->rho) &&
             grow(&w->fp, m, sizeof *w->fp) && grow(&w->rec_first, m, sizeof *w->rec_first) &&
             grow(&w->rec_end, m, sizeof *w->rec_end);
        w->cap_n = m;
        w->cap_nt = 0; /* the per-thread arrays are sized by atoms too */
    }
    if (ok && (np > w->cap_np || (e->analytic ? !w->rec : !w->trec))) {
        ok = grow(e->analytic ? (void *)&w->rec : (void *)&w->trec, np,
                  e->analytic ? sizeof *w->rec : sizeof *w->trec) &&
             grow(&w->rec_j, np, sizeof *w->rec_j);
        w->cap_np = np;
    }
    if (ok && nt > 1 && nt > w->cap_nt) {
        ok = grow(&w->rho_t, (size_t)(nt - 1) * w->cap_n, sizeof *w->rho_t) &&
             grow(&w->f_t, (size_t)(nt - 1) * 3 * w->cap_n, sizeof *w->f_t);
        w->cap_nt = nt;
    }
    if (!ok) {
        work_free(w);
        return gn_error_set(err, GN_ENOMEM, "EAM: out of memory for %zu atoms", n);
    }
    memset(w->rho, 0, m * sizeof *w->rho);
    for (size_t i = 0; i < n; i++) {
        int z = a->z[i];
        int t = (z >= 0 && z <= GN_Z_MAX) ? e->zmap[z] : -1;
        if (t < 0) {
            const char *sym = gn_element_symbol(z);
            return gn_error_set(err, GN_EINVAL,
                                "EAM: atom %zu is %s (Z = %d), which this potential does not "
                                "describe",
                                i + 1, sym ? sym : "?", z);
        }
        w->type[i] = t;
    }
    return GN_OK;
}

/* d = x_j + shift - x_i for pair k of atom i at xi; returns |d|^2. */
static inline double separation(const double *pos, const gn_nlist *nl, const double *xi, size_t k,
                                int j, double d[3])
{
    const double *xj = pos + 3 * (size_t)j, *sh = nl->shift + 3 * k;
    d[0] = xj[0] + sh[0] - xi[0];
    d[1] = xj[1] + sh[1] - xi[1];
    d[2] = xj[2] + sh[2] - xi[2];
    return d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
}

/* Pairs are evaluated in batches of a fixed size (padded with r = r_e), so that GCC at -O2
 * turns the loops without calls into vector code with no scalar remainder, and the exp() calls
 * and divisions of different pairs overlap instead of forming one serial chain each. A batch
 * runs on across atoms: an atom has some 40 pairs in the cutoff, and batches ending with each
 * atom would be a fifth padding. */
enum { ZW_BATCH = 16 };

typedef struct zw_batch {
    int n;                                  /* pairs held */
    int j[ZW_BATCH];
    size_t i[ZW_BATCH];
    double d[3][ZW_BATCH], r2[ZW_BATCH];    /* separation and its square */
    double rinv[ZW_BATCH], r[ZW_BATCH], t[ZW_BATCH];
    double f[ZW_BATCH], df[ZW_BATCH], phi[ZW_BATCH], dphi[ZW_BATCH];
} zw_batch;

/* The sums of the density pass. Every sum takes its terms in the order of the list, as a
 * plain loop over it would: an atom's own density is summed apart (cur, rho_cur) and added to
 * rho[cur] after its last pair, before the next atom's. */
typedef struct zw_sums {
    eam_work *w;
    double *rho;        /* the densities this pass adds to (the thread's own array) */
    double *peratom;
    size_t nrec;        /* records written */
    size_t cur;         /* atom whose pairs are being summed, SIZE_MAX before the first */
    double rho_cur, epair;
} zw_sums;

static void zw_batch_eval(zw_batch *b)
{
    for (int k = b->n; k < ZW_BATCH; k++)
        b->r2[k] = GN_EAM_PT_RE * GN_EAM_PT_RE;
#if defined(__SSE2__)
    /* sqrt() must set errno for negative arguments and so stays scalar, with a test on each
     * call; r2 >= 0 here, and the packed instruction rounds the same (IEEE 754). */
    for (int k = 0; k < ZW_BATCH; k += 2) {
        __m128d r = _mm_sqrt_pd(_mm_loadu_pd(b->r2 + k));
        _mm_storeu_pd(b->r + k, r);
        _mm_storeu_pd(b->rinv + k, _mm_div_pd(_mm_set1_pd(1.0), r));
    }
#else
    for (int k = 0; k < ZW_BATCH; k++) {
        b->r[k] = sqrt(b->r2[k]);
        b->rinv[k] = 1.0 / b->r[k];
    }
#endif
    for (int k = 0; k < ZW_BATCH; k++)
        b->t[k] = zw_exp(zw_exp_arg(b->r[k]));
    for (int k = 0; k < ZW_BATCH; k++)
        zw_pair_t(b->r[k], b->t[k], &b->f[k], &b->df[k], &b->phi[k], &b->dphi[k]);
}

static void zw_sums_close_atom(zw_sums *s)
{
    if (s->cur != SIZE_MAX)
        s->rho[s->cur] += s->rho_cur;
    s->rho_cur = 0.0;
}

/* Evaluates the batch, adds its densities and pair energies and appends the records. The sums
 * and pointers are copied to locals: written through pointers, they would be stored and
 * reloaded for every pair in case rho[j] or a record is one of them. */
static void zw_batch_flush(zw_batch *b, zw_sums *s)
{
    double *rho = s->rho, *peratom = s->peratom;
    pair_rec *rec = s->w->rec + s->nrec;
    int *rec_j = s->w->rec_j + s->nrec;
    size_t cur = s->cur;
    double rho_cur = s->rho_cur, epair = s->epair;
    zw_batch_eval(b);
    for (int k = 0; k < b->n; k++) {
        size_t i = b->i[k];
        int j = b->j[k];
        double rinv = b->rinv[k];
        if (i != cur) {
            if (cur != SIZE_MAX)
                rho[cur] += rho_cur;
            rho_cur = 0.0;
            cur = i;
        }
        rho_cur += b->f[k];
        rho[j] += b->f[k];
        epair += b->phi[k];
        if (peratom) {
            peratom[i] += 0.5 * b->phi[k];
            peratom[j] += 0.5 * b->phi[k];
        }
        rec[k].u[0] = b->d[0][k] * rinv;
        rec[k].u[1] = b->d[1][k] * rinv;
        rec[k].u[2] = b->d[2][k] * rinv;
        rec[k].df = b->df[k];
        rec[k].dphi = b->dphi[k];
        rec_j[k] = j;
    }
    s->nrec += (size_t)b->n;
    s->cur = cur;
    s->rho_cur = rho_cur;
    s->epair = epair;
    b->n = 0;
}

/* The records of atoms i0 .. i1-1 end where the next atom's begin; the last at nrec. */
static void close_records(eam_work *w, size_t i0, size_t i1, size_t nrec)
{
    for (size_t i = i0; i + 1 < i1; i++)
        w->rec_end[i] = w->rec_first[i + 1];
    if (i1 > i0)
        w->rec_end[i1 - 1] = nrec;
}

/* Densities (into rho) and pair energy of the pairs of atoms i0 .. i1-1, records from the
 * block's first pair on. */
static double analytic_density_pass(const gn_eam *e, const gn_atoms *a, const gn_nlist *nl,
                                    eam_work *w, size_t i0, size_t i1, double *rho,
                                    double *peratom)
{
    const double cut2 = e->cut * e->cut;
    zw_sums s = {w, rho, peratom, nl->first[i0], SIZE_MAX, 0.0, 0.0};
    zw_batch b;
    b.n = 0;
    /* locals, because b's address is passed on: GCC would otherwise reload all of these for
     * every pair, in case the stores into b changed them */
    const double *pos = a->pos, *shift = nl->shift;
    const int *nj = nl->j;
    for (size_t i = i0; i < i1; i++) {
        const double xi[3] = {pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]};
        const size_t kend = nl->first[i + 1];
        w->rec_first[i] = s.nrec + (size_t)b.n;
        for (size_t k = nl->first[i]; k < kend; k++) {
            /* Every pair is written to the next free slot, which only advances for pairs
             * inside the cutoff: about 40% of the list's pairs lie in the skin or beyond, in
             * no predictable order, and a branch on r2 would be mispredicted that often. */
            int j = nj[k];
            const double *xj = pos + 3 * (size_t)j, *sh = shift + 3 * k;
            double d[3] = {xj[0] + sh[0] - xi[0], xj[1] + sh[1] - xi[1], xj[2] + sh[2] - xi[2]};
            double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            b.i[b.n] = i;
            b.j[b.n] = j;
            b.d[0][b.n] = d[0];
            b.d[1][b.n] = d[1];
            b.d[2][b.n] = d[2];
            b.r2[b.n] = r2;
            b.n += r2 < cut2;
            if (b.n == ZW_BATCH)
                zw_batch_flush(&b, &s);
        }
    }
    if (b.n)
        zw_batch_flush(&b, &s);
    zw_sums_close_atom(&s);
    close_records(w, i0, i1, s.nrec);
    return s.epair;
}

static void analytic_force_pass(const eam_work *w, size_t i0, size_t i1, double *forces)
{
    for (size_t i = i0; i < i1; i++) {
        /* three scalars, not an array: GCC keeps an array's loop over x and with it the sums
         * in memory */
        double fx = 0.0, fy = 0.0, fz = 0.0, fpi = w->fp[i];
        for (size_t k = w->rec_first[i]; k < w->rec_end[i]; k++) {
            const pair_rec *p = w->rec + k;
            int j = w->rec_j[k];
            /* dE/dr: both embedding energies depend on r_ij, plus the pair term. */
            double s = (fpi + w->fp[j]) * p->df + p->dphi;
            double sx = s * p->u[0], sy = s * p->u[1], sz = s * p->u[2];
            double *fj = forces + 3 * (size_t)j;
            fx += sx;
            fy += sy;
            fz += sz;
            fj[0] -= sx;
            fj[1] -= sy;
            fj[2] -= sz;
        }
        forces[3 * i] += fx;
        forces[3 * i + 1] += fy;
        forces[3 * i + 2] += fz;
    }
}

/* Density of an atom of element t at r (value only), as LAMMPS's first pass. */
static inline double tab_rho(const gn_eam_tab *t, int e, double r)
{
    double p;
    int m = grid_index(t->nr, t->rdr, r, &p);
    return spl_val(t->rhor + 7 * ((size_t)e * t->nr + m), p);
}

static void tab_density_pass(const gn_eam *e, const gn_atoms *a, const gn_nlist *nl,
                             eam_work *w, size_t i0, size_t i1, double *rho)
{
    const gn_eam_tab *t = &e->tab;
    const double cut2 = e->cut * e->cut;
    size_t nrec = nl->first[i0];
    for (size_t i = i0; i < i1; i++) {
        const double *xi = a->pos + 3 * i;
        const int ti = w->type[i];
        double rho_i = 0.0;
        w->rec_first[i] = nrec;
        for (size_t k = nl->first[i]; k < nl->first[i + 1]; k++) {
            int j = nl->j[k];
            double d[3], r2 = separation(a->pos, nl, xi, k, j, d);
            if (r2 >= cut2)
                continue;
            double r = sqrt(r2), rinv = 1.0 / r;
            int tj = w->type[j];
            double fj = tab_rho(t, tj, r);
            rho_i += fj;
            rho[j] += tj == ti ? fj : tab_rho(t, ti, r);
            tab_rec *q = w->trec + nrec;
            q->u[0] = d[0] * rinv;
            q->u[1] = d[1] * rinv;
            q->u[2] = d[2] * rinv;
            q->r = r;
            w->rec_j[nrec++] = j;
        }
        rho[i] += rho_i;
    }
    close_records(w, i0, i1, nrec);
}

/* Pair energies and, if forces is not NULL, forces of the pairs of atoms i0 .. i1-1. */
static double tab_force_pass(const gn_eam *e, const eam_work *w, size_t i0, size_t i1,
                             double *forces, double *peratom)
{
    const gn_eam_tab *t = &e->tab;
    double epair = 0.0;
    for (size_t i = i0; i < i1; i++) {
        const int ti = w->type[i];
        double fi[3] = {0.0, 0.0, 0.0};
        for (size_t k = w->rec_first[i]; k < w->rec_end[i]; k++) {
            const tab_rec *q = w->trec + k;
            int j = w->rec_j[k], tj = w->type[j];
            double r = q->r, p, rinv = 1.0 / r;
            int m = grid_index(t->nr, t->rdr, r, &p);
            const double *c = t->rhor + 7 * ((size_t)ti * t->nr + m);
            double dfi = spl_der(c, p), dfj = dfi;
            if (tj != ti)
                dfj = spl_der(t->rhor + 7 * ((size_t)tj * t->nr + m), p);
            c = t->z2r + 7 * ((size_t)pair_index(ti, tj) * t->nr + m);
            double z2 = spl_val(c, p), z2p = spl_der(c, p);
            double phi = z2 * rinv, dphi = (z2p - phi) * rinv;
            epair += phi;
            if (peratom) {
                peratom[i] += 0.5 * phi;
                peratom[j] += 0.5 * phi;
            }
            if (!forces)
                continue;
            double s = w->fp[i] * dfj + w->fp[j] * dfi + dphi;
            double *fj = forces + 3 * (size_t)j;
            for (int x = 0; x < 3; x++) {
                fi[x] += s * q->u[x];
                fj[x] -= s * q->u[x];
            }
        }
        if (forces)
            for (int x = 0; x < 3; x++)
                forces[3 * i + x] += fi[x];
    }
    return epair;
}

/* Embedding energies and F'(rho) of atoms i0 .. i1-1, whose densities are complete. */
static double embed_pass(const gn_eam *e, eam_work *w, size_t i0, size_t i1, double *peratom)
{
    double eemb = 0.0;
    for (size_t i = i0; i < i1; i++) {
        double F, dF;
        if (e->analytic)
            zw_embed(w->rho[i], &F, &dF);
        else
            tab_embed(&e->tab, w->type[i], w->rho[i], &F, &dF);
        w->fp[i] = dF;
        eemb += F;
        if (peratom)
            peratom[i] += F;
    }
    return eemb;
}

/* One force call split over threads: the blocks of atoms (equal numbers of pairs), and each
 * thread's pair and embedding energy. Four phases, each run by every thread on its block:
 * densities; the block's densities summed over the threads, its embedding energies and the
 * zeroing of its forces; forces; the block's forces summed over the threads. */
enum { EAM_DENSITY, EAM_EMBED, EAM_FORCE, EAM_SUM_FORCES };

typedef struct eam_job {
    const gn_eam *e;
    const gn_atoms *a;
    const gn_nlist *nl;
    eam_work *w;
    double *forces, *peratom;
    int phase;
    size_t bounds[GN_PARALLEL_MAX + 1];
    double epair[GN_PARALLEL_MAX], eemb[GN_PARALLEL_MAX];
} eam_job;

/* dst[k] += the arrays of threads 1 .. nt-1 (stride len, one after another) at k, in thread
 * order, for k in [k0, k1). */
static void reduce(double *dst, const double *parts, int nt, size_t len, size_t k0, size_t k1)
{
    for (int t = 1; t < nt; t++)
        for (size_t k = k0; k < k1; k++)
            dst[k] += parts[(size_t)(t - 1) * len + k];
}

static void eam_part(void *ctx, int t, int nt)
{
    eam_job *j = ctx;
    const size_t n = j->a->n, i0 = j->bounds[t], i1 = j->bounds[t + 1];
    eam_work *w = j->w;
    double *f = j->forces;
    switch (j->phase) {
    case EAM_DENSITY: {
        double *rho = w->rho;
        if (t > 0) {
            rho = w->rho_t + (size_t)(t - 1) * n;
            memset(rho, 0, n * sizeof *rho);
        }
        if (j->e->analytic)
            j->epair[t] = analytic_density_pass(j->e, j->a, j->nl, w, i0, i1, rho, j->peratom);
        else
            tab_density_pass(j->e, j->a, j->nl, w, i0, i1, rho);
        break;
    }
    case EAM_EMBED:
        reduce(w->rho, w->rho_t, nt, n, i0, i1);
        j->eemb[t] = embed_pass(j->e, w, i0, i1, j->peratom);
        if (f)
            memset(f + 3 * i0, 0, 3 * (i1 - i0) * sizeof *f);
        break;
    case EAM_FORCE:
        if (f && t > 0) {
            f = w->f_t + (size_t)(t - 1) * 3 * n;
            memset(f, 0, 3 * n * sizeof *f);
        }
        if (!j->e->analytic)
            j->epair[t] = tab_force_pass(j->e, w, i0, i1, f, j->peratom);
        else if (f)
            analytic_force_pass(w, i0, i1, f);
        break;
    default:
        reduce(f, w->f_t, nt, 3 * n, 3 * i0, 3 * i1);
    }
}

static void eam_phase(eam_job *j, int phase, int nt)
{
    j->phase = phase;
    gn_parallel_run(nt, eam_part, j);
}

/* The force call with the work arrays w (kept by the caller between calls). */
static int eam_compute_work(const void *self, const gn_atoms *a, const gn_nlist *nl,
                            int nthreads, eam_work *w, double *energy, double *forces,
                            double *peratom, gn_error *err)
{
    const gn_eam *e = self;
    if (!nl || nl->natoms != a->n)
        return gn_error_set(err, GN_EINVAL, "EAM: neighbour list does not match the %zu atoms",
                            a->n);
    if (nl->cutoff < e->cut)
        return gn_error_set(err, GN_EINVAL, "EAM: neighbour list cutoff %g Å is below %g Å",
                            nl->cutoff, e->cut);
    /* per-atom energies are summed in the serial order only; a block needs some atoms */
    int nt = peratom || nthreads < 1 ? 1 : nthreads;
    if (nt > GN_PARALLEL_MAX)
        nt = GN_PARALLEL_MAX;
    if ((size_t)nt > a->n / 16)
        nt = a->n >= 32 ? (int)(a->n / 16) : 1;
    int rc = work_prepare(e, a, nl, nt, w, err);
    if (rc)
        return rc;
    if (peratom)
        memset(peratom, 0, a->n * sizeof *peratom);
    eam_job job = {.e = e, .a = a, .nl = nl, .w = w, .forces = forces, .peratom = peratom};
    gn_parallel_split(a->n, nl->first, nt, job.bounds);
    eam_phase(&job, EAM_DENSITY, nt);
    eam_phase(&job, EAM_EMBED, nt);
    /* the sums in the serial code's order: analytic pair energies come with the densities,
     * tabulated ones with the forces, after the embedding energies */
    double etot = 0.0;
    for (int t = 0; e->analytic && t < nt; t++)
        etot += job.epair[t];
    for (int t = 0; t < nt; t++)
        etot += job.eemb[t];
    if (forces || !e->analytic) {
        eam_phase(&job, EAM_FORCE, nt);
        if (forces && nt > 1)
            eam_phase(&job, EAM_SUM_FORCES, nt);
        for (int t = 0; !e->analytic && t < nt; t++)
            etot += job.epair[t];
    }
    if (energy)
        *energy = etot;
    return GN_OK;
}

static int eam_compute_calc(const void *self, const gn_atoms *a, const gn_nlist *nl,
                            int nthreads, void **scratch, double *energy, double *forces,
                            double *peratom, gn_error *err)
{
    if (!*scratch && !(*scratch = calloc(1, sizeof(eam_work))))
        return gn_error_set(err, GN_ENOMEM, "EAM: out of memory");
    return eam_compute_work(self, a, nl, nthreads, *scratch, energy, forces, peratom, err);
}

static void eam_scratch_free(void *scratch)
{
    if (scratch)
        work_free(scratch);
    free(scratch);
}

static int eam_compute(const void *self, const gn_atoms *a, const gn_nlist *nl, double *energy,
                       double *forces, double *peratom, gn_error *err)
{
    eam_work w;
    memset(&w, 0, sizeof w);
    int rc = eam_compute_work(self, a, nl, 1, &w, energy, forces, peratom, err);
    work_free(&w);
    return rc;
}

static double eam_cutoff(const void *self) { return ((const gn_eam *)self)->cut; }

void gn_eam_tab_release(gn_eam_tab *t)
{
    free(t->z);
    free(t->lattice);
    free(t->frho);
    free(t->rhor);
    free(t->z2r);
    memset(t, 0, sizeof *t);
}

static void eam_free(void *self)
{
    gn_eam *e = self;
    if (!e)
        return;
    gn_eam_tab_release(&e->tab);
    free(e);
}

static const gn_potential_ops eam_ops = {eam_compute, eam_cutoff, eam_free, NULL,
                                         eam_compute_calc, eam_scratch_free};

int gn_pot_eam_is(const gn_potential *p) { return p && p->ops == &eam_ops; }

int gn_eam_wrap(gn_eam *e, const char *name, const char *description, int z,
                gn_potential **out, gn_error *err)
{
    *out = NULL;
    gn_potential *p = calloc(1, sizeof *p);
    if (!p) {
        eam_free(e);
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    }
    p->ops = &eam_ops;
    p->self = e;
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->description, sizeof p->description, "%s", description);
    p->z = z;
    *out = p;
    return GN_OK;
}

int gn_pot_eam_elements(const gn_potential *p, int *zs, int max)
{
    if (!gn_pot_eam_is(p))
        return 0;
    const gn_eam *e = p->self;
    int n = e->analytic ? 1 : e->tab.nel;
    for (int k = 0; k < n && k < max; k++)
        zs[k] = e->analytic ? GN_Z_PT : e->tab.z[k];
    return n;
}
