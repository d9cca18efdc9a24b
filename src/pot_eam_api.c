/* gapneb: the analytic Zhou 2004 Pt potential, the EAM functions one at a time and the setfl
 * writer (energy eV, lengths Å). The force call is in pot_eam.c.
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
#include "pot_eam_fn.h"

#include "gapneb/element.h"
#include "gapneb/fileio.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
