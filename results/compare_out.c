/* compare's table for a terminal, its JSON, and its HTML page with the
 * runs' plots overlaid. */
#include "compare.h"
#include "plot.h"
#include "report_plots.h"
#include "util/jget.h"
#include "util/util.h"
#include "verdict/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ranks[] = { "regressions", "improvements", "unchanged" };

void compare_cell(char *buf, size_t len, const struct cmp_row *r, int j)
{
	int n = 0;

	if (!r->has[j]) {
		snprintf(buf, len, "-");
		return;
	}
	if (r->kind == CMP_RATE) {
		struct interval iv = ci_clopper_pearson(r->k[j], r->n[j], 0.95);

		n = snprintf(buf, len, "%u/%u [%.0f-%.0f%%]", r->k[j], r->n[j], 100 * iv.lo,
			     100 * iv.hi);
	} else {
		n = snprintf(buf, len, "%.4g", r->v[j]);
	}
	if (!j || !r->has[0] || n < 0 || (size_t)n >= len)
		return;
	if (r->kind == CMP_RATE) {
		bool sig = r->change[j] != CMP_SAME;

		snprintf(buf + n, len - (size_t)n, " %s%+.0fpp%s", sig ? "*" : "",
			 100 * (r->v[j] - r->v[0]), sig ? "*" : "");
	} else if (r->v[0] > 0) {
		snprintf(buf + n, len - (size_t)n, " (%.2fx)", r->v[j] / r->v[0]);
	}
}

void compare_text(const struct comparison *c, FILE *f)
{
	char buf[64];

	fprintf(f, "compare: %s\n", run_scenario(&c->runs[0]));
	for (int j = 0; j < c->nruns; j++)
		fprintf(f, "  %c  %s%s\n", 'A' + j, c->name[j], j ? "" : "  (the baseline)");
	fprintf(f, "repetitions that reproduced: Fisher's two-sided test against A, Holm over the "
		"rows; *+Npp* differs at %.2g\n", CMP_ALPHA);
	for (int rk = 0; rk < 3; rk++) {
		bool head = false;

		for (int i = 0; i < c->nrows; i++) {
			const struct cmp_row *r = &c->rows[i];

			if (compare_rank(c, r) != rk)
				continue;
			if (!head)
				fprintf(f, "%s\n", ranks[rk]);
			head = true;
			fprintf(f, "  %-62.62s", r->label);
			for (int j = 0; j < c->nruns; j++) {
				compare_cell(buf, sizeof(buf), r, j);
				fprintf(f, " %-24s", buf);
			}
			fputc('\n', f);
		}
	}
	for (int j = 1; j < c->nruns; j++)
		if (c->geomean[j] > 0)
			fprintf(f, "geometric mean of the measured values, %c against A: %.3fx\n",
				'A' + j, c->geomean[j]);
	for (int j = 0; j < c->nruns; j++)
		if (c->partial[j])
			fprintf(f, "%c is partial: not every repetition finished (the run: %s); its "
				"rates count those that did\n", 'A' + j, run_outcome(&c->runs[j]));
	fprintf(f, "%d regression%s, %d improvement%s\n", c->regressions,
		c->regressions == 1 ? "" : "s", c->improvements, c->improvements == 1 ? "" : "s");
}

static const char *kind_name(enum cmp_kind k)
{
	return k == CMP_RATE ? "rate" : k == CMP_VALUE ? "value" : "count";
}

static const char *change_name(enum cmp_change ch)
{
	return ch == CMP_WORSE ? "regression" : ch == CMP_BETTER ? "improvement" : "unchanged";
}

static json_object *row_json(const struct comparison *c, const struct cmp_row *r)
{
	json_object *o = json_object_new_object(), *runs = json_object_new_array();

	json_object_object_add(o, "label", json_object_new_string(r->label));
	json_object_object_add(o, "kind", json_object_new_string(kind_name(r->kind)));
	json_object_object_add(o, "change", json_object_new_string(ranks[compare_rank(c, r)]));
	for (int j = 0; j < c->nruns; j++) {
		json_object *v = r->has[j] ? json_object_new_object() : NULL;

		if (v) {
			json_object_object_add(v, "value", json_object_new_double(r->v[j]));
			if (r->kind == CMP_RATE) {
				json_object_object_add(v, "reproduced", json_object_new_int((int)r->k[j]));
				struct interval iv = ci_clopper_pearson(r->k[j], r->n[j], 0.95);
				json_object *ci = json_object_new_array();

				json_object_array_add(ci, json_object_new_double(iv.lo));
				json_object_array_add(ci, json_object_new_double(iv.hi));
				json_object_object_add(v, "repetitions", json_object_new_int((int)r->n[j]));
				json_object_object_add(v, "rate_ci95", ci);
			}
			if (j && r->kind == CMP_RATE && r->has[0]) {
				json_object_object_add(v, "difference", json_object_new_double(r->v[j] - r->v[0]));
				json_object_object_add(v, "p", json_object_new_double(r->p[j]));
				json_object_object_add(v, "p_holm", json_object_new_double(r->p_holm[j]));
			}
			if (j && r->kind != CMP_RATE && r->has[0] && r->v[0] > 0)
				json_object_object_add(v, "ratio", json_object_new_double(r->v[j] / r->v[0]));
			if (j)
				json_object_object_add(v, "change", json_object_new_string(
					change_name(r->change[j])));
		}
		json_object_array_add(runs, v);
	}
	json_object_object_add(o, "runs", runs);
	return o;
}

json_object *compare_json(const struct comparison *c)
{
	json_object *o = json_object_new_object(), *runs = json_object_new_array();
	json_object *rows = json_object_new_array(), *gm = json_object_new_array();

	json_object_object_add(o, "scenario", json_object_new_string(run_scenario(&c->runs[0])));
	for (int j = 0; j < c->nruns; j++) {
		json_object *r = json_object_new_object();

		json_object_object_add(r, "dir", json_object_new_string(c->runs[j].dir));
		json_object_object_add(r, "name", json_object_new_string(c->name[j]));
		json_object_object_add(r, "kernel_release", json_object_new_string(
			jget_str(c->runs[j].manifest, "kernel_release") ?
			jget_str(c->runs[j].manifest, "kernel_release") : ""));
		json_object_object_add(r, "role", json_object_new_string(j ? "candidate" : "baseline"));
		json_object_object_add(r, "partial", json_object_new_boolean(c->partial[j]));
		json_object_array_add(runs, r);
		json_object_array_add(gm, j && c->geomean[j] > 0 ? json_object_new_double(c->geomean[j]) :
					  NULL);
	}
	for (int i = 0; i < c->nrows; i++)
		json_object_array_add(rows, row_json(c, &c->rows[i]));
	json_object_object_add(o, "runs", runs);
	json_object_object_add(o, "alpha", json_object_new_double(CMP_ALPHA));
	json_object_object_add(o, "rows", rows);
	json_object_object_add(o, "geomean", gm);
	json_object_object_add(o, "regressions", json_object_new_int(c->regressions));
	json_object_object_add(o, "improvements", json_object_new_int(c->improvements));
	json_object_object_add(o, "partial", json_object_new_int(c->npartial));
	return o;
}
