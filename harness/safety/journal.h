/*
 * The run's journal: before a run changes anything that outlives it (a
 * sysctl, a cgroup, a directory of files, a loaded module, a process), it
 * appends a line saying how to undo it, and fsyncs.  A run that ends undoes
 * its journal and deletes it; after a kill -9, `allocrepro restore` finds
 * the journal and undoes it.  One file per run in the state directory
 * (ALLOCREPRO_STATE_DIR, else /var/lib/allocrepro: it survives a reboot).
 */
#ifndef ALLOCREPRO_JOURNAL_H
#define ALLOCREPRO_JOURNAL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct journal {
	char path[512];
	int fd;
};

const char *journal_state_dir(void);
/* Create this run's journal; -1 with a message on failure. */
int journal_open(struct journal *j);
/* Append "kind<TAB>a<TAB>b" durably; b may be NULL. */
int journal_add(struct journal *j, const char *kind, const char *a, const char *b);
/* Same, appending to a journal by path (from a workload's process). */
int journal_add_path(const char *path, const char *kind, const char *a, const char *b);
/* A workload's process, by pid and start time (a reused pid is not it). */
int journal_add_process(struct journal *j, pid_t pid);
/* Journal, create and mark a directory for a workload's files; only a
 * marked directory is ever removed. */
int journal_workdir(struct journal *j, const char *path, char *err, size_t errlen);
/* Remove a marked directory with everything in it; 1 if that failed. */
int workdir_remove(const char *path, FILE *out);
/* Undo the journal at path, newest entry first, saying what it did on out;
 * then delete it.  Returns the number of entries that could not be undone. */
int journal_undo(const char *path, FILE *out);
/* Undo and delete this run's own journal. */
int journal_close(struct journal *j, FILE *out);

/* sysctl by dotted name ("vm.min_free_kbytes"): journal the old value, then
 * write the new one.  -1 with err filled on failure (nothing changed). */
int journal_sysctl_set(const char *journal_path, const char *name, const char *value,
		       char *err, size_t errlen);
/* Write a sysctl without journaling (putting back a journaled value). */
int journal_sysctl_put(const char *name, const char *value);
/* Read a sysctl's value (trailing newline removed) into buf. */
int journal_sysctl_get(const char *name, char *buf, size_t size);

#endif
