// SPDX-License-Identifier: GPL-2.0
/*
 * Commands written to debugfs "cmd", one per write:
 *
 *   run   KEY=VALUE...   a run; the write returns when it is over
 *   start KEY=VALUE...   a run in the background ("stop" ends it)
 *   stop                 stop the background run, wait for it to end
 *   pin   mode=unmovable|lowmem KEY=VALUE...
 *   release              free everything pinned
 *   reset                zero the counters
 *
 * Commands are serialized; a "run" waits outside the lock, so "stop" from
 * another writer, or a fatal signal to the writer, ends it.
 *
 * Run keys: context gfp order count burst interval_us hold_ms repeat cpu
 * node free comp nowarn until_fail.  Pin keys: mode node blocks block_order
 * break_order seed zone margin_kb.  Anything else, or a value out of
 * range, is refused with -EINVAL and a line in the kernel log naming it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/string.h>
#include "helper.h"

static int parse_uint(const char *val, unsigned int lo, unsigned int hi, unsigned int *out)
{
	unsigned int v;

	if (kstrtouint(val, 10, &v) || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_node(const char *val, int *node)
{
	unsigned int v;

	if (!strcmp(val, "local")) {
		*node = NUMA_NO_NODE;
		return 0;
	}
	if (kstrtouint(val, 10, &v) || v >= MAX_NUMNODES || !node_online(v))
		return -EINVAL;
	*node = v;
	return 0;
}

static int parse_cpu(const char *val, int *cpu)
{
	unsigned int v;

	if (!strcmp(val, "any")) {
		*cpu = -1;
		return 0;
	}
	if (kstrtouint(val, 10, &v) || v >= nr_cpu_ids || !cpu_online(v))
		return -EINVAL;
	*cpu = v;
	return 0;
}

/* kstrtobool() reads only the first characters ("yesplease" is true). */
static int parse_bool(const char *val, bool *out)
{
	static const char * const yes[] = { "1", "y", "yes", "true", "on" };
	static const char * const no[] = { "0", "n", "no", "false", "off" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(val, yes[i]) || !strcmp(val, no[i])) {
			*out = !strcmp(val, yes[i]);
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_context(const char *val, enum helper_context *ctx)
{
	unsigned int i;

	for (i = 0; i < CTX_NR; i++) {
		if (!strcmp(val, helper_ctx_names[i])) {
			*ctx = i;
			return 0;
		}
	}
	return -EINVAL;
}

struct run_keys {
	struct helper_params p;
	bool comp, nowarn;
};

static int run_key(struct run_keys *k, const char *key, const char *val)
{
	struct helper_params *p = &k->p;

	if (!strcmp(key, "context"))
		return parse_context(val, &p->ctx);
	if (!strcmp(key, "gfp"))
		return helper_gfp_parse(val, &p->gfp);
	if (!strcmp(key, "order"))
		return parse_uint(val, 0, HELPER_MAX_ORDER, &p->order);
	if (!strcmp(key, "count"))
		return parse_uint(val, 1, HELPER_MAX_COUNT, &p->count);
	if (!strcmp(key, "burst"))
		return parse_uint(val, 1, HELPER_MAX_BURST, &p->burst);
	if (!strcmp(key, "interval_us"))
		return parse_uint(val, 0, HELPER_MAX_INTERVAL_US, &p->interval_us);
	if (!strcmp(key, "hold_ms"))
		return parse_uint(val, 0, HELPER_MAX_HOLD_MS, &p->hold_ms);
	if (!strcmp(key, "repeat"))
		return parse_uint(val, 0, HELPER_MAX_REPEAT, &p->repeat);
	if (!strcmp(key, "cpu"))
		return parse_cpu(val, &p->cpu);
	if (!strcmp(key, "node"))
		return parse_node(val, &p->node);
	if (!strcmp(key, "free")) {
		if (strcmp(val, "end") && strcmp(val, "immediate"))
			return -EINVAL;
		p->free_immediately = !strcmp(val, "immediate");
		return 0;
	}
	if (!strcmp(key, "comp"))
		return parse_bool(val, &k->comp);
	if (!strcmp(key, "nowarn"))
		return parse_bool(val, &k->nowarn);
	if (!strcmp(key, "until_fail"))
		return parse_bool(val, &p->until_fail);
	return -ENOENT;
}

static int pin_key(struct helper_pin_params *p, const char *key, const char *val)
{
	unsigned int kb;

	if (!strcmp(key, "mode")) {
		if (!strcmp(val, "unmovable"))
			p->mode = PIN_UNMOVABLE;
		else if (!strcmp(val, "lowmem"))
			p->mode = PIN_LOWMEM;
		else
			return -EINVAL;
		return 0;
	}
	if (!strcmp(key, "node"))
		return parse_node(val, &p->node);
	if (!strcmp(key, "blocks"))
		return parse_uint(val, 0, HELPER_MAX_COUNT, &p->blocks);
	if (!strcmp(key, "block_order"))
		return parse_uint(val, 1, HELPER_MAX_ORDER, &p->block_order);
	if (!strcmp(key, "break_order"))
		return parse_uint(val, 1, HELPER_MAX_ORDER, &p->break_order);
	if (!strcmp(key, "seed"))
		return kstrtou64(val, 10, &p->seed);
	if (!strcmp(key, "zone")) {
		if (strscpy(p->zone, val, sizeof(p->zone)) < 0)
			return -EINVAL;
		return 0;
	}
	if (!strcmp(key, "margin_kb")) {
		if (parse_uint(val, 0, 1U << 30, &kb))
			return -EINVAL;
		p->margin_kb = kb;
		return 0;
	}
	return -ENOENT;
}

/* Split "key=value" tokens and hand them to @fn; log what is refused. */
static int each_key(char *buf, int (*fn)(void *obj, const char *key, const char *val),
		    void *obj)
{
	char *tok, *val;
	int ret;

	while ((tok = strsep(&buf, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		val = strchr(tok, '=');
		if (!val || val == tok) {
			pr_warn_ratelimited("refused: '%.32s' is not key=value\n", tok);
			return -EINVAL;
		}
		*val++ = '\0';
		ret = fn(obj, tok, val);
		if (ret == -ENOENT) {
			pr_warn_ratelimited("refused: unknown key '%.32s'\n", tok);
			return -EINVAL;
		}
		if (ret) {
			pr_warn_ratelimited("refused: bad value '%.32s' for '%s'\n", val, tok);
			return -EINVAL;
		}
	}
	return 0;
}

static int run_key_cb(void *obj, const char *key, const char *val)
{
	return run_key(obj, key, val);
}

static int pin_key_cb(void *obj, const char *key, const char *val)
{
	return pin_key(obj, key, val);
}

static int cmd_run(char *args, bool wait)
{
	struct run_keys k = {
		.p = { .ctx = CTX_PROCESS, .gfp = GFP_ATOMIC, .count = 1, .burst = 1,
		       .repeat = 1, .cpu = -1, .node = NUMA_NO_NODE },
	};
	int ret = each_key(args, run_key_cb, &k);

	if (ret)
		return ret;
	if (k.comp)
		k.p.gfp |= __GFP_COMP;
	if (k.nowarn)
		k.p.gfp |= __GFP_NOWARN;
	if (wait && !k.p.repeat) {
		pr_warn_ratelimited("refused: repeat=0 (until stopped) needs 'start', not 'run'\n");
		return -EINVAL;
	}
	ret = helper_gfp_check(&k.p);
	if (ret)
		return ret;
	return helper_run_start(&k.p);
}

static int cmd_pin(char *args)
{
	struct helper_pin_params p = {
		.mode = PIN_UNMOVABLE, .node = NUMA_NO_NODE, .block_order = pageblock_order,
		.break_order = 3, .seed = 1,
	};
	int ret = each_key(args, pin_key_cb, &p);

	if (ret)
		return ret;
	if (p.break_order > p.block_order) {
		pr_warn_ratelimited("refused: break_order %u above block_order %u\n",
				    p.break_order, p.block_order);
		return -EINVAL;
	}
	return helper_pin(&p);
}

static bool no_args(const char *verb, const char *args)
{
	if (args && args[strspn(args, " \t\n")]) {
		pr_warn_ratelimited("refused: '%s' takes no arguments\n", verb);
		return false;
	}
	return true;
}

/* Called with commands serialized; *wait: the caller waits for the run. */
int helper_cmd_execute(char *buf, bool *wait)
{
	char *verb;

	*wait = false;
	buf = skip_spaces(buf);
	verb = strsep(&buf, " \t\n");
	if (!strcmp(verb, "run")) {
		*wait = true;
		return cmd_run(buf, true);
	}
	if (!strcmp(verb, "start"))
		return cmd_run(buf, false);
	if (!strcmp(verb, "pin"))
		return cmd_pin(buf);
	if (!strcmp(verb, "stop") && no_args(verb, buf)) {
		helper_run_stop();
		return 0;
	}
	if (!strcmp(verb, "release") && no_args(verb, buf)) {
		helper_pin_release();
		return 0;
	}
	if (!strcmp(verb, "reset") && no_args(verb, buf)) {
		if (helper_run_active())
			return -EBUSY;
		helper_stats_reset();
		return 0;
	}
	if (strcmp(verb, "stop") && strcmp(verb, "release") && strcmp(verb, "reset"))
		pr_warn_ratelimited("refused: unknown command '%.32s'\n", verb);
	return -EINVAL;
}
