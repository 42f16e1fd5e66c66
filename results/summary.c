#include "summary.h"
#include "tap.h"
#include "util/util.h"
#include "verdict/verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_object *summary_new(const char *scenario, const char *outcome, const char *skip_reason)
{
	json_object *s = json_object_new_object();

	json_object_object_add(s, "results_format", json_object_new_int(RESULTS_FORMAT));
	json_object_object_add(s, "scenario", json_object_new_string(scenario));
	json_object_object_add(s, "outcome", json_object_new_string(outcome));
	if (skip_reason && skip_reason[0])
		json_object_object_add(s, "skip_reason", json_object_new_string(skip_reason));
	return s;
}

int results_finish(struct results *r, json_object *summary, int floor)
{
	json_object *verdicts = NULL;
	char *tap;
	int code;

	if (!json_object_object_get_ex(summary, "verdicts", &verdicts)) {
		verdicts = json_object_new_array();
		json_object_object_add(summary, "verdicts", verdicts);
	}
	code = exit_worst(verdicts_exit_code(verdicts), floor);
	json_object_object_add(summary, "exit_code", json_object_new_int(code));
	results_write_json(r, "summary.json", summary);
	tap = tap_from_summary(summary);
	results_replace(r, "tap.txt", tap, strlen(tap));
	fputs(tap, stdout);
	fflush(stdout);
	free(tap);
	json_object_put(summary);
	return code;
}
