// SPDX-License-Identifier: GPL-2.0
/*
 * Pins: memory states userspace workloads cannot make.
 *
 * unmovable  Take blocks of block_order with GFP_KERNEL (unmovable, so the
 *            allocator claims their pageblocks as MIGRATE_UNMOVABLE), split
 *            them, and keep one page, chosen by a seeded generator, in each
 *            aligned run of 2^break_order pages.  Nothing of break_order or
 *            more can form there again, and compaction cannot move the kept
 *            pages: the fragmentation drivers leave behind.
 * lowmem     Take order-0 GFP_KERNEL pages from one zone until its free
 *            pages are within margin_kb of its min watermark: the 32-bit
 *            box whose Normal zone is exhausted while HighMem is free.
 *
 * Pinned pages are chained through page->lru (they are ours, not compound)
 * and freed on "release" and on unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/prandom.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/vmstat.h>
#include "helper.h"

#define SPILL_MAX_MISSES	4096	/* pages of other zones before giving up */

struct pin_place {
	int node;
	const char *zone;
	unsigned long pages;
};

struct pin_state {
	struct list_head pages;
	unsigned long total;
	unsigned int places;
	struct pin_place place[16];
	/* the last lowmem pin, for the stats file */
	const char *lowmem_zone;
	int lowmem_node;
	unsigned long lowmem_target, lowmem_free;
	bool lowmem_reached;
	const char *lowmem_stop;	/* why the last lowmem pin stopped */
	/* the last unmovable pin */
	unsigned int blocks;
	unsigned int last_block_order;
	const char *unmovable_stop;
};

static DEFINE_MUTEX(pin_lock);
static struct pin_state pins = { .pages = LIST_HEAD_INIT(pins.pages) };

unsigned long helper_pinned_pages(void)
{
	return READ_ONCE(pins.total);
}

static void pin_page(struct page *page)
{
	int node = page_to_nid(page);
	const char *zone = page_zone(page)->name;
	unsigned int i;

	list_add(&page->lru, &pins.pages);
	WRITE_ONCE(pins.total, pins.total + 1);
	for (i = 0; i < pins.places; i++) {
		if (pins.place[i].node == node && pins.place[i].zone == zone) {
			pins.place[i].pages++;
			return;
		}
	}
	if (pins.places < ARRAY_SIZE(pins.place))
		pins.place[pins.places++] = (struct pin_place){ node, zone, 1 };
}

static bool pin_interrupted(unsigned long n)
{
	if (n % 256)
		return false;
	cond_resched();
	return fatal_signal_pending(current);
}

/* Keep one page of each 2^break_order run of a split block, free the rest. */
static void pin_pattern(struct page *block, unsigned int order, unsigned int break_order,
			struct rnd_state *rnd)
{
	unsigned int run_len = 1U << break_order, runs = 1U << (order - break_order);
	unsigned int run, i, keep;

	split_page(block, order);
	for (run = 0; run < runs; run++) {
		keep = prandom_u32_state(rnd) & (run_len - 1);
		for (i = 0; i < run_len; i++) {
			struct page *page = block + run * run_len + i;

			if (i == keep)
				pin_page(page);
			else
				__free_page(page);
		}
	}
}

static int pin_unmovable(const struct helper_pin_params *p)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN;
	unsigned int order = p->block_order;
	struct rnd_state rnd;
	struct page *block;

	if (p->node != NUMA_NO_NODE)
		gfp |= __GFP_THISNODE;
	prandom_seed_state(&rnd, p->seed);
	pins.blocks = 0;
	pins.unmovable_stop = "blocks";
	/* Smaller blocks once the big ones are gone, so all memory is reached. */
	while (!p->blocks || pins.blocks < p->blocks) {
		if (!helper_may_hold(1UL << order)) {
			pins.unmovable_stop = "cap";
			break;
		}
		block = alloc_pages_node(p->node, gfp, order);
		if (!block) {
			pins.unmovable_stop = "no_block";	/* nothing of break_order left */
			if (order == p->break_order)
				break;
			order--;
			continue;
		}
		pin_pattern(block, order, p->break_order, &rnd);
		pins.blocks++;
		pins.last_block_order = order;
		if (pin_interrupted(pins.blocks << 8)) {
			pins.unmovable_stop = "signal";
			return -EINTR;
		}
	}
	return 0;
}

static struct zone *pin_find_zone(int node, const char *name)
{
	struct zone *best = NULL;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &NODE_DATA(node)->node_zones[i];

		if (!populated_zone(z))
			continue;
		if (*name) {
			if (!strcmp(z->name, name))
				return z;
		} else if (i <= ZONE_NORMAL) {
			best = z;	/* the highest lowmem zone */
		}
	}
	return best;
}

static int pin_lowmem(const struct helper_pin_params *p)
{
	int node = p->node == NUMA_NO_NODE ? numa_mem_id() : p->node;
	struct zone *zone = pin_find_zone(node, p->zone);
	unsigned long target, n = 0, misses = 0;
	gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN | __GFP_THISNODE;
	LIST_HEAD(spill);
	struct page *page, *tmp;
	int ret = 0;

	if (!zone || zone_idx(zone) > ZONE_NORMAL) {
		pr_warn_ratelimited("refused: node %d has no lowmem zone '%s'\n", node,
				    *p->zone ? p->zone : "(highest)");
		return -EINVAL;
	}
#ifdef CONFIG_ZONE_DMA
	if (zone_idx(zone) == ZONE_DMA)
		gfp |= __GFP_DMA;
#endif
#ifdef CONFIG_ZONE_DMA32
	if (zone_idx(zone) == ZONE_DMA32)
		gfp |= __GFP_DMA32;
#endif
	target = min_wmark_pages(zone) + (p->margin_kb >> (PAGE_SHIFT - 10));
	/*
	 * While the zone is above its low watermark the allocator may take
	 * pages from lower zones instead: hold those aside ("spill") until
	 * the target is reached, then give them back.
	 */
	pins.lowmem_stop = "reached";
	while (zone_page_state(zone, NR_FREE_PAGES) > target) {
		if (!helper_may_hold(1)) {
			pins.lowmem_stop = "cap";
			break;
		}
		if (misses > SPILL_MAX_MISSES) {
			pins.lowmem_stop = "other_zones";
			break;
		}
		page = alloc_pages_node(node, gfp, 0);
		if (!page) {
			pins.lowmem_stop = "no_page";
			break;
		}
		if (page_zone(page) == zone) {
			pin_page(page);
		} else {
			list_add(&page->lru, &spill);
			misses++;
		}
		if (pin_interrupted(++n)) {
			pins.lowmem_stop = "signal";
			ret = -EINTR;
			break;
		}
	}
	list_for_each_entry_safe(page, tmp, &spill, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	pins.lowmem_zone = zone->name;
	pins.lowmem_node = node;
	pins.lowmem_target = target;
	pins.lowmem_free = zone_page_state(zone, NR_FREE_PAGES);
	pins.lowmem_reached = pins.lowmem_free <= target;
	return ret;
}

int helper_pin(const struct helper_pin_params *p)
{
	int ret;

	mutex_lock(&pin_lock);
	ret = p->mode == PIN_UNMOVABLE ? pin_unmovable(p) : pin_lowmem(p);
	mutex_unlock(&pin_lock);
	return ret;
}

void helper_pin_release(void)
{
	struct page *page, *tmp;
	unsigned long n = 0;

	mutex_lock(&pin_lock);
	list_for_each_entry_safe(page, tmp, &pins.pages, lru) {
		list_del(&page->lru);
		__free_page(page);
		if (!(++n % 4096))
			cond_resched();
	}
	WRITE_ONCE(pins.total, 0);
	pins.places = 0;
	mutex_unlock(&pin_lock);
}

void helper_pin_show(struct seq_file *m)
{
	unsigned int i;

	mutex_lock(&pin_lock);
	seq_printf(m, "pinned_pages %lu\n", pins.total);
	for (i = 0; i < pins.places; i++)
		seq_printf(m, "pinned %d %s %lu\n", pins.place[i].node, pins.place[i].zone,
			   pins.place[i].pages);
	if (pins.unmovable_stop)
		seq_printf(m, "unmovable_blocks %u %u stop %s\n", pins.blocks,
			   pins.last_block_order, pins.unmovable_stop);
	if (pins.lowmem_zone)
		seq_printf(m, "lowmem %d %s target %lu free %lu reached %d stop %s\n",
			   pins.lowmem_node, pins.lowmem_zone, pins.lowmem_target, pins.lowmem_free,
			   pins.lowmem_reached, pins.lowmem_stop);
	mutex_unlock(&pin_lock);
}
