#include "journal.h"
#include "memcg_fence.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WORKDIR_MARK ".allocrepro-workdir"

const char *journal_state_dir(void)
{
	const char *e = getenv("ALLOCREPRO_STATE_DIR");

	return e && *e ? e : "/var/lib/allocrepro";
}

static void boot_id(char *buf, size_t size)
{
	char *b = read_file("/proc/sys/kernel/random/boot_id", NULL);

	snprintf(buf, size, "%s", b ? b : "unknown");
	buf[strcspn(buf, "\n")] = '\0';
	free(b);
}

/* Values may hold spaces and tabs ("32 256 256" for lowmem_reserve_ratio):
 * tab, newline and '%' are written as %09, %0a, %25. */
static void escape(const char *s, char *out, size_t size)
{
	size_t o = 0;

	for (; s && *s && o + 4 < size; s++) {
		if (*s == '\t' || *s == '\n' || *s == '%')
			o += (size_t)snprintf(out + o, size - o, "%%%02x", (unsigned char)*s);
		else
			out[o++] = *s;
	}
	out[o] = '\0';
}

static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		unsigned v;

		if (*s == '%' && sscanf(s + 1, "%2x", &v) == 1) {
			*w++ = (char)v;
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static int append_line(int fd, const char *kind, const char *a, const char *b)
{
	char ea[1024], eb[4096], *line;
	int r;

	escape(a, ea, sizeof(ea));
	escape(b, eb, sizeof(eb));
	line = xasprintf("%s\t%s\t%s\n", kind, ea, b ? eb : "");
	r = write_all(fd, line, strlen(line));
	free(line);
	if (!r)
		r = fsync(fd);
	return r;
}

int journal_open(struct journal *j)
{
	const char *dir = journal_state_dir();
	char id[64], pid[32];

	j->fd = -1;
	if (mkdir_p(dir, 0700)) {
		log_msg("journal: cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(j->path, sizeof(j->path), "%s/journal-%ld", dir, (long)getpid());
	j->fd = open(j->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (j->fd < 0) {
		log_msg("journal: cannot create %s: %s", j->path, strerror(errno));
		return -1;
	}
	boot_id(id, sizeof(id));
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	return append_line(j->fd, "owner", pid, id);
}

int journal_add(struct journal *j, const char *kind, const char *a, const char *b)
{
	if (j->fd < 0)
		return -1;
	return append_line(j->fd, kind, a, b);
}

int journal_add_path(const char *path, const char *kind, const char *a, const char *b)
{
	int fd = path ? open(path, O_WRONLY | O_APPEND | O_CLOEXEC) : -1;
	int r;

	if (fd < 0)
		return -1;
	r = append_line(fd, kind, a, b);
	close(fd);
	return r;
}

static char *sysctl_path(const char *name)
{
	char *p = xasprintf("/proc/sys/%s", name);

	for (char *s = p + 10; *s; s++)
		if (*s == '.')
			*s = '/';
	return p;
}

int journal_sysctl_get(const char *name, char *buf, size_t size)
{
	char *p = sysctl_path(name), *v = read_file(p, NULL);

	free(p);
	if (!v)
		return -1;
	snprintf(buf, size, "%s", v);
	buf[strcspn(buf, "\n")] = '\0';
	free(v);
	return 0;
}

int journal_sysctl_put(const char *name, const char *value)
{
	char *p = sysctl_path(name);
	int fd = open(p, O_WRONLY | O_CLOEXEC), r = -1;

	free(p);
	if (fd >= 0) {
		r = write_all(fd, value, strlen(value));
		close(fd);
	}
	return r;
}

int journal_sysctl_set(const char *journal_path, const char *name, const char *value,
		       char *err, size_t errlen)
{
	char old[4096];

	for (const char *s = name; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_.-", *s) || strstr(name, "..")) {
			snprintf(err, errlen, "sysctl '%s': not a sysctl name", name);
			return -1;
		}
	if (journal_sysctl_get(name, old, sizeof(old))) {
		snprintf(err, errlen, "sysctl %s: cannot read: %s", name, strerror(errno));
		return -1;
	}
	if (journal_add_path(journal_path, "sysctl", name, old)) {
		snprintf(err, errlen, "sysctl %s: cannot journal the old value", name);
		return -1;
	}
	if (journal_sysctl_put(name, value)) {
		snprintf(err, errlen, "sysctl %s = %s: %s", name, value, strerror(errno));
		journal_sysctl_put(name, old);
		return -1;
	}
	return 0;
}

/* Only a directory the harness made (it holds the mark) is removed. */
static int undo_dir(const char *path, FILE *out)
{
	char *mark = path_join(path, WORKDIR_MARK);
	struct stat st;
	int r = 0;

	if (stat(mark, &st) == 0) {
		r = remove_recursive(path);
		say(out, "restore: removed %s%s\n", path, r ? " (partly)" : "");
	} else if (stat(path, &st) == 0) {
		say(out, "restore: kept %s: not made by allocrepro (no %s)\n", path, WORKDIR_MARK);
	}
	free(mark);
	return r ? 1 : 0;
}

/* Field 22 of /proc/PID/stat (start time in ticks): with the pid, it
 * names one process even after the pid is reused. */
static bool start_time(long pid, char *buf, size_t size)
{
	char path[64], *stat, *p;
	int field = 2;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	stat = read_file(path, NULL);
	/* the fields after the ")" that ends comm */
	p = stat ? strrchr(stat, ')') : NULL;
	while (p && *p && field < 22) {
		p = strchr(p + 1, ' ');
		field++;
	}
	if (p)
		snprintf(buf, size, "%.*s", (int)strcspn(p + 1, " "), p + 1);
	free(stat);
	return p != NULL;
}

static bool same_process(long pid, const char *start)
{
	char now[32];

	return start_time(pid, now, sizeof(now)) && !strcmp(now, start);
}

int journal_add_process(struct journal *j, pid_t pid)
{
	char p[32], start[32] = "";

	snprintf(p, sizeof(p), "%ld", (long)pid);
	start_time(pid, start, sizeof(start));
	return journal_add(j, "pid", p, start);
}

int journal_workdir(struct journal *j, const char *path, char *err, size_t errlen)
{
	char *mark;
	int fd;

	if (journal_add(j, "dir", path, NULL) || mkdir(path, 0700)) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	mark = path_join(path, WORKDIR_MARK);
	fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	free(mark);
	if (fd < 0) {
		snprintf(err, errlen, "cannot mark %s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int workdir_remove(const char *path, FILE *out)
{
	return undo_dir(path, out);
}

static int undo_kmod(const char *name, FILE *out)
{
	char *cmd = xasprintf("/sys/kernel/debug/%s/cmd", name);
	int fd = open(cmd, O_WRONLY | O_CLOEXEC);

	free(cmd);
	if (fd < 0)
		return 0;	/* not loaded (or unloaded already): nothing held */
	/* "stop" fails when nothing runs; "release" must not */
	if (write(fd, "stop\n", 5) < 0 && errno != EBUSY && errno != EINVAL)
		say(out, "restore: %s: stop: %s\n", name, strerror(errno));
	if (write(fd, "release\n", 8) < 0)
		say(out, "restore: %s: release: %s\n", name, strerror(errno));
	close(fd);
	if (syscall(SYS_delete_module, name, O_NONBLOCK) < 0) {
		say(out, "restore: cannot unload %s: %s\n", name, strerror(errno));
		return 1;
	}
	say(out, "restore: released and unloaded %s\n", name);
	return 0;
}

struct entry {
	char kind[16];
	char *a, *b;
};

static int undo_entry(const struct entry *e, FILE *out)
{
	char cur[4096];

	if (!strcmp(e->kind, "pid")) {
		long pid = strtol(e->a, NULL, 10);

		if (pid > 1 && same_process(pid, e->b)) {
			kill((pid_t)pid, SIGKILL);
			say(out, "restore: killed workload process %ld\n", pid);
		}
		return 0;
	}
	if (!strcmp(e->kind, "cgroup"))
		return memcg_fence_remove_path(e->a, out) ? 1 : 0;
	if (!strcmp(e->kind, "kmod"))
		return undo_kmod(e->a, out);
	if (!strcmp(e->kind, "sysctl")) {
		if (journal_sysctl_get(e->a, cur, sizeof(cur)) == 0 && strcmp(cur, e->b) &&
		    journal_sysctl_put(e->a, e->b)) {
			say(out, "restore: cannot restore %s = %s: %s\n", e->a, e->b, strerror(errno));
			return 1;
		}
		say(out, "restore: %s = %s\n", e->a, e->b);
	}
	return 0;
}

int journal_undo(const char *path, FILE *out)
{
	char *text = read_file(path, NULL), now_boot[64];
	struct entry *e = NULL;
	size_t n = 0;
	int failed = 0;
	bool same_boot = true;

	if (!text)
		return 0;
	boot_id(now_boot, sizeof(now_boot));
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;

		if (!t2)
			continue;	/* a line cut by the kill: never acted on */
		*t1 = *t2 = '\0';
		e = xrealloc(e, (n + 1) * sizeof(*e));
		snprintf(e[n].kind, sizeof(e[n].kind), "%s", line);
		e[n].a = t1 + 1;
		e[n].b = t2 + 1;
		unescape(e[n].a);
		unescape(e[n].b);
		if (!strcmp(e[n].kind, "owner"))
			same_boot = !strcmp(e[n].b, now_boot);
		n++;
	}
	/* After a reboot sysctls, cgroups, modules and processes are gone;
	 * only files on disk remain.  Processes go first (they could undo
	 * what follows), then the rest, newest first. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = n; i-- > 0; ) {
			const char *k = e[i].kind;
			bool proc = !strcmp(k, "pid") || !strcmp(k, "cgroup");

			if (proc != !pass)
				continue;
			if (!strcmp(k, "dir"))
				failed += undo_dir(e[i].a, out);
			else if (same_boot)
				failed += undo_entry(&e[i], out);
		}
	}
	free(e);
	free(text);
	if (!failed)
		unlink(path);
	return failed;
}

int journal_close(struct journal *j, FILE *out)
{
	int r;

	if (j->fd < 0)
		return 0;
	close(j->fd);
	j->fd = -1;
	r = journal_undo(j->path, out);
	return r;
}
