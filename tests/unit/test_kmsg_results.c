/* /dev/kmsg record parsing and the guest->host results stream. */
#include "tap.h"
#include "parse/kmsg.h"
#include "util/util.h"
#include "results/results.h"

#include <stdlib.h>
#include <unistd.h>

static void kmsg(void)
{
	static struct kmsg_record r;
	static const char rec[] = "4,366,7230195,-,caller=C0;a\\x5cb\\x0ac\n SUBSYSTEM=x\n";

	ok(kmsg_parse(rec, sizeof(rec) - 1, &r), "kmsg: record parsed");
	is_int(r.level, 4, "kmsg: level");
	is_int(r.seq, 366, "kmsg: seq");
	is_int(r.ts_usec, 7230195, "kmsg: timestamp");
	is_str(r.text, "a\\b\nc", "kmsg: \\x escapes decoded, dictionary dropped");
	ok(!kmsg_parse("no record here", 14, &r), "kmsg: text without ';' refused");
	ok(!kmsg_parse("x,1,2,-;t", 9, &r), "kmsg: non-numeric priority refused");
}

static void demux(void)
{
	char dir[] = "/tmp/allocrepro-test-XXXXXX";
	static const char frames[] = "+events.jsonl 4\n{}\n\n=summary.json 2\n{}+kmsg.txt 3\nabc"
				     "=.end 1\n0+kmsg.txt 10\nabc";
	bool ended = false;
	int code = -1;
	long used;
	char *p, *t;

	ok(mkdtemp(dir) != NULL, "demux: temp dir");
	used = results_demux(dir, frames, sizeof(frames) - 1, &ended, &code);
	is_int(used, (long)(sizeof(frames) - 1 - strlen("+kmsg.txt 10\nabc")),
	       "demux: stops before an incomplete frame");
	ok(ended && code == 0, "demux: end frame carries the exit code");
	p = path_join(dir, "events.jsonl");
	t = read_file(p, NULL);
	is_str(t, "{}\n\n", "demux: appended file content");
	free(t);
	free(p);
	p = path_join(dir, "kmsg.txt");
	t = read_file(p, NULL);
	is_str(t, "abc", "demux: partial frame not written");
	free(t);
	unlink(p);
	free(p);
	ended = false;
	is_int(results_demux(dir, "+../evil 1\nx", 12, &ended, &code), -1,
	       "demux: path outside the results directory refused");
	is_int(results_demux(dir, "garbage\n", 8, &ended, &code), -1, "demux: garbage refused");
	for (const char *f = "events.jsonl\0summary.json\0"; *f; f += strlen(f) + 1) {
		p = path_join(dir, f);
		unlink(p);
		free(p);
	}
	ok(rmdir(dir) == 0, "demux: wrote nothing else");
}

int main(void)
{
	kmsg();
	demux();
	return done_testing();
}
