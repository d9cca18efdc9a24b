/* gapneb: 12-6 Lennard-Jones pair potentials. Energies eV, lengths Å (reduced units for "lj").
 *
 * V(r) = 4 eps [(sigma/r)^12 - (sigma/r)^6], minimum -eps at r = 2^(1/6) sigma, truncated by the
 * quintic switch of pot_pair.h between 2.0 sigma and 2.5 sigma. The switch starts beyond the
 * third fcc shell (1.89 sigma at the LJ lattice constant 1.54 sigma), so the pair well and the
 * first three shells see the pure 12-6 form; the fourth (2.19 sigma, V = -0.036 eps) and fifth
 * (2.45 sigma) shells are damped. Lattice sums therefore differ from the untruncated LJ crystal
 * (E = -7.82 instead of -8.61 eps per atom), the price of a short, smooth cutoff.
 *
 * "lj-pt": Heinz, Vaia, Farmer and Naik, J. Phys. Chem. C 112, 17281 (2008), Table 1 (12-6 set
 * for Pt): r0 = 2.845 Å, so sigma = r0 / 2^(1/6) = 2.53461 Å, and eps = 7.80 kcal/mol = 0.338240 eV
 * (1 kcal/mol = 4184 J/mol / 96485.33212 C/mol = 0.0433641 eV). The paper itself was not read;
 * the numbers were checked against the authors' own INTERFACE force-field files (v1.5, GitHub
 * hendrikheinz/INTERFACE-force-field-and-surface-models): charmm27_interface_v1_5.prm gives
 * Pt eps = 7.80 kcal/mol and Rmin/2 = 1.4225 Å (r0 = 2.845 Å), and cvff_interface_v1_5.frc gives A = 2193000 kcal/mol Å^12,
 * B = 8272 kcal/mol Å^6, i.e. r0 = (2A/B)^(1/6) = 2.845 Å and eps = B^2/4A = 7.80 kcal/mol.
 * REFERENCE-DATA's sigma 2.534 Å is this value rounded. The set was fitted to density and surface
 * tension, not to cohesion or diffusion barriers.
 */
#include "pot_pair_internal.h"
#include "gapneb/element.h"
#include "gapneb/pot_pair.h"

#include <math.h>
#include <stdio.h>

double gn_lj_pair(double epsilon, double sigma, double r, double *deriv)
{
    double sr2 = sigma * sigma / (r * r);
    double sr6 = sr2 * sr2 * sr2, sr12 = sr6 * sr6;
    *deriv = -24.0 * epsilon * (2.0 * sr12 - sr6) / r;
    return 4.0 * epsilon * (sr12 - sr6);
}

static double lj_v(const double *par, double r, double *deriv)
{
    return gn_lj_pair(par[0], par[1], r, deriv);
}

int gn_pot_lj_make(const char *name, const char *description, double epsilon, double sigma,
                   double r_on, double r_cut, int z, gn_potential **out, gn_error *err)
{
    *out = NULL;
    if (!(epsilon > 0.0) || !(sigma > 0.0) || !isfinite(epsilon) || !isfinite(sigma))
        return gn_error_set(err, GN_EINVAL, "%s: epsilon and sigma must be positive (got %g, %g)",
                            name, epsilon, sigma);
    gn_pair_spec s = {.name = name, .description = description, .z = z, .kind = GN_PAIR_LJ,
                      .v = lj_v, .par = {epsilon, sigma, 0.0, 0.0},
                      .r_min = pow(2.0, 1.0 / 6.0) * sigma, .r_on = r_on, .r_cut = r_cut};
    return gn_pot_pair_new(&s, out, err);
}

int gn_pot_lj_alloc(double epsilon, double sigma, double r_on, double r_cut, int z,
                  gn_potential **out, gn_error *err)
{
    char desc[256];
    snprintf(desc, sizeof desc, "12-6 Lennard-Jones, eps %g, sigma %g, switched %g-%g", epsilon,
             sigma, r_on, r_cut);
    return gn_pot_lj_make("lj-custom", desc, epsilon, sigma, r_on, r_cut, z, out, err);
}

int gn_pot_lj_reduced_alloc(gn_potential **out, gn_error *err)
{
    return gn_pot_lj_make("lj",
                   "12-6 Lennard-Jones in reduced units (eps = sigma = 1, species X, mass 1), "
                   "quintic switch 2.0-2.5 sigma",
                   1.0, 1.0, GN_LJ_REDUCED_RON, GN_LJ_REDUCED_RCUT, GN_Z_DUMMY, out, err);
}

int gn_pot_lj_pt_alloc(gn_potential **out, gn_error *err)
{
    return gn_pot_lj_make("lj-pt",
                   "12-6 Lennard-Jones for Pt (Heinz et al., J. Phys. Chem. C 112, 17281 (2008)): "
                   "r0 2.845 Å (sigma 2.5346 Å), eps 7.80 kcal/mol = 0.3382 eV, quintic switch "
                   "2.0-2.5 sigma",
                   GN_LJ_PT_EPSILON, GN_LJ_PT_SIGMA, GN_LJ_REDUCED_RON * GN_LJ_PT_SIGMA,
                   GN_LJ_REDUCED_RCUT * GN_LJ_PT_SIGMA, GN_Z_PT, out, err);
}
