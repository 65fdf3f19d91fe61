## The test cloud: throwaway MariaDB (tests/lib/testdb.sh) and the synthetic
## cloud generator with its ground truth.
TESTS += tests/testdb.sh
dist_noinst_SCRIPTS += tests/testdb.sh
