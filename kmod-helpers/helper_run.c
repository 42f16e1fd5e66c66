// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation runs.  A run is driven by a kernel thread ("allocrepro" or
 * "allocrepro/CPU", bound to CPU when one is asked for).  For each burst
 * the thread either allocates itself (process, irqoff) or arms the kernel
 * object whose callback runs in the wanted context (timer, tasklet,
 * hrtimer, work item) and waits for that burst to finish.  Being armed from
 * the bound thread, the callback runs on the same CPU.
 *
 * Bursts start every interval_us (from burst start to burst start, as a
 * driver's poll loop would); the blocks are held until the end of the
 * repetition plus hold_ms, or freed at once with free=immediate.  With
 * until_fail a repetition ends at its first failure: the blocks held until
 * then drain what compaction rebuilt, so exactly one attempt fails and is
 * reported however fast kcompactd is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include "helper.h"

const char * const helper_ctx_names[CTX_NR] = {
	[CTX_PROCESS] = "process",
	[CTX_IRQOFF] = "irqoff",
	[CTX_SOFTIRQ] = "softirq",
	[CTX_TASKLET] = "tasklet",
	[CTX_HARDIRQ] = "hardirq",
	[CTX_WORKQUEUE] = "workqueue",
};

struct helper_run {
	struct helper_params p;
	struct task_struct *thread;
	struct page **held;		/* blocks of this repetition */
	unsigned int next;		/* attempts made in this repetition */
	bool failed;			/* this repetition saw a failure */
	bool stop;
	struct timer_list timer;
	struct hrtimer hrtimer;
	struct tasklet_struct tasklet;
	struct work_struct work;
	struct completion burst_done;
	struct completion finished;
	wait_queue_head_t wq;		/* woken by stop */
	refcount_t ref;			/* cur, and each waiter */
};

static DEFINE_MUTEX(run_lock);		/* guards cur */
static struct helper_run *cur;
static struct workqueue_struct *helper_wq;
static atomic_long_t held_pages;	/* by the current run, now */
static unsigned long held_max;		/* by the last run, at most */
static unsigned long reserved;		/* the most the current run may hold */

unsigned long helper_run_reserved(void)
{
	return READ_ONCE(reserved);
}

unsigned long helper_run_held_max(void)
{
	return max_t(unsigned long, READ_ONCE(held_max), atomic_long_read(&held_pages));
}

/* The capacity a run may take is reserved before it starts. */
static unsigned long run_hold_pages(const struct helper_params *p)
{
	unsigned int n = p->free_immediately ? 1 : p->count;

	return (unsigned long)n << p->order;
}

/* All attempts made, or (until_fail) the first failure seen. */
static bool helper_rep_over(const struct helper_run *r)
{
	return r->next >= r->p.count || (r->p.until_fail && r->failed);
}

/*
 * One burst: up to p.burst attempts in whatever context the caller is in.
 * Bounded by max_atomic_us, so the helper itself never causes a soft lockup
 * or a stall however slow the allocator is.
 */
static void helper_burst(struct helper_run *r)
{
	u64 t0 = ktime_get_ns(), limit = (u64)helper_max_atomic_us * NSEC_PER_USEC;
	bool truncated = false;
	unsigned int n;

	for (n = 0; n < r->p.burst && !helper_rep_over(r); n++) {
		u64 a = ktime_get_ns();
		struct page *page = alloc_pages_node(r->p.node, r->p.gfp, r->p.order);

		helper_stats_attempt(page, r->p.order, ktime_get_ns() - a, r->p.cpu);
		if (page && r->p.free_immediately) {
			__free_pages(page, r->p.order);
			page = NULL;
		}
		r->held[r->next++] = page;
		if (page)
			atomic_long_add(1L << r->p.order, &held_pages);
		else
			r->failed = true;
		if (ktime_get_ns() - t0 > limit) {
			truncated = n + 1 < r->p.burst && !helper_rep_over(r);
			break;
		}
	}
	helper_stats_burst(ktime_get_ns() - t0, truncated);
}

static void helper_timer_fn(struct timer_list *t)
{
	struct helper_run *r = timer_container_of(r, t, timer);

	helper_burst(r);
	complete(&r->burst_done);
}

static enum hrtimer_restart helper_hrtimer_fn(struct hrtimer *t)
{
	struct helper_run *r = container_of(t, struct helper_run, hrtimer);

	helper_burst(r);
	complete(&r->burst_done);
	return HRTIMER_NORESTART;
}

static void helper_tasklet_fn(struct tasklet_struct *t)
{
	struct helper_run *r = from_tasklet(r, t, tasklet);

	helper_burst(r);
	complete(&r->burst_done);
}

static void helper_work_fn(struct work_struct *w)
{
	struct helper_run *r = container_of(w, struct helper_run, work);

	helper_burst(r);
	complete(&r->burst_done);
}

static void helper_setup(struct helper_run *r)
{
	enum hrtimer_mode mode = r->p.cpu >= 0 ? HRTIMER_MODE_REL_PINNED_HARD :
			       HRTIMER_MODE_REL_HARD;

	timer_setup(&r->timer, helper_timer_fn, 0);
	tasklet_setup(&r->tasklet, helper_tasklet_fn);
	INIT_WORK(&r->work, helper_work_fn);
	helper_hrtimer_setup(&r->hrtimer, helper_hrtimer_fn, mode);
}

static void helper_teardown(struct helper_run *r)
{
	timer_delete_sync(&r->timer);
	hrtimer_cancel(&r->hrtimer);
	tasklet_kill(&r->tasklet);
	cancel_work_sync(&r->work);
}

/* Run one burst in the wanted context; returns when it is over. */
static void helper_one_burst(struct helper_run *r)
{
	unsigned long flags;

	switch (r->p.ctx) {
	case CTX_PROCESS:
		helper_burst(r);
		cond_resched();
		return;
	case CTX_IRQOFF:
		local_irq_save(flags);
		helper_burst(r);
		local_irq_restore(flags);
		return;
	default:
		break;
	}
	reinit_completion(&r->burst_done);
	switch (r->p.ctx) {
	case CTX_SOFTIRQ:
		r->timer.expires = jiffies + 1;
		if (r->p.cpu >= 0)
			add_timer_on(&r->timer, r->p.cpu);
		else
			add_timer(&r->timer);
		break;
	case CTX_TASKLET:
		tasklet_schedule(&r->tasklet);
		break;
	case CTX_HARDIRQ:
		hrtimer_start(&r->hrtimer, ns_to_ktime(NSEC_PER_USEC),
			      r->p.cpu >= 0 ? HRTIMER_MODE_REL_PINNED_HARD : HRTIMER_MODE_REL_HARD);
		break;
	case CTX_WORKQUEUE:
		queue_work_on(r->p.cpu >= 0 ? r->p.cpu : WORK_CPU_UNBOUND, helper_wq, &r->work);
		break;
	default:
		complete(&r->burst_done);
		break;
	}
	wait_for_completion(&r->burst_done);
}

/* Sleep until @until_ns or a stop, whichever comes first. */
static void helper_sleep_until(struct helper_run *r, u64 until_ns)
{
	u64 now = ktime_get_ns();
	u64 us;

	if (now >= until_ns || READ_ONCE(r->stop))
		return;
	us = div_u64(until_ns - now, NSEC_PER_USEC);
	if (us < 20000) {
		usleep_range(us, us + us / 8 + 1);
		return;
	}
	/* Interruptible: long holds must not look like hung tasks. */
	wait_event_interruptible_timeout(r->wq, READ_ONCE(r->stop),
					 usecs_to_jiffies(us));
}

static void helper_free_held(struct helper_run *r)
{
	unsigned int i;

	for (i = 0; i < r->next; i++) {
		if (r->held[i]) {
			__free_pages(r->held[i], r->p.order);
			atomic_long_sub(1L << r->p.order, &held_pages);
			r->held[i] = NULL;
		}
	}
}

static void helper_repetition(struct helper_run *r)
{
	u64 next = ktime_get_ns();

	r->next = 0;
	r->failed = false;
	while (!helper_rep_over(r) && !READ_ONCE(r->stop)) {
		helper_one_burst(r);
		next += (u64)r->p.interval_us * NSEC_PER_USEC;
		if (!helper_rep_over(r))
			helper_sleep_until(r, next);
	}
	WRITE_ONCE(held_max, max_t(unsigned long, held_max, atomic_long_read(&held_pages)));
	if (r->p.hold_ms)
		helper_sleep_until(r, ktime_get_ns() + (u64)r->p.hold_ms * NSEC_PER_MSEC);
	helper_free_held(r);
}

static int helper_thread(void *data)
{
	struct helper_run *r = data;
	u64 t0 = ktime_get_ns();
	unsigned int rep;

	helper_setup(r);
	for (rep = 0; !READ_ONCE(r->stop) && (!r->p.repeat || rep < r->p.repeat); rep++)
		helper_repetition(r);
	helper_teardown(r);
	helper_stats_end(ktime_get_ns() - t0, READ_ONCE(r->stop) ? -EINTR : 0);
	/* Never return into module text: the module may be unloading. */
	kthread_complete_and_exit(&r->finished, 0);
}

static void helper_run_put(struct helper_run *r)
{
	if (refcount_dec_and_test(&r->ref)) {
		kvfree(r->held);
		kfree(r);
	}
}

/* Under run_lock: forget a finished run. */
static void helper_reap(void)
{
	if (cur && completion_done(&cur->finished)) {
		helper_run_put(cur);
		cur = NULL;
		WRITE_ONCE(reserved, 0);
	}
}

bool helper_run_active(void)
{
	bool active;

	mutex_lock(&run_lock);
	helper_reap();
	active = cur;
	mutex_unlock(&run_lock);
	return active;
}

int helper_run_start(const struct helper_params *p)
{
	struct helper_run *r;
	int ret = 0;

	mutex_lock(&run_lock);
	helper_reap();
	if (cur) {
		ret = -EBUSY;
		goto out;
	}
	if (!helper_may_hold(run_hold_pages(p))) {
		pr_warn_ratelimited("refused: %lu pages exceed %u%% of RAM with what is held\n",
				    run_hold_pages(p), helper_max_hold_percent);
		ret = -EINVAL;
		goto out;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		ret = -ENOMEM;
		goto out;
	}
	r->held = kvcalloc(p->count, sizeof(*r->held), GFP_KERNEL);
	if (!r->held) {
		kfree(r);
		ret = -ENOMEM;
		goto out;
	}
	r->p = *p;
	init_completion(&r->burst_done);
	init_completion(&r->finished);
	init_waitqueue_head(&r->wq);
	refcount_set(&r->ref, 1);
	if (p->cpu >= 0)
		r->thread = kthread_create(helper_thread, r, "allocrepro/%d", p->cpu);
	else
		r->thread = kthread_create(helper_thread, r, "allocrepro");
	if (IS_ERR(r->thread)) {
		ret = PTR_ERR(r->thread);
		helper_run_put(r);
		goto out;
	}
	if (p->cpu >= 0)
		kthread_bind(r->thread, p->cpu);
	WRITE_ONCE(held_max, 0);
	WRITE_ONCE(reserved, run_hold_pages(p));
	helper_stats_begin(p);
	cur = r;
	wake_up_process(r->thread);
out:
	mutex_unlock(&run_lock);
	return ret;
}

/*
 * The thread completes "finished" once, and complete() wakes one waiter:
 * each waiter passes it on, so every waiter wakes and it stays done.
 */
static void helper_pass_on(struct helper_run *r)
{
	complete(&r->finished);
}

/* Bounded: a burst is short and sleeps end on stop. */
static void helper_stop_one(struct helper_run *r)
{
	WRITE_ONCE(r->stop, true);
	wake_up(&r->wq);
	wait_for_completion(&r->finished);
	helper_pass_on(r);
}

/* Wait for the current run; a fatal signal stops it.  0 or -EINTR. */
int helper_run_wait(void)
{
	struct helper_run *r;
	int ret = 0;

	mutex_lock(&run_lock);
	r = cur;
	if (r)
		refcount_inc(&r->ref);
	mutex_unlock(&run_lock);
	if (!r)
		return 0;
	if (wait_for_completion_killable(&r->finished)) {
		helper_stop_one(r);
		ret = -EINTR;
	} else {
		helper_pass_on(r);
	}
	helper_run_put(r);
	return ret;
}

void helper_run_stop(void)
{
	mutex_lock(&run_lock);
	if (cur) {
		helper_stop_one(cur);
		helper_reap();
	}
	mutex_unlock(&run_lock);
}

int helper_run_init(void)
{
	helper_wq = alloc_workqueue("allocrepro_helper", 0, 0);
	return helper_wq ? 0 : -ENOMEM;
}

void helper_run_exit(void)
{
	helper_run_stop();
	destroy_workqueue(helper_wq);
}
