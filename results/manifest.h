/* manifest.json: what machine and kernel a run saw, and what it ran. */
#ifndef ALLOCREPRO_MANIFEST_H
#define ALLOCREPRO_MANIFEST_H

#include <json-c/json.h>
#include "results.h"
#include "scenario/scenario.h"

#define ALLOCREPRO_VERSION "0.1.0"

json_object *manifest_build(const struct scenario *sc, uint64_t seed, unsigned repeat);

/* Who made the run and when, into m: "host" (this machine's name),
 * "start_time" (UTC, ISO 8601, of started, a time()), and "run_id"
 * (host, time and pid: what merge tells runs apart by).  A lab run's
 * host side puts its own over the guest's. */
void manifest_identity(json_object *m, long long started);

/* The order arms and repetitions ran in, added to r's manifest.json. */
void manifest_add_order(struct results *r, json_object *order);

#endif
