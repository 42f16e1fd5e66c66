/* allocrepro report: what a run showed, for a person (results/report_html.c,
 * results/report_text.c). */
#ifndef ALLOCREPRO_REPORT_H
#define ALLOCREPRO_REPORT_H

#include "reader.h"

#include <stdbool.h>
#include <stdio.h>

/* One self-contained HTML page into f; -1 with err when a plot could not
 * be drawn (gnuplot). */
int report_html(const struct run_data *rd, FILE *f, char *err, size_t errlen);
/* The same for a terminal: verdicts, reports and their causes. */
void report_text(const struct run_data *rd, FILE *f);
/* A merged directory: its runs as a matrix (html: a page); -1 with err
 * when its index cannot be read. */
int report_merged(const char *dir, FILE *f, bool html, char *err, size_t errlen);

#endif
