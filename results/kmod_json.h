/* The helper module's statistics as JSON metrics of a phase. */
#ifndef ALLOCREPRO_KMOD_JSON_H
#define ALLOCREPRO_KMOD_JSON_H

#include <json-c/json.h>

#include "parse/kmod_proto.h"

/* Counters of a run: attempts, contexts observed, pages placed, latency. */
json_object *kmod_probe_json(const struct kmod_stats *ks);
/* What is pinned, and why the last pin stopped. */
json_object *kmod_pin_json(const struct kmod_stats *ks);

#endif
