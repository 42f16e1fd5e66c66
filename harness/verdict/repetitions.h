/*
 * Statistical scenarios: each repetition of each arm is judged on its own
 * (did it show everything the scenario expects?), then the baseline must
 * reproduce and each mitigation is compared with it on the failing
 * repetitions.  Works from the results' JSON (phases, events),
 * so the lab host can judge repetitions from guests that died.
 */
#ifndef ALLOCREPRO_REPETITIONS_H
#define ALLOCREPRO_REPETITIONS_H

#include <json-c/json.h>
#include "scenario/scenario.h"

/*
 * Records [{"arm", "repetition", "outcome", "reproduced", "expect": {id:
 * count}, "probe": {"attempts", "failures"}}] from phases (each with arm,
 * repetition, kind, metrics; "repetition_end" closes one) and events (each
 * with its phase).  A repetition without its end gets unfinished_outcome.
 */
json_object *reps_judge(const struct scenario *sc, json_object *phases, json_object *events,
			const char *unfinished_outcome);

/*
 * A repetition that did not complete (hang, panic, kill, never begun) and
 * whose outcome the scenario does not count as the failure: it is never
 * judged, and it makes its arm an ERROR.
 */
bool reps_unfinished(const struct scenario *sc, const char *outcome);

/* records' entry for arm's repetition rep, made (outcome null, nothing
 * matched) when there is none yet. */
json_object *reps_record(json_object *records, const char *arm, int rep);

/* Where a run stands when it judges: look of nlooks (a fixed design has
 * one), and whether more repetitions may come. */
struct reps_look {
	unsigned look, nlooks;
	bool final;
};

/*
 * Verdicts "<scn>.baseline.reproduces" and "<scn>.mitigation.<arm>.suppresses"
 * from the records (decide.c).  skipped maps an arm's name to why it did not
 * run (its verdict is SKIP).  look NULL: one final look.  Before the final
 * look an arm that is not decided yet is UNDECIDED; after it, INCONCLUSIVE.
 */
json_object *reps_verdicts(const struct scenario *sc, json_object *records, json_object *skipped,
			   const struct reps_look *look);

/* Is any verdict UNDECIDED (a sequential run goes on)? */
bool reps_undecided(json_object *verdicts);

/* Every verdict SKIP, with one reason (a requirement the machine lacks). */
json_object *reps_all_skipped(const struct scenario *sc, const char *reason);

#endif
