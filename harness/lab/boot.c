/*
 * One lab guest: the host assembles its initrd and disk, starts QEMU, and
 * demultiplexes the guest's result stream (its second serial port) into the
 * results directory while it runs, so a panic, a hang or a kill loses
 * nothing already emitted.  How the guest ended (completed, panic, hang,
 * killed, ...) is recorded; a single boot is judged here.
 */
#include "lab.h"
#include "image.h"
#include "qemu.h"
#include "progress.h"
#include "snapshot.h"
#include "parse/kmsg.h"
#include "parse/logparse.h"
#include "results/manifest.h"
#include "results/summary.h"
#include "util/util.h"
#include "verdict/verdict.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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

/* The guest's verdicts cannot be trusted when it did not complete: judge
 * the kernel events that reached the host instead. */
static json_object *summary_from_kmsg(const struct scenario *sc, const char *dir, const char *outcome)
{
	struct event_list ev = { 0 };
	char *kpath = path_join(dir, "kmsg.txt");
	size_t len, nlen;
	char *k = read_file(kpath, &len);
	json_object *summary = summary_new(sc->name, outcome, NULL);

	if (k) {
		char *norm = kmsg_to_dmesg(k, len, &nlen);

		logparse_text(norm, nlen, &ev);
		free(norm);
		free(k);
	}
	json_object_object_add(summary, "verdicts", verdicts_expected(sc, &ev, NULL));
	event_list_free(&ev);
	free(kpath);
	return summary;
}

/* <scenario>.outcome: did the guest run to its end? */
static json_object *outcome_verdict(const struct scenario *sc, const char *outcome, bool booted,
				    int guest_code)
{
	char *id = xasprintf("%s.outcome", sc->name);
	json_object *v = json_object_new_object(), *meas = json_object_new_object();

	json_object_object_add(v, "id", json_object_new_string(id));
	json_object_object_add(v, "status", json_object_new_string(
		!strcmp(outcome, "completed") ? "PASS" : booted ? "FAIL" : "ERROR"));
	json_object_object_add(meas, "outcome", json_object_new_string(outcome));
	if (guest_code >= 0)
		json_object_object_add(meas, "guest_exit_code", json_object_new_int(guest_code));
	json_object_object_add(v, "measure", meas);
	free(id);
	return v;
}

/* Judge the run from what reached the host (the guest may have died). */
static int finalize(const struct scenario *sc, const struct lab_opts *o, const struct lab_env *env,
		    const char *dir, const char *accel, double wall_s, const struct boot_result *br)
{
	char *spath = path_join(dir, "summary.json"), *mpath = path_join(dir, "manifest.json");
	json_object *summary = json_object_from_file(spath), *verdicts, *lab, *m;
	struct results res;
	const char *outcome = br->outcome;
	int floor = br->booted ? 0 : EXIT_INFRA;

	free(spath);
	if (results_attach(&res, dir)) {
		json_object_put(summary);
		free(mpath);
		return EXIT_INFRA;
	}
	lab = json_object_new_object();
	json_object_object_add(lab, "kernel", json_object_new_string(o->kernel));
	json_object_object_add(lab, "release", json_object_new_string(env->release));
	json_object_object_add(lab, "topology", json_object_new_string(o->topology));
	json_object_object_add(lab, "memory_mb", json_object_new_int((int)o->memory_mb));
	json_object_object_add(lab, "cpus", json_object_new_int((int)o->cpus));
	json_object_object_add(lab, "accel", json_object_new_string(accel));
	json_object_object_add(lab, "wall_s", json_object_new_double(wall_s));
	json_object_object_add(lab, "boot_attempts", json_object_new_int(br->boot_attempts));
	if (env->pinned[0])
		json_object_object_add(lab, "pinned_release", json_object_new_string(env->pinned));
	if (env->pin_note[0])
		json_object_object_add(lab, "pin_warning", json_object_new_string(env->pin_note));

	if (!summary || strcmp(outcome, "completed")) {
		json_object_put(summary);
		summary = summary_from_kmsg(sc, dir, outcome);
	}
	json_object_object_add(summary, "outcome", json_object_new_string(outcome));
	json_object_object_add(summary, "lab", json_object_get(lab));
	json_object_object_get_ex(summary, "verdicts", &verdicts);
	lab_requires_judge(o, verdicts);
	json_object_array_add(verdicts, outcome_verdict(sc, outcome, br->booted, br->guest_code));

	m = json_object_from_file(mpath);
	free(mpath);
	if (!m)
		m = json_object_new_object();
	/* the lab machine's name and the run's start, not the guest's */
	manifest_identity(m, (long long)time(NULL) - (long long)wall_s);
	json_object_object_add(m, "lab", lab);
	results_write_json(&res, "manifest.json", m);
	json_object_put(m);

	/* the guest's own usage or infrastructure error is the run's */
	if (br->guest_code == EXIT_INFRA || br->guest_code == EXIT_USAGE)
		floor = br->guest_code;
	floor = results_finish(&res, summary, floor);
	results_close(&res);
	return floor;
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
static bool boot_again(const struct lab_env *env, const char *dir, struct boot_result *br)
{
	return (!strcmp(br->outcome, "panic") || !strcmp(br->outcome, "guest_exit")) &&
	       lab_boot_retry(dir, env->release, &br->boot_attempts);
}

/*
 * The guest's scratch disk.  A restored copy writes to a throwaway overlay
 * on its saved guest's disk.  A guest to be saved writes to a disk of its
 * own at save->disk (a sparse copy of the one it was restored from, or a
 * new one), which its copies then share.  Else a new one.
 */
static int guest_disk(const struct scenario *sc, const struct lab_guest *gs, struct lab_disk *d)
{
	const struct lab_template *from = gs ? gs->from : NULL;
	struct lab_template *save = gs ? gs->save : NULL;
	char *cmd;
	int r;

	if (from && !save) {
		snprintf(d->path, sizeof(d->path), "%s", from->disk);
		d->throwaway = d->path[0] != '\0';
		return 0;
	}
	if (!from && lab_make_disk(sc->lab_disk_mb, d))
		return -1;
	if (!save)
		return 0;
	if (!(from ? from->disk[0] : d->path[0])) {
		save->disk[0] = '\0';
		return 0;
	}
	cmd = from ? xasprintf("cp --sparse=always '%s' '%s'", from->disk, save->disk) :
		     xasprintf("mv '%s' '%s'", d->path, save->disk);
	r = system(cmd);
	free(cmd);
	snprintf(d->path, sizeof(d->path), "%s", save->disk);
	if (r)
		log_msg("the prepared guest's disk %s could not be made", save->disk);
	return r ? -1 : 0;
}

/* A copy goes on from the console and stream of the guest it continues:
 * with those files first, its own output is appended to them. */
static int continue_from(const char *prefix, const char *dir)
{
	static const char *const files[] = { "console.log", "guest-stream.bin" };

	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		char *src = path_join(prefix, files[i]), *dst = path_join(dir, files[i]);
		size_t len = 0;
		char *text = read_file(src, &len);
		int r = text ? write_file_atomic(dst, text, len) : -1;

		if (r)
			log_msg("continuing %s: %s", src, strerror(errno));
		free(text);
		free(src);
		free(dst);
		if (r)
			return -1;
	}
	return 0;
}

int lab_boot(const struct scenario *sc, const struct lab_opts *o, const struct lab_env *env,
	     const char *dir, const char *guest_args, const char *append, unsigned timeout_s,
	     const struct lab_guest *gs, struct boot_result *br)
{
	const char *accel = o->accel ? o->accel : lab_kvm_usable() ? "kvm" : "tcg";
	const struct lab_template *from = gs ? gs->from : NULL;
	struct lab_template *save = gs ? gs->save : NULL;
	unsigned timeout = (o->timeout_s ? o->timeout_s : timeout_s) + LAB_BOOT_ALLOWANCE_S;
	/* --timeout replaces both limits */
	unsigned stall = o->timeout_s ? timeout : sc->timeout_s + LAB_BOOT_ALLOWANCE_S;
	struct guest g = { .ss = { .fd = -1, .exit_code = -1 } };
	struct boot_result mine = { 0 };
	struct lab_disk disk = { "", false };
	struct qemu_cmd q = { .argc = 0 };
	struct qemu_extra x = { NULL, NULL, NULL, NULL, false };
	char *initrd = NULL, runenv[512], *sock = NULL, *qmp = NULL, *idir = NULL;
	int code = EXIT_INFRA;

	if (mkdir_p(dir, 0755)) {
		log_msg("cannot create %s: %s", dir, strerror(errno));
		return EXIT_INFRA;
	}
	/* A results directory is one run: leftovers would be mixed in. */
	results_clear(dir);
	if (guest_disk(sc, gs, &disk))
		goto out;
	if (from || save) {	/* QMP, and the control port a copy is told on */
		sock = xasprintf("%s/r", from ? from->sockdir : save->sockdir);
		qmp = xasprintf("%s.qmp", sock);
		if (lab_ctl_make(sock))
			goto out;
		x = (struct qemu_extra){ qmp, sock, from ? from->image : NULL,
					 from ? from->scratch : NULL, gs->prefix != NULL };
	}
	if (!from) {
		snprintf(runenv, sizeof(runenv), "ARGS='%s'\nCGROUP=v%u\nDISK=%s\n", guest_args,
			 sc->lab_cgroup, disk.path[0] ? "1" : "");
		/* a saved guest's copies load the initrd it booted */
		idir = save ? xasprintf("%.*s", (int)(strrchr(save->image, '/') - save->image),
					save->image) : xstrdup(dir);
		initrd = lab_make_initrd(env, sc, runenv, idir);
		if (!initrd)
			goto out;
	}
	if (save)
		snprintf(save->initrd, sizeof(save->initrd), "%s", from ? from->initrd : initrd);
	if (gs && gs->prefix && continue_from(gs->prefix, dir))
		goto out;
	qemu_cmd_build(&q, o, env, from ? from->initrd : initrd, dir, accel, &disk, append, &x);
	qemu_cmd_write(&q, dir);
	log_msg("%s %s (%s, %s, %u MiB, %u cpus%s%s) for %s %s%s%.*s", from ? "restoring" : "booting",
		env->release, accel, o->topology, o->memory_mb, o->cpus, append[0] ? ", " : "",
		append, sc->name, guest_args, gs && gs->line ? ", told " : "",
		gs && gs->line ? (int)strcspn(gs->line, "\n") : 0, gs && gs->line ? gs->line : "");
	if (!br)
		br = &mine;
	if (guest_start(&g, &q, dir, gs && gs->prefix)) {
		close(g.ss.fd);
		goto out;
	}
	if (from)
		guest_resume(&g, gs, sock, guest_args, br);
	guest_watch(&g, sc, dir, timeout, stall, qmp, save);
	guest_outcome(&g, dir, br);
	br->boot_attempts = 1;
	while (!from && boot_again(env, dir, br)) {
		g = (struct guest){ .ss = { .fd = -1, .exit_code = -1 } };
		if (guest_start(&g, &q, dir, false)) {
			close(g.ss.fd);
			goto out;
		}
		guest_watch(&g, sc, dir, timeout, stall, qmp, save);
		guest_outcome(&g, dir, br);
	}
	/* one boot of a statistical scenario is judged with the others */
	code = br == &mine ? finalize(sc, o, env, dir, accel, (double)(now_ns() - g.t0) / 1e9, br) : 0;
	log_msg("%s: outcome %s, results in %s", sc->name, br->outcome, dir);
out:
	qemu_cmd_free(&q);
	if (initrd && !save)
		unlink(initrd);
	free(initrd);
	free(idir);
	if (sock)
		lab_ctl_remove(sock);
	free(sock);
	free(qmp);
	if (disk.path[0] && !from && !save)
		unlink(disk.path);
	return code;
}
