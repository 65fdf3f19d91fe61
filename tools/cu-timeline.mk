## cu-timeline: program, man page and tests (owned by whoever builds cu-timeline)
bin_PROGRAMS += cu-timeline
cu_timeline_SOURCES = tools/cu-timeline.c
cu_timeline_LDADD = $(CU_LIBS)
dist_man_MANS += man/cu-timeline.1
TESTS += tests/cu-timeline-golden.sh tests/cu-timeline.sh
dist_noinst_SCRIPTS += tests/cu-timeline-golden.sh tests/cu-timeline.sh
EXTRA_DIST += bench/cu-timeline.sh bench/cu-timeline-gen.c bench/cu-timeline-results.md
