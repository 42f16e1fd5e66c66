/*
 * The verdicts of a statistical scenario from its judged repetitions: the
 * baseline must reproduce, and each mitigation arm is PASS, FAIL,
 * INCONCLUSIVE or ERROR (scenarios/README.md says when), or UNDECIDED
 * while a sequential run has rounds to go.  Every level is the scenario's
 * alpha split over its looks (Bonferroni), and PASS is Holm-corrected
 * over the arms.
 */
#include "decide_parts.h"
#include "util/jget.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define REPS_PLAN_MAX 200	/* the most repetitions per arm a plan proposes */

struct tally {
	unsigned n, k;		/* judged repetitions, and those that reproduced */
	unsigned unfinished;	/* ended otherwise and not a declared failure mode */
	unsigned counted;	/* ended in a declared failure mode: counted as reproduced */
	int64_t attempts, failures;
	double *fails;		/* the module's failed attempts, per completed repetition */
	size_t nfails;
};

/* A repetition that ended otherwise (hang, panic, kill) is never dropped:
 * it reproduced if the scenario names its outcome a failure mode, else it
 * makes the arm an ERROR. */
static struct tally tally_arm(const struct scenario *sc, json_object *records, const char *arm)
{
	size_t nrec = json_object_array_length(records);
	struct tally t = { .fails = xcalloc(nrec + 1, sizeof(double)) };

	for (size_t i = 0; i < nrec; i++) {
		json_object *r = json_object_array_get_idx(records, i), *v;
		const char *out = jget_str(r, "outcome");
		bool done = out && !strcmp(out, "completed");

		if (strcmp(jget_str(r, "arm"), arm))
			continue;
		if (reps_unfinished(sc, out)) {
			t.unfinished++;
			continue;
		}
		t.n++;
		if (!done) {
			t.k++;
			t.counted++;
			continue;
		}
		json_object_object_get_ex(r, "reproduced", &v);
		t.k += json_object_get_boolean(v);
		t.attempts += jget_int(r, "attempts", 0);
		t.failures += jget_int(r, "failures", 0);
		t.fails[t.nfails++] = (double)jget_int(r, "failures", 0);
	}
	return t;
}

json_object *decide_jinterval(struct interval iv)
{
	json_object *a = json_object_new_array();

	json_object_array_add(a, json_object_new_double(iv.lo));
	json_object_array_add(a, json_object_new_double(iv.hi));
	return a;
}

static void tally_measure(json_object *m, const char *prefix, const struct tally *t)
{
	char key[64];

#define PUT(name, val) (snprintf(key, sizeof(key), "%s_%s", prefix, name), \
			json_object_object_add(m, key, val))
	PUT("failed", json_object_new_int((int)t->k));
	PUT("repetitions", json_object_new_int((int)t->n));
	PUT("unfinished", json_object_new_int((int)t->unfinished));
	if (t->counted)
		PUT("counted_unfinished", json_object_new_int((int)t->counted));
	PUT("probe_attempts", json_object_new_int64(t->attempts));
	PUT("probe_failures", json_object_new_int64(t->failures));
	PUT("rate", t->n ? json_object_new_double((double)t->k / t->n) : NULL);
	PUT("rate_ci95", decide_jinterval(ci_clopper_pearson(t->k, t->n, 0.95)));
#undef PUT
}

static json_object *verdict_new(const char *id, const char *status, json_object *m,
				const char *reason)
{
	json_object *v = json_object_new_object();

	json_object_object_add(v, "id", json_object_new_string(id));
	json_object_object_add(v, "status", json_object_new_string(status));
	if (reason)
		json_object_object_add(v, "reason", json_object_new_string(reason));
	json_object_object_add(v, "measure", m);
	return v;
}

static const char *skipped_why(json_object *skipped, const char *arm)
{
	json_object *why;

	return skipped && json_object_object_get_ex(skipped, arm, &why) ?
	       json_object_get_string(why) : NULL;
}

/* Did the baseline reproduce in enough of its repetitions? */
static bool baseline_reproduces(const struct scenario *sc, const struct tally *b)
{
	return b->n && b->k >= stats_needed(sc->reproduce_ratio, b->n);
}

/* <scenario>.baseline.reproduces */
static json_object *baseline_verdict(const struct scenario *sc, const struct tally *b,
				     json_object *skipped)
{
	char *id = xasprintf("%s.baseline.reproduces", sc->name), *why = NULL;
	json_object *m = json_object_new_object(), *v;
	const char *st, *skip = skipped_why(skipped, "baseline");

	tally_measure(m, "baseline", b);
	json_object_object_add(m, "needed", json_object_new_int((int)stats_needed(
		sc->reproduce_ratio, b->n)));
	json_object_object_add(m, "reproduce_ratio", json_object_new_double(sc->reproduce_ratio));
	if (skip) {
		st = "SKIP";
	} else if (b->unfinished) {
		st = "ERROR";
		why = xasprintf("%u baseline repetitions did not finish (the scenario's "
				"failure_outcomes do not count them)", b->unfinished);
	} else {
		st = !b->n ? "ERROR" : baseline_reproduces(sc, b) ? "PASS" : "FAIL";
	}
	v = verdict_new(id, st, m, skip ? skip : why ? why : !b->n ?
			"no baseline repetition completed" : NULL);
	free(why);
	free(id);
	return v;
}

/* What the kernel itself reported, over all baseline repetitions (an
 * expectation of scope run: warn_alloc reports one failure per 10 s). */
static json_object *run_scope_verdict(const struct scenario *sc, const struct sc_expect *e,
				      const struct tally *b, json_object *records,
				      json_object *skipped)
{
	int64_t got = 0, other = 0, need = e->has_event ? e->min_count : e->probe_failures;
	char *id = xasprintf("%s.baseline.%s", sc->name, e->id);
	json_object *m = json_object_new_object(), *v;
	const char *skip = skipped_why(skipped, "baseline");

	for (size_t i = 0; i < json_object_array_length(records); i++) {
		json_object *r = json_object_array_get_idx(records, i), *ex;

		json_object_object_get_ex(r, "expect", &ex);
		*(strcmp(jget_str(r, "arm"), "baseline") ? &other : &got) += jget_int(ex, e->id, 0);
	}
	json_object_object_add(m, "matched", json_object_new_int64(got));
	json_object_object_add(m, "min_count", json_object_new_int((int)need));
	json_object_object_add(m, "matched_in_mitigation_arms", json_object_new_int64(other));
	v = verdict_new(id, skip ? "SKIP" : !b->n && !b->unfinished ? "ERROR" :
			got >= need ? "PASS" : "FAIL", m, skip);
	free(id);
	return v;
}

/* One mitigation arm against the baseline. */
struct arm_eval {
	const char *name;
	struct tally t;
	const struct tally *base;	/* the run's baseline, or its repetitions paired with t */
	struct tally pbase;	/* paired: those */
	struct pairs pr;
	bool paired;
	double p, p_holm, p_worse;
	bool judged;		/* both arms have judged repetitions, nothing unfinished */
};

/* The measures of one arm: rates with intervals, the difference with its
 * interval, raw and adjusted p, the rank test on failed attempts.  Returns
 * the one-sided upper bound on the reduction at level. */
static double arm_measure(json_object *m, const struct scenario *sc, const struct arm_eval *e,
			  const struct reps_look *look, double level)
{
	const struct tally *t = &e->t, *b = e->base;
	double rb = b->n ? (double)b->k / b->n : 0, rm = t->n ? (double)t->k / t->n : 0, u, upper;

	tally_measure(m, "baseline", b);
	tally_measure(m, "mitigation", t);
	if (e->paired) {
		upper = pairs_measure(m, &e->pr, level);
	} else {
		upper = ci_newcombe_diff(b->k, b->n, t->k, t->n, 1 - 2 * level).hi;
		json_object_object_add(m, "design", json_object_new_string("independent"));
		json_object_object_add(m, "difference", json_object_new_double(rb - rm));
		json_object_object_add(m, "difference_ci95", decide_jinterval(
			ci_newcombe_diff(b->k, b->n, t->k, t->n, 0.95)));
		json_object_object_add(m, "reduction_upper_bound", json_object_new_double(upper));
		/* secondary: fewer failed attempts per repetition (the module's count) */
		json_object_object_add(m, "mann_whitney_p", json_object_new_double(
			mann_whitney_greater(b->fails, b->nfails, t->fails, t->nfails, &u)));
		json_object_object_add(m, "mann_whitney_u", json_object_new_double(u));
	}
	json_object_object_add(m, "min_effect", json_object_new_double(sc->min_effect));
	json_object_object_add(m, "p_value", json_object_new_double(e->p));
	json_object_object_add(m, "p_holm", json_object_new_double(e->p_holm));
	json_object_object_add(m, "p_worse", json_object_new_double(e->p_worse));
	json_object_object_add(m, "alpha", json_object_new_double(sc->alpha));
	json_object_object_add(m, "level", json_object_new_double(level));
	json_object_object_add(m, "look", json_object_new_int((int)look->look));
	json_object_object_add(m, "looks", json_object_new_int((int)look->nlooks));
	return upper;
}

/* How many repetitions per arm would give the test 80% power, for the
 * baseline's observed rate and the larger of the observed reduction and
 * min_effect; 0 when none up to REPS_PLAN_MAX would. */
static unsigned arm_plan(const struct scenario *sc, const struct arm_eval *e, double level)
{
	const struct tally *b = e->base, *t = &e->t;
	double rb = b->n ? (double)b->k / b->n : 0, rm = t->n ? (double)t->k / t->n : 1;
	double effect = rb - rm > sc->min_effect ? rb - rm : sc->min_effect;

	if (e->paired)
		return pairs_plan(sc, &e->pr, level, REPS_PLAN_MAX);

	return rb > 0 ? fisher_reps_for_power(rb, rb > effect ? rb - effect : 0, level,
					      REPS_PLAN_MAX) : 0;
}

/* What the comparison saw, for a verdict's reason (malloc'd). */
static char *seen(const struct arm_eval *e)
{
	const struct tally *t = &e->t, *b = e->base;

	if (e->paired)
		return xasprintf("of %u pairs continued from one prepared state, %u reproduced in "
				 "the baseline only and %u in this arm only (it fails in %u, the "
				 "baseline in %u)", e->pr.n, e->pr.b, e->pr.c, t->k, b->k);
	return xasprintf("fails in %u of %u repetitions against the baseline's %u of %u", t->k,
			 t->n, b->k, b->n);
}

/* <scenario>.mitigation.<arm>.suppresses */
static json_object *arm_verdict(const struct scenario *sc, const struct arm_eval *e,
				size_t family, const struct reps_look *look, json_object *skipped)
{
	const struct tally *t = &e->t, *b = e->base;
	double level = sc->alpha / look->nlooks, upper;
	double rb = b->n ? (double)b->k / b->n : 0, rm = t->n ? (double)t->k / t->n : 0;
	char *id = xasprintf("%s.mitigation.%s.suppresses", sc->name, e->name), *why = NULL;
	char *what = NULL;
	json_object *m = json_object_new_object(), *v;
	const char *st, *skip = skipped_why(skipped, e->name);
	unsigned plan;

	/* one arm of a lab run in its own guest: the host compares */
	if (!skip && skipped_why(skipped, "baseline"))
		skip = "the baseline runs elsewhere (run --arm): the comparison is made where "
		       "both are";
	upper = arm_measure(m, sc, e, look, level);
	if (skip) {
		st = "SKIP";
	} else if (t->unfinished || b->unfinished) {
		st = "ERROR";
		why = xasprintf("%u repetitions of %s did not finish (hang, panic or kill; the "
				"scenario's failure_outcomes do not count them)",
				t->unfinished ? t->unfinished : b->unfinished,
				t->unfinished ? "this arm" : "the baseline");
	} else if (!t->n || !b->n) {
		st = "ERROR";
		why = xasprintf("no repetition of %s completed", !t->n ? "this arm" : "the baseline");
	} else if (e->p_holm <= level * (1 + 1e-9) && (e->paired ? e->pr.b > e->pr.c : rm < rb)) {
		st = "PASS";
		what = seen(e);
		why = xasprintf("%s: Holm-adjusted p = %.3g <= %.3g", what, e->p_holm, level);
	} else if (e->p_worse <= level * (1 + 1e-9)) {
		st = "FAIL";
		what = seen(e);
		why = xasprintf("makes it worse: %s (p = %.3g)", what, e->p_worse);
	} else if (!baseline_reproduces(sc, b)) {
		st = look->final ? "INCONCLUSIVE" : "UNDECIDED";
		why = xasprintf("the baseline reproduced in %u of %u repetitions only: nothing to "
				"suppress", b->k, b->n);
	} else if (upper < sc->min_effect) {
		st = "FAIL";
		why = xasprintf("does not help: the reduction in failure rate is at most %.2f "
				"(one-sided bound at %.3g), below min_effect %.2f", upper,
				1 - level, sc->min_effect);
	} else {
		st = look->final ? "INCONCLUSIVE" : "UNDECIDED";
		plan = arm_plan(sc, e, level / (family ? (double)family : 1));
		json_object_object_add(m, "repetitions_to_decide",
				       plan ? json_object_new_int((int)plan) : NULL);
		why = plan ? xasprintf("neither a reduction (adjusted p = %.3g > %.3g) nor its "
				       "absence (the reduction may be up to %.2f) is shown; about %u "
				       "%s would decide it", e->p_holm, level, upper, plan,
				       e->paired ? "pairs" : "repetitions per arm") :
			     xasprintf("neither a reduction (adjusted p = %.3g > %.3g) nor its "
				       "absence (the reduction may be up to %.2f) is shown, and more "
				       "than %d repetitions per arm would be needed", e->p_holm,
				       level, upper, REPS_PLAN_MAX);
	}
	v = verdict_new(id, st, m, skip ? skip : why);
	free(what);
	free(why);
	free(id);
	return v;
}

json_object *reps_verdicts(const struct scenario *sc, json_object *records, json_object *skipped,
			   const struct reps_look *look)
{
	static const struct reps_look fixed = { 1, 1, true };
	json_object *out = json_object_new_array();
	struct tally b = tally_arm(sc, records, "baseline");
	struct arm_eval ev[SC_MAX_ARMS];
	double p[SC_MAX_ARMS];
	size_t np = 0;

	look = look ? look : &fixed;
	json_object_array_add(out, baseline_verdict(sc, &b, skipped));
	for (int x = 0; x < sc->nexpect; x++)
		if (sc->expect[x].scope_run)
			json_object_array_add(out, run_scope_verdict(sc, &sc->expect[x], &b, records,
								     skipped));
	for (int a = 1; a < sc->narms; a++) {
		struct arm_eval *e = &ev[a];

		*e = (struct arm_eval){ .name = sc->arms[a].name, .base = &b };
		e->paired = pairs_of(sc, records, e->name, &e->pr);
		if (e->paired) {	/* the baseline as it met this arm: its pairs */
			e->pbase = tally_arm(sc, e->pr.records, "baseline");
			e->base = &e->pbase;
			e->t = tally_arm(sc, e->pr.records, e->name);
			e->p = mcnemar_greater(e->pr.b, e->pr.c);
			e->p_worse = mcnemar_greater(e->pr.c, e->pr.b);
		} else {
			e->t = tally_arm(sc, records, e->name);
			e->p = fisher_one_sided(b.k, b.n, e->t.k, e->t.n);
			e->p_worse = fisher_worse(b.k, b.n, e->t.k, e->t.n);
		}
		e->judged = e->t.n && e->base->n && !e->t.unfinished && !e->base->unfinished &&
			    !skipped_why(skipped, e->name);
		if (e->judged)
			p[np++] = e->p;
	}
	/* Holm over the arms judged: the family of this look's tests */
	holm_adjust(p, np, p);
	for (int a = 1, j = 0; a < sc->narms; a++) {
		ev[a].p_holm = ev[a].judged ? p[j++] : 1;
		json_object_array_add(out, arm_verdict(sc, &ev[a], np, look, skipped));
		free(ev[a].t.fails);
		if (ev[a].paired) {
			free(ev[a].pbase.fails);
			pairs_free(&ev[a].pr);
		}
	}
	free(b.fails);
	return out;
}

json_object *reps_all_skipped(const struct scenario *sc, const char *reason)
{
	json_object *skipped = json_object_new_object(), *records = json_object_new_array();
	json_object *out;

	for (int a = 0; a < sc->narms; a++)
		json_object_object_add(skipped, sc->arms[a].name, json_object_new_string(reason));
	out = reps_verdicts(sc, records, skipped, NULL);
	json_object_put(skipped);
	json_object_put(records);
	return out;
}

bool reps_undecided(json_object *verdicts)
{
	for (size_t i = 0; i < json_object_array_length(verdicts); i++) {
		const char *st = jget_str(json_object_array_get_idx(verdicts, i), "status");

		if (st && !strcmp(st, "UNDECIDED"))
			return true;
	}
	return false;
}
