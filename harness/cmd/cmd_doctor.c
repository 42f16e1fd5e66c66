/*
 * allocrepro doctor [--json]: what this machine can run, before a run is
 * tried on it: kernel, NUMA nodes, zones, cgroups, the helper module, the
 * lab mark, KVM and QEMU.  Each check says what to do when it fails.
 * Exit 0 when native runs with the module can go ahead, 1 when not.
 */
#include "cli.h"
#include "lab/lab.h"
#include "parse/procfs_zone.h"
#include "runner/probe_kmod.h"
#include "safety/guard.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

struct check {
	const char *name;
	bool needed;		/* for a native run with the module */
	bool ok;
	char value[256];
	char hint[512];		/* what to do when not ok */
};

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void ck_kernel(struct check *c)
{
	struct utsname u;

	uname(&u);
	snprintf(c->value, sizeof(c->value), "%s %s", u.release, u.machine);
	c->ok = true;
}

static void ck_root(struct check *c)
{
	c->ok = geteuid() == 0;
	snprintf(c->value, sizeof(c->value), "%s", c->ok ? "yes" : "no");
	snprintf(c->hint, sizeof(c->hint), "native runs change sysctls, load the module and "
		 "protect themselves from the OOM killer: run as root");
}

/* Nodes with memory, as libnuma and numactl count them. */
static void ck_numa(struct check *c)
{
	DIR *d = opendir("/sys/devices/system/node");
	struct dirent *e;
	int n = 0, mem = 0;

	while (d && (e = readdir(d)) != NULL) {
		char *path, *text;
		long kb = 0;

		if (strncmp(e->d_name, "node", 4) || !strchr("0123456789", e->d_name[4]))
			continue;
		n++;
		path = xasprintf("/sys/devices/system/node/%s/meminfo", e->d_name);
		text = read_file(path, NULL);
		if (text && strstr(text, "MemTotal:"))
			sscanf(strstr(text, "MemTotal:") + 9, "%ld", &kb);
		mem += kb > 0;
		free(text);
		free(path);
	}
	if (d)
		closedir(d);
	c->ok = mem >= 1;
	snprintf(c->value, sizeof(c->value), "%d node%s, %d with memory%s", n ? n : 1,
		 n == 1 ? "" : "s", mem, mem > 1 ? "" : " (NUMA scenarios need 2: lab --topology numa2)");
}

static void ck_zones(struct check *c)
{
	static struct event e;
	char *zi = read_file("/proc/zoneinfo", NULL), *mi = read_file("/proc/meminfo", NULL);
	long cma_kb = 0;
	size_t off = 0;

	event_init(&e, EV_ALLOC_FAILURE);
	if (zi)
		zoneinfo_parse(zi, (int)(sysconf(_SC_PAGESIZE) / 1024), &e);
	for (int z = 0; z < e.nzones && off < sizeof(c->value) - 40; z++)
		off += (size_t)snprintf(c->value + off, sizeof(c->value) - off, "%s%d:%s", z ? " " : "",
					e.zones[z].node < 0 ? 0 : e.zones[z].node, e.zones[z].zone);
	if (mi && strstr(mi, "CmaTotal:"))
		sscanf(strstr(mi, "CmaTotal:") + 9, "%ld", &cma_kb);
	if (cma_kb > 0 && off < sizeof(c->value) - 40)
		snprintf(c->value + off, sizeof(c->value) - off, ", CMA %ld MiB", cma_kb / 1024);
	c->ok = e.nzones > 0;
	snprintf(c->hint, sizeof(c->hint), "/proc/zoneinfo shows no zone with managed pages");
	free(zi);
	free(mi);
}

static void ck_cgroup(struct check *c)
{
	char *ctl = read_file("/sys/fs/cgroup/cgroup.controllers", NULL);

	if (ctl) {
		c->ok = strstr(ctl, "memory") != NULL;
		snprintf(c->value, sizeof(c->value), "v2%s", c->ok ? ", memory controller" :
			 ", no memory controller");
	} else {
		c->ok = exists("/sys/fs/cgroup/memory/memory.limit_in_bytes");
		snprintf(c->value, sizeof(c->value), "%s", c->ok ? "v1, memory" : "none");
	}
	snprintf(c->hint, sizeof(c->hint), "workloads are fenced in a memory cgroup: mount "
		 "cgroup2 with the memory controller (or v1 memory)");
	free(ctl);
}

static void ck_modules(struct check *c)
{
	c->ok = exists("/proc/modules");
	snprintf(c->value, sizeof(c->value), "%s", c->ok ? "supported" :
		 "not supported by this kernel (no /proc/modules)");
	snprintf(c->hint, sizeof(c->hint), "the helper module cannot load here: run module "
		 "scenarios in the lab (allocrepro lab run), native-hugetlb needs no module");
}

static void ck_module(struct check *c)
{
	char *path = kmod_default_path();
	struct utsname u;
	char *hdr;

	uname(&u);
	hdr = xasprintf("/lib/modules/%s/build", u.release);
	c->ok = exists(path) || exists("/sys/module/allocrepro_helper");
	snprintf(c->value, sizeof(c->value), "%s", exists("/sys/module/allocrepro_helper") ?
		 "loaded" : c->ok ? path : "none");
	snprintf(c->hint, sizeof(c->hint), "apt-get install allocrepro-dkms%s%s (DKMS builds it "
		 "for the running kernel), or 'make kmod' in the source tree", exists(hdr) ? "" :
		 " linux-headers-", exists(hdr) ? "" : u.release);
	free(hdr);
	free(path);
}

static void ck_lab_mark(struct check *c)
{
	c->ok = machine_is_lab();
	snprintf(c->value, sizeof(c->value), "%s", c->ok ? "yes" : "no");
	snprintf(c->hint, sizeof(c->hint), "settings are changed only on a lab machine: "
		 "touch /etc/allocrepro/lab (or pass --destructive to one run)");
}

static void ck_kvm(struct check *c)
{
	c->ok = lab_kvm_usable();
	snprintf(c->value, sizeof(c->value), "%s", c->ok ? "usable: lab guests run under KVM" :
		 "not usable: lab guests run under TCG (about 10x slower)");
	snprintf(c->hint, sizeof(c->hint), "a CPU with VMX/SVM and /dev/kvm for fast lab runs");
}

static void ck_tool(struct check *c, const char *tool, const char *pkg, const char *why)
{
	char *cmd = xasprintf("command -v %s >/dev/null 2>&1", tool);

	c->ok = system(cmd) == 0;
	snprintf(c->value, sizeof(c->value), "%s", c->ok ? "yes" : "no");
	snprintf(c->hint, sizeof(c->hint), "apt-get install %s (%s)", pkg, why);
	free(cmd);
}

static void ck_qemu(struct check *c)
{
	ck_tool(c, "qemu-system-x86_64", "qemu-system-x86", "the lab");
}

static void ck_stressng(struct check *c)
{
	ck_tool(c, "stress-ng", "stress-ng", "the stress-ng workload");
}

static const struct {
	const char *name;
	bool needed;
	void (*fn)(struct check *c);
} checks[] = {
	{ "kernel", false, ck_kernel },
	{ "root", true, ck_root },
	{ "numa", false, ck_numa },
	{ "zones", false, ck_zones },
	{ "cgroup", true, ck_cgroup },
	{ "modules", true, ck_modules },
	{ "helper module", true, ck_module },
	{ "lab machine", false, ck_lab_mark },
	{ "kvm", false, ck_kvm },
	{ "qemu", false, ck_qemu },
	{ "stress-ng", false, ck_stressng },
};

#define NCHECKS ARRAY_LEN(checks)

static void print_json(const struct check *c, bool native)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	for (size_t i = 0; i < NCHECKS; i++) {
		json_object *k = json_object_new_object();

		json_object_object_add(k, "name", json_object_new_string(c[i].name));
		json_object_object_add(k, "value", json_object_new_string(c[i].value));
		json_object_object_add(k, "ok", json_object_new_boolean(c[i].ok));
		json_object_object_add(k, "needed", json_object_new_boolean(c[i].needed));
		if (!c[i].ok && c[i].hint[0])
			json_object_object_add(k, "hint", json_object_new_string(c[i].hint));
		json_object_array_add(a, k);
	}
	json_object_object_add(o, "checks", a);
	json_object_object_add(o, "native_module_runs", json_object_new_boolean(native));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
}

int cmd_doctor(int argc, char **argv)
{
	struct check c[NCHECKS];
	bool json = false, native = true;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else {
			log_msg("doctor: unknown argument '%s' (usage: allocrepro doctor [--json])",
				argv[i]);
			return EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < NCHECKS; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].name = checks[i].name;
		c[i].needed = checks[i].needed;
		checks[i].fn(&c[i]);
		native &= c[i].ok || !c[i].needed;
	}
	if (json) {
		print_json(c, native);
		return native ? 0 : 1;
	}
	for (size_t i = 0; i < NCHECKS; i++) {
		printf("%-14s %-4s %s\n", c[i].name, c[i].ok ? "ok" : c[i].needed ? "MISS" : "-",
		       c[i].value);
		if (!c[i].ok && c[i].hint[0])
			printf("%-19s %s\n", "", c[i].hint);
	}
	printf("native runs with the helper module: %s\n", native ? "yes" :
	       "no (see MISS above); the lab runs every scenario");
	return native ? 0 : 1;
}
