## cu-timeline: program, man page and tests (owned by whoever builds cu-timeline)
