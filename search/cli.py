"""The newsdex command line: a thin layer over indexer/ and search/ library functions.

The search commands never import the extraction stack: `indexer.writer` and
`indexer.extraction.extract` (lxml, trafilatura, htmldate, dateutil) are imported inside the
commands that write or extract.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import shutil
import signal
import sys
import time

import click

from indexer.errors import NewsdexError, QueryError

WATCH_BATCH = 1000  # files per worker and round in --watch mode
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmg]?)i?b?", re.I)


def _fail(message: str) -> None:
    click.echo(f"newsdex: error: {message}", err=True)
    sys.exit(1)


def friendly(command):
    """Every runtime problem becomes one line on stderr and exit status 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (NewsdexError, QueryError) as e:
            _fail(str(e))
        except KeyboardInterrupt:
            click.echo("newsdex: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # `newsdex search ... | head`
            sys.stderr.close()
            sys.exit(0)
        except OSError as e:
            _fail(f"{e.strerror or e}{': ' + e.filename if e.filename else ''}")
        except Exception as e:  # a bug: still one line, with the way to the traceback
            if os.environ.get("NEWSDEX_DEBUG"):
                raise
            _fail(f"internal error: {type(e).__name__}: {e} (set NEWSDEX_DEBUG=1 for details)")

    return wrapper


def index_option(f):
    return click.option(
        "--index", "index_dir", metavar="DIR",
        help="Index folder (default: $NEWSDEX_INDEX, else ./index).")(f)


def filter_options(f):
    """--outlet, --author (repeatable, OR'ed), --since and --until."""
    for option in reversed([
        click.option("--outlet", "outlets", multiple=True, metavar="NAME",
                     help="Only articles of this outlet (repeatable: OR'ed)."),
        click.option("--author", "authors", multiple=True, metavar="NAME",
                     help="Only articles by this author (repeatable: OR'ed)."),
        click.option("--since", metavar="DATE", help="Published on or after (YYYY[-MM[-DD]])."),
        click.option("--until", metavar="DATE", help="Published on or before (YYYY[-MM[-DD]])."),
    ]):
        f = option(f)
    return f


def _color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _out(text: str) -> None:
    """Print, through a pager when it is long and stdout is a terminal."""
    if sys.stdout.isatty() and text.count("\n") + 2 > shutil.get_terminal_size().lines:
        click.echo_via_pager(text + "\n")
    else:
        click.echo(text)


def parse_size(value: str) -> int:
    m = _SIZE.fullmatch(value.strip())
    if not m:
        raise click.BadParameter(f"{value!r} is not a size like 50M or 200000")
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m.group(2).lower()]
    return int(float(m.group(1)) * factor)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsdex")
@click.pass_context
def main(ctx: click.Context) -> None:
    """newsdex: index scraped news archives and search them with facets."""
    # search/__main__.py starts the command with the garbage collector off; only a search
    # keeps it off (until an export, whose garbage is not bounded by a page).
    if ctx.invoked_subcommand != "search":
        gc.enable()


# --- index -----------------------------------------------------------------------------------

@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@index_option
@click.option("--full", is_flag=True, help="Rebuild from scratch instead of incrementally.")
@click.option("--keep-missing", is_flag=True,
              help="Keep articles whose files are gone (archives on removable disks).")
@click.option("--max-size", default="50M", show_default=True, metavar="SIZE",
              help="Skip files larger than this (after decompression).")
@click.option("--wait", is_flag=True, help="Wait for another writer instead of failing.")
@click.option("--jobs", type=click.IntRange(0), default=0,
              help="Extraction processes (default: one per core).")
@click.option("--outlets", "outlet_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra outlet evidence file (TOML, as indexer/extraction/data/outlets.toml).")
@click.option("--watch", is_flag=True, help="Keep running, indexing changes as they happen.")
@click.option("--interval", type=click.FloatRange(0.1), default=5.0, show_default=True,
              help="Seconds between scans with --watch.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no warnings.")
@click.option("--map", "field_map", multiple=True, metavar="FIELD=NAME",
              help="JSON feeds: read FIELD (title, body, authors, published, outlet, url, "
                   "language, ...) from the key NAME (repeatable).")
# Files per segment, and so how often a long run commits: small values force many intermediate
# commits (the crash tests use it); not for users.
@click.option("--batch", type=click.IntRange(1), default=None, hidden=True)
@friendly
def index(paths, index_dir, full, keep_missing, max_size, wait, jobs, outlet_files, watch,
          interval, as_json, quiet, field_map, batch) -> None:
    """Index the articles in PATHS (files and folders, recursively), incrementally."""
    from indexer.extraction import outlets
    from indexer.extraction.reader import display_path
    from indexer.store import index_dir as resolve
    from indexer.writer import Options, index_paths

    outlets.configure(list(outlet_files))
    folder = resolve(index_dir)
    stop = _StopFlag() if watch else None

    warned: set[tuple[str, str]] = set()  # a watcher warns once about a file, not every scan

    def on_skip(path: str, reason: str) -> None:
        if not quiet and (path, reason) not in warned:
            click.echo(f"newsdex: skipped {display_path(path)}: {reason}", err=True)
            if watch:
                warned.add((path, reason))

    options = Options(full=full, keep_missing=keep_missing, max_size=parse_size(max_size),
                      wait=wait, jobs=jobs, on_skip=on_skip,
                      should_stop=stop.is_set if stop else None, field_map=list(field_map))
    if batch:
        options.batch = batch
    elif watch:
        # A stop is honoured between rounds: keep rounds short while watching.
        options.batch = WATCH_BATCH
    bar = _Progress(enabled=not quiet and not as_json and sys.stderr.isatty())
    options.on_progress = bar.update
    while True:
        summary = index_paths(list(paths), folder, options)
        bar.close()
        if not watch or summary.changed or not stop:
            _print_summary(summary, folder, as_json, quiet)
        if not watch or stop.is_set():
            return
        options.full = False
        deadline = time.monotonic() + interval
        while time.monotonic() < deadline and not stop.is_set():
            time.sleep(min(0.1, interval))
        if stop.is_set():
            return


class _StopFlag:
    """Ctrl-C and SIGTERM ask a watching indexer to commit what it has and exit."""

    def __init__(self) -> None:
        self.stopped = False
        signal.signal(signal.SIGINT, self._set)
        signal.signal(signal.SIGTERM, self._set)

    def _set(self, *_args) -> None:
        self.stopped = True

    def is_set(self) -> bool:
        return self.stopped


class _Progress:
    """click's progress bar on stderr, shown once a run has enough files to read."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None
        self.shown = 0

    def update(self, done: int, total: int) -> None:
        """done: files read so far (the writer reports it now and then, not file by file)."""
        if not self.enabled or total < 200:
            return
        if self.bar is not None and self.bar.length != total:  # the next archive's records
            self.close()
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="indexing", file=sys.stderr)
            self.bar.__enter__()
        if done > self.shown:
            self.bar.update(done - self.shown)
            self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        self.shown = 0


def _print_summary(summary, folder: str, as_json: bool, quiet: bool) -> None:
    from indexer.extraction.reader import display_path
    from search import render

    if not quiet:
        for w in summary.warnings:
            click.echo(f"newsdex: warning: {display_path(w['path'])}: {w['warning']}", err=True)
    if as_json:
        click.echo(render.json_text(summary.to_json()))
        return
    click.echo(
        f"{summary.added} added, {summary.updated} updated, {summary.moved} moved, "
        f"{summary.removed} removed, {summary.unchanged} unchanged, "
        f"{len(summary.skipped)} skipped in {summary.seconds:.2f} s; "
        f"{summary.documents} documents in {folder}")
    if summary.records_skipped:
        reasons = ", ".join(f"{n} {why}" for why, n in summary.records_skipped.most_common())
        click.echo(f"{sum(summary.records_skipped.values())} archive records were not "
                   f"articles: {reasons}")


# --- search ----------------------------------------------------------------------------------

@main.command()
@click.argument("query", nargs=-1)
@index_option
@filter_options
@click.option("--facet", "facets", multiple=True,
              type=click.Choice(["outlet", "author", "year", "month", "dateline", "language"]),
              help="Count hits by this field (repeatable).")
@click.option("--facet-limit", type=click.IntRange(1), default=None,
              help="Values per facet (default 10; dates: all).")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--collapse", is_flag=True, help="One result per story; syndicated copies folded.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--jsonl", is_flag=True, help="Every hit as one JSON line (an export).")
@click.option("--csv", "as_csv", is_flag=True, help="Every hit as a CSV row (an export).")
@click.option("--count", "count_only", is_flag=True, help="Print only the number of hits.")
@click.option("--with-body", is_flag=True,
              help="With --jsonl: each line carries the cleaned text (an export to re-index).")
@friendly
def search(query, index_dir, outlets, authors, since, until, facets, facet_limit, sort, limit,
           page, collapse, as_json, jsonl, as_csv, count_only, with_body) -> None:
    """Search the index. QUERY: words, "phrases", OR, NOT, -word, field:value, date:2022-12."""
    from search.query import parse_date
    from search.searcher import Request, Search

    for value in (since, until):
        if value:
            parse_date(value)
    text = " ".join(query) or "*"
    export = jsonl or as_csv
    req = Request(query=text, outlets=list(outlets), authors=list(authors), since=since,
                  until=until, facets=list(facets), facet_limit=facet_limit, sort=sort,
                  limit=limit, page=page, collapse=collapse,
                  snippets=not (export or count_only), with_body=with_body and jsonl)
    with Search(_open(index_dir), once=True) as s:
        if count_only:
            click.echo(s.count(req))
            return
        if export:
            gc.enable()
            _export(s, req, jsonl)
            return
        result = s.run(req)
    from search import render

    if as_json:
        click.echo(render.result_json(result))
    else:
        _out(render.results_text(result, render.Style(_color()), limit))


def _export(s, req, jsonl: bool) -> None:
    """Every hit, one line each, written as it is read (--page and --limit do not apply)."""
    from search import render

    for line in render.export_lines(s, req, jsonl):
        click.echo(line)


def _open(index_dir: str | None):
    from indexer.store import index_dir as resolve
    from indexer.store import open_index

    return open_index(resolve(index_dir))


# --- extract, show, stats, facets, similar ---------------------------------------------------

@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--explain", is_flag=True, help="Show which rule or tag gave each field.")
@click.option("--outlets", "outlet_files", multiple=True, type=click.Path(dir_okay=False),
              help="Extra outlet evidence file (TOML).")
@click.option("--max-size", default="50M", show_default=True, metavar="SIZE")
@friendly
def extract(file, as_json, explain, outlet_files, max_size) -> None:
    """Clean one FILE and show its metadata and body; writes nothing."""
    from indexer.extraction import outlets
    from indexer.extraction.extract import SkipFile, extract_file
    from indexer.extraction.records import is_container
    from search import render

    outlets.configure(list(outlet_files))
    if is_container(file):
        raise NewsdexError(f"{file} holds many articles (a web archive or JSON feed): index it "
                           f"and use 'newsdex show ID' for one of them")
    try:
        article = extract_file(file, parse_size(max_size))
    except SkipFile as e:
        raise NewsdexError(f"{file}: {e}") from None
    if as_json:
        data = article.to_json()
        if explain:
            data["explain"] = article.explain
        click.echo(render.json_text(data, indent=2))
        return
    style = render.Style(_color())
    lines = [style.bold(render.one_line(article.title) or "(no title)")]
    for label, value in (("Authors", ", ".join(article.authors)), ("Outlet", article.outlet),
                         ("Published", article.published), ("Dateline", article.dateline)):
        rule = article.explain.get(label.lower())
        suffix = f"  [{rule}]" if explain and rule else ""
        lines.append(f"{label + ':':<11}{render.one_line(value) or '-'}{suffix}")
    if explain and article.title:
        lines.append(f"{'Title:':<11}[{article.explain.get('title', '')}]")
    lines += ["", render.safe(article.body), ""]
    lines.append(style.dim(f"Removed {len(article.removed)} lines:"))
    lines += [style.dim(f"  - {render.one_line(r)}") for r in article.removed]
    _out("\n".join(lines))


@main.command()
@click.argument("doc_id", metavar="ID")
@index_option
@click.option("--json", "as_json", is_flag=True)
@click.option("--raw", is_flag=True, help="Print the original file instead.")
@friendly
def show(doc_id, index_dir, as_json, raw) -> None:
    """Print one indexed article: metadata and cleaned body."""
    if raw:  # the original, without loading the search stack: one look-up and a seek
        click.echo(_original(doc_id, index_dir), nl=False)
        return
    from search import article, render
    from search.searcher import Search

    with Search(_open(index_dir)) as s:
        data = article.record(s, doc_id)
    if as_json:
        click.echo(render.json_text(data, indent=2))
        return
    _out(render.article_text(data, render.Style(_color())))


def _original(doc_id: str, index_dir: str | None) -> str:
    """The file (or archive record) an article was read from, as `show --raw` prints it."""
    from indexer.extraction.records import original
    from indexer.store import file_state

    # The stored path is printable; the file's real name (bytes and all) is in its state.
    state = file_state(_open(index_dir), doc_id)
    if state is None:
        raise NewsdexError(f"no article with id {doc_id} in this index")
    return original(state.path)


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True)
@friendly
def stats(index_dir, as_json) -> None:
    """Documents, outlets, authors, date range and size of the index."""
    from indexer.store import index_dir as resolve
    from search import render
    from search.stats import collect, text

    folder = resolve(index_dir)
    data = collect(_open(index_dir), folder)
    if as_json:
        click.echo(render.json_text(data, indent=2))
        return
    click.echo(text(data))


@main.command()
@click.argument("field", type=click.Choice(["outlet", "author", "year", "month", "dateline",
                                            "language"]))
@click.argument("query", nargs=-1)
@index_option
@click.option("--prefix", default="", help="Only values starting with this (any case).")
@filter_options
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many values.")
@click.option("--json", "as_json", is_flag=True)
@friendly
def facets(field, query, index_dir, prefix, outlets, authors, since, until, limit,
           as_json) -> None:
    """Every value of a facet FIELD with its count, for all articles or those matching QUERY.

    Values sort by count, then name; year and month by date (a histogram)."""
    from search import render
    from search.query import parse_date
    from search.searcher import Request, Search

    for value in (since, until):
        if value:
            parse_date(value)
    req = Request(query=" ".join(query) or "*", outlets=list(outlets), authors=list(authors),
                  since=since, until=until)
    with Search(_open(index_dir)) as s:
        items = s.facet_values(req, field, prefix, limit)
    if as_json:
        click.echo(render.json_text(render.facet_values_json(items)))
        return
    _out("\n".join(render.facets_text({field: items}, render.Style(_color()))))


@main.command()
@click.argument("doc_id", metavar="ID")
@index_option
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@friendly
def similar(doc_id, index_dir, limit, as_json) -> None:
    """Articles most like the article ID (more-like-this on its body)."""
    from search import render
    from search.article import similar_result
    from search.searcher import Search

    with Search(_open(index_dir)) as s:
        result = similar_result(s, doc_id, limit)
    if as_json:
        click.echo(render.result_json(result))
    else:
        _out(render.results_text(result, render.Style(_color()), limit))


# --- serve -----------------------------------------------------------------------------------

@main.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="Address to listen on; any but loopback lets others read the archive.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
@friendly
def serve(index_dir, host, port, open_browser) -> None:
    """Browse and search the index in a web browser (local, read-only)."""
    from indexer.store import index_dir as resolve
    from web.server import serve as run_server

    run_server(resolve(index_dir), host, port, open_browser)
