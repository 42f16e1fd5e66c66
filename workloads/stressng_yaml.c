#include "stressng_yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static const char *scalar(yaml_document_t *d, yaml_node_t *n)
{
	(void)d;
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *lookup(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = scalar(d, yaml_document_get_node(d, p->key));

		if (k && !strcmp(k, key))
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static double number(yaml_document_t *d, yaml_node_t *map, const char *key, double dflt)
{
	const char *s = scalar(d, lookup(d, map, key));
	char *end;
	double v;

	if (!s)
		return dflt;
	v = strtod(s, &end);
	return end != s && !*end ? v : dflt;
}

int stressng_yaml_parse(const char *text, size_t len, struct sng_metric *out, int max,
			char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *list;
	int n = -1;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "line %zu: YAML syntax error: %s", parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "unknown");
		yaml_parser_delete(&parser);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	list = lookup(&doc, root, "metrics");
	if (!lookup(&doc, root, "system-info") || !list || list->type != YAML_SEQUENCE_NODE) {
		snprintf(err, errlen, "not a stress-ng --yaml report (no system-info and metrics list)");
	} else {
		n = 0;
		for (yaml_node_item_t *i = list->data.sequence.items.start;
		     i < list->data.sequence.items.top && n < max; i++) {
			yaml_node_t *m = yaml_document_get_node(&doc, *i);
			const char *name = scalar(&doc, lookup(&doc, m, "stressor"));
			struct sng_metric *o = &out[n];

			if (!name)
				continue;
			snprintf(o->stressor, sizeof(o->stressor), "%s", name);
			o->bogo_ops = number(&doc, m, "bogo-ops", 0);
			o->bogo_ops_per_s = number(&doc, m, "bogo-ops-per-second-real-time", 0);
			o->wall_s = number(&doc, m, "wall-clock-time", 0);
			o->user_s = number(&doc, m, "user-time", 0);
			o->system_s = number(&doc, m, "system-time", 0);
			o->max_rss_kb = number(&doc, m, "max-rss", -1);
			n++;
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return n;
}
