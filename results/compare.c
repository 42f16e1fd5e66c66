#include "compare.h"
#include "report_events.h"
#include "util/jget.h"
#include "util/util.h"
#include "verdict/stats.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cmp_row *row(struct comparison *c, enum cmp_kind kind, const char *fmt, ...)
{
	char label[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(label, sizeof(label), fmt, ap);
	va_end(ap);
	for (int i = 0; i < c->nrows; i++)
		if (c->rows[i].kind == kind && !strcmp(c->rows[i].label, label))
			return &c->rows[i];
	if (c->nrows == CMP_MAX_ROWS)
		return NULL;
	memset(&c->rows[c->nrows], 0, sizeof(c->rows[0]));
	snprintf(c->rows[c->nrows].label, sizeof(label), "%s", label);
	c->rows[c->nrows].kind = kind;
	return &c->rows[c->nrows++];
}

/* Per arm: how many repetitions reproduced of those that finished, and
 * the module's failed attempts per repetition. */
static void arm_rows(struct comparison *c, int run)
{
	json_object *reps = json_object_object_get(c->runs[run].summary, "repetitions");

	for (size_t i = 0; i < jlen(reps); i++) {
		json_object *r = json_object_array_get_idx(reps, i);
		const char *arm = jget_str(r, "arm"), *out = jget_str(r, "outcome");
		struct cmp_row *rate;
		struct cmp_row *att;
		bool done = out && !strcmp(out, "completed");

		if (c->arm[run] && (!arm || strcmp(arm, c->arm[run])))
			continue;
		arm = c->arm[run] ? "baseline" : arm;
		rate = arm ? row(c, CMP_RATE, "%s: repetitions that reproduced", arm) : NULL;
		att = arm ? row(c, CMP_VALUE, "%s: failed attempts per repetition", arm) : NULL;
		if (arm && !done) {	/* never dropped silently */
			struct cmp_row *lost = row(c, CMP_COUNT, "%s: repetitions that did not finish",
						   arm);

			if (lost) {
				lost->has[run] = true;
				lost->v[run]++;
			}
			c->partial[run] = true;
		}
		if (!rate || !att || !done)
			continue;
		rate->has[run] = true;
		rate->n[run]++;
		rate->k[run] += json_object_get_boolean(json_object_object_get(r, "reproduced"));
		rate->v[run] = (double)rate->k[run] / rate->n[run];
		/* a running mean */
		att->v[run] += ((double)jget_int(r, "failures", 0) - att->v[run]) /
			       (double)rate->n[run];
		att->has[run] = true;
	}
}

/* The kernel's reports, by type, order, flags and the cause diagnosed. */
static void report_rows(struct comparison *c, int run)
{
	json_object *ev = report_events_of(&c->runs[run], c->arm[run]);

	for (size_t i = 0; i < jlen(ev); i++) {
		json_object *o = json_object_array_get_idx(ev, i), *e = json_object_object_get(o, "event");
		char gfp[128];
		struct cmp_row *r = row(c, CMP_COUNT, "report %s order %lld %s: %s",
					jget_str(e, "type"), (long long)jget_int(e, "order", -1),
					report_gfp(e, gfp, sizeof(gfp)),
					jget_str(json_object_object_get(o, "diagnosis"), "cause"));

		if (r) {
			r->has[run] = true;
			r->v[run] += (double)jget_int(o, "count", 1);
		}
	}
	json_object_put(ev);
}

/* Means over a guest's workload phases: each target measured, the time
 * to reach them; n counts the guests seen per row. */
static void phase_rows(struct comparison *c, int run, json_object *phases, double *seen)
{
	for (size_t i = 0; i < jlen(phases); i++) {
		json_object *p = json_object_array_get_idx(phases, i), *t;
		const char *arm = jget_str(p, "arm"), *wl = jget_str(p, "workload");
		struct cmp_row *r;

		if (!arm || !wl || strcmp(jget_str(p, "kind"), "workload") || !strcmp(arm, "(prepared)") ||
		    (c->arm[run] && strcmp(arm, c->arm[run])))
			continue;
		arm = c->arm[run] ? "baseline" : arm;
		r = row(c, CMP_VALUE, "%s: %s, seconds to its target", arm, wl);
		if (r) {
			seen[r - c->rows]++;
			r->v[run] += (jget_num(p, "t_end_s", 0) - jget_num(p, "t_start_s", 0) - r->v[run]) /
				     seen[r - c->rows];
			r->has[run] = true;
		}
		t = json_object_object_get(p, "targets");
		for (size_t k = 0; k < jlen(t); k++) {
			json_object *o = json_object_array_get_idx(t, k);

			r = row(c, CMP_VALUE, "%s: %s %s", arm, wl, jget_str(o, "name"));
			if (!r)
				continue;
			seen[r - c->rows]++;
			r->v[run] += (jget_num(o, "measured", 0) - r->v[run]) / seen[r - c->rows];
			r->has[run] = true;
		}
	}
}

static void measured_rows(struct comparison *c, int run)
{
	const struct run_data *rd = &c->runs[run];
	json_object *boots = json_object_object_get(rd->summary, "boots");
	double *seen = xcalloc(CMP_MAX_ROWS, sizeof(double));
	char err[256];

	if (!run_has_boots(rd))
		phase_rows(c, run, rd->phases, seen);
	for (size_t i = 0; run_has_boots(rd) && i < jlen(boots); i++) {
		const char *d = jget_str(json_object_array_get_idx(boots, i), "dir");
		char *sub = d ? path_join(rd->dir, d) : NULL;
		struct run_data g;

		if (sub && !run_data_load_series(sub, &g, err, sizeof(err))) {
			phase_rows(c, run, g.phases, seen);
			run_data_free(&g);
		}
		free(sub);
	}
	free(seen);
}

/* Fisher two-sided on each rate row a candidate shares with the
 * baseline, Holm over those rows; a change is a significant one. */
static void judge_candidate(struct comparison *c, int j)
{
	double p[CMP_MAX_ROWS] = { 0 };
	int idx[CMP_MAX_ROWS], n = 0;

	for (int i = 0; i < c->nrows; i++) {
		struct cmp_row *r = &c->rows[i];

		r->p[j] = r->p_holm[j] = 1;
		if (r->kind != CMP_RATE || !r->n[0] || !r->n[j])
			continue;
		r->p[j] = fisher_two_sided(r->k[0], r->n[0], r->k[j], r->n[j]);
		idx[n] = i;
		p[n++] = r->p[j];
	}
	holm_adjust(p, (size_t)n, p);
	for (int m = 0; m < n; m++) {
		struct cmp_row *r = &c->rows[idx[m]];

		r->p_holm[j] = p[m];
		if (p[m] <= CMP_ALPHA * (1 + 1e-9))
			r->change[j] = r->v[j] > r->v[0] ? CMP_WORSE : CMP_BETTER;
	}
}

static void geomean(struct comparison *c, int j)
{
	double sum = 0;
	int n = 0;

	for (int i = 0; i < c->nrows; i++) {
		const struct cmp_row *r = &c->rows[i];

		if (r->kind == CMP_VALUE && r->has[0] && r->has[j] && r->v[0] > 0 && r->v[j] > 0) {
			sum += log(r->v[j] / r->v[0]);
			n++;
		}
	}
	c->geomean[j] = n ? exp(sum / n) : 0;
}

int compare_rank(const struct comparison *c, const struct cmp_row *r)
{
	int best = 2;

	for (int j = 1; j < c->nruns; j++)
		if (r->change[j] == CMP_WORSE)
			return 0;
		else if (r->change[j] == CMP_BETTER)
			best = 1;
	return best;
}

/* Regressions first, then improvements, then the rest, each in the order
 * the rows were made. */
static void order_rows(struct comparison *c)
{
	struct cmp_row *sorted = xcalloc((size_t)c->nrows + 1, sizeof(*sorted));
	int n = 0;

	for (int want = 0; want < 3; want++)
		for (int i = 0; i < c->nrows; i++)
			if (compare_rank(c, &c->rows[i]) == want)
				sorted[n++] = c->rows[i];
	memcpy(c->rows, sorted, (size_t)n * sizeof(*sorted));
	free(sorted);
	for (int i = 0; i < c->nrows; i++) {
		c->regressions += compare_rank(c, &c->rows[i]) == 0;
		c->improvements += compare_rank(c, &c->rows[i]) == 1;
	}
}

static const char *scenario_hash(const struct run_data *rd)
{
	const char *h = jget_str(json_object_object_get(rd->manifest, "scenario"), "sha256");

	return h ? h : "";
}

/* Has the run an arm of that name? */
static bool has_arm(const struct run_data *rd, const char *arm)
{
	json_object *reps = json_object_object_get(rd->summary, "repetitions");

	for (size_t i = 0; i < jlen(reps); i++)
		if (!strcmp(jget_str(json_object_array_get_idx(reps, i), "arm"), arm))
			return true;
	return false;
}

int compare_runs(struct run_data *runs, const char *const *arms, int nruns, bool force,
		 struct comparison *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->runs = runs;
	c->nruns = nruns;
	for (int i = 0; i < nruns; i++) {
		c->arm[i] = arms ? arms[i] : NULL;
		if (c->arm[i] && !has_arm(&runs[i], c->arm[i])) {
			snprintf(err, errlen, "%s:%s: the run has no repetition of arm '%s'", runs[i].dir,
				 c->arm[i], c->arm[i]);
			return -1;
		}
	}
	for (int i = 1; i < nruns && !force; i++)
		if (strcmp(scenario_hash(&runs[0]), scenario_hash(&runs[i]))) {
			snprintf(err, errlen, "%s ran %s (sha256 %.12s) and %s ran %s (sha256 %.12s): "
				 "different scenarios are not compared (--force compares them anyway)",
				 runs[0].dir, run_scenario(&runs[0]), scenario_hash(&runs[0]),
				 runs[i].dir, run_scenario(&runs[i]), scenario_hash(&runs[i]));
			return -1;
		}
	for (int i = 0; i < nruns; i++) {
		json_object *lab = json_object_object_get(runs[i].manifest, "lab");
		const char *k = lab && jget_str(lab, "kernel") ? jget_str(lab, "kernel") : "";

		snprintf(c->name[i], sizeof(c->name[i]), "%s%s%s (%s%s%s)", runs[i].dir,
			 c->arm[i] ? ":" : "", c->arm[i] ? c->arm[i] : "", k, k[0] ? " " : "",
			 jget_str(runs[i].manifest, "kernel_release"));
		arm_rows(c, i);
		report_rows(c, i);
		measured_rows(c, i);
		c->partial[i] |= strcmp(run_outcome(&runs[i]), "completed") &&
				 strcmp(run_outcome(&runs[i]), "skipped");
		c->npartial += c->partial[i];
	}
	for (int j = 1; j < nruns; j++) {
		judge_candidate(c, j);
		geomean(c, j);
	}
	order_rows(c);
	return 0;
}
