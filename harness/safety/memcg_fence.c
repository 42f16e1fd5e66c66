#include "memcg_fence.h"
#include "journal.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <libcgroup.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char mount_point[256];
static int version;

static int setup(char *err, size_t errlen)
{
	static int done, ret;
	char *mp = NULL, *probe;
	struct stat st;

	if (done)
		return ret;
	done = 1;
	ret = cgroup_init();
	if (ret) {
		snprintf(err, errlen, "cgroups: libcgroup cannot initialise: %s "
			 "(is a memory cgroup hierarchy mounted?)", cgroup_strerror(ret));
		return ret = -1;
	}
	ret = cgroup_get_subsys_mount_point("memory", &mp);
	if (ret || !mp) {
		snprintf(err, errlen, "cgroups: no memory controller is mounted (v1 or v2): %s",
			 cgroup_strerror(ret));
		free(mp);
		return ret = -1;
	}
	snprintf(mount_point, sizeof(mount_point), "%.200s", mp);
	free(mp);
	/* cgroup2 has cgroup.controllers in every group, v1 never */
	probe = path_join(mount_point, "cgroup.controllers");
	version = stat(probe, &st) == 0 ? 2 : 1;
	free(probe);
	return ret = 0;
}

/* cgroup2: memory must be enabled in the parent's subtree_control. */
static int enable_memory_v2(const char *dir)
{
	char *p = path_join(dir, "cgroup.subtree_control"), *cur = read_file(p, NULL);
	int r = 0;

	if (cur && !strstr(cur, "memory")) {
		FILE *f = fopen(p, "w");

		r = !f || fputs("+memory", f) < 0;
		if (f && fclose(f))
			r = 1;
	}
	free(cur);
	free(p);
	return r ? -1 : 0;
}

int memcg_fence_create(struct memcg_fence *f, const char *name, uint64_t limit_bytes,
		       struct journal *j, char *err, size_t errlen)
{
	struct cgroup *cg;
	struct cgroup_controller *mem;
	int r;

	memset(f, 0, sizeof(*f));
	if (setup(err, errlen))
		return -1;
	f->version = version;
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->path, sizeof(f->path), "%s/%.120s", mount_point, name);
	if (journal_add(j, "cgroup", f->path, NULL)) {
		snprintf(err, errlen, "cgroups: cannot journal %s", f->path);
		return -1;
	}
	if (version == 2 && enable_memory_v2(mount_point)) {
		snprintf(err, errlen, "cgroups: cannot enable memory in %s/cgroup.subtree_control",
			 mount_point);
		return -1;
	}
	cg = cgroup_new_cgroup(name);
	mem = cg ? cgroup_add_controller(cg, "memory") : NULL;
	if (!mem) {
		snprintf(err, errlen, "cgroups: cannot describe group %s", name);
		cgroup_free(&cg);
		return -1;
	}
	if (limit_bytes)
		cgroup_add_value_uint64(mem, version == 2 ? "memory.max" : "memory.limit_in_bytes",
					limit_bytes);
	r = cgroup_create_cgroup(cg, 0);
	if (r) {
		snprintf(err, errlen, "cgroups: cannot create %s: %s", f->path, cgroup_strerror(r));
		cgroup_free(&cg);
		return -1;
	}
	f->cg = cg;
	return 0;
}

int memcg_fence_attach(struct memcg_fence *f, pid_t pid)
{
	int r = cgroup_attach_task_pid(f->cg, pid);

	if (r)
		log_msg("cgroups: cannot move %ld into %s: %s", (long)pid, f->path,
			cgroup_strerror(r));
	return r ? -1 : 0;
}

/* "key value" lines of a flat-keyed file into obj, with a name prefix. */
static void flat_keyed(json_object *obj, const char *dir, const char *file, const char *only)
{
	char *p = path_join(dir, file), *t = read_file(p, NULL);

	free(p);
	for (char *line = t ? strtok(t, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		char key[64];
		long long v;

		if (sscanf(line, "%63s %lld", key, &v) == 2 && (!only || strstr(only, key)))
			json_object_object_add(obj, key, json_object_new_int64(v));
	}
	free(t);
}

static void single(json_object *obj, const char *dir, const char *file, const char *key)
{
	char *p = path_join(dir, file), *t = read_file(p, NULL);
	long long v;

	if (t && sscanf(t, "%lld", &v) == 1)
		json_object_object_add(obj, key, json_object_new_int64(v));
	free(t);
	free(p);
}

json_object *memcg_fence_events(const struct memcg_fence *f)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "cgroup", json_object_new_string(f->path));
	json_object_object_add(o, "version", json_object_new_int(f->version));
	if (f->version == 2) {
		flat_keyed(o, f->path, "memory.events", NULL);
		single(o, f->path, "memory.current", "current_bytes");
		single(o, f->path, "memory.peak", "peak_bytes");
	} else {
		flat_keyed(o, f->path, "memory.oom_control", " under_oom oom_kill ");
		single(o, f->path, "memory.failcnt", "failcnt");
		single(o, f->path, "memory.usage_in_bytes", "current_bytes");
		single(o, f->path, "memory.max_usage_in_bytes", "peak_bytes");
	}
	return o;
}

/* SIGKILL every process of dir and its children groups until none is left. */
static int kill_all(const char *dir)
{
	for (int tries = 0; tries < 200; tries++) {
		char *p = path_join(dir, "cgroup.procs"), *t = read_file(p, NULL);
		int n = 0;

		free(p);
		for (char *s = t ? strtok(t, "\n") : NULL; s; s = strtok(NULL, "\n")) {
			long pid = strtol(s, NULL, 10);

			if (pid > 1 && pid != getpid()) {
				kill((pid_t)pid, SIGKILL);
				n++;
			}
		}
		free(t);
		if (!n)
			return 0;
		sleep_ms(50);
	}
	return -1;
}

static int remove_tree(const char *dir, FILE *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d))) {
		char *sub;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		sub = path_join(dir, de->d_name);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			r |= remove_tree(sub, out);
		free(sub);
	}
	closedir(d);
	if (kill_all(dir))
		r = -1;
	/* the group empties once the killed tasks have exited */
	for (int tries = 0; tries < 100; tries++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return r;
		sleep_ms(50);
	}
	say(out, "restore: cannot remove %s: %s\n", dir, strerror(errno));
	return -1;
}

int memcg_fence_destroy(struct memcg_fence *f)
{
	int r;

	if (!f->cg)
		return 0;
	kill_all(f->path);
	/* libcgroup removes the group; only an empty one (it would move live
	 * tasks to the parent, outside the fence) */
	r = cgroup_delete_cgroup_ext(f->cg, CGFLAG_DELETE_EMPTY_ONLY);
	if (r)
		r = remove_tree(f->path, NULL);
	cgroup_free((struct cgroup **)&f->cg);
	return r ? -1 : 0;
}

int memcg_fence_remove_path(const char *path, FILE *out)
{
	struct stat st;
	int r;

	if (stat(path, &st))
		return 0;
	r = remove_tree(path, out);
	if (!r)
		say(out, "restore: removed cgroup %s and its processes\n", path);
	return r;
}
