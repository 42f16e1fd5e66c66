/*
 * The sampler: the memory state over the run's time, for the report's
 * plots.  A thread of its own (the recorder reading /dev/kmsg is never
 * held up by /proc) appends one line per sample to samples.jsonl: the
 * time since boot (as the phases'), per zone the free pages, watermarks
 * and free blocks per order (zoneinfo + buddyinfo, in kB and counts), the
 * vmstat counters of reclaim and compaction, and while a probe runs the
 * helper module's attempts and failures.  Every slow_ms, every fast_ms
 * while a probe runs: the failure is seen coming.
 */
#ifndef ALLOCREPRO_SAMPLER_H
#define ALLOCREPRO_SAMPLER_H

#include <json-c/json.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "results/results.h"

#define SAMPLER_SLOW_MS 500
#define SAMPLER_FAST_MS 50	/* 20 Hz while a probe runs */

struct sampler {
	struct results *res;
	pthread_t thread;
	bool running;
	_Atomic bool stop;
	_Atomic int fast;	/* probes running: sample every fast_ms */
	unsigned slow_ms, fast_ms;
	uint64_t samples;
	double cpu_s;		/* the thread's own CPU time */
	double wall_s;
};

/* 0, or -1 (said): the run goes on without samples. */
int sampler_start(struct sampler *s, struct results *res);
/* A probe begins (on) or ends (off); nests. */
void sampler_fast(struct sampler *s, bool on);
/* Take a last sample and join. */
void sampler_stop(struct sampler *s);
/* summary.json's recorder.sampler: samples, rates, the thread's CPU time
 * and its share of one core. */
json_object *sampler_json(const struct sampler *s);

/* One sample as JSON (pure but for the files it reads): t, zones, vmstat,
 * and kmod when with_kmod and the module's stats can be read. */
json_object *sampler_take(bool with_kmod);

#endif
