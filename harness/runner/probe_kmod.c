/* The helper module on this machine: load it, send commands, read back. */
#include "probe_kmod.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define KMOD_DIR KMOD_DEBUGFS_DIR

/* Where DKMS (Debian: updates/dkms) or a manual modules_install (extra)
 * put a module for the running kernel. */
static const char *const installed[] = { "updates/dkms", "extra", "updates" };

char *kmod_default_path(void)
{
	const char *env = getenv("ALLOCREPRO_KMOD");
	char *dir, *path;
	struct utsname u;
	struct stat st;

	if (env)
		return xstrdup(env);
	dir = exe_dir();
	path = path_join(dir, "allocrepro_helper.ko");
	free(dir);
	if (stat(path, &st) == 0)
		return path;
	free(path);
	uname(&u);
	for (size_t i = 0; i < ARRAY_LEN(installed); i++) {
		path = xasprintf("/lib/modules/%s/%s/allocrepro_helper.ko", u.release, installed[i]);
		if (stat(path, &st) == 0)
			return path;
		free(path);
	}
	/* none: the path DKMS would use, for the error to name */
	return xasprintf("/lib/modules/%s/%s/allocrepro_helper.ko", u.release, installed[0]);
}

/* What a machine without the module installs. */
static void kmod_missing(const char *path, char *err, size_t errlen)
{
	struct utsname u;

	uname(&u);
	snprintf(err, errlen, "helper module %s: %s; on this machine install it with "
		 "'apt-get install allocrepro-dkms linux-headers-%s' (DKMS builds it for the "
		 "running kernel), or build it in the source tree ('make kmod') or pass --kmod PATH",
		 path, strerror(ENOENT), u.release);
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
		if (r == -ENOENT)
			kmod_missing(path, err, errlen);
		else
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

int kmod_command(const char *cmd, struct kmod_stats *st)
{
	char *text;
	int fd, r = 0;

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
