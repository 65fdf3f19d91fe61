## The test cloud: throwaway MariaDB (tests/lib/testdb.sh) and the synthetic
## cloud generator with its ground truth.
TESTS += tests/testdb.sh
dist_noinst_SCRIPTS += tests/testdb.sh

# The synthetic cloud generator: used by tests, the demo and benchmarks, not
# installed.
noinst_PROGRAMS += cu-testcloud
cu_testcloud_SOURCES = testcloud/cu-testcloud.c
cu_testcloud_LDADD = $(CU_LIBS) -lm
EXTRA_DIST += testcloud/README.md
TESTS += tests/testcloud-truth.sh tests/testcloud-edge.sh
dist_noinst_SCRIPTS += tests/testcloud-truth.sh testcloud/check-truth.py \
	tests/testcloud-edge.sh tests/lib/history-truth.py
TESTS += tests/testcloud-load.sh
dist_noinst_SCRIPTS += tests/testcloud-load.sh
dist_noinst_SCRIPTS += scripts/cu-testdb
EXTRA_DIST += man/cu-testcloud.1
