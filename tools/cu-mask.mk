## cu-mask: program, man page and tests (owned by whoever builds cu-mask)
