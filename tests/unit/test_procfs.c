/* /proc/buddyinfo parsing and the kernel's unusable free space index, on the
 * seed003 snapshots taken in the field. */
#include "tap.h"
#include "parse/procfs.h"
#include "util/util.h"

#include <stdlib.h>

int main(void)
{
	struct buddyinfo b;
	char *t = read_file(fixture("SEEDLOGS", "seed003-buddyinfo-1-fragmented.txt"), NULL);
	char *c = read_file(fixture("SEEDLOGS", "seed003-buddyinfo-3-after-compact-memory.txt"), NULL);
	static const unsigned long nr[] = { 10, 0, 1 };	/* 10 + 4 = 14 pages */

	ok(t && buddyinfo_parse(t, &b), "seed003 fragmented: parsed");
	ok(b.nzones >= 2, "seed003: zones found (%d)", b.nzones);
	ok(b.nzones && b.z[b.nzones - 1].n_orders == 11, "seed003: 11 orders");
	ok(buddyinfo_unusable_index(&b, 4) > 0.9, "seed003 fragmented: order-4 unusable index %.3f > 0.9",
	   buddyinfo_unusable_index(&b, 4));
	ok(c && buddyinfo_parse(c, &b) && buddyinfo_unusable_index(&b, 4) < 0.5,
	   "seed003 after compact_memory: order-4 unusable index %.3f < 0.5",
	   c ? buddyinfo_unusable_index(&b, 4) : -1.0);
	ok(unusable_index(nr, 3, 2) > 0.714 && unusable_index(nr, 3, 2) < 0.715,
	   "unusable index by the kernel's formula: (14-4)/14");
	ok(unusable_index(nr, 0, 2) == 1.0, "unusable index with nothing free is 1");
	ok(!buddyinfo_parse("nothing here\n", &b), "no buddyinfo lines: refused");
	is_int(meminfo_kb("MemTotal:  100 kB\nMemAvailable:    42 kB\n", "MemAvailable"), 42, "meminfo key");
	is_int(meminfo_kb("MemTotal:  100 kB\n", "MemAvailable"), -1, "meminfo missing key");
	free(t);
	free(c);
	/* smaps of a real THP mapping (Linux 6.18): 4 huge pages, then a
	 * neighbour with none; "00:00" in the headers is the device field */
	t = read_file(fixture("TESTS", "fixtures/smaps-6.18-thp.txt"), NULL);
	ok(t != NULL, "smaps fixture read");
	is_int(t ? smaps_anon_huge_kb(t, 0x7fc2d5a00000UL) : -2, 8192, "smaps: THP mapping at its start");
	is_int(t ? smaps_anon_huge_kb(t, 0x7fc2d61fffffUL) : -2, 8192, "smaps: THP mapping at its last byte");
	is_int(t ? smaps_anon_huge_kb(t, 0x7fc2d6200000UL) : -2, 0, "smaps: the next mapping has none");
	is_int(t ? smaps_anon_huge_kb(t, 0x1000UL) : -2, -1, "smaps: an address no mapping holds");
	is_int(smaps_anon_huge_kb("", 0x1000UL), -1, "smaps: empty text");
	free(t);
	return done_testing();
}
