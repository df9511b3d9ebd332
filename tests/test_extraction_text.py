"""Extraction rules on scraped plain text, one rule per test, through `newsdex extract --json`.

Each case is a small article file in the seeds' style written to tmp_path; the negative cases
are the sentences that look like boilerplate by a word but are news by their form.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BODY = [
    "The city council voted on Tuesday to expand the bus network, adding four routes that will "
    "connect the northern suburbs with the hospital district by the end of the year.",
    "Officials said the plan would cost about $12 million over three years and would be paid "
    "for with a mix of state grants and a small increase in parking fees.",
    "Residents who spoke at the meeting were mostly supportive, though several business owners "
    "warned that the new bus lanes would take away delivery space.",
]


def write(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def extract(cli, path: Path, *options: str) -> dict:
    result = cli("extract", str(path), "--json", *options, index=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def flat(body: str) -> str:
    return " ".join(body.split())


def body_lines(data: dict) -> set[str]:
    return {line.strip() for line in data["body"].split("\n") if line.strip()}


# --- boilerplate out, article in -----------------------------------------------------------

@pytest.mark.parametrize("noise", [
    "[ad_1]", "[ad_2]", "[ad_17]", "Advertisement", "Video Embed", "Story continues below",
    "Story continues below advertisement", "Leave a Reply", "Cancel reply",
    "You must be logged in to post a comment.", "Share this article", "Share on Facebook",
    "Follow us on Twitter", "Follow Sky News on WhatsApp",
    "Sign up for our daily newsletter to get the top stories delivered to your inbox.",
    "Subscribe to CNBC on YouTube.", "Download the NBC News app for breaking news and politics",
    "Ad Feedback", "CLICK HERE TO GET THE FOX NEWS APP", "Our Standards: The Thomson Reuters "
    "Trust Principles.", "bur-ach/jh",
])
def test_boilerplate_line_is_removed_and_reported(cli, tmp_path, noise):
    path = write(tmp_path, "a.txt", BODY[0], noise, BODY[1], BODY[2])
    data = extract(cli, path)
    assert noise not in body_lines(data)
    assert noise in data["removed"]
    assert all(flat(s) in flat(data["body"]) for s in BODY)


@pytest.mark.parametrize("sentence", [
    "Shares of the company jumped 9% in premarket trading.",
    "Share buttons inside the app let users send their receipt to an employer.",
    "Sign-ups for a fast-track certification program doubled this year.",
    "Follow-up inspections of three road bridges are scheduled for later in the week.",
    "Leave campaigners had toured the harbour in the final week of the campaign.",
    "Video from the meeting showed parents on both sides shouting at board members.",
    "The advertisement, which ran on television in the Midwest, promised low prices.",
    "The photo, taken by a bystander, went viral.",
    "Copyright law experts said the ruling could make producers more cautious.",
    "Copyright lawyers have noted that the museum's photographs raise a separate question.",
    "The publisher sued for copyright infringement in 2015, arguing the pattern was unique.",
    "Write to your MP, the campaign group urges supporters on its website.",
    "Reporting by local broadcaster RTÉ first revealed the shortfall in March.",
    "NATO and the EU said their civil emergency centers would coordinate further assistance.",
    "He declined to comment.",
    "Updated figures released on Tuesday showed 4,000 new cases across the region.",
    "Published in 2019, the report found that most bridges needed repairs.",
    "(c) any person who knowingly obstructs an inspector commits an offence.",
    "Readers can send questions to help@city.example, the council said, adding that replies "
    "would take about a week.",
    "The full report is available at https://example.org/report, the agency said in a "
    "statement on Friday.",
    "Get out now, the officer shouted as the water rose.",
    "Tips can be sent to tips@police.example, officers said.",
    "More — and more — people are moving to the suburbs, the census showed.",
    "The company said updates would be delivered to customers by e-mail next week.",
    "— “We are not going to write a check and call it border security,” Voss said.",
])
def test_news_sentence_that_mentions_a_boilerplate_word_stays(cli, tmp_path, sentence):
    path = write(tmp_path, "a.txt", BODY[0], sentence, BODY[1])
    data = extract(cli, path)
    assert sentence in body_lines(data)
    assert sentence not in data["removed"]


def test_all_caps_teaser_goes_and_acronyms_stay(cli, tmp_path):
    teaser = "PENTAGON: CHINA REFUSES TO TALK DURING CRISES IN BID TO SPOOK US"
    acronyms = "The IMF, the ECB and the BOJ said growth would slow in the EU and the US."
    path = write(tmp_path, "a.txt", BODY[0], teaser, acronyms, BODY[1])
    data = extract(cli, path)
    assert teaser in data["removed"]
    assert acronyms in body_lines(data)


def test_photo_label_takes_its_credit_and_the_caption_stays(cli, tmp_path):
    caption = "A commuter waits on an empty platform at the main station during an earlier strike."
    path = write(tmp_path, "a.txt", BODY[0], caption, "Photo:",
                 "tobias renner/Agence France-Presse/Getty Images", BODY[1], "Image:",
                 "(AP Photo/Renata Kowalczyk)", BODY[2])
    data = extract(cli, path)
    for line in ("Photo:", "tobias renner/Agence France-Presse/Getty Images", "Image:",
                 "(AP Photo/Renata Kowalczyk)"):
        assert line in data["removed"]
    # The caption is a sentence of the page: the body keeps every sentence (as seed 000's).
    assert caption in body_lines(data) and caption not in data["removed"]
    assert data["outlet"] is None  # an agency in a photo credit is not the publisher


def test_sentence_above_a_photo_label_stays_when_it_reads_as_article_text(cli, tmp_path):
    # It refers back ("The losses") and is long: article text, not a caption.
    sentence = ("The losses were so severe that several small glaciers have effectively "
                "disappeared, and monitoring on some of them has been abandoned.")
    path = write(tmp_path, "a.txt", BODY[0], sentence, "Photo:", "Lukas Meierhans/AFP", BODY[1])
    data = extract(cli, path)
    assert sentence in body_lines(data)
    assert "Lukas Meierhans/AFP" in data["removed"]


def test_short_sentence_ending_for_the_is_not_a_photo_credit(cli, tmp_path):
    # A credit is a photographer's name and the outlet the picture was taken for; a sentence
    # that ends "for the Spring Festival" is news, however it is capitalised.
    sentences = ["The bridge reopened for the Spring Festival.", "She spoke for the Labour Party.",
                 "The Bridge Reopened for the Spring Festival.",
                 "Harbour Road Closed for the Regatta.", "Anna Berg for the defence.",
                 "Mrs Thatcher Campaigned for the Conservatives."]
    caption = "A ferry passes under the reopened bridge at dusk."
    path = write(tmp_path, "a.txt", BODY[0], *sentences, BODY[1], "Jane Roe for The New York Times",
                 BODY[2], caption, "Photo:", "Rui Costa for The Washington Post.")
    data = extract(cli, path)
    for sentence in sentences:
        assert sentence in body_lines(data)
        assert sentence not in data["removed"]
    for credit in ("Jane Roe for The New York Times", "Rui Costa for The Washington Post."):
        assert credit in data["removed"]
    assert caption in body_lines(data)
    assert data["outlet"] is None  # an outlet in a photo credit is not the publisher


def test_read_more_and_related_lines_and_headline_lists(cli, tmp_path):
    path = write(tmp_path, "a.txt", BODY[0],
                 "Read more: Ukraine bans public celebrations in Kharkiv over attack threat",
                 BODY[1], "Related: Court rules tattoo artist owns rights to designs",
                 "Most Read from Bloomberg", "Chip Stocks Reel as Export Ban Widens",
                 "The Rich Are Leaving This City Faster Than Anywhere Else", BODY[2])
    data = extract(cli, path)
    assert body_lines(data) == set(BODY)
    assert "Chip Stocks Reel as Export Ban Widens" in data["removed"]


def test_copyright_footer_with_trailing_hash(cli, tmp_path):
    footer = ("Copyright ©2022 Dow Jones & Company, Inc. All Rights Reserved. "
              "87990cbe856818d5eddac44c7b1cdeb8")
    data = extract(cli, write(tmp_path, "a.txt", *BODY, footer))
    assert footer in data["removed"]
    assert data["outlet"] == "The Wall Street Journal"
    assert data["published"] == "2022"
    assert data["published_source"] == "copyright year"


def test_reporting_credit_gives_reporters_not_editors(cli, tmp_path):
    credit = ("Reporting by Olena Dovzhenko in Kyiv and Tom Ashworth in London; Additional "
              "reporting by Iryna Savchuk; Editing by Rowan Pell and Simon Kettle")
    data = extract(cli, write(tmp_path, "a.txt", *BODY, credit))
    assert data["authors"] == ["Olena Dovzhenko", "Tom Ashworth", "Iryna Savchuk"]
    assert credit in data["removed"]


def test_with_assistance_and_contact_lines_give_authors(cli, tmp_path):
    data = extract(cli, write(
        tmp_path, "a.txt", *BODY, "--With assistance from Rahul Deshpande.",
        "To contact the reporter on this story: Priya Nandakumar in Mumbai at "
        "pnandakumar1@bloomberg.net",
        "To contact the editors responsible for this story: Sunil Mehra at smehra@bloomberg.net"))
    assert sorted(data["authors"]) == ["Priya Nandakumar", "Rahul Deshpande"]
    assert data["outlet"] == "Bloomberg"
    assert body_lines(data) == set(BODY)


# --- fragments left by dropped links -------------------------------------------------------

def test_bare_name_and_mid_sentence_lines_are_rejoined(cli, tmp_path):
    path = write(tmp_path, "a.txt", BODY[0], "On Monday, Kremlin spokesman", "Dmitry Peskov,",
                 "described the reports as unfounded, the agency reported.", BODY[1])
    data = extract(cli, path)
    assert ("On Monday, Kremlin spokesman Dmitry Peskov, described the reports as unfounded, "
            "the agency reported.") in body_lines(data)


def test_name_after_a_title_abbreviation_is_rejoined(cli, tmp_path):
    path = write(tmp_path, "a.txt", BODY[0],
                 "“We cannot let the whole bill sink over one title,” said Rep.",
                 "Dwight Engstrom,", "a senior member of the Agriculture Committee.", BODY[1])
    data = extract(cli, path)
    assert ("“We cannot let the whole bill sink over one title,” said Rep. Dwight Engstrom, a "
            "senior member of the Agriculture Committee.") in body_lines(data)


def test_real_paragraph_breaks_stay(cli, tmp_path):
    path = write(tmp_path, "a.txt", BODY[0], "He declined to comment.",
                 "Twelve people share one three-bedroom home in Iqaluit.", BODY[1])
    data = extract(cli, path)
    assert data["body"].split("\n\n") == [BODY[0], "He declined to comment.",
                                          "Twelve people share one three-bedroom home in Iqaluit.",
                                          BODY[1]]


# --- title ---------------------------------------------------------------------------------

def test_headline_first_line_is_the_title(cli, tmp_path):
    title = "City adds four bus routes to link suburbs with hospital district"
    data = extract(cli, write(tmp_path, "a.txt", "[ad_1]", title, *BODY))
    assert data["title"] == title
    assert title in data["removed"]


def test_first_line_that_is_a_sentence_is_not_a_title(cli, tmp_path):
    data = extract(cli, write(tmp_path, "a.txt", *BODY))
    assert data["title"] is None
    assert flat(BODY[0]) in flat(data["body"])


def test_headline_may_end_with_a_question_mark_but_not_a_period(cli, tmp_path):
    assert extract(cli, write(tmp_path, "a.txt", "Is the city ready for the next storm?",
                              *BODY))["title"] == "Is the city ready for the next storm?"
    assert extract(cli, write(tmp_path, "b.txt", "The city is ready for the next storm.",
                              *BODY))["title"] is None


def test_name_line_at_the_top_is_a_byline_not_a_title(cli, tmp_path):
    data = extract(cli, write(tmp_path, "a.txt", "Kimberly R. Murphy", *BODY))
    assert data["title"] is None
    assert data["authors"] == ["Kimberly R. Murphy"]


# --- authors -------------------------------------------------------------------------------

TITLE = "Council approves bus network expansion after long debate"


@pytest.mark.parametrize("byline, authors", [
    ("Joel Gehrke", ["Joel Gehrke"]),
    ("By Ann M. Simmons and Jane Doe", ["Ann M. Simmons", "Jane Doe"]),
    ("By JOHN SMITH, Associated Press", ["John Smith"]),
    ("By LISA M. HARTWELL and DEAN OKONJO Associated Press", ["Lisa M. Hartwell", "Dean Okonjo"]),
    ("By Teresa Villaseñor, Staff Writer", ["Teresa Villaseñor"]),
    ("By Priscilla Hartnell | Senior Political Correspondent", ["Priscilla Hartnell"]),
    ("By Nate Hollister, Grace Oduya and Ben Sauerbrun",
     ["Nate Hollister", "Grace Oduya", "Ben Sauerbrun"]),
    ("Harriet Lowe in London and Kenji Arata in Tokyo", ["Harriet Lowe", "Kenji Arata"]),
    ("Amara Lightfoot · CBC News", ["Amara Lightfoot"]),
    ("By Catriona Ellis, health correspondent @cellis jane.ellis@example.com", ["Catriona Ellis"]),
    ("BY MIRANDA KOLB", ["Miranda Kolb"]),
    ("By Ciarán Ó Murchú", ["Ciarán Ó Murchú"]),
])
def test_byline_under_the_title(cli, tmp_path, byline, authors):
    data = extract(cli, write(tmp_path, "a.txt", TITLE, byline, *BODY))
    assert data["authors"] == authors
    assert byline in data["removed"]


@pytest.mark.parametrize("line", [
    "By the way, if you have tried to pay for parking downtown this week, you are not alone.",
    "By Tuesday, officials had installed temporary barriers along the waterfront.",
    "By the end of the month, lawmakers must submit a new map.",
])
def test_prose_starting_with_by_is_not_a_byline(cli, tmp_path, line):
    data = extract(cli, write(tmp_path, "a.txt", TITLE, line, *BODY))
    assert data["authors"] == []
    assert line in body_lines(data)


@pytest.mark.parametrize("line", ["New York", "Fox News", "USA TODAY", "Hong Kong",
                                  "The Evening Bulletin", "Getty Images"])
def test_an_outlet_or_a_place_is_never_an_author(cli, tmp_path, line):
    data = extract(cli, write(tmp_path, "a.txt", TITLE, line, *BODY))
    assert data["authors"] == []


def test_outlet_line_under_the_byline_is_removed_and_names_the_outlet(cli, tmp_path):
    data = extract(cli, write(tmp_path, "a.txt", TITLE, "Bradley Stroud", "Fox News", *BODY))
    assert data["authors"] == ["Bradley Stroud"]
    assert data["outlet"] == "Fox News"
    assert "Fox News" in data["removed"]


def test_write_to_footer_gives_every_author_and_the_outlet(cli, tmp_path):
    footer = ("Write to Katrin Vollmer at katrin.vollmer@wsj.com and Peter J. Castellano at "
              "peter.castellano@wsj.com")
    data = extract(cli, write(tmp_path, "a.txt", *BODY, footer))
    assert data["authors"] == ["Katrin Vollmer", "Peter J. Castellano"]
    assert data["outlet"] == "The Wall Street Journal"


# --- outlet --------------------------------------------------------------------------------

@pytest.mark.parametrize("evidence, outlet", [
    ("CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER", "Washington Examiner"),
    ("Source: Reuters", "Reuters"),
    ("Source: Al Jazeera and news agencies", "Al Jazeera"),
    ("Contact the reporter at cmacaodha@irishtimes.com", "The Irish Times"),
    ("© Telegraph Media Group Limited 2021", "The Telegraph"),
    ("Download The Times of India News App for Latest City News", "The Times of India"),
    ("Read the original article on Business Insider", "Business Insider"),
    ("This article was originally published on NBCNews.com", "NBC News"),
    ("For the latest news, weather, sports, and streaming video, head to The Hill.", "The Hill"),
])
def test_outlet_from_its_evidence(cli, tmp_path, evidence, outlet):
    data = extract(cli, write(tmp_path, "a.txt", *BODY, evidence))
    assert data["outlet"] == outlet
    assert evidence in data["removed"]


@pytest.mark.parametrize("opening, outlet", [
    ("KYIV, Aug 24 (Reuters) - Ukrainians marked their independence day with subdued "
     "ceremonies.", "Reuters"),
    ("NEW YORK (AP) — Parents are spending less on backpacks and laptops this summer.",
     "Associated Press"),
    ("PARIS (AFP) - Hundreds of thousands of people marched in cities across France.",
     "Agence France-Presse"),
    ("(Bloomberg) -- Indian government bond yields climbed to the highest in a year.",
     "Bloomberg"),
])
def test_outlet_from_a_wire_dateline(cli, tmp_path, opening, outlet):
    assert extract(cli, write(tmp_path, "a.txt", opening, *BODY))["outlet"] == outlet


def test_outlet_merely_cited_in_the_body_is_not_evidence(cli, tmp_path):
    data = extract(cli, write(tmp_path, "a.txt", TITLE, BODY[0],
                              "The inquiry was first reported by The Washington Post.",
                              "One of the companies told Reuters it would cooperate.", BODY[1]))
    assert data["outlet"] is None


def test_outlets_file_extends_the_table(cli, tmp_path):
    table = tmp_path / "mine.toml"
    table.write_text('[[outlet]]\nname = "Valley Ledger"\ndomains = ["valleyledger.example"]\n',
                     encoding="utf-8")
    path = write(tmp_path, "a.txt", *BODY, "Write to Ann Lee at ann.lee@valleyledger.example")
    assert extract(cli, path)["outlet"] is None
    assert extract(cli, path, "--outlets", str(table))["outlet"] == "Valley Ledger"


# --- published date ------------------------------------------------------------------------

def test_published_line_beats_the_updated_line_and_the_path(cli, tmp_path):
    path = write(tmp_path, "2021/03/04/a.txt", TITLE, "By Maya Oyelaran",
                 "Updated 2:30 PM ET, Tue March 7, 2023",
                 "Published 9:14 AM EST, Mon March 6, 2023", *BODY)
    data = extract(cli, path)
    assert data["published"] == "2023-03-06"
    assert data["published_source"] == "published line"


def test_one_line_with_both_dates_gives_the_published_one(cli, tmp_path):
    for n, stamp in enumerate(["Published Oct. 3, 2021 Updated Oct. 4, 2021",
                               "Posted: Oct 3, 2021 4:00 AM EDT | Last Updated: October 4, 2021"]):
        data = extract(cli, write(tmp_path, f"{n}.txt", TITLE, stamp, *BODY))
        assert data["published"] == "2021-10-03"


def test_date_stamp_under_the_headline(cli, tmp_path):
    data = extract(cli, write(tmp_path, "a.txt", TITLE, "Hannah Beaumont, Energy correspondent",
                              "Mon 7 Mar 2022 17.31 GMT",
                              "Last modified on Tue 8 Mar 2022 09.02 GMT", *BODY))
    assert data["published"] == "2022-03-07"
    assert data["authors"] == ["Hannah Beaumont"]


def test_date_in_the_byline(cli, tmp_path):
    data = extract(cli, write(tmp_path, "a.txt", TITLE,
                              "By Ashley Brennan-Kaur - 04/27/23 10:15 AM ET", *BODY))
    assert data["published"] == "2023-04-27"
    assert data["authors"] == ["Ashley Brennan-Kaur"]


@pytest.mark.parametrize("relative", ["Published 4 hours ago", "Updated yesterday"])
def test_relative_stamp_is_not_a_date(cli, tmp_path, relative):
    data = extract(cli, write(tmp_path, "a.txt", TITLE, relative, *BODY))
    assert data["published"] is None
    assert relative in data["removed"]


@pytest.mark.parametrize("name, published", [
    ("2022/12/19/story.txt", "2022-12-19"),
    ("20221219-story.txt", "2022-12-19"),
    ("archive/2020/06/story.txt", "2020-06"),
])
def test_date_in_the_path(cli, tmp_path, name, published):
    data = extract(cli, write(tmp_path, name, *BODY))
    assert data["published"] == published
    assert data["published_source"] == "file path"


def test_dateline_day_is_completed_by_the_wire_copyright_year(cli, tmp_path):
    data = extract(cli, write(tmp_path, "a.txt",
                              "FRANKFURT, March 9 (Reuters) - German inflation is likely to rise.",
                              *BODY, "Copyright 2021 Thomson Reuters. Click For Restrictions."))
    assert (data["published"], data["dateline"], data["outlet"]) == ("2021-03-09", "FRANKFURT",
                                                                      "Reuters")


def test_narrative_dates_are_not_the_publication_date(cli, tmp_path):
    data = extract(cli, write(
        tmp_path, "a.txt", TITLE,
        "By the time the exercises resumed in August of 2022, the tests were well underway.",
        "The drills start Wednesday and run through Dec. 27, the ministry said on Monday.",
        "The agency first proposed the plan on March 3, 2019, according to records.", *BODY))
    assert data["published"] is None


def test_dates_after_the_file_was_written_or_before_1800_are_refused(cli, tmp_path):
    future = write(tmp_path, "a.txt", TITLE, "Published: 12 June 2091", *BODY)
    assert extract(cli, future)["published"] is None
    old = write(tmp_path, "b.txt", TITLE, "Published: 4 May 1750", *BODY)
    assert extract(cli, old)["published"] is None


# --- explain -------------------------------------------------------------------------------

def test_explain_names_the_rule_of_every_field(cli, tmp_path):
    path = write(tmp_path, "a.txt", TITLE, "By Jane Doe", *BODY,
                 "Copyright 2022 The Associated Press. All rights reserved.")
    result = cli("extract", str(path), "--json", "--explain", index=False)
    explain = json.loads(result.stdout)["explain"]
    assert explain["title"] == "first line reads as a headline"
    assert explain["authors"] == "byline line under the title"
    assert explain["outlet"] == "copyright holder"
    assert explain["published"] == "copyright year (year precision)"
    text = cli("extract", str(path), "--explain", index=False).stdout
    assert "[copyright holder]" in text and "[byline line under the title]" in text


# --- in-body widgets and credits as CMSs print them ------------------------------------------

def test_credit_and_widget_forms_inside_the_body(cli, tmp_path):
    junk = ["Photographer: Haruto Kimura/Bloomberg", "Image source, Getty Images", "(PA Wire)",
            "(Nora Castellanos / Los Angeles Times)",
            "A farmer dries cocoa beans near Kumasi, Ghana, January 5, 2024. "
            "REUTERS/Ama Boateng/File Photo",
            "Related article New federal rules spell out when airlines must refund your ticket",
            "Link Copied!", "Share full article", "More to Read",
            "Get the latest market news first on the Bloomberg Terminal."]
    stays = ["The photograph, taken in 1962, shows the old pier before the storm.",
             "Related stories were published by three other papers the next day.",
             "(The figures exclude the northern district.)", "He declined to comment."]
    path = write(tmp_path, "a.txt", BODY[0], junk[0], junk[1], BODY[1], *stays, *junk[2:],
                 BODY[2])
    data = extract(cli, path)
    for line in junk:
        assert line in data["removed"], line
        assert line not in body_lines(data)
    for line in stays:
        assert line in body_lines(data), line


def test_an_authors_closing_bio_goes_but_a_sentence_about_someone_else_stays(cli, tmp_path):
    bio = "Jane Okafor is a reporter covering transport and city hall."
    other = "Tom Ridley is the council's transport chair and has backed the plan since 2021."
    path = write(tmp_path, "a.txt", "Council expands bus network to four new routes",
                 "By Jane Okafor", BODY[0], BODY[1], other, bio)
    data = extract(cli, path)
    assert data["authors"] == ["Jane Okafor"]
    assert bio in data["removed"] and bio not in body_lines(data)
    assert other in body_lines(data)  # not an author of this article
