/*
 * - snapshot: NAME    /proc/buddyinfo and /proc/pagetypeinfo into the results
 *                     (snapshot-*.<NAME>-<arm>-rep<r>.txt); the free blocks
 *                     per zone and order also go into the phase.
 */
#include "steps.h"
#include "parse/procfs.h"
#include "runner/run.h"
#include "scenario/yaml_in.h"
#include "util/util.h"

#include <stdlib.h>

struct snapshot_step {
	char name[32];
};
STEP_DATA_FITS(struct snapshot_step);

static int parse(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	yaml_node_t *kv = ystep_value(c, n);
	char *name = STEP_DATA(struct snapshot_step, st)->name;

	(void)sc;
	if (ystring(c, kv, "snapshot", name, sizeof(STEP_DATA(struct snapshot_step, st)->name)))
		return -1;
	if (!yvalid_id(name))
		return yfail(c, kv, "snapshot: only letters, digits, '_', '.' and '-' are allowed");
	return 0;
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
	const char *name = STEP_DATA(const struct snapshot_step, st)->name;
	json_object *p = run_phase_new(s, rep, idx, "snapshot");
	char *tag = xasprintf("%s-%s-rep%d", name, s->arm->name, rep);
	char *bi = read_file("/proc/buddyinfo", NULL);

	snapshot_file(&s->res, "/proc/buddyinfo", "snapshot-buddyinfo", tag);
	snapshot_file(&s->res, "/proc/pagetypeinfo", "snapshot-pagetypeinfo", tag);
	json_object_object_add(p, "name", json_object_new_string(name));
	json_object_object_add(p, "buddyinfo", buddy_json(bi));
	run_phase_done(s, p, "done");
	free(bi);
	free(tag);
}

const struct step_kind step_snapshot = {
	.key = "snapshot",
	.parse = parse,
	.run = run,
};
