"""Demo data: the believable demo organisation (``organisation``) and scaled data sets for benchmarks."""
