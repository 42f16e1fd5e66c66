/* The per-run part of a guest's disk and memory: the initrd (base image,
 * stress-ng, this run's scenario and arguments) and the scratch ext4. */
#include "image.h"
#include "cpio.h"
#include "paths.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The base initramfs, stress-ng if the scenario runs it, and this run's
 * overlay (scenario, arguments). */
char *lab_make_initrd(const struct lab_env *env, const struct scenario *sc,
			 const char *run_args, const char *dir)
{
	char *path = path_join(dir, "initrd.img");
	size_t slen;
	char *scen = read_file(sc->path, &slen), hash[65];
	bool sng = scenario_step_needs(sc) & STEP_USES_STRESSNG;
	FILE *f;

	/* every guest of a run runs the scenario the run loaded and judges */
	if (scen && (sha256_hex(scen, slen, hash), strcmp(hash, sc->hash))) {
		log_msg("%s changed since the run loaded it; not booting another guest with it",
			sc->path);
		free(scen);
		free(path);
		return NULL;
	}
	f = scen ? fopen(path, "w") : NULL;
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
int lab_make_disk(unsigned mb, struct lab_disk *d)
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
	/* an inode per 4 KiB: the fragment workload's files recipe writes
	 * one-page files until memory is full */
	cmd = xasprintf("mkfs.ext4 -q -F -m 0 -i 4096 -E lazy_itable_init=0,lazy_journal_init=0 '%s'",
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
