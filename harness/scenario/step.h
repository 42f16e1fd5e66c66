/*
 * Step kinds: one table entry per kind, as stress-ng's stressor_info_t and
 * allocrepro's own workload_ops.  A kind says which YAML key starts it and
 * which keys it takes, parses them, says what it needs of the machine, and
 * runs.  The kinds themselves live with the runner (harness/runner/steps/,
 * one file each, listed in runner/steps/steps.c): running is most of what
 * they do.  The scenario loader gets their table from its caller, so this
 * layer never depends on the runner.
 */
#ifndef ALLOCREPRO_STEP_H
#define ALLOCREPRO_STEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <yaml.h>

struct yctx;
struct scenario;
struct run_state;	/* the runner's (runner/run.h) */

/* What a step needs of the machine and of the run around it. */
enum step_needs {
	STEP_NEEDS_KMOD = 1 << 0,	/* the helper module is loaded for it */
	STEP_NEEDS_LAB = 1 << 1,	/* may crash or starve the machine: only on a
					 * machine marked as a lab, or --destructive */
	STEP_CHANGES_SETTINGS = 1 << 2,	/* changes (journaled) settings, as arms do */
	STEP_USES_STRESSNG = 1 << 3,	/* a lab guest needs stress-ng for it */
	STEP_RUNS_ACTIONS = 1 << 4,	/* where an arm's one-shot actions run */
	STEP_NEEDS_ROOT = 1 << 5,	/* writes /proc/sys, /proc/sysrq-trigger, cgroups */
	STEP_PROBES = 1 << 6,		/* allocates what a repetition is judged by */
	STEP_FORKS = 1 << 7,		/* where a paired design's arms part */
};

/* A kind's own settings, in the step, as the kind's struct (STEP_DATA). */
#define SC_STEP_DATA 512

struct sc_step {
	const struct step_kind *kind;
	int line;
	union {
		max_align_t align;
		unsigned char bytes[SC_STEP_DATA];
	} data;
};

/* The kind's struct inside a step; each kind asserts its size fits. */
#define STEP_DATA(type, st) ((type *)(void *)(st)->data.bytes)
#define STEP_DATA_FITS(type) \
	_Static_assert(sizeof(type) <= SC_STEP_DATA, #type " does not fit in a step")

struct step_kind {
	const char *key;	/* the first key of a step of this kind */
	/* Every key the step takes, for errors; NULL: the key stands alone. */
	const char *keys;
	/* Fill st from the step's mapping n (its first pair is key: value). */
	int (*parse)(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st);
	/* STEP_NEEDS_* of this step (NULL: none). */
	unsigned (*needs)(const struct scenario *sc, const struct sc_step *st);
	/* Run it as step idx of repetition rep; what happened goes into the
	 * run's phases and verdicts, an error marks the run as failed. */
	void (*run)(struct run_state *s, const struct sc_step *st, int rep, int idx);
	/* --dry-run: what it would change on this machine (NULL: nothing). */
	void (*plan)(FILE *out, const struct scenario *sc, const struct sc_step *st, int idx);
};

/* A NULL-terminated table of kinds. */
typedef const struct step_kind *const step_table[];

unsigned step_needs(const struct scenario *sc, const struct sc_step *st);
/* The union of every step's needs. */
unsigned scenario_step_needs(const struct scenario *sc);

#endif
