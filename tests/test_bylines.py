"""``articles.authors``: names only, out of the bylines and metadata of corpus pages (../shared/corpus)."""

from __future__ import annotations

import pytest

from archive.bylines import MAX_BYLINE_CHARS, MAX_BYLINES, author_names
from archive.headline import site_names

CASES = [
    # (what the page said, its URL, the names)
    (["Eric Berger - Dec 21, 2023 1:00 pm UTC"], "https://arstechnica.com/x", ["Eric Berger"]),
    (["Written by Ike Allen Published on December 21, 2023"], "https://www.washingtonian.com/x", ["Ike Allen"]),
    (["December 22, 20235:00 AM ET By Eric McDaniel"], "https://www.npr.org/x", ["Eric McDaniel"]),
    (["ByFiona Leishman04:22, 24 Dec 2023Comments"], "https://www.mirror.co.uk/x", ["Fiona Leishman"]),
    (["Chip Mitchell | WBEZ [month] [day], [year], [hour]:[minute][ampm] [timezone]"],
     "https://chicago.suntimes.com/x", ["Chip Mitchell"]),
    (["View all posts by Will Macmaster"], "https://techreport.com/x", ["Will Macmaster"]),
    (["Review by Rick Lane Contributor"], "https://www.eurogamer.net/x", ["Rick Lane"]),
    (["Analysis by Chris Cillizza, CNN Editor-at-large"], "https://edition.cnn.com/x", ["Chris Cillizza"]),
    (["Bob Condotta Seattle Times staff reporter"], "https://www.seattletimes.com/x", ["Bob Condotta"]),
    (["Jon Talton Columnist"], "https://www.seattletimes.com/x", ["Jon Talton"]),
    (["Andrew Bosworth, Chief Technology Officer and Head of Reality Labs"], "https://about.fb.com/x",
     ["Andrew Bosworth"]),
    (["By STEVE PEOPLES, AP National Political Writer"], "https://apnews.com/x", ["STEVE PEOPLES"]),
    (["Saima Sidik Author Saima Sidik is a science journalist based in Boston"], "https://www.science.org/x",
     ["Saima Sidik"]),
    (["Daniel Tannenbaum Sponsored"], "https://www.searchenginewatch.com/x", ["Daniel Tannenbaum"]),
    (["John Sakellariadis Link Copied"], "https://www.politico.com/x", ["John Sakellariadis"]),
    (["Anneice Coady | acoady@mlive.com"], "https://www.mlive.com/x", ["Anneice Coady"]),
    (["Terry Pluto, cleveland.com"], "https://www.cleveland.com/x", ["Terry Pluto"]),
    (["Amy Kuperinsky | NJ Advance Media for NJ.com"], "https://www.nj.com/x", ["Amy Kuperinsky"]),
    (["Lauren Manaker MS, RDN, LD"], "https://www.health.com/x", ["Lauren Manaker"]),
    (["James O&#039;Neil"], "https://www.topspeed.com/x", ["James O'Neil"]),
    (["— Associated Press Associated Press"], "https://www.pbs.org/x", ["Associated Press"]),
    (["Carla Gomez, Jordeene B. Lagare"], "https://newsinfo.inquirer.net/x", ["Carla Gomez", "Jordeene B. Lagare"]),
    (["By MEG KINNARD and ERRIN HAINES, Associated Press"], "https://apnews.com/x",
     ["MEG KINNARD", "ERRIN HAINES", "Associated Press"]),
    (["Ryan Reed", "Ryan Reed"], "https://www.rollingstone.com/x", ["Ryan Reed"]),
    # the publication is no author; a staff byline, an agency alone, a name's suffix and "By..." names stay
    ([", USA TODAY"], "http://usatoday.com/x", []),
    (["The Daily Journal"], "http://thedailyjournal.com/x", []),
    (["Slate Staff"], "https://slate.com/x", ["Slate Staff"]),
    (["AFP"], "https://www.france24.com/x", ["AFP"]),
    (["George T. Conway III"], "https://www.theatlantic.com/x", ["George T. Conway III"]),
    (["Byron York"], "https://www.washingtonexaminer.com/x", ["Byron York"]),
]


@pytest.mark.parametrize(("found", "url", "expected"), CASES)
def test_author_names(found, url, expected):
    assert author_names(found, site_names(None, url)) == expected


def test_og_site_name_is_a_site_name_too():
    assert author_names(["RFE/RL", "Mike Eckel"], site_names("RFE/RL", "https://www.rferl.org/a/1.html")) == [
        "Mike Eckel"]


def test_only_the_head_of_a_long_byline_is_read():
    # The date pattern's search grows with the square of the length (5 s for 60 kB, 2 minutes for
    # 300 kB before the cap): only MAX_BYLINE_CHARS of each byline, and MAX_BYLINES bylines, are read.
    assert author_names([" " * MAX_BYLINE_CHARS + "Eric Berger"]) == []
    assert author_names([*["AFP"] * MAX_BYLINES, "Eric Berger"]) == ["AFP"]
    hostile = "Jan 1 " * 10_000  # 60 kB
    assert author_names(["Eric Berger - Dec 21, 2023", *[hostile] * 100]) == ["Eric Berger"]
