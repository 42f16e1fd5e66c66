/* A diagnosis as `explain --json` prints it (DESIGN.md: diagnoses[]). */
#include "diag_json.h"

#include <stdio.h>

static const char *const step_names[] = {
	"pass", "order0", "per_order_loop", "free_list", "unknown",
};

static void add_long(json_object *o, const char *k, long v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static json_object *zone_json(const struct diagnosis *d, const struct dg_zone *g)
{
	json_object *o = json_object_new_object();
	int pk = g->page_kb;

	if (g->node >= 0)
		json_object_object_add(o, "node", json_object_new_int(g->node));
	json_object_object_add(o, "zone", json_object_new_string(g->zone));
	json_object_object_add(o, "eligible", json_object_new_boolean(g->eligible));
	json_object_object_add(o, "verdict", json_object_new_string(zone_verdict_name(g->verdict)));
	if (g->free_pages >= 0)
		add_long(o, "free_kb", g->free_pages * pk);
	if (g->eligible && g->mark_pages >= 0 && g->wm.step != WM_UNKNOWN) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "step", json_object_new_string(step_names[g->wm.step]));
		add_long(c, "free_pages", g->wm.free);
		add_long(c, "min_pages", g->mark_pages);
		add_long(c, "min_effective_pages", g->wm.min);
		add_long(c, "lowmem_reserve_pages", g->wm.reserve);
		if (g->wm.step == WM_FAIL_LOOP) {
			add_long(c, "failed_after_order", g->wm.fail_order);
			add_long(c, "loop_free_pages", g->wm.loop_free);
			add_long(c, "loop_min_pages", g->wm.loop_min);
		}
		if (g->wm.pass_order >= 0)
			add_long(c, "served_from_order", g->wm.pass_order);
		if (g->wm.deficit > 0)
			add_long(c, "deficit_kb", g->wm.deficit * pk);
		json_object_object_add(o, "check", c);
	}
	if (g->wm.denied_types[0])
		json_object_object_add(o, "denied_migratetypes",
				       json_object_new_string(g->wm.denied_types));
	if (g->threshold_kb >= 0)
		add_long(o, "fails_at_min_kb", g->threshold_kb);
	if (g->unusable >= 0 && d->req.order > 0)
		json_object_object_add(o, "unusable_index", json_object_new_double(g->unusable));
	json_object_object_add(o, "evidence", json_object_new_string(g->evidence));
	return o;
}

json_object *diagnosis_to_json(const struct diagnosis *d)
{
	json_object *o = json_object_new_object(), *a;
	char alg[64];

	add_long(o, "event", (long)d->event);
	json_object_object_add(o, "cause", json_object_new_string(cause_name(d->cause)));
	json_object_object_add(o, "evidence", json_object_new_string(d->evidence));
	snprintf(alg, sizeof(alg), "%d.%d.%d", d->kv.major, d->kv.minor, d->kv.patch);
	a = json_object_new_object();
	json_object_object_add(a, "version", json_object_new_string(alg));
	json_object_object_add(a, "version_source", json_object_new_string(d->kver_source));
	json_object_object_add(a, "gfp_era", json_object_new_string(gfp_era_name(gfp_era_of(&d->kv))));
	json_object_object_add(a, "watermark_check", json_object_new_string(
		wm_new_algorithm(&d->kv) ? "free-list (4.4+)" : "per-order loop (<=4.3)"));
	json_object_object_add(o, "model", a);
	if (d->gfp_decoded[0]) {
		a = json_object_new_object();
		add_long(a, "order", d->req.order);
		json_object_object_add(a, "gfp_flags", json_object_new_string(d->gfp_decoded));
		json_object_object_add(a, "highest_zone",
				       json_object_new_string(zone_type_name(d->req.highest)));
		json_object_object_add(a, "migratetype",
				       json_object_new_string(migratetype_name(d->req.mt)));
		json_object_object_add(a, "alloc_flags", json_object_new_string(d->alloc_flags));
		json_object_object_add(a, "watermark", json_object_new_string("min"));
		json_object_object_add(o, "request", a);
	}
	if (d->first_zone >= 0)
		add_long(o, "first_zone", d->first_zone);
	a = json_object_new_array();
	for (int i = 0; i < d->nzones; i++)
		json_object_array_add(a, zone_json(d, &d->zones[i]));
	json_object_object_add(o, "zones", a);
	a = json_object_new_array();
	for (int i = 0; i < d->nmit; i++) {
		json_object *m = json_object_new_object();

		json_object_object_add(m, "action", json_object_new_string(d->mit[i].action));
		json_object_object_add(m, "reason", json_object_new_string(d->mit[i].reason));
		json_object_array_add(a, m);
	}
	json_object_object_add(o, "mitigations", a);
	return o;
}
