#include "logline.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Mail quoting: "> ", ">> ", "> > " */
static const char *skip_quotes(const char *s)
{
	const char *t = s;

	while (*t == '>' || *t == ' ')
		t++;
	return t > s && memchr(s, '>', (size_t)(t - s)) ? t : s;
}

/* /dev/kmsg record: "PRI,SEQ,TS_USEC,FLAGS[,...];TEXT" */
static const char *skip_kmsg(const char *s, double *ts)
{
	const char *p = s, *semi;
	unsigned long long usec;
	char *end;
	int field;

	if (!isdigit((unsigned char)*p))
		return s;
	for (field = 0; field < 3; field++) {
		if (!isdigit((unsigned char)*p))
			return s;
		usec = strtoull(p, &end, 10);
		if (*end != ',')
			return s;
		p = end + 1;
	}
	if (*p != '-' && *p != 'c' && *p != '+')
		return s;
	semi = strchr(p, ';');
	if (!semi || semi - p > 64)
		return s;
	*ts = (double)usec / 1e6;
	return semi + 1;
}

/* "host kernel: " within the first 80 bytes, behind a timestamp prefix */
static const char *skip_to_kernel_tag(const char *s, const char *limit_from)
{
	/* the tag sits within the first 96 bytes; do not scan whole lines */
	size_t n = strnlen(s, 96);
	const char *k = NULL;

	for (const char *c = s; c + 8 <= s + n; c++)
		if (c[0] == 'k' && !memcmp(c, "kernel: ", 8)) {
			k = c;
			break;
		}

	if (!k || k - limit_from > 80)
		return s;
	/* everything before it must be a timestamp/host prefix: no ": " */
	for (const char *c = s; c < k; c++)
		if (c[0] == ':' && c[1] == ' ')
			return s;
	k += 8;
	/* syslog of RHEL-era kernels: "kernel: : [123.456] ..." */
	if (k[0] == ':' && k[1] == ' ')
		k += 2;
	return k;
}

/* syslog "Mar  1 14:52:30 host kernel: ", ISO "2024-03-01T14:52:30+00:00 host
 * kernel: ", or a bare "kernel: " */
static const char *skip_syslog(const char *s)
{
	if (!strncmp(s, "kernel: ", 8))
		return skip_to_kernel_tag(s, s);
	if (isupper((unsigned char)s[0]) && islower((unsigned char)s[1]) &&
	    islower((unsigned char)s[2]) && s[3] == ' ') {
		/* "Mon dd hh:mm:ss host tag: ": walk the tokens (hot path) */
		const char *t = s + 4 + (s[4] == ' ');

		while (*t >= '0' && *t <= '9')
			t++;
		if (*t == ' ' && t[1] >= '0' && t[1] <= '9' && t[2] && t[3] == ':') {
			t += 1 + strcspn(t + 1, " ");	/* the time */
			if (*t == ' ')
				t++;
			if (*t != ' ')
				t += strcspn(t, " ");	/* the host (may be empty) */
			if (*t == ' ')
				t++;
			if (!strncmp(t, "kernel: ", 8))
				return skip_to_kernel_tag(t, t);
			if (t - s < 80 && strncmp(t, "kernel", 6))
				return s + strlen(s);	/* another program's line */
		}
		return skip_to_kernel_tag(s, s);
	}
	if (isdigit((unsigned char)s[0]) && strnlen(s, 11) == 11 && s[4] == '-' &&
	    s[7] == '-' && (s[10] == 'T' || s[10] == ' '))
		return skip_to_kernel_tag(s, s);
	return s;
}

static const char *skip_level(const char *s)
{
	if (s[0] == '<' && isdigit((unsigned char)s[1])) {
		const char *e = s + 1;

		while (isdigit((unsigned char)*e))
			e++;
		if (*e == '>')
			return e + 1;
	}
	return s;
}

/* "[  12.345678]" (dmesg, console) or "[Mon Mar  1 14:52:30 2021]" (dmesg -T) */
static const char *skip_timestamp(const char *s, double *ts)
{
	if (*s != '[')
		return s;
	if (isalpha((unsigned char)s[1]) && !isdigit((unsigned char)s[2])) {
		const char *e = strchr(s, ']');

		if (e && e - s < 40)
			return skip_spaces(e + 1);
		return s;
	}
	/* "[ 12.345678]": digits, a dot, digits (hand-parsed: hot path).  A
	 * fraction is required; "[ 301]" is a task table row. */
	const char *p = s + 1 + strspn(s + 1, " ");
	unsigned long long ip = 0, fp = 0, scale = 1;
	const char *d = p;

	while (*d >= '0' && *d <= '9' && d - p < 18)
		ip = ip * 10 + (unsigned long long)(*d++ - '0');
	if (d == p || *d != '.')
		return s;
	d++;
	while (*d >= '0' && *d <= '9' && scale < 1000000000000ULL) {
		fp = fp * 10 + (unsigned long long)(*d++ - '0');
		scale *= 10;
	}
	if (*d != ']')
		return s;
	*ts = (double)ip + (double)fp / (double)scale;
	return skip_spaces(d + 1);
}

/* printk caller "[T123]" / "[C1]", Android "(1)[2164:comm]" / ".(1)[...]" */
static const char *skip_caller(const char *s)
{
	if (s[0] == '[' && (s[1] == 'T' || s[1] == 'C') && isdigit((unsigned char)s[2])) {
		const char *e = s + 2;

		while (isdigit((unsigned char)*e))
			e++;
		if (*e == ']')
			s = skip_spaces(e + 1);
	}
	const char *p = s;

	if ((*p == '.' || *p == '-' || *p == '+') && p[1] == '(')
		p++;
	if (*p == '(' && isdigit((unsigned char)p[1])) {
		const char *e = p + 1;

		while (isdigit((unsigned char)*e))
			e++;
		if (e[0] == ')' && e[1] == '[' && isdigit((unsigned char)e[2])) {
			const char *c = strchr(e + 2, ']');

			if (c && c - e < 48 && memchr(e, ':', (size_t)(c - e)))
				return c + 1;
		}
	}
	return s;
}

const char *logline_body(const char *line, double *ts)
{
	const char *s = skip_quotes(line);

	*ts = -1;
	s = skip_kmsg(s, ts);
	s = skip_syslog(s);
	s = skip_level(s);
	s = skip_spaces(s);
	s = skip_timestamp(s, ts);
	/* journalctl -o short-monotonic: "[ 12.3] host kernel: " */
	if (*ts >= 0 && !strncmp(s, "kernel: ", 8))
		s += 8;
	else if (*ts >= 0 && isalnum((unsigned char)*s)) {
		const char *sp = strchr(s, ' ');

		if (sp && sp - s < 64 && !strncmp(sp + 1, "kernel: ", 8))
			s = sp + 9;
	}
	s = skip_caller(s);
	return s;
}
