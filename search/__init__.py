"""newsdex's search side: query -> parser -> searcher -> facets -> renderer, and the CLI."""

import os

# numpy's OpenBLAS starts a pool of threads when numpy is imported (about 40 ms of a cold
# search here); newsdex does no linear algebra, so one thread is all it needs. Set before any
# search module imports numpy; a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
