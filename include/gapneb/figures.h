/* gapneb: what the figures of a barrier table show (drawn with gnuplot.h):
 *   figures/barrier-MODEL.{tsv,gp,png,svg}: forward barrier against gap, one curve per process
 *       (and potential), published reference points overlaid;
 *   figures/profile-MODEL-PROCESS.{tsv,gp,png,svg}: the MEP energy profiles read from the run
 *       folders (rundir.h), one curve per gap, images as markers, the Hermite interpolation as a
 *       line;
 *   figures/rate-MODEL.{tsv,gp,png,svg}: with harmonic rates, the rate against gap on a log
 *       scale with the crossover gap marked.
 * And the profile figure of one NEB run folder (RUN/profile.{gp,png,svg}).
 *
 * Units: gaps Å, energies eV, reaction coordinate Å, rates 1/s.
 * Thread safety: no shared state.
 */
#ifndef GAPNEB_FIGURES_H
#define GAPNEB_FIGURES_H

#include "gapneb/error.h"
#include "gapneb/gnuplot.h"
#include "gapneb/reference.h"
#include "gapneb/row.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the figure data and scripts into OUT/figures/ (from t, the reference rows when given
 * (may be NULL) and the run folders under OUT/runs/), then draws them when gnuplot is found
 * (gnuplot: path or name of the program, NULL for $GNUPLOT or "gnuplot" on PATH). Without
 * gnuplot the files are written and st->note says how to draw them. */
int gn_figures_write(const char *outdir, const gn_table *t, const gn_reference *ref,
                     const char *gnuplot, gn_figure_status *st, gn_error *err);

/* Writes and draws the profile figure of a single NEB run folder (RUN/profile.{gp,png,svg}). */
int gn_figures_run(const char *rundir, const char *gnuplot, gn_figure_status *st,
                   gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
