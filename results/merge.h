/*
 * allocrepro merge DIR... -o OUT: results of many machines and kernels in
 * one directory.  OUT/runs/<id>/ holds each run as it was (its manifest
 * names its host, kernel and topology), OUT/merged.json lists them; a
 * merged directory is read by report, compare and export as a matrix of
 * scenario x kernel x host.
 */
#ifndef ALLOCREPRO_MERGE_H
#define ALLOCREPRO_MERGE_H

#include "reader.h"

#include <json-c/json.h>
#include <stdbool.h>

#define MERGED_INDEX "merged.json"

/* Is dir a merged directory (it has merged.json)? */
bool merged_dir(const char *dir);
/* Its index's runs: [{"id", "dir" (under it), "host", "kernel", ...}];
 * NULL with err when it cannot be read. */
json_object *merged_runs(const char *dir, char *err, size_t errlen);
/* A run's id: its manifest's run_id, else made from its host, kernel,
 * scenario and a hash of its summary (a run from before run_id). */
char *merge_run_id(const struct run_data *rd);

/*
 * Merge dirs (runs or merged directories) into out.  Refused, with
 * nothing written: a bad input, out holding something that is not a
 * merged directory, two runs with one id but different content.  A run
 * already there with the same content is left as it is (merging again
 * changes nothing).  0, or -1 with err.
 */
int merge_into(const char *out, char *const *dirs, int n, char *err, size_t errlen);

#endif
