## cu-dump: program, man page and tests (owned by whoever builds cu-dump)
bin_PROGRAMS += cu-dump
cu_dump_SOURCES = tools/cu-dump.c
cu_dump_CPPFLAGS = $(AM_CPPFLAGS) $(MYSQL_CFLAGS) $(CRYPTO_CFLAGS)
cu_dump_LDADD = $(CU_LIBS) $(MYSQL_LIBS)
dist_man_MANS += man/cu-dump.1

# Tool tests: golden transcripts (no database) and TAP tests against the
# throwaway MariaDB of tests/lib/testdb.sh.
CU_DUMP_TESTS = \
	tests/cu-dump-golden.sh \
	tests/cu-dump.sh \
	tests/cu-dump-privs.sh \
	tests/cu-dump-kill.sh
TESTS += $(CU_DUMP_TESTS)
EXTRA_DIST += $(CU_DUMP_TESTS) bench/cu-dump-bench.sh bench/cu-dump-bare.c
