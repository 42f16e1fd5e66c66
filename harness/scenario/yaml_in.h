/*
 * Reading a scenario's YAML nodes (libyaml's document model).  Every
 * helper checks one value and, when it does not fit, fills the error
 * buffer with "file:line:col: key: what was expected" and returns -1.
 * Step kinds (scenario/step.h) parse their keys with these.
 */
#ifndef ALLOCREPRO_YAML_IN_H
#define ALLOCREPRO_YAML_IN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

struct scenario;

struct yctx {
	const char *path;
	yaml_document_t *doc;
	char *err;
	size_t errlen;
};

/* Fill c->err with "path:line:col: " and the message; returns -1. */
int yfail(struct yctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The text of a scalar node, NULL for anything else. */
const char *yscalar(const yaml_node_t *n);
int yuint(struct yctx *c, const yaml_node_t *n, const char *key, uint64_t lo, uint64_t hi,
	  unsigned *out);
int ybool(struct yctx *c, const yaml_node_t *n, const char *key, bool *out);
/* A non-empty string that fits in size (with its NUL). */
int ystring(struct yctx *c, const yaml_node_t *n, const char *key, char *out, size_t size);
/* A number from lo to hi (double). */
int yratio(struct yctx *c, const yaml_node_t *n, const char *key, double lo, double hi,
	   double *out);
/* A CPU or node number up to max, or the word none meaning "no choice" (-1). */
int yindex(struct yctx *c, const yaml_node_t *n, const char *key, const char *none,
	   unsigned max, int *out);
/* A step's first value (its kind's argument: `pin: lowmem` -> lowmem). */
yaml_node_t *ystep_value(struct yctx *c, yaml_node_t *step);
/* Letters, digits, '_', '.' and '-' only. */
bool yvalid_id(const char *s);

/* Called for each pair of a mapping: 0 taken, -1 error (said), 1 the key
 * is unknown (yeach_pair says so, listing known). */
typedef int (*ypair_fn)(struct yctx *c, const char *key, yaml_node_t *val, void *obj);
int yeach_pair(struct yctx *c, yaml_node_t *map, const char *what, const char *known,
	       ypair_fn fn, void *obj);
/* Keep a step's string in the scenario's text pool; *off is where. */
int ykeep_text(struct yctx *c, struct scenario *sc, const yaml_node_t *n, const char *what,
	       unsigned *off);

#endif
