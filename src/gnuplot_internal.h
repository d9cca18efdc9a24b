/* gapneb: composing gnuplot scripts and data files in a text buffer (gnuplot.c), for the modules
 * that draw figures. Not installed. */
#ifndef GAPNEB_GNUPLOT_INTERNAL_H
#define GAPNEB_GNUPLOT_INTERNAL_H

#include "gapneb/gnuplot.h"
#include "strbuf_internal.h"

/* The head of a script: what it draws, from which data file, and how to redraw it, then the
 * settings every figure shares. name: the base name (NAME.gp draws NAME.png and NAME.svg). */
void gn_gp_head(gn_strbuf *b, const char *name, const char *what, const char *data);

/* The loop over the output formats (PNG and SVG, written to NAME.FORMAT plus the temporary
 * suffix gapneb passes as tmp) that the plot commands go inside. */
void gn_gp_loop_open(gn_strbuf *b, const char *name);
/* The same with a figure size in pixels other than the default 900 x 620 (multi-panel figures). */
void gn_gp_loop_open_size(gn_strbuf *b, const char *name, int width, int height);
void gn_gp_loop_close(gn_strbuf *b);

/* A gnuplot single-quoted string. */
void gn_gp_quote(gn_strbuf *b, const char *s);

/* Writes the buffer to path (whole or not at all) and empties it. */
int gn_gp_write(gn_strbuf *b, const char *path, gn_error *err);

#endif
