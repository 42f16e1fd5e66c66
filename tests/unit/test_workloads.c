/* The workloads' shared parts on real input: stress-ng's --yaml reports as
 * stress-ng 0.15.06 wrote them (a timed run, a run stopped by SIGINT, as the
 * workload stops it), and parameters as scenarios and the CLI give them. */
#include "tap.h"
#include "workloads/stressng_yaml.h"
#include "util/util.h"
#include "workloads/workload.h"

#include <stdlib.h>
#include <string.h>

static void yaml_report(const char *file, double min_bogo)
{
	char *path = xasprintf("fixtures/stress-ng/%s", file), err[256];
	const char *full = fixture("TESTS", path);
	size_t len;
	char *text = read_file(full, &len);
	struct sng_metric m[4];
	int n;

	ok(text != NULL, "read %s", full);
	if (!text) {
		free(path);
		return;
	}
	n = stressng_yaml_parse(text, len, m, 4, err, sizeof(err));
	is_int(n, 1, "one stressor in the metrics list");
	is_str(m[0].stressor, "vm", "stressor name");
	ok(m[0].bogo_ops >= min_bogo, "%s: bogo-ops %.0f", file, m[0].bogo_ops);
	ok(m[0].wall_s > 1 && m[0].max_rss_kb > 30000, "wall clock and max-rss read");
	/* a report cut short (a killed stress-ng) is not taken for another */
	text[len / 3] = '\0';
	n = stressng_yaml_parse(text, len / 3, m, 4, err, sizeof(err));
	ok(n == -1 && err[0], "the first third of the report is refused: %s", err);
	free(text);
	free(path);
}

static void not_stressng(void)
{
	static const char other[] = "---\nname: smoke\nsteps: []\n";
	struct sng_metric m[2];
	char err[256];

	is_int(stressng_yaml_parse(other, strlen(other), m, 2, err, sizeof(err)), -1,
	       "a scenario file is not a stress-ng report");
}

static void params(void)
{
	const struct workload_ops *w = workload_find("fragment");
	struct wl_args a;
	int i;

	ok(w != NULL, "fragment is registered");
	if (!w)
		return;
	wl_args_default(w, &a);
	i = wl_param_index(w, "recipe");
	ok(wl_param_set(w, i, "mlock", &a) == NULL, "recipe=mlock accepted");
	ok(wl_param_set(w, i, "mlo", &a) != NULL, "a prefix of a choice is refused");
	ok(wl_param_set(w, i, "", &a) != NULL, "an empty choice is refused");
	i = wl_param_index(w, "order");
	ok(wl_param_set(w, i, "3.5", &a) != NULL, "order=3.5 refused (whole number)");
	ok(wl_param_set(w, i, "11", &a) != NULL, "order=11 refused (range)");
	ok(wl_param_set(w, i, "4", &a) == NULL && a.v[i] == 4, "order=4 accepted");
	ok(wl_param_index(w, "keep_order") < 0, "unknown names are not found");
	for (const struct workload_ops *const *p = workload_all(); *p; p++) {
		int seen = 0;

		for (const struct wl_param *q = (*p)->params; q->name; q++)
			seen++;
		ok(seen > 0 && seen <= WL_MAX_PARAMS, "%s: %d parameters", (*p)->name, seen);
	}
}

int main(void)
{
	yaml_report("vm-0.15.06-host.yaml", 1000);
	yaml_report("vm-0.15.06-sigint.yaml", 1000);
	not_stressng();
	params();
	return done_testing();
}
