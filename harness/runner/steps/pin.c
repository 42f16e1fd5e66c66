/*
 * - pin: unmovable    the helper module pins memory in an unmovable pattern
 *   node, blocks,     (one page kept per block of block_order, the rest freed
 *   block_order,      back below break_order) so that whole pageblocks turn
 *   break_order       unmovable and compaction cannot rebuild them
 * - pin: lowmem       or takes lowmem (DMA, DMA32, Normal) down to margin_kb
 *   node, zone,       above its min watermark: may starve the machine, so
 *   margin_kb         only on a lab machine
 * - release: pins     free what the pins hold
 */
#include "steps.h"
#include "parse/kmod_proto.h"
#include "runner/run.h"
#include "scenario/yaml_in.h"

#include <stdio.h>
#include <string.h>

struct pin_step {
	struct kmod_pin pin;
};
STEP_DATA_FITS(struct pin_step);

static int pin_pair(struct yctx *c, const char *key, yaml_node_t *v, void *obj)
{
	struct kmod_pin *p = obj;

	if (!strcmp(key, "pin"))
		return 0;
	if (!strcmp(key, "node"))
		return yindex(c, v, key, "local", 1023, &p->node);
	if (!p->lowmem) {
		if (!strcmp(key, "blocks"))
			return yuint(c, v, key, 0, 1 << 20, &p->blocks);
		if (!strcmp(key, "block_order"))
			return yuint(c, v, key, 1, KMOD_MAX_ORDER, &p->block_order);
		if (!strcmp(key, "break_order"))
			return yuint(c, v, key, 1, KMOD_MAX_ORDER, &p->break_order);
		return 1;
	}
	if (!strcmp(key, "zone")) {
		if (ystring(c, v, key, p->zone, sizeof(p->zone)))
			return -1;
		if (strcmp(p->zone, "DMA") && strcmp(p->zone, "DMA32") && strcmp(p->zone, "Normal"))
			return yfail(c, v, "zone: '%s' is not a lowmem zone (DMA, DMA32, Normal)",
				     p->zone);
		return 0;
	}
	if (!strcmp(key, "margin_kb"))
		return yuint(c, v, key, 0, 1u << 30, &p->margin_kb);
	return 1;
}

static int parse_pin(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	struct kmod_pin *p = &STEP_DATA(struct pin_step, st)->pin;
	yaml_node_t *kv = ystep_value(c, n);
	const char *mode = yscalar(kv);

	(void)sc;
	if (!mode || (strcmp(mode, "unmovable") && strcmp(mode, "lowmem")))
		return yfail(c, kv, "pin: expected 'unmovable' or 'lowmem'");
	*p = (struct kmod_pin){ .lowmem = !strcmp(mode, "lowmem"), .node = -1, .break_order = 3,
				.margin_kb = 0 };
	if (yeach_pair(c, n, "pin step", p->lowmem ? "pin, node, zone, margin_kb" :
		       "pin, node, blocks, block_order, break_order", pin_pair, p))
		return -1;
	if (p->block_order && p->break_order > p->block_order)
		return yfail(c, n, "pin: break_order %u is above block_order %u", p->break_order,
			     p->block_order);
	return 0;
}

static unsigned pin_needs(const struct scenario *sc, const struct sc_step *st)
{
	(void)sc;
	return STEP_NEEDS_KMOD | STEP_NEEDS_ROOT |
	       (STEP_DATA(const struct pin_step, st)->pin.lowmem ? STEP_NEEDS_LAB : 0);
}

static void run_pin(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	struct kmod_pin pin = STEP_DATA(const struct pin_step, st)->pin;
	char cmd[512];

	if (!run_ensure_kmod(s, rep, idx, "pin"))
		return;
	pin.seed = run_step_seed(s, rep, idx);
	kmod_pin_command(&pin, cmd, sizeof(cmd));
	run_kmod_phase(s, st, rep, idx, "pin", cmd);
}

const struct step_kind step_pin = {
	.key = "pin",
	.keys = "pin, node, blocks, block_order, break_order, zone, margin_kb",
	.parse = parse_pin,
	.needs = pin_needs,
	.run = run_pin,
};

static int parse_release(struct yctx *c, struct scenario *sc, yaml_node_t *n, struct sc_step *st)
{
	yaml_node_t *kv = ystep_value(c, n);
	const char *what = yscalar(kv);

	(void)sc;
	(void)st;
	if (!what || strcmp(what, "pins"))
		return yfail(c, kv, "release: expected 'pins'");
	return 0;
}

static unsigned release_needs(const struct scenario *sc, const struct sc_step *st)
{
	(void)sc;
	(void)st;
	return STEP_NEEDS_KMOD | STEP_NEEDS_ROOT;
}

static void run_release(struct run_state *s, const struct sc_step *st, int rep, int idx)
{
	if (run_ensure_kmod(s, rep, idx, "release"))
		run_kmod_phase(s, st, rep, idx, "release", "release\n");
}

const struct step_kind step_release = {
	.key = "release",
	.parse = parse_release,
	.needs = release_needs,
	.run = run_release,
};
