/*
 * allocrepro export --kcidb DIR: KernelCI's KCIDB I/O schema 5.3 (kcidb-io,
 * kcidb_io/schema/v05_03.py).  Each kernel release (with its arch) is one
 * checkout and one build; each verdict of each run one test, path
 * allocrepro.<verdict id>, and each run one test of its own (path
 * allocrepro.<scenario>) with the run's outcome.  Ids are
 * "<origin>:<...>"; nothing is null, as the schema asks.
 */
#include "export.h"
#include "merge.h"
#include "util/jget.h"
#include "util/util.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

struct kcidb {
	const char *origin;
	json_object *checkouts, *builds, *tests;
};

/* KCIDB has no INCONCLUSIVE: DONE is "completed, no verdict on the code". */
static const char *kcidb_status(const char *st)
{
	static const char *const same[] = { "PASS", "FAIL", "ERROR", "SKIP" };

	for (size_t i = 0; st && i < ARRAY_LEN(same); i++)
		if (!strcmp(st, same[i]))
			return same[i];
	return "DONE";
}

static char *id_of(const struct kcidb *k, const char *fmt, const char *a, const char *b)
{
	return xasprintf("%s:%s%s%s%s", k->origin, fmt, a, b ? "-" : "", b ? b : "");
}

static bool listed(json_object *list, const char *id)
{
	for (size_t i = 0; i < jlen(list); i++)
		if (!strcmp(jget_str(json_object_array_get_idx(list, i), "id"), id))
			return true;
	return false;
}

/* A copy of o without null members, at any depth (KCIDB allows none). */
static json_object *no_nulls(json_object *o)
{
	json_object *c;

	if (json_object_is_type(o, json_type_array)) {
		c = json_object_new_array();
		for (size_t i = 0; i < jlen(o); i++)
			if (json_object_array_get_idx(o, i))
				json_object_array_add(c, no_nulls(json_object_array_get_idx(o, i)));
		return c;
	}
	if (!json_object_is_type(o, json_type_object))
		return json_object_get(o);
	c = json_object_new_object();
	json_object_object_foreach(o, key, v)
		if (v)
			json_object_object_add(c, key, no_nulls(v));
	return c;
}

static void put_str(json_object *o, const char *key, const char *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string(v));
}

/* uname's machine as KCIDB's architecture ([a-z0-9_]: x86_64, i386, arm64). */
static const char *kcidb_arch(const char *machine, char *buf, size_t len)
{
	size_t n = 0;

	if (!strcmp(machine, "aarch64"))
		return "arm64";
	if (machine[0] == 'i' && strstr(machine, "86"))
		return "i386";
	for (const char *c = machine; *c && n + 1 < len; c++)
		if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')
			buf[n++] = *c;
	buf[n] = '\0';
	return buf;
}

/* The checkout and build of the run's kernel (once each); its build id. */
static char *kernel_objects(struct kcidb *k, const struct run_data *rd)
{
	json_object *m = rd->manifest, *lab = json_object_object_get(m, "lab");
	const char *rel = jget_str(m, "kernel_release") ? jget_str(m, "kernel_release") : "unknown";
	const char *arch = jget_str(m, "arch") ? jget_str(m, "arch") : "unknown";
	const char *name = lab && jget_str(lab, "kernel") ? jget_str(lab, "kernel") : rel;
	char *cid = id_of(k, "checkout-", rel, NULL), *bid = id_of(k, "build-", rel, arch), buf[32];
	json_object *o;

	if (!listed(k->checkouts, cid)) {
		o = json_object_new_object();
		put_str(o, "id", cid);
		put_str(o, "origin", k->origin);
		put_str(o, "tree_name", strncmp(name, "debian", 6) ? "user" : "debian");
		put_str(o, "comment", jget_str(m, "kernel_version") ? jget_str(m, "kernel_version") : rel);
		json_object_object_add(o, "valid", json_object_new_boolean(true));
		json_object_array_add(k->checkouts, o);
	}
	if (!listed(k->builds, bid)) {
		o = json_object_new_object();
		put_str(o, "id", bid);
		put_str(o, "origin", k->origin);
		put_str(o, "checkout_id", cid);
		put_str(o, "architecture", kcidb_arch(arch, buf, sizeof(buf)));
		put_str(o, "config_name", name);
		put_str(o, "status", "PASS");	/* it booted and ran */
		json_object_array_add(k->builds, o);
	}
	free(cid);
	return bid;
}

/* The measure a verdict is about, as KCIDB's "number". */
static json_object *number_of(json_object *v)
{
	static const char *const keys[][2] = {
		{ "difference", "" }, { "baseline_rate", "" }, { "matched", "reports" },
		{ "measured", "" },
	};
	json_object *m = json_object_object_get(v, "measure"), *x, *n;

	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		if (!json_object_object_get_ex(m, keys[i][0], &x) ||
		    !(json_object_is_type(x, json_type_double) || json_object_is_type(x, json_type_int)))
			continue;
		n = json_object_new_object();
		json_object_object_add(n, "value", json_object_new_double(json_object_get_double(x)));
		if (keys[i][1][0])
			put_str(n, "unit", keys[i][1]);
		return n;
	}
	return NULL;
}

/* Where the run ran, for each of its tests. */
static json_object *environment(const struct run_data *rd)
{
	json_object *e = json_object_new_object(), *misc = json_object_new_object();
	json_object *lab = json_object_object_get(rd->manifest, "lab");
	const char *host = jget_str(rd->manifest, "host");
	char *comment = lab ? xasprintf("lab %s, %s, %lld MiB, %lld CPUs (%s) on %s",
					jget_str(lab, "kernel"), jget_str(lab, "topology"),
					(long long)jget_int(lab, "memory_mb", 0),
					(long long)jget_int(lab, "cpus", 0), jget_str(lab, "accel"),
					host ? host : "unknown") :
			      xasprintf("%s on %s", jget_str(rd->manifest, "machine"),
					host ? host : "unknown");

	put_str(e, "comment", comment);
	free(comment);
	put_str(misc, "host", host);
	if (lab)
		json_object_object_add(misc, "lab", no_nulls(lab));
	if (json_object_object_get(rd->manifest, "settings"))
		json_object_object_add(misc, "settings", no_nulls(
			json_object_object_get(rd->manifest, "settings")));
	if (json_object_object_get(rd->manifest, "topology"))
		json_object_object_add(misc, "topology", no_nulls(
			json_object_object_get(rd->manifest, "topology")));
	json_object_object_add(e, "misc", misc);
	return e;
}

static json_object *test_json(struct kcidb *k, const struct run_data *rd, const char *bid,
			      const char *path_tail, const char *status, const char *run_id)
{
	json_object *t = json_object_new_object();
	char *id = xasprintf("%s:%s:%s", k->origin, run_id, path_tail);
	char *path = xasprintf("allocrepro.%s", path_tail);

	put_str(t, "id", id);
	put_str(t, "origin", k->origin);
	put_str(t, "build_id", bid);
	put_str(t, "path", path);
	put_str(t, "status", kcidb_status(status));
	put_str(t, "start_time", jget_str(rd->manifest, "start_time"));
	json_object_object_add(t, "environment", environment(rd));
	free(id);
	free(path);
	return t;
}

/* The run's tests: one per verdict, and the run's own. */
static void one_run(struct kcidb *k, const struct run_data *rd, const char *run_id)
{
	char *bid = kernel_objects(k, rd);
	json_object *v = run_verdicts(rd), *t, *misc, *n;
	const char *out = run_outcome(rd), *worst = "PASS";
	bool done = !strcmp(out, "completed") || !strcmp(out, "skipped");

	for (size_t i = 0; i < jlen(v); i++) {
		json_object *o = json_object_array_get_idx(v, i);
		const char *st = jget_str(o, "status") ? jget_str(o, "status") : "ERROR";

		t = test_json(k, rd, bid, jget_str(o, "id"), st, run_id);
		if ((n = number_of(o)))
			json_object_object_add(t, "number", n);
		misc = json_object_new_object();
		put_str(misc, "allocrepro_status", st);
		put_str(misc, "reason", jget_str(o, "reason"));
		if (json_object_object_get(o, "measure"))
			json_object_object_add(misc, "measure", no_nulls(
				json_object_object_get(o, "measure")));
		json_object_object_add(t, "misc", misc);
		json_object_array_add(k->tests, t);
		worst = !strcmp(st, "FAIL") || !strcmp(worst, "FAIL") ? "FAIL" :
			!strcmp(st, "ERROR") || !strcmp(worst, "ERROR") ? "ERROR" : worst;
	}
	t = test_json(k, rd, bid, run_scenario(rd), done ? worst : "ERROR", run_id);
	n = json_object_new_object();
	json_object_object_add(n, "value", json_object_new_double((double)jget_int(rd->summary,
										   "exit_code", -1)));
	put_str(n, "unit", "exit code");
	json_object_object_add(t, "number", n);
	misc = json_object_new_object();
	put_str(misc, "outcome", out);
	json_object_object_add(t, "misc", misc);
	json_object_array_add(k->tests, t);
	free(bid);
}

json_object *export_kcidb(const char *dir, const char *origin, char *err, size_t errlen)
{
	struct kcidb k = { origin, json_object_new_array(), json_object_new_array(),
			   json_object_new_array() };
	json_object *doc = NULL, *runs = merged_dir(dir) ? merged_runs(dir, err, errlen) : NULL;
	size_t n = merged_dir(dir) ? jlen(runs) : 1;
	int bad = merged_dir(dir) && !runs;

	for (size_t i = 0; !bad && i < n; i++) {
		char *sub = runs ? path_join(dir, jget_str(json_object_array_get_idx(runs, i), "dir")) :
			    xstrdup(dir), *id;
		struct run_data rd;

		bad = run_data_load(sub, &rd, err, errlen);
		free(sub);
		if (bad)
			break;
		id = merge_run_id(&rd);
		one_run(&k, &rd, id);
		free(id);
		run_data_free(&rd);
	}
	if (!bad) {
		json_object *ver = json_object_new_object();

		doc = json_object_new_object();
		json_object_object_add(ver, "major", json_object_new_int(5));
		json_object_object_add(ver, "minor", json_object_new_int(3));
		json_object_object_add(doc, "version", ver);
		json_object_object_add(doc, "checkouts", json_object_get(k.checkouts));
		json_object_object_add(doc, "builds", json_object_get(k.builds));
		json_object_object_add(doc, "tests", json_object_get(k.tests));
	}
	json_object_put(runs);
	json_object_put(k.checkouts);
	json_object_put(k.builds);
	json_object_put(k.tests);
	return doc;
}

bool export_origin_valid(const char *origin)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, "^[a-z0-9_]+$", REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&re, origin, 0, NULL, 0);
	regfree(&re);
	return ok;
}
