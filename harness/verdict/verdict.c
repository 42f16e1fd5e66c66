#include "verdict.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static bool has_flag(const char *flags, const char *want)
{
	size_t n = strlen(want);

	for (const char *s = flags; (s = strstr(s, want)); s += n)
		if ((s == flags || s[-1] == '|') && (s[n] == '\0' || s[n] == '|'))
			return true;
	return false;
}

bool event_matches(const struct sc_expect *x, const struct event *e)
{
	if (e->type != x->type)
		return false;
	if (x->order >= 0 && e->order != x->order)
		return false;
	if (x->gfp[0] && !has_flag(e->gfp_flags, x->gfp) && strcmp(e->gfp_mask, x->gfp))
		return false;
	return true;
}

json_object *verdict_expect(const struct scenario *sc, const struct sc_expect *x,
			    const struct event_list *events)
{
	json_object *v = json_object_new_object(), *m = json_object_new_object();
	unsigned matched = 0;
	char *id = xasprintf("%s.%s", sc->name, x->id);

	for (size_t i = 0; i < events->n; i++)
		matched += event_matches(x, &events->v[i]);
	json_object_object_add(v, "id", json_object_new_string(id));
	json_object_object_add(v, "status",
			       json_object_new_string(matched >= x->min_count ? "PASS" : "FAIL"));
	json_object_object_add(m, "event", json_object_new_string(ev_type_name(x->type)));
	if (x->order >= 0)
		json_object_object_add(m, "order", json_object_new_int(x->order));
	if (x->gfp[0])
		json_object_object_add(m, "gfp", json_object_new_string(x->gfp));
	json_object_object_add(m, "matched", json_object_new_int((int)matched));
	json_object_object_add(m, "min_count", json_object_new_int((int)x->min_count));
	json_object_object_add(m, "events_total", json_object_new_int((int)events->n));
	json_object_object_add(v, "measure", m);
	free(id);
	return v;
}

json_object *verdicts_expected(const struct scenario *sc, const struct event_list *events,
			       const char *skip_reason)
{
	json_object *a = json_object_new_array();

	for (int i = 0; i < sc->nexpect; i++) {
		json_object *v = verdict_expect(sc, &sc->expect[i], events);

		if (skip_reason && skip_reason[0]) {
			json_object_object_add(v, "status", json_object_new_string("SKIP"));
			json_object_object_add(v, "reason", json_object_new_string(skip_reason));
		}
		json_object_array_add(a, v);
	}
	return a;
}

int verdicts_exit_code(json_object *verdicts)
{
	size_t n = json_object_array_length(verdicts);
	int code = EXIT_PASS;

	for (size_t i = 0; i < n; i++) {
		json_object *s;
		const char *st;

		if (!json_object_object_get_ex(json_object_array_get_idx(verdicts, i), "status", &s))
			return EXIT_VERDICT_FAILED;
		st = json_object_get_string(s);
		if (!strcmp(st, "INCONCLUSIVE"))
			code = exit_worst(code, EXIT_INCONCLUSIVE);
		else if (!strcmp(st, "ERROR"))
			code = exit_worst(code, EXIT_INFRA);
		else if (strcmp(st, "PASS") && strcmp(st, "SKIP"))
			code = exit_worst(code, EXIT_VERDICT_FAILED);
	}
	return code;
}
