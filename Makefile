# allocrepro: build, test, run the lab.
#   make            the program (build/allocrepro) and the helper module
#   make check      every test (unit, CLI, lab) through prove, under ASan/UBSan
#   make demo       the main job: the scenarios in the QEMU lab, default kernel
#   make install    PREFIX=/usr/local DESTDIR=
PREFIX ?= /usr/local
DESTDIR ?=
BUILD := build
CACHE := $(BUILD)/cache
LAB_KERNEL ?= debian-6.1
# The field cases' logs (test fixtures, with their source in their README).
SEEDLOGS ?= $(CURDIR)/tests/fixtures/seed-logs
DATADIR := $(PREFIX)/share/allocrepro

CC ?= cc
WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -MMD -MP -Iharness -I. \
	-DALLOCREPRO_DATADIR='"$(DATADIR)"'
LDLIBS := -lyaml -ljson-c -lcrypto -lcgroup -lnuma -lpthread -lm
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS := $(wildcard harness/*/*.c harness/*/*/*.c results/*.c workloads/*.c)
LIB_SRCS := $(filter-out harness/cmd/main.c,$(SRCS))
OBJS := $(SRCS:%.c=$(BUILD)/obj/%.o)
ASAN_OBJS := $(SRCS:%.c=$(BUILD)/asan-obj/%.o)
ASAN_LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/asan-obj/%.o)
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%.t)

all: $(BUILD)/allocrepro kmod

$(BUILD)/allocrepro: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/asan/allocrepro: $(ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/asan-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

$(BUILD)/tests/%.t: tests/unit/%.c $(ASAN_LIB_OBJS) tests/unit/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -Itests/unit -o $@ $< $(ASAN_LIB_OBJS) $(LDLIBS)

# The 32-bit guest program for the debian-6.1-pae lab kernel: static, built
# with the i686 cross compiler against i386 libraries unpacked in the cache.
I386_CC ?= i686-linux-gnu-gcc
I386_OBJS := $(SRCS:%.c=$(BUILD)/obj-i386/%.o)
I386_SYSROOT := $(CURDIR)/$(CACHE)/sysroot-i386
# the script lists the packages: a changed list refetches
$(I386_SYSROOT)/.complete: ci/fetch-i386-sysroot.sh
	ci/fetch-i386-sysroot.sh $(CURDIR)/$(CACHE) >/dev/null
$(BUILD)/allocrepro-i386: $(I386_OBJS)
	$(I386_CC) -static -o $@ $^ -L$(I386_SYSROOT)/usr/lib/i386-linux-gnu \
		-L$(I386_SYSROOT)/lib/i386-linux-gnu $(LDLIBS)
$(BUILD)/obj-i386/%.o: %.c $(I386_SYSROOT)/.complete
	@mkdir -p $(dir $@)
	$(I386_CC) $(ALL_CFLAGS) -isystem $(I386_SYSROOT)/usr/include \
		-isystem $(I386_SYSROOT)/usr/include/i386-linux-gnu -c -o $@ $<
guest-i386: $(BUILD)/allocrepro-i386

# libFuzzer target over the pure parsers and the model (clang).
FUZZ_SRCS := $(addprefix harness/parse/,logparse.c logline.c logtrace.c event.c kver.c procfs.c \
	procfs_zone.c kmsg.c) $(addprefix harness/model/,gfp.c watermark.c diagnose.c) \
	harness/util/util.c results/event_json.c results/diag_json.c workloads/stressng_yaml.c
$(BUILD)/fuzz/fuzz_parsers: tests/fuzz/fuzz_parsers.c $(FUZZ_SRCS)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -Iharness -I. -fsanitize=fuzzer,address,undefined \
		-Wall -Wextra -Werror -fno-sanitize-recover=all -o $@ $^ -ljson-c -lcrypto -lyaml
fuzz: $(BUILD)/fuzz/fuzz_parsers

# Throughput of explain on a 1 GiB syslog, against grep (a benchmark, not a test).
bench: $(BUILD)/allocrepro
	bench/explain-throughput.sh $(BUILD)/allocrepro $(SEEDLOGS) $(BUILD)/bench
# the fragment workload against stress-ng recipes, in one lab guest (~4 min)
bench-lab: deps $(BUILD)/allocrepro
	$(MAKE) lab-prepare
	bench/fragment-vs-stress-ng.sh $(CURDIR)/$(BUILD)/allocrepro $(BUILD)/bench

# The module: against the running kernel's build tree where there is one
# (KDIR=... to choose), otherwise against the default lab kernel.
KDIR ?= /lib/modules/$(shell uname -r)/build
kmod:
	@if [ -d "$(KDIR)" ]; then \
		mkdir -p $(BUILD)/kmod/host && \
		cp kmod-helpers/*.c kmod-helpers/*.h kmod-helpers/Kbuild $(BUILD)/kmod/host/ && \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD)/kmod/host modules && \
		cp $(BUILD)/kmod/host/allocrepro_helper.ko $(BUILD)/; \
	else \
		kdir=$$(ci/fetch-kernel.sh $(LAB_KERNEL) $(CURDIR)/$(CACHE)) && \
		. $$kdir/kernel.env && \
		ko=$$(ci/build-kmod.sh $$kdir $(CURDIR)/$(CACHE)/kmod/$$RELEASE) && \
		cp $$ko $(BUILD)/ && echo "kmod: built for lab kernel $$RELEASE (no $(KDIR) here)"; \
	fi

deps:
	ci/install-deps.sh

# Fetch and build everything the lab tests boot, once (cached in $(CACHE)).
lab-prepare: $(BUILD)/allocrepro
	ci/lab-prepare.sh $(LAB_KERNEL) $(CURDIR)/$(CACHE) $(CURDIR)/$(BUILD)/allocrepro >/dev/null

check: deps
	$(MAKE) $(BUILD)/allocrepro $(BUILD)/asan/allocrepro $(UNIT_BINS) $(BUILD)/fuzz/fuzz_parsers \
		$(BUILD)/allocrepro-i386
	$(MAKE) lint
	$(MAKE) lab-prepare
	ALLOCREPRO_GUEST_BIN=$(CURDIR)/$(BUILD)/allocrepro \
	ALLOCREPRO_GUEST_BIN_I386=$(CURDIR)/$(BUILD)/allocrepro-i386 \
	ALLOCREPRO_CACHE=$(CURDIR)/$(CACHE) \
	ALLOCREPRO=$(CURDIR)/$(BUILD)/asan/allocrepro \
	BUILD=$(CURDIR)/$(BUILD) TESTS=$(CURDIR)/tests SEEDLOGS=$(SEEDLOGS) \
		prove -v --timer $(BUILD)/tests/ tests/*.t

# The main job: the five seed scenarios in the lab, then a table of
# reproductions and mitigation verdicts (DEMO_ARGS="--repeat 3" for less).
demo: deps
	$(MAKE) $(BUILD)/allocrepro $(BUILD)/allocrepro-i386 lab-prepare
	ALLOCREPRO_GUEST_BIN_I386=$(CURDIR)/$(BUILD)/allocrepro-i386 \
		ci/demo.sh $(CURDIR)/$(BUILD)/allocrepro $(LAB_KERNEL) runs/demo $(DEMO_ARGS)

lint: $(CACHE)/checkpatch/.complete
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--suppress=missingIncludeSystem -D_GNU_SOURCE -Iharness -I. harness results workloads tests/unit \
		tests/fuzz
	$(CACHE)/checkpatch/checkpatch.pl --no-tree --quiet --strict -f kmod-helpers/*.c kmod-helpers/*.h

# checkpatch.pl comes from Debian's linux-source package (cached).
$(CACHE)/checkpatch/.complete:
	ci/fetch-checkpatch.sh $(CURDIR)/$(CACHE) >/dev/null

install: $(BUILD)/allocrepro
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/ci \
		$(DESTDIR)$(DATADIR)/kmod-helpers $(DESTDIR)$(DATADIR)/scenarios
	install -m 755 $(BUILD)/allocrepro $(DESTDIR)$(PREFIX)/bin/allocrepro
	if [ -f $(BUILD)/allocrepro-i386 ]; then \
		install -m 755 $(BUILD)/allocrepro-i386 $(DESTDIR)$(PREFIX)/bin/allocrepro-i386; fi
	install -m 755 ci/*.sh ci/guest-init $(DESTDIR)$(DATADIR)/ci/
	install -m 644 ci/kernels.conf $(DESTDIR)$(DATADIR)/ci/
	install -m 644 kmod-helpers/*.c kmod-helpers/*.h kmod-helpers/Kbuild kmod-helpers/Makefile \
		$(DESTDIR)$(DATADIR)/kmod-helpers/
	install -m 644 scenarios/*.yaml $(DESTDIR)$(DATADIR)/scenarios/

clean:
	rm -rf $(BUILD)/obj $(BUILD)/obj-i386 $(BUILD)/allocrepro-i386 $(BUILD)/asan-obj $(BUILD)/asan $(BUILD)/tests $(BUILD)/allocrepro \
		$(BUILD)/fuzz $(BUILD)/bench \
		$(BUILD)/kmod $(BUILD)/*.ko

.PHONY: guest-i386 all kmod deps lab-prepare check demo lint install clean fuzz bench bench-lab
-include $(OBJS:.o=.d) $(ASAN_OBJS:.o=.d) $(I386_OBJS:.o=.d)
