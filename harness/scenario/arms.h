/* An arm of a scenario on this machine: its sysctls (journaled, put back
 * when the arm ends), its one-shot actions, and the plan --dry-run shows. */
#ifndef ALLOCREPRO_ARMS_H
#define ALLOCREPRO_ARMS_H

#include <json-c/json.h>
#include <stdio.h>
#include "scenario.h"

struct arm_applied {
	int n;
	struct {
		char name[64];
		char old[256];
	} s[2 * SC_MAX_SYSCTLS];
};

/* Whether running the scenario changes the machine's settings (sysctls,
 * actions, huge pages): allowed on a lab machine, or when told. */
bool scenario_changes_settings(const struct scenario *sc);
/* Every sysctl the arm sets exists and is readable; else err names it. */
int arm_check(const struct scenario *sc, const struct sc_arm *a, char *err, size_t errlen);
/* The scenario's sysctls, then the arm's: each journaled before written. */
int arm_apply(const struct scenario *sc, const struct sc_arm *a, const char *journal_path,
	      struct arm_applied *ap, char *err, size_t errlen);
/* The arm's own sysctls only (the scenario's are in place: a paired
 * design's arm, from its fork on). */
int arm_apply_own(const struct scenario *sc, const struct sc_arm *a, const char *journal_path,
		  struct arm_applied *ap, char *err, size_t errlen);
/* Put back what arm_apply changed, newest first. */
void arm_revert(struct arm_applied *ap);
/* drop_caches (after a sync) and compact_memory, in the arm's order;
 * what was done and how long it took. */
json_object *arm_actions(const struct sc_arm *a);
/* An arm that only a lab boot can give (boot parameters, kernel, ...). */
bool arm_needs_boot(const struct sc_arm *a);
/* What a run would change, without changing it. */
void arms_plan(FILE *out, const struct scenario *sc, const char *only_arm);

#endif
