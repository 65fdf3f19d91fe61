## Fuzzing. `make fuzz` builds the libFuzzer targets with clang, ASan and
## UBSan (scripts/run-fuzz runs each for a bounded time, as CI does). The
## same harnesses are built by `make check` as plain replay programs that
## run the regression inputs in tests/fuzz/ (crashes found once, and seeds).

FUZZ_TARGETS = fuzz/fuzz-tsv fuzz/fuzz-jsons fuzz/fuzz-csv fuzz/fuzz-time \
	fuzz/fuzz-cu-spans fuzz/fuzz-cu-timeline fuzz/fuzz-cu-mask
FUZZ_CC = clang
FUZZ_CFLAGS = -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -DFUZZ_LIBFUZZER \
	-Ilib -I$(abs_top_builddir) $(ZLIB_CFLAGS) $(ZSTD_CFLAGS) $(CRYPTO_CFLAGS)
FUZZ_LIBS = $(CSV_LIBS) $(ZLIB_LIBS) $(ZSTD_LIBS) $(CRYPTO_LIBS) -lm
# built from the source dir, so the list of lib/local.mk serves as it is
FUZZ_BUILD = cd $(top_srcdir) && $(FUZZ_CC) $(FUZZ_CFLAGS)
FUZZ_TOOL = -Dmain=cu_tool_main -Wno-missing-prototypes

.PHONY: fuzz
fuzz: $(FUZZ_TARGETS)
# A target: fuzz/fuzz-NAME from its harness (and a tool's sources) and
# the flags that make it what it is, then libcu's sources and libraries.
FUZZ_HARNESS = $(MKDIR_P) fuzz && $(FUZZ_BUILD) -o $(abs_builddir)/$@
FUZZ_LINK = $(LIBCU_C) $(FUZZ_LIBS)
fuzz/fuzz-tsv: $(top_srcdir)/fuzz/fuzz-reader.c
	$(FUZZ_HARNESS) -DFUZZ_FORMAT=CU_FMT_AUTO fuzz/fuzz-reader.c $(FUZZ_LINK)
fuzz/fuzz-jsons: $(top_srcdir)/fuzz/fuzz-reader.c
	$(FUZZ_HARNESS) -DFUZZ_FORMAT=CU_FMT_JSONS fuzz/fuzz-reader.c $(FUZZ_LINK)
fuzz/fuzz-csv: $(top_srcdir)/fuzz/fuzz-reader.c
	$(FUZZ_HARNESS) -DFUZZ_FORMAT=CU_FMT_CSV fuzz/fuzz-reader.c $(FUZZ_LINK)
fuzz/fuzz-time: $(top_srcdir)/fuzz/fuzz-time.c
	$(FUZZ_HARNESS) fuzz/fuzz-time.c $(FUZZ_LINK)
fuzz/fuzz-cu-spans: $(top_srcdir)/fuzz/fuzz-tool.c $(CU_SPANS_C)
	$(FUZZ_HARNESS) $(FUZZ_TOOL) -DFUZZ_ARGS='"cu-spans"' \
	    -DFUZZ_NAME='"cu-spans"' fuzz/fuzz-tool.c $(CU_SPANS_C) $(FUZZ_LINK)
fuzz/fuzz-cu-timeline: $(top_srcdir)/fuzz/fuzz-tool.c $(CU_TIMELINE_C)
	$(FUZZ_HARNESS) $(FUZZ_TOOL) -DFUZZ_ARGS='"cu-timeline"' \
	    -DFUZZ_NAME='"cu-timeline"' fuzz/fuzz-tool.c $(CU_TIMELINE_C) $(FUZZ_LINK)
fuzz/fuzz-cu-mask: $(top_srcdir)/fuzz/fuzz-tool.c $(CU_MASK_C)
	$(FUZZ_HARNESS) $(FUZZ_TOOL) -DFUZZ_ARGS='"cu-mask"' \
	    -DFUZZ_NAME='"cu-mask"' fuzz/fuzz-tool.c $(CU_MASK_C) $(FUZZ_LINK)
CLEANFILES += $(FUZZ_TARGETS)

# The replay programs (gcc, the build's own flags and sanitizers).
check_PROGRAMS += fuzz/replay-tsv fuzz/replay-jsons fuzz/replay-csv \
	fuzz/replay-time fuzz/replay-cu-spans fuzz/replay-cu-timeline \
	fuzz/replay-cu-mask
fuzz_replay_tsv_SOURCES = fuzz/fuzz-reader.c fuzz/harness.h
fuzz_replay_tsv_LDADD = $(CU_LIBS)
fuzz_replay_jsons_SOURCES = fuzz/fuzz-reader.c
fuzz_replay_jsons_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_FORMAT=CU_FMT_JSONS
fuzz_replay_jsons_LDADD = $(CU_LIBS)
fuzz_replay_csv_SOURCES = fuzz/fuzz-reader.c
fuzz_replay_csv_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_FORMAT=CU_FMT_CSV
fuzz_replay_csv_LDADD = $(CU_LIBS)
fuzz_replay_time_SOURCES = fuzz/fuzz-time.c
fuzz_replay_time_LDADD = $(CU_LIBS)
fuzz_replay_cu_spans_SOURCES = fuzz/fuzz-tool.c $(CU_SPANS_C)
fuzz_replay_cu_spans_CPPFLAGS = $(AM_CPPFLAGS) -Dmain=cu_tool_main \
	-DFUZZ_ARGS='"cu-spans"' -DFUZZ_NAME='"cu-spans"'
fuzz_replay_cu_spans_CFLAGS = $(AM_CFLAGS) -Wno-missing-prototypes
fuzz_replay_cu_spans_LDADD = $(CU_LIBS) -lm
fuzz_replay_cu_timeline_SOURCES = fuzz/fuzz-tool.c $(CU_TIMELINE_C)
fuzz_replay_cu_timeline_CPPFLAGS = $(AM_CPPFLAGS) -Dmain=cu_tool_main \
	-DFUZZ_ARGS='"cu-timeline"' -DFUZZ_NAME='"cu-timeline"'
fuzz_replay_cu_timeline_CFLAGS = $(AM_CFLAGS) -Wno-missing-prototypes
fuzz_replay_cu_timeline_LDADD = $(CU_LIBS)
fuzz_replay_cu_mask_SOURCES = fuzz/fuzz-tool.c $(CU_MASK_C)
fuzz_replay_cu_mask_CPPFLAGS = $(AM_CPPFLAGS) $(CRYPTO_CFLAGS) -Dmain=cu_tool_main \
	-DFUZZ_ARGS='"cu-mask"' -DFUZZ_NAME='"cu-mask"'
fuzz_replay_cu_mask_CFLAGS = $(AM_CFLAGS) -Wno-missing-prototypes
fuzz_replay_cu_mask_LDADD = $(CU_LIBS)
TESTS += tests/fuzz-replay.sh
dist_noinst_SCRIPTS += tests/fuzz-replay.sh scripts/run-fuzz
EXTRA_DIST += fuzz/fuzz-reader.c fuzz/fuzz-time.c fuzz/fuzz-tool.c fuzz/harness.h
