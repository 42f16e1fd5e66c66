#include "repetitions.h"
#include "stats.h"
#include "util/util.h"

#include <string.h>

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static int64_t jint(json_object *o, const char *key, int64_t dflt)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : dflt;
}

/* The same rule as verdict.c's event_matches, on an events.jsonl object. */
static bool json_event_matches(const struct sc_expect *x, json_object *e)
{
	const char *type = jstr(e, "type"), *mask = jstr(e, "gfp_mask");
	json_object *flags;

	if (!type || strcmp(type, ev_type_name(x->type)))
		return false;
	if (x->order >= 0 && jint(e, "order", -1) != x->order)
		return false;
	if (!x->gfp[0] || (mask && !strcmp(mask, x->gfp)))
		return true;
	if (json_object_object_get_ex(e, "gfp_flags", &flags))
		for (size_t i = 0; i < json_object_array_length(flags); i++)
			if (!strcmp(json_object_get_string(json_object_array_get_idx(flags, i)), x->gfp))
				return true;
	return false;
}

static json_object *record_for(json_object *records, const char *arm, int rep)
{
	json_object *r;

	for (size_t i = 0; i < json_object_array_length(records); i++) {
		r = json_object_array_get_idx(records, i);
		if (!strcmp(jstr(r, "arm"), arm) && jint(r, "repetition", -1) == rep)
			return r;
	}
	r = json_object_new_object();
	json_object_object_add(r, "arm", json_object_new_string(arm));
	json_object_object_add(r, "repetition", json_object_new_int(rep));
	json_object_object_add(r, "outcome", NULL);
	json_object_object_add(r, "expect", json_object_new_object());
	json_object_object_add(r, "attempts", json_object_new_int64(0));
	json_object_object_add(r, "failures", json_object_new_int64(0));
	json_object_array_add(records, r);
	return r;
}

static void add_to(json_object *o, const char *key, int64_t n)
{
	json_object_object_add(o, key, json_object_new_int64(jint(o, key, 0) + n));
}

json_object *reps_judge(const struct scenario *sc, json_object *phases, json_object *events,
			const char *unfinished_outcome)
{
	json_object *records = json_object_new_array();
	size_t np = phases ? json_object_array_length(phases) : 0;
	json_object **by_index = xcalloc(np + 1, sizeof(*by_index));

	for (size_t i = 0; i < np; i++) {
		json_object *p = json_object_array_get_idx(phases, i), *m, *r;
		const char *arm = jstr(p, "arm"), *kind = jstr(p, "kind");
		int64_t idx = jint(p, "index", -1);

		if (!arm || !kind)
			continue;
		r = record_for(records, arm, (int)jint(p, "repetition", 0));
		if (idx >= 0 && (size_t)idx < np)
			by_index[idx] = r;
		if (!strcmp(kind, "repetition_end"))
			json_object_object_add(r, "outcome", json_object_new_string(
				jstr(p, "outcome") ? jstr(p, "outcome") : "completed"));
		if (!strcmp(kind, "probe") && json_object_object_get_ex(p, "metrics", &m)) {
			add_to(r, "attempts", jint(m, "attempts", 0));
			add_to(r, "failures", jint(m, "failures", 0));
		}
	}
	for (size_t i = 0; events && i < json_object_array_length(events); i++) {
		json_object *e = json_object_array_get_idx(events, i), *r, *ex;
		int64_t ph = jint(e, "phase", -1);

		if (ph < 0 || (size_t)ph >= np || !(r = by_index[ph]))
			continue;
		json_object_object_get_ex(r, "expect", &ex);
		for (int x = 0; x < sc->nexpect; x++)
			if (sc->expect[x].has_event && json_event_matches(&sc->expect[x], e))
				add_to(ex, sc->expect[x].id, 1);
	}
	for (size_t i = 0; i < json_object_array_length(records); i++) {
		json_object *r = json_object_array_get_idx(records, i), *ex;
		bool all = true;

		json_object_object_get_ex(r, "expect", &ex);
		for (int x = 0; x < sc->nexpect; x++) {
			const struct sc_expect *e = &sc->expect[x];
			int64_t got = e->has_event ? jint(ex, e->id, 0) : jint(r, "failures", 0);

			if (!e->has_event)
				json_object_object_add(ex, e->id, json_object_new_int64(got));
			if (!e->scope_run)
				all &= got >= (e->has_event ? e->min_count : e->probe_failures);
		}
		if (!jstr(r, "outcome"))
			json_object_object_add(r, "outcome", json_object_new_string(unfinished_outcome));
		json_object_object_add(r, "reproduced", json_object_new_boolean(all));
	}
	free(by_index);
	return records;
}

struct tally {
	unsigned n, k, unfinished;
	int64_t attempts, failures;
};

/* Completed repetitions are judged; one that ended otherwise (hang,
 * panic, kill) is counted apart, unless it showed the failure already. */
static struct tally tally_arm(json_object *records, const char *arm)
{
	struct tally t = { 0 };

	for (size_t i = 0; i < json_object_array_length(records); i++) {
		json_object *r = json_object_array_get_idx(records, i), *v;
		bool done = !strcmp(jstr(r, "outcome"), "completed"), rep;

		if (strcmp(jstr(r, "arm"), arm))
			continue;
		json_object_object_get_ex(r, "reproduced", &v);
		rep = json_object_get_boolean(v);
		if (!done && !rep) {
			t.unfinished++;
			continue;
		}
		t.n++;
		t.k += rep;
		t.attempts += jint(r, "attempts", 0);
		t.failures += jint(r, "failures", 0);
	}
	return t;
}

static json_object *verdict_new(const char *id, const char *status, json_object *m)
{
	json_object *v = json_object_new_object();

	json_object_object_add(v, "id", json_object_new_string(id));
	json_object_object_add(v, "status", json_object_new_string(status));
	json_object_object_add(v, "measure", m);
	return v;
}

static void tally_measure(json_object *m, const char *prefix, const struct tally *t)
{
	char key[64];

#define PUT(name, val) (snprintf(key, sizeof(key), "%s_%s", prefix, name), \
			json_object_object_add(m, key, val))
	PUT("failed", json_object_new_int((int)t->k));
	PUT("repetitions", json_object_new_int((int)t->n));
	PUT("unfinished", json_object_new_int((int)t->unfinished));
	PUT("probe_attempts", json_object_new_int64(t->attempts));
	PUT("probe_failures", json_object_new_int64(t->failures));
#undef PUT
}

/* A SKIP verdict gives the reason its arm did not run. */
static const char *skip_or(json_object *skipped, const char *arm, const char *status,
			   json_object **why)
{
	*why = NULL;
	if (skipped && json_object_object_get_ex(skipped, arm, why))
		return "SKIP";
	return status;
}

static json_object *verdict_with(const char *id, const char *status, json_object *m,
				 json_object *why)
{
	json_object *v = verdict_new(id, status, m);

	if (why)
		json_object_object_add(v, "reason", json_object_get(why));
	return v;
}

/* <scenario>.baseline.reproduces: enough baseline repetitions failed. */
static json_object *baseline_verdict(const struct scenario *sc, const struct tally *b,
				     json_object *skipped)
{
	unsigned need = stats_needed(sc->reproduce_ratio, b->n);
	char *id = xasprintf("%s.baseline.reproduces", sc->name);
	json_object *m = json_object_new_object(), *why, *v;
	const char *st;

	tally_measure(m, "baseline", b);
	json_object_object_add(m, "needed", json_object_new_int((int)need));
	json_object_object_add(m, "reproduce_ratio", json_object_new_double(sc->reproduce_ratio));
	st = skip_or(skipped, "baseline", !b->n ? "ERROR" : b->k >= need ? "PASS" : "FAIL", &why);
	v = verdict_with(id, st, m, why);
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
	json_object *m = json_object_new_object(), *why, *v;
	const char *st;

	for (size_t i = 0; i < json_object_array_length(records); i++) {
		json_object *r = json_object_array_get_idx(records, i), *ex;

		json_object_object_get_ex(r, "expect", &ex);
		*(strcmp(jstr(r, "arm"), "baseline") ? &other : &got) += jint(ex, e->id, 0);
	}
	json_object_object_add(m, "matched", json_object_new_int64(got));
	json_object_object_add(m, "min_count", json_object_new_int((int)need));
	json_object_object_add(m, "matched_in_mitigation_arms", json_object_new_int64(other));
	st = skip_or(skipped, "baseline", !b->n && !b->unfinished ? "ERROR" :
		     got >= need ? "PASS" : "FAIL", &why);
	v = verdict_with(id, st, m, why);
	free(id);
	return v;
}

/* <scenario>.mitigation.<arm>.suppresses: Fisher's exact test, one-sided,
 * with the effect size. */
static json_object *arm_verdict(const struct scenario *sc, const char *name, const struct tally *b,
				const struct tally *t, json_object *skipped)
{
	double rb = b->n ? (double)b->k / b->n : 0, rm = t->n ? (double)t->k / t->n : 0;
	double p = fisher_one_sided(b->k, b->n, t->k, t->n);
	char *id = xasprintf("%s.mitigation.%s.suppresses", sc->name, name);
	json_object *m = json_object_new_object(), *why, *v;
	const char *st;

	tally_measure(m, "baseline", b);
	tally_measure(m, "mitigation", t);
	json_object_object_add(m, "p_value", json_object_new_double(p));
	json_object_object_add(m, "alpha", json_object_new_double(sc->alpha));
	/* effect size: fewer failing repetitions, absolute and relative */
	json_object_object_add(m, "risk_difference", json_object_new_double(rb - rm));
	if (rb > 0)
		json_object_object_add(m, "relative_reduction", json_object_new_double((rb - rm) / rb));
	if (b->attempts && t->attempts)
		json_object_object_add(m, "probe_failure_rate_change",
				       json_object_new_double((double)t->failures / t->attempts -
							      (double)b->failures / b->attempts));
	st = skip_or(skipped, name, !t->n || !b->n ? "ERROR" :
		     p <= sc->alpha + 1e-12 && rm < rb ? "PASS" : "FAIL", &why);
	v = verdict_with(id, st, m, why);
	if (!why && (!t->n || !b->n))
		json_object_object_add(v, "reason", json_object_new_string(
			"no repetition of this arm or of the baseline completed"));
	else if (!why && rm >= rb && !b->k)
		json_object_object_add(v, "reason", json_object_new_string(
			"the baseline never failed: nothing to suppress"));
	free(id);
	return v;
}

json_object *reps_verdicts(const struct scenario *sc, json_object *records, json_object *skipped)
{
	json_object *out = json_object_new_array();
	struct tally b = tally_arm(records, "baseline");

	json_object_array_add(out, baseline_verdict(sc, &b, skipped));
	for (int x = 0; x < sc->nexpect; x++)
		if (sc->expect[x].scope_run)
			json_object_array_add(out, run_scope_verdict(sc, &sc->expect[x], &b, records,
								     skipped));
	for (int a = 1; a < sc->narms; a++) {
		struct tally t = tally_arm(records, sc->arms[a].name);

		json_object_array_add(out, arm_verdict(sc, sc->arms[a].name, &b, &t, skipped));
	}
	return out;
}

json_object *reps_all_skipped(const struct scenario *sc, const char *reason)
{
	json_object *skipped = json_object_new_object(), *records = json_object_new_array();
	json_object *out;

	for (int a = 0; a < sc->narms; a++)
		json_object_object_add(skipped, sc->arms[a].name, json_object_new_string(reason));
	out = reps_verdicts(sc, records, skipped);
	json_object_put(skipped);
	json_object_put(records);
	return out;
}
