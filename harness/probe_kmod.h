/* The helper module as a probe: load it, command runs, read statistics. */
#ifndef ALLOCREPRO_PROBE_KMOD_H
#define ALLOCREPRO_PROBE_KMOD_H

#include <stdbool.h>
#include <stddef.h>

#define KMOD_MAX_ORDER 10	/* x86 MAX_PAGE_ORDER */

struct kmod_probe {
	char context[16];	/* process, irqoff, softirq, tasklet */
	char gfp[48];		/* preset name or hex mask */
	unsigned order, count, burst, interval_us, hold_ms;
	bool comp, nowarn;
};

struct kmod_stats {
	unsigned long attempts, successes, failures, bursts, truncated_bursts;
	long long first_failure_ns;
	unsigned long long atomic_ns_max, elapsed_ns;
};

/* Text of the command written to the module's cmd file. */
void kmod_probe_command(const struct kmod_probe *p, char *buf, size_t len);
/* Pure: parse the module's stats file. */
bool kmod_stats_parse(const char *text, struct kmod_stats *out);
/* Load the module from path unless it is already loaded; 0 or -errno. */
int kmod_load(const char *path, char *err, size_t errlen);
/* One run; fills stats.  0 or -errno (EINVAL: the module refused it). */
int kmod_run(const struct kmod_probe *p, struct kmod_stats *st);
bool kmod_context_valid(const char *ctx);

#endif
