/* exec steps: a shell command run for a scenario, its output captured. */
#ifndef ALLOCREPRO_SHELL_H
#define ALLOCREPRO_SHELL_H

#include <stddef.h>

/*
 * /bin/sh -c cmd with ALLOCREPRO_KMOD=kmod in its environment, OOM-killable
 * (the harness is not), stdin from /dev/null.  Output (stdout and stderr,
 * at most 1 MiB kept) in *out.  Returns the exit status, 128+N when killed
 * by signal N, -1 when it could not run.
 */
int run_shell(const char *cmd, const char *kmod, char **out, size_t *len);

#endif
