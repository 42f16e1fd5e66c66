#include "logline.h"

#include <ctype.h>
#include <stdlib.h>

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

const char *logline_body(const char *line, double *ts)
{
	const char *s = line;

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
