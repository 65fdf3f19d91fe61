## cu-mask: program, man page and tests (owned by whoever builds cu-mask)
bin_PROGRAMS += cu-mask
cu_mask_SOURCES = tools/cu-mask.c
cu_mask_CPPFLAGS = $(AM_CPPFLAGS) $(CRYPTO_CFLAGS)
cu_mask_LDADD = $(CU_LIBS)
dist_man_MANS += man/cu-mask.1
TESTS += tests/cu-mask-golden.sh tests/cu-mask.sh tests/cu-mask-cloud.sh
EXTRA_DIST += tests/cu-mask-golden.sh tests/cu-mask.sh tests/cu-mask-cloud.sh
EXTRA_DIST += bench/cu-mask-bench.sh bench/cu-mask-salted.py
