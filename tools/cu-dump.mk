## cu-dump: program, man page and tests (owned by whoever builds cu-dump)
bin_PROGRAMS += cu-dump
# One file per concern (see tools/cu-dump/cu-dump.h).
cu_dump_SOURCES = tools/cu-dump/main.c tools/cu-dump/strings.c \
	tools/cu-dump/catalog.c tools/cu-dump/sites.c tools/cu-dump/connect.c \
	tools/cu-dump/jobs.c tools/cu-dump/window.c tools/cu-dump/json.c \
	tools/cu-dump/values.c tools/cu-dump/run.c tools/cu-dump/admin.c \
	tools/cu-dump/trace.c tools/cu-dump/cu-dump.h
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
EXTRA_DIST += $(CU_DUMP_TESTS) bench/cu-dump-bench.sh bench/cu-dump-bare.c \
	bench/json-bench.sh bench/json-bench.c
