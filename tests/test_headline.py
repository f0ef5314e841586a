"""``articles.title``: the declared headline without double escaping, site names or a cut-short end.

The cases are declared titles of corpus pages (../shared/corpus) and what NAEB's ground truth says."""

from __future__ import annotations

import pytest

from archive.headline import headline

CASES = [
    # (declared, og:site_name, url, expected)
    ("Braelinn food drive gives back to community - The Citizen", "The Citizen", "https://thecitizen.com/2023/x/",
     "Braelinn food drive gives back to community"),
    ("Inside Shohei Ohtani's $700 million contract with Dodgers - ESPN", None, "https://www.espn.co.uk/x",
     "Inside Shohei Ohtani's $700 million contract with Dodgers"),
    ("Gigi and Bella Hadid for i-D Magazine - Egotastic - Sexy Celebrity Gossip and Entertainment News", None,
     "http://www.egotastic.com/x", "Gigi and Bella Hadid for i-D Magazine"),  # the name, then a tagline
    ("Gracie Hunt Celebrates the Winter Solstice! - Egotastic! Sports!", None, "https://www.egotasticsports.com/x",
     "Gracie Hunt Celebrates the Winter Solstice!"),
    ("PolitiFact - Robert F. Kennedy Jr.’s campaign of conspiracy theories: PolitiFact’s 2023 Lie of the Year",
     "PolitiFact", "http://www.politifact.com/article/x",
     "Robert F. Kennedy Jr.’s campaign of conspiracy theories: PolitiFact’s 2023 Lie of the Year"),
    ("Rivals.com  -  No. 1 2025 OG Solomon Thomas talks Florida State commitment", None, "https://n.rivals.com/x",
     "No. 1 2025 OG Solomon Thomas talks Florida State commitment"),
    ("10 Eco-Friendly Ways To Get Rid Of Your Christmas Tree | Weather.com", None, "https://weather.com/x",
     "10 Eco-Friendly Ways To Get Rid Of Your Christmas Tree"),
    ("Carl Zeiss Meditec AG to Acquire Dutch Ophthalmic Research Center - Novus Light Today", None,
     "https://www.novuslight.com/x", "Carl Zeiss Meditec AG to Acquire Dutch Ophthalmic Research Center"),
    ("Lyfe Jennings | Creative Loafing", None, "http://blogs.creativeloafing.com/x", "Lyfe Jennings"),
    # escaped twice: the page's meta content says "&#39;", which lxml reads as the text "&#39;"
    ("Zack Snyder calls Rebel Moon sequel &#39;a war movie&#39;: &#39;The stakes have risen&#39;", None,
     "https://x.test/a", "Zack Snyder calls Rebel Moon sequel 'a war movie': 'The stakes have risen'"),
    ("A woodworker&#8217;s guide to choosing the right saw for each cut", None, "https://x.test/a",
     "A woodworker’s guide to choosing the right saw for each cut"),
    ("Get a rare look at how Dimension 20’s D&amp;D show is made", None, "https://x.test/a",
     "Get a rare look at how Dimension 20’s D&D show is made"),
    # left alone: a name inside the headline, a separator that is the headline's, too little left
    ("Take C.A.R.E. - comwrap auf der DMEXCO 2018", None, "https://blog.comwrap.com/x",
     "Take C.A.R.E. - comwrap auf der DMEXCO 2018"),
    ("NASA’s Space Station Laser Comm Terminal Achieves First Link", None, "https://www.nasa.gov/x",
     "NASA’s Space Station Laser Comm Terminal Achieves First Link"),
    ("Spider-Man - Review | IGN", None, "https://www.ign.com/x", "Spider-Man - Review"),
    ("Review | IGN", None, "https://www.ign.com/x", "Review | IGN"),
    ("Q&A - what it means", None, "https://x.test/a", "Q&A - what it means"),
]


@pytest.mark.parametrize(("declared", "site_name", "url", "expected"), CASES)
def test_headline(declared, site_name, url, expected):
    assert headline(declared, site_name=site_name, section=None, url=url) == expected


def test_section_between_headline_and_site():
    declared = "President Gay Was Right: Context Matters | Opinion | The Harvard Crimson"
    assert headline(declared, site_name="The Harvard Crimson", section="Opinion",
                    url="https://www.thecrimson.com/x") == "President Gay Was Right: Context Matters"
    # not the section: kept
    assert headline(declared, site_name="The Harvard Crimson", section="News", url="https://www.thecrimson.com/x") \
        == "President Gay Was Right: Context Matters | Opinion"


def test_cut_short_title_taken_whole_from_the_h1():
    cut = "Little boy, seven, killed while playing football with his friends in hit-and-run just weeks before..."
    whole = ("Little boy, seven, killed while playing football with his friends in hit-and-run just weeks "
             "before Christmas died of severe head injuries, inquest hears")
    url = "https://www.dailymail.co.uk/x"
    assert headline(cut, site_name="Mail Online", section=None, url=url, h1=whole) == whole
    # an h1 that is another text is no completion
    assert headline(cut, site_name="Mail Online", section=None, url=url, h1="Mail Online") == cut
    assert headline("Wait for it...", site_name=None, section=None, url=url, h1="Wait for it... and more") \
        == "Wait for it... and more"
    assert headline(None, site_name=None, section=None, url=url) is None
