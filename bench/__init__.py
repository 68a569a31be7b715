"""`make bench`: seeding (`bench.seed`) and the load driver (`bench.driver`)."""
