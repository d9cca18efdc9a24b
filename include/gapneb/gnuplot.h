/* gapneb: figures drawn by gnuplot: the common frame of every figure script (PNG with the cairo
 * terminal where gnuplot has one, and SVG, both written to temporary names and renamed, so a
 * figure appears whole or not at all), finding the program, and running it. What a figure shows
 * is up to its caller (figures.c; scripts are composed with the helpers of src/gnuplot_internal.h);
 * every figure is a data file, a script a user can restyle and
 * rerun (`gnuplot NAME.gp`), and the PNG and SVG it draws.
 *
 * Units: none.
 * Thread safety: no shared state; gn_gnuplot_draw forks the program.
 */
#ifndef GAPNEB_GNUPLOT_H
#define GAPNEB_GNUPLOT_H

#include <stddef.h>
#include "gapneb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Finds gnuplot: given (a path or a name on PATH), else $GNUPLOT, else "gnuplot". Returns 1 and
 * the path in out when it is an executable. */
int gn_gnuplot_find(const char *given, char *out, size_t cap);

/* Draws one script (run in its own folder): NAME.png and NAME.svg beside it. gnuplot as for
 * gn_gnuplot_find. */
int gn_gnuplot_draw(const char *script, const char *gnuplot, gn_error *err);

typedef struct gn_figure_status {
    int scripts;     /* gnuplot scripts written */
    int drawn;       /* scripts drawn by gnuplot */
    int gnuplot;     /* 1 if a gnuplot program was found */
    char note[512];  /* a hint for stderr when figures could not be drawn, "" otherwise */
} gn_figure_status;

/* Draws every script of a list, counting them into st; without gnuplot st->note says how to
 * draw them later (folder: where the scripts are). */
void gn_gnuplot_draw_all(char **scripts, size_t n, const char *gnuplot, const char *folder,
                         gn_figure_status *st);

#ifdef __cplusplus
}
#endif
#endif
