## Unit tests of libcu (C programs printing TAP) and the shared test helpers.
UNIT_TESTS = \
	tests/unit/test-error \
	tests/unit/test-time \
	tests/unit/test-stream \
	tests/unit/test-writer \
	tests/unit/test-hmac \
	tests/unit/test-fields \
	tests/unit/test-radix \
	tests/unit/test-intern \
	tests/unit/test-decimal \
	tests/unit/test-plot \
	tests/unit/test-hex \
	tests/unit/test-bigmem \
	tests/unit/test-archive \
	tests/unit/test-history \
	tests/unit/test-json \
	tests/unit/test-columns \
	tests/unit/test-compress \
	tests/unit/test-number \
	tests/unit/test-plot-cairo \
	tests/unit/test-cli
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
check_LIBRARIES = tests/unit/libtap.a
tests_unit_libtap_a_SOURCES = tests/unit/tap.c tests/unit/tap.h
tests_unit_libtap_a_CPPFLAGS = $(AM_CPPFLAGS) $(ZLIB_CFLAGS) $(ZSTD_CFLAGS)
UNIT_LIBS = tests/unit/libtap.a $(CU_LIBS)
tests_unit_test_error_LDADD = $(UNIT_LIBS)
tests_unit_test_time_LDADD = $(UNIT_LIBS)
tests_unit_test_stream_LDADD = $(UNIT_LIBS)
tests_unit_test_writer_LDADD = $(UNIT_LIBS)
tests_unit_test_hmac_LDADD = $(UNIT_LIBS)
tests_unit_test_fields_LDADD = $(UNIT_LIBS)
tests_unit_test_radix_LDADD = $(UNIT_LIBS)
tests_unit_test_intern_LDADD = $(UNIT_LIBS)
tests_unit_test_decimal_LDADD = $(UNIT_LIBS)
tests_unit_test_hex_LDADD = $(UNIT_LIBS)
tests_unit_test_bigmem_LDADD = $(UNIT_LIBS)
tests_unit_test_archive_LDADD = $(UNIT_LIBS)
tests_unit_test_history_LDADD = $(UNIT_LIBS)
tests_unit_test_json_LDADD = $(UNIT_LIBS)
tests_unit_test_columns_LDADD = $(UNIT_LIBS)
tests_unit_test_number_LDADD = $(UNIT_LIBS)
tests_unit_test_cli_LDADD = $(UNIT_LIBS)
tests_unit_test_compress_LDADD = $(UNIT_LIBS)
tests_unit_test_plot_LDADD = $(UNIT_LIBS) $(PLOT_LIBS_ALL) $(CU_LIBS)
tests_unit_test_plot_cairo_LDADD = $(UNIT_LIBS) $(PLOT_LIBS_ALL) $(CU_LIBS)
tests_unit_test_plot_cairo_CPPFLAGS = $(AM_CPPFLAGS) $(PLOT_CFLAGS)

# The same with the SSE2 row splitter forced (the AVX2 one is picked where
# the CPU has it).
TESTS += tests/stream-sse2.sh
dist_noinst_SCRIPTS += tests/stream-sse2.sh
TESTS += tests/warnings.sh
dist_noinst_SCRIPTS += tests/warnings.sh

# Golden transcripts of the tools (tests/cases/TOOL/CASE/) and the throwaway
# database; each tool's fragment adds its tests.
EXTRA_DIST += tests/lib tests/data tests/cases tests/fixtures

# The cron pipeline script, end to end.
TESTS += tests/cu-pipeline.sh
dist_noinst_SCRIPTS += tests/cu-pipeline.sh

# Generated test data equal what their generators make.
TESTS += tests/data-generators.sh
dist_noinst_SCRIPTS += tests/data-generators.sh

# The sample configuration files of examples/ stay valid.
TESTS += tests/examples.sh
dist_noinst_SCRIPTS += tests/examples.sh
EXTRA_DIST += examples

# Man pages document every option --help lists.
TESTS += tests/man-options.sh
dist_noinst_SCRIPTS += tests/man-options.sh

# Fault injection: an LD_PRELOAD shim, and the loop over each tool's calls.
check_DATA = tests/fault/fault.so
tests/fault/fault.so: $(top_srcdir)/tests/fault/fault.c
	@$(MKDIR_P) tests/fault
	$(CC) -shared -fPIC -O1 -o $@ $(top_srcdir)/tests/fault/fault.c -ldl
CLEANFILES += tests/fault/fault.so
TESTS += tests/fault.sh tests/fault-dump.sh
dist_noinst_SCRIPTS += tests/fault.sh tests/fault-dump.sh
EXTRA_DIST += tests/fault/fault.c
