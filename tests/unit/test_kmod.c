/* The helper module's side of the harness on real text: its stats file as
 * read in a 6.1 guest, and the kernel's reports of allocations it made in
 * each context on 6.12 and on the 32-bit 6.1 PAE kernel. */
#include "tap.h"
#include "parse/event.h"
#include "parse/kmsg.h"
#include "parse/logparse.h"
#include "parse/logtrace.h"
#include "runner/probe_kmod.h"
#include "util/util.h"

static void stats_file(void)
{
	const char *path = fixture("TESTS", "fixtures/kmod/stats-6.1-hardirq-pins.txt");
	char *text = read_file(path, NULL), *cut;
	struct kmod_stats st;

	ok(text != NULL, "read %s", path);
	if (!text)
		return;
	ok(kmod_stats_parse(text, &st), "version 2 stats parse");
	is_int(st.attempts, 64, "attempts");
	is_int(st.successes, 64, "successes");
	is_int(st.failures, 0, "failures");
	is_int(st.bursts, 8, "bursts");
	is_int(st.first_failure_ns, -1, "no failure: first_failure_ns -1");
	is_int(st.held_max_pages, 256, "held at most 64 order-2 blocks");
	is_int(st.obs_hardirq, 64, "every attempt observed in hardirq");
	is_int(st.obs_task + st.obs_softirq + st.obs_irqoff, 0, "none elsewhere");
	is_int(st.nplaces, 1, "one (node, zone) place");
	is_str(st.places[0].zone, "DMA32", "place zone");
	is_int(st.places[0].pages, 256, "place pages");
	is_int(st.latency[13], 44, "latency bucket 2^13 ns");
	is_int(st.pinned_pages, 87750, "pinned pages");
	is_int(st.unmovable_blocks, 16, "unmovable blocks");
	is_str(st.unmovable_stop, "blocks", "unmovable pin stopped at its block count");
	ok(st.lowmem_seen && !st.lowmem_reached, "lowmem pin seen, target not reached");
	is_str(st.lowmem_zone, "DMA32", "lowmem zone");
	is_int(st.lowmem_target, 10891, "lowmem target");
	is_str(st.lowmem_stop, "cap", "lowmem pin stopped by the hold cap");

	/* a file without its version line, or cut short, is not accepted */
	ok(!kmod_stats_parse(strstr(text, "state"), &st), "no version line: refused");
	cut = strstr(text, "failures");
	if (cut) {
		*cut = '\0';
		ok(!kmod_stats_parse(text, &st), "cut before failures: refused");
	}
	ok(!kmod_stats_parse("", &st), "empty: refused");
	free(text);
}

static void commands(void)
{
	struct kmod_probe p = { .context = "hardirq", .gfp = "GFP_ATOMIC|__GFP_COMP", .order = 3,
				.count = 8, .burst = 2, .interval_us = 100, .cpu = 1, .node = -1,
				.free_immediately = true, .nowarn = true };
	struct kmod_pin pin = { .node = 0, .blocks = 0, .break_order = 4, .seed = 9 };
	char buf[512], bad[96];

	kmod_probe_command(&p, buf, sizeof(buf));
	is_str(buf, "run context=hardirq gfp=GFP_ATOMIC|__GFP_COMP order=3 count=8 burst=2 "
	       "interval_us=100 hold_ms=0 cpu=1 node=local free=immediate comp=0 nowarn=1 until_fail=0\n",
	       "probe command");
	kmod_pin_command(&pin, buf, sizeof(buf));
	is_str(buf, "pin mode=unmovable node=0 blocks=0 break_order=4 seed=9\n", "unmovable pin");
	pin = (struct kmod_pin){ .lowmem = true, .node = -1, .zone = "Normal", .margin_kb = 512 };
	kmod_pin_command(&pin, buf, sizeof(buf));
	is_str(buf, "pin mode=lowmem node=local margin_kb=512 zone=Normal\n", "lowmem pin");

	ok(kmod_gfp_valid("GFP_KERNEL|__GFP_NORETRY", bad, sizeof(bad)), "names joined by |");
	ok(kmod_gfp_valid("0xa20", bad, sizeof(bad)) && kmod_gfp_valid("820", bad, sizeof(bad)),
	   "hex masks");
	ok(!kmod_gfp_valid("GFP_ATOMIC|", bad, sizeof(bad)) && !strcmp(bad, ""), "empty term");
	ok(!kmod_gfp_valid("GFP_ATOMIC|GFP_ATOMCI", bad, sizeof(bad)) &&
	   !strcmp(bad, "GFP_ATOMCI"), "misspelt name named");
	ok(!kmod_gfp_valid("0x123456789", bad, sizeof(bad)), "more than 32 bits");
	ok(kmod_context_valid("workqueue") && !kmod_context_valid("irq"), "contexts");
}

static void frames(void)
{
	char fn[64];
	bool rel;

	ok(trace_frame(" helper_burst+0x8c/0x150 [allocrepro_helper]", fn, sizeof(fn), &rel) &&
	   !strcmp(fn, "helper_burst") && rel, "6.x frame with module");
	ok(trace_frame(" ? __alloc_pages_slowpath.constprop.0+0x5e6/0xd70", fn, sizeof(fn), &rel) &&
	   !strcmp(fn, "__alloc_pages_slowpath.constprop.0") && !rel, "unreliable frame");
	ok(trace_frame("[<ffffffff8112723a>] ? warn_alloc+0x67a/0x8c0", fn, sizeof(fn), &rel) &&
	   !strcmp(fn, "warn_alloc") && !rel, "2.6.32 frame");
	ok(!trace_frame("RIP: 0010:native_safe_halt+0xe/0x20", fn, sizeof(fn), &rel),
	   "a register line is no frame");
	is_str(trace_context("__hrtimer_run_queues"), "hardirq", "hrtimer: hardirq");
	is_str(trace_context("tasklet_action_common"), "softirq", "tasklet: softirq");
	is_str(trace_context("process_one_work"), "workqueue", "work item");
	ok(trace_is_allocator("__alloc_pages_noprof") && !trace_is_allocator("helper_burst"),
	   "allocator frames");
}

/* The six contexts, in the order of tests/scenarios/kmod-contexts.yaml. */
static void reports(const char *name, const char *mask, bool x86_64)
{
	static const char *const want[] = { "task", "task", "softirq", "softirq", "hardirq",
					    "workqueue" };
	struct event_list ev = { 0 };
	char *path = xasprintf("fixtures/kmod/contexts-%s.kmsg", name);
	size_t len, nlen;
	char *text = read_file(fixture("TESTS", path), &len), *norm;

	ok(text != NULL, "read %s", path);
	if (!text) {
		free(path);
		return;
	}
	norm = kmsg_to_dmesg(text, len, &nlen);
	logparse_text(norm, nlen, &ev);
	is_int(ev.n, 6, "one report per context");
	for (size_t i = 0; i < ev.n && i < 6; i++) {
		const struct event *e = &ev.v[i];

		ok(!strcmp(e->context, want[i]) && e->cpu == 1 && !strcmp(e->caller, "helper_burst") &&
		   e->order == 5 && !strcmp(e->gfp_mask, mask),
		   "%s report %zu: %s on CPU 1 from helper_burst, order 5, %s (got %s, %d, %s)",
		   name, i, want[i], mask, e->context, e->cpu, e->caller);
	}
	if (ev.n >= 6)
		is_str(ev.v[5].workqueue, "allocrepro_helper helper_work_fn [allocrepro_helper]",
		       "the work item's Workqueue line");
	/* x86_64 marks both interrupt stacks <IRQ>; i386 its softirq stack
	 * <SOFTIRQ> and its hardirq stack not at all */
	ok(ev.n >= 5 && ev.v[2].in_irq && ev.v[4].in_irq == x86_64 && !ev.v[0].in_irq,
	   "%s: interrupt stack markers where the architecture prints them", name);
	event_list_free(&ev);
	free(norm);
	free(text);
	free(path);
}

int main(void)
{
	stats_file();
	commands();
	frames();
	reports("debian-6.12", "0x820", true);
	reports("debian-6.1-pae", "0xa20", false);
	return done_testing();
}
