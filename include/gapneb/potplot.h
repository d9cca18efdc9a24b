/* gapneb: figures of potentials (the source study's Supplementary Fig. 1 and its EAM analogue).
 * Lengths Å, energies eV (reduced units for the reduced-unit potentials lj and morse); EAM
 * densities in the potential's own units.
 *
 * A pair potential is drawn as V(r), exactly as gapneb evaluates it (switched or truncated and
 * shifted), with its minimum r0 of the untruncated function and 2 r0 marked, the switch region
 * shaded and V(2 r0)/V(r0) in the key. An EAM potential (eam-pt or a LAMMPS file) is drawn as its
 * pair term phi(r), density f(r), embedding F(rho) and effective pair potential at the bulk fcc
 * density rho_b of its own lattice constant, phi_eff(r) = phi(r) + 2 F'(rho_b) f(r) (the pair
 * energy to first order in the density changes around the perfect crystal), with the cutoff
 * marked; phi_eff joins the pair potentials in the V(r) figure, r0 being its minimum.
 *
 * Thread safety: the functions only read the potentials; a gn_potcurve is the caller's.
 */
#ifndef GAPNEB_POTPLOT_H
#define GAPNEB_POTPLOT_H

#include "gapneb/error.h"
#include "gapneb/potential.h"
#include "gapneb/gnuplot.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gn_potcurve {
    const gn_potential *pot;  /* not owned */
    int eam;                  /* 0: pair potential; 1: EAM, the numbers are of phi_eff */
    double r0;                /* minimum of the untruncated pair function (pair) or of phi_eff */
    double v_r0, v_2r0;       /* V(r0) and V(2 r0) as evaluated (eV) */
    double ratio;             /* V(2 r0) / V(r0) */
    double plain_ratio;       /* the same for the untruncated pair function (NAN for EAM) */
    double r_on, r_cut;       /* switch range (r_on = r_cut: truncated and shifted; EAM: r_on NAN) */
    double a0, rho_bulk, dF_bulk; /* EAM: fcc lattice constant (Å), density and F'(density) there */
} gn_potcurve;

/* Fills c for potential p (a pair potential of pot_pair.h or an EAM potential of pot_eam.h; any
 * other is refused with GN_EINVAL). For EAM this finds the fcc lattice constant (a fraction of a
 * second). */
int gn_potcurve_init(const gn_potential *p, gn_potcurve *c, gn_error *err);

/* V(r) of the curve: the pair energy as evaluated, or phi_eff(r) for EAM. r > 0. */
int gn_potcurve_energy(const gn_potcurve *c, double r, double *v, gn_error *err);

/* Writes into dir (created if needed) the data (TSV), gnuplot script, PNG and SVG of:
 *   potential.{tsv,gp,png,svg}  V(r) of every curve (panel a) and V/|V(r0)| against r/r0
 *                               (panel b, the tail around 2 r0);
 *   eam.{tsv,gp,png,svg}        phi, f, F and phi_eff of the EAM curves (when there are any).
 * Draws with gnuplot (NULL: $GNUPLOT or "gnuplot" on PATH) when one is found; st counts the
 * scripts written and drawn, and st->note says how to draw them later when gnuplot is missing.
 * Data and scripts are written whole or not at all. */
int gn_potplot_write(const char *dir, const gn_potcurve *c, size_t n, const char *gnuplot,
                     gn_figure_status *st, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
