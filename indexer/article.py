"""The Article: what extraction produces from one file and what the index writer stores."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Article:
    path: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    published_source: str | None = None
    dateline: str | None = None
    body: str = ""
    url: str | None = None  # a web archive record's or a feed object's URL
    language: str | None = None  # ISO 639-1 code ("de"), given by markup or feed, or detected
    removed: list[str] = field(default_factory=list)
    # For `extract --explain`: which rule or tag gave each field.
    explain: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("explain")
        return data
