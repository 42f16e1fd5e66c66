/* The table of step kinds.  A new kind is a file beside this one and a
 * line here. */
#include "steps.h"

step_table step_kinds = {
	&step_workload, &step_probe, &step_pin, &step_release, &step_exec,
	&step_sleep, &step_sysrq, &step_actions, &step_snapshot, &step_fork, NULL,
};
