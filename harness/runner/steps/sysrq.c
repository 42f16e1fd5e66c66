/*
 * - sysrq: KEY        write KEY (c crash, m memory, t tasks, w blocked, l
 *                     backtraces) to /proc/sysrq-trigger: c ends the guest,
 *                     which the lab records as a panic.  Lab machines only.
 */
#include "steps.h"
#include "runner/run.h"
#include "scenario/yaml_in.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct sysrq_step {
	char key;
};
STEP_DATA_FITS(struct sysrq_step);

static int parse(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	yaml_node_t *kv = ystep_value(c, n);
	const char *k = yscalar(kv);

	(void)sc;
	if (!k || strlen(k) != 1 || !strchr("cmtwl", k[0]))
		return yfail(c, kv, "sysrq: expected one of c, m, t, w, l");
	STEP_DATA(struct sysrq_step, st)->key = k[0];
	return 0;
}

static unsigned needs(const struct scenario *sc, const struct sc_step *st)
{
	(void)sc;
	(void)st;
	return STEP_NEEDS_LAB | STEP_NEEDS_ROOT;
}

static void run(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	const char *key = &STEP_DATA(const struct sysrq_step, st)->key;
	json_object *p = run_phase_new(s, rep, idx, "sysrq");
	int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);

	json_object_object_add(p, "key", json_object_new_string_len(key, 1));
	/* recorded before: the key may end the machine */
	run_phase_done(s, p, "triggered");
	if (fd < 0 || write(fd, key, 1) != 1)
		log_msg("sysrq %c: %s", *key, strerror(errno));
	if (fd >= 0)
		close(fd);
}

const struct step_kind step_sysrq = {
	.key = "sysrq",
	.parse = parse,
	.needs = needs,
	.run = run,
};
