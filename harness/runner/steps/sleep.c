/* - sleep_ms: N       wait (let kswapd, kcompactd or a workload act) */
#include "steps.h"
#include "scenario/yaml_in.h"
#include "util/util.h"

struct sleep_step {
	unsigned ms;
};
STEP_DATA_FITS(struct sleep_step);

static int parse(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	yaml_node_t *kv = ystep_value(c, n);

	(void)sc;
	return yuint(c, kv, "sleep_ms", 0, 3600000, &STEP_DATA(struct sleep_step, st)->ms);
}

static void run(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	(void)s;
	(void)rep;
	(void)idx;
	sleep_ms(STEP_DATA(const struct sleep_step, st)->ms);
}

const struct step_kind step_sleep = {
	.key = "sleep_ms",
	.parse = parse,
	.run = run,
};
