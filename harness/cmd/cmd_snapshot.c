/*
 * allocrepro snapshot [--json]: this machine's zones now, through the same
 * watermark model as explain: per zone and order, would GFP_ATOMIC,
 * GFP_KERNEL and GFP_HIGHUSER_MOVABLE pass the slow path's min check.
 */
#include "cli.h"
#include "model/diagnose.h"
#include "parse/procfs_zone.h"
#include "util/util.h"

#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static const char *const classes[] = { "GFP_ATOMIC", "GFP_KERNEL", "GFP_HIGHUSER_MOVABLE" };
#define NCLASS 3

/* ok[c][z][o]: class c passes in zone z at order o; verdict names kept too */
struct snap {
	struct event e;
	struct kver kv;
	int norders;
	int verdict[NCLASS][EV_MAX_ZONES][EV_MAX_ORDERS];
};

static int load(struct snap *s)
{
	struct utsname u;
	size_t len;
	char *zi, *pt;
	long pk = sysconf(_SC_PAGESIZE) / 1024;

	event_init(&s->e, EV_ALLOC_FAILURE);
	uname(&u);
	snprintf(s->e.kernel, sizeof(s->e.kernel), "%s", u.release);
	kver_parse(u.release, &s->kv);
	zi = read_file(getenv("ALLOCREPRO_ZONEINFO") ? getenv("ALLOCREPRO_ZONEINFO") :
		       "/proc/zoneinfo", &len);
	if (!zi) {
		log_msg("/proc/zoneinfo: cannot read: %s", strerror(errno));
		return -1;
	}
	zoneinfo_parse(zi, pk > 0 ? (int)pk : 4, &s->e);
	free(zi);
	/* pagetypeinfo is root-only from 5.4; without it there are no letters */
	pt = read_file(getenv("ALLOCREPRO_PAGETYPEINFO") ? getenv("ALLOCREPRO_PAGETYPEINFO") :
		       "/proc/pagetypeinfo", &len);
	if (pt) {
		pagetypeinfo_parse(pt, &s->e);
		free(pt);
	}
	if (s->e.nzones == 0) {
		log_msg("/proc/zoneinfo: no zone with managed pages");
		return -1;
	}
	s->norders = 0;
	for (int z = 0; z < s->e.nzones; z++)
		if (s->e.zones[z].n_orders > s->norders)
			s->norders = s->e.zones[z].n_orders;
	return 0;
}

static void model(struct snap *s)
{
	static struct diagnosis d;
	enum gfp_era era = gfp_era_of(&s->kv);

	for (int c = 0; c < NCLASS; c++) {
		unsigned long v = 0;

		gfp_value(era, classes[c], &v);
		snprintf(s->e.gfp_mask, sizeof(s->e.gfp_mask), "%#lx", v);
		for (int o = 0; o < s->norders; o++) {
			s->e.order = o;
			diagnose(&s->e, 0, &s->kv, &d);
			for (int z = 0; z < d.nzones; z++)
				s->verdict[c][z][o] = d.zones[z].verdict;
		}
	}
}

static char mark(int v)
{
	switch (v) {
	case ZV_PASS: return '+';
	case ZV_NOT_ELIGIBLE: return ' ';
	case C_EXHAUSTED: return 'x';
	case C_HIGH_ORDER_WATERMARK: return 'w';
	case C_FRAGMENTED: return 'f';
	case C_MIGRATETYPE_RESTRICTED: return 'r';
	default: return '?';
	}
}

static void print_text(const struct snap *s)
{
	printf("kernel %s; %s watermark check at min (the slow path)\n", s->e.kernel,
	       wm_new_algorithm(&s->kv) ? "free-list (4.4+)" : "per-order loop (<=4.3)");
	printf("+ pass  x exhausted  w high-order watermark  f fragmented  r migratetype\n");
	for (int z = 0; z < s->e.nzones; z++) {
		const struct ev_zone *ez = &s->e.zones[z];

		printf("\nNode %d %-8s free %ld kB  min %ld  low %ld  high %ld kB\n", ez->node,
		       ez->zone, ez->free_kb, ez->min_kb, ez->low_kb, ez->high_kb);
		printf("  %-22s", "order");
		for (int o = 0; o < s->norders; o++)
			printf("%6d", o);
		printf("\n  %-22s", "free blocks");
		for (int o = 0; o < s->norders; o++)
			if (o < ez->n_orders)
				printf("%6ld", ez->buddy[o] > 99999 ? 99999 : ez->buddy[o]);
			else
				printf("%6s", "-");
		printf("\n");
		for (int c = 0; c < NCLASS; c++) {
			printf("  %-22s", classes[c]);
			for (int o = 0; o < s->norders; o++)
				printf("     %c", mark(s->verdict[c][z][o]));
			printf("\n");
		}
	}
}

static void print_json(const struct snap *s)
{
	json_object *o = json_object_new_object(), *zs = json_object_new_array();

	json_object_object_add(o, "kernel", json_object_new_string(s->e.kernel));
	json_object_object_add(o, "watermark", json_object_new_string("min"));
	for (int z = 0; z < s->e.nzones; z++) {
		const struct ev_zone *ez = &s->e.zones[z];
		json_object *j = json_object_new_object(), *b = json_object_new_array();
		json_object *m = json_object_new_array(), *pass = json_object_new_object();
		json_object *verd = json_object_new_object();

		json_object_object_add(j, "node", json_object_new_int(ez->node));
		json_object_object_add(j, "zone", json_object_new_string(ez->zone));
		json_object_object_add(j, "free_kb", json_object_new_int64(ez->free_kb));
		json_object_object_add(j, "min_kb", json_object_new_int64(ez->min_kb));
		json_object_object_add(j, "low_kb", json_object_new_int64(ez->low_kb));
		json_object_object_add(j, "high_kb", json_object_new_int64(ez->high_kb));
		json_object_object_add(j, "managed_kb", json_object_new_int64(ez->managed_kb));
		for (int k = 0; k < ez->n_orders; k++) {
			json_object_array_add(b, json_object_new_int64(ez->buddy[k]));
			json_object_array_add(m, json_object_new_string(ez->migratetypes[k]));
		}
		json_object_object_add(j, "buddy", b);
		json_object_object_add(j, "migratetypes", m);
		for (int c = 0; c < NCLASS; c++) {
			json_object *pa = json_object_new_array(), *va = json_object_new_array();

			for (int k = 0; k < s->norders; k++) {
				json_object_array_add(pa, json_object_new_boolean(
					s->verdict[c][z][k] == ZV_PASS));
				json_object_array_add(va, json_object_new_string(
					zone_verdict_name(s->verdict[c][z][k])));
			}
			json_object_object_add(pass, classes[c], pa);
			json_object_object_add(verd, classes[c], va);
		}
		json_object_object_add(j, "pass", pass);
		json_object_object_add(j, "verdict", verd);
		json_object_array_add(zs, j);
	}
	json_object_object_add(o, "zones", zs);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
}

int cmd_snapshot(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct snap s;
	bool json = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'j') {
			json = true;
		} else {
			fputs("usage: allocrepro snapshot [--json]\n", c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : EXIT_USAGE;
		}
	}
	if (optind < argc) {
		log_msg("snapshot: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	memset(&s, 0, sizeof(s));
	if (load(&s) < 0)
		return EXIT_INFRA;
	model(&s);
	if (json)
		print_json(&s);
	else
		print_text(&s);
	return 0;
}
