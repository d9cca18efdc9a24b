/* gapneb: units and physical constants, stated once for the whole library.
 *
 * Units everywhere (files, command line, library): length Å, energy eV, force eV/Å, mass amu,
 * time fs, temperature K; Hessians eV/Å^2, spring constants eV/Å^2; frequencies THz (ordinary
 * frequency nu = 1e12 1/s, not omega) and cm^-1; rates 1/s. The reduced Lennard-Jones potential
 * `lj` is the one exception: its lengths and energies are in sigma and epsilon.
 *
 * Constants: CODATA 2018 (E. Tiesinga et al., Rev. Mod. Phys. 93, 025010 (2021)), exact where the
 * 2019 SI defines them, recommended values otherwise. Every module takes its constants from here.
 *
 * Thread safety: constants only.
 */
#ifndef GAPNEB_UNITS_H
#define GAPNEB_UNITS_H

#define GN_EV_J 1.602176634e-19          /* J per eV (exact) */
#define GN_AMU_KG 1.66053906660e-27      /* kg per amu (atomic mass constant) */
#define GN_KB_EV 8.617333262e-5          /* Boltzmann constant, eV/K (exact ratio k_B / e) */
#define GN_C_CM_S 29979245800.0          /* speed of light, cm/s (exact) */
#define GN_HARTREE_EV 27.211386245988    /* Hartree energy, eV */
#define GN_BOHR_A 0.529177210903         /* Bohr radius, Å */

/* Conversions that follow from GN_EV_J: 1 eV/Å^3 = 1e-9 GN_EV_J / 1e-30 Pa in GPa, and
 * 1 eV/Å^2 = GN_EV_J / 1e-20 J/m^2. */
#define GN_EV_PER_A3_IN_GPA 160.2176634
#define GN_EV_PER_A2_IN_J_PER_M2 16.02176634

#endif
