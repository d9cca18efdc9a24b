/* gapneb: the NEB run folder, written and read by this module only, so that its format has one
 * owner:
 *   path.xyz            every image of the band, endpoints included (extended XYZ, energies eV,
 *                       NEB forces eV/Å);
 *   profile.tsv         image, reaction coordinate s (Å), energy relative to the initial state
 *                       (eV), true force along the tangent (eV/Å);
 *   profile_interp.tsv  the cubic Hermite interpolation (s Å, energy eV), 20 points a segment;
 *   summary.json        program version, potential (as given, and "potential_spec": its canonical
 *                       spec, gn_potential_spec_resolve, that rebuilds it), NEB settings and
 *                       results;
 *   log.txt             the table's log of the row (written by the table).
 * Every file is written whole or not at all.
 *
 * Thread safety: no shared state.
 */
#ifndef GAPNEB_RUNDIR_H
#define GAPNEB_RUNDIR_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/neb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes path.xyz, profile.tsv, profile_interp.tsv and summary.json into dir (created if
 * needed). potential: the potential's name as the user gave it. */
int gn_rundir_write(const char *dir, const gn_neb_opts *o, const char *potential,
                    const gn_neb_result *res, gn_error *err);

/* Writes dir/log.txt. */
int gn_rundir_write_log(const char *dir, const char *text, gn_error *err);

/* The energy profile of a run: the images, and the interpolation when profile_interp.tsv is
 * there (otherwise ninterp = 0). */
typedef struct gn_rundir_profile {
    size_t n;
    double *s, *energy;              /* Å, eV relative to the initial state */
    size_t ninterp;
    double *s_interp, *energy_interp;
} gn_rundir_profile;

int gn_rundir_read_profile(const char *dir, gn_rundir_profile *p, gn_error *err);
void gn_rundir_profile_clear(gn_rundir_profile *p);

/* What summary.json says about the run. */
typedef struct gn_rundir_summary {
    int climb_index;     /* -1 when there is none */
    int collapsed;
    char potential[1024];
} gn_rundir_summary;

int gn_rundir_read_summary(const char *dir, gn_rundir_summary *s, gn_error *err);

/* Reads the NEB settings summary.json records into o, for a restart that goes on with the same
 * springs, climbing, tolerances and optimiser (the potential is in gn_rundir_read_summary): keys
 * the file lacks leave o as it is; the perturbation is not restored (a restarted band is not
 * pushed again unless asked). GN_EPARSE if the file is not an NEB summary, or GN_EINVAL if the
 * settings it records are out of range. */
int gn_rundir_read_settings(const char *dir, gn_neb_opts *o, gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
