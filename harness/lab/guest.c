/* One guest from QEMU's start to its end: guest.h. */
#include "guest.h"
#include "progress.h"
#include "results/results.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct stream_state {
	int fd;
	char *buf;
	size_t len, cap;
	bool ended;
	int exit_code;
	bool corrupt;
};

static void pump_stream(struct stream_state *s, const char *dir)
{
	for (;;) {
		ssize_t r;
		long used;

		if (s->len + 65536 > s->cap) {
			s->cap = s->cap ? s->cap * 2 : 1 << 20;
			s->buf = xrealloc(s->buf, s->cap);
		}
		r = read(s->fd, s->buf + s->len, s->cap - s->len);
		if (r <= 0)
			break;
		s->len += (size_t)r;
		if (s->corrupt)
			continue;
		used = results_demux(dir, s->buf, s->len, &s->ended, &s->exit_code);
		if (used < 0) {
			log_msg("the guest's record stream is corrupt; raw copy kept in guest-stream.bin");
			s->corrupt = true;
			continue;
		}
		memmove(s->buf, s->buf + used, s->len - (size_t)used);
		s->len -= (size_t)used;
	}
}

/* A running guest and what the host watches it by. */
struct guest {
	pid_t pid;
	int status;		/* waitpid's */
	struct stream_state ss;
	const char *outcome;	/* set by the watchdog (hang), else from the end */
	uint64_t t0;
};

/* cont: the stream goes on from the one already there (a prefix's). */
static int guest_start(struct guest *g, const struct qemu_cmd *q, const char *dir, bool cont)
{
	char *spath = path_join(dir, "guest-stream.bin");

	close(open(spath, O_WRONLY | O_CREAT | (cont ? 0 : O_TRUNC) | O_CLOEXEC, 0644));
	g->ss.fd = open(spath, O_RDONLY | O_CLOEXEC);
	free(spath);
	g->t0 = now_ns();
	g->pid = qemu_spawn(q, dir);
	return g->pid < 0 ? -1 : 0;
}

/* A restored copy of a saved guest: what it is told (by default its
 * arguments, a seed of its own for the kernel's random pool, and the
 * host's clock: the copy's stopped at the save). */
static void guest_resume(struct guest *g, const struct lab_guest *gs, const char *sock,
			 const char *guest_args, struct boot_result *br)
{
	char *line = gs->line ? xstrdup(gs->line) :
		     xasprintf("ARGS='%s' SEED=%llu NOW=%lld\n", guest_args,
			       (unsigned long long)gs->seed, (long long)time(NULL));

	if (lab_template_resume(sock, line)) {
		kill(g->pid, SIGKILL);
		g->outcome = "restore_failed";
	}
	br->restore_s = (double)(now_ns() - g->t0) / 1e9;
	free(line);
}

/* The kind of the step the guest ended last, for the progress line. */
static void last_kind(const char *phases)
{
	char *text = read_file(phases, NULL), *k = NULL, *e;

	for (char *p = text; p && (p = strstr(p, "\"kind\":\"")); p += 8)
		k = p + 8;
	if (k && (e = strchr(k, '"'))) {
		*e = '\0';
		progress_step(k);
	}
	free(text);
}

/*
 * Until QEMU exits: pump the stream, and kill a guest past its time limit,
 * or one that ends no step for stall_s once its program has started (a
 * step ends well within its repetition's limit: a guest that ends none
 * for that long is hung, however many repetitions remain).
 */
/* A guest to save where it is prepared: once its console says so, save
 * it (QEMU then quits); true when that happened, the outcome said. */
static bool guest_saved(struct guest *g, const char *dir, const char *qmp,
			struct lab_template *save)
{
	if (!save || !lab_console_says(dir, "allocrepro-guest: prepared"))
		return false;
	if (lab_guest_save(qmp, save->image, &save->save_s)) {
		kill(g->pid, SIGKILL);
		g->outcome = "save_failed";
	} else {
		g->outcome = "prepared";
	}
	waitpid(g->pid, &g->status, 0);
	return true;
}

static void guest_watch(struct guest *g, const struct scenario *sc, const char *dir,
			unsigned timeout_s, unsigned stall_s, const char *qmp,
			struct lab_template *save)
{
	char *ppath = path_join(dir, "phases.jsonl"), *mpath = path_join(dir, "manifest.json");
	uint64_t progress = g->t0;
	off_t phases_size = 0;
	bool started = false;

	for (;;) {
		struct stat sb;
		uint64_t now;
		bool over;

		pump_stream(&g->ss, dir);
		if (waitpid(g->pid, &g->status, WNOHANG) == g->pid || guest_saved(g, dir, qmp, save))
			break;
		now = now_ns();
		/* the stall clock starts with the guest program (its manifest is
		 * its first result): a slow boot is not a stalled step */
		if (!started) {
			started = stat(mpath, &sb) == 0;
			progress = now;
		}
		if (stat(ppath, &sb) == 0 && sb.st_size != phases_size) {
			phases_size = sb.st_size;
			progress = now;
			last_kind(ppath);
		}
		over = now - g->t0 > (uint64_t)timeout_s * 1000000000ull;
		if (over || now - progress > (uint64_t)stall_s * 1000000000ull) {
			if (!over)
				log_msg("%s: no step ended for %u s (the scenario's timeout_s + %u)",
					sc->name, stall_s, LAB_BOOT_ALLOWANCE_S);
			kill(g->pid, SIGKILL);
			waitpid(g->pid, &g->status, 0);
			g->outcome = "hang";
			break;
		}
		sleep_ms(100);
	}
	free(ppath);
	free(mpath);
	pump_stream(&g->ss, dir);
	close(g->ss.fd);
	free(g->ss.buf);
}

/* How the guest ended, from the stream, its console and QEMU's status. */
static void guest_outcome(const struct guest *g, const char *dir, struct boot_result *br)
{
	char *con = path_join(dir, "console.log");

	br->booted = file_contains(con, "allocrepro-guest: start");
	br->guest_code = g->ss.ended ? g->ss.exit_code : -1;
	if (g->outcome)
		br->outcome = g->outcome;
	else if (g->ss.ended)
		br->outcome = "completed";
	else if (file_contains(con, "Kernel panic - not syncing"))
		br->outcome = "panic";
	else if (WIFSIGNALED(g->status))
		br->outcome = "killed";
	else if (WIFEXITED(g->status) && WEXITSTATUS(g->status) == 127)
		br->outcome = "qemu_failed";
	else
		br->outcome = "guest_exit";
	free(con);
}

/*
 * A kernel that died before the guest program began (no "ready", no
 * "start" on its console) never ran the scenario: under TCG, 6.12 takes an
 * unexpected int3 or a fault with impossible EFLAGS in about 1 boot of 100
 * (QEMU 7.2's emulation, not the kernel).  Like LAVA's infrastructure
 * errors such a boot is tried again, its console kept as
 * console.boot-N.log; a kernel that cannot boot at all (a bad cma=, say)
 * still ends as a panic after LAB_BOOT_ATTEMPTS.
 */
bool lab_boot_retry(const char *dir, const char *release, int *attempts)
{
	char *con = path_join(dir, "console.log"), *kept = NULL;
	bool again = *attempts < LAB_BOOT_ATTEMPTS &&
		     !file_contains(con, "allocrepro-guest: ready") &&
		     !file_contains(con, "allocrepro-guest: start");

	if (again) {
		kept = xasprintf("%s/console.boot-%d.log", dir, *attempts);
		if (rename(con, kept)) {
			log_msg("cannot keep %s as %s: %s", con, kept, strerror(errno));
			again = false;
		} else {
			++*attempts;
			log_msg("%s died before the guest program began (its console: %s): "
				"booting again, attempt %d of %d", release, kept, *attempts,
				LAB_BOOT_ATTEMPTS);
		}
	}
	free(kept);
	free(con);
	return again;
}

/* Only a guest that ended by itself: a hang has used its time already. */
static bool boot_again(const char *release, const char *dir, struct boot_result *br)
{
	return (!strcmp(br->outcome, "panic") || !strcmp(br->outcome, "guest_exit")) &&
	       lab_boot_retry(dir, release, &br->boot_attempts);
}

int guest_run(const struct guest_spec *s, struct boot_result *br, uint64_t *t0)
{
	const struct lab_guest *gs = s->gs;
	const struct lab_template *from = gs ? gs->from : NULL;
	struct lab_template *save = gs ? gs->save : NULL;
	struct guest g;
	bool cont = gs && gs->prefix;

	br->boot_attempts = 1;
	do {
		g = (struct guest){ .ss = { .fd = -1, .exit_code = -1 } };
		if (guest_start(&g, s->q, s->dir, cont)) {
			close(g.ss.fd);
			return -1;
		}
		*t0 = g.t0;
		if (from)
			guest_resume(&g, gs, s->sock, s->guest_args, br);
		guest_watch(&g, s->sc, s->dir, s->timeout_s, s->stall_s, s->qmp, save);
		guest_outcome(&g, s->dir, br);
	} while (!from && boot_again(s->release, s->dir, br));
	return 0;
}
