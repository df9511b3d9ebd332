"""Extracting articles: a file (or a record of a web archive or feed) becomes an Article.

reader.py reads and decodes files; records.py, warc.py and feeds.py split containers into
records; extract.py is the front (`extract_file`), with html.py for saved pages (trafilatura
and htmldate underneath) and cleaner.py for scraped text; metadata.py gathers the fields,
each decided in the one module that owns its rules: bylines.py, outlets.py, dates.py,
language.py. Writing the index is the parent package's concern.
"""
