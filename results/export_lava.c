/*
 * A run's verdicts as LAVA test cases: one line per verdict in the form a
 * LAVA test shell's result.txt takes, "<id> <pass|fail|skip|unknown>
 * [<measurement> <units>]", and, inside a LAVA test shell, each handed to
 * its lava-test-case helper (LAVA's Lava-Test Test Definition 1.0).
 */
#include "export.h"
#include "reader.h"
#include "util/jget.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ERROR (did not finish) fails the case; INCONCLUSIVE is LAVA's unknown. */
static const char *lava_result(const char *status)
{
	if (!strcmp(status, "PASS"))
		return "pass";
	if (!strcmp(status, "FAIL") || !strcmp(status, "ERROR"))
		return "fail";
	if (!strcmp(status, "SKIP"))
		return "skip";
	return "unknown";
}

/* The verdict's headline number: events matched, else the arm's failure
 * rate, else the baseline's, else a workload target's value. */
static bool measurement(json_object *v, double *x, const char **units)
{
	static const struct {
		const char *key, *units;
	} keys[] = { { "matched", "events" }, { "mitigation_rate", "failure_rate" },
		     { "baseline_rate", "failure_rate" }, { "value", "value" },
		     { "failures", "failures" } };
	json_object *m, *n;

	if (!json_object_object_get_ex(v, "measure", &m))
		return false;
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (json_object_object_get_ex(m, keys[i].key, &n) &&
		    (json_object_is_type(n, json_type_int) || json_object_is_type(n, json_type_double))) {
			*x = json_object_get_double(n);
			*units = keys[i].units;
			return true;
		}
	return false;
}

/* LAVA's test case names: no spaces or slashes. */
static void case_name(const char *id, char *out, size_t n)
{
	snprintf(out, n, "%s", id);
	for (char *p = out; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *p))
			*p = '_';
}

static int call_helper(const char *name, const char *result, bool has_m, double x, const char *units)
{
	char xs[64];
	pid_t pid;
	int st;

	snprintf(xs, sizeof(xs), "%g", x);
	pid = fork();
	if (pid == 0) {
		if (has_m)
			execlp("lava-test-case", "lava-test-case", name, "--result", result,
			       "--measurement", xs, "--units", units, (char *)NULL);
		else
			execlp("lava-test-case", "lava-test-case", name, "--result", result, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

bool lava_helper_present(void)
{
	return system("command -v lava-test-case >/dev/null 2>&1") == 0;
}

int export_lava(const char *dir, FILE *out, bool helper, char *err, size_t errlen)
{
	struct run_data rd;
	json_object *verdicts;
	int r = 0;

	if (run_data_load(dir, &rd, err, errlen))
		return -1;
	verdicts = run_verdicts(&rd);
	for (size_t i = 0; i < json_object_array_length(verdicts); i++) {
		json_object *v = json_object_array_get_idx(verdicts, i);
		const char *id = jget_str(v, "id"), *status = jget_str(v, "status"), *units = "";
		char name[256];
		double x = 0;
		bool has_m;

		if (!id || !status)
			continue;
		case_name(id, name, sizeof(name));
		has_m = measurement(v, &x, &units);
		if (helper && call_helper(name, lava_result(status), has_m, x, units)) {
			snprintf(err, errlen, "lava-test-case %s failed", name);
			r = -1;
		}
		if (has_m)
			fprintf(out, "%s %s %g %s\n", name, lava_result(status), x, units);
		else
			fprintf(out, "%s %s\n", name, lava_result(status));
	}
	run_data_free(&rd);
	return r;
}
