#include "probe_kmod.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KMOD_DIR "/sys/kernel/debug/allocrepro_helper"

static const char *const contexts[] = { "process", "irqoff", "softirq", "tasklet" };

bool kmod_context_valid(const char *ctx)
{
	for (size_t i = 0; i < ARRAY_LEN(contexts); i++)
		if (!strcmp(ctx, contexts[i]))
			return true;
	return false;
}

void kmod_probe_command(const struct kmod_probe *p, char *buf, size_t len)
{
	snprintf(buf, len,
		 "run context=%s gfp=%s order=%u count=%u burst=%u interval_us=%u hold_ms=%u comp=%d nowarn=%d\n",
		 p->context, p->gfp, p->order, p->count, p->burst, p->interval_us,
		 p->hold_ms, p->comp, p->nowarn);
}

bool kmod_stats_parse(const char *text, struct kmod_stats *out)
{
	static const struct {
		const char *key;
		size_t off;
	} ul[] = {
		{ "attempts", offsetof(struct kmod_stats, attempts) },
		{ "successes", offsetof(struct kmod_stats, successes) },
		{ "failures", offsetof(struct kmod_stats, failures) },
		{ "bursts", offsetof(struct kmod_stats, bursts) },
		{ "truncated_bursts", offsetof(struct kmod_stats, truncated_bursts) },
	};
	int seen = 0;

	memset(out, 0, sizeof(*out));
	out->first_failure_ns = -1;
	for (const char *s = text; s && *s; ) {
		char key[32];
		long long v;

		if (sscanf(s, "%31s %lld", key, &v) == 2) {
			for (size_t i = 0; i < ARRAY_LEN(ul); i++)
				if (!strcmp(key, ul[i].key)) {
					*(unsigned long *)((char *)out + ul[i].off) = (unsigned long)v;
					seen++;
				}
			if (!strcmp(key, "first_failure_ns"))
				out->first_failure_ns = v;
			else if (!strcmp(key, "atomic_ns_max"))
				out->atomic_ns_max = (unsigned long long)v;
			else if (!strcmp(key, "elapsed_ns"))
				out->elapsed_ns = (unsigned long long)v;
		}
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return seen == (int)ARRAY_LEN(ul);
}

static int ensure_debugfs(void)
{
	struct stat st;

	if (stat("/sys/kernel/debug/allocrepro_helper", &st) == 0 ||
	    stat("/sys/kernel/debug/mm", &st) == 0)	/* already mounted */
		return 0;
	if (mount("none", "/sys/kernel/debug", "debugfs", 0, NULL) < 0 && errno != EBUSY)
		return -errno;
	return 0;
}

int kmod_load(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd, r;

	r = ensure_debugfs();
	if (r) {
		snprintf(err, errlen, "cannot mount debugfs: %s", strerror(-r));
		return r;
	}
	if (stat(KMOD_DIR "/cmd", &st) == 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "helper module %s: %s", path, strerror(errno));
		return r;
	}
	r = (int)syscall(SYS_finit_module, fd, "", 0);
	if (r < 0) {
		r = -errno;
		snprintf(err, errlen, "loading %s: %s", path, strerror(errno));
	}
	close(fd);
	if (!r && stat(KMOD_DIR "/cmd", &st) != 0) {
		snprintf(err, errlen, "%s loaded but %s is missing", path, KMOD_DIR "/cmd");
		r = -ENOENT;
	}
	return r;
}

int kmod_run(const struct kmod_probe *p, struct kmod_stats *st)
{
	char cmd[256];
	char *text;
	int fd, r = 0;

	kmod_probe_command(p, cmd, sizeof(cmd));
	fd = open(KMOD_DIR "/cmd", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, cmd, strlen(cmd)) < 0)
		r = -errno;
	close(fd);
	if (r)
		return r;
	text = read_file(KMOD_DIR "/stats", NULL);
	if (!text)
		return -errno;
	if (!kmod_stats_parse(text, st))
		r = -EPROTO;
	free(text);
	return r;
}
