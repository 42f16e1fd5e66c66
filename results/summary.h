/*
 * The end of every run, `run` in a machine or guest and `lab run` on the
 * host alike: summary.json, tap.txt and the TAP on stdout, written by one
 * function so that they always agree, and the exit code they imply.
 */
#ifndef ALLOCREPRO_SUMMARY_H
#define ALLOCREPRO_SUMMARY_H

#include <json-c/json.h>

#include "results.h"

/* summary.json's head: scenario, outcome and, when set, skip_reason. */
json_object *summary_new(const char *scenario, const char *outcome, const char *skip_reason);

/*
 * Finish a run: the exit code is that of the summary's verdicts
 * (verdicts_exit_code) unless floor says more (exit_worst: an
 * infrastructure or usage error wins).  It goes into summary.json as exit_code; summary.json
 * and tap.txt are written through r (so a guest mirrors them), the TAP text
 * is printed on stdout.  Takes the summary.  Returns the exit code.
 */
int results_finish(struct results *r, json_object *summary, int floor);

#endif
