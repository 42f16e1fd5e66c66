/* Every step kind a scenario may use (one file each, beside this one). */
#ifndef ALLOCREPRO_STEPS_H
#define ALLOCREPRO_STEPS_H

#include "scenario/step.h"

extern const struct step_kind step_workload, step_probe, step_pin, step_release, step_exec,
	step_sleep, step_sysrq, step_actions, step_snapshot, step_fork;

/* All of them, in the order errors list them; what scenario_load takes. */
extern step_table step_kinds;

#endif
