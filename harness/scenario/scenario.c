#include "scenario.h"
#include "arms.h"
#include "sections.h"
#include "yaml_in.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* The step's kind is the one its first key names; a kind with no other
 * keys (keys NULL) takes that key alone. */
static int parse_step(struct yctx *c, step_table kinds, struct scenario *sc, yaml_node_t *n,
		      struct sc_step *st)
{
	yaml_node_pair_t *first;
	yaml_node_t *kind_key = NULL;
	const char *key;
	char names[256] = "";

	for (int i = 0; kinds[i]; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? ", " : "", kinds[i]->key);
	if (!n || n->type != YAML_MAPPING_NODE)
		return yfail(c, n, "step: expected a mapping (%s)", names);
	st->line = (int)n->start_mark.line + 1;
	first = n->data.mapping.pairs.start;
	if (first < n->data.mapping.pairs.top)
		kind_key = yaml_document_get_node(c->doc, first->key);
	key = yscalar(kind_key);
	for (int i = 0; key && kinds[i]; i++) {
		if (strcmp(key, kinds[i]->key))
			continue;
		if (!kinds[i]->keys && n->data.mapping.pairs.top - first != 1)
			return yfail(c, kind_key, "step: %s stands alone in its step", key);
		st->kind = kinds[i];
		return kinds[i]->parse(c, sc, n, st);
	}
	return yfail(c, kind_key ? kind_key : n, "step: must start with one of %s", names);
}

struct top_obj {
	struct scenario *sc;
	const struct step_kind *const *kinds;
};

static int top_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct top_obj *to = obj;
	struct scenario *sc = to->sc;

	int r = sc_plan_pair(c, key, v, sc);

	if (r <= 0)
		return r;
	if (!strcmp(key, "sysctls"))
		return sc_sysctls_map(c, v, "sysctls", sc->sysctls, &sc->nsysctls);
	if (!strcmp(key, "mitigations"))
		return sc_mitigations_list(c, sc, v);
	if (!strcmp(key, "requires"))
		return yeach_pair(c, v, "requires", "nodes, zone, arch", sc_requires_pair, sc);

	if (!strcmp(key, "name")) {
		if (ystring(c, v, key, sc->name, sizeof(sc->name)))
			return -1;
		if (!yvalid_id(sc->name))
			return yfail(c, v, "name: only letters, digits, '_', '.' and '-' are allowed");
		return 0;
	}
	if (!strcmp(key, "description"))
		return yscalar(v) ? 0 : yfail(c, v, "description: expected a string");
	if (!strcmp(key, "seed")) {
		uint64_t s;

		if (!parse_u64(yscalar(v), &s))
			return yfail(c, v, "seed: expected a whole number");
		sc->seed = s;
		return 0;
	}
	if (!strcmp(key, "timeout_s"))
		return yuint(c, v, key, 1, 86400, &sc->timeout_s);
	if (!strcmp(key, "lab"))
		return yeach_pair(c, v, "lab", "memory_mb, cpus, kernel, topology, disk_mb, cgroup, "
				 "boot_per_repetition, fresh", sc_lab_pair, sc);
	if (!strcmp(key, "steps") || !strcmp(key, "expect")) {
		bool steps = key[0] == 's';

		if (!v || v->type != YAML_SEQUENCE_NODE)
			return yfail(c, v, "%s: expected a list", key);
		for (yaml_node_item_t *i = v->data.sequence.items.start;
		     i < v->data.sequence.items.top; i++) {
			yaml_node_t *n = yaml_document_get_node(c->doc, *i);

			if (steps) {
				if (sc->nsteps == SC_MAX_STEPS)
					return yfail(c, n, "steps: more than %d", SC_MAX_STEPS);
				if (parse_step(c, to->kinds, sc, n, &sc->steps[sc->nsteps++]))
					return -1;
			} else {
				struct sc_expect *e;

				if (sc->nexpect == SC_MAX_EXPECT)
					return yfail(c, n, "expect: more than %d", SC_MAX_EXPECT);
				e = &sc->expect[sc->nexpect++];
				*e = (struct sc_expect){ .order = -1, .min_count = 1,
							 .line = (int)n->start_mark.line + 1 };
				if (yeach_pair(c, n, "expect entry",
					      "id, event, order, gfp, min_count, probe_failures, scope",
					      sc_expect_pair, e))
					return -1;
				if (!e->id[0])
					return yfail(c, n, "expect entry: 'id' is required");
				if (e->has_event == !!e->probe_failures)
					return yfail(c, n, "expect entry %s: give either 'event' or "
						    "'probe_failures'", e->id);
			}
		}
		return 0;
	}
	return 1;
}

/* An error at line of sc's file (what the YAML nodes no longer give). */
static int fail_at(struct yctx *c, const struct scenario *sc, int line, const char *what)
{
	c->path = sc->path;
	snprintf(c->err, c->errlen, "%s:%d:1: %s", sc->path, line, what);
	return -1;
}

/*
 * The paired design: every arm continues one prepared state, so the arms
 * may only act after it (sysctls from the fork on, actions), and there
 * must be a fork: the `fork: arms` step, else the first step that probes
 * or runs the arm's actions.
 */
static int check_paired(struct yctx *c, struct scenario *sc)
{
	char why[512];
	int forks = 0;

	sc->fork_step = -1;
	for (int i = 0; i < sc->nsteps; i++) {
		unsigned n = step_needs(sc, &sc->steps[i]);

		if (n & STEP_FORKS && forks++)
			return fail_at(c, sc, sc->steps[i].line, "step: a scenario forks once "
				       "('fork: arms' is given twice)");
		if (n & STEP_FORKS || (sc->fork_step < 0 && n & (STEP_PROBES | STEP_RUNS_ACTIONS)))
			sc->fork_step = i;
	}
	if (!sc->paired)
		return 0;
	if (!sc->statistical || sc->narms < 2)
		return fail_at(c, sc, sc->design_line, "design: paired compares mitigations with "
			       "the baseline; the scenario has no mitigations");
	if (!sc->boot_per_repetition)
		return fail_at(c, sc, sc->design_line, "design: paired restores a saved guest for "
			       "every arm; it cannot share one guest (lab: boot_per_repetition: "
			       "false)");
	if (sc->fork_step < 0)
		return fail_at(c, sc, sc->design_line, "design: paired needs a point where the "
			       "arms part: a '- fork: arms' step, or a probe or '- actions: "
			       "mitigation' step");
	for (int a = 1; a < sc->narms; a++)
		if (arm_needs_boot(&sc->arms[a])) {
			snprintf(why, sizeof(why), "mitigation %s changes the machine (boot, kernel, "
				 "topology or memory_mb): the paired design continues every arm "
				 "from one prepared guest; give it its own scenario with design: "
				 "independent", sc->arms[a].name);
			return fail_at(c, sc, sc->arms[a].line, why);
		}
	return 0;
}

/* What single keys cannot say: a statistical scenario judges repetitions
 * by its expect entries; an arm's actions need a place in the steps. */
static int scenario_check(struct yctx *c, yaml_node_t *root, struct scenario *sc)
{
	bool actions_step = false;

	for (int i = 0; i < sc->nsteps; i++)
		actions_step |= step_needs(sc, &sc->steps[i]) & STEP_RUNS_ACTIONS;
	int per_rep = 0;

	for (int i = 0; i < sc->nexpect; i++)
		per_rep += !sc->expect[i].scope_run;
	if (sc->statistical && !per_rep)
		return yfail(c, root, "scenario: repetitions and mitigations are judged by 'expect'; "
			    "it lists nothing judged per repetition");
	if (sc->sequential && sc->min_repetitions > sc->repetitions)
		return yfail(c, root, "scenario: min_repetitions (%u) is more than max_repetitions "
			    "(%u)", sc->min_repetitions, sc->repetitions);
	for (int a = 1; a < sc->narms; a++)
		if (sc->arms[a].nactions && !actions_step) {
			c->path = sc->path;
			snprintf(c->err, c->errlen, "%s:%d:1: mitigation %s has actions but no step "
				 "says where ('- actions: mitigation')", sc->path, sc->arms[a].line,
				 sc->arms[a].name);
			return -1;
		}
	return check_paired(c, sc);
}

const struct sc_arm *scenario_arm(const struct scenario *sc, const char *name)
{
	for (int i = 0; i < sc->narms; i++)
		if (!strcmp(sc->arms[i].name, name))
			return &sc->arms[i];
	return NULL;
}

unsigned step_needs(const struct scenario *sc, const struct sc_step *st)
{
	return st->kind->needs ? st->kind->needs(sc, st) : 0;
}

unsigned scenario_step_needs(const struct scenario *sc)
{
	unsigned n = 0;

	for (int i = 0; i < sc->nsteps; i++)
		n |= step_needs(sc, &sc->steps[i]);
	return n;
}

int scenario_load(const char *path, step_table kinds, struct scenario *sc, char *err,
		  size_t errlen)
{
	struct yctx c = { .path = path, .err = err, .errlen = errlen };
	struct top_obj to = { sc, kinds };
	yaml_parser_t parser;
	yaml_document_t doc;
	size_t len;
	char *text = read_file(path, &len);
	int ret = -1;

	memset(sc, 0, sizeof(*sc));
	if (!text) {
		snprintf(err, errlen, "%s: cannot read: %m", path);
		return -1;
	}
	snprintf(sc->path, sizeof(sc->path), "%s", path);
	sha256_hex(text, len, sc->hash);
	sc->timeout_s = 300;
	sc->lab_memory_mb = 1024;
	sc->lab_cpus = 2;
	sc->lab_cgroup = 2;
	sc->repetitions = 1;
	sc->min_repetitions = 3;
	sc->look_every = 1;
	sc->alpha = 0.05;
	sc->min_effect = 0.5;
	sc->reproduce_ratio = 0.5;
	sc->boot_per_repetition = true;
	sc->narms = 1;
	snprintf(sc->arms[0].name, sizeof(sc->arms[0].name), "baseline");
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: YAML syntax error: %s%s%s", path,
			 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			 parser.problem ? parser.problem : "unknown",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		free(text);
		return -1;
	}
	c.doc = &doc;
	yaml_node_t *root = yaml_document_get_root_node(&doc);

	if (!root)
		yfail(&c, NULL, "empty scenario");
	else if (!yeach_pair(&c, root, "scenario",
			    "name, description, seed, timeout_s, lab, steps, expect, repetitions, "
			    "max_repetitions, min_repetitions, look_every, alpha, min_effect, reproduce_ratio, "
			    "failure_outcomes, design, sysctls, mitigations, requires",
			    top_pair, &to)) {
		if (!sc->name[0])
			yfail(&c, root, "scenario: 'name' is required");
		else if (!sc->nsteps)
			yfail(&c, root, "scenario: 'steps' must list at least one step");
		else if (!scenario_check(&c, root, sc))
			ret = 0;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(text);
	return ret;
}
