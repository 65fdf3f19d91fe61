## cu-spans: program, man page and tests (owned by whoever builds cu-spans)
