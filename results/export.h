/* allocrepro export: results for other systems (results/export_kcidb.c). */
#ifndef ALLOCREPRO_EXPORT_H
#define ALLOCREPRO_EXPORT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* KCIDB 5.3 of a run or a merged directory, ids "<origin>:..."; NULL with
 * err when a run cannot be read. */
json_object *export_kcidb(const char *dir, const char *origin, char *err, size_t errlen);
/* KCIDB's origin: [a-z0-9_]+ */
bool export_origin_valid(const char *origin);

/* export_lava.c: the run's verdicts as "<id> <pass|fail|skip|unknown>
 * [<measurement> <units>]" lines into out, each also handed to LAVA's
 * lava-test-case when helper; 0, or -1 with err. */
int export_lava(const char *dir, FILE *out, bool helper, char *err, size_t errlen);
/* Is this a LAVA test shell (lava-test-case on PATH)? */
bool lava_helper_present(void);

#endif
