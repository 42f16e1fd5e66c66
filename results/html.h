/* What the HTML pages (report, compare) share. */
#ifndef ALLOCREPRO_HTML_H
#define ALLOCREPRO_HTML_H

#include <stdio.h>

/* s as HTML text or attribute value (NULL: nothing). */
void html_esc(FILE *f, const char *s);

#endif
