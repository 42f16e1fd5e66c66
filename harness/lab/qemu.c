#include "qemu.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Takes s.  The table below stays far under QEMU_MAX_ARGS; past it an
 * argument would be lost, so say so rather than boot the wrong machine. */
static void add(struct qemu_cmd *q, char *s)
{
	if (q->argc >= QEMU_MAX_ARGS) {
		log_msg("qemu: more than %d arguments, '%s' dropped", QEMU_MAX_ARGS, s);
		free(s);
		return;
	}
	q->argv[q->argc++] = s;
	q->argv[q->argc] = NULL;
}

#define arg(q, ...) add(q, xasprintf(__VA_ARGS__))

void qemu_cmd_build(struct qemu_cmd *q, const struct lab_opts *o, const struct lab_env *env,
		    const char *initrd, const char *dir, const char *accel,
		    const struct lab_disk *disk, const char *append, const struct qemu_extra *x)
{
	const char *extra = "";
	int nodes = !strcmp(o->topology, "numa2") ? 2 : !strcmp(o->topology, "numa4") ? 4 : 1;

	memset(q, 0, sizeof(*q));
	q->tmpdir = x ? x->tmpdir : NULL;
	arg(q, "%s", strcmp(env->arch, "i386") ? "qemu-system-x86_64" : "qemu-system-i386");
	arg(q, "-accel");
	arg(q, "%s", accel);
	arg(q, "-m");
	arg(q, "%u", o->memory_mb);
	arg(q, "-smp");
	arg(q, "%u", o->cpus);
	arg(q, "-kernel");
	arg(q, "%s", env->vmlinuz);
	arg(q, "-initrd");
	arg(q, "%s", initrd);
	if (!strcmp(o->topology, "movable") && !strstr(append, "movablecore="))
		extra = " movablecore=50%";
	arg(q, "-append");
	/* printk.devkmsg=on: the harness's phase markers are never rate-limited */
	arg(q, "console=ttyS0 loglevel=4 panic=-1 oops=panic softlockup_panic=0 printk.devkmsg=on%s%s%s",
	    extra, append[0] ? " " : "", append);
	arg(q, "-display");
	arg(q, "none");
	arg(q, "-monitor");
	arg(q, "none");
	arg(q, "-no-reboot");
	for (int i = 0; i < 2; i++) {	/* the console, the result stream */
		const char *file = i ? "guest-stream.bin" : "console.log";

		if (x && x->append) {
			arg(q, "-chardev");
			arg(q, "file,id=out%d,path=%s/%s,append=on", i, dir, file);
			arg(q, "-serial");
			arg(q, "chardev:out%d", i);
		} else {
			arg(q, "-serial");
			arg(q, "file:%s/%s", dir, file);
		}
	}
	arg(q, "-serial");
	if (x && x->ctl) {
		arg(q, "pipe:%s", x->ctl);
	} else {
		arg(q, "null");
	}
	if (x && x->qmp) {
		arg(q, "-qmp");
		arg(q, "unix:%s,server=on,wait=off", x->qmp);
	}
	if (x && x->incoming) {
		arg(q, "-incoming");
		arg(q, "exec:cat '%s'", x->incoming);
	}
	arg(q, "-pidfile");
	arg(q, "%s/qemu.pid", dir);
	if (disk->path[0]) {
		arg(q, "-drive");
		/* unsafe: a scratch disk, thrown away after the run; a restored
		 * copy writes to a temporary overlay, the saved disk stays */
		arg(q, "file=%s,if=virtio,format=raw,cache=unsafe%s", disk->path,
		    disk->throwaway ? ",snapshot=on" : "");
	}
	for (int i = 0; i < nodes && nodes > 1; i++) {
		arg(q, "-object");
		arg(q, "memory-backend-ram,id=m%d,size=%uM", i, o->memory_mb / (unsigned)nodes);
		arg(q, "-numa");
		arg(q, "node,nodeid=%d,memdev=m%d", i, i);
	}
}

void qemu_cmd_free(struct qemu_cmd *q)
{
	for (int i = 0; i < q->argc; i++)
		free(q->argv[i]);
	q->argc = 0;
	q->argv[0] = NULL;
}

int qemu_cmd_write(const struct qemu_cmd *q, const char *dir)
{
	char *path = path_join(dir, "qemu.cmdline");
	FILE *f = fopen(path, "w");

	free(path);
	if (!f)
		return -1;
	for (int i = 0; i < q->argc; i++)
		fprintf(f, "%s%s", i ? " " : "", q->argv[i]);
	fputc('\n', f);
	return fclose(f);
}

int qemu_spawn(const struct qemu_cmd *q, const char *dir)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *log = path_join(dir, "qemu.log");
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setpgid(0, 0);
		/* a killed QEMU cannot delete its temporary disk overlay: keep
		 * it where the run removes it */
		if (q->tmpdir)
			setenv("TMPDIR", q->tmpdir, 1);
		execvp(q->argv[0], q->argv);
		_exit(127);
	}
	if (pid < 0)
		log_msg("cannot start %s: %s", q->argv[0], strerror(errno));
	return pid;
}
