/* The terse human report of `allocrepro explain`. */
#include "explain_text.h"

#include <string.h>

static void zone_line(FILE *f, const struct dg_zone *g, bool first)
{
	char lbl[32];

	if (g->node >= 0)
		snprintf(lbl, sizeof(lbl), "Node %d %s", g->node, g->zone);
	else
		snprintf(lbl, sizeof(lbl), "%s", g->zone);
	fprintf(f, "    %c %-16s %-22s %s\n", first ? '*' : ' ', lbl,
		zone_verdict_name(g->verdict), g->evidence);
}

void explain_print(FILE *f, const struct event *e, const struct diagnosis *d,
		   const struct diagnosis *prev)
{
	fprintf(f, "[%zu] %s", d->event, ev_type_name(e->type));
	if (e->comm[0])
		fprintf(f, " %s", e->comm);
	if (e->pid >= 0)
		fprintf(f, " pid %ld", e->pid);
	if (e->order >= 0)
		fprintf(f, " order %d", e->order);
	if (e->gfp_mask[0])
		fprintf(f, " mode %s(%s)", e->gfp_mask,
			d->gfp_decoded[0] ? d->gfp_decoded : e->gfp_flags);
	if (e->time >= 0)
		fprintf(f, " at %.6f", e->time);
	fprintf(f, "; kernel %s", e->kernel[0] ? e->kernel : "?");
	if (strcmp(d->kver_source, "log banner"))
		fprintf(f, " (model %d.%d, %s)", d->kv.major, d->kv.minor, d->kver_source);
	if (e->context[0])
		fprintf(f, "; in %s context", e->context);
	else if (e->in_irq)
		fputs("; in interrupt", f);
	if (e->caller[0])
		fprintf(f, ", from %s", e->caller);
	if (e->cpu >= 0)
		fprintf(f, " on CPU %d", e->cpu);
	fputc('\n', f);
	if (e->has_victim)
		fprintf(f, "    killed %ld (%s) anon-rss %ld kB\n", e->victim.pid, e->victim.comm,
			e->victim.anon_rss_kb);
	/* repeated failures with the same diagnosis: say so, once */
	if (prev && diagnosis_same(prev, d)) {
		fprintf(f, "    %s, as [%zu]\n", cause_name(d->cause), prev->event);
		return;
	}
	fprintf(f, "    cause: %s. %s\n", cause_name(d->cause), d->evidence);
	for (int i = 0; i < d->nzones; i++)
		zone_line(f, &d->zones[i], i == d->first_zone);
	for (int i = 0; i < d->nmit; i++)
		fprintf(f, "    try: %s -- %s\n", d->mit[i].action, d->mit[i].reason);
}
