#include "kmsg.h"

#include <stdio.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool parse_num(const char **s, const char *end, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;

	if (p >= end || !isdigit((unsigned char)*p))
		return false;
	while (p < end && isdigit((unsigned char)*p)) {
		n = n * 10 + (uint64_t)(*p - '0');
		p++;
	}
	*v = n;
	*s = p;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool kmsg_parse(const char *rec, size_t len, struct kmsg_record *out)
{
	const char *s = rec, *end = rec + len, *semi, *nl;
	uint64_t pri, seq, ts;
	size_t o = 0;

	semi = memchr(rec, ';', len);
	if (!semi)
		return false;
	if (!parse_num(&s, semi, &pri) || s >= semi || *s++ != ',' ||
	    !parse_num(&s, semi, &seq) || s >= semi || *s++ != ',' ||
	    !parse_num(&s, semi, &ts))
		return false;
	out->facility = (int)(pri >> 3);
	out->level = (int)(pri & 7);
	out->seq = seq;
	out->ts_usec = ts;
	/* FLAGS and any later comma fields (caller=...) are optional. */
	out->cont = s < semi && s[0] == ',' && s + 1 < semi && s[1] == 'c';
	s = semi + 1;
	nl = memchr(s, '\n', (size_t)(end - s));
	if (!nl)
		nl = end;
	while (s < nl && o + 1 < sizeof(out->text)) {
		if (s[0] == '\\' && s + 3 < nl + 1 && s[1] == 'x' &&
		    hexval(s[2]) >= 0 && hexval(s[3]) >= 0) {
			out->text[o++] = (char)(hexval(s[2]) * 16 + hexval(s[3]));
			s += 4;
			continue;
		}
		out->text[o++] = *s++;
	}
	out->text[o] = '\0';
	return true;
}

char *kmsg_to_dmesg(const char *text, size_t len, size_t *outlen)
{
	static struct kmsg_record rec;
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	const char *s = text, *end = text + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (n && s[0] != ' ' && kmsg_parse(s, n, &rec))
			fprintf(f, "[%llu.%06llu] %s\n", (unsigned long long)(rec.ts_usec / 1000000),
				(unsigned long long)(rec.ts_usec % 1000000), rec.text);
		else if (!(n && s[0] == ' ' && memchr(s, '=', n)))	/* dictionary line */
			fprintf(f, "%.*s\n", (int)n, s);
		s += n + 1;
	}
	fclose(f);
	*outlen = olen;
	return out;
}

