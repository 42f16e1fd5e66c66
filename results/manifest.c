#include "manifest.h"
#include "util/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static const char *const sysctls[] = {
	"vm/min_free_kbytes", "vm/watermark_scale_factor", "vm/watermark_boost_factor",
	"vm/zone_reclaim_mode", "vm/lowmem_reserve_ratio", "vm/extfrag_threshold",
	"vm/compaction_proactiveness", "vm/compact_unevictable_allowed",
	"vm/overcommit_memory", "vm/swappiness", "vm/nr_hugepages",
};

static json_object *read_trimmed(const char *path)
{
	char *s = read_file(path, NULL);
	json_object *o;

	if (!s)
		return NULL;
	s[strcspn(s, "\n")] = '\0';
	for (char *t = s; *t; t++)
		if (*t == '\t')
			*t = ' ';
	o = json_object_new_string(s);
	free(s);
	return o;
}

static json_object *zones_from_zoneinfo(void)
{
	char *zi = read_file("/proc/zoneinfo", NULL);
	json_object *zones = json_object_new_array(), *cur = NULL;

	for (char *s = zi, *nl; s && *s; s = nl ? nl + 1 : NULL) {
		int node;
		char zone[16];
		unsigned long v;

		nl = strchr(s, '\n');
		if (sscanf(s, "Node %d, zone %15s", &node, zone) == 2) {
			cur = json_object_new_object();
			json_object_object_add(cur, "node", json_object_new_int(node));
			json_object_object_add(cur, "zone", json_object_new_string(zone));
			json_object_array_add(zones, cur);
		} else if (cur && sscanf(s, " managed %lu", &v) == 1) {
			json_object_object_add(cur, "managed_pages", json_object_new_int64((int64_t)v));
		} else if (cur && sscanf(s, " present %lu", &v) == 1) {
			json_object_object_add(cur, "present_pages", json_object_new_int64((int64_t)v));
		}
	}
	free(zi);
	return zones;
}

static int count_nodes(void)
{
	DIR *d = opendir("/sys/devices/system/node");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 1;
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, "node", 4) && e->d_name[4] >= '0' && e->d_name[4] <= '9';
	closedir(d);
	return n ? n : 1;
}

static bool is_vm(void)
{
	char *ci = read_file("/proc/cpuinfo", NULL);
	bool vm = ci && strstr(ci, " hypervisor");

	free(ci);
	return vm;
}

static json_object *sysctls_json(const struct sc_sysctl *s, int n)
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < n; i++)
		json_object_object_add(o, s[i].name, json_object_new_string(s[i].value));
	return o;
}

/* What the run changes: the scenario's sysctls, and each arm's. */
static json_object *settings_json(const struct scenario *sc)
{
	json_object *set = json_object_new_object(), *arms = json_object_new_array();

	json_object_object_add(set, "design", json_object_new_string(sc->paired ? "paired" :
									  "independent"));
	json_object_object_add(set, "sysctls", sysctls_json(sc->sysctls, sc->nsysctls));
	for (int a = 0; a < sc->narms; a++) {
		const struct sc_arm *arm = &sc->arms[a];
		json_object *o = json_object_new_object(), *act = json_object_new_array();

		json_object_object_add(o, "name", json_object_new_string(arm->name));
		json_object_object_add(o, "sysctls", sysctls_json(arm->sysctls, arm->nsysctls));
		for (int i = 0; i < arm->nactions; i++)
			json_object_array_add(act, json_object_new_string(
				arm->actions[i] == ACT_DROP_CACHES ? "drop_caches" : "compact_memory"));
		json_object_object_add(o, "actions", act);
		if (arm->boot[0])
			json_object_object_add(o, "boot", json_object_new_string(arm->boot));
		if (arm->kernel[0])
			json_object_object_add(o, "kernel", json_object_new_string(arm->kernel));
		if (arm->topology[0])
			json_object_object_add(o, "topology", json_object_new_string(arm->topology));
		if (arm->memory_mb)
			json_object_object_add(o, "memory_mb", json_object_new_int((int)arm->memory_mb));
		json_object_array_add(arms, o);
	}
	json_object_object_add(set, "arms", arms);
	return set;
}

void manifest_identity(json_object *m, long long started)
{
	struct utsname u;
	time_t t = (time_t)started;
	struct tm tm;
	char when[32], stamp[32], *id;
	/* a fleet names its machines (ALLOCREPRO_HOST: the inventory's name);
	 * their nodenames can be alike, or say nothing */
	const char *host = getenv("ALLOCREPRO_HOST");

	uname(&u);
	if (!host || !*host)
		host = u.nodename;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	id = xasprintf("%s-%s-%d", host, stamp, (int)getpid());
	json_object_object_add(m, "host", json_object_new_string(host));
	json_object_object_add(m, "start_time", json_object_new_string(when));
	json_object_object_add(m, "run_id", json_object_new_string(id));
	free(id);
}

json_object *manifest_build(const struct scenario *sc, uint64_t seed, unsigned repeat)
{
	json_object *m = json_object_new_object(), *o, *topo, *sys, *tools, *scen;
	struct utsname u;

	uname(&u);
	json_object_object_add(m, "results_format", json_object_new_int(RESULTS_FORMAT));
	manifest_identity(m, (long long)time(NULL));
	json_object_object_add(m, "kernel_release", json_object_new_string(u.release));
	json_object_object_add(m, "kernel_version", json_object_new_string(u.version));
	json_object_object_add(m, "arch", json_object_new_string(u.machine));
	o = read_trimmed("/proc/cmdline");
	if (o)
		json_object_object_add(m, "cmdline", o);
	json_object_object_add(m, "machine", json_object_new_string(is_vm() ? "vm" : "bare_metal"));
	topo = json_object_new_object();
	json_object_object_add(topo, "nodes", json_object_new_int(count_nodes()));
	json_object_object_add(topo, "zones", zones_from_zoneinfo());
	json_object_object_add(m, "topology", topo);
	sys = json_object_new_object();
	for (size_t i = 0; i < ARRAY_LEN(sysctls); i++) {
		char *p = xasprintf("/proc/sys/%s", sysctls[i]);
		char *name = xstrdup(sysctls[i]);

		for (char *t = name; *t; t++)
			if (*t == '/')
				*t = '.';
		o = read_trimmed(p);
		if (o)
			json_object_object_add(sys, name, o);
		free(p);
		free(name);
	}
	json_object_object_add(m, "sysctls_before", sys);
	tools = json_object_new_object();
	json_object_object_add(tools, "allocrepro", json_object_new_string(ALLOCREPRO_VERSION));
	json_object_object_add(tools, "json-c", json_object_new_string(json_c_version()));
	json_object_object_add(m, "tools", tools);
	scen = json_object_new_object();
	json_object_object_add(scen, "name", json_object_new_string(sc->name));
	json_object_object_add(scen, "path", json_object_new_string(sc->path));
	json_object_object_add(scen, "sha256", json_object_new_string(sc->hash));
	json_object_object_add(m, "scenario", scen);
	json_object_object_add(m, "settings", settings_json(sc));
	json_object_object_add(m, "seed", json_object_new_int64((int64_t)seed));
	json_object_object_add(m, "repeat", json_object_new_int((int)repeat));
	return m;
}

void manifest_add_order(struct results *r, json_object *order)
{
	char *path = path_join(r->dir, "manifest.json");
	json_object *m = json_object_from_file(path);

	if (m) {
		json_object_object_add(m, "order", json_object_get(order));
		results_write_json(r, "manifest.json", m);
		json_object_put(m);
	}
	free(path);
}
