/*
 * - snapshot: NAME    /proc/buddyinfo and /proc/pagetypeinfo into the results
 *   like, order       (snapshot-*.<NAME>-<arm>-rep<r>.txt); the free blocks
 *                     per zone and order also go into the phase.  like: a
 *                     buddyinfo from the field (text) to compare with: the
 *                     phase gets each zone's unusable free space index at
 *                     order (default 4) here and there.
 */
#include "steps.h"
#include "parse/procfs.h"
#include "runner/run.h"
#include "scenario/yaml_in.h"
#include "util/util.h"

#include <stdlib.h>

struct snapshot_step {
	char name[32];
	unsigned like;		/* the field's buddyinfo in the text pool, 0 none */
	unsigned order;
	bool has_like;
};
STEP_DATA_FITS(struct snapshot_step);

struct snap_parse {
	struct scenario *sc;
	struct snapshot_step *d;
};

static int snap_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct snap_parse *sp = obj;
	struct buddyinfo b;

	if (!strcmp(key, "snapshot"))
		return 0;
	if (!strcmp(key, "order"))
		return yuint(c, v, key, 1, BI_MAX_ORDERS - 1, &sp->d->order);
	if (strcmp(key, "like"))
		return 1;
	if (!yscalar(v) || !buddyinfo_parse(yscalar(v), &b))
		return yfail(c, v, "like: expected /proc/buddyinfo text (\"Node 0, zone Normal "
			    "...\" lines)");
	sp->d->has_like = true;
	return ykeep_text(c, sp->sc, v, "like", &sp->d->like);
}

static int parse(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	yaml_node_t *kv = ystep_value(c, n);
	struct snapshot_step *d = STEP_DATA(struct snapshot_step, st);
	struct snap_parse sp = { sc, d };

	d->order = 4;
	if (ystring(c, kv, "snapshot", d->name, sizeof(d->name)))
		return -1;
	if (!yvalid_id(d->name))
		return yfail(c, kv, "snapshot: only letters, digits, '_', '.' and '-' are allowed");
	return n->type == YAML_MAPPING_NODE &&
	       yeach_pair(c, n, "snapshot step", "snapshot, like, order", snap_pair, &sp) ? -1 : 0;
}

/* {zone: index} at order: how much of each zone's free memory is in
 * blocks too small for it (mm/vmstat.c's unusable free space index). */
static json_object *unusable_json(const char *text, unsigned order)
{
	json_object *o = json_object_new_object();
	struct buddyinfo b;

	if (!text || !buddyinfo_parse(text, &b))
		return o;
	for (int z = 0; z < b.nzones; z++) {
		char key[40];	/* node 0's zones by name, others' with @nodeN */

		snprintf(key, sizeof(key), b.z[z].node ? "%s@node%d" : "%s", b.z[z].zone, b.z[z].node);
		if (buddyinfo_free_pages(&b.z[z]))
			json_object_object_add(o, key, json_object_new_double(
				unusable_index(b.z[z].nr_free, b.z[z].n_orders, (int)order)));
	}
	return o;
}

static json_object *buddy_json(const char *text)
{
	json_object *zones = json_object_new_array();
	struct buddyinfo b;

	if (!text || !buddyinfo_parse(text, &b))
		return zones;
	for (int z = 0; z < b.nzones; z++) {
		json_object *o = json_object_new_object(), *f = json_object_new_array();

		json_object_object_add(o, "node", json_object_new_int(b.z[z].node));
		json_object_object_add(o, "zone", json_object_new_string(b.z[z].zone));
		for (int k = 0; k < b.z[z].n_orders; k++)
			json_object_array_add(f, json_object_new_int64((int64_t)b.z[z].nr_free[k]));
		json_object_object_add(o, "free", f);
		json_object_array_add(zones, o);
	}
	return zones;
}

static void run(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	const struct snapshot_step *d = STEP_DATA(const struct snapshot_step, st);
	const char *name = d->name;
	json_object *p = run_phase_new(s, rep, idx, "snapshot");
	char arm[sizeof(s->arm->name)], *tag, *bi = read_file("/proc/buddyinfo", NULL);
	size_t n = 0;

	/* file names take an arm's name; a paired design's "(prepared)" state,
	 * which every arm of the round shares, is "prepared" */
	for (const char *c = s->arm->name; *c; c++)
		if (*c != '(' && *c != ')')
			arm[n++] = *c;
	arm[n] = '\0';
	tag = xasprintf("%s-%s-rep%d", name, arm, rep);

	snapshot_file(&s->res, "/proc/buddyinfo", "snapshot-buddyinfo", tag);
	snapshot_file(&s->res, "/proc/pagetypeinfo", "snapshot-pagetypeinfo", tag);
	json_object_object_add(p, "name", json_object_new_string(name));
	json_object_object_add(p, "buddyinfo", buddy_json(bi));
	if (d->has_like) {
		json_object_object_add(p, "order", json_object_new_int((int)d->order));
		json_object_object_add(p, "unusable_index", unusable_json(bi, d->order));
		json_object_object_add(p, "like_unusable_index",
				       unusable_json(s->sc->text + d->like, d->order));
	}
	run_phase_done(s, p, "done");
	free(bi);
	free(tag);
}

const struct step_kind step_snapshot = {
	.key = "snapshot",
	.keys = "snapshot, like, order",
	.parse = parse,
	.run = run,
};
