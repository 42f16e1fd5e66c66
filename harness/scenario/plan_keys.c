/* A statistical scenario's plan: how many repetitions, when to look, what
 * effect matters, and which unfinished outcomes count as the failure. */
#include "sections.h"
#include "util/util.h"

#include <string.h>

static const char *const outcome_names[] = { "panic", "hang", "killed", "guest_exit" };

unsigned sc_outcome_bit(const char *outcome)
{
	for (size_t i = 0; i < ARRAY_LEN(outcome_names); i++)
		if (outcome && !strcmp(outcome, outcome_names[i]))
			return 1u << i;
	return 0;
}

static int failure_outcomes(struct yctx *c, struct scenario *sc, yaml_node_t *v)
{
	if (!v || v->type != YAML_SEQUENCE_NODE)
		return yfail(c, v, "failure_outcomes: expected a list of panic, hang, killed, "
			    "guest_exit");
	for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top;
	     i++) {
		yaml_node_t *n = yaml_document_get_node(c->doc, *i);
		unsigned bit = sc_outcome_bit(yscalar(n));

		if (!bit)
			return yfail(c, n, "failure_outcomes: '%s' is not one of panic, hang, "
				    "killed, guest_exit", yscalar(n) ? yscalar(n) : "(not a word)");
		sc->failure_outcomes |= bit;
	}
	return 0;
}

int sc_plan_pair(struct yctx *c, const char *key, yaml_node_t *v, struct scenario *sc)
{
	if (!strcmp(key, "repetitions") || !strcmp(key, "max_repetitions")) {
		bool seq = key[0] == 'm';

		if (sc->repetitions_line)
			return yfail(c, v, "%s: give either repetitions (a fixed number) or "
				    "max_repetitions (stop when decided), not both", key);
		sc->statistical = true;
		sc->sequential = seq;
		sc->repetitions_line = (int)v->start_mark.line + 1;
		return yuint(c, v, key, 1, 10000, &sc->repetitions);
	}
	if (!strcmp(key, "min_repetitions"))
		return yuint(c, v, key, 1, 10000, &sc->min_repetitions);
	if (!strcmp(key, "look_every"))
		return yuint(c, v, key, 1, 10000, &sc->look_every);
	if (!strcmp(key, "alpha"))
		return yratio(c, v, key, 1e-9, 0.5, &sc->alpha);
	if (!strcmp(key, "min_effect"))
		return yratio(c, v, key, 0.01, 1, &sc->min_effect);
	if (!strcmp(key, "reproduce_ratio"))
		return yratio(c, v, key, 0.01, 1, &sc->reproduce_ratio);
	if (!strcmp(key, "failure_outcomes"))
		return failure_outcomes(c, sc, v);
	if (!strcmp(key, "design")) {
		const char *s = yscalar(v);

		if (!s || (strcmp(s, "independent") && strcmp(s, "paired")))
			return yfail(c, v, "design: expected independent or paired");
		sc->paired = !strcmp(s, "paired");
		sc->design_line = (int)v->start_mark.line + 1;
		return 0;
	}
	return 1;
}

unsigned sc_plan_looks(const struct scenario *sc, unsigned reps, bool sequential, unsigned *first)
{
	unsigned n = 0;

	*first = sequential && sc->min_repetitions < reps ? sc->min_repetitions : reps;
	for (unsigned r = 1; r <= reps; r++)
		n += sc_plan_is_look(sc, reps, *first, r);
	return n;
}

bool sc_plan_is_look(const struct scenario *sc, unsigned reps, unsigned first, unsigned round)
{
	unsigned every = sc->look_every ? sc->look_every : 1;

	return round == reps || (round >= first && (round - first) % every == 0);
}
