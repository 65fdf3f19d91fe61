## cu-spans: program, man page and tests (owned by whoever builds cu-spans)
bin_PROGRAMS += cu-spans
cu_spans_SOURCES = tools/cu-spans.c
cu_spans_LDADD = $(CU_LIBS) -lm
dist_man_MANS += man/cu-spans.1
TESTS += tests/cu-spans-golden.sh tests/cu-spans-billing.sh
EXTRA_DIST += tests/cu-spans-golden.sh tests/cu-spans-billing.sh
EXTRA_DIST += bench/cu-spans-bench.sh
