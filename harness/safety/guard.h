/* What the harness does for itself before touching the machine: shield
 * itself from the OOM killer, turn SIGTERM/SIGINT/SIGHUP into a clean stop. */
#ifndef ALLOCREPRO_GUARD_H
#define ALLOCREPRO_GUARD_H

#include <signal.h>
#include <stdbool.h>

void protect_from_oom(void);
void catch_signals(void);
/* The signal that asked us to stop, 0 if none. */
int guard_interrupted(void);
/* Is this machine marked as a lab (ALLOCREPRO_LAB=1 or /etc/allocrepro/lab)?
 * Only a lab machine takes settings and destructive steps unasked. */
bool machine_is_lab(void);

#endif
