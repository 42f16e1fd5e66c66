/*
 * The common interface of workload generators (one per file, as stress-ng
 * does with its stressors).  A workload runs in its own child process: it
 * drives the machine to its target, reports metrics, says "ready", and holds
 * the state until it is told to stop (SIGTERM).
 */
#ifndef ALLOCREPRO_WORKLOAD_H
#define ALLOCREPRO_WORKLOAD_H

#include <stdint.h>

#define WL_MAX_PARAMS 8

struct wl_param {
	const char *name;
	double min, max, def;
	int integer;		/* must be a whole number */
	const char *help;
};

struct wl_args {
	double v[WL_MAX_PARAMS];	/* in the order of ops->params */
	uint64_t seed;
};

/* What a workload tells the harness, in "key value" lines on report_fd. */
struct wl_reporter {
	int fd;
};

void wl_report(struct wl_reporter *r, const char *key, double value);
void wl_ready(struct wl_reporter *r);
/* Sleep until SIGTERM; what the workload holds stays held. */
void wl_hold(void);

struct workload_ops {
	const char *name;
	const char *summary;
	const struct wl_param *params;	/* ends with a NULL name */
	/* In the child: reach the target, report, wl_ready(), wl_hold(). */
	int (*run)(const struct wl_args *a, struct wl_reporter *r);
};

const struct workload_ops *workload_find(const char *name);
const struct workload_ops *const *workload_all(void);
int wl_param_index(const struct workload_ops *w, const char *name);

#endif
