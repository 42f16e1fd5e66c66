/*
 * The recorder: follows /dev/kmsg record by record (8 KiB reads, overruns
 * detected by EPIPE and by sequence gaps and counted), keeps the raw log in
 * kmsg.txt, turns reports into events.jsonl as they complete, and snapshots
 * /proc/buddyinfo periodically.  One thread.
 */
#ifndef ALLOCREPRO_RECORDER_H
#define ALLOCREPRO_RECORDER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "parse/event.h"
#include "parse/logparse.h"
#include "results/results.h"

struct recorder {
	struct results *res;
	bool from_boot;		/* in a lab guest the whole log is the run's */
	unsigned snapshot_ms;
	pthread_t thread;
	_Atomic bool stop;
	pthread_mutex_t lock;	/* guards events and counters */
	struct event_list events;
	uint64_t records, lost, overruns;
	_Atomic uint64_t last_record_ns;	/* when the kernel last printed */
	int error;		/* errno if /dev/kmsg could not be read */
	struct logparse parser;
};

/* Written to /dev/kmsg by the harness as "allocrepro: phase N ...": events
 * whose report starts after it carry "phase": N. */
#define PHASE_MARKER "allocrepro: phase "
/* Best effort: /dev/kmsg rate-limits writers unless printk.devkmsg=on. */
void recorder_mark_phase(int phase, const char *what);

int recorder_start(struct recorder *r, struct results *res, bool from_boot);
/* Wait until the kernel has printed nothing for quiet_ms (a report is
 * whole), at most max_ms. */
void recorder_wait_quiet(struct recorder *r, unsigned quiet_ms, unsigned max_ms);
/* Drain what the kernel has printed, flush an open report, join. */
void recorder_stop(struct recorder *r);
/* summary.json's "recorder": kmsg records read, lost, overruns, events. */
json_object *recorder_json(const struct recorder *r);
/* Snapshot a /proc file into results as <name>.<tag>.txt. */
void snapshot_file(struct results *res, const char *proc, const char *name, const char *tag);

#endif
