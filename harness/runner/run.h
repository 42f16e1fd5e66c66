/*
 * A scenario run on this machine (bare metal, or inside a lab guest): for
 * each repetition every arm once, in a seeded random order, each running
 * the steps while the recorder reads the kernel's log; then the verdicts.  Step kinds
 * (runner/steps/) see the run through this header: they open phases,
 * add verdicts and use the helper module and workload processes.
 */
#ifndef ALLOCREPRO_RUN_H
#define ALLOCREPRO_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "record/recorder.h"
#include "record/sampler.h"
#include "results/results.h"
#include "runner/workload_proc.h"
#include "safety/journal.h"
#include "scenario/arms.h"
#include "scenario/scenario.h"

struct run_opts {
	const char *results;
	const char *stream;
	const char *kmod;	/* the helper module; NULL: found (probe_kmod.h) */
	uint64_t seed;
	bool seed_set;
	unsigned repeat;	/* 0: the scenario's repetitions */
	unsigned first_rep;	/* numbering, for a lab boot per repetition */
	const char *arm;	/* only this arm (a lab guest booted for it) */
	const char *fork;	/* paired design: the port the arm is read from at the fork */
	bool from_boot;
	bool reseed;		/* a restored lab guest: reseed the kernel's generator */
	bool destructive;	/* allowed on a machine not marked as a lab */
	bool dry_run;
	bool lava;		/* the verdicts as LAVA test cases at the end */
};

struct run_state;

/* Called when a workload started by a step is stopped (its verdicts). */
typedef void (*workload_stopped_fn)(struct run_state *s, const struct sc_step *st,
				    struct workload_proc *w, int rep, int idx);

struct run_state {
	const struct scenario *sc;
	const struct sc_arm *arm;
	const struct run_opts *o;
	const char *only_arm;	/* the one arm this run runs (--arm, or told at the fork) */
	struct results res;
	struct recorder rec;
	struct sampler samp;	/* the state over time; fast while a probe runs */
	json_object *phases;
	struct {
		struct workload_proc proc;
		int step, rep;
		workload_stopped_fn stopped;
	} procs[SC_MAX_STEPS];
	int nprocs;
	bool kmod_loaded;
	int infra_error;
	json_object *step_verdicts;	/* exec statuses, workload targets */
	json_object *order;	/* [{repetition, arm}] as run */
	struct journal journal;
};

/* The steps' view of the run (run.c). */

/* A phase is one entry of summary.json's phases; its index is also
 * written to the kernel log so events can be matched to it. */
json_object *run_phase_new(struct run_state *s, int rep, int step, const char *kind);
/* Record it (phases.jsonl, as it happens) with its outcome; takes p. */
void run_phase_done(struct run_state *s, json_object *p, const char *outcome);
/* A step that could not do its job: said, a phase with the error, and
 * the run marked as an infrastructure failure. */
void run_step_error(struct run_state *s, const struct sc_step *st, int rep, int idx,
		    const char *kind, const char *err);
/* Each step of each repetition draws from its own seed. */
uint64_t run_step_seed(const struct run_state *s, int rep, int idx);
/* A verdict of a step: "<scenario>.step<i>_<what>[.rep<r>]", measure taken. */
void run_step_verdict(struct run_state *s, int idx, int rep, const char *what, bool pass,
		      json_object *meas);
/* Load the helper module once per run (journaled); false: error recorded. */
bool run_ensure_kmod(struct run_state *s, int rep, int idx, const char *kind);
/* One command to the module as one phase; false on error (recorded). */
bool run_kmod_phase(struct run_state *s, const struct sc_step *st, int rep, int idx,
		    const char *kind, const char *cmd);
/* A slot for a workload the step starts; stopped (newest first) at the
 * end of the repetition, then stopped() gives its verdicts. */
struct workload_proc *run_workload_slot(struct run_state *s, int rep, int idx,
					workload_stopped_fn stopped);

/* The run as cmd_run drives it (run.c, judge.c). */

/* Refuse before anything is touched: steps that need a lab machine,
 * settings, an unknown arm or sysctl.  0 or EXIT_USAGE (said). */
int run_preflight(const struct scenario *sc, const struct run_opts *o);
/* What the scenario requires of the machine; "" when all is there. */
void run_requirements(const struct scenario *sc, char *why, size_t len);
/* Every arm this run runs, each repetition of each; skip: a reason
 * nothing runs.  Workloads are stopped and settings undone at the end. */
void run_arms(struct run_state *s, unsigned reps);
/* The verdicts: per expectation, or (statistical) per repetition and arm;
 * *records: the judged repetitions (statistical only, else NULL). */
json_object *run_judge(struct run_state *s, const char *skip_reason, json_object **records);
/* Arms this run does not run, and why (their verdicts are SKIP); only:
 * the one arm it runs, NULL all it can. */
json_object *run_arms_skipped(const struct scenario *sc, const char *only);

/* The pieces of a repetition, for paired.c. */

/* The scenario's sysctls and the arm's (own_only: the arm's alone), each
 * journaled; false when they cannot be set (an error phase, the run
 * failed). */
bool run_apply_arm(struct run_state *s, int rep, const struct sc_arm *arm, bool own_only,
		   struct arm_applied *ap);
/* Steps [from, to) of repetition rep, as s->arm, until an error. */
void run_steps(struct run_state *s, int rep, int from, int to);
/* Its workloads stopped and, when nothing failed, its end marked. */
void run_rep_end(struct run_state *s, int rep);
/* paired.c: one repetition in a lab guest of the paired design (--fork):
 * the steps before the fork, then the arm the host names. */
void run_forked(struct run_state *s, int rep);

#endif
