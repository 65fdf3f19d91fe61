#!/bin/sh
# The stream unit tests again with the SSE2 row splitter, which CPUs with
# AVX2 would otherwise never run (lib/stream.c picks one at run time).
CU_NO_AVX2=1
export CU_NO_AVX2
exec "${top_builddir:-.}/tests/unit/test-stream"
