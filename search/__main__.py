"""`python -m search` is the newsdex command."""

from search.cli import main

main()
