#include "report_plots.h"
#include "plot.h"
#include "parse/procfs.h"
#include "util/jget.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ZONES 8
#define ORDERS 11

struct zone_id {
	int node;
	char zone[16];
};

/* A plot being written: gnuplot's script in memory. */
struct script {
	char *text;
	size_t len;
	FILE *f;
};

static double sample_t(json_object *s, double t0)
{
	return jget_num(s, "t", 0) - t0;
}

/* The run's time origin: its first sample or phase. */
static double origin(const struct run_data *rd)
{
	double t0 = 1e18;

	if (jlen(rd->samples))
		t0 = jget_num(json_object_array_get_idx(rd->samples, 0), "t", t0);
	for (size_t i = 0; i < jlen(rd->phases); i++) {
		double t = jget_num(json_object_array_get_idx(rd->phases, i), "t_start_s", t0);

		if (t > 0 && t < t0)
			t0 = t;
	}
	return t0 < 1e18 ? t0 : 0;
}

/* The zones to plot: those of the first sample, DMA left out when there
 * are others (16 MiB that no request of interest uses). */
static int zones_of(const struct run_data *rd, struct zone_id *z)
{
	json_object *zs = json_object_object_get(json_object_array_get_idx(rd->samples, 0), "zones");
	int n = 0;
	size_t all = jlen(zs);

	for (size_t i = 0; i < all && n < MAX_ZONES; i++) {
		json_object *o = json_object_array_get_idx(zs, i);
		const char *name = jget_str(o, "zone");

		if (!name || (!strcmp(name, "DMA") && all > 1))
			continue;
		z[n].node = (int)jget_int(o, "node", 0);
		snprintf(z[n].zone, sizeof(z[n].zone), "%s", name);
		n++;
	}
	return n;
}

static json_object *zone_in(json_object *sample, const struct zone_id *z)
{
	json_object *zs = json_object_object_get(sample, "zones");

	for (size_t i = 0; i < jlen(zs); i++) {
		json_object *o = json_object_array_get_idx(zs, i);

		if (jget_int(o, "node", -1) == z->node && !strcmp(jget_str(o, "zone"), z->zone))
			return o;
	}
	return NULL;
}

/* Vertical lines where phases began and ended, labelled at the top. */
static void markers(FILE *f, json_object *phases, double t0)
{
	static const char *const kinds[][3] = {
		{ "workload", "workload", "target" }, { "probe", "probe", "probe end" },
		{ "actions", "mitigation", "" }, { "fork", "fork", "" },
		{ "repetition_end", "rep end", "" }, { "pin", "pin", "" },
	};

	for (size_t i = 0; i < jlen(phases); i++) {
		json_object *p = json_object_array_get_idx(phases, i);
		const char *kind = jget_str(p, "kind");

		for (size_t k = 0; kind && k < ARRAY_LEN(kinds); k++) {
			if (strcmp(kind, kinds[k][0]))
				continue;
			for (int e = 0; e < 2; e++) {
				double t = jget_num(p, e ? "t_end_s" : "t_start_s", 0) - t0;

				if (!kinds[k][1 + e][0] || t < 0)
					continue;
				fprintf(f, "set arrow from %.3f, graph 0 to %.3f, graph 1 nohead "
					"dt 3 lc rgb '#999999' back\n", t, t);
				fprintf(f, "set label '%s' at %.3f, graph 0.98 rotate by 90 right "
					"font ',8' tc rgb '#666666'\n", kinds[k][1 + e], t);
			}
		}
	}
}

static void begin(struct script *s, const struct run_data *rd, double t0, const char *title,
		  const char *ylabel)
{
	s->text = NULL;
	s->f = open_memstream(&s->text, &s->len);
	fprintf(s->f, "set terminal svg size 900,280 dynamic font 'sans,10' background 'white'\n"
		"set title \"%s\"\nset xlabel 'seconds'\nset ylabel \"%s\"\nset grid\n"
		"set key outside right top\nset xrange [0:*]\n", title, ylabel);
	markers(s->f, rd->phases, t0);
}

/* Run it; the plot is kept in out when gnuplot drew it. */
static int finish(struct script *s, const char *title, const char *prefix, int idx,
		  struct report_plot *out, int *n, char *err, size_t errlen)
{
	char pre[64];
	char *svg;

	fclose(s->f);
	snprintf(pre, sizeof(pre), "%s%d_", prefix, idx);
	svg = plot_svg(s->text, pre, err, errlen);
	free(s->text);
	if (!svg)
		return -1;
	snprintf(out[*n].title, sizeof(out[*n].title), "%s", title);
	out[(*n)++].svg = svg;
	return 0;
}

/* Free memory against the watermarks, MB. */
static void free_script(FILE *f, const struct run_data *rd, const struct zone_id *z, double t0)
{
	fprintf(f, "$d << EOD\n");
	for (size_t i = 0; i < jlen(rd->samples); i++) {
		json_object *s = json_object_array_get_idx(rd->samples, i), *o = zone_in(s, z);

		if (o)
			fprintf(f, "%.3f %.2f %.2f %.2f %.2f\n", sample_t(s, t0),
				(double)jget_int(o, "free_kb", 0) / 1024,
				(double)jget_int(o, "min_kb", 0) / 1024,
				(double)jget_int(o, "low_kb", 0) / 1024,
				(double)jget_int(o, "high_kb", 0) / 1024);
	}
	fprintf(f, "EOD\nset yrange [0:*]\nplot $d u 1:2 w l lw 2 lc rgb '#1f77b4' t 'free', "
		"'' u 1:3 w l dt 2 lc rgb '#d62728' t 'min', '' u 1:4 w l dt 2 lc rgb '#ff7f0e' "
		"t 'low', '' u 1:5 w l dt 2 lc rgb '#2ca02c' t 'high'\n");
}

/* Free memory by the order of its blocks, stacked, MB: the high orders
 * vanishing is fragmentation. */
static void orders_script(FILE *f, const struct run_data *rd, const struct zone_id *z, double t0)
{
	fprintf(f, "$d << EOD\n");
	for (size_t i = 0; i < jlen(rd->samples); i++) {
		json_object *s = json_object_array_get_idx(rd->samples, i), *o = zone_in(s, z);
		json_object *b = o ? json_object_object_get(o, "buddy") : NULL;
		double cum = 0;

		if (!b)
			continue;
		fprintf(f, "%.3f", sample_t(s, t0));
		for (int k = 0; k < ORDERS; k++) {
			json_object *c = json_object_array_get_idx(b, (size_t)k);

			cum += c ? (double)json_object_get_int64(c) * (double)(4 << k) / 1024 : 0;
			fprintf(f, " %.3f", cum);
		}
		fputc('\n', f);
	}
	fprintf(f, "EOD\nset yrange [0:*]\nset style fill solid 0.85 noborder\n"
		"set palette defined (0 '#fde725', 0.5 '#21918c', 1 '#440154')\nunset colorbox\n"
		"plot for [k=%d:1:-1] $d u 1:(column(k+1)) w filledcurves x1 "
		"lc palette frac (k-1)/%d.0 t sprintf('order %%d', k-1)\n", ORDERS, ORDERS - 1);
}

/* The unusable free space index at the probe's order, per zone. */
static void unusable_script(FILE *f, const struct run_data *rd, const struct zone_id *z, int nz,
			    int order, double t0)
{
	for (int j = 0; j < nz; j++) {
		fprintf(f, "$z%d << EOD\n", j);
		for (size_t i = 0; i < jlen(rd->samples); i++) {
			json_object *s = json_object_array_get_idx(rd->samples, i);
			json_object *o = zone_in(s, &z[j]), *b = o ? json_object_object_get(o, "buddy")
								    : NULL;
			unsigned long nr[ORDERS] = { 0 };
			int n = b ? (int)jlen(b) : 0;

			for (int k = 0; k < n && k < ORDERS; k++)
				nr[k] = (unsigned long)json_object_get_int64(
					json_object_array_get_idx(b, (size_t)k));
			if (n)
				fprintf(f, "%.3f %.4f\n", sample_t(s, t0),
					unusable_index(nr, n < ORDERS ? n : ORDERS, order));
		}
		fprintf(f, "EOD\n");
	}
	fprintf(f, "set yrange [0:1.05]\nplot");
	for (int j = 0; j < nz; j++)
		fprintf(f, "%s $z%d u 1:2 w l lw 2 t 'Node %d %s'", j ? "," : "", j, z[j].node,
			z[j].zone);
	fputc('\n', f);
}

/* A counter's rate per second between samples (a reset counts from 0). */
static double rate(json_object *a, json_object *b, const char *obj, const char *key)
{
	json_object *oa = json_object_object_get(a, obj), *ob = json_object_object_get(b, obj);
	double dt = jget_num(b, "t", 0) - jget_num(a, "t", 0);
	int64_t va = jget_int(oa, key, 0), vb = jget_int(ob, key, 0);

	if (dt <= 0)
		return 0;
	return (double)(vb >= va ? vb - va : vb) / dt;
}

/* The module's attempts and failures per second, while a probe ran. */
static bool kmod_script(FILE *f, const struct run_data *rd, double t0)
{
	json_object *prev = NULL;
	bool any = false;

	fprintf(f, "$d << EOD\n");
	for (size_t i = 0; i < jlen(rd->samples); i++) {
		json_object *s = json_object_array_get_idx(rd->samples, i);

		if (!json_object_object_get_ex(s, "kmod", NULL)) {
			if (prev)	/* the probe ended: a gap in the lines */
				fprintf(f, "\n");
			prev = NULL;
			continue;
		}
		if (prev) {
			fprintf(f, "%.3f %.1f %.1f\n", sample_t(s, t0), rate(prev, s, "kmod", "attempts"),
				rate(prev, s, "kmod", "failures"));
			any = true;
		}
		prev = s;
	}
	fprintf(f, "EOD\nset yrange [0:*]\nplot $d u 1:2 w l lw 2 lc rgb '#2ca02c' t 'attempts/s', "
		"'' u 1:3 w l lw 2 lc rgb '#d62728' t 'failures/s'\n");
	return any;
}

/* Reclaim (pages scanned per second) and compaction and direct reclaim
 * stalls (per second, on the right). */
static void vmstat_script(FILE *f, const struct run_data *rd, double t0)
{
	static const char *const keys[] = { "pgscan_kswapd", "pgscan_direct", "compact_stall",
					     "compact_fail", "allocstall_normal", "allocstall_dma32" };

	fprintf(f, "$d << EOD\n");
	for (size_t i = 1; i < jlen(rd->samples); i++) {
		json_object *a = json_object_array_get_idx(rd->samples, i - 1);
		json_object *b = json_object_array_get_idx(rd->samples, i);

		fprintf(f, "%.3f", sample_t(b, t0));
		for (size_t k = 0; k < ARRAY_LEN(keys); k++)
			fprintf(f, " %.1f", rate(a, b, "vmstat", keys[k]));
		fputc('\n', f);
	}
	fprintf(f, "EOD\nset yrange [0:*]\nset y2range [0:*]\nset y2tics\n"
		"set y2label 'stalls/s'\nplot $d u 1:2 w l lw 2 t 'pgscan kswapd/s', "
		"'' u 1:3 w l lw 2 t 'pgscan direct/s', '' u 1:4 axes x1y2 w l dt 2 lw 2 "
		"t 'compact stall/s', '' u 1:5 axes x1y2 w l dt 2 lw 2 t 'compact fail/s', "
		"'' u 1:($6+$7) axes x1y2 w l dt 4 lw 2 t 'direct reclaim stalls/s'\n");
}

int report_probe_order(json_object *phases)
{
	for (size_t i = 0; i < jlen(phases); i++) {
		json_object *p = json_object_array_get_idx(phases, i);
		const char *kind = jget_str(p, "kind"), *cmd = jget_str(p, "command");
		const char *o = cmd ? strstr(cmd, "order=") : NULL;

		if (kind && !strcmp(kind, "probe") && o)
			return atoi(o + 6);
	}
	return 3;
}

/* The plot begun in s, drawn unless an earlier one failed (*r). */
static void done(struct script *s, const char *title, const char *prefix,
		 struct report_plot *out, int *n, int *r, char *err, size_t errlen)
{
	if (*r) {
		fclose(s->f);
		free(s->text);
		return;
	}
	*r = finish(s, title, prefix, *n, out, n, err, errlen);
}

int report_plots(const struct run_data *rd, const char *prefix, struct report_plot *out,
		 int max, char *err, size_t errlen)
{
	struct zone_id z[MAX_ZONES];
	double t0 = origin(rd);
	int nz, n = 0, order = report_probe_order(rd->phases), r = 0;
	struct script s;
	char title[160];

	if (jlen(rd->samples) < 2)
		return 0;
	nz = zones_of(rd, z);
	for (int j = 0; j < nz && n + 5 <= max; j++) {
		snprintf(title, sizeof(title), "Free memory, Node %d %s (MB)", z[j].node, z[j].zone);
		begin(&s, rd, t0, title, "MB");
		free_script(s.f, rd, &z[j], t0);
		done(&s, title, prefix, out, &n, &r, err, errlen);
		snprintf(title, sizeof(title), "Free memory by block order, Node %d %s (MB)",
			 z[j].node, z[j].zone);
		begin(&s, rd, t0, title, "MB");
		orders_script(s.f, rd, &z[j], t0);
		done(&s, title, prefix, out, &n, &r, err, errlen);
	}
	snprintf(title, sizeof(title), "Unusable free space index at order %d", order);
	begin(&s, rd, t0, title, "index");
	unusable_script(s.f, rd, z, nz, order, t0);
	done(&s, title, prefix, out, &n, &r, err, errlen);
	snprintf(title, sizeof(title), "The helper module's allocations per second");
	begin(&s, rd, t0, title, "per second");
	if (kmod_script(s.f, rd, t0)) {
		done(&s, title, prefix, out, &n, &r, err, errlen);
	} else {	/* no probe of the module ran */
		fclose(s.f);
		free(s.text);
	}
	snprintf(title, sizeof(title), "Reclaim and compaction");
	begin(&s, rd, t0, title, "pages/s");
	vmstat_script(s.f, rd, t0);
	done(&s, title, prefix, out, &n, &r, err, errlen);
	if (r)
		report_plots_free(out, n);
	return r ? -1 : n;
}

void report_plots_free(struct report_plot *p, int n)
{
	for (int i = 0; i < n; i++)
		free(p[i].svg);
}

char *report_reps_plot(json_object *summary, const char *prefix, char *err, size_t errlen)
{
	json_object *reps = json_object_object_get(summary, "repetitions");
	char arms[8][32];
	int narms = 0;
	struct script s;
	char *svg;

	s.text = NULL;
	s.f = open_memstream(&s.text, &s.len);
	fprintf(s.f, "set terminal svg size 900,280 dynamic font 'sans,10' background 'white'\n"
		"set title 'Failed attempts per repetition'\nset xlabel 'repetition'\n"
		"set ylabel 'failed attempts'\nset grid\nset key outside right top\n"
		"set yrange [0:*]\nset offsets 0.5, 0.5, 0, 0\n");
	for (size_t i = 0; i < jlen(reps) && narms < 8; i++) {
		const char *a = jget_str(json_object_array_get_idx(reps, i), "arm");
		bool seen = false;

		for (int k = 0; k < narms && a; k++)
			seen |= !strcmp(arms[k], a);
		if (a && !seen)
			snprintf(arms[narms++], sizeof(arms[0]), "%s", a);
	}
	for (int k = 0; k < narms; k++) {
		fprintf(s.f, "$a%d << EOD\n", k);
		for (size_t i = 0; i < jlen(reps); i++) {
			json_object *r = json_object_array_get_idx(reps, i);

			if (!strcmp(jget_str(r, "arm"), arms[k]))
				fprintf(s.f, "%.2f %lld\n", (double)jget_int(r, "repetition", 0) +
					0.12 * (k - (narms - 1) / 2.0), (long long)jget_int(r, "failures", 0));
		}
		fprintf(s.f, "EOD\n");
	}
	fprintf(s.f, "plot");
	for (int k = 0; k < narms; k++)
		fprintf(s.f, "%s $a%d u 1:2 w p pt 7 ps 0.8 t '%s'", k ? "," : "", k, arms[k]);
	fprintf(s.f, "%s\n", narms ? "" : " 0 notitle");
	fclose(s.f);
	svg = plot_svg(s.text, prefix, err, errlen);
	free(s.text);
	return svg;
}
