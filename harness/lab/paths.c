#include "paths.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ALLOCREPRO_DATADIR
#define ALLOCREPRO_DATADIR "/usr/local/share/allocrepro"
#endif

static char *source_root(void)
{
	char *dir = exe_dir();

	/* build/allocrepro or build/asan/allocrepro inside a checkout */
	for (int up = 0; up < 3; up++) {
		char *probe = xasprintf("%s/ci/fetch-kernel.sh", dir);
		char *parent;
		struct stat st;

		if (stat(probe, &st) == 0) {
			free(probe);
			return dir;
		}
		free(probe);
		parent = xasprintf("%s/..", dir);
		free(dir);
		dir = realpath(parent, NULL);
		free(parent);
		if (!dir)
			return NULL;
	}
	free(dir);
	return NULL;
}

const char *data_dir(void)
{
	static char *dir;

	if (!dir) {
		const char *env = getenv("ALLOCREPRO_DATADIR");

		dir = env ? xstrdup(env) : source_root();
		if (!dir) {
			/* Installed: PREFIX/bin/allocrepro beside PREFIX/share/allocrepro. */
			char *self = exe_dir();
			char *rel = xasprintf("%s/../share/allocrepro/ci/fetch-kernel.sh", self);
			struct stat st;

			dir = stat(rel, &st) == 0 ? xasprintf("%s/../share/allocrepro", self)
						  : xstrdup(ALLOCREPRO_DATADIR);
			free(rel);
			free(self);
		}
	}
	return dir;
}

const char *cache_dir(void)
{
	static char *dir;

	if (!dir) {
		const char *env = getenv("ALLOCREPRO_CACHE");

		/* as the Makefile's: one cache for every clone and the install */
		if (env && *env)
			dir = xstrdup(env);
		else if (getenv("XDG_CACHE_HOME"))
			dir = xasprintf("%s/allocrepro", getenv("XDG_CACHE_HOME"));
		else if (geteuid() == 0)
			dir = xstrdup("/var/cache/allocrepro");
		else
			dir = xasprintf("%s/.cache/allocrepro", getenv("HOME") ? getenv("HOME") : "/tmp");
	}
	return dir;
}
