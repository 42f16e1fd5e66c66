/*
 * cache/saved-guests/KEY/: guest.mig, disk.img (when the scenario has a
 * scratch disk), initrd.img and .complete (written last; its mtime is the
 * last use).  The key hashes the template's initrd (base image with the
 * program and module, stress-ng, the scenario, run.env), the kernel image,
 * QEMU's version and the machine, so any change makes a new one.
 */
#include "snapcache.h"
#include "paths.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SNAPCACHE_KEEP 12	/* the seed suite uses 8 machines */

static char *cache_path(const char *key, const char *file)
{
	return key ? xasprintf("%s/saved-guests/%s%s%s", cache_dir(), key, file ? "/" : "",
			       file ? file : "") :
		     xasprintf("%s/saved-guests", cache_dir());
}

/* QEMU's own version line: a saved guest loads only into the QEMU that
 * saved it. */
static const char *qemu_version(const struct lab_env *env)
{
	static char v[2][256];
	int i = strcmp(env->arch, "i386") ? 0 : 1;

	if (!v[i][0]) {
		FILE *p = popen(i ? "qemu-system-i386 --version" : "qemu-system-x86_64 --version",
				"r");

		if (!p || !fgets(v[i], sizeof(v[i]), p))
			snprintf(v[i], sizeof(v[i]), "unknown");
		if (p)
			pclose(p);
	}
	return v[i];
}

int snapcache_key(const char *initrd, const char *machine, const struct lab_env *env,
		  char key[65])
{
	size_t len;
	char *data = read_file(initrd, &len), ih[65], *all;
	struct stat sb;

	if (!data)
		return -1;
	sha256_hex(data, len, ih);
	free(data);
	if (stat(env->vmlinuz, &sb))
		memset(&sb, 0, sizeof(sb));
	all = xasprintf("%s\n%s\n%s %lld %lld\n%s", ih, machine, env->vmlinuz, (long long)sb.st_size,
			(long long)sb.st_mtime, qemu_version(env));
	sha256_hex(all, strlen(all), key);
	key[24] = '\0';		/* plenty for a cache, short in paths */
	free(all);
	return 0;
}

static void point_at(const char *key, struct lab_template *t, bool disk)
{
	char *p;

	p = cache_path(key, "guest.mig");
	snprintf(t->image, sizeof(t->image), "%s", p);
	free(p);
	p = cache_path(key, "initrd.img");
	snprintf(t->initrd, sizeof(t->initrd), "%s", p);
	free(p);
	p = cache_path(key, "disk.img");
	snprintf(t->disk, sizeof(t->disk), "%s", disk ? p : "");
	free(p);
}

bool snapcache_find(const char *key, struct lab_template *t)
{
	char *done = cache_path(key, ".complete"), *disk = cache_path(key, "disk.img");
	char *con = cache_path(key, "console.log"), *dir = cache_path(key, NULL);
	struct stat sb;
	bool hit = stat(done, &sb) == 0;

	/* kept with the console of its boot: one that never said it was ready
	 * was saved too early (a stale console read as its own, before
	 * 2026-12-04) and would hang every copy */
	if (hit && !file_contains(con, "allocrepro-guest: ready")) {
		log_msg("the saved guest %s never said it was ready: made again", key);
		remove_recursive(dir);
		hit = false;
	}
	free(con);
	free(dir);
	if (hit) {
		point_at(key, t, stat(disk, &sb) == 0);
		utimensat(AT_FDCWD, done, NULL, 0);	/* used now */
	}
	free(done);
	free(disk);
	return hit;
}

/* Keep the SNAPCACHE_KEEP most recently used; a half-written one (no
 * .complete) is another run's, left alone. */
static void evict(void)
{
	char *top = cache_path(NULL, NULL);
	DIR *d = opendir(top);
	struct kept {
		char name[64];
		time_t used;
	} e[64];
	int n = 0;

	for (struct dirent *de = d ? readdir(d) : NULL; de && n < 64; de = readdir(d)) {
		char *done = xasprintf("%s/%s/.complete", top, de->d_name);
		struct stat sb;

		if (de->d_name[0] != '.' && strlen(de->d_name) < sizeof(e[0].name) &&
		    stat(done, &sb) == 0) {
			memcpy(e[n].name, de->d_name, strlen(de->d_name) + 1);
			e[n++].used = sb.st_mtime;
		}
		free(done);
	}
	if (d)
		closedir(d);
	for (int kept = 0; kept < n; kept++) {	/* n is small: selection */
		int newest = kept;

		for (int j = kept + 1; j < n; j++)
			if (e[j].used > e[newest].used)
				newest = j;
		if (newest != kept) {
			struct kept tmp = e[kept];

			e[kept] = e[newest];
			e[newest] = tmp;
		}
		if (kept >= SNAPCACHE_KEEP) {
			char *p = xasprintf("%s/%s", top, e[kept].name);

			remove_recursive(p);
			free(p);
		}
	}
	free(top);
}

int snapcache_store(const char *key, const char *tdir, struct lab_template *t)
{
	char *top = cache_path(NULL, NULL), *dst = cache_path(key, NULL);
	char *done = cache_path(key, ".complete");
	bool disk = t->disk[0] != '\0';
	int r = -1, fd;

	mkdir_p(top, 0755);
	if (rename(tdir, dst)) {
		/* another run kept the same one meanwhile: use that */
		if (errno != EEXIST && errno != ENOTEMPTY) {
			log_msg("keeping the saved guest in %s: %s", dst, strerror(errno));
			goto out;
		}
		remove_recursive(tdir);
	}
	fd = open(done, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	close(fd);
	point_at(key, t, disk);
	evict();
	r = 0;
out:
	free(done);
	free(dst);
	free(top);
	return r;
}
