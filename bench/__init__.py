"""`make bench`: how fast newsdex indexes and searches, next to a minimal raw-Whoosh floor.

bench/run.py is the front (`python -m bench.run --files N`); the other modules are its parts:
corpus.py writes a synthetic scraped-style archive, provide.py picks and caches the corpus,
floor.py is the minimal Whoosh indexer, split.py times the phases of a build, latency.py times
searches in-process, rss.py measures a command's peak memory, report.py prints the table.
"""
