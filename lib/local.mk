## libcu: what several tools share, each concern once.
noinst_LIBRARIES += libcu.a
libcu_a_CPPFLAGS = $(AM_CPPFLAGS) $(ZLIB_CFLAGS) $(CRYPTO_CFLAGS)
libcu_a_SOURCES = \
	lib/error.c lib/error.h \
	lib/cutime.c lib/cutime.h \
	lib/stream.c lib/stream.h lib/tsv-split.h \
	lib/writer.c lib/writer.h \
	lib/hash.c lib/hash.h \
	lib/fields.c lib/fields.h \
	lib/radix.c lib/radix.h \
	lib/intern.c lib/intern.h \
	lib/decimal.c lib/decimal.h \
	lib/cli.c lib/cli.h

# The lib's TSV micro-benchmark (bench/lib-tsv-bench.sh; not built by make).
EXTRA_DIST += bench/README.md bench/lib-tsv-bench.c bench/lib-tsv-bench.sh bench/lib-tsv-results.md
