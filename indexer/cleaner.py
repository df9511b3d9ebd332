"""Cleaning scraped text: sort every line into article text or boilerplate, and rejoin fragments.

Lines are judged by their form and position, never by a single word: "Copyright ©2022 Dow Jones &
Company, Inc." is a footer, "The publisher sued for copyright infringement in 2019." is news.
Each removed line keeps its kind ("ad", "photo-credit", "write-to", ...) because several of them
carry metadata (bylines, outlets, dates) that indexer/metadata.py reads afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer import bylines

BODY = "body"
TITLE = "title"


@dataclass
class Line:
    text: str
    kind: str = BODY


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{pattern})$", re.I)


# Lines that are boilerplate whatever their position. Matched against the whole stripped line.
_FIXED = [
    ("ad", _full(r"\[/?ad_?\d*\]|advertisement|advertisements?:?|sponsored( content)?|adchoices")),
    ("ad", _full(r"(story|article) continues (below|after)( (the )?(advertisement|ad))?|"
                 r"continue reading (below|the main story)|scroll (down )?to continue( reading)?")),
    ("comment-form", _full(
        r"leave a (reply|comment)|cancel reply|post (a )?comment|comments?|\d+ comments?|"
        r"you must be logged in to post a comment\.?|log ?in to (comment|reply)|"
        r"your email address will not be published\.?( required fields are marked \*)?|"
        r"required fields are marked \*|(name|email|website|comment) ?\*?|"
        r"save my name, email, and website in this browser for the next time i comment\.?|"
        r"join the conversation|view comments|show comments|be the first to comment\.?")),
    ("embed", _full(r"(video|audio|podcast) embed|embedded (video|content)|"
                    r"listen to this article.{0,20}|watch( the)? video|play video|"
                    r"this video can not be played|loading video|\d+:\d\d")),
    ("share", _full(
        r"share( this( article| story)?)?( on \w+)?:?|share via.*|tweet|email|print|copy link|"
        r"(share|post) (on|to) (facebook|twitter|x|linkedin|whatsapp|reddit)|"
        r"follow (us|me) on .{1,40}|follow @\w+.*|like us on facebook.*|"
        r"(facebook|twitter|linkedin|whatsapp|reddit|pinterest|email)( (facebook|twitter|"
        r"linkedin|whatsapp|reddit|pinterest|email))*")),
    ("click-here", re.compile(r"^(click|tap) here\b.{0,120}$", re.I)),
    ("related", re.compile(
        r"^(read more|more|related( coverage| stories| articles| content)?|recommended|"
        r"see also|also read|read also|more from .{1,40}|most read|trending|read next|"
        r"further reading|also see|watch|listen|more on this story|explore more)"
        r"\s*[:|»>–—-].{0,250}$",
        re.I)),
    ("reporting", re.compile(
        r"^\(?\s*(additional )?(reporting|writing|editing|compiled|research) by\b.{0,300}$", re.I)),
    ("write-to", re.compile(r"^write to .{2,120}\S+@\S+\s*$", re.I)),
    ("contact", re.compile(r"^(contact|email|e-mail|reach)( the (author|reporter|writer))?"
                           r"( at)?:?\s*\S+@\S+\.\w+\.?$", re.I)),
    ("source", re.compile(r"^(source|sources|via)\s*:\s*.{2,80}$", re.I)),
    ("newsletter", re.compile(
        r"^(?=.{0,200}$)(?=.*\b(sign up|subscribe|get (our|the)|delivered|register)\b)"
        r"(?=.*\b(newsletter|inbox|e-?mail|briefing|alerts?|updates)\b).*$", re.I)),
]

_COPYRIGHT = re.compile(
    r"^(copyright\s*(©|\(c\))?|©|\(c\))\s*(\d{4}\b|[A-Z].{0,80}\ball rights reserved)"
    r"|^.{0,120}\ball rights reserved\b.{0,60}$", re.I)
_DATEINFO = re.compile(
    r"^(published|updated|posted|last updated|first published|originally published|"
    r"modified|date)(\s+(on|at))?\s*:?\s*(?=.*(\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
    r".{3,80}$", re.I)
_PHOTO_LABEL = re.compile(r"^(photo|photos|image|picture|photograph|graphic|credit|"
                          r"photo credit|image credit|illustration)\s*:\s*(.{0,160})$", re.I)
_AGENCY = (r"getty images|reuters|ap|afp|epa(-efe)?|associated press|agence france-presse|"
           r"bloomberg|shutterstock|alamy|zuma( press| wire)?|sipa( usa)?|nurphoto|pool|"
           r"anadolu( agency)?|pa( wire| images)?|rex features|tass|xinhua|imago|istock|"
           r"the washington post|the new york times|wsj|ap images|ddp|dpa|handout")
_CREDIT = re.compile(
    rf"^\(?\s*(\w[\w .'’-]{{0,40}}/)*\s*({_AGENCY})(\s+(photo|images?|via getty images))?"
    rf"(\s*/\s*[\w .'’-]{{1,40}})*\s*\)?\.?$"
    rf"|^\(\s*(ap|afp|reuters|epa|getty) photo\s*/[^)]{{1,60}}\)\.?$"
    rf"|^[\w .'’-]{{2,60}}\s+(for|via) ({_AGENCY}|the \w+( \w+)?)\.?$",
    re.I)
_TERMINAL = ('.', '!', '?', '"', '”', '’', "'", ')', '…', ':')


def classify(text: str, title: bool = True) -> list[Line]:
    """Every line of a scraped article with its kind; blank lines come back as kind "blank".

    `title=False` for text whose headline is known from elsewhere (an HTML page's markup).
    """
    lines = [Line(raw.strip()) for raw in text.split("\n")]
    for line in lines:
        line.kind = _kind_alone(line.text)
    _mark_photo_credits(lines)
    _mark_header(lines, title)
    return lines


def _kind_alone(text: str) -> str:
    if not text:
        return "blank"
    for kind, pattern in _FIXED:
        if pattern.match(text):
            return kind
    if _COPYRIGHT.match(text) and len(text.split()) <= 30:
        return "copyright"
    if _DATEINFO.match(text) and not text.endswith((".", "!", "?")) or (
        _DATEINFO.match(text) and len(text.split()) <= 8
    ):
        return "dateinfo"
    if _PHOTO_LABEL.match(text):
        return "photo"
    if _CREDIT.match(text) and len(text.split()) <= 14:
        return "photo-credit"
    if is_teaser(text):
        return "teaser"
    return BODY


def is_teaser(text: str) -> bool:
    """An all-caps line such as "PENTAGON: CHINA REFUSES TO TALK ...": a related-story teaser."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 12 or len(text.split()) < 3:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.9


def _mark_photo_credits(lines: list[Line]) -> None:
    # "Photo:" on its own announces a credit on the next line: "Name/Agency/Getty Images".
    for i, line in enumerate(lines):
        if line.kind != "photo" or _PHOTO_LABEL.match(line.text).group(2).strip():
            continue
        nxt = _next_content(lines, i)
        if nxt is not None and _looks_like_credit(lines[nxt].text):
            lines[nxt].kind = "photo-credit"


def _looks_like_credit(text: str) -> bool:
    words = text.split()
    return len(words) <= 12 and not text.endswith(".") and ("/" in text or _CREDIT.match(text))


def _next_content(lines: list[Line], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].kind != "blank":
            return j
    return None


def _mark_header(lines: list[Line], title: bool) -> None:
    """Title and byline lines, which only exist at the top of an article."""
    content = [i for i, line in enumerate(lines) if line.kind not in ("blank",)]
    first_body = [i for i in content if lines[i].kind == BODY]
    if not first_body:
        return
    head = first_body[0]
    if title and is_headline(lines[head].text) and _has_body_after(lines, head):
        lines[head].kind = TITLE
    # Bylines sit in the first few lines, between title and text.
    seen = 0
    for i in content:
        if lines[i].kind == TITLE:
            continue
        if lines[i].kind == BODY:
            if bylines.is_byline(lines[i].text, after_title=_title_before(lines, i)):
                lines[i].kind = "byline"
            else:
                seen += 1
        if seen >= 1:
            break


def _title_before(lines: list[Line], i: int) -> bool:
    return any(line.kind == TITLE for line in lines[:i])


def _has_body_after(lines: list[Line], i: int) -> bool:
    return sum(1 for line in lines[i + 1:] if line.kind == BODY) >= 1


def is_headline(text: str) -> bool:
    """A line that reads as a headline: title-like length, no final period, not a byline."""
    words = text.split()
    if not 3 <= len(words) <= 30 or len(text) > 220:
        return False
    if text.endswith((".", ",", ";", ":")) and not text.endswith("..."):
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "‘'\"“"):
        return False
    return not bylines.is_byline(text, after_title=False)


def body_paragraphs(lines: list[Line]) -> list[str]:
    """The article's paragraphs, with fragments left by dropped links rejoined."""
    paragraphs: list[str] = []
    current: str | None = None
    for line in lines:
        if line.kind == "blank":
            continue
        if line.kind != BODY:
            continue
        text = line.text
        if current is not None and _continues(current, text):
            current = f"{current} {text}"
            continue
        if current is not None:
            paragraphs.append(current)
        current = text
    if current is not None:
        paragraphs.append(current)
    return paragraphs


def _continues(previous: str, text: str) -> bool:
    """Whether `text` is the rest of the sentence `previous` broke off (a dropped hyperlink)."""
    if previous.endswith(_TERMINAL):
        return False
    first = text[0]
    if first.islower() or first in ",;:)]–—’":
        return True
    # A bare name on its own line, left by a dropped link: "Kremlin spokesman" / "Dmitry Peskov,".
    return bylines.is_name_fragment(text)


def removed_lines(lines: list[Line]) -> list[str]:
    """Every line taken out of the body, in order (title and byline count as taken out)."""
    return [line.text for line in lines if line.kind not in (BODY, "blank")]
