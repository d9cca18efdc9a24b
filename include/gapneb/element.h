/* gapneb: chemical elements. Masses in amu (IUPAC standard atomic weights, rounded).
 * Thread safety: constant tables, pure functions.
 */
#ifndef GAPNEB_ELEMENT_H
#define GAPNEB_ELEMENT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Atomic number of a symbol ("Pt" -> 78), case-sensitive as written in files; -1 if unknown.
 * "X" (reduced-unit dummy particle used by the `lj` potential) maps to GN_Z_DUMMY. */
int gn_element_z(const char *symbol);
#define GN_Z_DUMMY 0
#define GN_Z_PT 78     /* platinum, the element of the built-in potentials and models */
#define GN_Z_MAX 118

/* Symbol of z ("X" for GN_Z_DUMMY), NULL if out of range. */
const char *gn_element_symbol(int z);

/* Standard atomic weight in amu (1.0 for the dummy); 0 if out of range. */
double gn_element_mass(int z);

/* 1 if s names a known element or the dummy "X". */
int gn_element_known(const char *symbol);

#ifdef __cplusplus
}
#endif
#endif
