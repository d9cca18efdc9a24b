/* gapneb: EAM evaluation (energy eV, forces eV/Å, lengths Å), the analytic Zhou 2004 Pt potential
 * and the setfl writer.
 *
 * eam-pt: X. W. Zhou, R. A. Johnson and H. N. G. Wadley, Phys. Rev. B 69, 144113 (2004), Pt set:
 *   phi(r) = A e^{-alpha (x-1)} / (1 + (x-kappa)^20) - B e^{-beta (x-1)} / (1 + (x-lambda)^20)
 *   f(r)   = f_e e^{-beta (x-1)} / (1 + (x-lambda)^20),  x = r / r_e
 *   F(rho) = sum_i F_ni (rho/rho_n - 1)^i          rho < rho_n
 *          = sum_i F_i (rho/rho_e - 1)^i           rho_n <= rho < rho_0
 *          = F_e [1 - eta ln(rho/rho_s)] (rho/rho_s)^eta   rho >= rho_0
 * Choices, each checked in tests/test_eam.c:
 *  - rho_n = 0.25 rho_e, not the paper's general 0.85 rho_e: the tabulated Pt F_ni were fitted to
 *    join the middle branch at 0.25 rho_e (LAMMPS tools/eam_database and OpenMD use it too). With
 *    0.85 F jumps by 2.6 eV at rho_n; with 0.25 the jumps are 6e-8 eV in F and 2e-8 eV in F'
 *    (the precision of the published digits).
 *  - One F_3 for the whole middle branch: the database's separate F_3 above rho_e equals F_3 for
 *    Pt (-2.420128), so there is nothing to choose.
 *  - At rho_0 = 1.15 rho_e the jumps are 4e-7 eV in F and 1e-9 eV in F'.
 *  - Cutoff: the analytic form has none; phi and f are multiplied by the quintic switch
 *    S(t) = 1 - 10 t^3 + 15 t^4 - 6 t^5, t = (r - 5.8)/(6.5 - 5.8), so energy, force and the
 *    force's derivative go smoothly to zero at r_c = 6.5 Å. The taper starts beyond the 4th fcc
 *    shell (5.54 Å) and only scales the already tiny 5th shell (6.20 Å: phi = -3e-6 eV,
 *    f = 1e-5 there, against f(r_e) = 2.34).
 * The isolated atom has E = F(0) = 0.
 */
#include "pot_eam_impl.h"

#include "gapneb/element.h"
#include "gapneb/fileio.h"
#include "gapneb/neighbor.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Zhou 2004 Pt parameters, as tabulated in LAMMPS tools/eam_database and OpenMD's
 * EAM.Zhou2004.frc (the two agree; OpenMD notes that rho_n = 0.25 rho_e is not in the paper). */
static const double ZW_RE = GN_EAM_PT_RE, ZW_FE = 2.336509, ZW_RHOE = GN_EAM_PT_RHO_E,
                    ZW_RHOS = 35.205357, ZW_ALPHA = 7.105782, ZW_BETA = 3.789750,
                    ZW_A = 0.556398, ZW_B = 0.696037, ZW_KAPPA = 0.385255, ZW_LAMBDA = 0.770510;
static const double ZW_FN[4] = {-1.455568, -2.149952, 0.528491, 1.222875};
static const double ZW_F[4] = {-4.17, 0.0, 3.010561, -2.420128};
static const double ZW_ETA = 1.450000, ZW_FEMB = -4.145597;
static const double ZW_MASS = 195.08;

/* ---- analytic functions ---- */

/* The batch loop below is vectorised only if its body is inlined, which GCC declines at -O2 for
 * a function of this size. */
#if defined(__GNUC__)
#define ZW_INLINE static inline __attribute__((always_inline))
#else
#define ZW_INLINE static inline
#endif

/* u^20 and its derivative 20 u^19. */
static inline double pow20(double u, double *d)
{
    double u2 = u * u, u4 = u2 * u2, u5 = u4 * u, u10 = u5 * u5;
    *d = 20.0 * u10 * u5 * u4;
    return u10 * u10;
}

/* For Zhou's Pt set alpha = (15/8) beta + 7.5e-7, so one exponential t = e^{-beta(x-1)/8}
 * gives e^{-beta(x-1)} = t^8 and e^{-alpha(x-1)} = t^15 e^{-delta(x-1)}, the last factor
 * to second order (|delta (x-1)| < 1e-6 inside the cutoff: error below 1e-18). This halves
 * the exp() calls of the hottest loop; test_eam checks it against direct evaluation.
 * zw_exp_arg gives the exponent of t, zw_pair_t the rest, so that a batch of pairs can call
 * exp() back to back and leave the arithmetic to vector instructions. */
static inline double zw_exp_arg(double r)
{
    static const double inv_re = 1.0 / GN_EAM_PT_RE;
    double u = r * inv_re - 1.0;
    return -0.125 * ZW_BETA * u;
}

/* Both functions share e^{-beta(x-1)} / (1 + (x-lambda)^20); one division serves both
 * denominators and the constants' inverses replace the others. t = exp(zw_exp_arg(r)),
 * 0 < r <= r_c. The taper is branch-free: in a list the tapered and untapered pairs come in no
 * predictable order, and a branch would keep the batch loop from being vectorised. */
ZW_INLINE void zw_pair_t(double r, double t, double *f, double *df, double *phi, double *dphi)
{
    static const double inv_re = 1.0 / GN_EAM_PT_RE;
    const double delta = ZW_ALPHA - 1.875 * ZW_BETA;
    const double rs = GN_EAM_PT_RTAPER, rc = GN_EAM_PT_RCUT;
    double x = r * inv_re, u = x - 1.0;
    double t2 = t * t, t4 = t2 * t2, t8 = t4 * t4, du = delta * u;
    double eb = t8, ea = t8 * t4 * t2 * t * (1.0 - du + 0.5 * du * du);
    double dpl, dpk;
    double dl = 1.0 + pow20(x - ZW_LAMBDA, &dpl), dk = 1.0 + pow20(x - ZW_KAPPA, &dpk);
    double inv = 1.0 / (dl * dk), gl = dk * inv, gk = dl * inv;
    /* d/dx of e/(1+u^20) = e (-c - 20 u^19 g) g */
    double fb = eb * gl, dfb = -fb * (ZW_BETA + dpl * gl) * inv_re;
    double fa = ea * gk, dfa = -fa * (ZW_ALPHA + dpk * gk) * inv_re;
    double f0 = ZW_FE * fb, df0 = ZW_FE * dfb;
    double p0 = ZW_A * fa - ZW_B * fb, dp0 = ZW_A * dfa - ZW_B * dfb;
    /* quintic switch S(t) = 1 - 10 t^3 + 15 t^4 - 6 t^5, with t = max(q, 0) = (q + |q|) / 2
     * (exact in binary arithmetic): below the taper t = 0, so S = 1 and S' = 0 exactly, without
     * a comparison, which GCC would turn back into a branch. r <= r_c: t <= 1. */
    double q = (r - rs) / (rc - rs), tt = 0.5 * (q + fabs(q));
    double tt2 = tt * tt, omt = 1.0 - tt;
    double s = 1.0 - tt2 * tt * (10.0 - 15.0 * tt + 6.0 * tt2);
    double ds = -30.0 * tt2 * omt * omt / (rc - rs);
    *f = f0 * s;
    *df = df0 * s + f0 * ds;
    *phi = p0 * s;
    *dphi = dp0 * s + p0 * ds;
}

/* One pair, 0 < r < r_c (the callers return zeros beyond the cutoff); the same arithmetic as a
 * batch, so gn_pot_eam_density/pair and the setfl writer give bit for bit what the force call
 * uses. */
static void zw_pair(double r, double *f, double *df, double *phi, double *dphi)
{
    zw_pair_t(r, exp(zw_exp_arg(r)), f, df, phi, dphi);
}

static double poly3(const double c[4], double u, double *du)
{
    *du = c[1] + u * (2.0 * c[2] + 3.0 * c[3] * u);
    return c[0] + u * (c[1] + u * (c[2] + u * c[3]));
}

static void zw_embed(double rho, double *F, double *dF)
{
    const double rho_n = GN_EAM_PT_RHO_N, rho_0 = GN_EAM_PT_RHO_0;
    double du;
    if (rho < rho_n) {
        *F = poly3(ZW_FN, rho / rho_n - 1.0, &du);
        *dF = du / rho_n;
    } else if (rho < rho_0) {
        *F = poly3(ZW_F, rho / ZW_RHOE - 1.0, &du);
        *dF = du / ZW_RHOE;
    } else {
        double q = rho / ZW_RHOS, lq = log(q), qe = pow(q, ZW_ETA);
        *F = ZW_FEMB * (1.0 - ZW_ETA * lq) * qe;
        *dF = -ZW_FEMB * ZW_ETA * ZW_ETA * lq * qe / rho;
    }
}

/* ---- tabulated functions, evaluated as LAMMPS pair_eam does ---- */

/* Index and fraction on a grid of n points: LAMMPS's p = x/dx + 1, m = (int)p clamped to
 * [1, n-1], fraction clamped to 1; returns the 0-based interval. */
static inline int grid_index(int n, double rdx, double x, double *p)
{
    double q = x * rdx + 1.0;
    int m;
    /* written so that a NaN or huge x (densities of a broken table) never reaches the int */
    if (!(q >= 1.0))
        m = 1;
    else if (q >= (double)n)
        m = n - 1;
    else
        m = (int)q;
    q -= m;
    *p = q < 1.0 ? q : 1.0;
    return m - 1;
}

static inline double spl_val(const double *c, double p) { return ((c[3] * p + c[4]) * p + c[5]) * p + c[6]; }
static inline double spl_der(const double *c, double p) { return (c[0] * p + c[1]) * p + c[2]; }

static void tab_embed(const gn_eam_tab *t, int e, double rho, double *F, double *dF)
{
    double p;
    int m = grid_index(t->nrho, t->rdrho, rho, &p);
    const double *c = t->frho + 7 * ((size_t)e * t->nrho + m);
    *dF = spl_der(c, p);
    *F = spl_val(c, p);
    if (rho > t->rhomax)
        *F += *dF * (rho - t->rhomax);
}

static int pair_index(int a, int b) { return a >= b ? a * (a + 1) / 2 + b : b * (b + 1) / 2 + a; }

/* fi, dfi: density of an atom of element ti; fj, dfj: of tj; phi between them. */
static void tab_pair(const gn_eam_tab *t, int ti, int tj, double r, double *fi, double *dfi,
                     double *fj, double *dfj, double *phi, double *dphi)
{
    double p;
    int m = grid_index(t->nr, t->rdr, r, &p);
    const double *c = t->rhor + 7 * ((size_t)ti * t->nr + m);
    *fi = spl_val(c, p);
    *dfi = spl_der(c, p);
    if (tj != ti)
        c = t->rhor + 7 * ((size_t)tj * t->nr + m);
    *fj = spl_val(c, p);
    *dfj = spl_der(c, p);
    c = t->z2r + 7 * ((size_t)pair_index(ti, tj) * t->nr + m);
    double z2 = spl_val(c, p), z2p = spl_der(c, p);
    double rinv = 1.0 / r;
    *phi = z2 * rinv;
    *dphi = (z2p - *phi) * rinv;
}

/* ---- energy and forces ----
 *
 * Two passes over the half list, as every EAM code does: densities, then forces once F'(rho) is
 * known. The first pass keeps, for each pair inside the cutoff, what the second needs, so that the
 * second reads neither the list (with its image shifts) nor the positions: for the analytic
 * functions (two exponentials a pair) the unit vector and the three derivatives; for tables, whose
 * lookups are cheap, the unit vector and r, from which it looks up the derivatives as LAMMPS
 * does. */

typedef struct pair_rec {
    double u[3];          /* (x_j + shift - x_i) / r */
    double df, dphi;      /* one element: the density derivative is the same for i and j */
} pair_rec;

typedef struct tab_rec {
    double u[3];          /* (x_j + shift - x_i) / r */
    double r;
} tab_rec;

typedef struct eam_work {
    int *type;
    double *rho, *fp;
    pair_rec *rec;        /* analytic: pairs inside the cutoff, grouped by i */
    tab_rec *trec;        /* tables: the same pairs, geometry only */
    int *rec_j;
    size_t *rec_first;    /* natoms + 1 */
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
}

static int work_init(const gn_eam *e, const gn_atoms *a, const gn_nlist *nl, eam_work *w,
                     gn_error *err)
{
    size_t n = a->n, m = n ? n : 1, np = nl->npairs ? nl->npairs : 1;
    memset(w, 0, sizeof *w);
    w->type = malloc(m * sizeof *w->type);
    w->rho = calloc(m, sizeof *w->rho);
    w->fp = malloc(m * sizeof *w->fp);
    int ok = w->type && w->rho && w->fp;
    if (ok) {
        if (e->analytic)
            w->rec = malloc(np * sizeof *w->rec);
        else
            w->trec = malloc(np * sizeof *w->trec);
        w->rec_j = malloc(np * sizeof *w->rec_j);
        w->rec_first = malloc((n + 1) * sizeof *w->rec_first);
        ok = (w->rec || w->trec) && w->rec_j && w->rec_first;
    }
    if (!ok) {
        work_free(w);
        return gn_error_set(err, GN_ENOMEM, "EAM: out of memory for %zu atoms", n);
    }
    for (size_t i = 0; i < n; i++) {
        int z = a->z[i];
        int t = (z >= 0 && z <= GN_Z_MAX) ? e->zmap[z] : -1;
        if (t < 0) {
            const char *sym = gn_element_symbol(z);
            work_free(w);
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
        b->t[k] = exp(zw_exp_arg(b->r[k]));
    for (int k = 0; k < ZW_BATCH; k++)
        zw_pair_t(b->r[k], b->t[k], &b->f[k], &b->df[k], &b->phi[k], &b->dphi[k]);
}

static void zw_sums_close_atom(zw_sums *s)
{
    if (s->cur != SIZE_MAX)
        s->w->rho[s->cur] += s->rho_cur;
    s->rho_cur = 0.0;
}

/* Evaluates the batch, adds its densities and pair energies and appends the records. The sums
 * and pointers are copied to locals: written through pointers, they would be stored and
 * reloaded for every pair in case rho[j] or a record is one of them. */
static void zw_batch_flush(zw_batch *b, zw_sums *s)
{
    double *rho = s->w->rho, *peratom = s->peratom;
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

static double analytic_density_pass(const gn_eam *e, const gn_atoms *a, const gn_nlist *nl,
                                    eam_work *w, double *peratom)
{
    const double cut2 = e->cut * e->cut;
    zw_sums s = {w, peratom, 0, SIZE_MAX, 0.0, 0.0};
    zw_batch b;
    b.n = 0;
    /* locals, because b's address is passed on: GCC would otherwise reload all of these for
     * every pair, in case the stores into b changed them */
    const double *pos = a->pos, *shift = nl->shift;
    const int *nj = nl->j;
    for (size_t i = 0; i < a->n; i++) {
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
    w->rec_first[a->n] = s.nrec;
    return s.epair;
}

static void analytic_force_pass(const gn_atoms *a, const eam_work *w, double *forces)
{
    for (size_t i = 0; i < a->n; i++) {
        /* three scalars, not an array: GCC keeps an array's loop over x and with it the sums
         * in memory */
        double fx = 0.0, fy = 0.0, fz = 0.0, fpi = w->fp[i];
        for (size_t k = w->rec_first[i]; k < w->rec_first[i + 1]; k++) {
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
                             eam_work *w)
{
    const gn_eam_tab *t = &e->tab;
    const double cut2 = e->cut * e->cut;
    size_t nrec = 0;
    for (size_t i = 0; i < a->n; i++) {
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
            w->rho[j] += tj == ti ? fj : tab_rho(t, ti, r);
            tab_rec *q = w->trec + nrec;
            q->u[0] = d[0] * rinv;
            q->u[1] = d[1] * rinv;
            q->u[2] = d[2] * rinv;
            q->r = r;
            w->rec_j[nrec++] = j;
        }
        w->rho[i] += rho_i;
    }
    w->rec_first[a->n] = nrec;
}

/* Pair energies and, if forces is not NULL, forces. */
static double tab_force_pass(const gn_eam *e, const gn_atoms *a, const eam_work *w,
                             double *forces, double *peratom)
{
    const gn_eam_tab *t = &e->tab;
    double epair = 0.0;
    for (size_t i = 0; i < a->n; i++) {
        const int ti = w->type[i];
        double fi[3] = {0.0, 0.0, 0.0};
        for (size_t k = w->rec_first[i]; k < w->rec_first[i + 1]; k++) {
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

static double embed_pass(const gn_eam *e, const gn_atoms *a, eam_work *w, double *peratom)
{
    double eemb = 0.0;
    for (size_t i = 0; i < a->n; i++) {
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

static int eam_compute(const void *self, const gn_atoms *a, const gn_nlist *nl, double *energy,
                       double *forces, double *peratom, gn_error *err)
{
    const gn_eam *e = self;
    if (!nl || nl->natoms != a->n)
        return gn_error_set(err, GN_EINVAL, "EAM: neighbour list does not match the %zu atoms",
                            a->n);
    if (nl->cutoff < e->cut)
        return gn_error_set(err, GN_EINVAL, "EAM: neighbour list cutoff %g Å is below %g Å",
                            nl->cutoff, e->cut);
    eam_work w;
    int rc = work_init(e, a, nl, &w, err);
    if (rc)
        return rc;
    if (peratom)
        memset(peratom, 0, a->n * sizeof *peratom);
    if (forces)
        memset(forces, 0, 3 * a->n * sizeof *forces);
    double etot;
    if (e->analytic) {
        etot = analytic_density_pass(e, a, nl, &w, peratom);
        etot += embed_pass(e, a, &w, peratom);
        if (forces)
            analytic_force_pass(a, &w, forces);
    } else {
        tab_density_pass(e, a, nl, &w);
        etot = embed_pass(e, a, &w, peratom);
        etot += tab_force_pass(e, a, &w, forces, peratom);
    }
    if (energy)
        *energy = etot;
    work_free(&w);
    return GN_OK;
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

static const gn_potential_ops eam_ops = {eam_compute, eam_cutoff, eam_free, NULL};

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

int gn_pot_eam_pt_alloc(gn_potential **out, gn_error *err)
{
    *out = NULL;
    gn_eam *e = calloc(1, sizeof *e);
    if (!e)
        return gn_error_set(err, GN_ENOMEM, "out of memory");
    e->analytic = 1;
    e->cut = GN_EAM_PT_RCUT;
    for (int z = 0; z <= GN_Z_MAX; z++)
        e->zmap[z] = -1;
    e->zmap[GN_Z_PT] = 0;
    return gn_eam_wrap(e, "eam-pt",
                       "analytic EAM for Pt of Zhou, Johnson and Wadley, Phys. Rev. B 69, 144113 "
                       "(2004), tapered to 0 over 5.8-6.5 Å",
                       GN_Z_PT, out, err);
}

/* ---- the functions of a potential, one at a time ---- */

static int element_of(const gn_potential *p, int z, const gn_eam **e, int *t, gn_error *err)
{
    if (!gn_pot_eam_is(p))
        return gn_error_set(err, GN_EINVAL, "%s is not an EAM potential", p ? p->name : "(null)");
    *e = p->self;
    *t = (z >= 0 && z <= GN_Z_MAX) ? (*e)->zmap[z] : -1;
    if (*t < 0)
        return gn_error_set(err, GN_EINVAL, "%s does not describe element Z = %d", p->name, z);
    return GN_OK;
}

int gn_pot_eam_embed(const gn_potential *p, int z, double rho, double *F, double *dF,
                     gn_error *err)
{
    const gn_eam *e = NULL;
    int t = -1, rc = element_of(p, z, &e, &t, err);
    if (rc)
        return rc;
    if (e->analytic)
        zw_embed(rho, F, dF);
    else
        tab_embed(&e->tab, t, rho, F, dF);
    return GN_OK;
}

int gn_pot_eam_density(const gn_potential *p, int z, double r, double *f, double *df,
                       gn_error *err)
{
    const gn_eam *e = NULL;
    int t = -1, rc = element_of(p, z, &e, &t, err);
    if (rc)
        return rc;
    double phi, dphi, f2, df2;
    if (r >= e->cut) {
        *f = *df = 0.0;
    } else if (e->analytic) {
        zw_pair(r, f, df, &phi, &dphi);
    } else {
        tab_pair(&e->tab, t, t, r, f, df, &f2, &df2, &phi, &dphi);
    }
    return GN_OK;
}

int gn_pot_eam_pair(const gn_potential *p, int zi, int zj, double r, double *phi, double *dphi,
                    gn_error *err)
{
    const gn_eam *e = NULL;
    int ti = -1, tj = -1, rc = element_of(p, zi, &e, &ti, err);
    if (rc == GN_OK)
        rc = element_of(p, zj, &e, &tj, err);
    if (rc)
        return rc;
    double f, df, f2, df2;
    if (r >= e->cut) {
        *phi = *dphi = 0.0;
    } else if (e->analytic) {
        zw_pair(r, &f, &df, phi, dphi);
    } else {
        tab_pair(&e->tab, ti, tj, r, &f, &df, &f2, &df2, phi, dphi);
    }
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

/* ---- setfl output ---- */

typedef struct setfl_ctx {
    const char *path;
    const gn_potential *p;
    const gn_eam *e;
    int nrho, nr;
    double rhomax;
} setfl_ctx;

/* Five numbers a line, as LAMMPS's own tools write them. */
static int write_table(FILE *fp, const double *v, int n)
{
    for (int i = 0; i < n; i++)
        if (fprintf(fp, "%.16e%s", v[i], (i % 5 == 4 || i == n - 1) ? "\n" : " ") < 0)
            return -1;
    return 0;
}

static int setfl_write(FILE *fp, void *vctx, gn_error *err)
{
    setfl_ctx *c = vctx;
    const gn_eam *e = c->e;
    int nel = e->analytic ? 1 : e->tab.nel;
    int *zs = malloc(nel * sizeof *zs);
    int nmax = c->nrho > c->nr ? c->nrho : c->nr;
    double *v = malloc(nmax * sizeof *v);
    if (!zs || !v) {
        free(zs);
        free(v);
        return gn_error_set(err, GN_ENOMEM, "%s: out of memory", c->path);
    }
    gn_pot_eam_elements(c->p, zs, nel);
    double drho = c->rhomax / (c->nrho - 1), dr = e->cut / (c->nr - 1);
    int bad = fprintf(fp, "gapneb setfl export of %s\n%s\nnrho %d drho %.10g nr %d dr %.10g\n%d",
                      c->p->name, c->p->description, c->nrho, drho, c->nr, dr, nel) < 0;
    for (int k = 0; k < nel; k++)
        bad |= fprintf(fp, " %s", gn_element_symbol(zs[k])) < 0;
    bad |= fprintf(fp, "\n%d %.16e %d %.16e %.16e\n", c->nrho, drho, c->nr, dr, e->cut) < 0;
    for (int k = 0; k < nel && !bad; k++) {
        double a0 = e->analytic ? sqrt(2.0) * ZW_RE : e->tab.lattice[k], df;
        bad |= fprintf(fp, "%d %.6f %.6f fcc\n", zs[k],
                       e->analytic ? ZW_MASS : gn_element_mass(zs[k]), a0) < 0;
        for (int m = 0; m < c->nrho; m++)
            gn_pot_eam_embed(c->p, zs[k], m * drho, &v[m], &df, NULL);
        bad |= write_table(fp, v, c->nrho);
        for (int m = 0; m < c->nr; m++)
            gn_pot_eam_density(c->p, zs[k], m * dr, &v[m], &df, NULL);
        bad |= write_table(fp, v, c->nr);
    }
    for (int a = 0; a < nel && !bad; a++)
        for (int b = 0; b <= a && !bad; b++) {
            for (int m = 0; m < c->nr; m++) {
                double phi = 0.0, dphi;
                if (m > 0)
                    gn_pot_eam_pair(c->p, zs[a], zs[b], m * dr, &phi, &dphi, NULL);
                v[m] = m * dr * phi;
            }
            bad |= write_table(fp, v, c->nr);
        }
    free(zs);
    free(v);
    return bad ? gn_error_set(err, GN_EIO, "%s: write failed", c->path) : GN_OK;
}

int gn_pot_eam_write_setfl(const gn_potential *p, const char *path, int nrho, double rhomax,
                           int nr, gn_error *err)
{
    if (!gn_pot_eam_is(p))
        return gn_error_set(err, GN_EINVAL, "%s: only EAM potentials can be written as setfl",
                            p ? p->name : "(null)");
    if (nrho < 5 || nr < 5 || !(rhomax > 0.0) || !isfinite(rhomax))
        return gn_error_set(err, GN_EINVAL,
                            "setfl: need nrho, nr >= 5 and rhomax > 0 (got %d, %d, %g)", nrho, nr,
                            rhomax);
    setfl_ctx c = {path, p, p->self, nrho, nr, rhomax};
    return gn_file_write_atomic(path, setfl_write, &c, err);
}
