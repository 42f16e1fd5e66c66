/*
 * - actions: mitigation   where the arm's one-shot actions (drop_caches,
 *                         compact_memory) run in each repetition; nothing
 *                         happens here in an arm without actions.
 */
#include "steps.h"
#include "runner/run.h"
#include "scenario/arms.h"
#include "scenario/yaml_in.h"

#include <string.h>

static int parse(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	yaml_node_t *kv = ystep_value(c, n);
	const char *what = yscalar(kv);

	(void)sc;
	(void)st;
	if (!what || strcmp(what, "mitigation"))
		return yfail(c, kv, "actions: expected 'mitigation' (the arm's one-shot actions "
			     "run here)");
	return 0;
}

static unsigned needs(const struct scenario *sc, const struct sc_step *st)
{
	(void)sc;
	(void)st;
	return STEP_RUNS_ACTIONS;
}

static void run(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	json_object *p = run_phase_new(s, rep, idx, "actions");

	(void)st;
	json_object_object_add(p, "actions", arm_actions(s->arm));
	run_phase_done(s, p, "done");
}

const struct step_kind step_actions = {
	.key = "actions",
	.parse = parse,
	.needs = needs,
	.run = run,
};
