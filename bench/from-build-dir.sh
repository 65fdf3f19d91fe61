# Sourced by the benchmarks that run from a build dir: the source tree in
# $top_srcdir (set, or guessed from the script's place) and the build's
# programs first in PATH.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
export top_srcdir
PATH=$(pwd):$PATH
