# Builds the libFuzzer targets: make -f tests/fuzz/fuzz.mk [FUZZ_BUILD=dir]
#
# Called by tests/fuzz/run.sh; run from the top of the source tree.  The
# engine (src/*/ minus the front ends in src/cli/) is compiled once
# with clang and -fsanitize=fuzzer-no-link,address,undefined into
# $(FUZZ_BUILD)/obj and archived; each tests/fuzz/NAME-fuzz.c links against it with
# -fsanitize=fuzzer into $(FUZZ_BUILD)/NAME-fuzz.  Warnings are not
# errors here: the fuzzer must build while other files are being
# edited, and the main build keeps -Werror.

FUZZ_BUILD	?= build/fuzz
FUZZ_CC		?= clang
PKG_CONFIG	?= pkg-config

MBEDTLS_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags mbedtls mbedx509 mbedcrypto 2>/dev/null)
MBEDTLS_LIBS	:= $(shell $(PKG_CONFIG) --libs mbedtls mbedx509 mbedcrypto 2>/dev/null || \
		     echo -lmbedtls -lmbedx509 -lmbedcrypto)

SAN		= -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS	= -std=c11 -D_GNU_SOURCE -DFUZZ_ASSETS=\"$(CURDIR)/assets\" -g -O1 -fno-omit-frame-pointer \
		  -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
		  -Wall -Wextra -Wno-unused-parameter $(SAN) -MMD -MP

ENGINE_DIRS	:= $(filter-out src/cli/,$(sort $(dir $(wildcard src/*/*.c src/*/*.h))))
ENGINE_INC	:= $(patsubst %/,-I%,$(ENGINE_DIRS)) -Isrc
ENGINE_SRC	:= $(wildcard src/*.c) $(filter-out src/cli/%,$(wildcard src/*/*.c))
ENGINE_OBJ	:= $(ENGINE_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)
# The wizard's models that run without curses (key codes from its
# header only, no curses call): the field editor and the paste area.
UI_FUZZ_SRC	:= ui/w_edit.c ui/paste_buf.c
UI_FUZZ_OBJ	:= $(UI_FUZZ_SRC:ui/%.c=$(FUZZ_BUILD)/obj/ui/%.o)
TARGET_SRC	:= $(wildcard tests/fuzz/*-fuzz.c)
TARGETS		:= $(TARGET_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
LIB		:= $(FUZZ_BUILD)/libsw-fuzz.a

.PHONY: all
# Keep the target objects make would take for intermediate files.
.SECONDARY:
all: $(TARGETS)

$(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(MBEDTLS_CFLAGS) \
	    $(ENGINE_INC) -c -o $@ $<

$(FUZZ_BUILD)/obj/ui/%.o: ui/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Iui -c -o $@ $<

$(LIB): $(ENGINE_OBJ) $(UI_FUZZ_OBJ)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/obj/%-fuzz.o: tests/fuzz/%-fuzz.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(MBEDTLS_CFLAGS) $(ENGINE_INC) \
	    -Iui -Itests/fuzz -c -o $@ $<

# The command line's fuzzer also takes the option table of src/cli/.
$(FUZZ_BUILD)/obj/cli-fuzz.o: ENGINE_INC += -Isrc/cli
$(FUZZ_BUILD)/cli-fuzz: $(FUZZ_BUILD)/obj/cli/opts.o

$(FUZZ_BUILD)/%-fuzz: $(FUZZ_BUILD)/obj/%-fuzz.o $(LIB)
	@echo "  LD      $@"
	@$(FUZZ_CC) $(SAN) -fsanitize=fuzzer -o $@ $(filter %.o,$^) $(filter %.a,$^) $(MBEDTLS_LIBS) -lpthread

-include $(ENGINE_OBJ:.o=.d) $(UI_FUZZ_OBJ:.o=.d) $(TARGET_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/obj/%.d)
