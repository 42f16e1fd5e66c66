/* gnuplot's svg terminal, for the report's plots (results/report_plots.c). */
#ifndef ALLOCREPRO_PLOT_H
#define ALLOCREPRO_PLOT_H

#include <stddef.h>

/*
 * The SVG gnuplot draws from script (data inline as datablocks; the
 * script sets the terminal), as an element to put into HTML: no XML
 * prolog, and every id (and reference to one) prefixed with prefix, so
 * that several plots share a page.  NULL with err when gnuplot is not
 * there or fails (its first error line).
 */
char *plot_svg(const char *script, const char *prefix, char *err, size_t errlen);

/* Is gnuplot on PATH? */
int plot_available(void);

#endif
