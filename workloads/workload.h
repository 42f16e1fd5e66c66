/*
 * The common interface of workload generators (one per file, as stress-ng
 * does with its stressors).  A workload runs in its own child process, fenced
 * in a memory cgroup by the harness:
 *   start   the harness forks it and moves it into its cgroup;
 *   target  it drives the machine towards its target, measuring as it goes,
 *           and reports each target as "measured OP threshold" (wl_target);
 *   hold    it says "ready" and keeps the state until told to stop, topping
 *           it up when the kernel takes some back (wl_hold's maintain);
 *   stop    SIGTERM ends the hold; it may report final metrics and exits;
 *   report  metrics are "key value" lines on report_fd, at any time.
 * Whatever outlives the process (files, sysctls) is created through the
 * harness's journal, so that a kill -9 leaves nothing `restore` cannot undo.
 */
#ifndef ALLOCREPRO_WORKLOAD_H
#define ALLOCREPRO_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#define WL_MAX_PARAMS 12

enum wl_ptype {
	WLP_NUM,	/* a number in min..max */
	WLP_INT,	/* a whole number in min..max */
	WLP_CHOICE,	/* one word of choices ("a|b|c"); v[] holds its index */
	WLP_STRING,	/* free text (stress-ng arguments, a directory) */
};

struct wl_param {
	const char *name;
	enum wl_ptype type;
	double min, max, def;
	const char *choices;	/* WLP_CHOICE: "a|b|c"; WLP_STRING: the default */
	const char *help;
};

struct wl_args {
	double v[WL_MAX_PARAMS];	/* in the order of ops->params */
	const char *s[WL_MAX_PARAMS];	/* WLP_STRING values */
	uint64_t seed;
	const char *workdir;	/* a journaled directory for files, removed after */
	const char *journal;	/* the run's journal (sysctl changes go there first) */
};

/* What a workload tells the harness, in lines on fd. */
struct wl_reporter {
	int fd;
};

void wl_report(struct wl_reporter *r, const char *key, double value);
/* A target as a verdict: "target NAME MEASURED OP THRESHOLD"; op is one of
 * >=, <=, >, <.  The harness turns each into PASS or FAIL. */
void wl_target(struct wl_reporter *r, const char *name, double measured, const char *op,
	       double threshold);
/* A file the harness copies into the results as NAME, then deletes. */
void wl_attach(struct wl_reporter *r, const char *name, const char *path);
void wl_ready(struct wl_reporter *r);
/*
 * Hold until SIGTERM (or SIGINT).  With maintain, call it every interval_ms
 * to top up what the kernel reclaimed; it returns non-zero to stop early.
 */
void wl_hold(int (*maintain)(void *arg), void *arg, unsigned interval_ms);
/* True once the harness asked the workload to stop. */
bool wl_stopping(void);
/* In the child before run(): SIGTERM/SIGINT set wl_stopping(). */
void wl_catch_stop(void);

struct workload_ops {
	const char *name;
	const char *summary;
	const struct wl_param *params;	/* ends with a NULL name */
	/* In the child: reach the target, report, wl_ready(), wl_hold(),
	 * final metrics; 0 on success. */
	int (*run)(const struct wl_args *a, struct wl_reporter *r);
};

const struct workload_ops *workload_find(const char *name);
const struct workload_ops *const *workload_all(void);
int wl_param_index(const struct workload_ops *w, const char *name);
/* Set parameter i from text; NULL on success, else why (static string). */
const char *wl_param_set(const struct workload_ops *w, int i, const char *text,
			 struct wl_args *a);
void wl_args_default(const struct workload_ops *w, struct wl_args *a);
/* The word of a WLP_CHOICE value, in buf. */
const char *wl_choice(const struct wl_param *p, double v, char *buf, unsigned size);

#endif
