"""The one exception newsdex reports to users: its message is the whole one-line error."""


class NewsdexError(Exception):
    """A runtime problem the CLI prints as one line on stderr, exiting 1."""
