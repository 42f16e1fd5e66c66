#include "event_json.h"

#include <string.h>

static void add_str(json_object *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_object_add(o, k, json_object_new_string(v));
}

static void add_long(json_object *o, const char *k, long v)
{
	if (v >= 0)
		json_object_object_add(o, k, json_object_new_int64(v));
}

static json_object *zone_to_json(const struct ev_zone *z)
{
	json_object *o = json_object_new_object();

	if (z->node >= 0)
		json_object_object_add(o, "node", json_object_new_int(z->node));
	add_str(o, "zone", z->zone);
	if (z->has_wmark) {
		add_long(o, "free_kb", z->free_kb);
		add_long(o, "min_kb", z->min_kb);
		add_long(o, "low_kb", z->low_kb);
		add_long(o, "high_kb", z->high_kb);
	}
	if (z->n_reserve) {
		json_object *a = json_object_new_array();

		for (int i = 0; i < z->n_reserve; i++)
			json_object_array_add(a, json_object_new_int64(z->lowmem_reserve[i]));
		json_object_object_add(o, "lowmem_reserve", a);
	}
	if (z->n_orders) {
		json_object *b = json_object_new_array();
		json_object *m = json_object_new_array();

		for (int i = 0; i < z->n_orders; i++) {
			json_object_array_add(b, json_object_new_int64(z->buddy[i]));
			json_object_array_add(m, json_object_new_string(z->migratetypes[i]));
		}
		json_object_object_add(o, "buddy", b);
		json_object_object_add(o, "migratetypes", m);
	}
	return o;
}

json_object *event_to_json(const struct event *e)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string(ev_type_name(e->type)));
	add_str(o, "comm", e->comm);
	add_long(o, "pid", e->pid);
	if (e->order >= 0)
		json_object_object_add(o, "order", json_object_new_int(e->order));
	add_str(o, "gfp_mask", e->gfp_mask);
	if (e->gfp_flags[0]) {
		json_object *a = json_object_new_array();
		char buf[sizeof(e->gfp_flags)], *save = NULL;

		memcpy(buf, e->gfp_flags, sizeof(buf));
		for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
			json_object_array_add(a, json_object_new_string(t));
		json_object_object_add(o, "gfp_flags", a);
	}
	add_str(o, "kernel", e->kernel);
	if (e->time >= 0)
		json_object_object_add(o, "time", json_object_new_double(e->time));
	add_str(o, "nodemask", e->nodemask);
	add_str(o, "cpuset", e->cpuset);
	add_str(o, "mems_allowed", e->mems_allowed);
	if (e->in_irq)
		json_object_object_add(o, "in_irq", json_object_new_boolean(1));
	if (e->nzones) {
		json_object *a = json_object_new_array();

		for (int i = 0; i < e->nzones; i++)
			json_object_array_add(a, zone_to_json(&e->zones[i]));
		json_object_object_add(o, "zones", a);
	}
	return o;
}
