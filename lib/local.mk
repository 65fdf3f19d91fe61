## libcu: what several tools share, each concern once.
noinst_LIBRARIES += libcu.a
libcu_a_CPPFLAGS = $(AM_CPPFLAGS) $(ZLIB_CFLAGS) $(ZSTD_CFLAGS) $(CRYPTO_CFLAGS)
# The sources, listed once: the fuzz targets (fuzz/local.mk) build them too.
LIBCU_C = lib/error.c lib/cutime.c lib/stream.c lib/writer.c lib/hmac.c \
	lib/fields.c lib/radix.c lib/intern.c lib/decimal.c lib/cli.c lib/hex.c \
	lib/bigmem.c lib/archive.c lib/number.c lib/json.c lib/compress.c lib/history.c \
	lib/columns.c \
	lib/tsv-split-sse2.c lib/tsv-split-avx2.c
libcu_a_SOURCES = $(LIBCU_C) \
	lib/error.h lib/cutime.h lib/stream.h lib/tsv-split.h lib/writer.h \
	lib/hmac.h lib/fields.h lib/radix.h lib/intern.h lib/decimal.h \
	lib/cli.h lib/hex.h lib/bigmem.h lib/archive.h lib/number.h lib/json.h \
	lib/compress.h lib/history.h lib/stream-impl.h lib/columns.h

# Charts: the layout and SVG (plot.c), and the cairo canvas for PDF and PNG
# (plot-cairo.c): a library of their own, so that only the tools drawing
# charts link cairo and pango.
noinst_LIBRARIES += libcuplot.a
libcuplot_a_CPPFLAGS = $(AM_CPPFLAGS) $(PLOT_CFLAGS)
libcuplot_a_SOURCES = lib/plot.c lib/plot.h lib/plot-cairo.c lib/plot-cairo.h
PLOT_LIBS_ALL = libcuplot.a $(PLOT_LIBS) -lm

# The lib's TSV micro-benchmark (bench/lib-tsv-bench.sh; not built by make).
EXTRA_DIST += bench/README.md bench/lib-tsv-bench.c bench/lib-tsv-bench.sh bench/lib-tsv-results.md
