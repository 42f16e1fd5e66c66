#include "shell.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define OUT_MAX (1u << 20)

static void child(const char *cmd, const char *kmod, int wfd)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "0", 1) < 0) {
			/* stays unkillable; nothing better to do here */
		}
		close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, 0);
	dup2(wfd, 1);
	dup2(wfd, 2);
	if (kmod)
		setenv("ALLOCREPRO_KMOD", kmod, 1);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

int run_shell(const char *cmd, const char *kmod, char **out, size_t *len)
{
	int p[2], st;
	size_t cap = 4096;
	pid_t pid;

	*len = 0;
	*out = NULL;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0)
		child(cmd, kmod, p[1]);
	close(p[1]);
	*out = xrealloc(NULL, cap);
	for (;;) {
		char buf[4096];
		ssize_t r = read(p[0], buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (*len + (size_t)r > OUT_MAX)
			continue;	/* keep draining, so the command never blocks */
		while (*len + (size_t)r > cap)
			cap *= 2;
		*out = xrealloc(*out, cap);
		memcpy(*out + *len, buf, (size_t)r);
		*len += (size_t)r;
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
