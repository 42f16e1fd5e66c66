#include "arms.h"
#include "safety/journal.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

bool scenario_changes_settings(const struct scenario *sc)
{
	if (sc->nsysctls)
		return true;
	for (int a = 0; a < sc->narms; a++)
		if (sc->arms[a].nsysctls || sc->arms[a].nactions)
			return true;
	return scenario_step_needs(sc) & STEP_CHANGES_SETTINGS;
}

bool arm_needs_boot(const struct sc_arm *a)
{
	return a->boot[0] || a->kernel[0] || a->topology[0] || a->memory_mb;
}

/* The arm's value of a sysctl wins over the scenario's. */
static const struct sc_sysctl *each_sysctl(const struct scenario *sc, const struct sc_arm *a, int i)
{
	if (i < sc->nsysctls) {
		for (int k = 0; k < a->nsysctls; k++)
			if (!strcmp(a->sysctls[k].name, sc->sysctls[i].name))
				return NULL;
		return &sc->sysctls[i];
	}
	i -= sc->nsysctls;
	return i < a->nsysctls ? &a->sysctls[i] : NULL;
}

int arm_check(const struct scenario *sc, const struct sc_arm *a, char *err, size_t errlen)
{
	char cur[256];

	for (int i = 0; i < sc->nsysctls + a->nsysctls; i++) {
		const struct sc_sysctl *s = each_sysctl(sc, a, i);

		if (s && journal_sysctl_get(s->name, cur, sizeof(cur))) {
			snprintf(err, errlen, "%s:%d: sysctl %s: this kernel has none (%s)", sc->path,
				 s->line, s->name, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* The sysctls from index first of each_sysctl's list on. */
static int apply_from(const struct scenario *sc, const struct sc_arm *a, int first,
		      const char *journal_path, struct arm_applied *ap, char *err, size_t errlen)
{
	ap->n = 0;
	for (int i = first; i < sc->nsysctls + a->nsysctls; i++) {
		const struct sc_sysctl *s = each_sysctl(sc, a, i);
		int k;

		if (!s)
			continue;
		k = ap->n;
		snprintf(ap->s[k].name, sizeof(ap->s[k].name), "%s", s->name);
		if (journal_sysctl_get(s->name, ap->s[k].old, sizeof(ap->s[k].old)) ||
		    journal_sysctl_set(journal_path, s->name, s->value, err, errlen)) {
			if (!err[0])
				snprintf(err, errlen, "sysctl %s: %s", s->name, strerror(errno));
			arm_revert(ap);
			return -1;
		}
		ap->n++;
	}
	return 0;
}

int arm_apply(const struct scenario *sc, const struct sc_arm *a, const char *journal_path,
	      struct arm_applied *ap, char *err, size_t errlen)
{
	return apply_from(sc, a, 0, journal_path, ap, err, errlen);
}

int arm_apply_own(const struct scenario *sc, const struct sc_arm *a, const char *journal_path,
		  struct arm_applied *ap, char *err, size_t errlen)
{
	return apply_from(sc, a, sc->nsysctls, journal_path, ap, err, errlen);
}

void arm_revert(struct arm_applied *ap)
{
	while (ap->n > 0) {
		ap->n--;
		if (journal_sysctl_put(ap->s[ap->n].name, ap->s[ap->n].old))
			log_msg("sysctl %s: cannot put back %s (allocrepro restore will retry)",
				ap->s[ap->n].name, ap->s[ap->n].old);
	}
}

static int write_proc(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = -1;

	if (fd >= 0) {
		r = write_all(fd, v, strlen(v));
		close(fd);
	}
	return r;
}

json_object *arm_actions(const struct sc_arm *a)
{
	json_object *done = json_object_new_array();

	for (int i = 0; i < a->nactions; i++) {
		json_object *o = json_object_new_object();
		bool drop = a->actions[i] == ACT_DROP_CACHES;
		uint64_t t0 = now_ns();
		int r;

		if (drop)
			sync();	/* dirty pages cannot be dropped */
		r = write_proc(drop ? "/proc/sys/vm/drop_caches" : "/proc/sys/vm/compact_memory",
			       drop ? "3" : "1");
		json_object_object_add(o, "action", json_object_new_string(drop ? "drop_caches" :
									   "compact_memory"));
		json_object_object_add(o, "ok", json_object_new_boolean(r == 0));
		if (r)
			json_object_object_add(o, "error", json_object_new_string(strerror(errno)));
		json_object_object_add(o, "seconds", json_object_new_double((double)(now_ns() - t0) / 1e9));
		json_object_array_add(done, o);
	}
	return done;
}

void arms_plan(FILE *out, const struct scenario *sc, const char *only_arm)
{
	char cur[256];

	unsigned first, looks = sc_plan_looks(sc, sc->repetitions, sc->sequential, &first);

	fprintf(out, "scenario %s: %s%u repetition(s) per arm, seed %llu\n", sc->name,
		sc->sequential ? "at most " : "", sc->repetitions, (unsigned long long)sc->seed);
	if (sc->narms > 1) {
		fprintf(out, "  judged after round");
		for (unsigned r = 1, n = 0; r <= sc->repetitions && n < 12; r++)
			if (sc_plan_is_look(sc, sc->repetitions, first, r))
				fprintf(out, "%s %u", n++ ? "," : "", r);
		fprintf(out, " (level %.3g each, alpha %.3g over %u look(s)), min_effect %.2f; "
			"in the lab %s\n", sc->alpha / looks, sc->alpha, looks, sc->min_effect,
			sc->paired ? "each round prepares one guest up to the fork and every arm "
				     "continues a copy of it (paired; on this machine each arm "
				     "builds its own state)" :
				     "a fresh guest per repetition, arms in a seeded order");
	}
	for (int a = 0; a < sc->narms; a++) {
		const struct sc_arm *arm = &sc->arms[a];

		if (only_arm && strcmp(only_arm, arm->name))
			continue;
		fprintf(out, "arm %s:\n", arm->name);
		for (int i = 0; i < sc->nsysctls + arm->nsysctls; i++) {
			const struct sc_sysctl *s = each_sysctl(sc, arm, i);

			if (!s)
				continue;
			if (journal_sysctl_get(s->name, cur, sizeof(cur)))
				snprintf(cur, sizeof(cur), "(absent on this kernel)");
			fprintf(out, "  would set %s = %s (now %s), journaled, put back after\n",
				s->name, s->value, cur);
		}
		for (int i = 0; i < arm->nactions; i++)
			fprintf(out, "  would write /proc/sys/vm/%s at the 'actions' step\n",
				arm->actions[i] == ACT_DROP_CACHES ? "drop_caches (3)" :
				"compact_memory (1)");
		if (arm_needs_boot(arm))
			fprintf(out, "  lab boot:%s%s%s%s%s%s (a fresh guest)\n",
				arm->kernel[0] ? " kernel " : "", arm->kernel,
				arm->topology[0] ? " topology " : "", arm->topology,
				arm->boot[0] ? " append " : "", arm->boot);
	}
	for (int i = 0; i < sc->nsteps; i++)
		if (sc->steps[i].kind->plan)
			sc->steps[i].kind->plan(out, sc, &sc->steps[i], i);
}
