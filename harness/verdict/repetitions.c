#include "repetitions.h"
#include "util/jget.h"
#include "util/util.h"

#include <string.h>

/* The same rule as verdict.c's event_matches, on an events.jsonl object. */
static bool json_event_matches(const struct sc_expect *x, json_object *e)
{
	const char *type = jget_str(e, "type"), *mask = jget_str(e, "gfp_mask");
	json_object *flags;

	if (!type || strcmp(type, ev_type_name(x->type)))
		return false;
	if (x->order >= 0 && jget_int(e, "order", -1) != x->order)
		return false;
	if (!x->gfp[0] || (mask && !strcmp(mask, x->gfp)))
		return true;
	if (json_object_object_get_ex(e, "gfp_flags", &flags))
		for (size_t i = 0; i < json_object_array_length(flags); i++)
			if (!strcmp(json_object_get_string(json_object_array_get_idx(flags, i)), x->gfp))
				return true;
	return false;
}

json_object *reps_record(json_object *records, const char *arm, int rep)
{
	json_object *r;

	for (size_t i = 0; i < json_object_array_length(records); i++) {
		r = json_object_array_get_idx(records, i);
		if (!strcmp(jget_str(r, "arm"), arm) && jget_int(r, "repetition", -1) == rep)
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
	json_object_object_add(o, key, json_object_new_int64(jget_int(o, key, 0) + n));
}

/* A workload's target it did not reach (the state the probe was meant to
 * meet): named in the record, so a repetition that did not reproduce
 * because its state was not built says so. */
static void note_targets(json_object *r, json_object *phase)
{
	json_object *t, *miss;

	if (!json_object_object_get_ex(phase, "targets", &t))
		return;
	if (!json_object_object_get_ex(r, "targets_unmet", &miss)) {
		miss = json_object_new_array();
		json_object_object_add(r, "targets_unmet", miss);
	}
	for (size_t i = 0; i < json_object_array_length(t); i++) {
		json_object *o = json_object_array_get_idx(t, i), *reached;

		if (json_object_object_get_ex(o, "reached", &reached) &&
		    !json_object_get_boolean(reached))
			json_object_array_add(miss, json_object_new_string(jget_str(o, "name")));
	}
}

json_object *reps_judge(const struct scenario *sc, json_object *phases, json_object *events,
			const char *unfinished_outcome)
{
	json_object *records = json_object_new_array();
	size_t np = phases ? json_object_array_length(phases) : 0;
	json_object **by_index = xcalloc(np + 1, sizeof(*by_index));

	for (size_t i = 0; i < np; i++) {
		json_object *p = json_object_array_get_idx(phases, i), *m, *r;
		const char *arm = jget_str(p, "arm"), *kind = jget_str(p, "kind");
		int64_t idx = jget_int(p, "index", -1);

		if (!arm || !kind)
			continue;
		r = reps_record(records, arm, (int)jget_int(p, "repetition", 0));
		if (idx >= 0 && (size_t)idx < np)
			by_index[idx] = r;
		if (!strcmp(kind, "repetition_end"))
			json_object_object_add(r, "outcome", json_object_new_string(
				jget_str(p, "outcome") ? jget_str(p, "outcome") : "completed"));
		if (!strcmp(kind, "workload"))
			note_targets(r, p);
		if (!strcmp(kind, "probe") && json_object_object_get_ex(p, "metrics", &m)) {
			add_to(r, "attempts", jget_int(m, "attempts", 0));
			add_to(r, "failures", jget_int(m, "failures", 0));
		}
	}
	for (size_t i = 0; events && i < json_object_array_length(events); i++) {
		json_object *e = json_object_array_get_idx(events, i), *r, *ex;
		int64_t ph = jget_int(e, "phase", -1);

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
			int64_t got = e->has_event ? jget_int(ex, e->id, 0) : jget_int(r, "failures", 0);

			if (!e->has_event)
				json_object_object_add(ex, e->id, json_object_new_int64(got));
			if (!e->scope_run)
				all &= got >= (e->has_event ? e->min_count : e->probe_failures);
		}
		if (!jget_str(r, "outcome"))
			json_object_object_add(r, "outcome", json_object_new_string(unfinished_outcome));
		json_object_object_add(r, "reproduced", json_object_new_boolean(all));
	}
	free(by_index);
	return records;
}

bool reps_unfinished(const struct scenario *sc, const char *outcome)
{
	return !outcome || (strcmp(outcome, "completed") &&
			    !(sc->failure_outcomes & sc_outcome_bit(outcome)));
}
