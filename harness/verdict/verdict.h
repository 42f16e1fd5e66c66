/* Verdicts: does what the scenario expects appear among the kernel's events? */
#ifndef ALLOCREPRO_VERDICT_H
#define ALLOCREPRO_VERDICT_H

#include <json-c/json.h>
#include "parse/event.h"
#include "scenario/scenario.h"

bool event_matches(const struct sc_expect *x, const struct event *e);
/* {"id", "status", "measure"} for one expectation. */
json_object *verdict_expect(const struct scenario *sc, const struct sc_expect *x,
			    const struct event_list *events);
/* Every expectation of the scenario judged on the events, in order; with
 * skip_reason (not "") each is a SKIP that gives it. */
json_object *verdicts_expected(const struct scenario *sc, const struct event_list *events,
			       const char *skip_reason);
/* 0 if every verdict in the array is PASS or SKIP; else, by exit_worst,
 * 3 for an ERROR, 1 for a FAIL, 4 for an INCONCLUSIVE. */
int verdicts_exit_code(json_object *verdicts);

#endif
