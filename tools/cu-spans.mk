## cu-spans: program, man page and tests (owned by whoever builds cu-spans)
bin_PROGRAMS += cu-spans
cu_spans_SOURCES = tools/cu-spans.c
cu_spans_LDADD = $(CU_LIBS) -lm
dist_man_MANS += man/cu-spans.1
CU_SPANS_TESTS = \
	tests/cu-spans-golden.sh \
	tests/cu-spans-billing.sh \
	tests/cu-spans-testcloud.sh
TESTS += $(CU_SPANS_TESTS)
EXTRA_DIST += $(CU_SPANS_TESTS) bench/cu-spans-bench.sh \
	bench/cu-spans-testcloud-bench.sh
