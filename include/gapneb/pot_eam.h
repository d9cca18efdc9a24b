/* gapneb: embedded-atom method (EAM) potentials. Lengths Å, energies eV, forces eV/Å, masses amu;
 * the electron density rho is in the potential's own arbitrary units.
 *
 * E = sum_i F_i(rho_i) + 1/2 sum_{i != j} phi_ij(r_ij),  rho_i = sum_{j != i} f_j(r_ij).
 *
 * Two kinds:
 *  - "eam-pt": the analytic EAM of Zhou, Johnson and Wadley, Phys. Rev. B 69, 144113 (2004), Pt
 *    parameter set, evaluated analytically, with a quintic taper of phi and f between
 *    GN_EAM_PT_RTAPER and GN_EAM_PT_RCUT (see src/pot_eam.c for the choices made).
 *  - LAMMPS EAM files, interpolated exactly as LAMMPS pair_style eam / eam/alloy do:
 *    funcfl (*.eam, DYNAMO single element) and setfl (*.eam.alloy, any number of elements).
 * Thread safety: the potential is immutable once made and may be shared; evaluation goes through
 * a per-thread gn_calc.
 */
#ifndef GAPNEB_POT_EAM_H
#define GAPNEB_POT_EAM_H

#include "gapneb/error.h"
#include "gapneb/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Zhou 2004 Pt: switch points of the embedding function (rho_n = 0.25 rho_e, rho_0 = 1.15 rho_e)
 * and of the cutoff taper (Å). */
#define GN_EAM_PT_RHO_E 33.367564
#define GN_EAM_PT_RHO_N (0.25 * GN_EAM_PT_RHO_E)
#define GN_EAM_PT_RHO_0 (1.15 * GN_EAM_PT_RHO_E)
#define GN_EAM_PT_RTAPER 5.8
#define GN_EAM_PT_RCUT 6.5
#define GN_EAM_PT_RE 2.771916

/* The analytic Zhou 2004 Pt potential ("eam-pt"). */
int gn_pot_eam_pt_alloc(gn_potential **out, gn_error *err);

/* A LAMMPS EAM file: "*.alloy" or "*.setfl" is read as setfl, "*.fs" is refused (GN_ENOTIMPL:
 * eam/fs is not supported), anything else is read as funcfl. Errors name the file and line. */
int gn_pot_eam_file_alloc(const char *path, gn_potential **out, gn_error *err);

/* Same, with the format given: 0 funcfl, 1 setfl. */
int gn_pot_eam_file_new_format(const char *path, int setfl, gn_potential **out, gn_error *err);

/* The same from text in memory (len bytes, need not end in NUL); name is used in messages. */
int gn_pot_eam_parse(const char *text, size_t len, const char *name, int setfl,
                     gn_potential **out, gn_error *err);

/* 1 if p is an EAM potential made by this module. */
int gn_pot_eam_is(const gn_potential *p);

/* The elements of an EAM potential in file order (up to max written to zs); returns their count,
 * 0 if p is not an EAM potential. */
int gn_pot_eam_elements(const gn_potential *p, int *zs, int max);

/* The functions of an EAM potential, for element z (atomic number), as the potential evaluates
 * them (interpolated for files): embedding F(rho) (eV) and dF/drho; density f(r) of an atom of z
 * and df/dr (1/Å); pair phi(r) (eV) between zi and zj and dphi/dr (eV/Å). GN_EINVAL if p is not an
 * EAM potential or does not describe z. */
int gn_pot_eam_embed(const gn_potential *p, int z, double rho, double *F, double *dF,
                     gn_error *err);
int gn_pot_eam_density(const gn_potential *p, int z, double r, double *f, double *df,
                       gn_error *err);
int gn_pot_eam_pair(const gn_potential *p, int zi, int zj, double r, double *phi, double *dphi,
                    gn_error *err);

/* Writes an EAM potential as a LAMMPS setfl file (pair_style eam/alloy), atomically: nrho points of
 * F on [0, rhomax], nr points of f and r*phi on [0, cutoff]. GN_EAM_SETFL_NRHO etc. are the values
 * `gapneb potentials --write-setfl` uses (drho = 0.02, dr = 1.3e-3 Å, about 350 kB); with them
 * LAMMPS's interpolation of the file agrees with the analytic eam-pt to 3e-14 eV/atom and 2e-9
 * eV/Å (measured in tests/test_lammps.c; 1e-6 eV/atom would need far fewer points, but the file
 * stays small and LAMMPS reads it in milliseconds). */
#define GN_EAM_SETFL_NRHO 5000
#define GN_EAM_SETFL_RHOMAX 100.0
#define GN_EAM_SETFL_NR 5000
int gn_pot_eam_write_setfl(const gn_potential *p, const char *path, int nrho, double rhomax,
                           int nr, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
