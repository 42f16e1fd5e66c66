/* The report's plots of one run or one lab guest, from its samples and
 * phases (results/report_plots.c). */
#ifndef ALLOCREPRO_REPORT_PLOTS_H
#define ALLOCREPRO_REPORT_PLOTS_H

#include "reader.h"

#include <json-c/json.h>
#include <stddef.h>

#define REPORT_MAX_PLOTS 16

struct report_plot {
	char title[160];
	char *svg;		/* an <svg> element */
};

/*
 * Over the run's time, the phases marked (workload start and target
 * reached, probe start and end, mitigation actions, fork, repetition
 * end): free memory per zone with its min/low/high; free memory per block
 * order, stacked; the unusable free space index at the probe's order;
 * the module's attempts and failures per second; reclaim and compaction
 * per second.  prefix keeps the SVGs' ids apart.  Returns how many were
 * made into out (0 when the run has no samples), -1 with err when
 * gnuplot failed.
 */
int report_plots(const struct run_data *rd, const char *prefix, struct report_plot *out,
		 int max, char *err, size_t errlen);
void report_plots_free(struct report_plot *p, int n);
/* The module's failed attempts in each repetition, one series per arm,
 * from a statistical run's summary; NULL with err when gnuplot failed. */
char *report_reps_plot(json_object *summary, const char *prefix, char *err, size_t errlen);

/* The probe's order in the run's phases ("order=N" of its command), 3. */
int report_probe_order(json_object *phases);

#endif
