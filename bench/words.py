"""Word lists for the synthetic corpus (bench/corpus.py), written for this project.

Common English news vocabulary grouped by the role it plays in a generated sentence, plus
invented outlets (with `.example` e-mail domains) and ordinary first and last names. The order
of each list is its popularity: the generator draws earlier entries more often.
"""

from __future__ import annotations


def _list(text: str) -> list[str]:
    """Words separated by white space; "prime_minister" stands for a two-word entry."""
    return [w.replace("_", " ") for w in text.split()]


# Nouns; a few two-word ones so phrase queries have something to find.
NOUNS = _list("""
government minister officials company market police report council city plan people year
week month country state court decision budget economy election party leader president
agency industry workers students school hospital program policy deal talks price prices
interest_rates growth investors shares bank central_bank prime_minister health_care
research study data results team season match game coach players fans club league title
record sales profits revenue costs tax taxes spending deficit debt inflation jobs wages
union strike protest crisis war troops military forces security attack investigation
trial judge lawyers case charges law bill vote lawmakers senate parliament committee
inquiry scandal campaign voters poll candidate opposition region province village town
residents families children parents teachers doctors patients nurses scientists experts
analysts economists executives board chief director spokesman spokeswoman statement
announcement interview meeting conference summit agreement treaty sanctions exports imports
trade tariffs energy oil gas electricity power plant climate emissions weather storm flood
fire drought water food crops farmers land housing rent property construction project road
bridge railway airport flights airline passengers travel tourism hotel restaurant film
music album artist show festival award audience theatre museum book author novel magazine
newspaper website network internet technology software phone computer users device app
service customers product brand store retailer supply_chain factory production output
demand consumer spending currency dollar euro pound exchange bond yields fund pension
insurance loan mortgage credit_crunch recession recovery forecast outlook quarter target
border migrants refugees asylum embassy diplomat ambassador alliance neighbours partners
island coast river mountain forest park street square district capital neighbourhood
community church charity volunteers donation aid relief emergency rescue accident crash
victims survivors witnesses suspect arrest prison sentence appeal ruling rights freedom
privacy safety risk threat warning evidence document files records email letter message
contract lawsuit settlement fine penalty regulator watchdog rules standards review audit
reform change increase decline rise fall drop gain loss share stake merger takeover bid
offer buyer seller owner founder employee staff manager firm group business sector
""")

ADJECTIVES = _list("""
new former local national federal public private foreign international economic political
financial military senior major small large big high low strong weak key main top leading
independent official young old early late recent previous next final first second third
annual monthly weekly daily global regional rural urban northern southern eastern western
central coastal digital online environmental social legal medical scientific cultural
historic controversial unexpected sharp steady modest significant serious severe heavy
bitter fierce tough quiet busy crowded empty cheap expensive rising falling growing popular
unpopular successful failed disputed temporary permanent emergency special joint rival
critical careful detailed brief lengthy fresh wider broader narrow fragile stable volatile
""")

# Verbs in the past tense (the reporting voice) and in the base form (after "will", "to").
PAST = _list("""
said announced reported told added confirmed denied warned urged called claimed argued
approved rejected agreed signed launched opened closed cut raised lowered increased reduced
expanded blocked delayed cancelled postponed halted resumed ordered banned allowed backed
criticised praised accused charged arrested released found discovered revealed published
received won lost beat defeated scored hired fired appointed named elected resigned
retired joined left visited met discussed reviewed examined investigated proposed planned
promised pledged expected predicted estimated recorded reached topped missed sold bought
acquired invested spent paid borrowed lent owed built repaired moved shifted returned
""")

BASE = _list("""
announce review consider approve reject sign launch open close cut raise lower increase
reduce expand block delay cancel resume ban allow back support oppose challenge appeal
investigate propose plan invest spend pay borrow build repair move return hire meet
discuss decide vote compete win lose recover improve protect prevent continue finish
""")

PREPOSITIONS = _list("in on at after before during despite amid over under against about")
DETERMINERS = _list("the the the a its their this that another every")
WEEKDAYS = _list("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
MONTHS = _list("January February March April May June July August September October November "
               "December")
ROLES = _list("""
spokesman spokeswoman analyst economist professor director adviser lawyer official
researcher chairman chairwoman secretary manager consultant strategist historian
""")
ORG_KINDS = _list("""
Holdings Group Bank Institute University Council Foundation Partners Capital Energy Motors
Systems Labs Airlines Insurance Ministry Agency Trust Association Union Services
""")

# Syllables for invented proper nouns (places, companies, surnames): the corpus's long tail.
SYLLABLES = _list("""
ka lo ren mi ta vos el an dar be ri sto ful gan or ne pa lim qua ber tin so ra mek ul
di vo fen ha ju ster cor mon ela pri zu bel ad ko nor ves ith tra sa gol ub ken mar
""")

CITIES = _list("""
LONDON WASHINGTON PARIS BERLIN MADRID ROME TOKYO SEOUL BEIJING DELHI NAIROBI LAGOS CAIRO
SYDNEY TORONTO CHICAGO DENVER BOSTON DUBLIN OSLO VIENNA WARSAW ATHENS LISBON MANILA
""")

# Wire services write their tag into the dateline: "PARIS (AP) —". These tags are the names
# real archives carry, so the indexer can recognise an outlet in part of the corpus.
WIRE_TAGS = ["AP", "Reuters", "AFP", "dpa", "UPI"]

# Invented outlets: display name, publisher (for copyright lines), e-mail domain.
OUTLETS = [
    ("The Millbrook Gazette", "Millbrook Gazette Company", "millbrookgazette.example"),
    ("Eastfield Daily News", "Eastfield News Group", "eastfieldnews.example"),
    ("The Copper Valley Times", "Copper Valley Publishing", "coppervalleytimes.example"),
    ("Harbourside Morning Post", "Morning Post Media Ltd", "harboursidepost.example"),
    ("The National Ledger", "National Ledger Holdings", "nationalledger.example"),
    ("Pine County Register", "Register Newspapers LLC", "pinecountyregister.example"),
    ("The Financial Beacon", "Beacon Business Media", "financialbeacon.example"),
    ("Westgate Evening Echo", "Echo Evening Press", "westgateecho.example"),
    ("The Sporting Almanac", "Almanac Sports Network", "sportingalmanac.example"),
    ("Greystone Observer", "Greystone Observer Press", "greystoneobserver.example"),
    ("The Tech Circuit", "Circuit Digital Inc.", "techcircuit.example"),
    ("Riverbend Citizen", "Citizen Community Media", "riverbendcitizen.example"),
    ("The Southern Chronicle", "Chronicle Southern Press", "southernchronicle.example"),
    ("Lakeview Journal", "Lakeview Journal Company", "lakeviewjournal.example"),
    ("The Arts Courier", "Courier Arts Publishing", "artscourier.example"),
    ("Summit City Herald", "Herald Summit Media", "summitcityherald.example"),
]

FIRST_NAMES = _list("""
Alice Ben Chloe Daniel Eva Felix Grace Henry Isla Jack Kate Liam Maya Noah Olivia Peter
Quinn Rosa Sam Tara Umar Vera Will Xavier Yara Zoe Aaron Bella Carl Diana Ethan Fiona
George Hannah Ian Julia Kevin Laura Martin Nina Oscar Paula Ravi Sofia Tom Una Victor Wendy
Amara Bruno Celia Dmitri Elena Farid Greta Hugo Ines Jonas Keiko Leon Marta Nils Omar
Pilar Rami Sana Tobias Ulla Valentina Wei Yusuf Zainab
""")

LAST_NAMES = _list("""
Adams Baker Carter Dawson Ellis Fisher Graham Hughes Irving Jensen Keller Lambert Morgan
Novak Owens Porter Quinlan Reyes Shaw Turner Underwood Vargas Walsh Young Zimmer Abbott
Bishop Collins Doyle Evans Fleming Gordon Harper Ingram Jordan Kaur Lowe Mendez Nash
O'Neill Palmer Russo Singh Tanaka Vance Whitaker Alvarez Brennan Chowdhury Dubois Eriksen
Ferreira Gallagher Haddad Iqbal Kowalczyk Lindgren Moreau Nakamura Okoye Petrova Rossi
Schmidt Takahashi Varga Weber Yilmaz
""")
