/* The helper module as a probe on this machine: load it and write commands
 * to its debugfs file (the protocol itself is parse/kmod_proto.h). */
#ifndef ALLOCREPRO_PROBE_KMOD_H
#define ALLOCREPRO_PROBE_KMOD_H

#include <stddef.h>

#include "parse/kmod_proto.h"

/* Where the module is: ALLOCREPRO_KMOD, allocrepro_helper.ko beside the
 * program, else the running kernel's updates/dkms/ (DKMS), extra/ or
 * updates/; when none exists, the DKMS path; heap string. */
char *kmod_default_path(void);
/* Load the module from path unless it is already loaded; 0 or -errno. */
int kmod_load(const char *path, char *err, size_t errlen);
/* Write one command; fill stats after it.  0 or -errno (EINVAL: refused). */
int kmod_command(const char *cmd, struct kmod_stats *st);

#endif
