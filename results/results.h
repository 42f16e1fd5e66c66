/*
 * The results directory (DESIGN.md): files are written as things happen.
 * Inside a lab guest every write is mirrored as a frame on a stream (a
 * serial port) so the host has it even if the guest dies a moment later.
 *
 * Frame: "<op><file> <len>\n<len bytes>", op '+' appends, '=' replaces.
 * The frame "=.end <len>\n<exit code>" closes a completed run.
 */
#ifndef ALLOCREPRO_RESULTS_H
#define ALLOCREPRO_RESULTS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

struct results {
	char *dir;
	int stream_fd;		/* -1: no mirror */
	pthread_mutex_t lock;	/* recorder threads write concurrently */
};

/* The version of this layout that manifest.json and summary.json carry as
 * "results_format"; readers refuse a newer one (results/reader.h). */
#define RESULTS_FORMAT 1

int results_open(struct results *r, const char *dir, const char *stream_path);
/* The host's side of a lab run: the directory a guest's stream has already
 * filled, to add to, with nothing cleared and no mirror. */
int results_attach(struct results *r, const char *dir);
/* Remove a previous run's files (the layout's names only) from dir. */
void results_clear(const char *dir);
void results_close(struct results *r);
int results_append(struct results *r, const char *file, const char *data, size_t len);
int results_replace(struct results *r, const char *file, const char *data, size_t len);
/* One JSON object as a line of a .jsonl file. */
int results_append_json(struct results *r, const char *file, json_object *o);
/* A copy of the file at src as file (the run's scenario): 0, or -1 when
 * src cannot be read. */
int results_keep(struct results *r, const char *src, const char *file);
/* A whole JSON file, pretty-printed. */
int results_write_json(struct results *r, const char *file, json_object *o);
/* Mark the run complete on the stream. */
void results_end(struct results *r, int exit_code);

/* Host side: apply the frames in buf to dir. Returns bytes consumed (whole
 * frames only); sets *ended and *exit_code when the end frame was seen.
 * Frames naming paths outside dir are rejected (returns -1). */
long results_demux(const char *dir, const char *buf, size_t len, bool *ended,
		   int *exit_code);

#endif
