/* The paired design's verdicts: records of a baseline and a mitigation
 * repetition that continued one prepared guest (the same "prepared", as
 * the lab writes them) are compared pair by pair; the same records without
 * it (a paired scenario run natively) are judged as independent. */
#include "tap.h"
#include "runner/steps/steps.h"
#include "scenario/scenario.h"
#include "verdict/repetitions.h"
#include "verdict/stats.h"

#include <math.h>

#define ARM_ID "paired-fork.mitigation.stat_interval.suppresses"

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static json_object *arm_verdict(json_object *verdicts)
{
	for (size_t i = 0; i < json_object_array_length(verdicts); i++) {
		json_object *v = json_object_array_get_idx(verdicts, i);

		if (!strcmp(json_object_get_string(json_object_object_get(v, "id")), ARM_ID))
			return v;
	}
	return NULL;
}

static const char *status(json_object *v)
{
	return v ? json_object_get_string(json_object_object_get(v, "status")) : "(none)";
}

static json_object *m(json_object *v, const char *key)
{
	return json_object_object_get(json_object_object_get(v, "measure"), key);
}

/* One record; prep < 0: no prepared state named. */
static void add(json_object *rec, const char *arm, int rep, int prep, bool failed,
		const char *outcome, int failures)
{
	json_object *o = json_object_new_object();
	char label[32];

	json_object_object_add(o, "arm", json_object_new_string(arm));
	json_object_object_add(o, "repetition", json_object_new_int(rep));
	json_object_object_add(o, "outcome", json_object_new_string(outcome));
	json_object_object_add(o, "reproduced", json_object_new_boolean(failed));
	json_object_object_add(o, "attempts", json_object_new_int(16));
	json_object_object_add(o, "failures", json_object_new_int(failures));
	if (prep >= 0) {
		snprintf(label, sizeof(label), "%03d-prepared-rep%d", 3 * prep, rep);
		json_object_object_add(o, "prepared", json_object_new_string(label));
	}
	json_object_array_add(rec, o);
}

/* n pairs: in the first kb the baseline reproduced, in the first km the
 * mitigation (so pairs kb..km-1 or km..kb-1 are the discordant ones). */
static json_object *pairs(int n, int kb, int km, bool labelled)
{
	json_object *rec = json_object_new_array();

	for (int r = 0; r < n; r++) {
		add(rec, "baseline", r, labelled ? r : -1, r < kb, "completed", r < kb ? 50 + r : 0);
		add(rec, "stat_interval", r, labelled ? r : -1, r < km, "completed", r < km ? 7 : 0);
	}
	return rec;
}

static const char *judge(struct scenario *sc, json_object *rec, const struct reps_look *look,
			 json_object **vout)
{
	static char st[32];
	json_object *v = reps_verdicts(sc, rec, NULL, look);

	snprintf(st, sizeof(st), "%s", status(arm_verdict(v)));
	json_object_put(rec);
	if (vout)
		*vout = v;
	else
		json_object_put(v);
	return st;
}

int main(void)
{
	static struct scenario sc;
	const struct reps_look first_of_two = { 1, 2, false };
	json_object *v, *r, *rec;
	char err[512];

	ok(near(mcnemar_greater(5, 0), 1.0 / 32), "McNemar: 5 discordant pairs one way, p = 2^-5");
	ok(near(mcnemar_greater(3, 1), 5.0 / 16), "McNemar: 3 against 1, p = P(X >= 3 | Bin(4, 1/2))");
	ok(near(mcnemar_greater(0, 0), 1), "McNemar: no discordant pair, p = 1");
	ok(scenario_load(fixture("TESTS", "scenarios/paired-fork.yaml"), step_kinds, &sc, err,
			 sizeof(err)) == 0, "paired-fork loads (%s)", err);
	ok(sc.paired && sc.fork_step == 2, "design paired, the arms part at step 2 (fork: arms)");

	is_str(judge(&sc, pairs(5, 5, 0, true), NULL, &v), "PASS",
	       "5 pairs, the baseline alone reproduced in each: PASS (p = 1/32)");
	r = arm_verdict(v);
	is_str(json_object_get_string(m(r, "design")), "paired", "judged as pairs");
	is_int(json_object_get_int(m(r, "pairs")), 5, "5 pairs");
	is_int(json_object_get_int(m(r, "pairs_baseline_only")), 5, "5 discordant the baseline's way");
	ok(near(json_object_get_double(m(r, "p_value")), 1.0 / 32), "p = 1/32");
	ok(near(json_object_get_double(m(r, "wilcoxon_p")), 1.0 / 32),
	   "failed attempts 50..54 against 0 in every pair: signed-rank p = 1/32");
	ok(json_object_get_double(m(r, "difference")) == 1.0, "difference 1");
	json_object_put(v);

	is_str(judge(&sc, pairs(5, 5, 0, false), NULL, &v), "PASS",
	       "the same records without their prepared state: judged as independent");
	r = arm_verdict(v);
	is_str(json_object_get_string(m(r, "design")), "independent", "design independent");
	ok(near(json_object_get_double(m(r, "p_value")), 1.0 / 252), "Fisher's p = 1/252");
	json_object_put(v);

	is_str(judge(&sc, pairs(5, 5, 5, true), NULL, &v), "FAIL",
	       "5 concordant pairs: FAIL (the reduction is at most 0.45 < 0.5)");
	ok(json_object_get_double(m(arm_verdict(v), "reduction_upper_bound")) < 0.5,
	   "its bound is below min_effect");
	json_object_put(v);
	is_str(judge(&sc, pairs(5, 5, 5, true), &first_of_two, NULL), "UNDECIDED",
	       "at look 1 of 2 (level 0.025) the same 5 pairs do not decide (bound 0.52)");
	is_str(judge(&sc, pairs(5, 0, 5, true), NULL, NULL), "FAIL",
	       "5 pairs where only the mitigation reproduced: FAIL, it makes it worse");
	is_str(judge(&sc, pairs(5, 3, 0, true), NULL, &v), "INCONCLUSIVE",
	       "3 discordant of 5 pairs: INCONCLUSIVE (p = 1/8)");
	r = arm_verdict(v);
	is_int(json_object_get_int(m(r, "repetitions_to_decide")),
	       (int)mcnemar_pairs_for_power(0.6, 0, 0.05, 200),
	       "it says how many pairs would decide it (power 0.8)");
	ok(strstr(json_object_get_string(json_object_object_get(r, "reason")), "pairs would decide"),
	   "in pairs");
	json_object_put(v);

	/* a decided arm stops booting: the baseline's later rounds have no
	 * partner and are left out of that arm's pairs */
	rec = pairs(5, 5, 0, true);
	for (int r2 = 5; r2 < 10; r2++)
		add(rec, "baseline", r2, r2, false, "completed", 0);
	is_str(judge(&sc, rec, NULL, &v), "PASS", "baseline rounds without a partner are not pairs");
	r = arm_verdict(v);
	is_int(json_object_get_int(m(r, "pairs")), 5, "still 5 pairs");
	is_int(json_object_get_int(m(r, "baseline_repetitions")), 5,
	       "and the baseline's rate is the one it had in them");
	json_object_put(v);

	/* a round whose prepared guest hung before the fork: both records
	 * carry its outcome */
	rec = pairs(5, 5, 0, true);
	add(rec, "baseline", 5, 5, false, "hang", 0);
	add(rec, "stat_interval", 5, 5, false, "hang", 0);
	is_str(judge(&sc, rec, NULL, NULL), "ERROR", "a hung prepared guest: ERROR, never dropped");
	sc.failure_outcomes = sc_outcome_bit("hang");
	rec = pairs(5, 5, 0, true);
	add(rec, "baseline", 5, 5, false, "hang", 0);
	add(rec, "stat_interval", 5, 5, false, "hang", 0);
	is_str(judge(&sc, rec, NULL, &v), "PASS", "declared a failure mode: the hung round is a pair");
	r = arm_verdict(v);
	is_int(json_object_get_int(m(r, "pairs")), 6, "6 pairs, the hung round concordant");
	is_int(json_object_get_int(m(r, "pairs_baseline_only")), 5, "5 discordant still");
	json_object_put(v);
	return done_testing();
}
