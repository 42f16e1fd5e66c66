/*
 * Saved guests (see snapshot.h).  The template guest's init stops before
 * the scenario (SNAPSHOT=1 in its run.env) and says so on its console;
 * QEMU then migrates it into a file, and each restore loads that file
 * with the same devices.  The template mounts its scratch disk before it
 * stops, so what the guest's page cache holds of it matches the disk
 * image; every copy writes to an overlay of its own on that image (QEMU's
 * snapshot=on) and the image stays as saved.
 */
#include "snapshot.h"
#include "image.h"
#include "paths.h"
#include "qemu.h"
#include "qmp.h"
#include "results/results.h"
#include "snapcache.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEMPLATE_READY_S LAB_BOOT_ALLOWANCE_S	/* a boot takes under 10 s, TCG and 2 GiB included */
#define TEMPLATE_SAVE_S 120
#define RESTORE_S 120

/* Images and disks a killed run left behind (its pid is gone) take
 * gigabytes. */
static void remove_stale(const char *scratch)
{
	DIR *d = opendir(scratch);
	long pid;

	for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d)) {
		if ((sscanf(e->d_name, "run-%ld", &pid) != 1 &&
		     sscanf(e->d_name, "disk-%ld.img", &pid) != 1) || pid == (long)getpid() ||
		    !(kill((pid_t)pid, 0) && errno == ESRCH))
			continue;
		char *p = path_join(scratch, e->d_name);

		remove_recursive(p);
		free(p);
	}
	if (d)
		closedir(d);
}

void lab_templates_init(struct lab_templates *ts, const char *results)
{
	char *scratch = xasprintf("%s/scratch", cache_dir());

	memset(ts, 0, sizeof(*ts));
	ts->results = results;
	mkdir_p(scratch, 0755);
	remove_stale(scratch);
	snprintf(ts->scratch, sizeof(ts->scratch), "%s/run-%ld", scratch, (long)getpid());
	free(scratch);
	/* sockets: a unix socket's path has at most 107 bytes */
	snprintf(ts->sockdir, sizeof(ts->sockdir), "/tmp/allocrepro-XXXXXX");
	if (!mkdtemp(ts->sockdir))
		ts->sockdir[0] = '\0';
}

/* Has the guest whose results are in dir said what on its console? */
bool lab_console_says(const char *dir, const char *what)
{
	char *p = path_join(dir, "console.log");
	bool r = file_contains(p, what);

	free(p);
	return r;
}

int lab_ctl_make(const char *sock)
{
	char *in = xasprintf("%s.in", sock), *out = xasprintf("%s.out", sock);
	int r;

	lab_ctl_remove(sock);
	r = mkfifo(in, 0600) || mkfifo(out, 0600) ? -1 : 0;
	if (r)
		log_msg("control pipe %s: %s", in, strerror(errno));
	free(in);
	free(out);
	return r;
}

void lab_ctl_remove(const char *sock)
{
	static const char *const ext[] = { "in", "out", "qmp" };

	for (size_t i = 0; i < ARRAY_LEN(ext); i++) {
		char *p = xasprintf("%s.%s", sock, ext[i]);

		unlink(p);
		free(p);
	}
}

/* Wait for the template to stop where the scenario would start. */
static int wait_ready(pid_t pid, const char *dir)
{
	uint64_t end = now_ns() + TEMPLATE_READY_S * 1000000000ull;
	int status;

	while (!lab_console_says(dir, "allocrepro-guest: ready")) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			log_msg("template guest ended before it was ready (%s/console.log)", dir);
			return 1;
		}
		if (now_ns() > end) {
			log_msg("template guest not ready in %d s (%s/console.log)",
				TEMPLATE_READY_S, dir);
			return -1;
		}
		sleep_ms(50);
	}
	return 0;
}

/* Migrate the running guest into image, unthrottled (QEMU's default of
 * 32 MiB/s would make this the slowest step). */
static int save(struct qmp *q, const char *image)
{
	uint64_t end = now_ns() + TEMPLATE_SAVE_S * 1000000000ull;
	char *cmd = xasprintf("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"exec:cat > '%s'\"}}",
			      image);
	json_object *r = qmp_cmd(q, "{\"execute\":\"migrate-set-parameters\","
				 "\"arguments\":{\"max-bandwidth\":107374182400}}");
	int ret = -1;

	json_object_put(r);
	r = r ? qmp_cmd(q, cmd) : NULL;
	free(cmd);
	while (r && now_ns() < end) {
		json_object_put(r);
		sleep_ms(50);
		r = qmp_cmd(q, "{\"execute\":\"query-migrate\"}");
		json_object *st;

		if (!r || !json_object_object_get_ex(r, "status", &st))
			continue;
		if (!strcmp(json_object_get_string(st), "completed")) {
			ret = 0;
			break;
		}
		if (!strcmp(json_object_get_string(st), "failed")) {
			log_msg("saving the template guest failed: %s", json_object_to_json_string(r));
			break;
		}
	}
	json_object_put(r);
	return ret;
}

int lab_guest_save(const char *qmp_path, const char *image, double *save_s)
{
	struct qmp q = { .fd = -1 };
	uint64_t t0 = now_ns();
	int r = qmp_open(&q, qmp_path, 10000) ? -1 : save(&q, image);

	if (!r)
		json_object_put(qmp_cmd(&q, "{\"execute\":\"quit\"}"));
	qmp_close(&q);
	*save_s = (double)(now_ns() - t0) / 1e9;
	return r;
}

/* Boot the template from t->initrd, save it, stop QEMU: 0 or -1 (said). */
static int boot_and_save(struct lab_template *t, const struct scenario *sc,
			 const struct lab_opts *o, const struct lab_env *env, const char *append,
			 const char *dir, const char *sock, const char *tdir)
{
	const char *accel = o->accel ? o->accel : lab_kvm_usable() ? "kvm" : "tcg";
	char *qmp = xasprintf("%s.qmp", sock);
	struct qemu_extra x = { .qmp = qmp, .ctl = sock, .append = false };
	struct qemu_cmd cmd = { .argc = 0 };
	struct lab_disk disk = { "", false };
	uint64_t t0 = now_ns();
	pid_t pid = -1;
	int r = -1, ready;

	t->boot_attempts = 1;
	if (mkdir_p(dir, 0755) || lab_ctl_make(sock) || lab_make_disk(sc->lab_disk_mb, &disk))
		goto out;
	/* an earlier run's console saying "ready" would save this guest at once */
	results_clear(dir);
	qemu_cmd_build(&cmd, o, env, t->initrd, dir, accel, &disk, append, &x);
	qemu_cmd_write(&cmd, dir);
	log_msg("booting a template guest: %s (%s, %s, %u MiB%s%s), saved for every repetition",
		env->release, accel, o->topology, o->memory_mb, append[0] ? ", " : "", append);
	do {
		pid = qemu_spawn(&cmd, dir);
		ready = pid < 0 ? -1 : wait_ready(pid, dir);
		if (ready == 1)
			pid = -1;	/* reaped */
	} while (ready == 1 && lab_boot_retry(dir, env->release, &t->boot_attempts));
	if (ready)
		goto out;
	t->boot_s = (double)(now_ns() - t0) / 1e9;
	if (lab_guest_save(qmp, t->image, &t->save_s))
		goto out;
	if (disk.path[0]) {	/* the copies' disk, as the template left it */
		snprintf(t->disk, sizeof(t->disk), "%s/disk.img", tdir);
		if (rename(disk.path, t->disk)) {
			log_msg("template disk %s: %s", t->disk, strerror(errno));
			goto out;
		}
	}
	r = 0;
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	lab_ctl_remove(sock);
	if (disk.path[0])
		unlink(disk.path);
	qemu_cmd_free(&cmd);
	free(qmp);
	return r;
}

/* console.log from the directory of from (a file or a directory) to dir. */
static void copy_console(const char *from, const char *dir)
{
	struct stat sb;
	char *src = stat(from, &sb) == 0 && S_ISDIR(sb.st_mode) ? path_join(from, "console.log") :
		    xasprintf("%.*s/console.log", (int)(strrchr(from, '/') - from), from);
	char *dst = path_join(dir, "console.log");
	size_t len;
	char *text = read_file(src, &len);
	FILE *f = text && !mkdir_p(dir, 0755) ? fopen(dst, "w") : NULL;

	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
	free(text);
	free(dst);
	free(src);
}

/* The template's initrd, then a kept saved guest for it or a new one
 * (kept for later runs): 0 or -1 (said). */
static int make(struct lab_template *t, const struct scenario *sc, const struct lab_opts *o,
		const struct lab_env *env, const char *append, const char *dir, const char *sock,
		const char *tdir)
{
	char *runenv = xasprintf("SNAPSHOT=1\nCGROUP=v%u\nDISK=%s\n", sc->lab_cgroup,
				 sc->lab_disk_mb ? "1" : "");
	char *initrd = mkdir_p(tdir, 0755) ? NULL : lab_make_initrd(env, sc, runenv, tdir);
	char key[65];
	int r = -1;

	free(runenv);
	if (!initrd)
		return -1;
	snprintf(t->initrd, sizeof(t->initrd), "%s", initrd);
	free(initrd);
	if (snapcache_key(t->initrd, t->key, env, key))
		return -1;
	if (snapcache_find(key, t)) {
		t->reused = true;
		copy_console(t->image, dir);
		log_msg("%s: restoring the guest saved for this machine by an earlier run (%s)",
			sc->name, key);
		return 0;
	}
	r = boot_and_save(t, sc, o, env, append, dir, sock, tdir);
	if (!r)
		copy_console(dir, tdir);	/* kept with it: how it booted */
	if (!r && snapcache_store(key, tdir, t))
		log_msg("%s: the saved guest is not kept for later runs", sc->name);
	return r;
}

/* The machine a guest is: what its devices and its kernel depend on. */
static void machine_key(char *key, size_t len, const struct scenario *sc, const struct lab_opts *o,
			const struct lab_env *env, const char *append)
{
	snprintf(key, len, "%s|%s|%u|%u|%s|%s|%u", env->release, o->topology, o->memory_mb,
		 o->cpus, o->accel ? o->accel : lab_kvm_usable() ? "kvm" : "tcg", append,
		 sc->lab_disk_mb);
}

const struct lab_template *lab_template_get(struct lab_templates *ts, const struct scenario *sc,
					    const struct lab_opts *o, const struct lab_env *env,
					    const char *append)
{
	struct lab_template *t;
	char key[sizeof(t->key)];
	char *dir, *sock, *tdir;
	int r;

	machine_key(key, sizeof(key), sc, o, env, append);
	for (int i = 0; i < ts->n; i++)
		if (!strcmp(ts->t[i].key, key))
			return ts->t[i].failed ? NULL : &ts->t[i];
	if (ts->n == LAB_MAX_TEMPLATES || !ts->sockdir[0])
		return NULL;
	t = &ts->t[ts->n];
	memset(t, 0, sizeof(*t));
	snprintf(t->key, sizeof(t->key), "%s", key);
	dir = xasprintf("%s/templates/%d", ts->results, ts->n);
	tdir = xasprintf("%s/t%d", ts->scratch, ts->n);
	sock = xasprintf("%s/t%d", ts->sockdir, ts->n);
	snprintf(t->image, sizeof(t->image), "%s/guest.mig", tdir);
	snprintf(t->sockdir, sizeof(t->sockdir), "%s", ts->sockdir);
	memcpy(t->scratch, ts->scratch, sizeof(t->scratch));	/* both 4096: the run's */
	ts->n++;
	r = make(t, sc, o, env, append, dir, sock, tdir);
	if (!r) {
		struct stat sb;

		t->image_mb = stat(t->image, &sb) ? 0 : (long)(sb.st_size >> 20);
	} else {
		t->failed = true;
		log_msg("%s: no saved guest for this machine; its guests boot each (see %s)",
			sc->name, dir);
	}
	free(sock);
	free(tdir);
	free(dir);
	return t->failed ? NULL : t;
}

json_object *lab_templates_drop(struct lab_templates *ts)
{
	json_object *a = ts->n ? json_object_new_array() : NULL;

	for (int i = 0; i < ts->n; i++) {
		const struct lab_template *t = &ts->t[i];
		json_object *o = json_object_new_object();
		char dir[32];

		snprintf(dir, sizeof(dir), "templates/%d", i);
		json_object_object_add(o, "dir", json_object_new_string(dir));
		json_object_object_add(o, "machine", json_object_new_string(t->key));
		json_object_object_add(o, "made", json_object_new_boolean(!t->failed));
		json_object_object_add(o, "reused", json_object_new_boolean(t->reused));
		json_object_object_add(o, "boot_s", json_object_new_double(t->boot_s));
		if (t->boot_attempts > 1)
			json_object_object_add(o, "boot_attempts", json_object_new_int(t->boot_attempts));
		json_object_object_add(o, "save_s", json_object_new_double(t->save_s));
		json_object_object_add(o, "image_mb", json_object_new_int64(t->image_mb));
		json_object_array_add(a, o);
	}
	if (ts->scratch[0])
		remove_recursive(ts->scratch);
	if (ts->sockdir[0])
		remove_recursive(ts->sockdir);
	ts->n = 0;
	return a;
}

/* QEMU's run state, "" when it cannot be asked. */
static void run_state(struct qmp *q, char *state, size_t len)
{
	json_object *r = qmp_cmd(q, "{\"execute\":\"query-status\"}"), *s;

	snprintf(state, len, "%s", r && json_object_object_get_ex(r, "status", &s) ?
		 json_object_get_string(s) : "");
	json_object_put(r);
}

int lab_template_resume(const char *sock, const char *line)
{
	uint64_t end = now_ns() + RESTORE_S * 1000000000ull;
	struct qmp q;
	char state[64] = "";
	char *in, *qmp = xasprintf("%s.qmp", sock);
	int fd, r = -1;

	fd = qmp_open(&q, qmp, 10000);
	free(qmp);
	if (fd)
		return -1;
	/* input sent while QEMU still loads would land in the serial port's
	 * state the load then overwrites */
	do {
		if (state[0])
			sleep_ms(20);
		run_state(&q, state, sizeof(state));
	} while (!strcmp(state, "inmigrate") && now_ns() < end);
	if (strcmp(state, "running") && strcmp(state, "paused")) {
		log_msg("restoring the saved guest: QEMU is '%s'", state);
		goto out;
	}
	in = xasprintf("%s.in", sock);
	fd = open(in, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	free(in);
	if (fd < 0 || write(fd, line, strlen(line)) != (ssize_t)strlen(line)) {
		log_msg("restoring the saved guest: its control pipe: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	if (!strcmp(state, "paused"))
		json_object_put(qmp_cmd(&q, "{\"execute\":\"cont\"}"));
	r = 0;
out:
	qmp_close(&q);
	return r;
}
