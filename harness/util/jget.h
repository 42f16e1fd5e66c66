/* Reading one member of a JSON object, with a default when it is absent. */
#ifndef ALLOCREPRO_JGET_H
#define ALLOCREPRO_JGET_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

const char *jget_str(json_object *o, const char *key);	/* NULL when absent */
int64_t jget_int(json_object *o, const char *key, int64_t dflt);
double jget_num(json_object *o, const char *key, double dflt);
/* The length of a, 0 when it is absent or not an array (json-c asserts). */
size_t jlen(json_object *a);

#endif
