"""`newsdex serve`: a local, read-only web view over the library calls the CLI makes.

Pages: the search page (query, results, facets, timeline), a facet's full list, an article.
The JSON API under /api/ returns the CLI's --json objects, made by the same functions; the
exports are the CLI's --csv and --jsonl writers. Nothing here searches by itself.

Safety: only GET and HEAD; every value reaches HTML through Jinja2's autoescaping (snippet
markers become <mark> after escaping); articles are addressed by id only, never by path; raw
files go out as text/plain; every response carries a Content-Security-Policy that allows only
this server's own script and style files.

Requests are handled one at a time on the event loop (the handlers are `async` and do not
await): one user, one open searcher, no locks.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request as HttpRequest
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from indexer.errors import NewsdexError
from indexer.store import open_index
from search import article, render, stats
from search.facets import FACETS
from search.query import QueryError
from search.searcher import MARK_END, MARK_START, Search
from search.timeline import timeline
from web.chart import chart, colour
from web.security import Guard
from web.state import QUERY_FIELDS, View

HERE = Path(__file__).parent
ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Facets counted for the sidebar: all but month, which the timeline shows (a month's list is
# one click away, on its facet page); a facet less to count on every page.
SIDEBAR = [f for f in FACETS if f != "month"]
SIMILAR = 5


class Archive:
    """The open index; reopened when a newer commit appears (an indexer ran meanwhile)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.search = Search(open_index(folder))

    def current(self) -> Search:
        # The old searcher is left to the garbage collector: an export may still be reading it.
        if not self.search.searcher.up_to_date():
            self.search = Search(open_index(self.folder))
        return self.search


def create_app(folder: str, allowed_hosts: list[str] | None = None):
    """The ASGI app over the index at folder; allowed_hosts: Host names answered (None: any)."""
    archive = Archive(folder)
    pages = Pages(archive, _templates())
    routes = [
        Route("/", pages.search_page),
        Route("/facet/{name}", pages.facet_page),
        Route("/article/{doc_id}", pages.article_page),
        Route("/article/{doc_id}/raw", pages.raw),
        Route("/article/{doc_id}/related", pages.related),
        Route("/timeline.csv", pages.timeline_csv),
        Route("/export.csv", pages.export),
        Route("/export.jsonl", pages.export),
        Route("/api/search", pages.api_search),
        Route("/api/facets/{name}", pages.api_facets),
        Route("/api/show/{doc_id}", pages.api_show),
        Route("/api/similar/{doc_id}", pages.api_similar),
        Route("/api/stats", pages.api_stats),
        Route("/api/timeline", pages.api_timeline),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={404: pages.not_found})
    return Guard(app, allowed_hosts)


async def favicon(request: HttpRequest) -> Response:
    """Browsers ask for /favicon.ico on pages without an icon link (raw files, JSON)."""
    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["snippet"] = snippet_html
    env.filters["clean"] = render.one_line
    env.globals["colour"] = colour
    return env


def snippet_html(text: str) -> Markup:
    """A snippet with its matches in <mark>: escaped first, markers replaced after."""
    escaped = str(escape(render.safe(text.replace(MARK_START, "\ue000").replace(
        MARK_END, "\ue001"))))
    return Markup(escaped.replace("\ue000", "<mark>").replace("\ue001", "</mark>"))


def _api(handler):
    """A JSON handler's errors as JSON: a bad query or value 400, an unknown id 404, each with
    the message the CLI prints."""

    @functools.wraps(handler)
    async def wrapper(self, request: HttpRequest) -> Response:
        try:
            return await handler(self, request)
        except QueryError as e:
            return _json_error(str(e), 400)
        except NewsdexError as e:
            return _json_error(str(e), 404)

    return wrapper


class Pages:
    def __init__(self, archive: Archive, env: Environment) -> None:
        self.archive = archive
        self.env = env

    def html(self, template: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(template).render(**context), status_code=status)

    # -- the search page -------------------------------------------------------------------

    async def search_page(self, request: HttpRequest) -> Response:
        s = self.archive.current()
        documents = s.reader.doc_count()
        try:
            view = View.from_params(request.query_params)
        except QueryError as e:
            view = View(q=request.query_params.get("q", ""))
            return self.html("search.html", 400, view=view, error=str(e), documents=documents)
        try:
            result = s.run(view.request(SIDEBAR))
            tl = timeline(s, view.request([]))
        except QueryError as e:
            return self.html("search.html", 400, view=view, error=str(e), documents=documents)
        return self.html(
            "search.html", view=view, result=result, documents=documents,
            header=render.header(result, view.limit), facets=result.facets,
            timeline=tl, chart=chart(tl, view.narrowed), pages=_pages(result, view),
            first=(view.page - 1) * view.limit + 1, more_facets=_more_links(result, view))

    async def facet_page(self, request: HttpRequest) -> Response:
        name = request.path_params["name"]
        if name not in FACETS:
            raise HTTPException(404)
        s = self.archive.current()
        prefix = request.query_params.get("prefix", "")
        try:
            view = View.from_params(request.query_params)
            items = s.facet_values(view.request(), name, prefix)
        except QueryError as e:
            return self.html("facet.html", 400, name=name, view=View(), prefix=prefix,
                             items=[], error=str(e))
        return self.html("facet.html", name=name, view=view, prefix=prefix, items=items,
                         error=None, back=view.url())

    # -- an article ------------------------------------------------------------------------

    async def article_page(self, request: HttpRequest) -> Response:
        s = self.archive.current()
        try:
            data = article.record(s, self.doc_id(request))
        except NewsdexError:
            raise HTTPException(404) from None
        sources = {k[:-len("_source")]: v for k, v in data.items()
                   if k.endswith("_source") and v}
        paragraphs = [p for p in render.safe(data.get("body")).split("\n") if p.strip()]
        return self.html("article.html", a=data, sources=sources, paragraphs=paragraphs,
                         back=_back(request))

    async def related(self, request: HttpRequest) -> Response:
        """An article's similar articles and syndicated copies: a page of its own, which the
        article page's script loads into it (more-like-this takes a while on a large archive;
        the article shows at once)."""
        s = self.archive.current()
        doc_id = self.doc_id(request)
        try:
            data = article.record(s, doc_id)
            near = s.similar(doc_id, article.COPY_CANDIDATES)
        except NewsdexError:
            raise HTTPException(404) from None
        return self.html("related.html", a=data, similar=near[:SIMILAR],
                         copies=article.copies(s, doc_id, near), back=_back(request))

    async def raw(self, request: HttpRequest) -> Response:
        s = self.archive.current()
        try:
            text = article.raw_text(s, self.doc_id(request))
        except NewsdexError as e:
            status = 404 if "no article" in str(e) else 410
            return PlainTextResponse(str(e) + "\n", status_code=status)
        return PlainTextResponse(text)

    @staticmethod
    def doc_id(request: HttpRequest) -> str:
        doc_id = request.path_params["doc_id"]
        if not ID.fullmatch(doc_id):
            raise HTTPException(404)
        return doc_id

    # -- timeline and exports --------------------------------------------------------------

    @_api
    async def timeline_csv(self, request: HttpRequest) -> Response:
        tl = self.timeline(request)
        return Response("\n".join(tl.csv_lines()) + "\n", media_type="text/csv; charset=utf-8",
                        headers=_attachment("newsdex-timeline.csv"))

    @_api
    async def api_timeline(self, request: HttpRequest) -> Response:
        return _json(render.json_text(self.timeline(request).to_json()))

    def timeline(self, request: HttpRequest):
        return timeline(self.archive.current(), View.from_params(request.query_params).request([]))

    @_api
    async def export(self, request: HttpRequest) -> Response:
        req = View.from_params(request.query_params).request([], snippets=False)
        jsonl = request.url.path.endswith(".jsonl")
        # Its own searcher: a long export reads on while other pages are served.
        s = Search(open_index(self.archive.folder))
        try:
            s.parse(req.query)
        except QueryError:
            s.close()
            raise

        async def lines():
            try:
                for line in render.export_lines(s, req, jsonl):
                    yield line + "\n"
            finally:
                s.close()

        kind = "application/x-ndjson" if jsonl else "text/csv"
        return StreamingResponse(lines(), media_type=f"{kind}; charset=utf-8",
                                 headers=_attachment("newsdex." + ("jsonl" if jsonl else "csv")))

    # -- the JSON API: the CLI's --json objects --------------------------------------------

    @_api
    async def api_search(self, request: HttpRequest) -> Response:
        req = View.from_params(request.query_params).request()
        if any(f not in FACETS for f in req.facets):
            raise QueryError(f"facet must be one of {', '.join(FACETS)}")
        req.facet_limit = _positive(request.query_params, "facet_limit")
        return _json(render.result_json(self.archive.current().run(req)))

    @_api
    async def api_facets(self, request: HttpRequest) -> Response:
        name = request.path_params["name"]
        if name not in FACETS:
            return _json_error(f"no facet {name!r}: one of {', '.join(FACETS)}", 404)
        params = request.query_params
        # `limit` here is the number of values (`newsdex facets --limit`), not a page size.
        view = View.from_params(QueryParams([(k, v) for k, v in params.multi_items()
                                             if k != "limit"]))
        items = self.archive.current().facet_values(view.request(), name,
                                                    params.get("prefix", ""),
                                                    _positive(params, "limit"))
        return _json(render.json_text(render.facet_values_json(items)))

    @_api
    async def api_show(self, request: HttpRequest) -> Response:
        data = article.record(self.archive.current(), self.doc_id(request))
        return _json(render.json_text(data, indent=2))

    @_api
    async def api_similar(self, request: HttpRequest) -> Response:
        limit = View.from_params(request.query_params).limit
        result = article.similar_result(self.archive.current(), self.doc_id(request), limit)
        return _json(render.result_json(result))

    @_api
    async def api_stats(self, request: HttpRequest) -> Response:
        s = self.archive.current()
        return _json(render.json_text(stats.collect(s.ix, self.archive.folder), indent=2))

    # -- errors ----------------------------------------------------------------------------

    async def not_found(self, request: HttpRequest, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return _json_error("not found", 404)
        return self.html("error.html", 404, message="Not found",
                         detail="There is no page or article at this address.")


def _back(request: HttpRequest) -> str:
    """Where "← results" leads: the search page URL the article was opened from (a local
    path only, never another site)."""
    back = request.query_params.get("back", "")
    return back if back == "/" or back.startswith("/?") else "/"


def _positive(params, name: str) -> int | None:
    value = params.get(name)
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise QueryError(f"{name} must be a whole number from 1, not {value!r}")
    return int(value)


def _json(text: str, status: int = 200) -> Response:
    return Response(text + "\n", status_code=status, media_type="application/json")


def _json_error(message: str, status: int) -> Response:
    return _json(render.json_text({"error": message}), status)


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _pages(result, view: View) -> list[tuple[str, str | None]]:
    """The pager: (label, url or None for the current page), a window around this page."""
    last = max(1, -(-result.total // view.limit))
    shown = sorted({1, last, *range(max(1, view.page - 2), min(last, view.page + 2) + 1)})
    out: list[tuple[str, str | None]] = []
    if view.page > 1:
        out.append(("‹ previous", view.url(page=view.page - 1)))
    before = 0
    for n in shown:
        if before and n > before + 1:
            out.append(("…", None))
        out.append((str(n), None if n == view.page else view.url(page=n)))
        before = n
    if view.page < last:
        out.append(("next ›", view.url(page=view.page + 1)))
    return out if last > 1 else []


def _more_links(result, view: View) -> dict[str, str]:
    """Each facet's link to its full list (with the prefix filter)."""
    return {name: view.url(f"/facet/{name}") for name in FACETS
            if name in QUERY_FIELDS or name in ("outlet", "author")
            or len(result.facets.get(name, [])) >= 10}
