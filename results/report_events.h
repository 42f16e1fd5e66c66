/* The kernel's reports of a run for report and compare: each diagnosed as
 * explain does (results/report_events.c). */
#ifndef ALLOCREPRO_REPORT_EVENTS_H
#define ALLOCREPRO_REPORT_EVENTS_H

#include "reader.h"

#include <json-c/json.h>

/*
 * The reports in the run's kernel log (each guest's, for a statistical
 * lab run), parsed and diagnosed; reports of one request (type, order,
 * GFP mask) with one cause in the same zone first tried are one entry,
 * the first of them shown: [{"key", "event", "diagnosis", "count",
 * "boots": [labels]}].
 */
json_object *report_events(const struct run_data *rd);
/* The same from the guests of one arm of a statistical run (NULL: all). */
json_object *report_events_of(const struct run_data *rd, const char *arm);
/* An event's GFP flags as the kernel prints them ("GFP_ATOMIC|__GFP_COMP"),
 * else its mask; buf. */
const char *report_gfp(json_object *event, char *buf, size_t len);

#endif
