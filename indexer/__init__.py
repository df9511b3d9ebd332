"""newsdex's indexer: files -> reader -> cleaner -> metadata -> Article -> index writer.

Kept empty of imports: `search` imports `indexer.schema` and `indexer.store`, and must not pull
in the extraction stack (lxml, trafilatura, htmldate, dateutil) by the way.
"""
