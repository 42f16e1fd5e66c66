/*
 * One lab guest: the host assembles its initrd, disk and QEMU command line,
 * runs it (guest.c: its result stream reaches the results directory while
 * it runs, so a panic, a hang or a kill loses nothing already emitted), and
 * records how it ended (completed, panic, hang, killed, ...); a single boot
 * is judged here.
 */
#include "lab.h"
#include "guest.h"
#include "image.h"
#include "qemu.h"
#include "snapshot.h"
#include "parse/kmsg.h"
#include "parse/logparse.h"
#include "results/manifest.h"
#include "results/summary.h"
#include "util/util.h"
#include "verdict/verdict.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
	lab_module_json(lab, env);
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
	uint64_t t0 = 0;
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
	if (guest_run(&(struct guest_spec){ sc, &q, dir, env->release, gs, sock, qmp, guest_args,
					    timeout, stall }, br, &t0))
		goto out;
	/* one boot of a statistical scenario is judged with the others */
	code = br == &mine ? finalize(sc, o, env, dir, accel, (double)(now_ns() - t0) / 1e9, br) : 0;
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
