"""`python -m search` and the `newsdex` script: the newsdex command."""

import gc


def run() -> None:
    """Start the command with the garbage collector off.

    A cold `newsdex search` spent about 20 of its 150 ms in the collector: passes over the
    objects that importing click and Whoosh creates (none of them garbage), and the
    interpreter's last collection at exit walking them all again. So the collector stays off
    while the command starts; search/cli.py turns it back on for every command but a search of
    one page, whose garbage is bounded; for that one the objects are frozen at exit, which
    leaves the final collection nothing to walk.
    """
    gc.disable()
    from search.cli import main

    try:
        main()
    finally:
        if not gc.isenabled():
            gc.freeze()


if __name__ == "__main__":
    run()
