## The page on what all tools share; each tool's fragment adds its own page.
dist_man_MANS += man/cu.7 man/cu-pipeline.1
