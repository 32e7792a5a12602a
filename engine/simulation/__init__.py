"""Generated, valid answers to process forms: the basis of `onewindow
simulate` and of the tests and benchmarks that walk processes."""
