/* show_mem's dump: the Mem-Info summary, per-node and per-zone lines,
 * lowmem_reserve, buddy lines with migratetype letters, page totals. */
#include "logparse_parts.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_zone_name(const char *s, size_t n)
{
	switch (n) {
	case 3: return !strncmp(s, "DMA", 3);
	case 5: return !strncmp(s, "DMA32", 5);
	case 6: return !strncmp(s, "Normal", 6) || !strncmp(s, "Device", 6);
	case 7: return !strncmp(s, "HighMem", 7) || !strncmp(s, "Movable", 7);
	}
	return false;
}

/* Parse an optional "Node N " and a zone name; returns the rest or NULL. */
const char *lp_node_zone(const char *s, int *node, char *zone, size_t size)
{
	size_t n;

	*node = -1;
	if (!strncmp(s, "Node ", 5) && isdigit((unsigned char)s[5])) {
		char *end;

		*node = (int)strtol(s + 5, &end, 10);
		s = end;
		if (*s == ',' || *node > 4096)	/* buddyinfo style is not ours */
			return NULL;
		while (*s == ' ')
			s++;
	}
	n = strcspn(s, " :");
	if (!is_zone_name(s, n) || n >= size)
		return NULL;
	memcpy(zone, s, n);
	zone[n] = '\0';
	return s + n;
}

/* " key:123kB" anywhere in s (key preceded by a space or the start) */
static long kb_field(const char *s, const char *key)
{
	size_t kl = strlen(key);

	for (const char *f = strstr(s, key); f; f = strstr(f + 1, key)) {
		if ((f == s || f[-1] == ' ') && isdigit((unsigned char)f[kl])) {
			char *end;
			long v = lp_num(f + kl, &end);

			return v;
		}
	}
	return -1;
}

static void zone_fields(struct ev_zone *z, const char *s)
{
	long v;

#define FIELD(dst, key) if (dst < 0 && (v = kb_field(s, key)) >= 0) dst = v
	FIELD(z->free_kb, "free:");
	FIELD(z->min_kb, "min:");
	FIELD(z->low_kb, "low:");
	FIELD(z->high_kb, "high:");
	FIELD(z->boost_kb, "boost:");
	FIELD(z->present_kb, "present:");
	FIELD(z->managed_kb, "managed:");
	FIELD(z->free_cma_kb, "free_cma:");
	FIELD(z->highatomic_kb, "reserved_highatomic:");
#undef FIELD
	if (strstr(s, "all_unreclaimable? yes"))
		z->all_unreclaimable = 1;
	else if (strstr(s, "all_unreclaimable? no"))
		z->all_unreclaimable = 0;
	z->has_wmark = z->free_kb >= 0 && z->min_kb >= 0;
}

/* "Node 0 DMA32 free:1234kB boost:0kB min:...kB low:...kB high:...kB ..." */
bool lp_zone_line(struct logparse *p, const char *body)
{
	char zone[16];
	int node;
	const char *rest = lp_node_zone(body, &node, zone, sizeof(zone));
	struct ev_zone *z;

	if (!rest || strncmp(rest, " free:", 6))
		return false;
	z = event_zone(&p->cur, node, zone, true);
	if (!z)
		return true;
	zone_fields(z, rest);
	p->cur.has_dump = true;
	p->last_zone = (int)(z - p->cur.zones);
	return true;
}

/* A wrapped zone line goes on with "key:NkB ..." tokens. */
bool lp_zone_continuation(struct logparse *p, const char *body)
{
	size_t k = strspn(body, "abcdefghijklmnopqrstuvwxyz_()");

	if (p->last_zone < 0 || k == 0 || body[k] != ':' ||
	    !isdigit((unsigned char)body[k + 1]) || !strstr(body, "kB"))
		return false;
	zone_fields(&p->cur.zones[p->last_zone], body);
	return true;
}

bool lp_reserve_line(struct logparse *p, const char *body)
{
	const char *s;
	struct ev_zone *z;

	if (strncmp(body, "lowmem_reserve[]:", 17))
		return false;
	if (p->last_zone < 0)
		return true;
	z = &p->cur.zones[p->last_zone];
	s = body + 17;
	z->n_reserve = 0;
	while (*s && z->n_reserve < EV_MAX_RESERVE) {
		char *end;
		long v = lp_num(s, &end);

		if (end == s)
			break;
		z->lowmem_reserve[z->n_reserve++] = v;
		s = end;
	}
	return true;
}

/* "Node 0 DMA32: 3*4kB (UM) 0*8kB 1*16kB (M) ... = 1234kB" */
bool lp_buddy_line(struct logparse *p, const char *body)
{
	char zone[16];
	int node;
	const char *s = lp_node_zone(body, &node, zone, sizeof(zone));
	struct ev_zone *z, tmp;

	if (!s || s[0] != ':' || !strstr(s, "kB"))
		return false;
	memset(&tmp, 0, sizeof(tmp));
	s++;
	while (*s && tmp.n_orders < EV_MAX_ORDERS) {
		char *end;
		long count, size;

		while (*s == ' ')
			s++;
		if (*s == '=' || !*s)
			break;
		count = lp_num(s, &end);
		if (end == s || *end != '*' || count < 0)
			break;	/* truncated or damaged: keep what was read */
		size = lp_num(end + 1, &end);
		if (strncmp(end, "kB", 2) || size <= 0)
			break;
		if (tmp.n_orders == 0)
			tmp.page_kb = size > 1024 ? 0 : (int)size;
		s = end + 2;
		tmp.buddy[tmp.n_orders] = ev_clamp_blocks((unsigned long)count, tmp.n_orders);
		while (*s == ' ')
			s++;
		if (*s == '(') {
			lp_copy_token(tmp.migratetypes[tmp.n_orders],
				   sizeof(tmp.migratetypes[0]), s + 1, ")");
			s += strcspn(s, ")");
			if (*s)
				s++;
		}
		tmp.n_orders++;
	}
	z = event_zone(&p->cur, node, zone, true);
	if (z && tmp.n_orders) {
		z->n_orders = tmp.n_orders;
		z->page_kb = tmp.page_kb;
		memcpy(z->buddy, tmp.buddy, sizeof(tmp.buddy));
		memcpy(z->migratetypes, tmp.migratetypes, sizeof(tmp.migratetypes));
	}
	p->cur.has_dump = true;
	return true;
}

/* show_mem's summary block: "free:202655 slab_reclaimable:146247 ..." (pages) */
bool lp_summary(struct logparse *p, const char *body)
{
	size_t k = strspn(body, "abcdefghijklmnopqrstuvwxyz_");
	struct ev_summary *m = &p->cur.sum;
	long v;

	if (k == 0 || body[k] != ':' || !isdigit((unsigned char)body[k + 1]) ||
	    strstr(body, "kB"))
		return false;
#define SUM(dst, key) if ((v = kb_field(body, key)) >= 0) dst = v
	SUM(m->free, "free:");
	SUM(m->free_cma, "free_cma:");
	SUM(m->active_file, "active_file:");
	SUM(m->inactive_file, "inactive_file:");
	SUM(m->active_anon, "active_anon:");
	SUM(m->inactive_anon, "inactive_anon:");
	SUM(m->slab_reclaimable, "slab_reclaimable:");
	SUM(m->slab_unreclaimable, "slab_unreclaimable:");
#undef SUM
	p->cur.has_dump = true;
	return true;
}

/* "523470 pages RAM", "296242 pages HighMem/MovableOnly", "0 pages reserved" */
bool lp_pages_line(struct logparse *p, const char *body)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)body[0]))
		return false;
	v = lp_num(body, &end);
	if (strncmp(end, " pages ", 7))
		return false;
	end += 7;
	if (!strcmp(end, "RAM"))
		p->cur.sum.ram_pages = v;
	else if (!strncmp(end, "HighMem", 7))
		p->cur.sum.highmem_pages = v;
	else if (!strcmp(end, "reserved"))
		p->cur.sum.reserved_pages = v;
	else if (!strcmp(end, "cma reserved"))
		p->cur.sum.cma_reserved_pages = v;
	else
		return false;
	return true;
}
