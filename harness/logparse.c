#include "logparse.h"
#include "logline.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void logparse_init(struct logparse *p)
{
	memset(p, 0, sizeof(*p));
}

static void copy_token(char *dst, size_t size, const char *src, const char *stop)
{
	size_t n = 0;

	while (src[n] && !strchr(stop, src[n]) && n + 1 < size) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

static void emit(struct logparse *p, struct event_list *out)
{
	if (!p->open)
		return;
	if (!p->cur.kernel[0])
		snprintf(p->cur.kernel, sizeof(p->cur.kernel), "%s", p->kernel);
	event_list_push(out, &p->cur);
	p->open = false;
}

static void start(struct logparse *p, enum ev_type type, double ts)
{
	memset(&p->cur, 0, sizeof(p->cur));
	p->cur.type = type;
	p->cur.pid = -1;
	p->cur.order = -1;
	p->cur.time = ts;
	p->last_zone = -1;
	p->open = true;
}

/* "mode:0xa20(GFP_ATOMIC)" or "gfp_mask=0x2084d0" -> mask and names */
static void parse_gfp(struct event *e, const char *s)
{
	const char *paren;

	copy_token(e->gfp_mask, sizeof(e->gfp_mask), s, "(, ");
	paren = s + strlen(e->gfp_mask);
	if (*paren == '(')
		copy_token(e->gfp_flags, sizeof(e->gfp_flags), paren + 1, ")");
}

static void parse_list_field(char *dst, size_t size, const char *body, const char *key)
{
	const char *s = strstr(body, key);

	if (s)
		copy_token(dst, size, s + strlen(key), ", ");
}

static bool parse_alloc_header(struct logparse *p, const char *body, double ts)
{
	const char *m = strstr(body, "page allocation failure");
	const char *s;

	if (!m || m == body)
		return false;
	/* "comm: page allocation failure" (". order" on 2.6.32) */
	start(p, EV_ALLOC_FAILURE, ts);
	copy_token(p->cur.comm, sizeof(p->cur.comm), body, ":");
	s = strstr(m, "order:");
	if (s)
		p->cur.order = atoi(s + 6);
	s = strstr(m, "mode:");
	if (s)
		parse_gfp(&p->cur, s + 5);
	parse_list_field(p->cur.nodemask, sizeof(p->cur.nodemask), m, "nodemask=");
	parse_list_field(p->cur.cpuset, sizeof(p->cur.cpuset), m, "cpuset=");
	parse_list_field(p->cur.mems_allowed, sizeof(p->cur.mems_allowed), m,
			 "mems_allowed=");
	return true;
}

/* "CPU: 1 PID: 0 Comm: swapper/1 Tainted: G  O  6.1.0-56-amd64 #1 Debian ..." */
static void parse_banner(struct logparse *p, const char *body)
{
	const char *s = strstr(body, "PID: ");
	const char *t = strstr(body, "ainted");	/* "Not tainted" / "Tainted:" */
	const char *c = strstr(body, "Comm: ");
	const char *hash;
	char rel[96];

	if (p->open && s && p->cur.pid < 0)
		p->cur.pid = atol(s + 5);
	if (p->open && c && !p->cur.comm[0])
		copy_token(p->cur.comm, sizeof(p->cur.comm), c + 6, " ");
	if (!t)
		return;
	/* The release is the token just before " #". */
	hash = strstr(t, " #");
	if (!hash)
		return;
	const char *b = hash;

	while (b > t && b[-1] != ' ')
		b--;
	if (b == hash)
		return;
	snprintf(rel, sizeof(rel), "%.*s", (int)(hash - b), b);
	snprintf(p->kernel, sizeof(p->kernel), "%s", rel);
	if (p->open)
		snprintf(p->cur.kernel, sizeof(p->cur.kernel), "%s", rel);
}

static bool is_zone_name(const char *s, size_t n)
{
	static const char *const names[] = {
		"DMA", "DMA32", "Normal", "HighMem", "Movable", "Device",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && !strncmp(s, names[i], n))
			return true;
	return false;
}

/* Parse an optional "Node N " and a zone name; returns the rest or NULL. */
static const char *parse_node_zone(const char *s, int *node, char *zone, size_t size)
{
	size_t n;

	*node = -1;
	if (!strncmp(s, "Node ", 5) && isdigit((unsigned char)s[5])) {
		char *end;

		*node = (int)strtol(s + 5, &end, 10);
		s = end;
		if (*s == ',')	/* buddyinfo style "Node 0, zone" is not ours */
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

static struct ev_zone *find_zone(struct event *e, int node, const char *zone, bool add)
{
	for (int i = 0; i < e->nzones; i++)
		if (e->zones[i].node == node && !strcmp(e->zones[i].zone, zone))
			return &e->zones[i];
	if (!add || e->nzones == EV_MAX_ZONES)
		return NULL;
	struct ev_zone *z = &e->zones[e->nzones++];

	memset(z, 0, sizeof(*z));
	z->node = node;
	snprintf(z->zone, sizeof(z->zone), "%s", zone);
	return z;
}

static long kb_field(const char *s, const char *key)
{
	const char *f = strstr(s, key);

	return f ? atol(f + strlen(key)) : -1;
}

/* "Node 0 DMA32 free:1234kB boost:0kB min:...kB low:...kB high:...kB ..." */
static bool parse_zone_line(struct logparse *p, const char *body)
{
	char zone[16];
	int node;
	const char *rest = parse_node_zone(body, &node, zone, sizeof(zone));
	struct ev_zone *z;

	if (!rest || strncmp(rest, " free:", 6))
		return false;
	z = find_zone(&p->cur, node, zone, true);
	if (!z)
		return true;
	z->has_wmark = true;
	z->free_kb = kb_field(rest, " free:");
	z->min_kb = kb_field(rest, " min:");
	z->low_kb = kb_field(rest, " low:");
	z->high_kb = kb_field(rest, " high:");
	p->last_zone = (int)(z - p->cur.zones);
	return true;
}

static bool parse_reserve_line(struct logparse *p, const char *body)
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
		long v = strtol(s, &end, 10);

		if (end == s)
			break;
		z->lowmem_reserve[z->n_reserve++] = v;
		s = end;
	}
	return true;
}

/* "Node 0 DMA32: 3*4kB (UM) 0*8kB 1*16kB (M) ... = 1234kB" */
static bool parse_buddy_line(struct logparse *p, const char *body)
{
	char zone[16];
	int node;
	const char *s = parse_node_zone(body, &node, zone, sizeof(zone));
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
		count = strtol(s, &end, 10);
		if (end == s || *end != '*')
			return false;
		size = strtol(end + 1, &end, 10);
		if (strncmp(end, "kB", 2) || size <= 0)
			return false;
		s = end + 2;
		tmp.buddy[tmp.n_orders] = count;
		while (*s == ' ')
			s++;
		if (*s == '(') {
			copy_token(tmp.migratetypes[tmp.n_orders],
				   sizeof(tmp.migratetypes[0]), s + 1, ")");
			s += strcspn(s, ")");
			if (*s)
				s++;
		}
		tmp.n_orders++;
	}
	z = find_zone(&p->cur, node, zone, true);
	if (z) {
		z->n_orders = tmp.n_orders;
		memcpy(z->buddy, tmp.buddy, sizeof(tmp.buddy));
		memcpy(z->migratetypes, tmp.migratetypes, sizeof(tmp.migratetypes));
	}
	return true;
}

void logparse_line(struct logparse *p, const char *line, struct event_list *out)
{
	double ts;
	const char *body = logline_body(line, &ts);

	if (strstr(body, "page allocation failure")) {
		emit(p, out);
		if (parse_alloc_header(p, body, ts))
			return;
	}
	if (strstr(body, "CPU: ") && strstr(body, "PID: ")) {
		parse_banner(p, body);
		return;
	}
	if (!p->open)
		return;
	if (!strcmp(body, "<IRQ>")) {
		p->cur.in_irq = true;
		return;
	}
	if (parse_zone_line(p, body) || parse_reserve_line(p, body) ||
	    parse_buddy_line(p, body))
		return;
	/* show_mem ends with the hwpoisoned count (CONFIG_MEMORY_FAILURE). */
	if (strstr(body, "pages hwpoisoned"))
		emit(p, out);
}

void logparse_flush(struct logparse *p, struct event_list *out)
{
	emit(p, out);
}

void logparse_text(const char *text, size_t len, struct event_list *out)
{
	struct logparse p;
	const char *s = text, *end = text + len;
	char *line = NULL;
	size_t cap = 0;

	logparse_init(&p);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (n + 1 > cap) {
			cap = n + 1;
			line = realloc(line, cap);
			if (!line)
				abort();
		}
		memcpy(line, s, n);
		line[n] = '\0';
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		logparse_line(&p, line, out);
		s += n + 1;
	}
	logparse_flush(&p, out);
	free(line);
}
