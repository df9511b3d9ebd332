"""The exceptions newsdex reports to users: the message is the whole one-line error."""


class NewsdexError(Exception):
    """A runtime problem the CLI prints as one line on stderr, exiting 1."""


class QueryError(ValueError):
    """A query that cannot be parsed; the message says what is wrong and where. (Defined here,
    not in search.query, so that commands which parse no query need not import the parser.)"""
