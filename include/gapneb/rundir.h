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
 * A path of several elementary steps (steps.h) has, besides:
 *   steps/NN-FROM-TO/   each step's own run folder (path.xyz, profile.tsv relative to the
 *                       step's initial minimum, profile_interp.tsv, summary.json with "step"),
 *                       NN from 01, FROM and TO the minima IS, M1, M2, ..., FS;
 *   minima/NN.xyz       the intermediate minimum MNN (energy eV);
 * and path.xyz, profile.tsv and profile_interp.tsv of the joined path: the steps one after the
 * other, each shared minimum once, the reaction coordinate continuous, energies relative to the
 * initial state; profile.tsv has two more columns, the step and 1 at an intermediate minimum.
 * summary.json lists the steps ("steps"; one step too) and the path ("path": effective barrier,
 * rate-limiting step, saddle orders).
 * Every file is written whole or not at all.
 *
 * Thread safety: no shared state.
 */
#ifndef GAPNEB_RUNDIR_H
#define GAPNEB_RUNDIR_H

#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/neb.h"
#include "gapneb/steps.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes path.xyz, profile.tsv, profile_interp.tsv and summary.json into dir (created if
 * needed). potential: the potential's name as the user gave it. */
int gn_rundir_write(const char *dir, const gn_neb_opts *o, const char *potential,
                    const gn_neb_result *res, gn_error *err);

/* The "potential_spec" a run folder's files record for the potential named name: its canonical
 * spec with every parameter resolved (gn_potential_spec_resolve), or name itself when it has
 * none (a file, an engine). */
void gn_rundir_potential_spec(const char *name, char *spec, size_t cap);

/* The folder of step k of a path of several steps, relative to the run folder:
 * "steps/01-IS-M1". */
void gn_rundir_step_dir(const gn_steps_result *s, size_t k, char *buf, size_t cap);

/* Writes the run folder of a path of elementary steps (the layout above); a collapsed run (no
 * steps) as gn_rundir_write of s->first. so: the split settings, recorded in summary.json. */
int gn_rundir_write_steps(const char *dir, const gn_neb_opts *o, const gn_steps_opts *so,
                          const char *potential, const gn_steps_result *s, gn_error *err);

/* Writes dir/log.txt. */
int gn_rundir_write_log(const char *dir, const char *text, gn_error *err);

/* The energy profile of a run: the images, and the interpolation when profile_interp.tsv is
 * there (otherwise ninterp = 0). */
typedef struct gn_rundir_profile {
    size_t n;
    double *s, *energy;              /* Å, eV relative to the initial state */
    size_t ninterp;
    double *s_interp, *energy_interp;
    size_t nmin;                     /* intermediate minima of a path of elementary steps */
    double *s_min, *energy_min;
} gn_rundir_profile;

int gn_rundir_read_profile(const char *dir, gn_rundir_profile *p, gn_error *err);
void gn_rundir_profile_clear(gn_rundir_profile *p);

/* What summary.json says about the run. */
typedef struct gn_rundir_summary {
    int climb_index;     /* -1 when there is none */
    int collapsed;
    char potential[1024];
    size_t nsteps;       /* a path of several elementary steps: their folders, in path order,
                            relative to the run folder ("steps/01-IS-M1"); 0 for one band */
    char step_folder[GN_STEPS_MAX][64];
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
