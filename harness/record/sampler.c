#include "sampler.h"
#include "parse/event.h"
#include "parse/kmod_proto.h"
#include "parse/procfs.h"
#include "parse/procfs_zone.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* The counters whose rates tell reclaim and compaction apart. */
static const char *const vm_keys[] = {
	"pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd", "pgsteal_direct", "allocstall_dma32",
	"allocstall_normal", "allocstall_movable", "compact_stall", "compact_fail",
	"compact_success", "compact_daemon_wake", "kswapd_low_wmark_hit_quickly",
	"kswapd_high_wmark_hit_quickly", "pgmigrate_success", "nr_free_pages", "nr_dirty",
	"nr_writeback",
};

static double uptime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static json_object *zones_json(void)
{
	static struct event e;	/* one sampler thread */
	char *zi = read_file("/proc/zoneinfo", NULL), *bt = read_file("/proc/buddyinfo", NULL);
	struct buddyinfo bi;
	json_object *a = json_object_new_array();
	long pk = sysconf(_SC_PAGESIZE) / 1024;

	memset(&e, 0, sizeof(e));
	if (zi)
		zoneinfo_parse(zi, pk > 0 ? (int)pk : 4, &e);
	if (bt && buddyinfo_parse(bt, &bi))
		buddyinfo_attach(&bi, &e);
	for (int i = 0; i < e.nzones; i++) {
		const struct ev_zone *z = &e.zones[i];
		json_object *o = json_object_new_object(), *b = json_object_new_array();

		json_object_object_add(o, "node", json_object_new_int(z->node));
		json_object_object_add(o, "zone", json_object_new_string(z->zone));
		json_object_object_add(o, "free_kb", json_object_new_int64(z->free_kb));
		json_object_object_add(o, "min_kb", json_object_new_int64(z->min_kb));
		json_object_object_add(o, "low_kb", json_object_new_int64(z->low_kb));
		json_object_object_add(o, "high_kb", json_object_new_int64(z->high_kb));
		for (int k = 0; k < z->n_orders; k++)
			json_object_array_add(b, json_object_new_int64(z->buddy[k]));
		json_object_object_add(o, "buddy", b);
		json_object_array_add(a, o);
	}
	free(zi);
	free(bt);
	return a;
}

static json_object *vmstat_json(void)
{
	char *vm = read_file("/proc/vmstat", NULL);
	json_object *o = json_object_new_object();

	for (char *save = NULL, *l = vm ? strtok_r(vm, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(l, ' ');

		if (!sp)
			continue;
		*sp = '\0';
		for (size_t i = 0; i < ARRAY_LEN(vm_keys); i++)
			if (!strcmp(l, vm_keys[i]))
				json_object_object_add(o, l, json_object_new_int64(strtoll(sp + 1,
											    NULL, 10)));
	}
	free(vm);
	return o;
}

json_object *sampler_take(bool with_kmod)
{
	json_object *o = json_object_new_object();
	static struct kmod_stats ks;
	char *st;

	json_object_object_add(o, "t", json_object_new_double(uptime_s()));
	json_object_object_add(o, "zones", zones_json());
	json_object_object_add(o, "vmstat", vmstat_json());
	st = with_kmod ? read_file(KMOD_DEBUGFS_DIR "/stats", NULL) : NULL;
	if (st && kmod_stats_parse(st, &ks)) {
		json_object *k = json_object_new_object();

		json_object_object_add(k, "attempts", json_object_new_int64((int64_t)ks.attempts));
		json_object_object_add(k, "failures", json_object_new_int64((int64_t)ks.failures));
		json_object_object_add(o, "kmod", k);
	}
	free(st);
	return o;
}

static double thread_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void sample(struct sampler *s)
{
	json_object *o = sampler_take(s->fast > 0);

	results_append_json(s->res, "samples.jsonl", o);
	json_object_put(o);
	s->samples++;
}

static void *sampler_main(void *arg)
{
	struct sampler *s = arg;
	uint64_t t0 = now_ns(), next = t0;

	while (!s->stop) {
		uint64_t now = now_ns();

		if (now >= next) {
			sample(s);
			next = now + (uint64_t)(s->fast > 0 ? s->fast_ms : s->slow_ms) * 1000000ull;
		}
		/* a probe that starts is seen within fast_ms */
		sleep_ms(s->fast_ms);
	}
	sample(s);
	s->cpu_s = thread_cpu_s();
	s->wall_s = (double)(now_ns() - t0) / 1e9;
	return NULL;
}

int sampler_start(struct sampler *s, struct results *res)
{
	memset(s, 0, sizeof(*s));
	s->res = res;
	s->slow_ms = SAMPLER_SLOW_MS;
	s->fast_ms = SAMPLER_FAST_MS;
	if (pthread_create(&s->thread, NULL, sampler_main, s)) {
		log_msg("cannot start the sampler thread: the run has no samples");
		return -1;
	}
	s->running = true;
	return 0;
}

void sampler_fast(struct sampler *s, bool on)
{
	s->fast += on ? 1 : -1;
}

void sampler_stop(struct sampler *s)
{
	if (!s->running)
		return;
	s->stop = true;
	pthread_join(s->thread, NULL);
	s->running = false;
}

json_object *sampler_json(const struct sampler *s)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "samples", json_object_new_int64((int64_t)s->samples));
	json_object_object_add(o, "slow_ms", json_object_new_int((int)s->slow_ms));
	json_object_object_add(o, "fast_ms", json_object_new_int((int)s->fast_ms));
	json_object_object_add(o, "cpu_s", json_object_new_double(s->cpu_s));
	json_object_object_add(o, "wall_s", json_object_new_double(s->wall_s));
	json_object_object_add(o, "cpu_share", json_object_new_double(
		s->wall_s > 0 ? s->cpu_s / s->wall_s : 0));
	return o;
}
