## cu-spans: program, man page and tests (owned by whoever builds cu-spans)
bin_PROGRAMS += cu-spans
# One file per concern (see tools/cu-spans/spans.h); the fuzz targets
# build the same list.
CU_SPANS_C = tools/cu-spans/main.c tools/cu-spans/strings.c \
	tools/cu-spans/read.c tools/cu-spans/hosts.c tools/cu-spans/leases.c \
	tools/cu-spans/instances.c tools/cu-spans/containers.c \
	tools/cu-spans/write.c
cu_spans_SOURCES = $(CU_SPANS_C) tools/cu-spans/spans.h
cu_spans_LDADD = $(CU_LIBS) -lm
dist_man_MANS += man/cu-spans.1
CU_SPANS_TESTS = \
	tests/cu-spans-golden.sh \
	tests/cu-spans-billing.sh \
	tests/cu-spans-testcloud.sh
TESTS += $(CU_SPANS_TESTS)
EXTRA_DIST += $(CU_SPANS_TESTS) bench/cu-spans-bench.sh \
	bench/cu-spans-testcloud-bench.sh
