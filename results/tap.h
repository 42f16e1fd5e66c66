/* TAP version 13 output (Debian's prove rejects 14). */
#ifndef ALLOCREPRO_TAP_H
#define ALLOCREPRO_TAP_H

#include <json-c/json.h>

/* TAP text for a summary.json object's verdicts; caller frees. */
char *tap_from_summary(json_object *summary);

#endif
