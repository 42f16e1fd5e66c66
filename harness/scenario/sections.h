/* Parsers of a scenario's sections, for scenario.c's top level. */
#ifndef ALLOCREPRO_SECTIONS_H
#define ALLOCREPRO_SECTIONS_H

#include "scenario.h"
#include "yaml_in.h"

/* ypair_fn callbacks: obj is the scenario (lab, requires) or the entry. */
int sc_lab_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj);
int sc_expect_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj);
int sc_requires_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj);
/* repetitions, max_repetitions, min_repetitions, look_every, alpha, min_effect,
 * reproduce_ratio, failure_outcomes, design (plan_keys.c); 1: not one of them. */
int sc_plan_pair(struct yctx *c, const char *key, yaml_node_t *v, struct scenario *sc);
/* A mapping of sysctl name to value into out[*n...]. */
int sc_sysctls_map(struct yctx *c, yaml_node_t *map, const char *what, struct sc_sysctl *out,
		   int *n);
/* mitigations: the arms after the baseline; makes the scenario statistical. */
int sc_mitigations_list(struct yctx *c, struct scenario *sc, yaml_node_t *v);

#endif
