/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel interfaces that changed between the kernels the helper builds for
 * (6.1 to current).  Kbuild defines HELPER_HAVE_* from the headers.
 */
#ifndef ALLOCREPRO_HELPER_COMPAT_H
#define ALLOCREPRO_HELPER_COMPAT_H

#include <linux/hrtimer.h>
#include <linux/log2.h>
#include <linux/mmzone.h>
#include <linux/timer.h>

/*
 * The largest order the buddy allocator serves.  MAX_ORDER was exclusive
 * until 6.4, inclusive after, renamed MAX_PAGE_ORDER in 6.8; the number of
 * pages in the largest block has kept its meaning throughout.
 */
#define HELPER_MAX_ORDER ilog2(MAX_ORDER_NR_PAGES)

#ifndef HELPER_HAVE_TIMER_DELETE_SYNC
#define timer_delete_sync del_timer_sync
#endif
#ifndef HELPER_HAVE_TIMER_CONTAINER_OF
#define timer_container_of from_timer
#endif

static inline void helper_hrtimer_setup(struct hrtimer *t,
					enum hrtimer_restart (*fn)(struct hrtimer *),
					enum hrtimer_mode mode)
{
#ifdef HELPER_HAVE_HRTIMER_SETUP
	hrtimer_setup(t, fn, CLOCK_MONOTONIC, mode);
#else
	hrtimer_init(t, CLOCK_MONOTONIC, mode);
	t->function = fn;
#endif
}

#endif
