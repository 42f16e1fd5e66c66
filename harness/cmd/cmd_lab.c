/*
 * allocrepro lab: boot each scenario in a QEMU guest running a real Debian
 * kernel.  The guest runs `allocrepro run` and mirrors every result file as
 * it is written onto its second serial port; this side demultiplexes that
 * stream into the results directory while the guest runs, so a panic, a
 * hang or a kill loses nothing already emitted.  The outcome (completed,
 * panic, hang, killed, ...) is recorded in summary.json.
 */
#include "cli.h"
#include "lab/cpio.h"
#include "parse/kmsg.h"
#include "parse/logparse.h"
#include "results/manifest.h"
#include "scenario/arms.h"
#include "lab/paths.h"
#include "verdict/repetitions.h"
#include "scenario/scenario.h"
#include "results/tap.h"
#include "util/util.h"
#include "verdict/verdict.h"
#include "results/results.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BOOT_ALLOWANCE_S 30	/* boot + teardown, on top of the scenario's timeout */
#define HIGHMEM_MIN_MB 2048	/* default guest memory of the highmem topology */

struct lab_opts {
	const char *kernel;
	const char *topology;
	const char *results;
	unsigned memory_mb, cpus, timeout_s;
	unsigned repeat;	/* repetitions instead of the scenario's */
	char repeat_arg[32];	/* "--repeat N" for the guest */
	bool accel_forced;
	const char *accel;
};

struct lab_env {
	char release[128], arch[16], vmlinuz[4096], initrd[4096];
	char stressng[4096];	/* overlay with stress-ng, "" when none */
};

struct lab_disk {
	char path[4096];	/* scratch ext4 image, "" when none */
};

static bool kvm_usable(void)
{
	char *cpu = read_file("/proc/cpuinfo", NULL);
	bool virt = cpu && (strstr(cpu, " vmx") || strstr(cpu, " svm"));
	int fd, vm;

	free(cpu);
	/* Sandboxes expose a /dev/kvm that creates VMs which never run:
	 * without VMX/SVM on the CPU, do not trust it. */
	if (!virt)
		return false;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	/* A module without usable hardware support fails here. */
	vm = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION ? ioctl(fd, KVM_CREATE_VM, 0) : -1;
	if (vm >= 0)
		close(vm);
	close(fd);
	return vm >= 0;
}

/* Run ci/lab-prepare.sh and read its KEY=value lines. */
static int lab_prepare(const struct lab_opts *o, struct lab_env *env)
{
	char *self = exe_dir();
	char *guest_bin = getenv("ALLOCREPRO_GUEST_BIN") ? xstrdup(getenv("ALLOCREPRO_GUEST_BIN"))
							 : path_join(self, "allocrepro");
	char *guest32 = getenv("ALLOCREPRO_GUEST_BIN_I386") ?
			xstrdup(getenv("ALLOCREPRO_GUEST_BIN_I386")) :
			path_join(self, "allocrepro-i386");
	char *cmd = xasprintf("'%s/ci/lab-prepare.sh' '%s' '%s' '%s' '%s'", data_dir(), o->kernel,
			      cache_dir(), guest_bin, guest32);
	FILE *p = popen(cmd, "r");
	char line[4200];
	int st;

	free(cmd);
	free(guest_bin);
	free(guest32);
	free(self);
	if (!p)
		return EXIT_INFRA;
	memset(env, 0, sizeof(*env));
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "RELEASE=", 8))
			snprintf(env->release, sizeof(env->release), "%.*s", (int)sizeof(env->release) - 1, line + 8);
		else if (!strncmp(line, "ARCH=", 5))
			snprintf(env->arch, sizeof(env->arch), "%.*s", (int)sizeof(env->arch) - 1, line + 5);
		else if (!strncmp(line, "VMLINUZ=", 8))
			snprintf(env->vmlinuz, sizeof(env->vmlinuz), "%.*s", (int)sizeof(env->vmlinuz) - 1, line + 8);
		else if (!strncmp(line, "INITRD=", 7))
			snprintf(env->initrd, sizeof(env->initrd), "%.*s", (int)sizeof(env->initrd) - 1, line + 7);
		else if (!strncmp(line, "STRESSNG=", 9))
			snprintf(env->stressng, sizeof(env->stressng), "%.*s",
				 (int)sizeof(env->stressng) - 1, line + 9);
	}
	st = pclose(p);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : EXIT_INFRA;

		log_msg("preparing lab kernel '%s' failed", o->kernel);
		return code == EXIT_USAGE ? EXIT_USAGE : EXIT_INFRA;
	}
	if (!env->vmlinuz[0] || !env->initrd[0]) {
		log_msg("ci/lab-prepare.sh printed no kernel or initrd");
		return EXIT_INFRA;
	}
	return 0;
}

/* Append a gzip'd cpio archive; the kernel looks for a further archive
 * only at 4-byte offsets. */
static int append_archive(FILE *f, const char *path)
{
	size_t len;
	char *data = read_file(path, &len);

	if (!data)
		return -1;
	fwrite(data, 1, len, f);
	for (size_t i = len; i % 4; i++)
		fputc(0, f);
	free(data);
	return 0;
}

/* A stress-ng workload step, or a command that runs stress-ng itself. */
static bool needs_stressng(const struct scenario *sc)
{
	for (int i = 0; i < sc->nsteps; i++) {
		const struct sc_step *st = &sc->steps[i];

		if ((st->kind == STEP_WORKLOAD && !strcmp(st->workload->name, "stress-ng")) ||
		    (st->kind == STEP_EXEC && strstr(sc->text + st->exec_off, "stress-ng")))
			return true;
	}
	return false;
}

/* The base initramfs, stress-ng if the scenario runs it, and this run's
 * overlay (scenario, arguments). */
static char *make_initrd(const struct lab_env *env, const struct scenario *sc,
			 const char *run_args, const char *dir)
{
	char *path = path_join(dir, "initrd.img");
	size_t slen;
	char *scen = read_file(sc->path, &slen);
	bool sng = needs_stressng(sc);
	FILE *f = scen ? fopen(path, "w") : NULL;

	if (!f || append_archive(f, env->initrd) ||
	    (sng && env->stressng[0] && append_archive(f, env->stressng))) {
		log_msg("cannot assemble the guest initrd in %s", dir);
		if (f)
			fclose(f);
		free(scen);
		free(path);
		return NULL;
	}
	if (sng && !env->stressng[0])
		log_msg("%s: no stress-ng for a %s guest; its stress-ng steps will fail", sc->name,
			env->arch);
	cpio_add_dir(f, "allocrepro");
	cpio_add_file(f, "allocrepro/scenario.yaml", scen, slen, 0644);
	cpio_add_file(f, "allocrepro/run.env", run_args, strlen(run_args), 0644);
	cpio_finish(f);
	fclose(f);
	free(scen);
	return path;
}

/* A sparse scratch image with a fresh ext4, made on the host (mkfs.ext4,
 * inode tables written now so the guest has no lazy init in the way). */
static int make_disk(unsigned mb, struct lab_disk *d)
{
	char *dir = xasprintf("%s/scratch", cache_dir()), *cmd;
	int fd, r;

	d->path[0] = '\0';
	if (!mb) {
		free(dir);
		return 0;
	}
	mkdir_p(dir, 0755);
	snprintf(d->path, sizeof(d->path), "%s/disk-%ld.img", dir, (long)getpid());
	free(dir);
	fd = open(d->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)mb << 20)) {
		log_msg("scratch disk %s: %s", d->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	cmd = xasprintf("mkfs.ext4 -q -F -m 0 -E lazy_itable_init=0,lazy_journal_init=0 '%s'",
			d->path);
	r = system(cmd);
	free(cmd);
	if (r) {
		log_msg("scratch disk: mkfs.ext4 failed (e2fsprogs installed?)");
		unlink(d->path);
		return -1;
	}
	return 0;
}

static char **qemu_argv(const struct lab_opts *o, const struct lab_env *env,
			const char *initrd, const char *dir, const char *accel,
			const struct lab_disk *disk, const char *append)
{
	static char *argv[64];
	static char buf[16][4200];
	int n = 0, b = 0;
	char extra[256] = "";
	int nodes = !strcmp(o->topology, "numa2") ? 2 : !strcmp(o->topology, "numa4") ? 4 : 1;

#define ARG(...) (snprintf(buf[b], sizeof(buf[b]), __VA_ARGS__), argv[n++] = buf[b++])
	argv[n++] = strcmp(env->arch, "i386") ? "qemu-system-x86_64" : "qemu-system-i386";
	argv[n++] = "-accel";
	argv[n++] = (char *)accel;
	argv[n++] = "-m";
	ARG("%u", o->memory_mb);
	argv[n++] = "-smp";
	ARG("%u", o->cpus);
	argv[n++] = "-kernel";
	argv[n++] = (char *)env->vmlinuz;
	argv[n++] = "-initrd";
	argv[n++] = (char *)initrd;
	if (!strcmp(o->topology, "movable") && !strstr(append, "movablecore="))
		snprintf(extra, sizeof(extra), " movablecore=50%%");
	argv[n++] = "-append";
	/* printk.devkmsg=on: the harness's phase markers are never rate-limited */
	ARG("console=ttyS0 loglevel=4 panic=-1 oops=panic softlockup_panic=0 printk.devkmsg=on%s%s%s",
	    extra, append[0] ? " " : "", append);
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	argv[n++] = "-no-reboot";
	argv[n++] = "-serial";
	ARG("file:%s/console.log", dir);
	argv[n++] = "-serial";
	ARG("file:%s/guest-stream.bin", dir);
	argv[n++] = "-pidfile";
	ARG("%s/qemu.pid", dir);
	if (disk->path[0]) {
		argv[n++] = "-drive";
		/* unsafe: a scratch disk, thrown away after the run */
		ARG("file=%s,if=virtio,format=raw,cache=unsafe", disk->path);
	}
	for (int i = 0; i < nodes && nodes > 1; i++) {
		argv[n++] = "-object";
		ARG("memory-backend-ram,id=m%d,size=%uM", i, o->memory_mb / (unsigned)nodes);
		argv[n++] = "-numa";
		ARG("node,nodeid=%d,memdev=m%d", i, i);
	}
#undef ARG
	argv[n] = NULL;
	return argv;
}

static int write_qemu_cmdline(const char *dir, char **argv)
{
	char *path = path_join(dir, "qemu.cmdline");
	FILE *f = fopen(path, "w");

	free(path);
	if (!f)
		return -1;
	for (int i = 0; argv[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", argv[i]);
	fputc('\n', f);
	return fclose(f);
}

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

static bool file_contains(const char *path, const char *needle)
{
	char *t = read_file(path, NULL);
	bool r = t && strstr(t, needle);

	free(t);
	return r;
}

/* Judge the run from what reached the host (the guest may have died). */
static int finalize(const struct scenario *sc, const struct lab_opts *o, const struct lab_env *env,
		    const char *dir, const char *outcome, const char *accel, double wall_s,
		    bool booted, int guest_code)
{
	char *spath = path_join(dir, "summary.json"), *mpath = path_join(dir, "manifest.json");
	char *kpath = path_join(dir, "kmsg.txt");
	json_object *summary = json_object_from_file(spath), *verdicts, *lab, *v, *m;
	int code;

	lab = json_object_new_object();
	json_object_object_add(lab, "kernel", json_object_new_string(o->kernel));
	json_object_object_add(lab, "release", json_object_new_string(env->release));
	json_object_object_add(lab, "topology", json_object_new_string(o->topology));
	json_object_object_add(lab, "memory_mb", json_object_new_int((int)o->memory_mb));
	json_object_object_add(lab, "cpus", json_object_new_int((int)o->cpus));
	json_object_object_add(lab, "accel", json_object_new_string(accel));
	json_object_object_add(lab, "wall_s", json_object_new_double(wall_s));

	if (!summary || strcmp(outcome, "completed")) {
		/* No verdicts from the guest: judge the events that reached us. */
		struct event_list ev = { 0 };
		size_t len, nlen;
		char *k = read_file(kpath, &len);

		if (k) {
			char *norm = kmsg_to_dmesg(k, len, &nlen);

			logparse_text(norm, nlen, &ev);
			free(norm);
			free(k);
		}
		if (summary)
			json_object_put(summary);
		summary = json_object_new_object();
		json_object_object_add(summary, "scenario", json_object_new_string(sc->name));
		verdicts = json_object_new_array();
		for (int i = 0; i < sc->nexpect; i++)
			json_object_array_add(verdicts, verdict_expect(sc, &sc->expect[i], &ev));
		json_object_object_add(summary, "verdicts", verdicts);
		event_list_free(&ev);
	}
	json_object_object_add(summary, "outcome", json_object_new_string(outcome));
	json_object_object_add(summary, "lab", json_object_get(lab));
	json_object_object_get_ex(summary, "verdicts", &verdicts);
	v = json_object_new_object();
	{
		char *id = xasprintf("%s.outcome", sc->name);
		json_object *meas = json_object_new_object();

		json_object_object_add(v, "id", json_object_new_string(id));
		json_object_object_add(v, "status", json_object_new_string(
			!strcmp(outcome, "completed") ? "PASS" : booted ? "FAIL" : "ERROR"));
		json_object_object_add(meas, "outcome", json_object_new_string(outcome));
		if (guest_code >= 0)
			json_object_object_add(meas, "guest_exit_code", json_object_new_int(guest_code));
		json_object_object_add(v, "measure", meas);
		json_object_array_put_idx(verdicts, json_object_array_length(verdicts), v);
		free(id);
	}
	code = !booted ? EXIT_INFRA : verdicts_exit_code(verdicts);
	if (guest_code == EXIT_INFRA || guest_code == EXIT_USAGE)
		code = guest_code;
	json_object_object_add(summary, "exit_code", json_object_new_int(code));
	json_object_to_file_ext(spath, summary, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);

	m = json_object_from_file(mpath);
	if (!m)
		m = json_object_new_object();
	json_object_object_add(m, "lab", lab);
	json_object_to_file_ext(mpath, m, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object_put(m);
	{
		char *tap = tap_from_summary(summary);
		char *tpath = path_join(dir, "tap.txt");

		fputs(tap, stdout);
		fflush(stdout);
		write_file_atomic(tpath, tap, strlen(tap));
		free(tpath);
		free(tap);
	}
	json_object_put(summary);
	free(spath);
	free(mpath);
	free(kpath);
	return code;
}

/* How one guest ended, for the statistical judge. */
struct boot_result {
	const char *outcome;
	bool booted;
	int guest_code;
};

static int lab_run_one(const struct scenario *sc, const struct lab_opts *o,
		       const struct lab_env *env, const char *dir, const char *guest_args,
		       const char *append, unsigned timeout_s, struct boot_result *br)
{
	char *initrd, *spath;
	const char *accel = o->accel ? o->accel : kvm_usable() ? "kvm" : "tcg";
	struct stream_state ss = { .fd = -1, .exit_code = -1 };
	unsigned timeout = (o->timeout_s ? o->timeout_s : timeout_s) + BOOT_ALLOWANCE_S;
	/* A step ends well within its repetition's time limit: a guest that
	 * ends none for that long is hung, however many repetitions remain.
	 * --timeout replaces both limits. */
	unsigned stall = o->timeout_s ? timeout : sc->timeout_s + BOOT_ALLOWANCE_S;
	uint64_t t0 = now_ns(), progress = t0;
	off_t phases_size = 0;
	char *ppath;
	const char *outcome = NULL;
	struct lab_disk disk;
	char **argv, runenv[512];
	pid_t pid;
	int st = 0, code;
	bool exited = false;

	if (mkdir_p(dir, 0755)) {
		log_msg("cannot create %s: %s", dir, strerror(errno));
		return EXIT_INFRA;
	}
	/* A results directory is one run: leftovers would be mixed in. */
	results_clear(dir);
	if (make_disk(sc->lab_disk_mb, &disk))
		return EXIT_INFRA;
	snprintf(runenv, sizeof(runenv), "ARGS='%s'\nCGROUP=v%u\nDISK=%s\n", guest_args,
		 sc->lab_cgroup, disk.path[0] ? "1" : "");
	initrd = make_initrd(env, sc, runenv, dir);
	if (!initrd) {
		if (disk.path[0])
			unlink(disk.path);
		return EXIT_INFRA;
	}
	argv = qemu_argv(o, env, initrd, dir, accel, &disk, append);
	write_qemu_cmdline(dir, argv);
	spath = path_join(dir, "guest-stream.bin");
	close(open(spath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
	ss.fd = open(spath, O_RDONLY | O_CLOEXEC);
	free(spath);
	log_msg("booting %s (%s, %s, %u MiB, %u cpus%s%s) for %s %s", env->release, accel,
		o->topology, o->memory_mb, o->cpus, append[0] ? ", " : "", append, sc->name,
		guest_args);
	ppath = path_join(dir, "phases.jsonl");
	pid = fork();
	if (pid == 0) {
		char *log = path_join(dir, "qemu.log");
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setpgid(0, 0);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0) {
		free(initrd);
		free(ppath);
		return EXIT_INFRA;
	}
	while (!exited) {
		struct stat sb;
		uint64_t now;
		bool over;

		pump_stream(&ss, dir);
		if (waitpid(pid, &st, WNOHANG) == pid) {
			exited = true;
			break;
		}
		now = now_ns();
		if (stat(ppath, &sb) == 0 && sb.st_size != phases_size) {
			phases_size = sb.st_size;
			progress = now;
		}
		over = now - t0 > (uint64_t)timeout * 1000000000ull;
		if (over || now - progress > (uint64_t)stall * 1000000000ull) {
			if (!over)
				log_msg("%s: no step ended for %u s (the scenario's timeout_s + %u)",
					sc->name, stall, BOOT_ALLOWANCE_S);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			outcome = "hang";
			exited = true;
			break;
		}
		sleep_ms(100);
	}
	free(ppath);
	pump_stream(&ss, dir);
	close(ss.fd);
	free(ss.buf);
	unlink(initrd);
	free(initrd);
	if (disk.path[0])
		unlink(disk.path);
	{
		char *con = path_join(dir, "console.log");
		bool panic = file_contains(con, "Kernel panic - not syncing");
		bool booted = file_contains(con, "allocrepro-guest: start");

		if (!outcome) {
			if (ss.ended)
				outcome = "completed";
			else if (panic)
				outcome = "panic";
			else if (WIFSIGNALED(st))
				outcome = "killed";
			else if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
				outcome = "qemu_failed";
			else
				outcome = "guest_exit";
		}
		free(con);
		if (br) {
			/* one boot of a statistical scenario: judged with the others */
			br->outcome = outcome;
			br->booted = booted;
			br->guest_code = ss.ended ? ss.exit_code : -1;
			code = 0;
		} else {
			code = finalize(sc, o, env, dir, outcome, accel,
					(double)(now_ns() - t0) / 1e9, booted,
					ss.ended ? ss.exit_code : -1);
		}
		log_msg("%s: outcome %s, results in %s", sc->name, outcome, dir);
	}
	return code;
}

/* The guest's kernel, topology, memory and CPUs for one arm: the arm's own
 * choice, else the flag, else the scenario's, else the default. */
static void resolve_opts(const struct lab_opts *flags, const struct scenario *sc,
			 const struct sc_arm *arm, struct lab_opts *oi)
{
	*oi = *flags;
	oi->kernel = arm && arm->kernel[0] ? arm->kernel : flags->kernel ? flags->kernel :
		     sc->lab_kernel[0] ? sc->lab_kernel : "debian-6.1";
	oi->topology = arm && arm->topology[0] ? arm->topology : flags->topology ? flags->topology :
		       sc->lab_topology[0] ? sc->lab_topology : "uma";
	if (arm && arm->memory_mb)
		oi->memory_mb = arm->memory_mb;
	if (!oi->memory_mb) {
		oi->memory_mb = sc->lab_memory_mb;
		/* HighMem starts above ~896 MiB of lowmem: make it a real zone */
		if (!strcmp(oi->topology, "highmem") && oi->memory_mb < HIGHMEM_MIN_MB) {
			log_msg("%s: topology highmem: %u MiB instead of %u", sc->name,
				HIGHMEM_MIN_MB, oi->memory_mb);
			oi->memory_mb = HIGHMEM_MIN_MB;
		}
	}
	if (!oi->cpus)
		oi->cpus = sc->lab_cpus;
}

static int check_combination(const struct scenario *sc, const struct lab_opts *oi)
{
	if (!strcmp(oi->topology, "highmem") && strcmp(oi->kernel, "debian-6.1-pae")) {
		log_msg("%s: topology highmem needs a 32-bit kernel (--kernel debian-6.1-pae)", sc->name);
		return EXIT_USAGE;
	}
	if (!strcmp(oi->topology, "highmem") && oi->memory_mb <= 1024) {
		log_msg("%s: topology highmem: %u MiB leaves no HighMem zone; give more than 1024",
			sc->name, oi->memory_mb);
		return EXIT_USAGE;
	}
	return 0;
}

static json_object *read_jsonl(const char *dir, const char *file)
{
	char *path = path_join(dir, file), *text = read_file(path, NULL);
	json_object *a = json_object_new_array();

	for (char *save = NULL, *l = text ? strtok_r(text, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		json_object *o = json_tokener_parse(l);

		if (o)
			json_object_array_add(a, o);
	}
	free(text);
	free(path);
	return a;
}

static void append_path(const char *dir, const char *file, const char *text, size_t len)
{
	char *path = path_join(dir, file);
	FILE *f = fopen(path, "a");

	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
	free(path);
}

struct stat_run {
	const struct scenario *sc;
	const char *dir;
	json_object *records, *boots, *skip;
	int worst, nboot;
	bool all_completed;
};

/*
 * One guest of a statistical scenario: an arm that needs its own boot (or,
 * arm NULL, every arm that does not), all repetitions or just one.  Its
 * results go to boots/NN-label/; its repetitions join the judged records,
 * its events and kernel log the top-level files.
 */
static void stat_boot(struct stat_run *st, const struct lab_opts *flags, const struct sc_arm *arm,
		      unsigned reps, int rep)
{
	const struct scenario *sc = st->sc;
	struct lab_opts oi;
	struct lab_env env;
	struct boot_result br = { 0 };
	unsigned narms = 0;
	char args[256], label[96];
	char *sub, *text;
	json_object *b, *ph, *ev, *rec, *gs;
	size_t len;
	int r;

	resolve_opts(flags, sc, arm, &oi);
	for (int a = 0; a < sc->narms; a++)
		narms += arm ? &sc->arms[a] == arm : !arm_needs_boot(&sc->arms[a]);
	snprintf(args, sizeof(args), "%s%s%s--repeat %u --first-repetition %d", arm ? "--arm " : "",
		 arm ? arm->name : "", arm ? " " : "", rep >= 0 ? 1 : reps, rep >= 0 ? rep : 0);
	snprintf(label, sizeof(label), "%02d-%s", st->nboot++, arm ? arm->name : "main");
	if (rep >= 0)
		snprintf(label + strlen(label), sizeof(label) - strlen(label), "-rep%d", rep);
	sub = xasprintf("%s/boots/%s", st->dir, label);
	r = lab_prepare(&oi, &env);
	if (!r)
		r = lab_run_one(sc, &oi, &env, sub, args, arm ? arm->boot : "",
				sc->timeout_s * (rep >= 0 ? 1 : reps) * (narms ? narms : 1), &br);
	if (r || !br.booted) {
		st->worst = EXIT_INFRA;
		st->all_completed = false;
	}
	b = json_object_new_object();
	json_object_object_add(b, "dir", json_object_new_string(sub + strlen(st->dir) + 1));
	json_object_object_add(b, "arm", json_object_new_string(arm ? arm->name : "(no boot of its own)"));
	json_object_object_add(b, "kernel", json_object_new_string(oi.kernel));
	json_object_object_add(b, "release", json_object_new_string(r ? "" : env.release));
	json_object_object_add(b, "topology", json_object_new_string(oi.topology));
	json_object_object_add(b, "memory_mb", json_object_new_int((int)oi.memory_mb));
	json_object_object_add(b, "append", json_object_new_string(arm ? arm->boot : ""));
	json_object_object_add(b, "guest_args", json_object_new_string(args));
	json_object_object_add(b, "outcome", json_object_new_string(r ? "not_started" : br.outcome));
	json_object_object_add(b, "guest_exit_code", json_object_new_int(br.guest_code));
	json_object_array_add(st->boots, b);
	if (r) {
		free(sub);
		return;
	}
	if (strcmp(br.outcome, "completed"))
		st->all_completed = false;
	if (br.guest_code == EXIT_USAGE || br.guest_code == EXIT_INFRA)
		st->worst = br.guest_code > st->worst ? br.guest_code : st->worst;
	/* a requirement the guest lacks makes every verdict a SKIP */
	{
		char *sp = path_join(sub, "summary.json");

		gs = json_object_from_file(sp);
		free(sp);
	}
	if (gs && json_object_object_get_ex(gs, "skip_reason", &rec) && !st->skip)
		st->skip = json_object_get(rec);
	json_object_put(gs);
	ph = read_jsonl(sub, "phases.jsonl");
	ev = read_jsonl(sub, "events.jsonl");
	rec = reps_judge(sc, ph, ev, br.outcome);
	for (size_t i = 0; i < json_object_array_length(rec); i++) {
		json_object *o = json_object_array_get_idx(rec, i);

		json_object_object_add(o, "boot", json_object_new_string(label));
		json_object_array_add(st->records, json_object_get(o));
	}
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		json_object *o = json_object_array_get_idx(ev, i);
		const char *line;

		json_object_object_add(o, "boot", json_object_new_string(label));
		line = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
		text = xasprintf("%s\n", line);
		append_path(st->dir, "events.jsonl", text, strlen(text));
		free(text);
	}
	{
		char *kp = path_join(sub, "kmsg.txt");

		text = read_file(kp, &len);
		free(kp);
	}
	if (text) {
		char *head = xasprintf("# allocrepro boot %s\n", label);

		append_path(st->dir, "kmsg.txt", head, strlen(head));
		append_path(st->dir, "kmsg.txt", text, len);
		free(head);
	}
	free(text);
	json_object_put(rec);
	json_object_put(ph);
	json_object_put(ev);
	free(sub);
}

/* Boots for every arm (and repetition, when independence needs a fresh
 * guest each time), then the verdicts over all of them. */
static int lab_run_statistical(const struct scenario *sc, const struct lab_opts *flags,
			       const char *dir)
{
	struct stat_run st = { .sc = sc, .dir = dir, .all_completed = true };
	unsigned reps = flags->repeat ? flags->repeat : sc->repetitions;
	json_object *summary, *verdicts, *m;
	char *path, *tap;
	int code;

	/* every kernel the arms need, before anything is written or booted:
	 * an unknown one is bad input (exit 2) */
	for (int a = -1; a < sc->narms; a++) {
		const struct sc_arm *arm = a < 0 ? NULL : &sc->arms[a];
		struct lab_opts oi;
		struct lab_env env;
		int r;

		if (arm && !arm_needs_boot(arm))
			continue;
		resolve_opts(flags, sc, arm, &oi);
		r = lab_prepare(&oi, &env);
		if (r)
			return r;
	}
	if (mkdir_p(dir, 0755)) {
		log_msg("cannot create %s: %s", dir, strerror(errno));
		return EXIT_INFRA;
	}
	results_clear(dir);
	st.records = json_object_new_array();
	st.boots = json_object_new_array();
	for (int a = -1; a < sc->narms; a++) {
		const struct sc_arm *arm = a < 0 ? NULL : &sc->arms[a];

		if (arm && !arm_needs_boot(arm))
			continue;	/* runs in the main guest */
		if (sc->boot_per_repetition)
			for (unsigned r = 0; r < reps; r++)
				stat_boot(&st, flags, arm, reps, (int)r);
		else
			stat_boot(&st, flags, arm, reps, -1);
		if (st.skip)
			break;	/* the machine lacks what the scenario needs */
	}
	verdicts = st.skip ? reps_all_skipped(sc, json_object_get_string(st.skip)) :
		   reps_verdicts(sc, st.records, NULL);
	code = verdicts_exit_code(verdicts);
	if (st.worst > code)
		code = st.worst;
	summary = json_object_new_object();
	json_object_object_add(summary, "scenario", json_object_new_string(sc->name));
	json_object_object_add(summary, "outcome", json_object_new_string(
		st.skip ? "skipped" : st.all_completed ? "completed" : "partial"));
	if (st.skip)
		json_object_object_add(summary, "skip_reason", json_object_get(st.skip));
	json_object_object_add(summary, "verdicts", verdicts);
	json_object_object_add(summary, "repetitions", st.records);
	json_object_object_add(summary, "boots", json_object_get(st.boots));
	json_object_object_add(summary, "exit_code", json_object_new_int(code));
	path = path_join(dir, "summary.json");
	json_object_to_file_ext(path, summary, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	free(path);
	/* the first guest's manifest, and every boot */
	if (json_object_array_length(st.boots)) {
		const char *first = json_object_get_string(json_object_object_get(
			json_object_array_get_idx(st.boots, 0), "dir"));
		char *sub = path_join(dir, first), *mp = path_join(sub, "manifest.json");

		m = json_object_from_file(mp);
		free(mp);
		free(sub);
	} else {
		m = NULL;
	}
	if (!m)
		m = json_object_new_object();
	json_object_object_add(m, "boots", st.boots);
	path = path_join(dir, "manifest.json");
	json_object_to_file_ext(path, m, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	free(path);
	json_object_put(m);
	tap = tap_from_summary(summary);
	fputs(tap, stdout);
	fflush(stdout);
	path = path_join(dir, "tap.txt");
	write_file_atomic(path, tap, strlen(tap));
	free(path);
	free(tap);
	json_object_put(st.skip);
	json_object_put(summary);
	log_msg("%s: %s, results in %s", sc->name, code ? "not all verdicts pass" : "all verdicts pass",
		dir);
	return code;
}

static int lab_kernels(void)
{
	char *conf = xasprintf("%s/ci/kernels.conf", data_dir());
	char *text = read_file(conf, NULL);

	if (!text) {
		log_msg("%s: %s", conf, strerror(errno));
		free(conf);
		return EXIT_INFRA;
	}
	printf("%-16s %-6s %s\n", "NAME", "ARCH", "CACHED RELEASE");
	for (char *s = text, *nl; s && *s; s = nl ? nl + 1 : NULL) {
		char name[64], arch[16], rel[128] = "-";

		nl = strchr(s, '\n');
		if (*s == '#' || sscanf(s, "%63s %15s", name, arch) != 2)
			continue;
		char *ptr = xasprintf("%s/kernels/%s.release", cache_dir(), name);
		char *r = read_file(ptr, NULL);

		if (r) {
			r[strcspn(r, "\n")] = '\0';
			char *done = xasprintf("%s/kernels/%s/.complete", cache_dir(), r);
			struct stat st;

			if (stat(done, &st) == 0)
				snprintf(rel, sizeof(rel), "%s", r);
			free(done);
		}
		printf("%-16s %-6s %s%s\n", name, arch, rel, strcmp(name, "debian-6.1") ? "" : " (default)");
		free(r);
		free(ptr);
	}
	free(text);
	free(conf);
	return 0;
}

static void lab_usage(void)
{
	fputs("usage: allocrepro lab run SCENARIO... [--kernel NAME] [--topology NAME]\n"
	      "                      [--results DIR] [--memory MB] [--cpus N] [--timeout S]\n"
	      "                      [--accel kvm|tcg] [--repeat N]\n"
	      "       allocrepro lab kernels\n"
	      "topologies: uma (default), numa2, numa4, movable, highmem\n", stderr);
}

static bool parse_uint_opt(const char *name, const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	uint64_t v;

	if (!parse_u64(s, &v) || v < lo || v > hi) {
		log_msg("--%s: '%s' is not a number from %u to %u", name, s, lo, hi);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

int cmd_lab(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "topology", required_argument, NULL, 't' },
		{ "results", required_argument, NULL, 'r' },
		{ "memory", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "accel", required_argument, NULL, 'a' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lab_opts o = { 0 };	/* kernel, topology: flag, else scenario, else default */
	static struct scenario sc[16];
	struct lab_env env;
	char err[1024];
	int c, nsc, worst = 0;

	if (argc < 2) {
		lab_usage();
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "kernels"))
		return lab_kernels();
	if (strcmp(argv[1], "run")) {
		log_msg("unknown lab command '%s'", argv[1]);
		lab_usage();
		return EXIT_USAGE;
	}
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'k': o.kernel = optarg; break;
		case 't': o.topology = optarg; break;
		case 'r': o.results = optarg; break;
		case 'm': if (!parse_uint_opt("memory", optarg, 128, 65536, &o.memory_mb)) return EXIT_USAGE; break;
		case 'c': if (!parse_uint_opt("cpus", optarg, 1, 64, &o.cpus)) return EXIT_USAGE; break;
		case 'T': if (!parse_uint_opt("timeout", optarg, 1, 86400, &o.timeout_s)) return EXIT_USAGE; break;
		case 'n':
			if (!parse_uint_opt("repeat", optarg, 1, 10000, &o.repeat))
				return EXIT_USAGE;
			snprintf(o.repeat_arg, sizeof(o.repeat_arg), "--repeat %u", o.repeat);
			break;
		case 'a':
			if (strcmp(optarg, "kvm") && strcmp(optarg, "tcg")) {
				log_msg("--accel: '%s' is not kvm or tcg", optarg);
				return EXIT_USAGE;
			}
			o.accel = optarg;
			break;
		case 'h': lab_usage(); return 0;
		default: lab_usage(); return EXIT_USAGE;
		}
	}
	if (o.topology && !lab_topology_valid(o.topology)) {
		log_msg("--topology: unknown topology '%s' (uma, numa2, numa4, movable, highmem)", o.topology);
		return EXIT_USAGE;
	}
	nsc = argc - optind;
	if (nsc < 1 || nsc > (int)ARRAY_LEN(sc)) {
		lab_usage();
		return EXIT_USAGE;
	}
	/* Every scenario is checked before anything is fetched or booted;
	 * flags override the scenario's own lab: kernel and topology, an
	 * arm's own choice overrides both. */
	for (int i = 0; i < nsc; i++) {
		if (scenario_load(argv[optind + i], &sc[i], err, sizeof(err))) {
			fprintf(stderr, "allocrepro: %s\n", err);
			return EXIT_USAGE;
		}
		for (int a = 0; a < sc[i].narms; a++) {
			struct lab_opts oi;

			resolve_opts(&o, &sc[i], a ? &sc[i].arms[a] : NULL, &oi);
			if (check_combination(&sc[i], &oi))
				return EXIT_USAGE;
		}
	}
	for (int i = 0; i < nsc; i++) {
		struct lab_opts oi;
		char *dir;
		int r;

		resolve_opts(&o, &sc[i], NULL, &oi);
		if (o.results)
			dir = nsc == 1 ? xstrdup(o.results) : xasprintf("%s/%s", o.results, sc[i].name);
		else
			dir = xasprintf("runs/lab-%s-%s-%ld", sc[i].name, oi.kernel, (long)time(NULL));
		if (sc[i].statistical) {
			r = lab_run_statistical(&sc[i], &o, dir);
		} else {
			/* cached after the first time: a kernel per scenario is cheap */
			r = lab_prepare(&oi, &env);
			if (!r)
				r = lab_run_one(&sc[i], &oi, &env, dir, o.repeat ? o.repeat_arg : "", "",
						sc[i].timeout_s * (o.repeat ? o.repeat : 1), NULL);
		}
		free(dir);
		if (r > worst)
			worst = r;
	}
	return worst;
}

