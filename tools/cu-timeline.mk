## cu-timeline: program, man page and tests (owned by whoever builds cu-timeline)
bin_PROGRAMS += cu-timeline
# One file per concern (see tools/cu-timeline/timeline.h); the fuzz
# targets build the same list.
CU_TIMELINE_C = tools/cu-timeline/main.c tools/cu-timeline/read.c \
	tools/cu-timeline/sweep.c tools/cu-timeline/buckets.c \
	tools/cu-timeline/write.c
cu_timeline_SOURCES = $(CU_TIMELINE_C) tools/cu-timeline/timeline.h
cu_timeline_LDADD = $(CU_LIBS)
dist_man_MANS += man/cu-timeline.1
TESTS += tests/cu-timeline-golden.sh tests/cu-timeline.sh
dist_noinst_SCRIPTS += tests/cu-timeline-golden.sh tests/cu-timeline.sh
EXTRA_DIST += bench/cu-timeline.sh bench/cu-timeline-gen.c bench/cu-timeline-results.md
