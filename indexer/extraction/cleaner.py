"""Cleaning scraped text: sort every line into article text or boilerplate, and rejoin fragments.

Lines are judged by their form and position, never by a single word: "Copyright ©2022 Dow Jones &
Company, Inc." is a footer, "The publisher sued for copyright infringement in 2019." is news.
Each removed line keeps its kind ("ad", "photo-credit", "write-to", ...) because several of them
carry metadata (bylines, outlets, dates) that indexer/extraction/metadata.py reads afterwards.

Three passes:
1. each line alone, against the fixed forms of boilerplate (`_FORMS`, copyright footers, date
   lines, photo labels and credits, all-caps teasers, wire credits, e-mail contact lines);
2. lines in context: a "Photo:" label with the credit under it and the caption above it, a
   "Most Read" style header with the headlines listed under it, and the article's header (the
   title, bylines and their job-title and outlet lines, date stamps) above the first paragraph;
3. `body_paragraphs` rejoins the fragments a dropped hyperlink leaves (a bare name on its own
   line, a line that starts mid-sentence) and keeps real paragraph breaks.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from indexer.extraction import bylines, dates, outlets

BODY = "body"
TITLE = "title"
BLANK = "blank"


@dataclass
class Line:
    text: str
    kind: str = BODY


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{pattern})$", re.I)


_SOCIAL = (r"(?:facebook|twitter|x|instagram|whatsapp|linkedin|tiktok|youtube|threads|bluesky|"
           r"telegram|reddit|pinterest|flipboard|google news|snapchat|mastodon)")
_DOMAIN = (r"(?<![\w.-])[\w-]+(?:\.[\w-]+)*\."
           r"(?:com|co\.uk|co|org|net|news|ca|in|ie|au|uk|de|fr|io|tv)\b")
# The same headers in the archive's other languages (German, Spanish, French, Portuguese,
# Italian, Dutch, Polish, Russian, Turkish, Arabic, Chinese, Japanese, Korean, Thai).
_LIST_HEADER_ABROAD = (
    r"lesen sie auch|mehr zum thema|das könnte sie auch interessieren|verwandte artikel|"
    r"weitere artikel|noticias relacionadas|artículos relacionados|te puede interesar|"
    r"lo más leído|más noticias|à lire aussi|lire aussi|sur le même sujet|articles similaires|"
    r"les plus lus|notícias relacionadas|veja também|mais lidas|leggi anche|"
    r"articoli correlati|lees ook|gerelateerde artikelen|czytaj (?:także|też)|zobacz (?:też|także)|"
    r"читайте также|смотрите также|по теме|похожие новости|самое читаемое|ilgili haberler|"
    r"اقرأ أيضا|اقرأ أيضاً|مواضيع ذات صلة|أخبار ذات صلة|相关新闻|相关阅读|相关文章|延伸阅读|"
    r"推荐阅读|相關新聞|延伸閱讀|関連記事|関連ニュース|あわせて読みたい|관련 ?기사|"
    r"เรื่องที่เกี่ยวข้อง|ข่าวที่เกี่ยวข้อง")
# A comment section's disclaimer: comments (or what is "below") are their writers' opinion,
# not the site's. In the archive's languages; plural "comments" only ("did not comment").
_COMMENTS = (r"\bcomments\b|\bcomentarios\b|\bcommentaires\b|\bkommentare\b|\bcomentários\b|"
             r"\bcommenti\b|комментари|التعليقات|\bbelow\b|\bci-dessous\b|أدناه|ниже|评论|評論")
_OPINION = r"opinion|opinión|opinião|meinung|views|мнени|الآراء|رأي|观点|觀點"
_WRITERS = (r"users|readers|commenters|authors|usuarios|lectores|internautas|lecteurs|"
            r"utilisateurs|leser|nutzer|leitores|usuários|lettori|utenti|читател|пользовател|"
            r"أصحابها|القراء|المستخدمين|网友|網友|读者|讀者")
_NEGATION = r"\bnot?\b|\bne\b|\bnicht\b|\bnão\b|\bnon\b|\bне\b|لا|不"
# Headers in scripts that do not set a list's first headline apart with a colon.
_SPACELESS_HEADERS = (r"เรื่องที่เกี่ยวข้อง|ข่าวที่เกี่ยวข้อง|相关新闻|相关阅读|延伸阅读|相關新聞|"
                      r"延伸閱讀|関連記事|関連ニュース|관련 ?기사")
_LIST_HEADER = (
    r"most (?:read|popular|viewed|shared|watched)(?: (?:from|on|in) .{1,40}| this week| now)?|"
    r"trending(?: now| stories| on .{1,30})?|popular(?: now| stories)?|read next|up next|"
    r"what to read next|related(?: topics| articles| stories| coverage| content| links| reading)?|"
    r"(?:read )?more (?:from|on|in|stories from) .{1,40}|more stories|more news|"
    r"recommended(?: for you| stories| reading)?|you may also like|you might also like|"
    r"top stories|latest(?: news| stories)?|in other news|also read|see also|also on .{1,30}|"
    r"more on this story|further reading|editor'?s picks|don'?t miss|around the web|"
    r"go deeper|more coverage|keep reading|most read this week|more to (?:read|explore)|"
    r"(?:other|more) (?:[\w'’-]+ ){0,2}(?:columns|stories|articles|headlines|posts|reviews)|"
    r"(?:[\w'’-]+ ){0,3}in pictures|more must-reads? from .{1,40}|read more(?=\s*:)|"
    + _LIST_HEADER_ABROAD)

_LIST_HEADER_LINE = _full(rf"(?:{_LIST_HEADER})\s*:?")

# Lines that are boilerplate whatever their position. Matched against the whole stripped line.
_REPRINT = (r"(?:未经.{0,12}(?:授权|许可|同意|允许).{0,30}(?:不得|禁止|严禁)|"
            r"(?:不得|禁止|严禁)(?:转载|复制|摘编)|转载请注明|版权所有|版权归.{1,30}所有)")
_FORMS = [
    ("ad", _full(r"\[/?ad_?\d*\]|advertisements?:?|sponsored(?: content)?|adchoices|"
                 r"ad feedback|paid (?:content|post|partner content)|promoted(?: content)?|"
                 r"(?:story|article|text) continues (?:below|after)(?: (?:the |this )?"
                 r"(?:advertisement|ad))?|continue reading(?: below| the main story)?|"
                 r"scroll (?:down )?to continue(?: reading)?")),
    ("comment-form", _full(
        r"leave a (?:reply|comment)|cancel reply|post (?:a )?comment|comments?|\d+ comments?|"
        r"you must be logged in to post a comment\.?|log ?in to (?:comment|reply)|"
        r"your email address will not be published\.?(?: required fields are marked \*)?|"
        r"required fields are marked \*|(?:name|email|website|comment) ?\*?|"
        r"save my name, email, and website in this browser for the next time i comment\.?|"
        r"join the conversation|view comments|show comments|be the first to comment\.?")),
    ("embed", _full(r"(?:video|audio|podcast|tweet|instagram|social) embed|"
                    r"embedded (?:video|content)|listen to this (?:article|story).{0,20}|"
                    r"watch(?: the)? video|play video|this video can ?not be played|"
                    r"loading video|\d{1,2}:\d\d|(?:video|image|photo)s? \d+ of \d+")),
    ("share", _full(
        rf"share(?: this(?: article| story| page)?)?(?: on {_SOCIAL})?:?|share via.*|tweet|"
        rf"e-?mail(?: this (?:article|story))?|print(?: this (?:article|story))?|copy link|"
        rf"link copied!?|share full article|copy article link|gift (?:this )?article|"
        rf"(?:share|post) (?:on|to) {_SOCIAL}|like us on facebook.*|"
        rf"{_SOCIAL}(?: {_SOCIAL})*")),
    ("follow", _full(rf"follow (?:us|me|@\w+|.{{1,50}}? on {_SOCIAL})\b.{{0,120}}")),
    ("click-here", re.compile(r"^(?:click|tap) here\b.{0,150}$", re.I)),
    ("related", re.compile(
        r"^(?:read more|more|related(?: coverage| stories| articles| content)?|recommended|"
        r"see also|also read|read also|more from .{1,40}|most read|trending|read next|"
        r"further reading|also see|watch|listen|more on this story|explore more|go deeper|"
        r"learn more|read|lire(?: aussi)?|voir aussi|lea también|leer también|lesen sie auch|"
        r"mehr zum thema|leia também|leggi anche)"
        r"\s*[:|»>]\s*.{1,250}$",
        re.I)),
    ("related", _LIST_HEADER_LINE),
    # a header and the first headline of its list on one line ("เรื่องที่เกี่ยวข้อง ลืออุ้ม ...")
    ("related", re.compile(rf"^(?:{_SPACELESS_HEADERS})\s*[:：]?\s+\S.{{0,250}}$")),
    # "福娘童話集 > きょうのイソップ童話 > 欲張りなイヌ", "Home » News » World": where the page is
    ("breadcrumb", re.compile(r"^[^\s<>»›.!?。][^<>»›.!?。]{0,40}"
                              r"(?:\s[>»›]\s[^<>»›.!?。]{1,60}?){2,8}$")),
    ("related", re.compile(r"^(?i:related (?:article|story|video|content|link|coverage)s?)\s+"
                           r"[A-Z\d‘“\"'].{1,250}$")),
    ("newsletter", re.compile(
        r"^(?=(?:\S+\s+){0,39}\S+$)(?:sign up|subscribe|get|register|join|want|never miss|"
        r"don'?t miss|stay (?:informed|up to date|in the know)|receive|enter your e-?mail)\b"
        r"(?=.*\b(?:newsletters?|inbox|e-?mails?|briefing|alerts?|updates|digest)\b).*$", re.I)),
    ("promo", re.compile(r"^(?=(?:\S+\s+){0,34}\S+$)sign up\b(?! (?:sheets?|rates?)).*$", re.I)),
    ("promo", re.compile(
        r"^(?=(?:\S+\s+){0,24}\S+$)(?:subscribe|download|install|get) (?:to |for |the |our )?"
        r".{0,80}\b(?:apps?|on youtube|podcasts?|newsletters?|terminal)\b.{0,60}$", re.I)),
    ("promo", re.compile(r"^subscribe(?: now| today)?[.!]?$", re.I)),
    ("promo", re.compile(
        r"^for (?:the latest|more)\b.{0,120}\b(?:head|go|turn|visit|come) to\b.{2,60}$", re.I)),
    ("syndication", re.compile(
        r"^(?:this (?:article|story|post|piece|content) (?:was |is |has been )?"
        r"(?:originally |first )?(?:published|appeared|posted|produced|republished)|"
        r"a version of this (?:article|story|post|piece)|(?:this )?appeared in the print edition|"
        r"originally (?:published|appeared) (?:on|at|in|by)|"
        r"read the original (?:article|story|post)|(?:this story|it) was produced by)"
        r"\b.{0,300}$", re.I)),
    # Whole lines in brackets are the desk's inserts: "[Read: ...]", a linked headline, a note.
    ("insert", re.compile(r"^\[[^\[\]]{3,250}\]$")),
    ("credit", re.compile(
        r"^(?=(?:\S+\s+){0,45}\S+$).{2,350}? contributed (?:reporting|to (?:this|the) "
        r"(?:report|story|article))(?: (?:from|in) [^.]{1,60})?\.?$", re.I)),
    ("credit", re.compile(r"^(?:--|—|–)\s*by\s+[A-Z].{1,80}$", re.I)),
    ("note", re.compile(
        r"^(?:this (?:story|article|post|report|version) (?:has been |was |is )?(?:updated|"
        r"corrected|reprinted|edited|amended|corrects)|editor'?s note\s*:)\b.{0,250}$", re.I)),
    ("photo-credit", re.compile(
        r"^(?:top |lead |main |header |cover |featured )?(?:photos?|images?|illustrations?|"
        r"pictures?|artwork) by \S.{1,200}$|^\(?(?:artist|photographer|illustrator|"
        r"photo credit|image credit)\s*:\s*[^.]{2,80}\)?$|"
        r"^(?:AP|AFP|Reuters|EPA|Getty Images|Bloomberg) Photo/\S.{0,60}$", re.I)),
    ("tags", re.compile(r"^(?:topics|tags|filed under|categories|tagged)\s*:.{1,300}$|"
                        r"^(?:next|previous) (?:page|article|story)\s*:"
                        r".{1,150}$", re.I)),
    # Chinese sites' editor line and error-report link: "（编辑：严玉洁 王辉）", "【纠错】".
    ("editor", re.compile(
        r"^(?:[（(【\[]\s*(?:纠错|(?:责任)?编辑\s*[:：][^）)】\]]{1,40})\s*[）)】\]]\s*)+$")),
    # Chinese sites' reprint notice, in brackets or short (a news sentence on a court's ruling
    # about reprints is longer than 24 characters): "转载请注明出处。", "版权所有",
    # "【...权益归腾讯公司独家所有。未经授权，不得转载、摘编等。】".
    ("copyright", re.compile(
        rf"^(?:【[^】]{{0,150}}{_REPRINT}[^】]{{0,60}}】|(?=.{{2,24}}$).*{_REPRINT}.*)$")),
    # The typo-report widget of many Russian, Ukrainian and Baltic sites: "Заметили ошибку?
    # Выделите текст и нажмите Ctrl+Enter", in whatever language: short, with the keys, and
    # no full stop (a news sentence about the shortcut has one).
    ("editor", re.compile(
        r"^(?=(?:\S+\s+){0,24}\S+$).{0,160}\bCtrl\s*\+\s*Enter\b.{0,160}(?<![.”\"])$")),
    # A wiki's reference list ("^ Physics 125 Course Notes ..."), a gallery link, a paywall
    # notice and a share button in Japanese, and Condé Nast's saved-stories line.
    # "Powered by Tumblr", "Minecraft News Powered by Tumblr": a site's name and its platform.
    ("tags", re.compile(r"^(?:[A-Z][\w.'’&-]*\s){0,5}[Pp]owered by [A-Z]\S*$")),
    ("references", re.compile(r"^\^\s.{1,400}$")),
    ("gallery", re.compile(r"^gallery\s*:.{1,150}$|^.{1,150}\|\s*\d+ photos$", re.I)),
    ("paywall", re.compile(r"^［有料会員限定］.{0,200}$|^有料会員の方のみ.{0,200}$")),
    ("share", re.compile(r"^(?:この(?:ニュース|記事)をシェア|分享到.{0,20})$")),
    ("promo", re.compile(r"^to revisit this article, .{1,100}$", re.I)),
    ("promo", re.compile(r"^add to (?:cart|basket|bag)\b.{0,150}$", re.I)),
    # "El contenido de los comentarios es la opinión de los usuarios ... no de ultimahora.es."
    ("comment-form", re.compile(
        # (the word and length tests first, then the rarest words: each .* lookahead scans
        # the line)
        r"^(?=(?:\S+\s+){0,59}\S+$)(?=.{20,600}$)"
        rf"(?=.*(?:{_OPINION}))(?=.*(?:{_COMMENTS}))(?=.*(?:{_WRITERS}))(?=.*(?:{_NEGATION})).*$",
        re.I)),
    # "图为…" ("pictured: ..."): how Chinese papers caption a photo
    ("caption", re.compile(r"^(?:图为|圖為|图片为|圖片為).{2,100}$")),
    ("copyright", re.compile(r"^.{1,80}\b(?:is|are) (?:a |the )?(?:registered )?"
                             r"(?:trademarks?|service marks?) of .{1,80}$", re.I)),
    ("standards", re.compile(r"^our standards\s*:.{0,100}$", re.I)),
    ("write-to", re.compile(r"^write to .{2,200}\S+@\S+\s*$", re.I)),
    ("source", re.compile(r"^(?:source|sources|via)\s*:\s*.{2,80}$", re.I)),
    ("desk-code", re.compile(r"^[a-z]{2,5}(?:-[a-z]{2,5})*(?:/[a-z]{2,5}(?:-[a-z]{2,5})*)+$")),
]


def _most_words(pattern: re.Pattern[str]) -> int:
    r"""The most words a line matching pattern can have, where the pattern says so up front
    (`^(?=(?:\S+\s+){0,N}\S+$)` with no alternative beside it at its top level); else no
    limit. A longer line is not tried against it: for a news paragraph the word-counting
    lookahead is most of what the forms cost."""
    found = _WORD_CAP.match(pattern.pattern)
    if found is None or _top_level_alternative(pattern.pattern):
        return sys.maxsize
    return int(found.group(1)) + 1


_WORD_CAP = re.compile(r"\^\(\?=\(\?:\\S\+\\s\+\)\{0,(\d+)\}\\S\+\$\)")


def _top_level_alternative(source: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


# (kind, pattern, the most words of a line it can match)
_FORMS_CAPPED = [(kind, pattern, _most_words(pattern)) for kind, pattern in _FORMS]

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.I)
_DOMAIN_RE = re.compile(_DOMAIN, re.I)
# Copyright footers: "©2022 Dow Jones", "Copyright 2023 The Associated Press", "(c) Los Angeles
# Times"; "Copyright law experts said ..." is prose (a lower-case word after the word).
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4}|(?=(?-i:[A-Z]))))|^.{0,120}\ball rights reserved\b",
    re.I)
_COPYRIGHT_WORD = re.compile(r"^(?i:copyright)\s+[A-Z]")
_CONTACT_OPENING = re.compile(
    r"^(?:e-?mail|contact|send|got a|do you have|have you|to contact|reach|tips?\s*[:?]|please|"
    r"questions|for (?:more|further|questions)|follow|write|call|text|visit|see|find|read|"
    r"listen|watch|download|more|[\w .'’-]{3,60} can be reached)\b", re.I)
_DATEINFO = re.compile(
    r"^(?:published|updated|posted|last updated|last modified|first published|"
    r"originally published|modified|date|page last updated|updated on|published on)"
    r"(?:\s+(?:on|at))?\s*:?\s*", re.I)
_PHOTO_LABEL = re.compile(r"^(?:photo|photos|image|images|picture|pic|photograph|graphic|credit|"
                          r"photo credit|image credit|illustration|file photo|caption|video|"
                          r"photographer|photo illustration)\s*:\s*(.{0,160})$"
                          r"|^(?:image|photo|picture|video) source\s*[:,]\s*(.{0,160})$", re.I)
_AGENCY = (r"getty images|reuters|ap|afp|epa(?:-efe)?|associated press|agence france-presse|"
           r"bloomberg(?: news)?|shutterstock|alamy|zuma(?: press| wire)?|sipa(?: usa)?|nurphoto|"
           r"pool|anadolu(?: agency)?|pa(?: wire| images| media)?|rex features|tass|xinhua|imago|"
           r"istock|the washington post|the new york times|wsj|ap images|ddp|dpa|handout|"
           r"usa today(?: network)?|cnn|bbc|ians|pti|aap|efe|kyodo|yonhap")
_CREDIT = re.compile(
    rf"^\(?\s*(?:[\w .'’-]{{1,40}}/)+\s*(?:{_AGENCY})"
    rf"(?:\s+(?:photo|images?|via getty images))?(?:\s*/\s*[\w .'’,-]{{1,40}})*\s*\)?\.?$"
    rf"|^\(\s*(?:ap|afp|reuters|epa|getty|pa) photo\s*(?:/[^)]{{1,60}})?\)\.?$"
    rf"|^(?:{_AGENCY})(?:\s+(?:photo|images?|file))?\.?$"
    rf"|^\(\s*(?:{_AGENCY})(?:\s+(?:photo|images?|file))?\s*\)\.?$"
    rf"|^\(\s*[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,3}}\s*/\s*[A-Z][\w.&'’-]*"
    rf"(?: [A-Z][\w.&'’-]*){{0,5}}\s*\)\.?$",
    re.I)
# A caption that carries its own credit at the end, as wire photos do.
_CAPTION_CREDIT = re.compile(r"\b(?:REUTERS|AFP|AP|EPA|EPA-EFE|XINHUA)/[A-Z][\w .'’-]{1,40}"
                             r"(?:/(?:File Photo|Pool|Handout|File))*\.?$")
_FOR_CREDIT = re.compile(r"^(\S+(?: \S+){0,4}) (?:for|via) (\S+(?: \S+){0,5}?)\.?$", re.I)
_CREDIT_SOURCE = re.compile(r"^(?:handout|pool|file|courtesy)(?: photo| image)?$", re.I)
_AGENCY_ONLY = re.compile(rf"^(?:{_AGENCY})(?:\s+(?:photo|images?))?$", re.I)
_TERMINAL = ('.', '!', '?', '"', '”', '’', "'", ')', '…', ':')
_TITLE_ABBREV = re.compile(
    r"\b(?:Rep|Reps|Sen|Sens|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Brig|Maj|Dr|Mr|Mrs|Ms|Prof|Rev|"
    r"Hon|St|Supt|Insp|Det|Cpl|Pvt|Gens)\.$")
_OPENS_DATELINE = re.compile(r"^[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][\w.]+(?: [A-Z][\w.]+)?)?\s*"
                             r"(?:\([^)]{1,40}\)\s*)?(?:—|–|--|-\s|:\s)")
_REPORTING_VERB = re.compile(r"\b(?:said|says|say|told|tells|according|added|stated|reported)\b",
                             re.I)


def classify(text: str, title: bool = True, after_title: bool = False) -> list[Line]:
    """Every line of a scraped article with its kind; blank lines come back as kind "blank".

    `title=False` for text whose headline is known from elsewhere (an HTML page's markup), and
    `after_title=True` when the text starts under that headline (a bare name there is a byline).
    """
    lines = [Line(part) for raw in text.split("\n") for part in _signature_apart(raw.strip())]
    for line in lines:
        line.kind = kind_alone(line.text)
    _mark_photos(lines)
    _mark_lists(lines)
    _mark_header(lines, title, after_title)
    return lines


def kind_alone(text: str) -> str:
    """The kind of one line judged on its own: BODY unless its whole form is boilerplate."""
    if not text:
        return BLANK
    if len(text) > 700:  # longer than any boilerplate form: a paragraph (and no regex runs long)
        return BODY
    words = len(text.split())
    for kind, pattern, most in _FORMS_CAPPED:
        if words <= most and pattern.match(text):
            return kind
    if words <= 45 and is_copyright(text):
        return "copyright"
    if words <= 24 and _is_dateinfo(text):
        return "dateinfo"
    if words <= 12 and dates.is_stamp(text):
        return "stamp"
    if len(text) < 400 and _CAPTION_CREDIT.search(text):
        return "photo-credit"
    if _PHOTO_LABEL.match(text):
        return "photo"
    if words <= 14 and is_credit(text):
        return "photo-credit"
    # E-mail addresses and links: contact and promotion lines, by their length or their opening
    # ("Got a tip? Email ...", "Follow our coverage at https://..."), not news sentences.
    if words <= 60 and _EMAIL.search(text) and _promotes(text, words):
        return "contact"
    if words <= 25 and _URL.search(text) and _promotes(text, words):
        return "link"
    if words <= 15 and _DOMAIN_RE.search(text) and not text.endswith((".", "!", "?", "”", '"')):
        return "link"
    if is_teaser(text) and not bylines.is_byline(text, after_title=False):
        return "teaser"  # ("BY MARGARET HALL" is all capitals too)
    if words <= 80 and re.match(r"^[(\-—–]*\s*(?:additional |further )?(?:reporting|writing|"
                                r"with assistance|editing|compiled|contributions) (?:by|from)\b",
                                text, re.I) and bylines.is_credit(text):
        return "reporting"
    return BODY


def _signature_apart(text: str) -> list[str]:
    """A paragraph that its agency signs at the end with its copyright and photographer
    ("...と指摘している。(c)AFP/Aminu ABUBAKAR", as AFP's partner sites end an article) as two
    lines, the paragraph and the credit; any other line as it is."""
    credit = _CAPTION_CREDIT.search(text) if len(text) < 400 else None
    if credit:
        before = text[:credit.start()].rstrip()
        for sign in ("(c)", "(C)", "©"):
            sentences = before[:-len(sign)].rstrip()
            if before.endswith(sign) and len(sentences) >= 60 and sentences.endswith(
                    (".", "!", "?", "。", "”", "」")):
                return [sentences, text[len(sentences):].strip()]
    return _tail_apart(text)


# Where a glued tail may start: a copyright sign after a sentence, or a "---" rule, or a
# link to the next page ("... developer participation. Next page: Security>>").
_GLUED_COPYRIGHT = re.compile(r"(?<=[.!?。”\"])\s*(?=©|copyright ©|\(c\) (?:19|20)\d\d)", re.I)
_GLUED_RULE = re.compile(r"(?<=[.!?。”\"])\s*-{3,}\s*(?=\S)"
                         r"|\s+(?=(?:Next|Previous) (?:page|article|story)\s*[:»>])")


def _tail_apart(text: str) -> list[str]:
    """A paragraph whose page glued its credits and copyright to its end ("... to no
    avail.---Associated Press writers ... contributed to this story.© 2016 The Associated
    Press. All rights reserved.") as the paragraph and each line of boilerplate."""
    tails: list[str] = []
    # (the patterns only where their signs are: most paragraphs have none)
    copyright = list(_GLUED_COPYRIGHT.finditer(text)) if "©" in text or "(c) " in \
        text.lower() else []
    if copyright and copyright[-1].start() >= 20 and is_copyright(text[copyright[-1].end():]) \
            and len(text[copyright[-1].end():].split()) <= 45:
        tails.append(text[copyright[-1].end():])
        text = text[:copyright[-1].start()]
    rule = list(_GLUED_RULE.finditer(text)) if "---" in text or "Next " in text or \
        "Previous " in text else []
    if rule and rule[-1].start() >= 20 and kind_alone(text[rule[-1].end():]) != BODY:
        tails.insert(0, text[rule[-1].end():])
        text = text[:rule[-1].start()]
    return [text, *tails]


def is_credit(text: str) -> bool:
    """A picture credit: "Lukas Meierhans/AFP", "(AP Photo/Renata Kowalczyk)", or a name and
    the outlet the picture was taken for ("Jane Roe for The New York Times")."""
    if text.endswith(("!", "?")):
        return False
    return bool(_CREDIT.match(text)) or _for_credit(text)


def _for_credit(text: str) -> bool:
    """"Jane Roe for The New York Times", "Handout via Reuters": by form, a personal name (or a
    handout/pool), then an agency or an outlet, and no more. "The Bridge Reopened for the Spring
    Festival." has neither; "Mrs Thatcher Campaigned for the Conservatives." has no outlet."""
    match = _FOR_CREDIT.match(text)
    if not match:
        return False
    name, outlet = match.group(1), match.group(2)
    return (bylines.is_name(name) or bool(_CREDIT_SOURCE.match(name))) and bool(
        _AGENCY_ONLY.match(outlet) or outlets.table().is_outlet_name(outlet)
        or bylines.looks_like_outlet(outlet))


def _promotes(text: str, words: int) -> bool:
    """A line around an address that sends the reader somewhere, rather than reports."""
    return (words <= 15 or bool(_CONTACT_OPENING.match(text))) and not (
        _REPORTING_VERB.search(text))


def is_copyright(text: str) -> bool:
    """A copyright footer: a copyright sign or word at the front and a year or "all rights
    reserved" in it ("Copyright The Financial Times Limited 2023"), or a very short line ("© BBC").
    "(c) any person who ..." in a quoted law and "Copyright law experts" are prose."""
    if not _COPYRIGHT.match(text):
        return False
    if re.search(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|rights reserved", text, re.I):
        return True
    return len(text.split()) <= 8 and not text.lower().startswith("(c)") and (
        not _COPYRIGHT_WORD.match(text) or text.startswith(("©", "Copyright ©")))


def _is_dateinfo(text: str) -> bool:
    """"Published 9:14 AM EST, Mon March 6, 2023", "Updated 4 hours ago": a label and a stamp.
    "Updated figures released on Tuesday showed 4,000 cases." is a sentence."""
    label = _DATEINFO.match(text)
    if not label:
        return False
    rest = text[label.end():]
    if not (dates.find(rest) or dates.is_relative(rest)):
        return False
    return dates.is_stamp(rest) or len(rest.split()) <= 12 and not rest.endswith(".")


def is_teaser(text: str) -> bool:
    """An all-caps headline such as "PENTAGON: CHINA REFUSES TO TALK ...": a related-story
    teaser ("WORLD OF WARCRAFT" in a list of games is too short to be one)."""
    if len(text) > 300 or text.count(" ") < 4:  # a headline: five words or more
        return False
    upper, lower = sum(map(str.isupper, text)), sum(map(str.islower, text))
    return upper + lower >= 12 and upper >= 9 * lower


# --- lines in context ----------------------------------------------------------------------

def _next_content(lines: list[Line], i: int, step: int = 1) -> int | None:
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].kind != BLANK:
            return j
        j += step
    return None


def _mark_photos(lines: list[Line]) -> None:
    """A bare "Photo:" label and the credit under it. The caption above it stays in the body:
    it is a sentence of the page as published, and the body keeps every sentence."""
    for i, line in enumerate(lines):
        label = _PHOTO_LABEL.match(line.text)
        if line.kind != "photo" or (label.group(1) or label.group(2) or "").strip():
            continue
        nxt = _next_content(lines, i)
        if nxt is None or not _looks_like_credit(lines[nxt].text):
            continue
        lines[nxt].kind = "photo-credit"


def _looks_like_credit(text: str) -> bool:
    words = text.split()
    return len(words) <= 10 and not text.endswith((".", "!", "?", "”", '"')) or is_credit(text)


_BIO_VERB = re.compile(r"\s+(?:is|was|covers|writes|reports|has been|joined)\b")


def mark_author_bio(lines: list[Line], authors: list[str]) -> None:
    """An author's one-line bio closing the article ("Jane Doe is a reporter covering
    transport."): known only once the authors are, so extraction calls this after metadata."""
    if not authors:
        return
    body = [line for line in lines if line.kind == BODY][-2:]
    for line in body:
        for name in authors:
            if (line.text.startswith(name) and _BIO_VERB.match(line.text, len(name))
                    and len(line.text.split()) <= 40):
                line.kind = "author-bio"


def _mark_lists(lines: list[Line]) -> None:
    """Under a "Most Read" / "Related Topics" header, the headlines and tags listed there."""
    for i, line in enumerate(lines):
        if line.kind != "related" or not _is_list_header(line.text):
            continue
        j = _next_content(lines, i)
        while j is not None and lines[j].kind in (BODY, "teaser") and _is_list_item(lines[j].text):
            lines[j].kind = "related"
            j = _next_content(lines, j)


def _is_list_header(text: str) -> bool:
    return bool(_LIST_HEADER_LINE.match(text))


def _is_list_item(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 20 and word_count(text) <= 20 and not text.endswith(
        (".", ",", ";", ":", "”", '"')) and (text[:1].isupper() or text[:1].isdigit())


def _mark_header(lines: list[Line], title: bool, titled: bool = False) -> None:
    """Title, bylines and the lines that go with them, above the article's first paragraph."""
    first = next((i for i, line in enumerate(lines) if line.kind == BODY), None)
    if first is None:
        return
    title_found = title and is_headline(lines[first].text) and _has_body_after(lines, first)
    if title_found:
        lines[first].kind = TITLE
    header = _header_lines(lines)
    byline_seen = False
    previous = None
    for i in header:
        line = lines[i]
        # A name line counts as a byline under the title, or as the first line of a text that
        # has none ("Linda Ruiz" over the first paragraph).
        after_title = (titled or byline_seen or (i == first and not title_found)
                       or any(lines[k].kind == TITLE for k in header if k < i))
        # An all-caps name reads as a teaser alone, "By Jane Doe jane@x.com" as a contact line.
        if line.kind in (BODY, "teaser", "contact") and (
                bylines.is_byline(line.text, after_title) or _posted_by(line.text)):
            line.kind = "byline"
            byline_seen = True
        elif line.kind == BODY and (byline_seen or after_title) and _byline_extra(line.text):
            line.kind = "byline-extra"
        elif line.kind == "photo-credit" and previous in ("byline", "byline-extra") and (
                _byline_extra(line.text)):
            line.kind = "byline-extra"  # "USA TODAY" right under the byline is the outlet
        previous = line.kind


def _header_lines(lines: list[Line]) -> list[int]:
    """Content lines above the first real paragraph (a sentence of some length), at most 12."""
    out = []
    for i, line in enumerate(lines):
        if line.kind == BLANK:
            continue
        if line.kind == BODY and is_prose(line.text):
            break
        out.append(i)
        if len(out) >= 12:
            break
    return out


def word_count(text: str) -> int:
    # Chinese, Japanese and Korean write words without spaces: each ideograph or kana counts as
    # a word, so a sentence of them is prose and not a headline-length list item.
    return len(text.split()) + len(bylines.CJK.findall(text))


def is_prose(text: str) -> bool:
    """A paragraph of running text: a sentence with its final punctuation, or a long line."""
    words = word_count(text)
    if words >= 20 or len(text) > 300:
        return True
    return words >= 6 and text.endswith(('.', '!', '"', '”', '…', ')', "'", '’', "。", "！",
                                         "？", "」")) and not (
        bylines.is_byline(text, after_title=True))


def _posted_by(text: str) -> bool:
    """"Posted by admin", "Written by staff": a blog-style byline without a name."""
    return bool(re.fullmatch(r"(?:posted|written|submitted|published|uploaded) by \S+(?: \S+){0,3}",
                             text, re.I))


def _byline_extra(text: str) -> bool:
    """A line under the byline that only holds job titles and outlets: "Health correspondent,
    BBC News", "USA TODAY", "News reporter", or the outlet's domain."""
    if len(text.split()) > 8 or text.endswith((".", "!", "?")):
        return False
    if re.fullmatch(_DOMAIN, text, re.I):
        return True
    return bylines.parse_names(text) == []


def _has_body_after(lines: list[Line], i: int) -> bool:
    return any(line.kind == BODY for line in lines[i + 1:])


def is_headline(text: str) -> bool:
    """A line that reads as a headline: title-like length, no final period, not a byline."""
    first = text[0]
    caseless = first.isalpha() and not first.isupper() and not first.islower()  # 港特首, ผล
    # a headline in Chinese or Japanese counts its characters as words: 40 is a short one
    if not 3 <= word_count(text) <= (80 if caseless else 30) or len(text) > 220:
        return False
    if text.endswith((".", ",", ";", ":")) and not text.endswith("..."):
        return False
    if not (first.isupper() or first.isdigit() or caseless or first in "‘'\"“$£€"
            or re.match(r"[a-z]+[A-Z]", text)):  # "iTunes now selling ..."
        return False
    if caseless and text.endswith(("。", "．")):  # a sentence in Chinese or Japanese
        return False
    if _OPENS_DATELINE.match(text):  # "FRANKFURT—Japanese brewers ...": a first paragraph
        return False
    if bylines.is_byline(text, after_title=False):
        return False
    # A bare name at the top is a byline when it reads as one for sure: an initial ("Yuki G.
    # King"), or several names; "Oil Prices Jump" is capitalised like a name but is a headline.
    return not (re.search(r"\b[A-Z]\.\s|,|\band\b", text)
                and bylines.is_byline(text, after_title=True))


# --- the body ------------------------------------------------------------------------------

def body_paragraphs(lines: list[Line], rejoin: bool = True) -> list[str]:
    """The article's paragraphs, with fragments left by dropped links rejoined (`rejoin`)."""
    paragraphs: list[str] = []
    for line in lines:
        if line.kind != BODY:
            continue
        if rejoin and paragraphs and continues(paragraphs[-1], line.text):
            paragraphs[-1] = f"{paragraphs[-1]} {line.text}"
        else:
            paragraphs.append(line.text)
    return paragraphs


def continues(previous: str, text: str) -> bool:
    """Whether `text` is the rest of the sentence `previous` broke off (a dropped hyperlink)."""
    first = text[0]
    if first.islower() and not re.match(r"[a-z]+[A-Z]", text):  # "eBay said" starts a paragraph
        return True
    if first in ",;:)]’":
        return True
    tail = previous[-200:]  # the paragraph grows as fragments join: read only its end
    abbreviated = bool(_TITLE_ABBREV.search(tail))  # "... said Rep." / "Dwight Engstrom,"
    if tail.endswith(_TERMINAL) and not abbreviated:
        return False
    # A bare name on its own line ("Dmitry Peskov,"), or the line after a sentence that stopped
    # on a lower-case word or a comma ("... said community council chair" / "Morag Sinclair.").
    if len(text) < 120 and bylines.is_name_fragment(text):
        return True
    words = tail.split()
    last = words[-1] if words else ""
    return len(words) >= 6 and (last[:1].islower() or last.endswith(",") or abbreviated)


def removed_lines(lines: list[Line]) -> list[str]:
    """Every line taken out of the body, in order (title and byline count as taken out)."""
    return [line.text for line in lines if line.kind not in (BODY, BLANK)]
