/* compare --html: the table in the report's style, and the runs' plots
 * overlaid (the baseline arm's failed attempts per repetition; the
 * unusable free space index over the first baseline guest's time). */
#include "compare.h"
#include "plot.h"
#include "report_plots.h"
#include "parse/procfs.h"
#include "util/jget.h"
#include "html.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first baseline guest's phases and samples (the run itself when it
 * is not a statistical lab run). */
static int first_baseline(const struct run_data *rd, struct run_data *g)
{
	json_object *boots = json_object_object_get(rd->summary, "boots");
	char err[256];

	if (!run_has_boots(rd))
		return run_data_load_series(rd->dir, g, err, sizeof(err));
	for (size_t i = 0; i < jlen(boots); i++) {
		json_object *b = json_object_array_get_idx(boots, i);
		const char *arm = jget_str(b, "arm"), *d = jget_str(b, "dir");
		char *sub;
		int r;

		if (!arm || !d || strcmp(arm, "baseline"))
			continue;
		sub = path_join(rd->dir, d);
		r = run_data_load_series(sub, g, err, sizeof(err));
		free(sub);
		return r;
	}
	return -1;
}

/* The index over all zones at the probe's order, each run a series. */
static void unusable_series(FILE *f, const struct comparison *c, int j)
{
	struct run_data g;
	int order;
	double t0;

	fprintf(f, "$u%d << EOD\n", j);
	if (first_baseline(&c->runs[j], &g) == 0) {
		order = report_probe_order(g.phases);
		t0 = jlen(g.samples) ?
		     jget_num(json_object_array_get_idx(g.samples, 0), "t", 0) : 0;
		for (size_t i = 0; i < jlen(g.samples); i++) {
			json_object *s = json_object_array_get_idx(g.samples, i);
			json_object *zs = json_object_object_get(s, "zones");
			struct buddyinfo bi = { 0 };

			for (size_t z = 0; z < jlen(zs) && z < BI_MAX_ZONES; z++) {
				json_object *b = json_object_object_get(json_object_array_get_idx(zs, z),
									"buddy");

				bi.z[bi.nzones].n_orders = (int)jlen(b);
				for (int k = 0; k < bi.z[bi.nzones].n_orders && k < BI_MAX_ORDERS; k++)
					bi.z[bi.nzones].nr_free[k] = (unsigned long)json_object_get_int64(
						json_object_array_get_idx(b, (size_t)k));
				bi.nzones++;
			}
			fprintf(f, "%.3f %.4f\n", jget_num(s, "t", 0) - t0,
				buddyinfo_unusable_index(&bi, order));
		}
		run_data_free(&g);
	}
	fprintf(f, "EOD\n");
}

static void attempts_series(FILE *f, const struct comparison *c, int j)
{
	json_object *reps = json_object_object_get(c->runs[j].summary, "repetitions");

	fprintf(f, "$a%d << EOD\n", j);
	for (size_t i = 0; i < jlen(reps); i++) {
		json_object *r = json_object_array_get_idx(reps, i);

		if (!strcmp(jget_str(r, "arm"), "baseline"))
			fprintf(f, "%.2f %lld\n", (double)jget_int(r, "repetition", 0) + 0.1 * j,
				(long long)jget_int(r, "failures", 0));
	}
	fprintf(f, "EOD\n");
}

static char *overlay(const struct comparison *c, bool attempts, char *err, size_t errlen)
{
	char *text = NULL, *svg;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	fprintf(f, "set terminal svg size 900,300 dynamic font 'sans,10' background 'white'\n"
		"set grid\nset key outside right top\nset yrange [0:*]\n");
	fprintf(f, attempts ? "set title 'Failed attempts in each baseline repetition'\n"
		"set xlabel 'repetition'\nset ylabel 'failed attempts'\nset offsets 0.5,0.5,0,0\n" :
		"set title 'Unusable free space index at the probe order, first baseline guest'\n"
		"set xlabel 'seconds'\nset ylabel 'index'\nset yrange [0:1.05]\n");
	for (int j = 0; j < c->nruns; j++)
		(attempts ? attempts_series : unusable_series)(f, c, j);
	fprintf(f, "plot");
	for (int j = 0; j < c->nruns; j++)
		fprintf(f, "%s $%c%d u 1:2 %s t '%c'", j ? "," : "", attempts ? 'a' : 'u', j,
			attempts ? "w p pt 7 ps 0.9" : "w l lw 2", 'A' + j);
	fputc('\n', f);
	fclose(f);
	svg = plot_svg(text, attempts ? "ca_" : "cu_", err, errlen);
	free(text);
	return svg;
}

static const char *const classes[] = { "WORSE", "BETTER", "SAME" };

static void table(FILE *f, const struct comparison *c)
{
	char buf[64];

	fputs("<table>\n<tr><th>row</th>", f);
	for (int j = 0; j < c->nruns; j++)
		fprintf(f, "<th>%c</th>", 'A' + j);
	fputs("</tr>\n", f);
	for (int i = 0; i < c->nrows; i++) {
		const struct cmp_row *r = &c->rows[i];

		fprintf(f, "<tr class=\"%s\"><td>", classes[compare_rank(c, r)]);
		html_esc(f, r->label);
		fputs("</td>", f);
		for (int j = 0; j < c->nruns; j++) {
			compare_cell(buf, sizeof(buf), r, j);
			fputs("<td>", f);
			html_esc(f, buf);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

int compare_html(const struct comparison *c, FILE *f, char *err, size_t errlen)
{
	char *svg[2];

	for (int k = 0; k < 2; k++)
		if (!(svg[k] = overlay(c, k == 0, err, errlen))) {
			free(k ? svg[0] : NULL);
			return -1;
		}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<title>allocrepro compare: ", f);
	html_esc(f, run_scenario(&c->runs[0]));
	fputs("</title>\n<style>\nbody{font-family:sans-serif;margin:2em;max-width:1100px}\n"
	      "table{border-collapse:collapse}\nth,td{border:1px solid #ccc;padding:3px 8px;"
	      "font-size:0.9em;text-align:left}\n.WORSE{background:#f6c6c6}\n.BETTER{background:"
	      "#c8f0c8}\nfigure svg{width:100%;height:auto}\n</style>\n</head>\n<body>\n<h1>", f);
	html_esc(f, run_scenario(&c->runs[0]));
	fputs("</h1>\n<ul>\n", f);
	for (int j = 0; j < c->nruns; j++) {
		fprintf(f, "<li>%c: ", 'A' + j);
		html_esc(f, c->name[j]);
		fputs(j ? "</li>\n" : " (the baseline)</li>\n", f);
	}
	fprintf(f, "</ul>\n<p>%d regressions, %d improvements (Fisher's two-sided test on the "
		"repetitions that reproduced, Holm over the rows, at %.2g; *+Npp* marks one)</p>\n",
		c->regressions, c->improvements, CMP_ALPHA);
	table(f, c);
	for (int k = 0; k < 2; k++) {
		fprintf(f, "<figure>\n%s\n</figure>\n", svg[k]);
		free(svg[k]);
	}
	fputs("</body>\n</html>\n", f);
	return 0;
}
