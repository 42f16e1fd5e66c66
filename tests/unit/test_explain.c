/* explain end to end on real log text: the seed cases from the field, a 6.1
 * report captured by the lab, excerpts in other eras' formats, and the same
 * real reports re-wrapped in every transport (mail, dmesg -T, journal,
 * /dev/kmsg, Android, wrapped lines, interleaving). */
#include "tap.h"
#include "model/diagnose.h"
#include "model/gfp.h"
#include "parse/logparse.h"
#include "parse/procfs_zone.h"
#include "util/util.h"

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char *t = read_file(fixture(dir, name), len);

	ok(t != NULL, "read %s", name);
	return t;
}

static void parse_fixture(const char *dir, const char *name, struct event_list *ev)
{
	size_t len;
	char *t = slurp(dir, name, &len);

	if (t)
		logparse_text(t, len, ev);
	free(t);
}

static const struct dg_zone *zone_of(const struct diagnosis *d, int node, const char *zone)
{
	for (int i = 0; i < d->nzones; i++)
		if (d->zones[i].node == node && !strcmp(d->zones[i].zone, zone))
			return &d->zones[i];
	return NULL;
}

static const char *verdict(const struct diagnosis *d, int node, const char *zone)
{
	const struct dg_zone *g = zone_of(d, node, zone);

	return g ? zone_verdict_name(g->verdict) : "(no zone)";
}

static void gfp_tables(void)
{
	char buf[256];
	unsigned long v = 0;
	struct kver k;

	struct {
		const char *rel;
		unsigned long mask;
		const char *want;
	} cases[] = {
		{ "2.6.32", 0x20, "GFP_ATOMIC" },
		{ "2.6.32", 0xd0, "GFP_KERNEL" },
		{ "3.14.24", 0x2084d0, "GFP_KERNEL|__GFP_REPEAT|__GFP_ZERO|__GFP_NOTRACK" },
		{ "4.12.14", 0x1082020, "GFP_ATOMIC|__GFP_MEMALLOC" },
		{ "4.15.0", 0x15000c0, "GFP_KERNEL_ACCOUNT" },
		{ "4.19.176", 0x484020, "GFP_ATOMIC|__GFP_COMP" },
		{ "5.4.0", 0x100cca, "GFP_HIGHUSER_MOVABLE" },
		{ "6.1.0", 0xa20, "GFP_ATOMIC" },
		{ "6.2.0", 0x40dc0, "GFP_KERNEL|__GFP_COMP|__GFP_ZERO" },
		{ "6.6.0", 0x820, "GFP_ATOMIC" },
		{ "6.6.0", 0xa20, "GFP_ATOMIC|0x200" },
		{ "4.4.0", 0x2080020, "GFP_ATOMIC" },
		{ "6.1.0", 0x140cca, "GFP_HIGHUSER_MOVABLE|__GFP_COMP" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ok(kver_parse(cases[i].rel, &k), "release %s parses", cases[i].rel);
		gfp_decode(gfp_era_of(&k), cases[i].mask, buf, sizeof(buf));
		is_str(buf, cases[i].want, cases[i].rel);
	}
	/* composites from the reference table, by era */
	k = (struct kver){ 4, 10, 0 };
	ok(gfp_value(gfp_era_of(&k), "GFP_KERNEL", &v) && v == 0x14000c0, "4.10 GFP_KERNEL 0x14000c0");
	k = (struct kver){ 4, 18, 0 };
	ok(gfp_value(gfp_era_of(&k), "GFP_NOWAIT", &v) && v == 0x400000, "4.18 GFP_NOWAIT 0x400000");
	k = (struct kver){ 2, 6, 32 };
	ok(gfp_value(gfp_era_of(&k), "GFP_HIGHUSER_MOVABLE", &v) && v == 0x200da,
	   "2.6.32 GFP_HIGHUSER_MOVABLE 0x200da");
	ok(!gfp_value(gfp_era_of(&k), "__GFP_ATOMIC", &v), "2.6.32 has no __GFP_ATOMIC");
	/* the era a log's printed names imply */
	is_int(gfp_era_from_names(0x484020, "GFP_ATOMIC|__GFP_COMP"), GFP_ERA_418, "names -> 4.18 era");
	is_int(gfp_era_from_names(0x820, "GFP_ATOMIC"), GFP_ERA_63, "0x820 GFP_ATOMIC -> 6.3+");
	is_int(gfp_era_from_names(0xa20, "GFP_ATOMIC"), GFP_ERA_52, "0xa20 GFP_ATOMIC -> 5.2-6.2");
	ok(!kver_parse("banana", &k) && !kver_parse("1.2", &k) && !kver_parse("", &k),
	   "non-releases are rejected");
}

static void model_arithmetic(void)
{
	struct wm_request r;
	struct wm_result res;
	struct kver k26 = { 2, 6, 32 }, k61 = { 6, 1, 0 }, k66 = { 6, 6, 0 };
	long nf[11] = { 40558, 1403, 1198, 5, 0, 0, 0, 0, 0, 0, 0 };
	char types[11][8] = { "UM", "UM", "UM", "C", "", "", "", "", "", "", "" };
	struct wm_zone z = { .free = 47749, .mark = 23872, .reserve = 0, .free_cma = -1,
			     .highatomic = -1, .n_orders = 11, .nr_free = nf, .types = NULL };

	/* seed000's Node 0 Normal by hand: ATOMIC min 23872 -> 11936 -> 8952;
	 * free 47742 - 40558 - 2806 - 4792 = -414 <= 8952 >> 3 = 1119 */
	wm_request_init(&r, &k26, 0x20, 3);
	ok((r.flags & WM_ALLOC_HIGH) && (r.flags & WM_ALLOC_HARDER), "2.6.32 GFP_ATOMIC: HIGH|HARDER");
	wm_check(&r, &z, &res);
	is_int(res.step, WM_FAIL_LOOP, "old check fails in the per-order loop");
	is_int(res.min, 8952, "min after HIGH and HARDER");
	is_int(res.fail_order, 2, "after removing order 0..2");
	is_int(res.loop_free, -414, "free left");
	is_int(res.loop_min, 1119, "min/8");
	/* the same zone under GFP_KERNEL passes the loop */
	wm_request_init(&r, &k26, 0xd0, 3);
	z.mark = 4000;
	wm_check(&r, &z, &res);
	is_int(res.step, WM_FAIL_LOOP, "GFP_KERNEL with min 4000 still fails at order 2");
	z.mark = 23872;
	/* 6.1: order-3 blocks only in CMA; an unmovable request may not use them */
	z.types = (const char (*)[8])types;
	z.free_cma = 40;
	wm_request_init(&r, &k61, 0xa20, 3);
	wm_check(&r, &z, &res);
	is_int(res.step, WM_FAIL_FREELIST, "6.1: free-list step decides");
	is_str(res.denied_types, "C", "CMA is the denied type");
	wm_request_init(&r, &k61, 0x140cca, 3);
	ok(r.flags & WM_ALLOC_CMA, "movable request gets ALLOC_CMA");
	wm_check(&r, &z, &res);
	is_int(res.step, WM_PASS, "movable request may take the CMA block");
	/* 6.3+: GFP_ATOMIC is 0x820 and earns NON_BLOCK + HIGHATOMIC */
	wm_request_init(&r, &k66, 0x820, 2);
	ok((r.flags & WM_ALLOC_HIGH) && (r.flags & WM_ALLOC_HARDER) && (r.flags & WM_ALLOC_HIGHATOMIC),
	   "6.6 GFP_ATOMIC order 2: MIN_RESERVE|NON_BLOCK|HIGHATOMIC");
	wm_request_init(&r, &k66, 0x800, 0);
	ok(!(r.flags & WM_ALLOC_HIGH) && (r.flags & WM_ALLOC_HARDER), "6.6 GFP_NOWAIT: NON_BLOCK only");
	/* threshold: where the check starts failing, by bisection */
	z.types = NULL;
	z.free_cma = -1;
	z.mark = -1;
	z.free = 48196;	/* the buddy line's own total */
	wm_request_init(&r, &k26, 0xd0, 3);
	{
		long thr = wm_fail_threshold(&r, &z);
		struct wm_zone t = z;

		ok(thr > 0, "threshold found (%ld pages)", thr);
		t.mark = thr - 1;
		wm_check(&r, &t, &res);
		is_int(res.step, WM_PASS, "passes just below the threshold");
		t.mark = thr;
		wm_check(&r, &t, &res);
		ok(res.step != WM_PASS, "fails at the threshold");
	}
}

static void seeds(void)
{
	struct event_list ev = { 0 };
	struct diagnosis d;
	const struct dg_zone *g;

	/* seed000: Node 0 Normal fails the per-order check */
	parse_fixture("SEEDLOGS", "seed000-x86_64-2.6.32-atomic-order3.log", &ev);
	is_int(ev.n, 1, "seed000: one report");
	if (ev.n) {
		diagnose(&ev.v[0], 0, NULL, &d);
		is_str(cause_name(d.cause), "high_order_watermark", "seed000: high_order_watermark");
		ok(d.first_zone >= 0 && d.zones[d.first_zone].node == 0 &&
		   !strcmp(d.zones[d.first_zone].zone, "Normal"), "seed000: decided in Node 0 Normal");
		g = zone_of(&d, 0, "Normal");
		ok(g && g->wm.fail_order == 2 && g->wm.loop_free == -414 && g->wm.loop_min == 1119,
		   "seed000: fails after order 0..2 are removed: -414 <= 1119");
		is_str(d.gfp_decoded, "GFP_ATOMIC", "seed000: 0x20 is GFP_ATOMIC");
		ok(zone_of(&d, 1, "Normal") && zone_of(&d, 1, "Normal")->threshold_kb > 0,
		   "seed000: Node 1 Normal (no watermarks) gets a threshold");
		ok(d.nmit > 0 && strstr(d.mit[0].action, "min_free_kbytes"),
		   "seed000: min_free_kbytes is the first mitigation");
	}
	event_list_free(&ev);

	/* seed001: no dump */
	parse_fixture("SEEDLOGS", "seed001-x86_64-2.6.32-softirq-atomic-order1.log", &ev);
	is_int(ev.n, 2, "seed001: two failure headers");
	if (ev.n == 2) {
		diagnose(&ev.v[1], 1, NULL, &d);
		is_str(cause_name(d.cause), "insufficient_data", "seed001: insufficient_data");
		ok(ev.v[1].in_irq, "seed001: in <IRQ>");
		is_str(ev.v[1].kernel, "2.6.32-358.2.1.el6.x86_64", "seed001: release from 'Pid:' banner");
		is_str(ev.v[1].comm, "swapper", "seed001: comm");
		is_str(ev.v[0].comm, "python2.6", "seed001: 'kernel: : [ts]' prefix stripped");
	}
	event_list_free(&ev);

	/* seed002: the numbers say the request could be served */
	parse_fixture("SEEDLOGS", "seed002-arm64-4.19-atomic-order3-cma.log", &ev);
	is_int(ev.n, 1, "seed002: one report");
	if (ev.n) {
		const struct ev_zone *z = &ev.v[0].zones[0];

		is_int(z->free_cma_kb, 321800, "seed002: free_cma parsed");
		is_int(ev.v[0].sum.free_cma, 80512, "seed002: summary free_cma (continuation line)");
		is_str(z->migratetypes[3], "UC", "seed002: order-3 letters behind an Android prefix");
		diagnose(&ev.v[0], 0, NULL, &d);
		is_str(cause_name(d.cause), "transient", "seed002: transient, not CMA-restricted");
		g = zone_of(&d, -1, "DMA32");
		ok(g && g->wm.pass_order == 3, "seed002: the order-3 Unmovable list serves it");
		ok(g && g->wm.free == 10072 && g->wm.min == 428, "seed002: 10072 free (CMA excluded) > min 428");
		ok(strstr(d.evidence, "modified") != NULL, "seed002: unequal watermark gaps noticed");
	}
	event_list_free(&ev);

	/* seed004: lowmem exhausted, HighMem not eligible */
	parse_fixture("SEEDLOGS", "seed004-i386-3.14-highmem-oom.log", &ev);
	is_int(ev.n, 1, "seed004: one report");
	if (ev.n) {
		const struct event *e = &ev.v[0];

		is_str(ev_type_name(e->type), "oom", "seed004: oom");
		is_int(e->victim.pid, 593, "seed004: victim pid from 'Killed process'");
		is_int(e->victim.anon_rss_kb, 2184, "seed004: victim anon-rss");
		is_int(e->n_tasks, 31, "seed004: task table rows");
		is_int(e->sum.highmem_pages, 296242, "seed004: HighMem pages");
		diagnose(e, 0, NULL, &d);
		is_str(cause_name(d.cause), "exhausted", "seed004: exhausted");
		is_str(verdict(&d, -1, "Normal"), "exhausted", "seed004: Normal below min");
		is_str(verdict(&d, -1, "DMA"), "exhausted", "seed004: DMA held back by lowmem_reserve");
		is_str(verdict(&d, -1, "HighMem"), "not_eligible", "seed004: HighMem not eligible");
		g = zone_of(&d, -1, "HighMem");
		ok(g && g->free_pages * 4 == 1155752, "seed004: HighMem's 1.1 GB free reported");
		int lr = 0;

		for (int i = 0; i < d.nmit; i++)
			lr |= strstr(d.mit[i].action, "lowmem_reserve_ratio") != NULL;
		ok(lr, "seed004: lowmem_reserve_ratio among the mitigations");
	}
	event_list_free(&ev);
}

static void seed003_buddyinfo(void)
{
	static const char *const snaps[] = {
		"seed003-buddyinfo-1-fragmented.txt",
		"seed003-buddyinfo-2-after-drop-caches.txt",
		"seed003-buddyinfo-3-after-compact-memory.txt",
	};
	static const char *const want[] = { "fragmented", "", "" };
	struct event_list ev = { 0 };

	parse_fixture("SEEDLOGS", "seed003-x86_64-2.6.32-xen-order4.log", &ev);
	is_int(ev.n, 1, "seed003: one report, no dump");
	if (!ev.n)
		return;
	for (int s = 0; s < 3; s++) {
		struct event e = ev.v[0];
		struct buddyinfo bi;
		struct diagnosis d;
		size_t len;
		char *t = slurp("SEEDLOGS", snaps[s], &len);

		if (!t)
			continue;
		ok(buddyinfo_parse(t, &bi), "%s parses", snaps[s]);
		free(t);
		buddyinfo_attach(&bi, &e);
		diagnose(&e, 0, NULL, &d);
		if (s == 0) {
			is_str(cause_name(d.cause), want[s], "seed003 first buddyinfo: fragmented");
			ok(zone_of(&d, 0, "Normal")->unusable > 0.99, "seed003: Normal unusable index > 0.99");
		} else {
			ok(d.cause != C_FRAGMENTED, "seed003 %s: no longer fragmented (%s)", snaps[s],
			   cause_name(d.cause));
		}
	}
	event_list_free(&ev);
}

static void lab_and_eras(void)
{
	struct event_list ev = { 0 };
	struct diagnosis d;

	parse_fixture("TESTS", "fixtures/debian-6.1.0-56-amd64-atomic-order3.kmsg", &ev);
	is_int(ev.n, 1, "lab 6.1 kmsg (raw /dev/kmsg records): one report");
	if (ev.n) {
		diagnose(&ev.v[0], 0, NULL, &d);
		is_str(cause_name(d.cause), "fragmented", "lab 6.1: fragmented (no order>=3 block)");
		is_str(d.kver_source, "log banner", "lab 6.1: version from the banner");
	}
	event_list_free(&ev);

	parse_fixture("TESTS", "fixtures/explain/v4.12-atomic-memalloc.log", &ev);
	if (ev.n == 1) {
		is_str(ev.v[0].cpuset, "/", "4.12: cpuset from its own line");
		diagnose(&ev.v[0], 0, NULL, &d);
		ok(d.req.flags & WM_ALLOC_NO_WATERMARKS, "4.12: __GFP_MEMALLOC skips watermarks");
		is_str(cause_name(d.cause), "exhausted", "4.12: nothing free at all");
	} else {
		ok(0, "4.12: one report (got %zu)", ev.n);
	}
	event_list_free(&ev);

	parse_fixture("TESTS", "fixtures/explain/v6.2-kernel-order7-cpuset.log", &ev);
	if (ev.n == 1) {
		is_str(ev.v[0].cpuset, "docker-5e1f0a9c.scope", "6.2: cpuset on the header line");
		is_int(ev.v[0].zones[1].highatomic_kb, 2048, "6.2: reserved_highatomic (KB)");
		is_int(ev.v[0].sum.free, 20467, "6.2: summary under dmesg -T");
		diagnose(&ev.v[0], 0, NULL, &d);
		is_str(cause_name(d.cause), "fragmented", "6.2: order-7 fragmented in DMA32");
		is_str(verdict(&d, 0, "DMA"), "exhausted", "6.2: DMA held back by lowmem_reserve");
	} else {
		ok(0, "6.2: one report (got %zu)", ev.n);
	}
	event_list_free(&ev);

	parse_fixture("TESTS", "fixtures/explain/v5.10-oom-global.log", &ev);
	if (ev.n == 1) {
		const struct event *e = &ev.v[0];

		is_str(e->constraint, "CONSTRAINT_NONE", "5.10: oom-kill summary");
		is_str(e->task_memcg, "/system.slice/postgresql@13-main.service", "5.10: task_memcg");
		is_int(e->victim.pid, 40202, "5.10: victim");
		is_int(e->victim.uid, 105, "5.10: victim UID");
		is_str(e->top_task, "postgres", "5.10: largest task");
		is_int(e->top_task_rss, 1950121, "5.10: its rss");
		diagnose(e, 0, NULL, &d);
		is_str(cause_name(d.cause), "exhausted", "5.10: exhausted");
		is_str(zone_type_name(d.req.highest), "Movable", "5.10: HIGHUSER_MOVABLE reaches Movable");
		ok(zone_of(&d, 0, "DMA32")->wm.reserve == 4966, "5.10: DMA32 reserve for the Movable index");
	} else {
		ok(0, "5.10: one report (got %zu)", ev.n);
	}
	event_list_free(&ev);

	parse_fixture("TESTS", "fixtures/explain/v5.15-memcg-oom.journal", &ev);
	if (ev.n == 1) {
		is_str(ev_type_name(ev.v[0].type), "memcg_oom", "5.15: memcg OOM");
		is_int(ev.v[0].memcg_limit_kb, 524288, "5.15: memcg limit");
		diagnose(&ev.v[0], 0, NULL, &d);
		is_str(cause_name(d.cause), "memcg_limit", "5.15: memcg_limit");
	} else {
		ok(0, "5.15: one report (got %zu)", ev.n);
	}
	event_list_free(&ev);

	parse_fixture("TESTS", "fixtures/explain/vmalloc-three-eras.log", &ev);
	is_int(ev.n, 3, "vmalloc: three reports");
	if (ev.n == 3) {
		is_int(ev.v[0].vm_size, 1052672, "3.x vmalloc size (own line, merged with the failure)");
		is_int(ev.v[0].order, 0, "3.x vmalloc: order from the failure line");
		is_int(ev.v[1].vm_size, 134217728, "4.9 vmalloc size");
		is_str(ev.v[2].vm_reason, "exceeds total pages", "6.1 vmalloc reason");
		is_str(ev_type_name(ev.v[2].type), "vmalloc_failure", "6.1: vmalloc_failure");
	}
	event_list_free(&ev);
}

/* The same real report in each transport must parse to the same event. */
static char *transform(const char *text, size_t len, int how)
{
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	const char *s = text, *end = text + len;
	int n = 0;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);
		/* seed004 lines are "Feb 2 04:10:01 ldr kernel: MSG" */
		const char *msg = strstr(s, "kernel: ");
		int ml = msg && msg < s + l ? (int)(l - (size_t)(msg + 8 - s)) : 0;

		msg = msg ? msg + 8 : s;
		switch (how) {
		case 0: fprintf(f, "> %.*s\n", (int)l, s); break;	/* mail */
		case 1: fprintf(f, "[Sun Feb  2 04:10:01 2020] %.*s\n", ml, msg); break;
		case 2: fprintf(f, "Feb 02 04:10:01 ldr kernel: %.*s\n", ml, msg); break;
		case 3: fprintf(f, "4,%d,%d,-,caller=T593;%.*s\n", 900 + n, 1000 * n, ml, msg); break;
		case 4: fprintf(f, "<4>[  601.%06d] (1)[593:python]%.*s\n", n, ml, msg); break;
		case 5:	/* a mail client wrapping long lines at 60 columns */
			if (ml > 60) {
				const char *cut = msg + 60;

				while (cut > msg && *cut != ' ')
					cut--;
				fprintf(f, "%.*s\n%.*s\n", (int)(cut - msg), msg,
					ml - (int)(cut + 1 - msg), cut + 1);
			} else {
				fprintf(f, "%.*s\n", ml, msg);
			}
			break;
		case 6:	/* another CPU's messages in between */
			fprintf(f, "[  601.%06d] %.*s\n[  601.%06d] e1000e: eth0 NIC Link is Up\n",
				n, ml, msg, n);
			break;
		}
		n++;
		s += l + 1;
	}
	fclose(f);
	return out;
}

static void transports(void)
{
	static const char *const names[] = {
		"mail quoting", "dmesg -T", "journalctl", "/dev/kmsg records",
		"Android prefix", "lines wrapped at 60 columns", "interleaved messages",
	};
	size_t len;
	char *t = slurp("SEEDLOGS", "seed004-i386-3.14-highmem-oom.log", &len);

	if (!t)
		return;
	for (int how = 0; how < 7; how++) {
		struct event_list ev = { 0 };
		char *x = transform(t, len, how);
		struct diagnosis d;

		logparse_text(x, strlen(x), &ev);
		if (getenv("DUMP_TRANSPORTS")) {
			char fn[64];
			FILE *df;

			snprintf(fn, sizeof(fn), "/tmp/transport-%d.log", how);
			df = fopen(fn, "w");
			if (df) {
				fputs(x, df);
				fclose(df);
			}
		}
		free(x);
		if (ev.n != 1) {
			ok(0, "%s: one report (got %zu)", names[how], ev.n);
			event_list_free(&ev);
			continue;
		}
		const struct event *e = &ev.v[0];

		ok(e->nzones == 3 && e->zones[2].n_orders == 11 && e->zones[2].buddy[10] == 121 &&
		   e->zones[1].min_kb == 3672 && e->victim.pid == 593 && e->order == 0 &&
		   !strcmp(e->gfp_mask, "0x2084d0") && !strcmp(e->kernel, "3.14.24-wt-ldr-TC"),
		   "%s: zones, buddy, victim, mode and kernel as in the original", names[how]);
		if (tap_failed)
			printf("#   nzones %d orders %d victim %ld order %d mode %s kernel %s\n",
			       e->nzones, e->nzones > 2 ? e->zones[2].n_orders : -1, e->victim.pid,
			       e->order, e->gfp_mask, e->kernel);
		diagnose(e, 0, NULL, &d);
		is_str(cause_name(d.cause), "exhausted", names[how]);
		event_list_free(&ev);
	}
	/* several reports in one file, in order */
	{
		struct event_list ev = { 0 };
		size_t l2;
		char *a = slurp("SEEDLOGS", "seed000-x86_64-2.6.32-atomic-order3.log", &l2);
		char *both = NULL;
		size_t blen = 0;
		FILE *f = open_memstream(&both, &blen);

		fprintf(f, "%s%s", t, a ? a : "");
		fclose(f);
		logparse_text(both, blen, &ev);
		ok(ev.n == 2 && ev.v[0].type == EV_OOM && ev.v[1].type == EV_ALLOC_FAILURE,
		   "two reports in one file come out in order");
		free(a);
		free(both);
		event_list_free(&ev);
	}
	free(t);
}

static void malformed(void)
{
	struct event_list ev = { 0 };
	struct diagnosis d;
	static const char absurd[] =
		"x: page allocation failure: order:99999, mode:0xffffffffffffffffff\n"
		"Node 99999999999 Normal free:-5kB min:99999999999999999999kB low:1kB high:1kB\n"
		"lowmem_reserve[]: 1 2 3 4 5 6 7 8 9 10 11 12 13 14\n"
		"Normal: 99999999999999*4kB 1*8kB (UMEHCIXYZWQ) = 1kB\n"
		"Normal: 1*4kB 2*\n"
		"y invoked oom-killer: gfp_mask=0x, order=-7\n"
		"Killed process (\n";
	char bin[4096];

	logparse_text(absurd, sizeof(absurd) - 1, &ev);
	ok(ev.n == 2, "absurd numbers: still two reports, no crash (%zu)", ev.n);
	for (size_t i = 0; i < ev.n; i++)
		diagnose(&ev.v[i], i, NULL, &d);
	ok(1, "absurd numbers diagnosed without a crash");
	event_list_free(&ev);
	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (char)((i * 2654435761u) >> 13);
	logparse_text(bin, sizeof(bin), &ev);
	ok(1, "binary data parsed without a crash (%zu events)", ev.n);
	event_list_free(&ev);
}

int main(void)
{
	gfp_tables();
	model_arithmetic();
	seeds();
	seed003_buddyinfo();
	lab_and_eras();
	transports();
	malformed();
	return done_testing();
}
