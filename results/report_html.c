/*
 * allocrepro report DIR -o FILE.html: one self-contained page (the plots
 * are inline SVG from gnuplot, no script, no external asset) that shows
 * what happened: the verdicts with their effect sizes, the machine and the
 * settings, every kernel report with explain's diagnosis, and the memory
 * state over time.
 */
#include "report.h"
#include "report_events.h"
#include "report_plots.h"
#include "util/jget.h"
#include "html.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUESTS_PLOTTED 4	/* a statistical run: the first repetition of each arm */

/* A JSON value as text: a string as it is, anything else as JSON. */
static void jtext(FILE *f, json_object *v)
{
	if (!v)
		fputs("-", f);
	else if (json_object_is_type(v, json_type_string))
		html_esc(f, json_object_get_string(v));
	else if (json_object_is_type(v, json_type_double))
		fprintf(f, "%.4g", json_object_get_double(v));
	else
		html_esc(f, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

static void row(FILE *f, const char *key, json_object *v)
{
	fputs("<tr><th>", f);
	html_esc(f, key);
	fputs("</th><td>", f);
	jtext(f, v);
	fputs("</td></tr>\n", f);
}

static void head(FILE *f, const struct run_data *rd)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
	      "allocrepro report: ", f);
	html_esc(f, run_scenario(rd));
	fputs("</title>\n<style>\nbody{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
	      "\ntable{border-collapse:collapse;margin:0.5em 0 1.5em}\nth,td{border:1px solid #ccc;"
	      "padding:3px 8px;text-align:left;vertical-align:top;font-size:0.9em}\nth{background:"
	      "#f3f3f3}\n.PASS{background:#c8f0c8}\n.FAIL{background:#f6c6c6}\n.ERROR{background:"
	      "#f0b070}\n.INCONCLUSIVE{background:#f4eca0}\n.SKIP{background:#e0e0e0}\nfigure{margin:"
	      "1em 0}\nfigure svg{width:100%;height:auto}\n.partial{background:#f6c6c6;padding:0.5em}"
	      "\ncode{font-size:0.85em}\n</style>\n</head>\n<body>\n", f);
}

static void title(FILE *f, const struct run_data *rd)
{
	const char *out = run_outcome(rd);

	fputs("<h1>", f);
	html_esc(f, run_scenario(rd));
	fputs("</h1>\n<p>Outcome <strong>", f);
	html_esc(f, out);
	fprintf(f, "</strong>, exit code %lld; results in <code>", (long long)jget_int(rd->summary,
											  "exit_code", -1));
	html_esc(f, rd->dir);
	fputs("</code></p>\n", f);
	if (strcmp(out, "completed") && strcmp(out, "skipped")) {
		fputs("<p class=\"partial\">This run did not complete (", f);
		html_esc(f, out);
		fputs("): what it shows is partial, and no verdict of it is a pass by default.</p>\n",
		      f);
	}
}

/* The figures of a mitigation arm's measure a reader compares. */
static void measures(FILE *f, json_object *m)
{
	static const char *const keys[] = {
		"design", "baseline_failed", "baseline_repetitions", "baseline_rate_ci95",
		"mitigation_failed", "mitigation_repetitions", "mitigation_rate_ci95", "pairs",
		"difference", "difference_ci95", "p_value", "p_holm", "repetitions_to_decide",
		"matched", "measured", "threshold",
	};

	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		json_object *v;

		if (!json_object_object_get_ex(m, keys[i], &v))
			continue;
		fprintf(f, "%s: ", keys[i]);
		jtext(f, v);
		fputs("<br>", f);
	}
}

static void verdicts(FILE *f, const struct run_data *rd)
{
	json_object *v = run_verdicts(rd);

	fputs("<h2>Verdicts</h2>\n<table>\n<tr><th>verdict</th><th>status</th><th>why</th>"
	      "<th>numbers</th></tr>\n", f);
	for (size_t i = 0; i < jlen(v); i++) {
		json_object *o = json_object_array_get_idx(v, i);
		const char *st = jget_str(o, "status");

		fputs("<tr><td>", f);
		html_esc(f, jget_str(o, "id"));
		fprintf(f, "</td><td class=\"%s\">", st ? st : "");
		html_esc(f, st);
		fputs("</td><td>", f);
		html_esc(f, jget_str(o, "reason"));
		fputs("</td><td>", f);
		measures(f, json_object_object_get(o, "measure"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void machine(FILE *f, const struct run_data *rd)
{
	static const char *const keys[] = { "kernel_release", "kernel_version", "arch", "cmdline",
					     "machine", "topology", "lab", "scenario", "settings",
					     "seed", "sysctls_before" };
	json_object *v;

	fputs("<h2>Machine, kernel and settings</h2>\n<table>\n", f);
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (json_object_object_get_ex(rd->manifest, keys[i], &v))
			row(f, keys[i], v);
	if (json_object_object_get_ex(rd->summary, "plan", &v))
		row(f, "plan", v);
	fputs("</table>\n", f);
}

/* One zone's verdict in a diagnosis. */
static void zone_row(FILE *f, json_object *z)
{
	fputs("<tr><td>", f);
	fprintf(f, "Node %lld ", (long long)jget_int(z, "node", -1));
	html_esc(f, jget_str(z, "zone"));
	fputs("</td><td>", f);
	html_esc(f, jget_str(z, "verdict"));
	fputs("</td><td>", f);
	html_esc(f, jget_str(z, "evidence"));
	fputs("</td></tr>\n", f);
}

static void one_report(FILE *f, json_object *r)
{
	json_object *e = json_object_object_get(r, "event");
	json_object *d = json_object_object_get(r, "diagnosis");
	json_object *zones = json_object_object_get(d, "zones");
	json_object *mit = json_object_object_get(d, "mitigations");
	char gfp[256];

	fputs("<h3>", f);
	html_esc(f, jget_str(e, "type"));
	fprintf(f, " order %lld ", (long long)jget_int(e, "order", -1));
	html_esc(f, report_gfp(e, gfp, sizeof(gfp)));
	fputs(" (", f);
	html_esc(f, jget_str(e, "comm"));
	fputs(", ", f);
	html_esc(f, jget_str(e, "context"));
	fprintf(f, ") &times; %lld</h3>\n<p>Cause <strong>", (long long)jget_int(r, "count", 1));
	html_esc(f, jget_str(d, "cause"));
	fputs("</strong>: ", f);
	html_esc(f, jget_str(d, "evidence"));
	fputs("</p>\n<p>Stack: caller <code>", f);
	html_esc(f, jget_str(e, "caller"));
	fputs("</code>", f);
	if (json_object_get_boolean(json_object_object_get(e, "in_irq")))
		fputs(", in interrupt context", f);
	fputs("; kernel ", f);
	html_esc(f, jget_str(e, "kernel"));
	if (jlen(json_object_object_get(r, "boots"))) {
		fputs("; guests ", f);
		jtext(f, json_object_object_get(r, "boots"));
	}
	fputs("</p>\n<table>\n<tr><th>zone</th><th>verdict</th><th>evidence</th></tr>\n", f);
	for (size_t i = 0; i < jlen(zones); i++)
		zone_row(f, json_object_array_get_idx(zones, i));
	fputs("</table>\n<ul>\n", f);
	for (size_t i = 0; i < jlen(mit); i++) {
		fputs("<li><code>", f);
		html_esc(f, jget_str(json_object_array_get_idx(mit, i), "action"));
		fputs("</code>: ", f);
		html_esc(f, jget_str(json_object_array_get_idx(mit, i), "reason"));
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

static void reports(FILE *f, json_object *ev)
{
	fputs("<h2>The kernel's reports, diagnosed</h2>\n", f);
	if (!jlen(ev))
		fputs("<p>The kernel's log holds no allocation failure or OOM report.</p>\n", f);
	for (size_t i = 0; i < jlen(ev); i++)
		one_report(f, json_object_array_get_idx(ev, i));
}

static void figures(FILE *f, struct report_plot *p, int n)
{
	for (int i = 0; i < n; i++) {
		fputs("<figure>\n", f);
		fputs(p[i].svg, f);
		fputs("\n<figcaption>", f);
		html_esc(f, p[i].title);
		fputs("</figcaption>\n</figure>\n", f);
	}
}

/* A statistical run: each repetition, and the plots of the first
 * repetition of each arm. */
static int guests(FILE *f, const struct run_data *rd, char *err, size_t errlen)
{
	json_object *reps = json_object_object_get(rd->summary, "repetitions");
	json_object *boots = json_object_object_get(rd->summary, "boots");
	char *svg = report_reps_plot(rd->summary, "reps_", err, errlen), seen[16][32], pre[32];
	int nseen = 0;

	if (!svg)
		return -1;
	fputs("<h2>Repetitions</h2>\n<figure>\n", f);
	fputs(svg, f);
	fputs("\n<figcaption>Failed attempts of the helper module in each repetition</figcaption>"
	      "\n</figure>\n<table>\n<tr><th>arm</th><th>repetition</th><th>outcome</th>"
	      "<th>reproduced</th><th>failures / attempts</th><th>targets missed</th><th>guest</th>"
	      "</tr>\n", f);
	free(svg);
	for (size_t i = 0; i < jlen(reps); i++) {
		json_object *r = json_object_array_get_idx(reps, i);

		fputs("<tr><td>", f);
		html_esc(f, jget_str(r, "arm"));
		fprintf(f, "</td><td>%lld</td><td>", (long long)jget_int(r, "repetition", -1));
		html_esc(f, jget_str(r, "outcome"));
		fputs("</td><td>", f);
		jtext(f, json_object_object_get(r, "reproduced"));
		fprintf(f, "</td><td>%lld / %lld</td><td>", (long long)jget_int(r, "failures", 0),
			(long long)jget_int(r, "attempts", 0));
		jtext(f, json_object_object_get(r, "targets_unmet"));
		fputs("</td><td>", f);
		html_esc(f, jget_str(r, "boot"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n<h2>Over time, the first repetition of each arm</h2>\n", f);
	for (size_t i = 0; i < jlen(boots) && nseen < GUESTS_PLOTTED; i++) {
		json_object *b = json_object_array_get_idx(boots, i);
		const char *arm = jget_str(b, "arm"), *dir = jget_str(b, "dir");
		bool again = !arm || !dir || !strcmp(arm, "(prepared)");
		struct report_plot p[REPORT_MAX_PLOTS];
		struct run_data g;
		char *sub;
		int n;

		for (int k = 0; k < nseen && !again; k++)
			again = !strcmp(seen[k], arm);
		if (again)
			continue;
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", arm);
		sub = path_join(rd->dir, dir);
		n = run_data_load_series(sub, &g, err, errlen) ? 0 : 1;
		free(sub);
		fputs("<h3>", f);
		html_esc(f, arm);
		fputs(": guest ", f);
		html_esc(f, dir);
		fputs("</h3>\n", f);
		snprintf(pre, sizeof(pre), "g%d_", nseen);
		n = n ? report_plots(&g, pre, p, REPORT_MAX_PLOTS, err, errlen) : 0;
		run_data_free(&g);
		if (n < 0)
			return -1;
		figures(f, p, n);
		report_plots_free(p, n);
	}
	return 0;
}

int report_html(const struct run_data *rd, FILE *f, char *err, size_t errlen)
{
	struct report_plot p[REPORT_MAX_PLOTS];
	json_object *ev = report_events(rd);
	int n = 0, r = 0;

	head(f, rd);
	title(f, rd);
	verdicts(f, rd);
	reports(f, ev);
	json_object_put(ev);
	if (run_has_boots(rd)) {
		r = guests(f, rd, err, errlen);
	} else {
		fputs("<h2>Over time</h2>\n", f);
		n = report_plots(rd, "p_", p, REPORT_MAX_PLOTS, err, errlen);
		if (n < 0)
			r = -1;
		if (!n)
			fputs("<p>This run has no samples (results_format 1 before the sampler).</p>\n", f);
		figures(f, p, n > 0 ? n : 0);
		report_plots_free(p, n > 0 ? n : 0);
	}
	machine(f, rd);
	fputs("<p>Made by allocrepro report.</p>\n</body>\n</html>\n", f);
	return r;
}
