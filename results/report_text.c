/* allocrepro report DIR without -o: what a run showed, on a terminal. */
#include "report.h"
#include "report_events.h"
#include "util/jget.h"

#include <string.h>

static void verdict(FILE *f, json_object *v)
{
	json_object *m = json_object_object_get(v, "measure");
	const char *why = jget_str(v, "reason");

	fprintf(f, "  %-13s %s\n", jget_str(v, "status"), jget_str(v, "id"));
	if (json_object_object_get_ex(m, "baseline_rate_ci95", NULL) &&
	    json_object_object_get_ex(m, "mitigation_rate_ci95", NULL))
		fprintf(f, "                baseline %lld/%lld, mitigation %lld/%lld, difference %.2f, "
			"p (Holm) %.3g\n", (long long)jget_int(m, "baseline_failed", 0),
			(long long)jget_int(m, "baseline_repetitions", 0),
			(long long)jget_int(m, "mitigation_failed", 0),
			(long long)jget_int(m, "mitigation_repetitions", 0),
			jget_num(m, "difference", 0), jget_num(m, "p_holm", 1));
	if (why)
		fprintf(f, "                %s\n", why);
}

void report_text(const struct run_data *rd, FILE *f)
{
	json_object *v = run_verdicts(rd), *ev = report_events(rd);
	json_object *lab = json_object_object_get(rd->manifest, "lab");

	fprintf(f, "%s: %s, exit code %lld\n", run_scenario(rd), run_outcome(rd),
		(long long)jget_int(rd->summary, "exit_code", -1));
	fprintf(f, "kernel %s (%s)%s%s\n", jget_str(rd->manifest, "kernel_release"),
		jget_str(rd->manifest, "arch"), lab ? ", lab topology " : "",
		lab ? jget_str(lab, "topology") : "");
	if (strcmp(run_outcome(rd), "completed") && strcmp(run_outcome(rd), "skipped"))
		fprintf(f, "this run did not complete: what follows is partial\n");
	fprintf(f, "verdicts:\n");
	for (size_t i = 0; i < jlen(v); i++)
		verdict(f, json_object_array_get_idx(v, i));
	fprintf(f, "kernel reports: %zu distinct\n", jlen(ev));
	for (size_t i = 0; i < jlen(ev); i++) {
		json_object *r = json_object_array_get_idx(ev, i), *e = json_object_object_get(r, "event");
		json_object *d = json_object_object_get(r, "diagnosis");
		char gfp[256];

		fprintf(f, "  %s order %lld %s x%lld: %s\n", jget_str(e, "type"),
			(long long)jget_int(e, "order", -1), report_gfp(e, gfp, sizeof(gfp)),
			(long long)jget_int(r, "count", 1),
			jget_str(d, "cause"));
		if (jget_str(d, "evidence"))
			fprintf(f, "    %s\n", jget_str(d, "evidence"));
	}
	json_object_put(ev);
}
