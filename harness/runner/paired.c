/*
 * A lab guest of the paired design (run --fork PORT).  The steps before the
 * fork build the prepared state under no arm (their phases say
 * "(prepared)"); at the fork the guest says so on its console and waits on
 * PORT, the third serial port.  The host saves it there and restores a copy
 * for each arm, each told on PORT which arm it continues as ("ARM=<name>").
 * A copy names the earlier phases after its arm (its results then read as
 * one repetition of that arm), applies the arm's own sysctls and runs the
 * rest.
 */
#include "run.h"
#include "safety/guard.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define PREPARED "(prepared)"	/* lab/lab.h: LAB_PREPARED */
#define READY_LINE "allocrepro-guest: prepared\n"

static const struct sc_arm prepared_arm = { .name = PREPARED };

/* One line from the port, without its newline; -1 (said) when none. */
static int read_line(const char *port, char *line, size_t len)
{
	int fd = open(port, O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios t;
	size_t n = 0;

	if (fd < 0) {
		log_msg("--fork %s: %s", port, strerror(errno));
		return -1;
	}
	/* a line at a time, and nothing echoed back to the host */
	if (tcgetattr(fd, &t) == 0) {
		t.c_lflag = (t.c_lflag | ICANON) & ~(tcflag_t)(ECHO | ECHONL);
		tcsetattr(fd, TCSANOW, &t);
	}
	/* the host saves the guest once it reads this on the console */
	if (write(STDERR_FILENO, READY_LINE, strlen(READY_LINE)) < 0)
		log_msg("--fork: cannot say so on the console: %s", strerror(errno));
	while (n + 1 < len) {
		ssize_t r = read(fd, line + n, 1);

		if (r < 0 && errno == EINTR && !guard_interrupted())
			continue;
		if (r <= 0 || line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	close(fd);
	return n ? 0 : -1;
}

/* The arm this copy continues as, from "ARM=<name>"; NULL (said). */
static const struct sc_arm *fork_arm(const struct run_state *s)
{
	char line[128];
	const struct sc_arm *arm = NULL;

	if (read_line(s->o->fork, line, sizeof(line)))
		log_msg("--fork %s: no arm was named", s->o->fork);
	else if (strncmp(line, "ARM=", 4) || !(arm = scenario_arm(s->sc, line + 4)))
		log_msg("--fork %s: '%s' does not name an arm of %s", s->o->fork, line,
			s->sc->path);
	return arm;
}

/* The phases so far, as the arm's: in memory and in phases.jsonl. */
static void name_prepared(struct run_state *s, const char *arm)
{
	size_t n = json_object_array_length(s->phases), len = 0;
	char *text = xstrdup("");

	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(s->phases, i);
		const char *line;
		size_t l;

		if (!strcmp(json_object_get_string(json_object_object_get(p, "arm")), PREPARED))
			json_object_object_add(p, "arm", json_object_new_string(arm));
		line = json_object_to_json_string_length(p, JSON_C_TO_STRING_PLAIN |
							 JSON_C_TO_STRING_NOSLASHESCAPE, &l);
		text = xrealloc(text, len + l + 2);
		memcpy(text + len, line, l);
		len += l;
		text[len++] = '\n';
	}
	results_replace(&s->res, "phases.jsonl", text, len);
	free(text);
}

/* Wait at the fork for the arm; the fork is a phase of the copy. */
static const struct sc_arm *fork_here(struct run_state *s, int rep)
{
	json_object *p = run_phase_new(s, rep, s->sc->fork_step, "fork"), *o;
	const struct sc_arm *arm = fork_arm(s);

	if (!arm) {
		json_object_object_add(p, "error", json_object_new_string("no arm named"));
		run_phase_done(s, p, "error");
		s->infra_error = 1;
		return NULL;
	}
	run_phase_done(s, p, "continued");
	s->arm = arm;
	s->only_arm = arm->name;
	name_prepared(s, arm->name);
	o = json_object_new_object();
	json_object_object_add(o, "repetition", json_object_new_int(rep));
	json_object_object_add(o, "arm", json_object_new_string(arm->name));
	json_object_array_add(s->order, o);
	return arm;
}

void run_forked(struct run_state *s, int rep)
{
	struct arm_applied common, own;
	const struct sc_arm *arm;

	s->arm = &prepared_arm;	/* the scenario's sysctls, no arm's */
	if (!run_apply_arm(s, rep, s->arm, false, &common))
		return;
	run_steps(s, rep, 0, s->sc->fork_step);
	if (!s->infra_error && !guard_interrupted() && (arm = fork_here(s, rep)) &&
	    run_apply_arm(s, rep, arm, true, &own)) {
		run_steps(s, rep, s->sc->fork_step, s->sc->nsteps);
		run_rep_end(s, rep);
		arm_revert(&own);
	} else {
		/* every way here marked an error (or the interrupt): this
		 * stops the workloads and marks no end */
		run_rep_end(s, rep);
	}
	arm_revert(&common);
}
