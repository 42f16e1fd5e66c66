#include "workload.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern const struct workload_ops workload_fragment;

static const struct workload_ops *const all[] = {
	&workload_fragment,
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

void wl_report(struct wl_reporter *r, const char *key, double value)
{
	dprintf(r->fd, "%s %.6g\n", key, value);
}

void wl_ready(struct wl_reporter *r)
{
	dprintf(r->fd, "ready\n");
}

void wl_hold(void)
{
	sigset_t none;

	sigemptyset(&none);
	for (;;)
		sigsuspend(&none);
}
