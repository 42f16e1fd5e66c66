#include "progress.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static struct {
	char scenario[64], arm[32], step[32], decided[256];
	unsigned round, max_rounds, boots, left;
	uint64_t t0, boot_t0, boots_ns;
	uint64_t last_draw;
} pg;

static void fmt_time(char *buf, size_t len, double s)
{
	long t = s > 0 ? (long)(s + 0.5) : 0;

	if (t < 60)
		snprintf(buf, len, "%lds", t);
	else
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
}

/* What is left: the boots that may still come at the mean boot so far. */
static double eta_s(void)
{
	double mean = pg.boots > 1 ? (double)pg.boots_ns / (pg.boots - 1) / 1e9 : 0;

	return mean * (pg.left + 1) - (double)(now_ns() - pg.boot_t0) / 1e9;
}

/* Elapsed and what is left, as text ("?" until a boot has ended). */
static void times(char *el, char *eta, size_t len)
{
	double left = pg.boots > 1 ? eta_s() : 0;

	fmt_time(el, len, (double)(now_ns() - pg.t0) / 1e9);
	if (pg.boots > 1)
		fmt_time(eta, len, left);
	else
		snprintf(eta, len, "?");
}

static void draw(bool force)
{
	char line[512], el[32], eta[32];
	uint64_t now = now_ns();

	if (!force && now - pg.last_draw < 500000000ull)
		return;
	pg.last_draw = now;
	times(el, eta, sizeof(el));
	snprintf(line, sizeof(line), "%s: round %u/%u, %s, %s | %s elapsed, at most ~%s left%s%s",
		 pg.scenario, pg.round + 1, pg.max_rounds, pg.arm, pg.step[0] ? pg.step : "booting",
		 el, eta, pg.decided[0] ? " | " : "", pg.decided);
	log_status(line);
}

void progress_begin(const char *scenario, unsigned max_rounds)
{
	memset(&pg, 0, sizeof(pg));
	snprintf(pg.scenario, sizeof(pg.scenario), "%s", scenario);
	pg.max_rounds = max_rounds;
	pg.t0 = now_ns();
}

void progress_boot(unsigned round, const char *arm, unsigned boots_left_max)
{
	uint64_t now = now_ns();

	if (pg.boots)
		pg.boots_ns += now - pg.boot_t0;
	pg.boot_t0 = now;
	pg.boots++;
	pg.round = round;
	pg.left = boots_left_max;
	snprintf(pg.arm, sizeof(pg.arm), "%s", arm);
	pg.step[0] = '\0';
	if (!log_status(NULL)) {
		char el[32], eta[32];

		times(el, eta, sizeof(el));
		log_msg("%s: round %u/%u, %s (boot %u; %s elapsed, at most ~%s left)", pg.scenario,
			round + 1, pg.max_rounds, arm, pg.boots, el, eta);
		return;
	}
	draw(true);
}

void progress_step(const char *kind)
{
	if (!pg.scenario[0])
		return;	/* not a statistical run */
	snprintf(pg.step, sizeof(pg.step), "%s", kind);
	draw(false);
}

void progress_decided(const char *arm, const char *status, unsigned round)
{
	size_t n = strlen(pg.decided);

	snprintf(pg.decided + n, sizeof(pg.decided) - n, "%s%s %s", n ? ", " : "", arm, status);
	log_msg("%s: %s is %s after round %u", pg.scenario, arm, status, round + 1);
}

void progress_end(void)
{
	if (log_status(NULL))
		fputs("\r\033[K", stderr);
	pg.scenario[0] = '\0';
}
