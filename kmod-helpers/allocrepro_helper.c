// SPDX-License-Identifier: GPL-2.0
/*
 * allocrepro_helper - drive page allocations from real kernel contexts.
 *
 * The field failures allocrepro reproduces come from drivers and the network
 * stack allocating high-order blocks in softirq or with interrupts off, where
 * the allocator may neither reclaim nor compact.  Userspace cannot allocate
 * that way, so this module does it on command and reports what happened.
 *
 * Interface (debugfs, root only):
 *   /sys/kernel/debug/allocrepro_helper/cmd    write "run key=value ..."
 *   /sys/kernel/debug/allocrepro_helper/stats  last run, "key value" lines
 *
 * A run is synchronous: the write returns when every block was attempted,
 * held for hold_ms and freed.  Failures are not hidden: without nowarn=1 the
 * kernel prints its own "page allocation failure" report, which is what the
 * harness records and parses.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/timer.h>
#include <linux/interrupt.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/completion.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/log2.h>

/* MAX_ORDER was exclusive until 6.4, inclusive after, renamed in 6.8. */
#if defined(MAX_PAGE_ORDER)
#define HELPER_MAX_ORDER MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define HELPER_MAX_ORDER MAX_ORDER
#else
#define HELPER_MAX_ORDER (MAX_ORDER - 1)
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define timer_delete_sync del_timer_sync
#endif
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 16, 0)
#define timer_container_of from_timer
#endif

#define HELPER_MAX_COUNT	(1U << 20)
#define HELPER_MAX_BURST	1024U
#define HELPER_MAX_INTERVAL_US	(10U * USEC_PER_SEC)
#define HELPER_MAX_HOLD_MS	(600U * MSEC_PER_SEC)
#define HELPER_HIST_BUCKETS	32
#define HELPER_CMD_MAX		512

static unsigned int max_hold_percent = 75;
module_param(max_hold_percent, uint, 0444);
MODULE_PARM_DESC(max_hold_percent,
		 "Refuse runs that could hold more than this share of RAM (1-95)");

static unsigned int max_atomic_us = 20000;
module_param(max_atomic_us, uint, 0444);
MODULE_PARM_DESC(max_atomic_us,
		 "Longest time one burst may spend in atomic context (100-100000)");

enum helper_context {
	CTX_PROCESS,
	CTX_IRQOFF,
	CTX_SOFTIRQ,
	CTX_TASKLET,
	CTX_NR,
};

static const char * const ctx_names[CTX_NR] = {
	[CTX_PROCESS] = "process",
	[CTX_IRQOFF] = "irqoff",
	[CTX_SOFTIRQ] = "softirq",
	[CTX_TASKLET] = "tasklet",
};

struct gfp_preset {
	const char *name;
	gfp_t gfp;
};

static const struct gfp_preset gfp_presets[] = {
	{ "GFP_ATOMIC", GFP_ATOMIC },
	{ "GFP_NOWAIT", GFP_NOWAIT },
	{ "GFP_KERNEL", GFP_KERNEL },
	{ "GFP_KERNEL_NORETRY", GFP_KERNEL | __GFP_NORETRY },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE },
};

struct helper_params {
	enum helper_context ctx;
	gfp_t gfp;
	unsigned int order;
	unsigned int count;
	unsigned int burst;
	unsigned int interval_us;
	unsigned int hold_ms;
	bool comp;
	bool nowarn;
};

struct helper_stats {
	unsigned long runs;
	unsigned int attempts;
	unsigned int successes;
	unsigned int failures;
	unsigned int bursts;
	unsigned int truncated_bursts;
	s64 first_failure_ns;	/* since run start, -1 when none */
	u64 atomic_ns_max;
	u64 elapsed_ns;
	unsigned long zone_pages[MAX_NR_ZONES];
	const char *zone_names[MAX_NR_ZONES];
	unsigned long node_pages[MAX_NUMNODES];
	unsigned int hist[HELPER_HIST_BUCKETS];	/* log2(ns) of each attempt */
};

struct helper_run {
	struct helper_params p;
	struct page **held;
	unsigned int next;	/* next attempt index */
	ktime_t start;
	struct timer_list timer;
	struct tasklet_struct tasklet;
	struct completion burst_done;
	struct completion all_done;
};

static DEFINE_MUTEX(helper_lock);	/* one run at a time; guards stats */
static struct helper_stats stats = { .first_failure_ns = -1 };
static struct helper_params last_params;
static struct dentry *helper_dir;

static void helper_record(struct helper_run *r, struct page *page, u64 ns)
{
	unsigned int bucket = ns ? min_t(unsigned int, ilog2(ns),
					 HELPER_HIST_BUCKETS - 1) : 0;
	struct zone *zone;

	stats.attempts++;
	stats.hist[bucket]++;
	if (!page) {
		stats.failures++;
		if (stats.first_failure_ns < 0)
			stats.first_failure_ns = ktime_to_ns(ktime_sub(ktime_get(),
								       r->start));
		return;
	}
	stats.successes++;
	zone = page_zone(page);
	stats.zone_pages[zone_idx(zone)] += 1UL << r->p.order;
	stats.zone_names[zone_idx(zone)] = zone->name;
	stats.node_pages[page_to_nid(page)] += 1UL << r->p.order;
}

/*
 * One burst: up to p.burst attempts, in whatever context the caller is in.
 * Bounded by max_atomic_us so the helper itself never causes a soft lockup.
 */
static void helper_burst(struct helper_run *r)
{
	u64 t0 = ktime_get_ns();
	unsigned int n;

	for (n = 0; n < r->p.burst && r->next < r->p.count; n++) {
		u64 a = ktime_get_ns();
		struct page *page = alloc_pages(r->p.gfp, r->p.order);

		helper_record(r, page, ktime_get_ns() - a);
		r->held[r->next++] = page;
		if (ktime_get_ns() - t0 > (u64)max_atomic_us * NSEC_PER_USEC) {
			if (n + 1 < r->p.burst && r->next < r->p.count)
				stats.truncated_bursts++;
			break;
		}
	}
	stats.bursts++;
	stats.atomic_ns_max = max_t(u64, stats.atomic_ns_max,
				    ktime_get_ns() - t0);
}

static void helper_timer_fn(struct timer_list *t)
{
	struct helper_run *r = timer_container_of(r, t, timer);

	helper_burst(r);
	if (r->next < r->p.count)
		mod_timer(&r->timer,
			  jiffies + max(1UL, usecs_to_jiffies(r->p.interval_us)));
	else
		complete(&r->all_done);
}

static void helper_tasklet_fn(struct tasklet_struct *t)
{
	struct helper_run *r = from_tasklet(r, t, tasklet);

	helper_burst(r);
	complete(&r->burst_done);
}

static void helper_pause(unsigned int us)
{
	if (us >= 20000)
		msleep(us / 1000);
	else if (us)
		usleep_range(us, us + us / 8 + 1);
}

static int helper_drive(struct helper_run *r)
{
	unsigned long flags;

	switch (r->p.ctx) {
	case CTX_SOFTIRQ:
		timer_setup(&r->timer, helper_timer_fn, 0);
		mod_timer(&r->timer, jiffies + 1);
		/* Uninterruptible: the timer must not outlive the run. */
		wait_for_completion(&r->all_done);
		timer_delete_sync(&r->timer);
		return 0;
	case CTX_TASKLET:
		tasklet_setup(&r->tasklet, helper_tasklet_fn);
		while (r->next < r->p.count) {
			reinit_completion(&r->burst_done);
			tasklet_schedule(&r->tasklet);
			wait_for_completion(&r->burst_done);
			helper_pause(r->p.interval_us);
		}
		tasklet_kill(&r->tasklet);
		return 0;
	case CTX_IRQOFF:
		while (r->next < r->p.count) {
			local_irq_save(flags);
			helper_burst(r);
			local_irq_restore(flags);
			helper_pause(r->p.interval_us);
		}
		return 0;
	case CTX_PROCESS:
		while (r->next < r->p.count) {
			helper_burst(r);
			if (fatal_signal_pending(current))
				return -EINTR;
			helper_pause(r->p.interval_us);
			cond_resched();
		}
		return 0;
	default:
		return -EINVAL;
	}
}

static void helper_free_all(struct helper_run *r)
{
	unsigned int i;

	for (i = 0; i < r->next; i++)
		if (r->held[i])
			__free_pages(r->held[i], r->p.order);
}

static int helper_run(const struct helper_params *p)
{
	struct helper_run *r;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->held = kvcalloc(p->count, sizeof(*r->held), GFP_KERNEL);
	if (!r->held) {
		kfree(r);
		return -ENOMEM;
	}
	r->p = *p;
	init_completion(&r->burst_done);
	init_completion(&r->all_done);

	memset(&stats, 0, sizeof(stats));
	stats.first_failure_ns = -1;
	last_params = *p;
	r->start = ktime_get();

	ret = helper_drive(r);
	stats.elapsed_ns = ktime_to_ns(ktime_sub(ktime_get(), r->start));
	if (!ret && p->hold_ms)
		msleep(p->hold_ms);
	helper_free_all(r);
	stats.runs++;
	kvfree(r->held);
	kfree(r);
	return ret;
}

static int helper_parse_gfp(const char *val, gfp_t *gfp)
{
	unsigned int i;
	unsigned long raw;

	for (i = 0; i < ARRAY_SIZE(gfp_presets); i++) {
		if (!strcmp(val, gfp_presets[i].name)) {
			*gfp = gfp_presets[i].gfp;
			return 0;
		}
	}
	if (kstrtoul(val, 16, &raw) || !raw || raw & ~(unsigned long)__GFP_BITS_MASK)
		return -EINVAL;
	*gfp = (__force gfp_t)raw;
	return 0;
}

static int helper_parse_bool(const char *val, bool *out)
{
	return kstrtobool(val, out);
}

static int helper_parse_uint(const char *val, unsigned int lo, unsigned int hi,
			     unsigned int *out)
{
	unsigned int v;

	if (kstrtouint(val, 10, &v) || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int helper_parse_kv(struct helper_params *p, char *key, char *val)
{
	unsigned int i;

	if (!strcmp(key, "context")) {
		for (i = 0; i < CTX_NR; i++) {
			if (!strcmp(val, ctx_names[i])) {
				p->ctx = i;
				return 0;
			}
		}
		return -EINVAL;
	}
	if (!strcmp(key, "gfp"))
		return helper_parse_gfp(val, &p->gfp);
	if (!strcmp(key, "order"))
		return helper_parse_uint(val, 0, HELPER_MAX_ORDER, &p->order);
	if (!strcmp(key, "count"))
		return helper_parse_uint(val, 1, HELPER_MAX_COUNT, &p->count);
	if (!strcmp(key, "burst"))
		return helper_parse_uint(val, 1, HELPER_MAX_BURST, &p->burst);
	if (!strcmp(key, "interval_us"))
		return helper_parse_uint(val, 0, HELPER_MAX_INTERVAL_US,
					 &p->interval_us);
	if (!strcmp(key, "hold_ms"))
		return helper_parse_uint(val, 0, HELPER_MAX_HOLD_MS, &p->hold_ms);
	if (!strcmp(key, "comp"))
		return helper_parse_bool(val, &p->comp);
	if (!strcmp(key, "nowarn"))
		return helper_parse_bool(val, &p->nowarn);
	return -EINVAL;
}

/* Refuse what the kernel would warn or BUG about, and what could hang us. */
static int helper_check(struct helper_params *p)
{
	unsigned long pages;

	if (p->ctx != CTX_PROCESS && gfpflags_allow_blocking(p->gfp)) {
		pr_warn("refused: gfp %#x may sleep, context %s is atomic\n",
			(__force unsigned int)p->gfp, ctx_names[p->ctx]);
		return -EINVAL;
	}
	if ((p->gfp & __GFP_NOFAIL) && p->order > 1) {
		pr_warn("refused: __GFP_NOFAIL with order %u\n", p->order);
		return -EINVAL;
	}
	if (p->comp)
		p->gfp |= __GFP_COMP;
	if (p->nowarn)
		p->gfp |= __GFP_NOWARN;
	pages = (unsigned long)p->count << p->order;
	if (pages > totalram_pages() / 100 * max_hold_percent) {
		pr_warn("refused: %lu pages exceed %u%% of RAM\n", pages,
			max_hold_percent);
		return -EINVAL;
	}
	return 0;
}

static int helper_parse_cmd(char *buf, struct helper_params *p)
{
	char *tok, *val;
	bool run = false;

	*p = (struct helper_params){
		.ctx = CTX_PROCESS, .gfp = GFP_ATOMIC, .count = 1, .burst = 1,
	};
	while ((tok = strsep(&buf, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (!run) {
			if (strcmp(tok, "run"))
				return -EINVAL;
			run = true;
			continue;
		}
		val = strchr(tok, '=');
		if (!val)
			return -EINVAL;
		*val++ = '\0';
		if (helper_parse_kv(p, tok, val)) {
			pr_warn("refused: bad value for '%s'\n", tok);
			return -EINVAL;
		}
	}
	return run ? helper_check(p) : -EINVAL;
}

static ssize_t cmd_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	struct helper_params p;
	char *buf;
	int ret;

	if (len == 0 || len >= HELPER_CMD_MAX)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = helper_parse_cmd(buf, &p);
	kfree(buf);
	if (ret)
		return ret;
	if (!mutex_trylock(&helper_lock))
		return -EBUSY;
	ret = helper_run(&p);
	mutex_unlock(&helper_lock);
	return ret ? ret : len;
}

static int stats_show(struct seq_file *m, void *v)
{
	unsigned int i;

	mutex_lock(&helper_lock);
	seq_printf(m, "runs %lu\n", stats.runs);
	seq_printf(m, "context %s\n", ctx_names[last_params.ctx]);
	seq_printf(m, "gfp %#x\n", (__force unsigned int)last_params.gfp);
	seq_printf(m, "order %u\n", last_params.order);
	seq_printf(m, "count %u\n", last_params.count);
	seq_printf(m, "attempts %u\n", stats.attempts);
	seq_printf(m, "successes %u\n", stats.successes);
	seq_printf(m, "failures %u\n", stats.failures);
	seq_printf(m, "bursts %u\n", stats.bursts);
	seq_printf(m, "truncated_bursts %u\n", stats.truncated_bursts);
	seq_printf(m, "first_failure_ns %lld\n", stats.first_failure_ns);
	seq_printf(m, "atomic_ns_max %llu\n", stats.atomic_ns_max);
	seq_printf(m, "elapsed_ns %llu\n", stats.elapsed_ns);
	for (i = 0; i < MAX_NR_ZONES; i++)
		if (stats.zone_names[i])
			seq_printf(m, "zone %s %lu\n", stats.zone_names[i],
				   stats.zone_pages[i]);
	for (i = 0; i < MAX_NUMNODES; i++)
		if (stats.node_pages[i])
			seq_printf(m, "node %u %lu\n", i, stats.node_pages[i]);
	for (i = 0; i < HELPER_HIST_BUCKETS; i++)
		if (stats.hist[i])
			seq_printf(m, "latency_log2ns %u %u\n", i, stats.hist[i]);
	mutex_unlock(&helper_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static const struct file_operations cmd_fops = {
	.owner = THIS_MODULE,
	.write = cmd_write,
	.llseek = noop_llseek,
};

static int __init helper_init(void)
{
	if (max_hold_percent < 1 || max_hold_percent > 95 ||
	    max_atomic_us < 100 || max_atomic_us > 100000) {
		pr_err("max_hold_percent must be 1-95, max_atomic_us 100-100000\n");
		return -EINVAL;
	}
	helper_dir = debugfs_create_dir("allocrepro_helper", NULL);
	if (IS_ERR(helper_dir))
		return PTR_ERR(helper_dir);
	debugfs_create_file("cmd", 0200, helper_dir, NULL, &cmd_fops);
	debugfs_create_file("stats", 0400, helper_dir, NULL, &stats_fops);
	return 0;
}

static void __exit helper_exit(void)
{
	/* Open files pin the module, so no run can be in progress here. */
	debugfs_remove_recursive(helper_dir);
}

module_init(helper_init);
module_exit(helper_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("allocrepro: page allocations from chosen kernel contexts");
