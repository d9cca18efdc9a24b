/* gapneb: harmonic analysis at scale: saddle orders from the lowest-mode search over all movable
 * atoms, Vineyard prefactors from partial Hessians of a region around the atoms that move, grown
 * shell by shell until the prefactor converges (modes.h). Units: Å, eV/Å^2, amu, THz.
 *
 * Hessian columns (one per displaced coordinate, 2 force calls each) are stored sparse: the
 * force change of a displaced atom reaches only the atoms within the potential's range of it
 * (twice the cutoff for EAM), and every other entry is exactly zero (their force sums are
 * untouched), so a column holds a few hundred numbers whatever the size. A grown region
 * reuses the columns it already has. */
#include "modes_internal.h"
#include "gapneb/lowmode.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct sp_col {
    size_t n;
    size_t *row; /* component index 3 i + c */
    double *val; /* eV/Å^2 */
} sp_col;

/* One structure's calculator, scratch copy and the columns computed so far. */
typedef struct pstate {
    const gn_atoms *a;
    gn_calc *calc;
    gn_atoms *work;
    double *fp, *fm;
    sp_col *col;          /* 3n */
    unsigned char *done;  /* 3n */
} pstate;

static void pstate_clear(pstate *p, size_t n3)
{
    if (p->col)
        for (size_t k = 0; k < n3; k++) {
            free(p->col[k].row);
            free(p->col[k].val);
        }
    free(p->col);
    free(p->done);
    free(p->fp);
    free(p->fm);
    gn_atoms_free(p->work);
    gn_calc_free(p->calc);
    memset(p, 0, sizeof *p);
}

static int pstate_init(pstate *p, const gn_potential *pot, const gn_atoms *a, gn_error *err)
{
    memset(p, 0, sizeof *p);
    p->a = a;
    size_t n3 = 3 * a->n;
    int rc = gn_calc_alloc(pot, &p->calc, err);
    if (rc == GN_OK)
        rc = gn_atoms_copy(a, &p->work, err);
    if (rc)
        return rc;
    p->fp = malloc(n3 * sizeof *p->fp);
    p->fm = malloc(n3 * sizeof *p->fm);
    p->col = calloc(n3, sizeof *p->col);
    p->done = calloc(n3, 1);
    if (!p->fp || !p->fm || !p->col || !p->done)
        return gn_error_set(err, GN_ENOMEM, "partial Hessian: out of memory (%zu atoms)", a->n);
    return GN_OK;
}

/* Column k: -(F(x + h e_k) - F(x - h e_k)) / 2h on the movable components, nonzero entries. */
static int compute_col(pstate *p, size_t k, double h, gn_error *err)
{
    const gn_atoms *a = p->a;
    double e, x0 = a->pos[k];
    p->work->pos[k] = x0 + h;
    int rc = gn_calc_compute(p->calc, p->work, &e, p->fp, NULL, err);
    if (rc == GN_OK) {
        p->work->pos[k] = x0 - h;
        rc = gn_calc_compute(p->calc, p->work, &e, p->fm, NULL, err);
    }
    p->work->pos[k] = x0;
    if (rc)
        return rc;
    size_t nz = 0, n3 = 3 * a->n;
    for (size_t l = 0; l < n3; l++)
        nz += !a->fixed[l / 3] && p->fp[l] != p->fm[l];
    sp_col *c = &p->col[k];
    c->row = malloc(nz * sizeof *c->row + 1);
    c->val = malloc(nz * sizeof *c->val + 1);
    if (!c->row || !c->val)
        return gn_error_set(err, GN_ENOMEM, "partial Hessian: out of memory");
    for (size_t l = 0; l < n3; l++)
        if (!a->fixed[l / 3] && p->fp[l] != p->fm[l]) {
            c->row[c->n] = l;
            c->val[c->n++] = -(p->fp[l] - p->fm[l]) / (2.0 * h);
        }
    p->done[k] = 1;
    return GN_OK;
}

/* The region: the movable atoms in ascending index whose distance to the core is within R. */
typedef struct region {
    size_t m;        /* atoms */
    size_t *atom;    /* m */
    long *pos;       /* n: position of atom i in the region, -1 if outside */
} region;

/* Dense region Hessian (3m x 3m, row major) from the columns, symmetrised; *asym the largest
 * asymmetry. */
static int region_hessian(const pstate *p, const region *rg, double *H, double *asym)
{
    size_t d = 3 * rg->m;
    memset(H, 0, d * d * sizeof *H);
    for (size_t j = 0; j < d; j++) {
        const sp_col *c = &p->col[3 * rg->atom[j / 3] + j % 3];
        for (size_t q = 0; q < c->n; q++) {
            long r = rg->pos[c->row[q] / 3];
            if (r >= 0)
                H[(3 * (size_t)r + c->row[q] % 3) * d + j] = c->val[q];
        }
    }
    *asym = gn_modes_symmetrise(H, d);
    return GN_OK;
}

/* The region's modes of one structure: missing columns first, then the dense block. */
static int region_modes(pstate *p, const region *rg, const gn_modes_opts *o, gn_modes_set *s,
                        gn_error *err)
{
    size_t d = 3 * rg->m;
    for (size_t j = 0; j < d; j++) {
        size_t k = 3 * rg->atom[j / 3] + j % 3;
        if (!p->done[k]) {
            int rc = compute_col(p, k, o->step, err);
            if (rc)
                return rc;
        }
    }
    memset(s, 0, sizeof *s);
    double *H = malloc(d * d * sizeof *H), *mass = malloc(d * sizeof *mass);
    s->dim = d;
    s->lambda = malloc(d * sizeof *s->lambda);
    s->freq_thz = malloc(d * sizeof *s->freq_thz);
    int rc = GN_OK;
    if (!H || !mass || !s->lambda || !s->freq_thz) {
        rc = gn_error_set(err, GN_ENOMEM, "partial Hessian: out of memory (%zu atoms)", rg->m);
    } else {
        region_hessian(p, rg, H, &s->asym);
        for (size_t j = 0; j < d; j++)
            mass[j] = p->a->mass[rg->atom[j / 3]];
        rc = gn_modes_diagonalise(H, d, mass, s->lambda, NULL, err);
    }
    free(H);
    free(mass);
    if (rc == GN_OK) {
        gn_modes_set_classify(s, o->zero_tol_thz);
        /* a region with frozen surroundings has no rigid-body modes; the whole of a structure
         * with no fixed atom has */
        s->n_rigid = rg->m == p->a->n ? gn_modes_rigid_count(p->a) : 0;
    }
    return rc;
}

/* Largest displacement of atom i between the initial structure and the other two, Å. */
static double atom_motion(const gn_atoms *const at[3], size_t i)
{
    double big = 0.0;
    for (int s = 1; s < 3; s++) {
        double d[3];
        for (int c = 0; c < 3; c++)
            d[c] = at[s]->pos[3 * i + c] - at[0]->pos[3 * i + c];
        gn_cell_min_image(&at[0]->cell, d);
        big = fmax(big, sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
    }
    return big;
}

static double distance(const gn_atoms *a, size_t i, size_t j)
{
    double d[3];
    gn_atoms_displacement(a, i, j, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* Distance of every movable atom to the core (INFINITY for fixed atoms) and the shell step. */
static int core_distances(const gn_atoms *const at[3], const gn_modes_opts *o, double *dist,
                          double *shell, gn_error *err)
{
    const gn_atoms *a = at[0];
    size_t n = a->n, top = 0;
    double big = -1.0;
    unsigned char *core = calloc(n, 1);
    if (!core)
        return gn_error_set(err, GN_ENOMEM, "partial Hessian: out of memory");
    for (size_t i = 0; i < n; i++) {
        if (a->fixed[i])
            continue;
        double mv = atom_motion(at, i);
        core[i] = mv > o->partial_move;
        if (mv > big) {
            big = mv;
            top = i;
        }
    }
    core[top] = 1; /* at least the atom that moves most */
    for (size_t i = 0; i < n; i++) {
        dist[i] = INFINITY;
        if (a->fixed[i])
            continue;
        for (size_t c = 0; c < n; c++)
            if (core[c])
                dist[i] = fmin(dist[i], c == i ? 0.0 : distance(a, i, c));
    }
    *shell = o->partial_shell;
    if (!(*shell > 0.0)) {
        *shell = INFINITY;
        for (size_t j = 0; j < n; j++)
            if (j != top)
                *shell = fmin(*shell, distance(a, top, j));
    }
    free(core);
    if (!isfinite(*shell) || !(*shell > 0.0))
        return gn_error_set(err, GN_EINVAL, "partial Hessian: no neighbour to set the shell step");
    return GN_OK;
}

/* Region of radius R; returns the number of atoms. */
static size_t region_select(region *rg, const double *dist, size_t n, double R)
{
    rg->m = 0;
    for (size_t i = 0; i < n; i++) {
        rg->pos[i] = -1;
        if (dist[i] <= R) {
            rg->pos[i] = (long)rg->m;
            rg->atom[rg->m++] = i;
        }
    }
    return rg->m;
}

/* Saddle orders of the three structures over all movable atoms, the saddle's lowest frequencies
 * and mode. */
static int orders(pstate p[3], const gn_modes_opts *o, gn_modes_partial_info *info, double *mode,
                  gn_error *err)
{
    gn_lowmode_opts lo;
    gn_lowmode_opts_default(&lo);
    lo.step = o->step;
    for (int s = 0; s < 3; s++) {
        gn_lowmode_result lr;
        int rc = gn_lowmode_saddle_order(p[s].calc, p[s].a, &lo, o->zero_tol_thz, 2,
                                         &info->order[s], &lr, err);
        if (rc == GN_OK && s == 1) {
            for (int k = 0; k < 3; k++)
                info->lowest_thz[k] = k < lr.nmodes ? lr.freq_thz[k] : NAN;
            if (mode && lr.nmodes > 0)
                memcpy(mode, lr.mode, lr.ncomp * sizeof *mode);
        }
        gn_lowmode_result_clear(&lr);
        if (rc)
            return rc;
    }
    return GN_OK;
}

static double rel_change(double a, double b)
{
    return isfinite(a) && isfinite(b) && b > 0.0 ? fabs(a - b) / b : INFINITY;
}

/* Grows the region until the prefactors converge; s receives the last region's sets. */
static int grow(pstate p[3], const double *dist, double shell, const gn_modes_opts *o,
                gn_modes_set s[3], gn_modes_partial_info *info, gn_error *err)
{
    size_t n = p[0].a->n, nmov = gn_atoms_nmovable(p[0].a);
    region rg = {0, malloc(n * sizeof *rg.atom), malloc(n * sizeof *rg.pos)};
    if (!rg.atom || !rg.pos) {
        free(rg.atom);
        free(rg.pos);
        return gn_error_set(err, GN_ENOMEM, "partial Hessian: out of memory");
    }
    double prev[2] = {NAN, NAN};
    size_t prev_m = 0;
    int rc = GN_OK;
    for (int k = 1; rc == GN_OK; k++) {
        double R = (k + 0.25) * shell;
        if (o->partial_max_radius > 0.0 && R > o->partial_max_radius && prev_m > 0)
            break;
        if (region_select(&rg, dist, n, R) == prev_m)
            continue; /* no new atoms in this shell */
        for (int t = 0; t < 3; t++)
            gn_modes_set_clear(&s[t]);
        for (int t = 0; t < 3 && rc == GN_OK; t++)
            rc = region_modes(&p[t], &rg, o, &s[t], err);
        if (rc)
            break;
        double nu[2] = {gn_modes_vineyard_thz(&s[0], &s[1]), gn_modes_vineyard_thz(&s[2], &s[1])};
        info->change = fmax(rel_change(nu[0], prev[0]), rel_change(nu[1], prev[1]));
        if (!isfinite(info->change))
            info->change = NAN;
        info->radius = R;
        info->atoms = rg.m;
        prev[0] = nu[0];
        prev[1] = nu[1];
        prev_m = rg.m;
        if (info->change < o->partial_tol || rg.m == nmov) {
            info->converged = 1;
            break;
        }
    }
    free(rg.atom);
    free(rg.pos);
    return rc;
}

int gn_modes_partial(const gn_potential *pot, const gn_atoms *const at[3], const gn_modes_opts *o,
                     gn_modes_set s[3], gn_modes_partial_info *info, double *mode, gn_error *err)
{
    memset(s, 0, 3 * sizeof *s);
    memset(info, 0, sizeof *info);
    info->radius = info->change = NAN;
    size_t n = at[0]->n;
    if (gn_atoms_nmovable(at[0]) == 0)
        return gn_error_set(err, GN_EINVAL, "modes: the structure has no movable atoms");
    pstate p[3];
    memset(p, 0, sizeof p);
    double *dist = malloc(n * sizeof *dist), shell = 0.0;
    int rc = dist ? GN_OK : gn_error_set(err, GN_ENOMEM, "partial Hessian: out of memory");
    for (int t = 0; t < 3 && rc == GN_OK; t++)
        rc = pstate_init(&p[t], pot, at[t], err);
    if (rc == GN_OK)
        rc = core_distances(at, o, dist, &shell, err);
    if (rc == GN_OK)
        rc = orders(p, o, info, mode, err);
    if (rc == GN_OK)
        rc = grow(p, dist, shell, o, s, info, err);
    for (int t = 0; t < 3; t++) {
        if (p[t].calc)
            info->force_calls += gn_calc_calls(p[t].calc);
        pstate_clear(&p[t], 3 * n);
    }
    free(dist);
    return rc;
}
