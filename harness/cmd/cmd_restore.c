/*
 * allocrepro restore: undo what interrupted runs left behind, from their
 * journals: kill their workload processes, remove their cgroups and files,
 * release and unload the helper module's pins, put sysctls back.  A journal
 * whose run is still alive is left alone unless --force.
 */
#include "cli.h"
#include "safety/journal.h"
#include "util/util.h"

#include <dirent.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Is the run that owns this journal still running (same boot, pid alive
 * and an allocrepro)? */
static bool owner_alive(const char *path)
{
	char *t = read_file(path, NULL), *exe, link[4096], *boot;
	long pid = 0;
	ssize_t n;
	bool alive = false;

	if (t && sscanf(t, "owner\t%ld\t", &pid) == 1 && pid > 1 && kill((pid_t)pid, 0) == 0) {
		boot = read_file("/proc/sys/kernel/random/boot_id", NULL);
		exe = xasprintf("/proc/%ld/exe", pid);
		n = readlink(exe, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		alive = boot && strstr(t, strtok(boot, "\n")) && strstr(link, "allocrepro");
		free(exe);
		free(boot);
	}
	free(t);
	return alive;
}

int cmd_restore(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = journal_state_dir();
	bool force = false;
	int c, found = 0, failed = 0;
	DIR *d;
	struct dirent *de;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'f') {
			force = true;
		} else {
			fputs("usage: allocrepro restore [--force]\n"
			      "  undo what interrupted runs left: processes, cgroups, files,\n"
			      "  pinned pages, sysctls (journals in $ALLOCREPRO_STATE_DIR or\n"
			      "  /var/lib/allocrepro); --force also undoes runs still alive\n",
			      c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : EXIT_USAGE;
		}
	}
	if (optind != argc) {
		log_msg("restore: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	d = opendir(dir);
	if (!d) {
		printf("restore: nothing to restore (no %s)\n", dir);
		return 0;
	}
	while ((de = readdir(d))) {
		char *path;

		if (strncmp(de->d_name, "journal-", 8))
			continue;
		path = path_join(dir, de->d_name);
		if (!force && owner_alive(path)) {
			printf("restore: %s belongs to a run still going; left alone (--force)\n", path);
		} else {
			found++;
			printf("restore: undoing %s\n", path);
			failed += journal_undo(path, stdout);
		}
		free(path);
	}
	closedir(d);
	if (!found)
		printf("restore: nothing to restore\n");
	if (failed)
		log_msg("restore: %d change(s) could not be undone (see above)", failed);
	return failed ? EXIT_INFRA : 0;
}
