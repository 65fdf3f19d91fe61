# Fault loops for the tests (sourced): run NAME OUTPUT-KIND COMMAND...
# fails each call of each function of $funcs in turn through the
# LD_PRELOAD shim $shim (tests/fault/fault.c) and checks every faulted run.
# Needs tap.sh's ok/not_ok/bail_out, $tmp as the working dir, and
# $fault_files: an extended regex of what a message must name.

# run NAME OUTPUT-KIND COMMAND...: loop the faults over one command; the
# command writes its stream to out (OUTPUT-KIND stream) or an archive to
# arch/ (archive). A faulted run either fails as it must, or (a call whose
# failure the program rightly absorbs) succeeds with the same output as a
# run without faults.
run() {
    name=$1 kind=$2
    shift 2
    rm -rf out arch
    "$@" > ref.out 2> /dev/null || bail_out "$name without faults"
    [ "$kind" = stream ] || mv arch ref.arch
    for f in $funcs; do
        k=1 sites=0 bad=""
        while [ $k -le 3000 ]; do
            rm -rf out arch fired err
            CU_FAULT="$f:$k" CU_FAULT_FIRED="$tmp/fired" LD_PRELOAD="$shim" \
                "$@" > out 2> err
            status=$?
            [ -e fired ] || break
            sites=$((sites + 1))
            why=""
            grep -q 'Sanitizer' err && why="sanitizer report"
            if [ "$status" -eq 0 ]; then
                if [ "$kind" = stream ]; then
                    cmp -s out ref.out || why="$why; exit 0 with another output"
                else
                    diff -r arch ref.arch > /dev/null 2>&1 ||
                        why="$why; exit 0 with another archive"
                fi
            else
                grep -q '^cu-[a-z]*: ' err || why="$why; no message"
                grep -qE "$fault_files" err ||
                    why="$why; the message names no file"
                if [ "$kind" = stream ]; then
                    [ "$(tail -n 1 out 2>/dev/null)" = "#eof" ] && why="$why; output looks complete"
                else
                    [ -e arch/MANIFEST.tsv ] && why="$why; archive looks complete"
                fi
            fi
            [ -z "$why" ] || bad="$bad [$f:$k: $why: $(head -c 160 err | tr '\n' ' ')]"
            k=$((k + 1))
        done
        if [ -z "$bad" ] && [ $k -le 3000 ]; then
            ok "$name: $f failed at each of its $sites calls: an error naming the file and nothing complete, or the same output"
        else
            not_ok "$name: $f:$(echo "$bad" | head -c 2000)"
        fi
    done
    rm -rf ref.arch
}

