"""A generated news archive for the search tests: 240 articles, six outlets, 18 authors, 2009-2023.

Every article, outlet and person here is invented for the tests. The generator is deterministic
(one seeded random.Random): the same files come out on every run and every machine, so tests can
assert exact hits and counts. Articles are written the way scrapers leave them: plain text with ad
shortcodes, share lines, bylines, "Published ..." lines, wire datelines, copyright and "Write to"
footers; about a quarter are saved HTML pages (OpenGraph meta or JSON-LD). Outlets are made up, so
the archive comes with its own outlet evidence file (`outlets.toml`, passed to `newsdex index
--outlets`).

Dates come at every precision the indexer knows: a day (path, "Published" line, page meta), a month
(a YYYY/MM/ folder), a year (a copyright footer alone), and none at all.

Three stories are syndicated: the same body under several outlets, once verbatim, once with a new
headline and an added paragraph, once with a sentence dropped and a word changed. `Doc.story`
names a document's story; every other document is its own.

The oracle the tests use is the generated text itself (`Doc.text`): which article holds which word
is known before anything is indexed.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

SEED = 5
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SEASONS = ["spring", "summer", "autumn", "winter"]
PLACES = ["Lisbon", "Porto", "Halifax", "Bergen", "Cork", "Aberdeen", "Gdansk", "Montréal",
          "Québec City", "Valparaíso", "Tallinn", "Rotterdam", "Antwerp", "Galway"]
DATELINES = ["LISBON", "PORTO", "HALIFAX", "BERGEN", "CORK", "ABERDEEN", "GDANSK", "TALLINN"]
PEOPLE = ["Marta Lindgren", "Peter Osei", "Carmen Ruiz", "Ivo Petrov", "Aline Dubois",
          "Tariq Hamdan", "Olga Berg", "Sean Gallagher", "Mei Chen", "Françoise Ménard",
          "Rafael Moreno", "Anna Kowal", "Declan Byrne", "Ingrid Solberg"]


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str
    style: str  # how its files look: gazette, ledger, wire, courier (text); og, jsonld (HTML)
    folder: str
    authors: tuple[str, ...]


OUTLETS = [
    Outlet("Harbor Gazette", "harborgazette.com", "gazette", "harbor-gazette",
           ("Ruth K. Abernathy", "Simon Hale", "Marcus Webb")),
    Outlet("The Prairie Ledger", "prairieledger.com", "ledger", "prairie-ledger",
           ("Simone Okafor", "Dale Kowalczyk", "Priya Raman")),
    Outlet("Tidewire", "tidewire.net", "wire", "tidewire",
           ("José Martínez", "Hannah Brandt", "Tomasz Nowak")),
    Outlet("Coastal Courier", "coastalcourier.org", "courier", "coastal-courier",
           ("Grace Ellery", "Simeon Barlow", "Owen Pryce")),
    Outlet("Le Courrier de Montréal", "courriermontreal.ca", "og", "courrier",
           ("Zoë Lindqvist", "Élodie Tremblay", "Luc Gagnon")),
    Outlet("Valley Sentinel", "valleysentinel.com", "jsonld", "valley-sentinel",
           ("Nadia Farouk", "Ben Castillo", "Ines Duarte")),
]
BY_NAME = {o.name: o for o in OUTLETS}

# Each topic: headlines, opening sentences and sentences only it uses. Its keywords (drill,
# sanction, ferry, ...) appear in no other topic and in no generic sentence.
TOPICS: dict[str, dict[str, list[str]]] = {
    "naval": {
        "thing": ["the naval exercises", "the drills", "the navy's plans"],
        "titles": ["Navy begins {season} drills off {place}",
                   "Frigates join joint exercises near {place}",
                   "{place} watches as warships drill offshore",
                   "Warships return to {place} after {small}-day drill"],
        "leads": ["The navy began its {season} drills on {weekday}, sending {small} frigates "
                  "into the waters off {place}.",
                  "Warships from two countries opened joint exercises near {place} on {weekday}, "
                  "officials said.",
                  "Sailors based in {place} drilled through the night on {weekday} as the fleet "
                  "tested its readiness."],
        "body": ["Officials said the drills would last {small} days and involve about {big} "
                 "sailors.",
                 "Defence Minister Rita Halvorsen said the joint exercises had been planned for "
                 "months and were aimed at no one.",
                 "Crews drilled for search-and-rescue missions as well as anti-submarine "
                 "warfare, a navy spokesman said.",
                 "The joint naval and air exercises included live firing at towed targets "
                 "{small} miles offshore.",
                 "Fishing boats were told to stay clear of the drill area until {weekday}.",
                 "Analysts said the scale of the drills was the largest since {year0}.",
                 "A second round of drilling is planned for the {season}, according to a navy "
                 "statement.",
                 "Observers from {small} countries were invited aboard the flagship for the "
                 "final day of the drills."],
    },
    "sanctions": {
        "thing": ["the sanctions", "the export rules", "the new penalties"],
        "titles": ["Lawmakers widen sanctions on {place} shipping firms",
                   "Exporters in {place} brace for new sanctions",
                   "Court upholds sanction on {place} grain trader"],
        "leads": ["The government widened its sanctions on {weekday}, adding {small} shipping "
                  "firms based in {place} to its list.",
                  "Exporters in {place} said on {weekday} that the latest sanctions had already "
                  "cost them orders."],
        "body": ["The sanctions freeze the assets of {small} companies and bar their owners "
                 "from travel.",
                 "Foreign Minister Rita Halvorsen said further sanctions were possible if talks "
                 "failed.",
                 "Two banks in {place} were sanctioned for handling payments to the blacklisted "
                 "firms.",
                 "Critics said sanctioning individual traders had done little to change policy.",
                 "An embargo on machine parts took effect on {weekday}, customs officials said.",
                 "Customs officers seized {n} crates of goods that breached the sanction rules."],
    },
    "ferries": {
        "thing": ["the ferry service", "the new fares", "the crossing timetable"],
        "titles": ["Ferry fares rise again on {place} routes",
                   "{place} ferry crossing cut to two sailings a day",
                   "New ferry for {place} harbour delayed by a year"],
        "leads": ["Ferry operators in {place} raised fares on {weekday} for the second time "
                  "this year.",
                  "The only ferry crossing to the islands off {place} will run twice a day from "
                  "{month}, its operator said."],
        "body": ["A return ticket on the ferry now costs {small} euros more than last year.",
                 "Harbour officials blamed the fare rise on fuel costs and an ageing fleet.",
                 "Commuting islanders said the ferry timetable left them stranded in the "
                 "evenings.",
                 "The new ferry, ordered in {year0}, is still in a shipyard in {place}.",
                 "The harbour master said {n} crossings had been cancelled because of storms.",
                 "Ferry passengers on the morning crossing queued for an hour on {weekday}."],
    },
    "housing": {
        "thing": ["the rent rules", "the housing plan", "the tenancy reform"],
        "titles": ["Rents in {place} climb for a fifth straight quarter",
                   "Tenants in {place} win fight over eviction notices",
                   "Landlords in {place} warn of rental shortage"],
        "leads": ["Rents in {place} rose by {pct} percent in the last quarter, a survey of "
                  "landlords found.",
                  "A tenants' group in {place} won a ruling on {weekday} that blocks {n} "
                  "eviction notices."],
        "body": ["The average monthly rent for a two-bedroom flat is now {big} euros.",
                 "Tenants said the increases had pushed families toward the suburbs.",
                 "Landlords argued that rent controls would only shrink the supply of homes.",
                 "An eviction moratorium expired in {month}, and filings rose soon after.",
                 "Housing advocates said {n} families were on the waiting list for social "
                 "housing.",
                 "The landlords' association said it would appeal the ruling."],
    },
    "wildfire": {
        "thing": ["the wildfire response", "the evacuation plan", "the fire season"],
        "titles": ["Wildfire forces evacuation of villages near {place}",
                   "Firefighters contain blaze in hills above {place}",
                   "{place} counts the cost after wildfire season"],
        "leads": ["A wildfire in the hills near {place} forced the evacuation of {small} "
                  "villages on {weekday}.",
                  "Firefighters near {place} said on {weekday} they had contained a blaze that "
                  "burned {n} hectares."],
        "body": ["More than {big} people were told to leave their homes as the wildfire spread.",
                 "Firefighters from {small} regions were sent to help, officials said.",
                 "Water-bombing planes flew until dark, but gusts pushed the blaze downhill.",
                 "Evacuation centres in schools near {place} housed families overnight.",
                 "The wildfire was the largest in the region since {year0}.",
                 "Investigators were examining whether a power line sparked the blaze."],
    },
    "election": {
        "thing": ["the election", "the ballot count", "the council vote"],
        "titles": ["Voters in {place} elect new council",
                   "{place} ballot count delayed by recount",
                   "Turnout falls in {place} council election"],
        "leads": ["Voters in {place} elected a new council on {weekday}, ending {small} years "
                  "of one-party control.",
                  "The ballot count in {place} was halted on {weekday} after observers asked for "
                  "a recount."],
        "body": ["Turnout was {pct} percent, down from the previous election.",
                 "The recount covered {n} ballots from {small} polling stations.",
                 "Council candidates campaigned mostly on housing and transport.",
                 "Election officials said the postal ballots would be counted by {weekday}.",
                 "The new council is due to hold its first session in {month}.",
                 "Young voters turned out in larger numbers than expected, exit polls showed."],
    },
    "fisheries": {
        "thing": ["the fishing quotas", "the cod stocks", "the fisheries deal"],
        "titles": ["Cod quota cut angers {place} fishermen",
                   "Trawler fleet in {place} stays in port over quota dispute",
                   "Scientists warn on cod stocks off {place}"],
        "leads": ["Fishermen in {place} said on {weekday} that a cut to the cod quota would put "
                  "{small} boats out of work.",
                  "The trawler fleet in {place} stayed in port on {weekday} in protest at the "
                  "new quotas."],
        "body": ["The quota for cod was cut by {pct} percent for next year.",
                 "Trawler owners said fuel and crew costs had doubled since {year0}.",
                 "Scientists said cod stocks had not recovered from decades of overfishing.",
                 "The fishermen's union said {n} jobs depended on the fleet.",
                 "Fish auctions in {place} reported the lowest landings on record.",
                 "A trawler was detained on {weekday} for fishing inside a closed zone."],
    },
    "rail": {
        "thing": ["the rail strike", "the railway timetable", "the new line"],
        "titles": ["Rail strike leaves {place} commuters stranded",
                   "Railway to {place} reopens after {small}-month closure",
                   "Commuters in {place} face new railway timetable"],
        "leads": ["A rail strike on {weekday} left thousands of commuters in {place} without "
                  "trains.",
                  "The railway line to {place} reopened on {weekday} after a {small}-month "
                  "closure for repairs."],
        "body": ["The railway union said the strike would continue until pay talks resumed.",
                 "Commuters crowded onto replacement buses that took {small} times as long.",
                 "The new railway timetable adds {n} trains a week but drops the last service.",
                 "Rail operators said the repairs had cost {big} euros.",
                 "Platforms in {place} were closed for most of {weekday}.",
                 "Commuters' groups said they had not been consulted on the timetable."],
    },
}

# Sentences any topic can use; {thing} names the topic ("the drills", "the rent rules").
GENERIC = [
    "{person}, who has followed the issue for {small} years, said the mood in {place} had "
    "changed.",
    "“We have heard these promises before,” said {person}, a resident of {place}.",
    "The figures were published on {weekday} in a report by the regional statistics office.",
    "Local businesses in {place} said they had not been consulted about {thing}.",
    "A spokeswoman for the regional government declined to comment on {thing}.",
    "The debate over {thing} is expected to return to parliament in {month}.",
    "Opposition politicians called for an inquiry, saying the public deserved answers.",
    "{person} said the cost of {thing} had risen by {pct} percent since {year0}.",
    "About {big} people signed a petition calling for a review of {thing}.",
    "Officials in {place} said {thing} would be reviewed after {month}.",
    "It was not immediately clear how long the measures would stay in place.",
    "{person} told reporters that a decision would come “within weeks.”",
    "The regional assembly meets again on {weekday} to discuss {thing}.",
    "Forecasters expect a mild {season}, which could ease some of the pressure.",
    "The previous plan, announced in {year0}, was abandoned after a legal challenge.",
    "Residents of {place} interviewed on {weekday} were divided over {thing}.",
    "Some said the change was overdue; others worried about what would come next.",
    "Budget papers show {pct} percent of the money will come from central government.",
    "The union representing {n} workers said it would study the details of {thing}.",
    "A survey of {n} households in {place} found that {pct} percent backed {thing}.",
    "{person}, a professor at the university in {place}, called {thing} “a gamble.”",
    "Neighbouring towns are watching closely, {person} said.",
    "The mayor of {place} said she would meet ministers in {month}.",
    "Earlier this year, {person} warned that {thing} could cost more than expected.",
    "Shops along the seafront in {place} reported fewer visitors than usual on {weekday}.",
    "The ministry said it had set aside {big} euros for the year ahead.",
    "Critics noted that similar promises had been made in {year0} and {year1}.",
    "A public meeting in {place} drew {n} people and ran past midnight.",
    "{person} said the next step would be decided by {month}.",
    "Officials promised an update on {thing} before the end of the {season}.",
    "Several families in {place} said they would wait and see.",
    "The office of the prime minister said {thing} remained a priority.",
    "{person} recalled a similar dispute in {place} in {year0} that took {small} years to settle.",
    "At a café near the town hall in {place}, {person} said nobody had explained {thing}.",
    "Records obtained by the newspaper show {n} complaints were filed between {month} and "
    "{weekday} last week.",
    "{person} estimated that {pct} percent of local firms would be affected by {thing}.",
    "The auditor's office in {place} is expected to publish its own figures in {month}.",
    "“Nobody asked us,” said {person}, who runs a bakery in {place}.",
    "Officials admitted on {weekday} that the timetable for {thing} had slipped by {small} months.",
    "A lawyer for {person} said a complaint had been lodged with the ombudsman in {month}.",
    "Trade groups in {place} said {thing} would add about {big} euros to their annual costs.",
    "{person} has asked for the minutes of every meeting on {thing} since {year1}.",
    "Schools in {place} sent letters home about {thing} on {weekday}.",
    "Student volunteers in {place} collected {n} signatures in {small} days.",
    "The chamber of commerce in {place} called {thing} “overdue but underfunded.”",
    "{person}, a retired engineer, wrote {small} letters to the ministry about {thing}.",
    "The last comparable review, in {year1}, found that {pct} percent of targets had been missed.",
    "Residents of {place} will be able to comment on {thing} online until {month}.",
    "{person} said the figures for {place} looked better than those of {year0}.",
    "The ministry's own forecast, seen by reporters, puts the cost at {big} euros by {year1}.",
]

# Interchangeable words: each article picks its own, so two articles built from one template
# share few three-word sequences (as two reporters' articles would) and are not near-duplicates.
SYNONYMS = [
    ["said", "stated", "noted", "added", "told reporters", "explained"],
    ["officials", "authorities", "administrators", "civil servants"],
    ["residents", "locals", "inhabitants", "householders"],
    ["people", "citizens", "members of the public", "residents"],
    ["expected", "likely", "due", "set"],
    ["about", "roughly", "nearly", "around", "some"],
    ["cost", "price", "bill", "expense"],
    ["review", "reassessment", "study", "audit"],
    ["called", "pressed", "pushed", "lobbied"],
    ["decision", "ruling", "verdict", "choice"],
    ["government", "administration", "cabinet", "executive"],
    ["plan", "proposal", "scheme", "blueprint"],
    ["percent", "per cent", "pc"],
    ["local", "nearby", "area", "neighbourhood"],
    ["public", "open", "town", "community"],
    ["money", "funding", "cash", "budget"],
    ["warned", "cautioned", "predicted", "feared"],
    ["weeks", "days", "months"],
    ["closely", "carefully", "anxiously", "nervously"],
    ["reported", "recorded", "logged", "described"],
    ["meeting", "session", "hearing", "gathering"],
    ["figures", "numbers", "statistics", "data"],
    ["the", "the", "the", "this", "that"],
    ["in", "in", "in", "across", "throughout"],
    ["on", "on", "on", "during", "by"],
    ["had", "had", "had", "has"],
    ["would", "will", "could", "might"],
]
_SYNONYM = {w: group for group in SYNONYMS for w in group if " " not in w}

# A paragraph a reprinting outlet adds under a syndicated story.
ADDED_PARAGRAPHS = [
    "Readers in the valley will remember the last time this happened, in {year0}, when {person} "
    "led a campaign that drew {n} people to the town square; she said this week that she was "
    "ready to do it again.",
]


@dataclass
class Doc:
    """One generated article and what the indexer should find in it."""

    rel: str  # path under the archive folder
    outlet: str
    title: str
    authors: list[str]
    published: str | None  # at the precision the file's evidence gives
    dateline: str | None
    paragraphs: list[str]
    topic: str
    story: str | None = None  # syndicated copies of one story share this name
    path: str = ""  # absolute, once written
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """What a search over title and body sees."""
        return self.title + "\n" + "\n".join(self.paragraphs)

    @property
    def year(self) -> str | None:
        return self.published[:4] if self.published else None


class _Fill(dict):
    """Template slots drawn at random; one value per slot name within a sentence."""

    def __init__(self, rng: random.Random, place: str) -> None:
        super().__init__()
        self.rng = rng
        self["place"] = place

    def __missing__(self, key: str) -> str:
        rng = self.rng
        value = {
            "person": lambda: rng.choice(PEOPLE),
            "small": lambda: str(rng.randint(2, 12)),
            "n": lambda: str(rng.randint(40, 950)),
            "big": lambda: f"{rng.randint(1, 40)},{rng.randint(0, 999):03d}",
            "pct": lambda: str(rng.randint(3, 64)),
            "weekday": lambda: rng.choice(WEEKDAYS),
            "month": lambda: rng.choice(MONTHS),
            "season": lambda: rng.choice(SEASONS),
            "year0": lambda: str(rng.randint(1988, 2004)),
            "year1": lambda: str(rng.randint(2005, 2008)),
        }[key]()
        self[key] = value
        return value


def _sentence(rng: random.Random, template: str, place: str, thing: str) -> str:
    fill = _Fill(rng, place)
    fill["thing"] = thing
    text = _vary(rng, template).format_map(fill)
    return text[0].upper() + text[1:]


def _vary(rng: random.Random, template: str) -> str:
    """The template with some plain words swapped for others of the same sense."""
    words = template.split(" ")
    for i, word in enumerate(words):
        core = word.strip(",.;:“”")
        group = _SYNONYM.get(core)
        if group and rng.random() < 0.7:
            words[i] = word.replace(core, rng.choice(group), 1)
    return " ".join(words)


def _article_text(rng: random.Random, topic: str) -> tuple[str, list[str], str]:
    """(title, paragraphs, place) for one article on topic."""
    t = TOPICS[topic]
    place = rng.choice(PLACES)
    thing = rng.choice(t["thing"])
    title = _sentence(rng, rng.choice(t["titles"]), place, thing)
    sentences = [_sentence(rng, rng.choice(t["leads"]), place, thing)]
    specific = rng.sample(t["body"], rng.randint(3, 4))
    generic = rng.sample(GENERIC, rng.randint(8, 11))
    rest = [_sentence(rng, s, place, thing) for s in specific + generic]
    rng.shuffle(rest)
    sentences += rest
    paragraphs, i = [], 0
    while i < len(sentences):
        size = 2 if i == 0 else rng.randint(1, 3)  # a lead of two sentences
        paragraphs.append(" ".join(sentences[i:i + size]))
        i += size
    return title, paragraphs, place


def _date(rng: random.Random) -> tuple[int, int, int]:
    year = rng.choice([2009, 2011, 2013, 2015, 2016, 2017, 2018, 2019, 2019, 2020, 2020, 2021,
                       2021, 2022, 2022, 2022, 2023, 2023])
    return year, rng.randint(1, 12), rng.randint(1, 28)


def _precision(outlet: Outlet, rng: random.Random) -> str:
    """Which date evidence a file of this outlet carries: day, month, year or none."""
    roll = rng.random()
    if outlet.style == "gazette":
        return "day" if roll < 0.7 else "month"
    if outlet.style == "ledger":
        return "day" if roll < 0.7 else "none"
    if outlet.style == "courier":
        return "year" if roll < 0.75 else "none"
    return "day"


def _published(ymd: tuple[int, int, int], precision: str) -> str | None:
    y, m, d = ymd
    return {"day": f"{y}-{m:02d}-{d:02d}", "month": f"{y}-{m:02d}", "year": str(y),
            "none": None}[precision]


def _slug(title: str, n: int) -> str:
    words = [w.lower().strip("'’") for w in title.replace("-", " ").split()]
    words = ["".join(c for c in w if c.isascii() and c.isalnum()) for w in words]
    return "-".join([w for w in words if w][:6]) + f"-{n:03d}"


def build() -> list[Doc]:
    """The whole archive, in memory: 235 articles plus 5 syndicated copies."""
    rng = random.Random(SEED)
    docs: list[Doc] = []
    topics = sorted(TOPICS)
    weights = [50, 45, 45, 35, 30, 26]
    for n in range(235):
        outlet = rng.choices(OUTLETS, weights)[0]
        topic = topics[n % len(topics)]
        title, paragraphs, _place = _article_text(rng, topic)
        ymd = _date(rng)
        precision = _precision(outlet, rng)
        authors = [rng.choice(outlet.authors)]
        if rng.random() < 0.15:
            second = rng.choice([a for a in outlet.authors if a != authors[0]])
            authors.append(second)
        dateline = None
        if outlet.style in ("gazette", "wire", "courier") and rng.random() < 0.6:
            dateline = rng.choice(DATELINES)
            paragraphs[0] = _with_dateline(paragraphs[0], dateline, outlet)
        elif outlet.style == "wire":
            paragraphs[0] = f"(Tidewire) — {paragraphs[0]}"
        doc = Doc(rel="", outlet=outlet.name, title=title, authors=authors,
                  published=_published(ymd, precision), dateline=dateline,
                  paragraphs=paragraphs, topic=topic, extra={"ymd": ymd, "precision": precision})
        doc.rel = _rel(outlet, doc, n)
        docs.append(doc)
    docs += _syndicated(rng, docs)
    return docs


def _with_dateline(paragraph: str, dateline: str, outlet: Outlet) -> str:
    if outlet.style == "wire":
        return f"{dateline} (Tidewire) — {paragraph}"
    return f"{dateline} — {paragraph}"


def _rel(outlet: Outlet, doc: Doc, n: int) -> str:
    y, m, d = doc.extra["ymd"]
    slug = _slug(doc.title, n)
    precision = doc.extra["precision"]
    if outlet.style == "gazette":
        if precision == "day":
            return f"{outlet.folder}/{y}/{m:02d}/{d:02d}/{slug}.txt"
        return f"{outlet.folder}/{y}/{m:02d}/{slug}.txt"
    if outlet.style == "wire":
        return f"{outlet.folder}/{y}{m:02d}{d:02d}-{slug}.txt"
    if outlet.style in ("og", "jsonld"):
        return f"{outlet.folder}/{slug}.html"
    return f"{outlet.folder}/{slug}.txt"


def _syndicated(rng: random.Random, docs: list[Doc]) -> list[Doc]:
    """Copies of three stories, each in other outlets, some edited."""
    wire = [d for d in docs if d.outlet == "Tidewire"]
    gazette = [d for d in docs if d.outlet == "Harbor Gazette" and d.published
               and len(d.published) == 10]
    copies: list[Doc] = []

    # Story 1: a wire story reprinted verbatim by two outlets, under their own headlines.
    original = wire[3]
    original.story = "verbatim"
    copies.append(_copy(original, "Harbor Gazette", "Wire report: " + original.title, 1))
    copies.append(_copy(original, "Coastal Courier", original.title, 2))

    # Story 2: a new headline and an added paragraph in one copy, a page copy of another.
    original = wire[10]
    original.story = "edited"
    added = _sentence(rng, ADDED_PARAGRAPHS[0], "the valley", "")
    copies.append(_copy(original, "The Prairie Ledger", "Our region feels the effects",
                        3, paragraphs=[*original.paragraphs, added]))
    copies.append(_copy(original, "Valley Sentinel", original.title, 4))

    # Story 3: a page copy with a sentence dropped and one word changed.
    original = gazette[5]
    original.story = "trimmed"
    paragraphs = [p for p in original.paragraphs]
    last = paragraphs[-1].split(". ")
    paragraphs[-1] = ". ".join(last[:-1]) + "." if len(last) > 1 else paragraphs[-1]
    if len(last) <= 1:
        paragraphs.pop()
    paragraphs[1] = paragraphs[1].replace(" the ", " this ", 1)
    copies.append(_copy(original, "Le Courrier de Montréal", original.title, 5,
                        paragraphs=paragraphs))
    return copies


def _copy(original: Doc, outlet_name: str, title: str, n: int,
          paragraphs: list[str] | None = None) -> Doc:
    outlet = BY_NAME[outlet_name]
    y, m, d = original.extra["ymd"]
    # A reprint carries its own date evidence: the same day, at its outlet's usual precision.
    precision = {"courier": "year", "ledger": "day"}.get(outlet.style, "day")
    doc = Doc(rel="", outlet=outlet.name, title=title, authors=list(original.authors),
              published=_published((y, m, d), precision), dateline=original.dateline,
              paragraphs=list(paragraphs or original.paragraphs), topic=original.topic,
              story=original.story, extra={"ymd": (y, m, d), "precision": precision})
    doc.rel = _rel(outlet, doc, 900 + n)
    return doc


# --- writing files ---------------------------------------------------------------------------

def render(doc: Doc) -> str:
    outlet = BY_NAME[doc.outlet]
    return {"gazette": _gazette, "ledger": _ledger, "wire": _wire, "courier": _courier,
            "og": _og_page, "jsonld": _jsonld_page}[outlet.style](doc, outlet)


def _byline(doc: Doc) -> str:
    return "By " + " and ".join(doc.authors)


def _with_junk(paragraphs: list[str], junk: list[str]) -> list[str]:
    """Paragraphs with a boilerplate line after the second (a scraper's leftovers)."""
    out = list(paragraphs[:2]) + junk + list(paragraphs[2:])
    return out


def _gazette(doc: Doc, outlet: Outlet) -> str:
    y = doc.extra["ymd"][0]
    lines = ["[ad_1]", doc.title, _byline(doc),
             *_with_junk(doc.paragraphs, ["Advertisement"]),
             f"Copyright © {y} Harbor Gazette Media. All rights reserved.", "[ad_2]",
             "Leave a Reply"]
    return "\n".join(lines) + "\n"


def _ledger(doc: Doc, outlet: Outlet) -> str:
    y, m, d = doc.extra["ymd"]
    lines = [doc.title, _byline(doc)]
    if doc.published:
        lines.append(f"Published {MONTHS[m - 1]} {d}, {y}")
    lines += _with_junk(doc.paragraphs, ["Share this article"])
    for author in doc.authors:
        first, *_, last = author.split()
        lines.append(f"Write to {author} at {first.lower()}.{last.lower()}@{outlet.domain}")
    return "\n".join(lines) + "\n"


def _wire(doc: Doc, outlet: Outlet) -> str:
    lines = [doc.title, _byline(doc), *_with_junk(doc.paragraphs, ["Video Embed"])]
    return "\n".join(lines)  # some scrapes end without a newline


def _courier(doc: Doc, outlet: Outlet) -> str:
    lines = ["[ad_1]", doc.title, _byline(doc), *_with_junk(doc.paragraphs, ["Advertisement"]),
             "CLICK HERE TO READ MORE FROM THE COASTAL COURIER"]
    if doc.published:
        lines.append(f"Copyright {doc.published} Coastal Courier. All rights reserved.")
    lines.append("[ad_2]")
    return "\n".join(lines) + "\n"


def _page(doc: Doc, outlet: Outlet, head: str, byline: str) -> str:
    e = html.escape
    paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in doc.paragraphs)
    return f"""<!doctype html>
<html><head><meta charset="utf-8">
<title>{e(doc.title)} | {e(outlet.name)}</title>
{head}
</head><body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/news">News</a>
<a href="/sport">Sport</a></nav></header>
<main><article>
<h1>{e(doc.title)}</h1>
<p class="byline">{e(byline)}</p>
<div class="article-body" itemprop="articleBody">
{paragraphs}
</div>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Markets close lower</a></li>
<li><a href="/b">Weekend weather outlook</a></li></ul></aside>
</main>
<footer class="site-footer">© {doc.extra["ymd"][0]} {e(outlet.name)}. Tous droits réservés.
</footer></body></html>
"""


def _og_page(doc: Doc, outlet: Outlet) -> str:
    e = html.escape
    y, m, d = doc.extra["ymd"]
    head = "\n".join([
        f'<meta property="og:title" content="{e(doc.title)}">',
        f'<meta property="og:site_name" content="{e(outlet.name)}">',
        f'<meta name="author" content="{e(" and ".join(doc.authors))}">',
        f'<meta property="article:published_time" content="{y}-{m:02d}-{d:02d}T08:30:00Z">',
    ])
    return _page(doc, outlet, head, _byline(doc))


def _jsonld_page(doc: Doc, outlet: Outlet) -> str:
    y, m, d = doc.extra["ymd"]
    data = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": doc.title,
        "author": [{"@type": "Person", "name": a} for a in doc.authors],
        "datePublished": f"{y}-{m:02d}-{d:02d}T06:00:00-05:00",
        "publisher": {"@type": "Organization", "name": outlet.name},
    }
    head = ('<script type="application/ld+json">'
            + json.dumps(data, ensure_ascii=False) + "</script>")
    return _page(doc, outlet, head, _byline(doc))


OUTLETS_TOML = "".join(
    f'[[outlet]]\nname = "{o.name}"\ndomains = ["{o.domain}"]\n'
    + ('wire = ["Tidewire"]\n' if o.style == "wire" else "")
    + ('publishers = ["Harbor Gazette Media"]\n' if o.style == "gazette" else "")
    + "\n"
    for o in OUTLETS)


def write(folder: Path) -> list[Doc]:
    """Write the archive's files under folder/articles and its outlet file as folder/outlets.toml.

    Returns the documents with their absolute paths set.
    """
    docs = build()
    articles = folder / "articles"
    for doc in docs:
        path = articles / doc.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(doc), encoding="utf-8")
        doc.path = str(path.resolve())
    (folder / "outlets.toml").write_text(OUTLETS_TOML, encoding="utf-8")
    return docs


if __name__ == "__main__":  # python tests/archive.py FOLDER: write it out to look at
    import sys

    written = write(Path(sys.argv[1]))
    print(f"{len(written)} articles under {sys.argv[1]}/articles")


# --- the archive indexed once, for all search tests ------------------------------------------

class Indexed:
    """The archive written and indexed into a temporary folder, with helpers to run newsdex
    against it in-process."""

    def __init__(self, root: Path, docs: list[Doc]) -> None:
        self.root = root
        self.articles = root / "articles"
        self.index = root / "index"
        self.outlets = root / "outlets.toml"
        self.docs = docs
        self.by_path = {d.path: d for d in docs}

    def run(self, *args: str, env: dict | None = None):
        from click.testing import CliRunner

        from search.cli import main

        argv = [str(a) for a in args]
        if "--index" not in argv:
            argv += ["--index", str(self.index)]
        return CliRunner(env=env).invoke(main, argv, catch_exceptions=False)

    def ok(self, *args: str, env: dict | None = None) -> str:
        result = self.run(*args, env=env)
        assert result.exit_code == 0, result.output
        return result.stdout

    def json(self, *args: str):
        return json.loads(self.ok(*args, "--json"))

    def hits(self, query: str, *options: str) -> list[dict]:
        """Every hit of a search, in order, from its JSON-lines export."""
        out = self.ok("search", query, *options, "--jsonl")
        return [json.loads(line) for line in out.splitlines()]

    def found(self, query: str, *options: str) -> set[str]:
        """The paths of every article a search finds."""
        return {h["path"] for h in self.hits(query, *options)}

    def expect(self, keep) -> set[str]:
        """The paths of the generated articles for which keep(doc) is true."""
        return {d.path for d in self.docs if keep(d)}


_indexed: Indexed | None = None


def indexed(tmp_path_factory) -> Indexed:
    """Write and index the archive once per test session (the first caller pays)."""
    global _indexed
    if _indexed is None:
        root = tmp_path_factory.mktemp("archive")
        archive = Indexed(root, write(root))
        out = archive.ok("index", str(archive.articles), "--outlets", str(archive.outlets),
                         "--quiet")
        assert f"{len(archive.docs)} added" in out, out
        _indexed = archive
    return _indexed
