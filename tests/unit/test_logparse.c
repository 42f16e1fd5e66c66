/* The log parser on real kernel text: a 6.1 report captured by the lab from
 * /dev/kmsg, and the seed logs from the field (tests/fixtures/seed-logs). */
#include "tap.h"
#include "parse/event.h"
#include "parse/kmsg.h"
#include "parse/logparse.h"
#include "util/util.h"

static void parse_file(const char *path, struct event_list *ev)
{
	size_t len, nlen;
	char *text = read_file(path, &len), *norm;

	ok(text != NULL, "read %s", path);
	if (!text)
		return;
	norm = kmsg_to_dmesg(text, len, &nlen);
	logparse_text(norm, nlen, ev);
	free(norm);
	free(text);
}

static void lab_61_report(void)
{
	struct event_list ev = { 0 };
	const struct event *e;
	const struct ev_zone *z;

	parse_file(fixture("TESTS", "fixtures/debian-6.1.0-56-amd64-atomic-order3.kmsg"), &ev);
	is_int(ev.n, 1, "6.1 kmsg: one event");
	if (ev.n != 1)
		return;
	e = &ev.v[0];
	is_str(ev_type_name(e->type), "alloc_failure", "6.1: type");
	is_str(e->comm, "swapper/0", "6.1: comm");
	is_int(e->pid, 0, "6.1: pid from the CPU banner");
	is_int(e->order, 3, "6.1: order");
	is_str(e->gfp_mask, "0xa20", "6.1: gfp_mask");
	is_str(e->gfp_flags, "GFP_ATOMIC", "6.1: gfp_flags");
	is_str(e->kernel, "6.1.0-56-amd64", "6.1: kernel release from the Tainted banner");
	is_str(e->nodemask, "(null)", "6.1: nodemask");
	is_str(e->cpuset, "/", "6.1: cpuset");
	is_str(e->mems_allowed, "0-1023", "6.1: mems_allowed");
	ok(e->in_irq, "6.1: <IRQ> in the trace");
	ok(e->time > 7.23 && e->time < 7.24, "6.1: kernel timestamp %.6f", e->time);
	is_int(e->nzones, 2, "6.1: two zones dumped");
	z = &e->zones[1];
	is_str(z->zone, "DMA32", "6.1: zone name");
	is_int(z->node, 0, "6.1: node");
	is_int(z->free_kb, 717444, "6.1: free_kb");
	is_int(z->min_kb, 44340, "6.1: min_kb");
	is_int(z->low_kb, 55424, "6.1: low_kb");
	is_int(z->high_kb, 66508, "6.1: high_kb (after boost:, not confused by it)");
	is_int(z->n_orders, 11, "6.1: eleven orders in the buddy line");
	is_int(z->buddy[2], 25623, "6.1: order-2 blocks");
	is_int(z->buddy[3], 0, "6.1: no order-3 block");
	is_str(z->migratetypes[0], "UM", "6.1: migratetype letters");
	is_int(e->zones[0].n_reserve, 5, "6.1: DMA lowmem_reserve has 5 entries");
	is_int(e->zones[0].lowmem_reserve[1], 945, "6.1: DMA lowmem_reserve[1]");
	is_str(e->zones[0].migratetypes[7], "UH", "6.1: HighAtomic letter");
	event_list_free(&ev);
}

static void seed000(void)
{
	struct event_list ev = { 0 };

	parse_file(fixture("SEEDLOGS", "seed000-x86_64-2.6.32-atomic-order3.log"), &ev);
	ok(ev.n >= 1, "seed000: at least one event (%zu)", ev.n);
	if (!ev.n)
		return;
	is_str(ev_type_name(ev.v[0].type), "alloc_failure", "seed000: type");
	is_int(ev.v[0].order, 3, "seed000: 2.6.32 '. order:3' wording");
	is_str(ev.v[0].gfp_mask, "0x20", "seed000: mode 0x20");
	is_str(ev.v[0].comm, "<programe name>", "seed000: comm behind a syslog prefix");
	event_list_free(&ev);
}

static void robustness(void)
{
	struct event_list ev = { 0 };
	static const char junk[] = "page allocation failure\n: page allocation failure: order:\n"
				   "x: page allocation failure: mode:0x\nNode 0 DMA32: 1*\n"
				   "lowmem_reserve[]: 1 2 3 4 5 6 7 8 9 10 11 12\n"
				   "Node 99999999999999999999 Normal free:-5kB\n";

	logparse_text(junk, sizeof(junk) - 1, &ev);
	ok(ev.n <= 2, "junk: parsed without crashing (%zu events)", ev.n);
	event_list_free(&ev);
}

int main(void)
{
	lab_61_report();
	seed000();
	robustness();
	return done_testing();
}
