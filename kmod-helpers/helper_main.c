// SPDX-License-Identifier: GPL-2.0
/*
 * allocrepro_helper - drive page allocations from real kernel contexts.
 *
 * The field failures allocrepro reproduces come from drivers and the network
 * stack allocating high-order blocks in softirq, hardirq or with interrupts
 * off, where the allocator may neither reclaim nor compact.  Userspace cannot
 * allocate that way, so this module does it on command and counts what
 * happened.  Failures are not hidden: without __GFP_NOWARN the kernel prints
 * its own "page allocation failure" report, which allocrepro records.
 *
 * Interface (debugfs, root only):
 *   /sys/kernel/debug/allocrepro_helper/cmd    commands, see helper_cmd.c
 *   /sys/kernel/debug/allocrepro_helper/stats  counters, see helper_stats.c
 *
 * The helper must never be what crashes a machine: memory it may hold is
 * capped (max_hold_percent), time spent in atomic context per burst is
 * capped (max_atomic_us), and everything is freed on unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "helper.h"

#define HELPER_CMD_MAX	512

unsigned int helper_max_hold_percent = 75;
module_param_named(max_hold_percent, helper_max_hold_percent, uint, 0444);
MODULE_PARM_DESC(max_hold_percent,
		 "Refuse what could hold more than this share of RAM in all (1-95)");

unsigned int helper_max_atomic_us = 20000;
module_param_named(max_atomic_us, helper_max_atomic_us, uint, 0444);
MODULE_PARM_DESC(max_atomic_us,
		 "Longest time one burst may spend allocating (100-100000)");

static DEFINE_MUTEX(cmd_lock);		/* one command at a time */
static struct dentry *helper_dir;

unsigned long helper_hold_cap(void)
{
	return totalram_pages() / 100 * helper_max_hold_percent;
}

bool helper_may_hold(unsigned long pages)
{
	unsigned long held = helper_pinned_pages() + helper_run_reserved();

	return pages <= helper_hold_cap() && held <= helper_hold_cap() - pages;
}

/* Commands are text; anything else would end up garbled in the kernel log. */
static bool printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((s[i] < ' ' || s[i] > '~') && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			return false;
	return true;
}

static ssize_t cmd_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	bool wait;
	char *buf;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len == 0 || len >= HELPER_CMD_MAX) {
		pr_warn_ratelimited("refused: a command is 1 to %d bytes, not %zu\n",
				    HELPER_CMD_MAX - 1, len);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (!printable(buf, len)) {
		pr_warn_ratelimited("refused: a command holds a non-printable byte\n");
		kfree(buf);
		return -EINVAL;
	}
	if (!mutex_trylock(&cmd_lock)) {
		kfree(buf);
		return -EBUSY;
	}
	ret = helper_cmd_execute(buf, &wait);
	mutex_unlock(&cmd_lock);
	kfree(buf);
	if (!ret && wait)
		ret = helper_run_wait();
	return ret ? ret : len;
}

static int stats_show(struct seq_file *m, void *v)
{
	helper_stats_show(m, helper_run_active());
	return 0;
}

static int stats_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return single_open(file, stats_show, inode->i_private);
}

static const struct file_operations stats_fops = {
	.owner = THIS_MODULE,
	.open = stats_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations cmd_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = cmd_write,
};

static int __init helper_init(void)
{
	int ret;

	if (helper_max_hold_percent < 1 || helper_max_hold_percent > 95) {
		pr_err("max_hold_percent=%u: must be 1 to 95\n", helper_max_hold_percent);
		return -EINVAL;
	}
	if (helper_max_atomic_us < 100 || helper_max_atomic_us > 100000) {
		pr_err("max_atomic_us=%u: must be 100 to 100000\n", helper_max_atomic_us);
		return -EINVAL;
	}
	ret = helper_run_init();
	if (ret)
		return ret;
	helper_dir = debugfs_create_dir("allocrepro_helper", NULL);
	if (IS_ERR(helper_dir)) {
		helper_run_exit();
		return PTR_ERR(helper_dir);
	}
	debugfs_create_file("cmd", 0200, helper_dir, NULL, &cmd_fops);
	debugfs_create_file("stats", 0400, helper_dir, NULL, &stats_fops);
	return 0;
}

static void __exit helper_exit(void)
{
	/* No new commands; then stop a background run and free the pins. */
	debugfs_remove_recursive(helper_dir);
	helper_run_exit();
	helper_pin_release();
}

module_init(helper_init);
module_exit(helper_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("allocrepro: page allocations from chosen kernel contexts");
