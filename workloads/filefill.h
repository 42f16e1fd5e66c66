/* Filling the page cache with files: shared by pagecache and numa-local. */
#ifndef ALLOCREPRO_FILEFILL_H
#define ALLOCREPRO_FILEFILL_H

#include <stdbool.h>
#include <stddef.h>

struct filefill {
	const char *dir;
	size_t file_mb;
	bool dirty;		/* leave the pages dirty (no fdatasync) */
	unsigned files;		/* written so far */
	int error;		/* errno of a failed write, 0 none */
};

/* Write the next file; false (error set) on failure. */
bool filefill_one(struct filefill *f);
/* Read every file back, so what reclaim dropped is cached again. */
void filefill_reread(const struct filefill *f);
/* Write every file over in place: what is cached is dirty again, what
 * reclaim dropped comes back dirty, and the files do not grow. */
void filefill_rewrite(const struct filefill *f);

#endif
