## cu-mask: program, man page and tests (owned by whoever builds cu-mask)
bin_PROGRAMS += cu-mask
# One file per concern (see tools/cu-mask/mask.h); the fuzz targets build
# the same list.
CU_MASK_C = tools/cu-mask/main.c tools/cu-mask/preset.c \
	tools/cu-mask/masking.c tools/cu-mask/archive.c
cu_mask_SOURCES = $(CU_MASK_C) tools/cu-mask/mask.h
cu_mask_CPPFLAGS = $(AM_CPPFLAGS) $(CRYPTO_CFLAGS)
cu_mask_LDADD = $(CU_LIBS)
dist_man_MANS += man/cu-mask.1
TESTS += tests/cu-mask-golden.sh tests/cu-mask.sh tests/cu-mask-cloud.sh
EXTRA_DIST += tests/cu-mask-golden.sh tests/cu-mask.sh tests/cu-mask-cloud.sh
EXTRA_DIST += bench/cu-mask-bench.sh bench/cu-mask-salted.py
