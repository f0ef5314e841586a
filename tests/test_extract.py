"""Extraction on real pages: the corpus (../shared/corpus), the Pangea replica's pages, and bad input."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import sys

import pytest
import trafilatura

from archive.boilerplate import block_key, clean_blocks, is_generic_boilerplate
from archive.extract import EXTRACTOR_VERSION, MIN_ARTICLE_WORDS, extract_article, without_blocks
from archive.profiles import DEFAULT, profile_for
from conftest import ROOT, SHARED, SITES

CORPUS = SHARED / "corpus"
PANGEA = SITES / "pangea"
PANGEA_EXPECTED = json.loads((PANGEA / "EXPECTED.json").read_text())
BASE = "http://127.0.0.1:8080"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_extract", ROOT / "bench" / "extract.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench = _bench()


def pangea_page(path: str) -> bytes:
    return (PANGEA / path.lstrip("/")).read_bytes().replace(b"{{BASE}}", BASE.encode())


# -- the scorer the benchmark uses ---------------------------------------------------------------------
def test_scorer_counts_shingles_as_multisets():
    truth = "one two three four five"  # shingles: (1234), (2345)
    assert bench.score(truth, truth) == (1.0, 1.0, 1.0)
    precision, recall, f1 = bench.score("One, two; THREE four! zzz", truth)
    assert (precision, recall) == (0.5, 0.5) and f1 == 0.5
    # repeating a matching passage does not raise the overlap beyond the truth's count
    precision, recall, _ = bench.score("one two three four one two three four", truth)
    assert recall == 0.5 and precision == pytest.approx(1 / 5)
    assert bench.score("", truth)[:2] == (0.0, 0.0)
    # NFKC: the ligature "ﬁ" is "fi"
    assert bench.score("ﬁve six seven eight", "five six seven eight")[0] == 1.0


def test_lowest_precision_lists_the_worst_pages_and_their_cost():
    page = lambda i, truth: bench.Page(id=str(i), url=f"http://x/{i}", site="x", html="", truth=truth)  # noqa: E731
    pages = [page(1, "one two three four five"), page(2, "six seven eight nine ten")]
    ours = bench.Run(texts={"1": "one two three four five", "2": "six seven eight nine ten a b c d e f g"})
    plain = bench.Run(texts={"1": "", "2": ""})
    worst = bench.lowest_precision("c", pages, plain, ours, 1)
    assert [w["url"] for w in worst] == ["http://x/2"]
    assert worst[0]["precision"] == pytest.approx(2 / 9) and worst[0]["loss"] == pytest.approx((1 - 2 / 9) / 2)


# -- corpus: never below plain trafilatura -------------------------------------------------------------
@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus ../shared/corpus not present")
@pytest.mark.parametrize("corpus", ["aeb", "naeb"])
def test_corpus_sample_not_below_plain_trafilatura(corpus):
    pages = bench.load_corpus(corpus)[:30]
    plain, ours = bench.run_both(pages)
    plain_f1 = sum(bench.score(plain.texts[p.id], p.truth)[2] for p in pages) / len(pages)
    ours_scores = [bench.score(ours.texts[p.id], p.truth) for p in pages]
    ours_f1 = sum(s[2] for s in ours_scores) / len(pages)
    assert ours_f1 >= plain_f1, (corpus, ours_f1, plain_f1)
    assert sum(s[0] for s in ours_scores) / len(pages) > 0.9


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus ../shared/corpus not present")
def test_headline_and_caption_are_fields_not_text():
    entries = json.loads((CORPUS / "aeb" / "ground-truth.json").read_text())
    checked = 0
    for key, entry in list(entries.items())[:40]:
        body = gzip.decompress((CORPUS / "aeb" / "html" / f"{key}.html.gz").read_bytes())
        article = extract_article(body, entry["url"], "text/html")
        if article is None or not article.title:
            continue
        first = article.text.split("\n")[0]
        assert block_key(first) != block_key(article.title), entry["url"]
        if article.image_caption:
            assert block_key(article.image_caption) not in {block_key(line) for line in article.text.split("\n")}
        checked += 1
    assert checked >= 30


# -- the rferl profile on the first page of a Pangea site -----------------------------------------------
@pytest.mark.parametrize("path", sorted(PANGEA_EXPECTED["articles"]))
def test_pangea_first_page_is_clean(path):
    expected = PANGEA_EXPECTED["articles"][path]
    article = extract_article(pangea_page(path), BASE + path, "text/html; charset=utf-8")
    assert article is not None and article.profile == "rferl"
    for phrase in ("Accessibility links", "Skip to main content", "Breaking News", "undesirable organization",
                   "fines or imprisonment", "click here"):
        assert phrase.lower() not in article.text.lower(), phrase
    kept = [p for p in expected["paragraphs"] if p in article.text]
    assert len(kept) / len(expected["paragraphs"]) >= 0.98, set(expected["paragraphs"]) - set(kept)
    assert article.title == expected["title"]
    assert not article.text.startswith(expected["title"])
    assert article.image_caption == expected["caption"]
    assert expected["caption"] not in article.text
    assert article.authors == ([expected["author"]] if expected["author"] else [])


def test_without_the_profile_the_legal_notice_leaks():
    """Counter-case: the same page, no longer identifiable as Pangea, keeps the notice in plain paragraphs."""
    path = next(p for p, e in PANGEA_EXPECTED["articles"].items() if e["legal_notice_markup"] == "plain-paragraphs")
    body = pangea_page(path).replace(b'content="RFE/RL" property="og:site_name"', b'content="Elsewhere" property="og:site_name"')
    article = extract_article(body, BASE + path, "text/html")
    assert article is not None and article.profile == "default"
    assert "undesirable organization" in article.text


def test_profile_chosen_by_host_or_declared_site_name():
    assert profile_for("https://www.rferl.org/a/x/1.html").name == "rferl"
    assert profile_for("https://en.currenttime.tv/a/x/1.html").name == "rferl"
    assert profile_for("http://127.0.0.1:9/a/x/1.html", "RFE/RL").name == "rferl"
    assert profile_for("https://example.org/a/x/1.html", "Example") is DEFAULT
    assert profile_for("https://notrferl.org/") is DEFAULT


# -- site-learned boilerplate and generic patterns ----------------------------------------------------
def test_learned_keys_are_dropped_and_reported():
    path = sorted(PANGEA_EXPECTED["articles"])[0]
    first = extract_article(pangea_page(path), BASE + path)
    paragraph = first.text.split("\n")[1]
    again = extract_article(pangea_page(path), BASE + path, None, None, frozenset({block_key(paragraph)}))
    assert paragraph not in again.text and paragraph in first.text
    assert block_key(paragraph) in again.blocks  # still counted, so learning keeps its evidence
    assert without_blocks(first, {block_key(paragraph)}).text == again.text
    assert again.extractor_version == EXTRACTOR_VERSION


@pytest.mark.parametrize(
    "line",
    ["Advertisement", "ADVERTISEMENT", "Share this article", "READ MORE: Ten things we learned in Tallinn",
     "Related: How the vote was counted", "Thanks for signing up!", "© 2024 Example Media. All rights reserved.",
     "Sign up for our Weekly Apple Brief for the latest news, delivered right to your inbox.", "3 of 57",
     "We may earn a commission when you buy through links on our site.", "9/26/2023 8:59 AM PT",
     "Saturday 23 December 2023 05:39, UK", "Updated: Dec. 21, 2023", "Gallery Credit: Jane Doe",
     "Jane Doe can be reached at jdoe@example.com.", "• Vaughn Cockayne can be reached at vc@example.com.",
     "More information: J. Doe et al, Polar bear hairs in aerogel fibers, Science (2023).", "Read more:",
     # promotion, paywall asks and widgets that did not load
     "Thank you for subscribing to our newsletter. Look out for your regular round-up of news in your inbox.",
     "Get all the latest news, reviews and exclusives, direct to your inbox.",
     "The full interview is available on our podcast. Listen and subscribe wherever you get your podcasts.",
     "Install the Sky News app for free", "Be the first to get Breaking News",
     "GET FOX BUSINESS ON THE GO BY CLICKING HERE", "Our journalism needs your support. Please subscribe today.",
     "Please log in again. The login page will open in a new window. After logging in you can close it.",
     "Please enter your date of birth to view this video", "- Oops!Something went wrong.Please try again later.",
     "Comments on this piece are premoderated to ensure the discussion remains on the topics raised.",
     # notes about the story, tip lines, link-list labels, references, escaped markup
     "This article appeared in the Leaders section of the print edition under the headline \"Red Sea, red alert\"",
     "This article has been reviewed according to Science X's editorial process and policies.",
     "The author or authors do not own shares in any securities mentioned in this article.",
     "Have a tip? Send it to us! Email In Touch at contact@example.com.", "Contact us at letters@time.com",
     "Vanity Fair’s Most Read Stories of 2023", "Get the Space.com Newsletter", "Top reads on TechCrunch this week",
     "Zhizhi Sheng et al, Mimicking polar bear hairs in aerogel fibers, Science (2023). DOI: 10.1126/science.adm8388",
     '<a href="https://twitter.com/hashtag/Dolphins?src=hash">#Dolphins</a> coach Mike McDaniel told reporters',
     "This content can also be viewed on the site it originates from.", "Most read in Celebrity",
     "READ MORE ON KATIE PRICE", "[Related: How to tune up a table saw]", "(MORE: Iceland Volcano Eruption: What We Know)",
     "Also Read- Made in China to Make in India: Apple's new big bet", "People are also reading…",
     "You’re reading the Today’s Opinions newsletter. Sign up to get it in your inbox.",
     "We may earn revenue from the products available on this page and participate in affiliate programs.",
     "From the December 23rd 2023 edition", "[Image via MEGA/WENN]", "Video by MEGA Media.", "Like What You're Reading?",
     "Join the experts who read Tom's Hardware for the inside track on enthusiast PC tech news — and have for over 25 "
     "years. We'll send breaking news and in-depth reviews of CPUs, GPUs, AI, maker hardware and more straight to your inbox.",
     "Waiting for your permission to load the Instagram Media.", "Filed under: Khawarij |",
     "posted on  by Rafael Antonio Pineda", "Daisy-Mae SchmittDec 05, 20232 Shares1530 Views",
     "This copy is for your personal, non-commercial use only. To order presentation-ready copies for "
     "distribution to your colleagues, clients or customers visit https://www.djreprints.com.",
     "An error has occurred, please try again later.", "Like this story? Share it with a friend!",
     "Write to Al Root at allen.root@dowjones.com", "SEE MORE: Hong Kong protests: 800 students under siege",
     "Email Tariq Malik at tmalik@space.com or follow him @tariqjmalik.", "Tell us what YOU think...",
     "Subscribe to the 9to5Toys YouTube Channel for all of the latest videos, reviews, and more!",
     "For more Culture, Media, Education, Opinion and channel coverage, visit foxnews.com/media",
     "GO HERE FOR MORE TRUE CRIME FROM FOX NEWS DIGITAL", "Also available on Apple Podcasts",
     "Curious about the technology you encounter in your everyday life? Email us at shortwave@npr.org.",
     "Next: Miley Cyrus Shares Passionate Cover of ‘Jingle Bells’", "TOP 10 RIGHT NOW",
     "You might like", "Trending this week", "Newsletter", "Stay connected", "Terms of Use and   Privacy Policy",
     "Dear Therapist is for informational purposes only, does not constitute medical advice, and is not a "
     "substitute for professional medical advice, diagnosis, or treatment."],
)
def test_generic_boilerplate(line):
    assert is_generic_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    ["More than 300 people signed the letter, which was sent to the ministry on Monday.",
     "Share prices fell 4 percent after the announcement, the steepest drop since March.",
     "Related: " + "the committee said the findings would be published in full, and that every member "
     "had read the report before the vote was taken, which was unusual for a body of its size.",
     "On December 21, 2023, the council met at 9 am and voted 7 to 2 to close the pier.",
     "The 2023 season ended on 12 November after 30 rounds.",
     "The newsletter, which she started in 2019, now has 40,000 subscribers and a staff of three people "
     "who answer every letter; subscribe to our newsletter, readers wrote, had become a family motto, "
     "and the town has since named a bench after the founder, who died last spring.",
     # provenance stays (AEB's ground truth keeps it), and so do sentences that mention an app or a tip
     "Originally published on Live Science.", "This article was originally published by Futurism.",
     "Users who download the new app from the store get a free month, the company said on Tuesday.",
     "Police said they had a tip from a neighbour about the van in the early hours of Sunday."],
)
def test_article_sentences_are_not_generic_boilerplate(line):
    assert not is_generic_boilerplate(line)


def test_link_list_after_a_furniture_label_goes_with_it():
    lines = ["The council voted on Monday to rebuild the pier before the storms.", "More Must-Reads From TIME",
             "- Taylor Swift Is TIME's 2023 Person of the Year", "- Your Questions About the Ruling, Answered",
             "The last paragraph of the story is here, after the box."]
    assert clean_blocks(lines, [block_key(line) for line in lines]) == [lines[0], lines[4]]
    # a list after an ordinary sentence stays
    listed = [lines[0], "The plan has three parts:", "- a new pier", "- a sea wall"]
    assert clean_blocks(listed, [block_key(line) for line in listed]) == listed


BODY = "".join(
    f"<p>Paragraph {i} of the story: the harbour council met again on Monday to discuss the repairs to the "
    f"old pier, which storms damaged last winter, and agreed to ask the province for help.</p>" for i in range(6)
)


@pytest.mark.parametrize(
    "byline,expected",
    [
        ('<p class="article-byline">By Jane Doe and John Roe</p>', ["Jane Doe", "John Roe"]),
        ('<a rel="author" href="/staff/jd">Jane Doe</a>', ["Jane Doe"]),
        ('<span itemprop="author" itemscope><span itemprop="name">Jane Doe</span></span>', ["Jane Doe"]),
        ("<p>Staff</p>", []),
    ],
)
def test_byline_when_the_page_declares_no_author(byline, expected):
    page = (
        "<html><head><title>Pier</title><meta property='og:title' content='Pier repairs'>"
        "<meta property='article:published_time' content='2026-11-20T08:00:00Z'></head><body><article>"
        f"<h1>Pier repairs</h1>{byline}{BODY}<figure><img src='/a.jpg'><figcaption>The old pier in November."
        "</figcaption></figure></article></body></html>"
    )
    article = extract_article(page.encode(), "https://example.org/2026/11/20/pier.html", "text/html")
    assert article.authors == expected
    assert "Jane Doe" not in article.text and "old pier in November" not in article.text
    assert article.image_caption == "The old pier in November."


# -- bad input ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body,content_type",
    [
        (b"", "text/html"),
        (b"   \n\t ", "text/html"),
        (bytes(range(256)) * 64, "application/octet-stream"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(4096), "image/png"),
        (b'{"items": [1, 2, 3]}', "application/json"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html"),
        (b"<html><body><p>Too short to be an article.</p></body></html>", "text/html"),
    ],
)
def test_bad_input_gives_no_article(body, content_type):
    article = extract_article(body, "https://example.org/2026/11/28/x.html", content_type)
    assert article is None or article.word_count < MIN_ARTICLE_WORDS


def test_plain_trafilatura_keeps_the_notice_we_drop():
    """The benchmark's baseline really is different on Pangea pages (else the profile proves nothing)."""
    path = next(p for p, e in PANGEA_EXPECTED["articles"].items() if e["legal_notice_markup"] == "plain-paragraphs")
    assert "undesirable organization" in (trafilatura.extract(pangea_page(path), url=BASE + path) or "")


@pytest.mark.parametrize(
    "container,text",
    [
        # reader comments whose class names comments without starting with "comment" (the Daily Mail's)
        ('<div class="article-reader-comments reader-comments">', "I don't consider that a heat pipe, and the "
         "article should have said so plainly, because a closed loop with a pump is a phase-change system."),
        ('<div class="affiliate-disclosure">', "When you click through from our site to a retailer and buy a "
         "product or service, we may be paid a fee by the retailer, which helps support our work."),
        ('<section class="c-promo">', "Join the experts who read the site for the inside track on the "
         "hardware news of the week, with the breaking news and the in-depth reviews of the month."),
        ('<div class="bio">', "Aaron Klotz writes the hardware news of the site, covering processors "
         "and graphics cards, and before that he wrote about cameras for eight years in Denver."),
        ('<div class="article__sources">', "Forbes, How the candidate brought in more than nine million dollars "
         "over the past eighteen months, July 1, 2023, and The New York Times, July 6, 2023."),
    ],
)
def test_boilerplate_containers_are_not_text(container, text):
    """Containers named for what they hold (comments, disclosure, newsletter, promo, bio, sources) are
    pruned; trafilatura's own filters keep them."""
    tag = container[1 : container.index(" ")]
    page = (
        "<html><head><title>Pier</title></head><body><article><h1>Pier repairs</h1>"
        f"{BODY}{container}<p>{text}</p></{tag}></article></body></html>"
    )
    assert text[:30] in trafilatura.extract(page, include_comments=False)
    article = extract_article(page.encode(), "https://example.org/2026/11/20/pier.html", "text/html")
    assert text[:30] not in article.text and "Paragraph 5 of the story" in article.text


def test_a_class_that_only_contains_a_word_is_not_pruned():
    page = (
        "<html><head><title>Pier</title></head><body><article><h1>Pier repairs</h1>"
        f'<div class="biology-section commentary">{BODY}</div></article></body></html>'
    )
    article = extract_article(page.encode(), "https://example.org/2026/11/20/pier.html", "text/html")
    assert "Paragraph 5 of the story" in article.text


def test_author_bio_at_the_end_whatever_the_case_of_the_role():
    lines = ["The council voted on Monday to rebuild the pier before the storms.",
             "Rose is a Senior Editor at ELLE overseeing features and projects about women's issues."]
    assert clean_blocks(lines, [block_key(line) for line in lines]) == lines[:1]


def test_closing_credits_go_only_at_the_end():
    story = ["The council voted on Monday to rebuild the pier before the storms.",
             "—Reporting by Nate Berg", "The second part of the guide is about the sea wall and who pays for it.",
             "The province has promised half of the money.", "The rest comes from a levy on moorings.",
             "Work starts in March."]
    closing = ["Associated Press writer Jim Salter in O’Fallon, Missouri, contributed to this report.",
               "Reporting by Pavel Polityuk; Editing by Kirsten Donovan", "Our Standards: The Thomson Reuters Trust Principles.",
               "Makeup Artist: Ezeikel Onome", "Copy Editors: Dawn Rebecky, Leslie Lipton",
               "Follow the Mirror US News page on Facebook", "SOURCE: Al Jazeera News",
               "This story was originally published December 22, 2023, 11:09 AM.",
               "This episode was produced by Berly McCoy, edited by Rebecca Ramirez and fact checked by Brit Hanson."]
    lines = story + closing
    assert clean_blocks(lines, [block_key(line) for line in lines]) == story  # a section's credit stays


DECLARED = " ".join(
    f"Sentence {i} of the declared article says the tournament moved to a new venue two months before the "
    f"start, and the stadium court was built in the final weeks." for i in range(8)
)


@pytest.mark.parametrize("rendered", [False, True])
def test_declared_article_body_when_extraction_found_another_block(rendered):
    """A page whose article is rendered by script (tennis.com): what trafilatura finds is a list of
    related headlines, so the schema.org articleBody the page declares is the text. When the article is
    in the page, the extracted text stays."""
    related = "".join(
        f"<p>Tennis Lessons</p><p>On this day in {1990 + i}, a player ranked {140 + i}th took a step in the right "
        f"direction at a Challenger event</p>" for i in range(8)
    )
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in DECLARED.split(".") if s.strip())
    body = f"<div class='more'>{related}</div><div id='app'>{paragraphs if rendered else ''}</div>"
    ld = json.dumps({"@type": "NewsArticle", "headline": "Venue", "articleBody": DECLARED.replace(". ", ".\n\n")})
    page = (
        f"<html><head><title>Venue</title><script type='application/ld+json'>{ld}</script></head>"
        f"<body><h1>Venue</h1>{body}</body></html>"
    )
    if not rendered:
        assert "Sentence 7" not in trafilatura.extract(page, fast=True)
    article = extract_article(page.encode(), "https://example.org/2026/11/20/venue.html", "text/html")
    assert "Sentence 7 of the declared article" in article.text
    assert ("took a step in the right direction" in article.text) is rendered
    assert len(article.text.split("\n")) >= 8


def test_caption_classes_beyond_the_caption_token_are_fields():
    """The Daily Mail marks captions ``<p class="imageCaption">``: a caption, not body text."""
    page = (
        "<html><head><title>Pier</title></head><body><article><h1>Pier repairs</h1>"
        f"{BODY[:len(BODY) // 2]}<div><img src='/pier.jpg'><p class='imageCaption'>Flowers line the wall "
        f"of the old pier, where the storm broke through in November</p></div>{BODY[len(BODY) // 2:]}"
        "</article></body></html>"
    )
    assert "Flowers line the wall" in trafilatura.extract(page)
    article = extract_article(page.encode(), "https://example.org/2026/11/20/pier.html", "text/html")
    assert "Flowers line the wall" not in article.text and "Paragraph 5 of the story" in article.text
    assert article.image_caption.startswith("Flowers line the wall")


def test_a_sentence_repeated_as_a_caption_stays_once_in_the_story():
    sentence = "William was playing with friends while his mother made him his dinner when he was hit"
    page = (
        "<html><head><title>Pier</title></head><body><article><h1>Pier repairs</h1>"
        f"{BODY[:len(BODY) // 2]}<div><img src='/w.jpg'><p class='imageCaption'>{sentence}</p></div>"
        f"<p>{sentence}.</p>{BODY[len(BODY) // 2:]}</article></body></html>"
    )
    assert trafilatura.extract(page).count(sentence) == 2  # the same words, once with a full stop
    article = extract_article(page.encode(), "https://example.org/2026/11/20/pier.html", "text/html")
    assert article.text.count(sentence) == 1
    lines = ["A caption.", "The story.", "A caption."]
    keys = [block_key(line) for line in lines]
    assert clean_blocks(lines, keys, once={block_key("A caption."): 1}) == lines[1:]


def test_headlines_after_a_link_list_label_go_with_it():
    lines = ["The council voted on Monday to rebuild the pier before the storms.", "Read more:",
             "How to make the sea wall safer?", "Two-thirds of piers not inspected - study",
             "The harbour master said the work would start in March.", "Related",
             "The pier in numbers"]
    assert clean_blocks(lines, [block_key(line) for line in lines]) == [lines[0], lines[4]]
    # a heading after a label that does not head a list stays, and so does a sentence after a list label
    shared = ["The council voted on Monday to rebuild the pier.", "Share", "What happens next",
              "Related stories", "The work starts in March, the council said."]
    assert clean_blocks(shared, [block_key(line) for line in shared]) == [shared[0], shared[2], shared[4]]
