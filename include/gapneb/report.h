/* gapneb: reports of a barrier table: barriers.tsv and barriers.json (written whole or not at
 * all, and read back for --resume and `gapneb plot`), the aligned table for stdout, comparison
 * with published barriers, and gnuplot figures.
 *
 * Units: gaps Å, energies eV, wall times s, frequencies THz, rates 1/s, temperatures K. Missing
 * numbers are "nan" in TSV and null in JSON.
 *
 * Reference files are CSV with the header `model,process,gap_A,barrier_eV,source` ('#' lines are
 * comments; a field may be double-quoted to hold commas). gap_A is a number in Å or "inf" for a
 * single surface (the limit of a wide gap). A reference row applies to a table row with the same
 * model and process and either the same gap (within 1e-6 Å) or gap "inf" (then it applies at
 * every gap, as the wide-gap limit). Rows with models or processes the table does not compute
 * (e.g. "pt111") are kept for the record and never matched.
 *
 * Figures (folder OUT/figures/): barrier-MODEL.{tsv,gp,png,svg}: barrier against gap, one curve
 * per process (and potential), reference points overlaid; profile-MODEL-PROCESS.{tsv,gp,png,svg}:
 * the MEP energy profiles read from the run folders, one curve per gap, images as markers and the
 * Hermite interpolation as a line; with harmonic rates, rate-MODEL.{tsv,gp,png,svg}: rate against
 * gap on a log scale.
 */
#ifndef GAPNEB_REPORT_H
#define GAPNEB_REPORT_H

#include <stdio.h>
#include <stddef.h>
#include "gapneb/error.h"
#include "gapneb/table.h"

#ifdef __cplusplus
extern "C" {
#endif

int gn_report_write_tsv(const char *path, const gn_table *t, gn_error *err);
int gn_report_write_json(const char *path, const gn_table *t, gn_error *err);
/* Read a table back (replacing t's content). */
int gn_report_read_tsv(const char *path, gn_table *t, gn_error *err);
int gn_report_read_json(const char *path, gn_table *t, gn_error *err);

/* Writes OUT/barriers.tsv and OUT/barriers.json. */
int gn_report_write_table(const char *outdir, const gn_table *t, gn_error *err);

/* The table in aligned columns (reference and mode columns when present). */
void gn_report_print(FILE *fp, const gn_table *t);

/* ---- reference barriers ---- */
typedef struct gn_ref_row {
    char model[GN_JOB_NAME_MAX];
    char process[GN_JOB_NAME_MAX];
    double gap;        /* Å; INFINITY for a single surface */
    double barrier;    /* eV */
    char source[256];
} gn_ref_row;

typedef struct gn_reference {
    gn_ref_row *rows;
    size_t n;
    char path[1024];
} gn_reference;

int gn_reference_load(const char *path, gn_reference *ref, gn_error *err);
int gn_reference_parse(const char *text, const char *name, gn_reference *ref, gn_error *err);
void gn_reference_clear(gn_reference *ref);

/* Fills the reference columns of every row of t (a row at an exact gap wins over an "inf" row;
 * among equals the first in the file). Returns the number of rows matched. */
size_t gn_reference_apply(const gn_reference *ref, gn_table *t);

/* barrier_fwd - ref_barrier (eV), NaN unless both are known. */
double gn_row_deviation(const gn_table_row *r);

/* ---- figures ---- */
typedef struct gn_figure_status {
    int scripts;     /* gnuplot scripts written */
    int drawn;       /* scripts drawn by gnuplot */
    int gnuplot;     /* 1 if a gnuplot program was found */
    char note[512];  /* a hint for stderr when figures could not be drawn, "" otherwise */
} gn_figure_status;

/* Writes the figure data and scripts into OUT/figures/ (from t, the reference rows when given
 * (may be NULL) and the run folders under OUT/runs/), then draws them with gnuplot when one is
 * found (gnuplot: path or name of the program, NULL for $GNUPLOT or "gnuplot" on PATH). Without
 * gnuplot the files are written and st->note says how to draw them. */
int gn_report_figures(const char *outdir, const gn_table *t, const gn_reference *ref,
                      const char *gnuplot, gn_figure_status *st, gn_error *err);

/* Draws one existing gnuplot script (run in its own folder). */
int gn_report_draw(const char *script, const char *gnuplot, gn_error *err);

/* Writes and draws the profile figure of a single NEB run folder (RUN/profile.{gp,png,svg}). */
int gn_report_run_figure(const char *rundir, const char *gnuplot, gn_figure_status *st,
                         gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
