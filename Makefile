# ctrbox: one static binary, many container applets.
#
#   make                      static musl build in build/ctrbox (falls back to cc)
#   make CONFIG=configs/minimal
#   make CC=gcc STATIC=0      dynamic glibc build
#   make ARCH=aarch64         cross-build (also armhf) with Debian's musl wrapper, in build-ARCH/
#   make test                 install test deps (root, Debian), build, run bats + VM rig
#   make unit                 libctr unit-test binaries (tests/unit/) into build/unit/
#   make sanitize             ASan+UBSan build, whole bats suite against it
#   make fuzz [FUZZ_SECONDS=30] [N=2000]  libFuzzer harnesses, then random argv
#   make demo                 the whole study session, then ctrrun containers, narrated
#   make bench                hyperfine side by side with util-linux, BusyBox, toybox
#   make install PREFIX=/usr/local DESTDIR=

CONFIG  ?= configs/defconfig
include $(CONFIG)

# ARCH: cross-build with the musl-gcc wrapper Debian's musl-dev:ARCH installs
# (needs gcc-aarch64-linux-gnu / gcc-arm-linux-gnueabihf), into build-ARCH/.
ARCH    ?=
CROSS_CC_aarch64 := aarch64-linux-musl-gcc
CROSS_CC_armhf   := arm-linux-musleabihf-gcc
ifneq ($(filter-out $(shell uname -m),$(ARCH)),)
  ifeq ($(CROSS_CC_$(ARCH)),)
    $(error ARCH=$(ARCH): aarch64 or armhf)
  endif
  ifeq ($(origin CC),default)
    CC := $(CROSS_CC_$(ARCH))
  endif
  BUILD ?= build-$(ARCH)
endif
BUILD   ?= build
STATIC  ?= 1
PREFIX  ?= /usr/local
VERSION := 0.1.0

MUSL_GCC := $(shell command -v musl-gcc 2>/dev/null)
ifeq ($(origin CC),default)
  ifneq ($(MUSL_GCC),)
    CC := musl-gcc
  else
    CC := cc
    $(info musl-gcc not found (Debian: apt-get install musl-tools); building with cc)
  endif
endif

CFLAGS  ?= -Os
override CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Iapplets \
           -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
           -DCTRBOX_VERSION='"$(VERSION)"'
override LDFLAGS += -Wl,--gc-sections
# No RELRO: a static musl binary never mprotects it, and aligning it costs
# up to a page (4 KiB on x86_64, 30 KiB with aarch64's 64 KiB segments).
ifeq ($(STATIC),1)
  override LDFLAGS += -static -s -Wl,-z,noseparate-code -Wl,-z,norelro
  # a -static link is not PIE: code built for PIE is 8 KB bigger for nothing
  override CFLAGS += -fno-pie
  # switch statements as compare trees: no jump tables in .rodata (1.6 KB)
  override CFLAGS += -fno-jump-tables
  override LDFLAGS += -no-pie
  # A small common page size: ld then never pads the file to start the data
  # segment on a page (so the size follows the code, not page steps).
  ifneq ($(findstring musl,$(CC)),)
    override LDFLAGS += -Wl,-z,common-page-size=64
  endif
endif

LIB_SRC    := $(sort $(wildcard libctr/*.c))
APPLET_SRC := applets/ctrbox.c applets/common.c \
              $(foreach a,$(APPLETS),applets/$(a).c $(wildcard applets/$(a)_*.c applets/$(a)-*.c)) \
              $(if $(filter cg%,$(APPLETS)),applets/cgcommon.c)
OBJ        := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC) $(APPLET_SRC))
HDR        := $(wildcard include/ctr/*.h libctr/*.h applets/*.h) applets/applets.def

.PHONY: all clean test test-bats test-vm test-vm-full cross sanitize fuzz demo bench install FORCE

all: $(BUILD)/ctrbox unit

$(BUILD)/ctrbox: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ)

# The dispatcher sees which applets are built through config.h, rewritten only
# when the applet list changes so that switching CONFIG rebuilds what it must.
$(BUILD)/config.h: FORCE
	@mkdir -p $(BUILD)
	@{ for a in $(APPLETS); do echo "#define CTR_HAVE_$$a 1"; done; } > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/applets/ctrbox.o: $(BUILD)/config.h
$(BUILD)/applets/ctrbox.o: CFLAGS += -include $(BUILD)/config.h

$(BUILD)/%.o: %.c $(HDR) Makefile $(CONFIG)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

clean:
	rm -rf build build-*

# ---- tests ---------------------------------------------------------------
# test and demo install what they need first, then build in a sub-make so that
# a musl-gcc installed just now is the compiler.
# With Debian's aarch64 cross compiler (installed just now, maybe), the aarch64
# build too: tests/cross.bats runs it under qemu-user and tests/run.sh boots
# the aarch64 VM rig on it.
test:
	@sh tests/install-deps.sh
	@$(MAKE) --no-print-directory all
	@if command -v $(CROSS_CC_aarch64) >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory ARCH=aarch64 all; fi
	CTRBOX_AARCH64=$(abspath build-aarch64/ctrbox) sh tests/run.sh $(abspath $(BUILD)/ctrbox)

test-bats: all
	VM=0 sh tests/run.sh $(abspath $(BUILD)/ctrbox)

test-vm: all
	sh tests/vm/run.sh $(abspath $(BUILD)/ctrbox)

# The aarch64 build (needs gcc-aarch64-linux-gnu, musl-dev:arm64).
cross:
	@$(MAKE) --no-print-directory ARCH=aarch64 all

# Every bats file tests/vm/bats.list names, on x86_64 and aarch64, and the
# scenarios on armhf when its cross tools are installed (slow: see README).
test-vm-full: all cross
	VM_BATS=full sh tests/vm/run.sh $(abspath $(BUILD)/ctrbox); a=$$?; \
	VM_BATS=full VM_ARCH=aarch64 sh tests/vm/run.sh $(abspath build-aarch64/ctrbox) || a=1; \
	if sh tests/vm/available.sh armhf; then $(MAKE) --no-print-directory ARCH=armhf all && \
	  VM_BATS=full VM_ARCH=armhf sh tests/vm/run.sh $(abspath build-armhf/ctrbox) || a=1; fi; exit $$a

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
sanitize:
	CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	  $(MAKE) BUILD=build-san CC=gcc STATIC=0
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  VM=0 sh tests/run.sh $(abspath build-san/ctrbox)

# libFuzzer harnesses (tests/fuzz/*.c), each FUZZ_SECONDS (30), then random
# argument vectors at every applet of the sanitizer build (N runs).
FUZZ_SECONDS ?= 30
fuzz:
	sh tests/fuzz/run.sh $(FUZZ_SECONDS)
	CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	  $(MAKE) BUILD=build-san CC=gcc STATIC=0
	bash tests/fuzz-args.sh $(abspath build-san/ctrbox) $(or $(N),2000)

demo:
	@sh tests/install-deps.sh build
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh $(abspath $(BUILD)/ctrbox)

bench: all
	sh bench/run.sh $(abspath $(BUILD)/ctrbox)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/ctrbox $(DESTDIR)$(PREFIX)/bin/ctrbox
	$(DESTDIR)$(PREFIX)/bin/ctrbox --install $(DESTDIR)$(PREFIX)/bin

# ---- unit tests ------------------------------------------------------------
# tests/unit/<module>_test.c, each linked with every libctr object into
# $(BUILD)/unit/<module>_test; tests/unit.bats runs them (harness: unit.h).
UNIT_SRC := $(wildcard tests/unit/*_test.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRC))
LIB_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC))
.PHONY: unit
unit: $(UNIT_BIN)
$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB_OBJ)
