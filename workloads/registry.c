/* The list of workloads and what they share: parameters, reporting, holding. */
#include "workload.h"
#include "util/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern const struct workload_ops workload_fragment;
extern const struct workload_ops workload_pagecache;
extern const struct workload_ops workload_slab;
extern const struct workload_ops workload_numa_local;
extern const struct workload_ops workload_lowmem;
extern const struct workload_ops workload_stress_ng;

static const struct workload_ops *const all[] = {
	&workload_fragment,
	&workload_pagecache,
	&workload_slab,
	&workload_numa_local,
	&workload_lowmem,
	&workload_stress_ng,
	NULL,
};

const struct workload_ops *const *workload_all(void)
{
	return all;
}

const struct workload_ops *workload_find(const char *name)
{
	for (int i = 0; all[i]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

int wl_param_index(const struct workload_ops *w, const char *name)
{
	for (int i = 0; w->params[i].name; i++)
		if (!strcmp(w->params[i].name, name))
			return i;
	return -1;
}

const char *wl_choice(const struct wl_param *p, double v, char *buf, unsigned size)
{
	const char *c = p->choices;

	for (int i = 0; i < (int)v && c; i++) {
		c = strchr(c, '|');
		if (c)
			c++;
	}
	snprintf(buf, size, "%.*s", c ? (int)strcspn(c, "|") : 0, c ? c : "");
	return buf;
}

static int choice_index(const char *choices, const char *word)
{
	size_t n = strlen(word);
	int i = 0;

	for (const char *c = choices; c; i++) {
		if (n && !strncmp(c, word, n) && (c[n] == '|' || !c[n]))
			return i;
		c = strchr(c, '|');
		if (c)
			c++;
	}
	return -1;
}

const char *wl_param_set(const struct workload_ops *w, int i, const char *text,
			 struct wl_args *a)
{
	const struct wl_param *p = &w->params[i];
	double d;

	switch (p->type) {
	case WLP_STRING:
		if (!text || !*text)
			return "expected a non-empty string";
		a->s[i] = text;
		return NULL;
	case WLP_CHOICE:
		d = text ? choice_index(p->choices, text) : -1;
		if (d < 0)
			return "not one of the choices";
		a->v[i] = d;
		return NULL;
	case WLP_NUM:
	case WLP_INT:
		if (!parse_double(text, &d))
			return "expected a number";
		if (d < p->min || d > p->max)
			return "out of range";
		if (p->type == WLP_INT && d != (double)(long long)d)
			return "expected a whole number";
		a->v[i] = d;
		return NULL;
	}
	return "unknown parameter type";
}

void wl_args_default(const struct workload_ops *w, struct wl_args *a)
{
	for (int i = 0; w->params[i].name; i++) {
		a->v[i] = w->params[i].def;
		a->s[i] = w->params[i].type == WLP_STRING ? w->params[i].choices : NULL;
	}
}

void wl_report(struct wl_reporter *r, const char *key, double value)
{
	dprintf(r->fd, "%s %.6g\n", key, value);
}

void wl_target(struct wl_reporter *r, const char *name, double measured, const char *op,
	       double threshold)
{
	dprintf(r->fd, "target %s %.6g %s %.6g\n", name, measured, op, threshold);
}

void wl_attach(struct wl_reporter *r, const char *name, const char *path)
{
	dprintf(r->fd, "attach %s %s\n", name, path);
}

void wl_ready(struct wl_reporter *r)
{
	dprintf(r->fd, "ready\n");
}

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

bool wl_stopping(void)
{
	return stop_requested;
}

void wl_catch_stop(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

void wl_hold(int (*maintain)(void *arg), void *arg, unsigned interval_ms)
{
	while (!stop_requested) {
		struct timespec ts = { .tv_sec = (maintain ? interval_ms : 1000) / 1000,
				       .tv_nsec = (long)((maintain ? interval_ms : 1000) % 1000) *
						  1000000 };

		/* EINTR from the signal ends the sleep early: that is the point */
		if (nanosleep(&ts, NULL) < 0 && errno != EINTR)
			break;
		if (!stop_requested && maintain && maintain(arg))
			break;
	}
}
