/*
 * - fork: arms   where a paired design's arms part: the state the steps
 *                before it built is saved once per round, and every arm
 *                continues from a copy of it (runner/run.c does the fork
 *                around this step).  The independent design runs on.
 */
#include "steps.h"
#include "scenario/yaml_in.h"

#include <string.h>

static int parse(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	yaml_node_t *kv = ystep_value(c, n);
	const char *what = yscalar(kv);

	(void)sc;
	(void)st;
	if (!what || strcmp(what, "arms"))
		return yfail(c, kv, "fork: expected 'arms' (a paired design's arms part here)");
	return 0;
}

static unsigned needs(const struct scenario *sc, const struct sc_step *st)
{
	(void)sc;
	(void)st;
	return STEP_FORKS;
}

static void run(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	(void)s;
	(void)st;
	(void)rep;
	(void)idx;
}

const struct step_kind step_fork = {
	.key = "fork",
	.parse = parse,
	.needs = needs,
	.run = run,
};
