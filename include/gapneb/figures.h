/* gapneb: what the figures of a barrier table show (drawn with gnuplot.h):
 *   figures/barrier-MODEL.{tsv,gp,png,svg}: the barrier (the effective barrier of a path of
 *       elementary steps: highest saddle minus initial state) against gap, one curve per process
 *       (and potential), published reference points overlaid; rows whose saddle is not
 *       first-order as open markers (noted in the key);
 *   figures/profile-MODEL-PROCESS.{tsv,gp,png,svg}: the MEP energy profiles read from the run
 *       folders (rundir.h), one curve per gap, images as markers, the Hermite interpolation as a
 *       line; a path of several steps joined, its intermediate minima as open squares;
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

/* What the gap axis of the barrier and rate figures shows: the nominal gap d, or the gap of
 * the relaxed initial state (row gap_relaxed: s2s between the mean heights of the facing
 * layers, e2e between the edge rows; model.h, gn_model_relaxed_gap). */
enum { GN_GAP_AXIS_NOMINAL = 0, GN_GAP_AXIS_RELAXED = 1 };

typedef struct gn_figures_opts {
    int gap_axis;  /* GN_GAP_AXIS_* (default nominal) */
} gn_figures_opts;

void gn_figures_opts_default(gn_figures_opts *o);
/* "nominal" or "relaxed"; GN_EINVAL otherwise. */
int gn_gap_axis_parse(const char *s, int *axis, gn_error *err);

/* Writes the figure data and scripts into OUT/figures/ (from t, the reference rows when given
 * (may be NULL) and the run folders under OUT/runs/), then draws them when gnuplot is found
 * (gnuplot: path or name of the program, NULL for $GNUPLOT or "gnuplot" on PATH). Without
 * gnuplot the files are written and st->note says how to draw them. */
int gn_figures_write(const char *outdir, const gn_table *t, const gn_reference *ref,
                     const char *gnuplot, gn_figure_status *st, gn_error *err);
/* The same with options (fo may be NULL: defaults). */
int gn_figures_write_opts(const char *outdir, const gn_table *t, const gn_reference *ref,
                          const char *gnuplot, const gn_figures_opts *fo, gn_figure_status *st,
                          gn_error *err);

/* Writes and draws the profile figure of a single NEB run folder (RUN/profile.{gp,png,svg}). */
int gn_figures_run(const char *rundir, const char *gnuplot, gn_figure_status *st,
                   gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
