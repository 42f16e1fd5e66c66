/* Reading a scenario's YAML nodes: each value checked, every error naming
 * file:line:column and what was expected. */
#include "yaml_in.h"
#include "scenario.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int yfail(struct yctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int o = snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->path,
			 n ? n->start_mark.line + 1 : 0,
			 n ? n->start_mark.column + 1 : 0);

	if (o < 0 || (size_t)o >= c->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + o, c->errlen - (size_t)o, fmt, ap);
	va_end(ap);
	return -1;
}

const char *yscalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int yuint(struct yctx *c, const yaml_node_t *n, const char *key,
		     uint64_t lo, uint64_t hi, unsigned *out)
{
	uint64_t v;

	if (!parse_u64(yscalar(n), &v))
		return yfail(c, n, "%s: expected a whole number", key);
	if (v < lo || v > hi)
		return yfail(c, n, "%s: %llu is out of range %llu..%llu", key,
			    (unsigned long long)v, (unsigned long long)lo,
			    (unsigned long long)hi);
	*out = (unsigned)v;
	return 0;
}

int ybool(struct yctx *c, const yaml_node_t *n, const char *key, bool *out)
{
	const char *s = yscalar(n);

	if (s && (!strcmp(s, "true") || !strcmp(s, "yes")))
		*out = true;
	else if (s && (!strcmp(s, "false") || !strcmp(s, "no")))
		*out = false;
	else
		return yfail(c, n, "%s: expected true or false", key);
	return 0;
}

int ystring(struct yctx *c, const yaml_node_t *n, const char *key,
		       char *out, size_t size)
{
	const char *s = yscalar(n);

	if (!s || !*s)
		return yfail(c, n, "%s: expected a string", key);
	if (strlen(s) >= size)
		return yfail(c, n, "%s: longer than %zu characters", key, size - 1);
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

bool yvalid_id(const char *s)
{
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *s))
			return false;
	return true;
}

int yeach_pair(struct yctx *c, yaml_node_t *map, const char *what,
		     const char *known, ypair_fn fn, void *obj)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return yfail(c, map, "%s: expected a mapping", what);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		const char *key = yscalar(k);
		int r;

		if (!key)
			return yfail(c, k, "%s: keys must be plain strings", what);
		r = fn(c, key, v, obj);
		if (r == 1)
			return yfail(c, k, "unknown key '%s' in %s (expected one of: %s)",
				    key, what, known);
		if (r)
			return r;
	}
	return 0;
}

int yindex(struct yctx *c, const yaml_node_t *n, const char *key, const char *none,
		      unsigned max, int *out)
{
	const char *s = yscalar(n);
	unsigned v;

	if (s && !strcmp(s, none)) {
		*out = -1;
		return 0;
	}
	if (!parse_u64(s, &(uint64_t){ 0 }))
		return yfail(c, n, "%s: expected a number or '%s'", key, none);
	if (yuint(c, n, key, 0, max, &v))
		return -1;
	*out = (int)v;
	return 0;
}

int ykeep_text(struct yctx *c, struct scenario *sc, const yaml_node_t *n, const char *what,
		     unsigned *off)
{
	const char *s = yscalar(n);
	size_t len = s ? strlen(s) : 0;

	if (!len)
		return yfail(c, n, "%s: expected a non-empty string", what);
	if (len + 1 > sizeof(sc->text) - sc->text_used)
		return yfail(c, n, "%s: the scenario's commands exceed %zu bytes in all", what,
			    sizeof(sc->text) - 1);
	memcpy(sc->text + sc->text_used, s, len + 1);
	*off = (unsigned)sc->text_used;
	sc->text_used += len + 1;
	return 0;
}

int yratio(struct yctx *c, const yaml_node_t *n, const char *key, double lo, double hi,
		      double *out)
{
	if (!parse_double(yscalar(n), out) || *out < lo || *out > hi)
		return yfail(c, n, "%s: expected a number from %g to %g", key, lo, hi);
	return 0;
}

yaml_node_t *ystep_value(struct yctx *c, yaml_node_t *step)
{
	return yaml_document_get_node(c->doc, step->data.mapping.pairs.start->value);
}
