"""newsdex's search side: query -> parser -> searcher -> facets -> renderer, and the CLI."""
