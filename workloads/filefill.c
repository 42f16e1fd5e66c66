#include "filefill.h"
#include "workload.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1 << 20)

bool filefill_one(struct filefill *f)
{
	static char buf[CHUNK];
	char *p = xasprintf("%s/cache-%u", f->dir, f->files);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	bool ok = fd >= 0;

	free(p);
	/* contents differ per file so nothing can be deduplicated */
	memset(buf, 'A' + (int)(f->files % 26), sizeof(buf));
	for (size_t i = 0; ok && i < f->file_mb; i++)
		ok = write_all(fd, buf, sizeof(buf)) == 0;
	if (ok && !f->dirty)
		ok = fdatasync(fd) == 0;	/* written back: clean page cache */
	f->error = ok ? 0 : errno;
	if (fd >= 0)
		close(fd);
	f->files++;
	return ok;
}

void filefill_reread(const struct filefill *f)
{
	static char buf[CHUNK];

	/* a stop request ends it: the probe is over, nobody waits for this */
	for (unsigned i = 0; i < f->files && !wl_stopping(); i++) {
		char *p = xasprintf("%s/cache-%u", f->dir, i);
		int fd = open(p, O_RDONLY | O_CLOEXEC);

		free(p);
		while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
			;
		if (fd >= 0)
			close(fd);
	}
}

void filefill_rewrite(const struct filefill *f)
{
	static char buf[CHUNK];

	/* a stop request ends it, as for a re-read */
	for (unsigned i = 0; i < f->files && !wl_stopping(); i++) {
		char *p = xasprintf("%s/cache-%u", f->dir, i);
		int fd = open(p, O_WRONLY | O_CLOEXEC);
		bool ok = fd >= 0;

		free(p);
		memset(buf, 'a' + (int)(i % 26), sizeof(buf));
		for (size_t k = 0; ok && k < f->file_mb; k++)
			ok = write_all(fd, buf, sizeof(buf)) == 0;
		if (fd >= 0)
			close(fd);
	}
}
