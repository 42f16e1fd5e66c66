// SPDX-License-Identifier: GPL-2.0
/*
 * Counters of the current (or last) run and the text of the "stats" file.
 * Attempts are counted from any context, hard interrupts included, so the
 * counters sit under an irq-safe spinlock.
 *
 * The format is stable, one "key value..." record per line, and begins
 * with "version 2"; allocrepro's probe_kmod.c parses it.
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/preempt.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "helper.h"

#define STATS_VERSION		2
#define HIST_BUCKETS		40	/* log2 of nanoseconds */
#define PLACES			64	/* distinct (node, zone) pairs recorded */

enum observed {
	OBS_TASK,
	OBS_IRQOFF,
	OBS_SOFTIRQ,
	OBS_HARDIRQ,
	OBS_NR,
};

static const char * const obs_names[OBS_NR] = {
	[OBS_TASK] = "task",
	[OBS_IRQOFF] = "irqoff",
	[OBS_SOFTIRQ] = "softirq",
	[OBS_HARDIRQ] = "hardirq",
};

struct place {
	int node;
	const char *zone;
	unsigned long pages;
};

struct helper_stats {
	struct helper_params p;
	unsigned long runs;		/* since load or reset */
	int result;			/* of the last finished run */
	u64 start_ns;
	u64 attempts, successes, failures;
	u64 bursts, truncated_bursts;
	s64 first_failure_ns;		/* since the run started, -1 none */
	u64 atomic_ns_max;
	u64 elapsed_ns;
	u64 observed[OBS_NR];
	u64 wrong_cpu;			/* attempts that ran off the pinned CPU */
	unsigned int places;
	struct place place[PLACES];
	u64 hist[HIST_BUCKETS];
};

static DEFINE_SPINLOCK(stats_lock);
/* Before the first run: no CPU, no node chosen. */
static struct helper_stats stats = {
	.first_failure_ns = -1, .p = { .cpu = -1, .node = NUMA_NO_NODE },
};

void helper_stats_begin(const struct helper_params *p)
{
	unsigned long flags, runs;

	spin_lock_irqsave(&stats_lock, flags);
	runs = stats.runs;
	memset(&stats, 0, sizeof(stats));
	stats.runs = runs;
	stats.p = *p;
	stats.first_failure_ns = -1;
	stats.start_ns = ktime_get_ns();
	spin_unlock_irqrestore(&stats_lock, flags);
}

static enum observed observe(void)
{
	if (in_hardirq())
		return OBS_HARDIRQ;
	if (in_serving_softirq())
		return OBS_SOFTIRQ;
	if (irqs_disabled())
		return OBS_IRQOFF;
	return OBS_TASK;
}

static void record_place(struct page *page, unsigned int order)
{
	int node = page_to_nid(page);
	const char *zone = page_zone(page)->name;
	unsigned int i;

	for (i = 0; i < stats.places; i++) {
		if (stats.place[i].node == node && stats.place[i].zone == zone) {
			stats.place[i].pages += 1UL << order;
			return;
		}
	}
	if (stats.places < PLACES)
		stats.place[stats.places++] = (struct place){ node, zone, 1UL << order };
}

void helper_stats_attempt(struct page *page, unsigned int order, u64 ns, int cpu_wanted)
{
	unsigned int bucket = ns ? min_t(unsigned int, ilog2(ns), HIST_BUCKETS - 1) : 0;
	enum observed obs = observe();
	int cpu = raw_smp_processor_id();
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	stats.attempts++;
	stats.hist[bucket]++;
	stats.observed[obs]++;
	if (cpu_wanted >= 0 && cpu != cpu_wanted)
		stats.wrong_cpu++;
	if (page) {
		stats.successes++;
		record_place(page, order);
	} else {
		stats.failures++;
		if (stats.first_failure_ns < 0)
			stats.first_failure_ns = ktime_get_ns() - stats.start_ns;
	}
	spin_unlock_irqrestore(&stats_lock, flags);
}

void helper_stats_burst(u64 ns, bool truncated)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	stats.bursts++;
	stats.truncated_bursts += truncated;
	stats.atomic_ns_max = max(stats.atomic_ns_max, ns);
	spin_unlock_irqrestore(&stats_lock, flags);
}

void helper_stats_end(u64 elapsed_ns, int result)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	stats.elapsed_ns = elapsed_ns;
	stats.result = result;
	stats.runs++;
	spin_unlock_irqrestore(&stats_lock, flags);
}

void helper_stats_reset(void)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	memset(&stats, 0, sizeof(stats));
	stats.first_failure_ns = -1;
	stats.p.cpu = -1;
	stats.p.node = NUMA_NO_NODE;
	spin_unlock_irqrestore(&stats_lock, flags);
}

static void show_params(struct seq_file *m, const struct helper_params *p)
{
	seq_printf(m, "context %s\n", helper_ctx_names[p->ctx]);
	seq_printf(m, "gfp %#x\n", (__force unsigned int)p->gfp);
	seq_printf(m, "order %u\n", p->order);
	seq_printf(m, "count %u\n", p->count);
	seq_printf(m, "burst %u\n", p->burst);
	seq_printf(m, "interval_us %u\n", p->interval_us);
	seq_printf(m, "hold_ms %u\n", p->hold_ms);
	seq_printf(m, "repeat %u\n", p->repeat);
	seq_printf(m, "cpu %d\n", p->cpu);
	seq_printf(m, "node %d\n", p->node);
	seq_printf(m, "free %s\n", p->free_immediately ? "immediate" : "end");
	seq_printf(m, "until_fail %d\n", p->until_fail);
}

void helper_stats_show(struct seq_file *m, bool running)
{
	struct helper_stats *s = kmalloc(sizeof(*s), GFP_KERNEL);
	unsigned long flags;
	unsigned int i;

	if (!s)
		return;
	spin_lock_irqsave(&stats_lock, flags);
	*s = stats;
	spin_unlock_irqrestore(&stats_lock, flags);

	seq_printf(m, "version %d\n", STATS_VERSION);
	seq_printf(m, "state %s\n", running ? "running" : "idle");
	seq_printf(m, "runs %lu\n", s->runs);
	seq_printf(m, "result %d\n", s->result);
	show_params(m, &s->p);
	seq_printf(m, "attempts %llu\n", s->attempts);
	seq_printf(m, "successes %llu\n", s->successes);
	seq_printf(m, "failures %llu\n", s->failures);
	seq_printf(m, "order_stats %u %llu %llu %llu\n", s->p.order, s->attempts,
		   s->successes, s->failures);
	seq_printf(m, "bursts %llu\n", s->bursts);
	seq_printf(m, "truncated_bursts %llu\n", s->truncated_bursts);
	seq_printf(m, "first_failure_ns %lld\n", s->first_failure_ns);
	seq_printf(m, "atomic_ns_max %llu\n", s->atomic_ns_max);
	seq_printf(m, "elapsed_ns %llu\n", running ? ktime_get_ns() - s->start_ns :
		   s->elapsed_ns);
	seq_printf(m, "held_max_pages %lu\n", helper_run_held_max());
	for (i = 0; i < OBS_NR; i++)
		seq_printf(m, "observed %s %llu\n", obs_names[i], s->observed[i]);
	seq_printf(m, "wrong_cpu %llu\n", s->wrong_cpu);
	for (i = 0; i < s->places; i++)
		seq_printf(m, "pages %d %s %lu\n", s->place[i].node, s->place[i].zone,
			   s->place[i].pages);
	for (i = 0; i < HIST_BUCKETS; i++)
		if (s->hist[i])
			seq_printf(m, "latency_log2ns %u %llu\n", i, s->hist[i]);
	helper_pin_show(m);
	kfree(s);
}
