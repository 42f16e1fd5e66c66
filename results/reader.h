/*
 * A results directory read back (report, compare, merge, export): one run
 * (this machine, or one lab guest), or a statistical lab run, whose guests
 * are results directories of their own under boots/.  Bad input is said
 * with the file it is in: a directory that is not a results directory, a
 * run killed before it wrote summary.json, a truncated or malformed file,
 * a format newer than this program reads.
 */
#ifndef ALLOCREPRO_READER_H
#define ALLOCREPRO_READER_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

struct run_data {
	char *dir;
	int format;		/* results_format (1 when a run predates it) */
	json_object *manifest, *summary;
	json_object *events, *phases, *samples;	/* arrays, empty when absent */
};

/* 0, or -1 with "PATH: what" in err; rd is then empty. */
int run_data_load(const char *dir, struct run_data *rd, char *err, size_t errlen);
void run_data_free(struct run_data *rd);
/* Only a guest's phases and samples (what its plots need; a guest that
 * hung has no summary of its own): 0, or -1 with err. */
int run_data_load_series(const char *dir, struct run_data *rd, char *err, size_t errlen);

/* Its summary's scenario, outcome; "" when absent. */
const char *run_scenario(const struct run_data *rd);
const char *run_outcome(const struct run_data *rd);
/* A statistical lab run: its guests are under boots/ (summary "boots"). */
bool run_has_boots(const struct run_data *rd);
/* The completed run's verdicts (an array, never NULL). */
json_object *run_verdicts(const struct run_data *rd);

#endif
