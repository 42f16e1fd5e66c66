/* What a run is judged by: the machine's requirements, the arms it runs,
 * and the verdicts over the kernel's events and the steps' own. */
#include "run.h"
#include "results/event_json.h"
#include "safety/guard.h"
#include "scenario/arms.h"
#include "util/util.h"
#include "verdict/repetitions.h"
#include "verdict/verdict.h"
#include "workloads/numabind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

void run_requirements(const struct scenario *sc, char *why, size_t len)
{
	struct utsname u;

	why[0] = '\0';
	if (sc->req_nodes > 1) {
		int n = numabind_nodes();

		if (n < (int)sc->req_nodes)
			snprintf(why, len, "needs %u NUMA nodes, this machine has %d", sc->req_nodes, n);
	}
	if (!why[0] && sc->req_zone[0]) {
		char *zi = read_file("/proc/zoneinfo", NULL), want[32];
		bool found = false;

		snprintf(want, sizeof(want), "zone %8s", sc->req_zone);
		/* a zone listed with pages managed by the buddy allocator */
		for (char *z = zi; z && (z = strstr(z, want)); z += strlen(want)) {
			char *m = strstr(z, "managed");

			if (m && strtoul(m + 7, NULL, 10) > 0)
				found = true;
		}
		if (!found)
			snprintf(why, len, "needs a %s zone with memory, this kernel has none",
				 sc->req_zone);
		free(zi);
	}
	if (!why[0] && sc->req_arch[0] && uname(&u) == 0) {
		bool is32 = u.machine[0] == 'i' && strstr(u.machine, "86");

		if (is32 != !strcmp(sc->req_arch, "i386"))
			snprintf(why, len, "needs an %s kernel, this one is %s", sc->req_arch, u.machine);
	}
}

/* The kernel's events of the run as events.jsonl objects (with phases). */
static json_object *events_json(const struct event_list *ev)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < ev->n; i++)
		json_object_array_add(a, event_to_json(&ev->v[i]));
	return a;
}

json_object *run_arms_skipped(const struct scenario *sc, const char *only)
{
	json_object *sk = json_object_new_object();

	for (int a = 0; a < sc->narms; a++) {
		const struct sc_arm *arm = &sc->arms[a];

		if (only && strcmp(only, arm->name))
			json_object_object_add(sk, arm->name, json_object_new_string(
				"not run here (allocrepro run --arm)"));
		else if (!only && arm_needs_boot(arm))
			json_object_object_add(sk, arm->name, json_object_new_string(
				"needs a lab boot (kernel, topology, memory or boot parameters): "
				"allocrepro lab run"));
	}
	return sk;
}

json_object *run_judge(struct run_state *s, const char *skip_reason, json_object **records)
{
	const struct scenario *sc = s->sc;
	json_object *verdicts;

	*records = NULL;
	if (sc->statistical) {
		if (skip_reason[0])
			return reps_all_skipped(sc, skip_reason);
		json_object *ev = events_json(&s->rec.events), *sk = run_arms_skipped(sc, s->only_arm);

		*records = reps_judge(sc, s->phases, ev, guard_interrupted() ? "interrupted" : "error");
		verdicts = reps_verdicts(sc, *records, sk, NULL);
		json_object_put(ev);
		json_object_put(sk);
		return verdicts;
	}
	verdicts = verdicts_expected(sc, &s->rec.events, skip_reason);
	for (size_t i = 0; i < json_object_array_length(s->step_verdicts); i++)
		json_object_array_add(verdicts,
				      json_object_get(json_object_array_get_idx(s->step_verdicts, i)));
	return verdicts;
}
