#include "guard.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int guard_interrupted(void)
{
	return interrupted;
}

void protect_from_oom(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "-1000", 5) != 5)
		log_msg("warning: cannot set oom_score_adj -1000: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
}

bool machine_is_lab(void)
{
	const char *e = getenv("ALLOCREPRO_LAB");
	struct stat st;

	return (e && !strcmp(e, "1")) || stat("/etc/allocrepro/lab", &st) == 0;
}
