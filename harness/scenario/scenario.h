/* Scenario files (YAML): what to run, in which lab, and what must be seen. */
#ifndef ALLOCREPRO_SCENARIO_H
#define ALLOCREPRO_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "parse/event.h"
#include "step.h"

#define SC_MAX_STEPS 32
#define SC_MAX_EXPECT 16

#define SC_MAX_SYSCTLS 16
#define SC_MAX_ARMS 8
#define SC_MAX_ACTIONS 4

struct sc_sysctl {
	char name[64];		/* dotted: vm.min_free_kbytes */
	char value[64];
	int line;
};

enum sc_action { ACT_DROP_CACHES, ACT_COMPACT_MEMORY };

/* The baseline (arms[0]) or a mitigation: what it changes, and for the
 * lab, how its guest boots. */
struct sc_arm {
	char name[32];
	int line;
	int nsysctls;
	struct sc_sysctl sysctls[SC_MAX_SYSCTLS];
	int nactions;
	enum sc_action actions[SC_MAX_ACTIONS];
	char boot[128];		/* kernel command line additions (lab) */
	char kernel[32];	/* "" the scenario's */
	char topology[16];
	unsigned memory_mb;	/* 0 the scenario's */
};

struct sc_expect {
	char id[64];
	int line;
	enum ev_type type;
	int order;		/* -1: any */
	char gfp[48];		/* a flag name the event must carry, "" any */
	unsigned min_count;
	bool has_event;
	/* judged over the whole baseline, not per repetition: warn_alloc
	 * reports at most one failure per 10 s, the module counts them all */
	bool scope_run;
	/* instead of an event: at least this many probe allocations failed */
	unsigned probe_failures;
};

struct scenario {
	char path[512];
	char name[64];
	char hash[65];
	uint64_t seed;
	unsigned timeout_s;
	unsigned lab_memory_mb;
	unsigned lab_cpus;
	char lab_kernel[32];	/* defaults for `lab run`, "" none; flags override */
	char lab_topology[16];
	unsigned lab_disk_mb;	/* scratch ext4 disk for files, 0 none */
	unsigned lab_cgroup;	/* 1 or 2: the hierarchy the guest mounts */
	int nsteps;
	struct sc_step steps[SC_MAX_STEPS];
	int nexpect;
	struct sc_expect expect[SC_MAX_EXPECT];
	/* statistical scenarios: arms x repetitions, judged per repetition */
	bool statistical;
	bool sequential;	/* max_repetitions: decide after every round */
	unsigned repetitions;	/* rounds: fixed, or at most (sequential) */
	int repetitions_line;
	unsigned min_repetitions;	/* sequential: the first look */
	unsigned look_every;	/* sequential: rounds between looks (1) */
	double alpha;		/* one-sided Fisher test level, all looks and arms */
	double min_effect;	/* the smallest reduction in failure rate that matters */
	double reproduce_ratio;	/* share of baseline repetitions that must fail */
	unsigned failure_outcomes;	/* sc_outcome_bit()s counted as reproduced */
	bool boot_per_repetition;	/* lab: a fresh guest for each (default) */
	bool lab_fresh_boot;	/* lab: fresh guests boot; false: restore a saved one */
	/* the paired design: each round's arms continue from one prepared
	 * state, saved before step fork_step (scenarios/README.md) */
	bool paired;
	int design_line;
	int fork_step;		/* paired: the first step an arm runs on its own */
	int nsysctls;		/* for every arm */
	struct sc_sysctl sysctls[SC_MAX_SYSCTLS];
	int narms;		/* arms[0] is the baseline */
	struct sc_arm arms[SC_MAX_ARMS];
	/* what the machine must have; unmet: every verdict is SKIP */
	unsigned req_nodes;
	char req_zone[16];
	char req_arch[16];
	size_t text_used;
	char text[16384];	/* strings of steps, NUL-separated */
};

/* The arm by name, NULL when none. */
const struct sc_arm *scenario_arm(const struct scenario *sc, const char *name);

/* The bit of an unfinished outcome (panic, hang, killed, guest_exit) in
 * failure_outcomes; 0 for any other. */
unsigned sc_outcome_bit(const char *outcome);

/*
 * The looks of a run of reps rounds (sequential: from min_repetitions on,
 * every look_every rounds, and the last; fixed: the last only): how many,
 * and in *first the round of the first.
 */
unsigned sc_plan_looks(const struct scenario *sc, unsigned reps, bool sequential, unsigned *first);
/* Is the end of round (1-based) a look? */
bool sc_plan_is_look(const struct scenario *sc, unsigned reps, unsigned first, unsigned round);

/* uma, numa2, numa4, movable, highmem */
bool lab_topology_valid(const char *name);

/*
 * Load and validate, with the step kinds of kinds (the runner's
 * step_kinds).  On error returns -1 with "file:line:col: what" in err;
 * nothing on the machine is touched.
 */
int scenario_load(const char *path, step_table kinds, struct scenario *sc, char *err,
		  size_t errlen);

#endif
