/*
 * - exec: COMMAND     a shell command (sh -c), OOM-killable, its output in
 *                     exec-<phase>.log; its exit status is a verdict.  Runs
 *                     anything, so only on a machine marked as a lab.
 */
#include "steps.h"
#include "runner/run.h"
#include "runner/shell.h"
#include "scenario/yaml_in.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

struct exec_step {
	unsigned off;	/* the command, in the scenario's text pool */
};
STEP_DATA_FITS(struct exec_step);

static int parse(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	yaml_node_t *kv = ystep_value(c, n);

	return ykeep_text(c, sc, kv, "exec", &STEP_DATA(struct exec_step, st)->off);
}

static unsigned needs(const struct scenario *sc, const struct sc_step *st)
{
	const char *cmd = sc->text + STEP_DATA(const struct exec_step, st)->off;

	/* a command that runs stress-ng itself needs it in the guest */
	return STEP_NEEDS_LAB | (strstr(cmd, "stress-ng") ? STEP_USES_STRESSNG : 0);
}

static void run(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	json_object *p = run_phase_new(s, rep, idx, "exec"), *m = json_object_new_object();
	json_object *meas = json_object_new_object();
	char *log = xasprintf("exec-%zu.log", json_object_array_length(s->phases));
	char *out = NULL;
	size_t len = 0;
	int status = run_shell(s->sc->text + STEP_DATA(const struct exec_step, st)->off,
			       s->o->kmod, &out, &len);

	results_append(&s->res, log, out ? out : "", len);
	json_object_object_add(m, "exit_status", json_object_new_int(status));
	json_object_object_add(m, "log", json_object_new_string(log));
	json_object_object_add(p, "metrics", m);
	run_phase_done(s, p, status == 0 ? "done" : "failed");
	json_object_object_add(meas, "exit_status", json_object_new_int(status));
	run_step_verdict(s, idx, rep, "exec", status == 0, meas);
	free(out);
	free(log);
}

const struct step_kind step_exec = {
	.key = "exec",
	.parse = parse,
	.needs = needs,
	.run = run,
};
