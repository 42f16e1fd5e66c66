/*
 * What a statistical lab run is doing, for the person watching: on a
 * terminal one updating line (scenario, round of rounds, arm, current
 * step, elapsed, an estimate of what is left, decisions so far); else a
 * plain line per boot and per decision (CI logs, cron).
 */
#ifndef ALLOCREPRO_LAB_PROGRESS_H
#define ALLOCREPRO_LAB_PROGRESS_H

void progress_begin(const char *scenario, unsigned max_rounds);
/* A boot starts: its round (0-based) and arm, and at most how many boots
 * may follow it (all undecided arms to the last round). */
void progress_boot(unsigned round, const char *arm, unsigned boots_left_max);
/* The guest ended a step of this kind (from its phases). */
void progress_step(const char *kind);
/* An arm decided (PASS, FAIL, ...) at the look after round (0-based). */
void progress_decided(const char *arm, const char *status, unsigned round);
void progress_end(void);

#endif
