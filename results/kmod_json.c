/* The helper module's statistics as the metrics of a phase in summary.json. */
#include "kmod_json.h"

#include <stdint.h>
#include <stdio.h>

static json_object *places_json(const struct kmod_place *v, int n)
{
	json_object *a = json_object_new_array();

	for (int i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "node", json_object_new_int(v[i].node));
		json_object_object_add(o, "zone", json_object_new_string(v[i].zone));
		json_object_object_add(o, "pages", json_object_new_int64((int64_t)v[i].pages));
		json_object_array_add(a, o);
	}
	return a;
}

#define ADD_I64(m, name, v) json_object_object_add(m, name, json_object_new_int64((int64_t)(v)))

json_object *kmod_probe_json(const struct kmod_stats *ks)
{
	json_object *m = json_object_new_object(), *obs = json_object_new_object();
	json_object *lat = json_object_new_object();

	ADD_I64(m, "attempts", ks->attempts);
	ADD_I64(m, "successes", ks->successes);
	ADD_I64(m, "failures", ks->failures);
	ADD_I64(m, "bursts", ks->bursts);
	ADD_I64(m, "truncated_bursts", ks->truncated_bursts);
	ADD_I64(m, "first_failure_ns", ks->first_failure_ns);
	ADD_I64(m, "atomic_ns_max", ks->atomic_ns_max);
	ADD_I64(m, "elapsed_ns", ks->elapsed_ns);
	ADD_I64(m, "held_max_pages", ks->held_max_pages);
	ADD_I64(obs, "task", ks->obs_task);
	ADD_I64(obs, "irqoff", ks->obs_irqoff);
	ADD_I64(obs, "softirq", ks->obs_softirq);
	ADD_I64(obs, "hardirq", ks->obs_hardirq);
	json_object_object_add(m, "observed", obs);
	ADD_I64(m, "wrong_cpu", ks->wrong_cpu);
	json_object_object_add(m, "pages", places_json(ks->places, ks->nplaces));
	for (int i = 0; i < KMOD_HIST; i++)
		if (ks->latency[i]) {
			char k[16];

			snprintf(k, sizeof(k), "%d", i);
			ADD_I64(lat, k, ks->latency[i]);
		}
	json_object_object_add(m, "latency_log2ns", lat);
	return m;
}

json_object *kmod_pin_json(const struct kmod_stats *ks)
{
	json_object *m = json_object_new_object();

	ADD_I64(m, "pinned_pages", ks->pinned_pages);
	json_object_object_add(m, "pinned", places_json(ks->pinned, ks->npinned));
	ADD_I64(m, "unmovable_blocks", ks->unmovable_blocks);
	if (ks->unmovable_stop[0])
		json_object_object_add(m, "unmovable_stop", json_object_new_string(ks->unmovable_stop));
	if (ks->lowmem_seen) {
		json_object_object_add(m, "lowmem_stop", json_object_new_string(ks->lowmem_stop));
		json_object_object_add(m, "lowmem_zone", json_object_new_string(ks->lowmem_zone));
		ADD_I64(m, "lowmem_target_pages", ks->lowmem_target);
		ADD_I64(m, "lowmem_free_pages", ks->lowmem_free);
		json_object_object_add(m, "lowmem_reached",
				       json_object_new_boolean(ks->lowmem_reached));
	}
	return m;
}
