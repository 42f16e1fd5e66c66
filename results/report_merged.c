/* allocrepro report MERGED: the matrix of scenario x host x kernel of a
 * merged directory (results/merge.h), each run's outcome and verdicts. */
#include "report.h"
#include "merge.h"
#include "util/jget.h"
#include "html.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const statuses[] = { "PASS", "FAIL", "INCONCLUSIVE", "ERROR", "SKIP" };

/* "PASS 3, FAIL 1" of a run's verdicts; "unreadable: why" when it is not
 * a results directory any more. */
static void tally(const char *dir, char *buf, size_t len)
{
	struct run_data rd;
	char err[200];
	int n[5] = { 0 };
	size_t used = 0;

	buf[0] = '\0';
	if (run_data_load(dir, &rd, err, sizeof(err))) {
		snprintf(buf, len, "unreadable: %.200s", err);
		return;
	}
	for (size_t i = 0; i < jlen(run_verdicts(&rd)); i++) {
		const char *st = jget_str(json_object_array_get_idx(run_verdicts(&rd), i), "status");

		for (int k = 0; k < 5; k++)
			n[k] += st && !strcmp(st, statuses[k]);
	}
	for (int k = 0; k < 5 && used < len; k++)
		if (n[k])
			used += (size_t)snprintf(buf + used, len - used, "%s%s %d", used ? ", " : "",
						 statuses[k], n[k]);
	run_data_free(&rd);
}

int report_merged(const char *dir, FILE *f, bool html, char *err, size_t errlen)
{
	json_object *runs = merged_runs(dir, err, errlen);
	static const char *const cols[] = { "scenario", "host", "kernel", "topology", "outcome" };
	char buf[256];

	if (!runs)
		return -1;
	if (html) {
		fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
		      "allocrepro: merged results</title>\n<style>body{font-family:sans-serif;margin:2em}"
		      "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 8px}"
		      "</style>\n</head>\n<body>\n<h1>Merged results: ", f);
		html_esc(f, dir);
		fprintf(f, "</h1>\n<p>%zu runs; each has a report of its own (allocrepro report "
			"%s/runs/ID).</p>\n<table>\n<tr>", jlen(runs), "MERGED");
		for (size_t k = 0; k < ARRAY_LEN(cols); k++)
			fprintf(f, "<th>%s</th>", cols[k]);
		fputs("<th>verdicts</th><th>id</th></tr>\n", f);
	} else {
		fprintf(f, "%s: %zu runs (scenario x host x kernel)\n", dir, jlen(runs));
	}
	for (size_t i = 0; i < jlen(runs); i++) {
		json_object *r = json_object_array_get_idx(runs, i);
		char *sub = path_join(dir, jget_str(r, "dir") ? jget_str(r, "dir") : "");

		tally(sub, buf, sizeof(buf));
		free(sub);
		if (!html) {
			fprintf(f, "  %-36s %-16s %-22s %-8s %-10s %s\n", jget_str(r, "scenario"),
				jget_str(r, "host"), jget_str(r, "kernel"), jget_str(r, "topology"),
				jget_str(r, "outcome"), buf);
			continue;
		}
		fputs("<tr>", f);
		for (size_t k = 0; k < ARRAY_LEN(cols); k++) {
			fputs("<td>", f);
			html_esc(f, jget_str(r, cols[k]));
			fputs("</td>", f);
		}
		fputs("<td>", f);
		html_esc(f, buf);
		fputs("</td><td>", f);
		html_esc(f, jget_str(r, "id"));
		fputs("</td></tr>\n", f);
	}
	if (html)
		fputs("</table>\n</body>\n</html>\n", f);
	json_object_put(runs);
	return 0;
}
