/*
 * Strip what log transports put in front of a kernel message: "<4>" levels,
 * "[  12.345678]" timestamps, printk caller ids "[T123]".  Pure: returns a
 * pointer into the line.
 */
#ifndef ALLOCREPRO_LOGLINE_H
#define ALLOCREPRO_LOGLINE_H

const char *logline_body(const char *line, double *ts);

#endif
