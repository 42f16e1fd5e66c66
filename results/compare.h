/*
 * allocrepro compare A B [C...]: A is the baseline (a kernel, a machine),
 * the others candidates, all runs of one scenario.  Each run is made a
 * profile (per arm: the failure rate and the failed attempts per
 * repetition; the kernel's reports by type, order and cause; per arm the
 * workloads' measured targets and time to reach them), and the profiles
 * are put side by side as rows (results/compare.c; the table, JSON and
 * HTML in results/compare_out.c).
 */
#ifndef ALLOCREPRO_COMPARE_H
#define ALLOCREPRO_COMPARE_H

#include "reader.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#define CMP_MAX_RUNS 8
#define CMP_MAX_ROWS 128
#define CMP_ALPHA 0.05

enum cmp_kind {
	CMP_RATE,		/* repetitions that reproduced, of those that finished */
	CMP_VALUE,		/* a measured value: ratio, no test */
	CMP_COUNT,		/* kernel reports */
};

enum cmp_change { CMP_SAME, CMP_WORSE, CMP_BETTER };

struct cmp_row {
	char label[160];
	enum cmp_kind kind;
	/* per run (0 the baseline): present, value; rates k of n */
	bool has[CMP_MAX_RUNS];
	double v[CMP_MAX_RUNS];
	unsigned k[CMP_MAX_RUNS], n[CMP_MAX_RUNS];
	/* per candidate (index as the run): Fisher two-sided, Holm, change */
	double p[CMP_MAX_RUNS], p_holm[CMP_MAX_RUNS];
	enum cmp_change change[CMP_MAX_RUNS];
};

struct comparison {
	int nruns;
	struct run_data *runs;	/* not owned */
	char name[CMP_MAX_RUNS][160];	/* "dir (kernel release)" */
	/* a run given as DIR:ARM stands as that arm, in place of its baseline */
	const char *arm[CMP_MAX_RUNS];
	int nrows;
	struct cmp_row rows[CMP_MAX_ROWS];
	int regressions, improvements;
	/* runs with repetitions that did not finish (hang, panic, ...), or that
	 * did not complete: what is compared of them is partial */
	bool partial[CMP_MAX_RUNS];
	int npartial;
	double geomean[CMP_MAX_RUNS];	/* of the value ratios to the baseline, 0 none */
};

/*
 * A run with repetitions that did not finish (or that did not complete)
 * is partial: its rates count only what finished, and a row says how many
 * did not.
 * Runs of different scenarios (their scenario's sha256) are refused with
 * err unless force.  arms[i] non-NULL: run i stands as that one arm, named
 * baseline (its other arms left out); an arm the run lacks is refused.
 * 0, or -1 with err.
 */
int compare_runs(struct run_data *runs, const char *const *arms, int nruns, bool force,
		 struct comparison *c, char *err, size_t errlen);

/* A row's rank: 0 a candidate regressed, 1 one improved, 2 unchanged. */
int compare_rank(const struct comparison *c, const struct cmp_row *r);

/* compare_merged.c: two merged directories, run by run (scenario, host,
 * kernel); 1 when a run regressed, else 3 when a pair was partial, 0 when
 * none, -1 with err. */
int compare_merged(const char *old, const char *new, bool json, bool force, char *err,
		   size_t errlen);

/* compare_out.c */
/* Run j's cell as the table shows it (for a candidate, how it differs). */
void compare_cell(char *buf, size_t len, const struct cmp_row *r, int j);
void compare_text(const struct comparison *c, FILE *f);
json_object *compare_json(const struct comparison *c);
/* -1 with err when a plot could not be drawn. */
int compare_html(const struct comparison *c, FILE *f, char *err, size_t errlen);

#endif
