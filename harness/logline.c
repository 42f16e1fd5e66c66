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

/* syslog: "Mar  1 14:52:30 host kernel: " */
static const char *skip_syslog(const char *s)
{
	const char *k;

	if (!(isupper((unsigned char)s[0]) && islower((unsigned char)s[1]) &&
	      islower((unsigned char)s[2]) && s[3] == ' '))
		return s;
	k = strstr(s, " kernel: ");
	if (!k || k - s > 64 || !strchr(s, ':') || strchr(s, ':') > k)
		return s;
	return k + 9;
}

const char *logline_body(const char *line, double *ts)
{
	const char *s = skip_syslog(line);

	*ts = -1;
	if (s[0] == '<' && isdigit((unsigned char)s[1])) {
		const char *e = s + 1;

		while (isdigit((unsigned char)*e))
			e++;
		if (*e == '>')
			s = e + 1;
	}
	s = skip_spaces(s);
	if (*s == '[') {
		char *end;
		double v = strtod(s + 1, &end);

		if (end != s + 1 && *end == ']') {
			*ts = v;
			s = skip_spaces(end + 1);
		}
	}
	/* printk caller id: [T123] or [C1] */
	if (s[0] == '[' && (s[1] == 'T' || s[1] == 'C') && isdigit((unsigned char)s[2])) {
		const char *e = s + 2;

		while (isdigit((unsigned char)*e))
			e++;
		if (*e == ']')
			s = skip_spaces(e + 1);
	}
	return s;
}
