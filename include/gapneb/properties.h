/* gapneb: material properties of a potential for a pure fcc element. Lengths Å, energies eV,
 * bulk modulus GPa, surface energies J/m^2 and eV per surface atom.
 *
 * Everything starts from the potential's own equilibrium lattice constant, found by minimising
 * the bulk fcc energy per atom over a (GSL Brent minimiser): builders of the gap models call
 * gn_lattice_constant and never assume 3.92 Å. The isolated atom is taken to have energy 0 (true
 * of every built-in and of LAMMPS EAM files, whose F(0) and phi(inf) are 0).
 * Thread safety: each call uses calculators of its own; one potential may serve several threads.
 */
#ifndef GAPNEB_PROPERTIES_H
#define GAPNEB_PROPERTIES_H

#include "gapneb/atoms.h"
#include "gapneb/error.h"
#include "gapneb/potential.h"
#include "gapneb/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Equilibrium fcc lattice constant (Å) of element z, to 1e-6 Å. */
int gn_lattice_constant(const gn_potential *p, int z, double *a0, gn_error *err);

/* Bulk fcc energy per atom (eV) at lattice constant a. */
int gn_fcc_energy(const gn_potential *p, int z, double a, double *e_atom, gn_error *err);

/* Cohesive energy -E/N at a0 (eV/atom, positive when bound). */
int gn_cohesive_energy(const gn_potential *p, int z, double a0, double *ecoh, gn_error *err);

/* Bulk modulus B = V d2E/dV2 at a0 (GPa), from a central finite difference in V. */
int gn_bulk_modulus(const gn_potential *p, int z, double a0, double *b_gpa, gn_error *err);

/* A fcc slab of `layers` atomic layers normal to (100) or (111) (facet = 100 or 111), one atom per
 * layer in a 1x1 surface cell (periodic in-plane, free along z), lowest layer at z = 0. */
int gn_fcc_slab(int z, double a0, int facet, int layers, gn_atoms **out, gn_error *err);

/* Surface energy of the (100) or (111) facet at a0: (E_slab - N E_bulk) / (2 A), in J/m^2 and eV
 * per surface atom (either pointer may be NULL). relax != 0 relaxes the slab with FIRE first
 * (to 1e-4 eV/Å). */
int gn_surface_energy(const gn_potential *p, int z, double a0, int facet, int relax,
                      double *gamma_jm2, double *gamma_ev, gn_error *err);

typedef struct gn_properties {
    double a0;                    /* Å */
    double ecoh;                  /* eV/atom */
    double bulk_modulus;          /* GPa */
    double gamma100, gamma111;    /* J/m^2, unrelaxed */
    double gamma100_ev, gamma111_ev;  /* eV per surface atom, unrelaxed */
    int relaxed;                  /* 1 if the *_relaxed fields are filled */
    double gamma100_relaxed, gamma111_relaxed;        /* J/m^2 */
    double gamma100_relaxed_ev, gamma111_relaxed_ev;  /* eV per surface atom */
} gn_properties;

/* All of the above; relax != 0 adds the relaxed surface energies. */
int gn_properties_compute(const gn_potential *p, int z, int relax, gn_properties *out,
                          gn_error *err);


#ifdef __cplusplus
}
#endif
#endif
