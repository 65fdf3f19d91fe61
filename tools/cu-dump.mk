## cu-dump: program, man page and tests (owned by whoever builds cu-dump)
