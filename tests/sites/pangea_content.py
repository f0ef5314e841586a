"""Article texts for the Pangea CMS (RFE/RL) replica.

The NATO article body is the text kept from a real rferl.org page (the shared seed
text); the other five articles are original fixture prose written in the same house style.
"""
from __future__ import annotations

from typing import Any

LEGAL_NOTICE: list[str] = [
    'RFE/RL has been declared an "undesirable organization" by the Russian government.',
    "If you are in Russia or the Russia-controlled parts of Ukraine and hold a Russian passport or are a "
    "stateless person residing permanently in Russia or the Russia-controlled parts of Ukraine, please note "
    "that you could face fines or imprisonment for sharing, liking, commenting on, or saving our content, or "
    "for contacting us.",
    "To find out more, click here.",
]

NATO_PARAGRAPHS: list[str] = [
    'NATO Secretary-General Anders Fogh Rasmussen has reiterated that the alliance\'s plan to build a missile-defense shield in Europe will not "threaten" Russia.',
    'Rasmussen was speaking at NATO headquarters in Brussels, where discussions over the defense shield were held between foreign ministers from the 28-member alliance, including U.S. Secretary of State Hillary Clinton and Russian Foreign Minister Sergei Lavrov.',
    'Rasmussen said NATO\'s proposed defense shield will protect Europe from missiles fired from rogue nations and would not "threaten" Russia or its strategic position in the region.',
    '"Within NATO, we are making good progress in developing an integrated, alliance-wide missile defense system," Rasmussen said. "This system does not threaten Russia. Nor does it alter the strategic balance. So I am confident that there, too, we can find a way forward, in a spirit of dialogue, trust, and transparency that we have built up around this table over the last 15 years."',
    'He reiterated the alliance’s commitment to working closely with Russia despite making little progress on the issue so far.',
    '"It is well-known that we do not agree on all issues," Rasmussen said. "But it is also clear that we are committed to continue discussing all issues, at all times -- because the NATO-Russia Council is an all-weather forum. And it still has untapped potential."',
    'Russia, meanwhile, has long suspected the missile-defense shield will neutralize its nuclear deterrent.',
    'Russia has previously demanded “legally binding” guarantees that it will not be targeted, since the shield could reach parts of its territory.',
    'According to some reports, NATO is expected to declare the missile defense shield, a U.S.-sponsored project, partially operational at a NATO summit in Chicago in May, although full capability is not expected before 2020.',
    'Romania has already signed a deal with NATO for 24 interceptor missiles to be based there, while Turkey has agreed to have in its territory a sophisticated American radar system.',
    'At the meeting, NATO and Russian ministers also discussed a plan to give the alliance a new logistics facility on Russian territory for the transfer of military cargo to and from Afghanistan.',
    'Moscow has provided NATO with air and railway routes for carrying supplies to and from the landlocked country.',
    'The supply route has become particularly important since Pakistan blocked NATO supplies from crossing its territory last November.',
    'The move comes despite Lavrov criticizing NATO for what he called its "artificial" timeline for withdrawal from Afghanistan.',
    '"We are very concerned about how events will unfold after the planned withdrawal of the International Security Assistance Force (ISAF) from Afghanistan," Lavrov said. "We believe any withdrawal must be synchronized with the process of ensuring that Afghan security forces are capable of controlling the situation in their own country and combating extremist groups and drug traffickers."',
    'The majority of the NATO-led international force is scheduled to leave Afghanistan by 2014. NATO has said it is planning to train some 350,000 Afghan soldiers and policemen by the end of this year as it works to fill the void that will be created by the withdrawal of foreign combat troops.',
    'Based on reporting by AP and dpa',
]

ARTICLES: list[dict[str, Any]] = [
    {
        "path": "/a/nato-chief-says-missile-defense-shield-will-not-threaten-russia/24553530.html",
        "id": "24553530",
        "title": "NATO Chief Says Missile Defense Shield Will Not Threaten Russia",
        "description": "NATO Secretary-General Anders Fogh Rasmussen has reiterated that the alliance's plan to "
        "build a missile-defense shield in Europe will not \"threaten\" Russia.",
        "category": ("NATO", "/z/566"),
        "author": None,
        "published": "2012-04-19 15:42:00Z",
        "modified": "2012-04-19 17:03:19Z",
        "caption": "NATO Secretary-General Anders Fogh Rasmussen at the press conference in Brussels on April 19.",
        "image": "5A1F03C2-7B8D-4E1C-9F3A-2D6B8E0C4A11",
        "keywords": "NATO, Russia, Missile Defense, Afghanistan",
        "paragraphs": NATO_PARAGRAPHS,
        "also_read_after": 6,
    },
    {
        "path": "/a/tajikistan-glacier-farmers-irrigation-channels/33194872.html",
        "id": "33194872",
        "title": "Tajik Farmers Dig New Channels As The Glacier That Waters Their Fields Retreats",
        "description": "For the first time in living memory, the stream that feeds the village of Sarband ran "
        "dry in August.",
        "category": ("Tajikistan", "/z/17359"),
        "author": "Nilufar Karimova",
        "published": "2026-11-24 09:12:00Z",
        "modified": "2026-11-24 10:30:45Z",
        "caption": "Farmers from the village of Sarband clear rocks from a new irrigation channel below a "
        "retreating glacier in eastern Tajikistan.",
        "image": "0C7E9A44-1B2F-4D6A-8E3B-5F9C2A7D1E01",
        "keywords": "Tajikistan, glaciers, climate change, agriculture",
        "also_read_after": 3,
        "paragraphs": [
            "SARBAND, Tajikistan -- For as long as anyone in this village can remember, the water that fed its "
            "apricot orchards and potato fields came from a single stream, fed by a glacier that filled the head "
            "of the valley. This year, for the first time, the stream ran dry in the last week of August.",
            "Villagers now walk more than two hours uphill to reach the ice, which has retreated so far that its "
            "snout is no longer visible from the highest houses. Over the summer, some 60 men from Sarband and two "
            "neighboring villages dug a new channel by hand to bring meltwater from a smaller glacier on the other "
            "side of the ridge.",
            "\"My grandfather used to say the ice would always be there, like the mountain,\" said Davlat Rahimov, "
            "a 52-year-old farmer who helped organize the work. \"Now we measure it with our feet every spring. "
            "Every year the walk is longer.\"",
            "Tajikistan's glaciers supply a large share of the water that flows into Central Asia's major rivers. "
            "Scientists estimate that the country has lost a significant part of its glacier area since the middle "
            "of the 20th century, and small glaciers such as the one above Sarband are disappearing fastest.",
            "In the short term, melting can actually increase the water supply, as ice that has been frozen for "
            "centuries turns to runoff. But hydrologists warn that this \"peak water\" moment passes quickly for "
            "small glaciers, leaving valleys that depended on them with far less water in late summer, exactly "
            "when crops need it most.",
            "Local officials say they have asked the regional government for funds to line the new channel with "
            "concrete, which would cut the amount of water lost to seepage by as much as half. For now, the "
            "channel is an unlined trench that must be cleared of rockfall after every storm.",
            "Some families are not waiting. Several households in Sarband have replaced potatoes with "
            "drought-tolerant barley and begun collecting snowmelt in plastic tanks each spring. Others have sent "
            "sons to work in Russia, a path already taken by hundreds of thousands of Tajik men, whose remittances "
            "make up a large part of the country's economy.",
            "Rahimov said he would stay. \"We have built a channel with our own hands once,\" he said. \"If the ice "
            "goes further, we will build another one.\"",
            "With reporting by RFE/RL's Tajik Service",
        ],
    },
    {
        "path": "/a/georgia-qvevri-winemakers-hotter-summers/33195510.html",
        "id": "33195510",
        "title": "Georgian Winemakers Bury Clay Jars Deeper As Summers Grow Hotter",
        "description": "Producers in Kakheti are reburying their qvevri, harvesting at night, and reviving "
        "forgotten grape varieties.",
        "category": ("Georgia", "/z/17357"),
        "author": "Giorgi Lomidze",
        "published": "2026-11-25 11:40:00Z",
        "modified": "2026-11-25 11:40:00Z",
        "caption": "A winemaker lifts the lid of a buried qvevri in the Kakheti region of eastern Georgia.",
        "image": "9B3D5E21-6C4A-4F8E-A1D2-7E0F3B9C6D22",
        "keywords": "Georgia, wine, qvevri, climate change",
        "also_read_after": 4,
        "paragraphs": [
            "TELAVI, Georgia -- In the courtyard of his family's winery, Levan Abashidze kneels beside a circle of "
            "stone set into the ground and lifts a wooden lid to reveal the mouth of a qvevri, the egg-shaped clay "
            "vessel that Georgians have used to make wine for some 8,000 years.",
            "The jar beneath him holds two tons of fermenting Rkatsiteli grapes. Until three years ago, it was "
            "buried about a meter and a half deep. After two summers in which cellar temperatures rose high enough "
            "to spoil part of his harvest, Abashidze dug it out and reburied it more than a meter deeper, where "
            "the earth stays cool year-round.",
            "\"The qvevri is a kind of refrigerator that our ancestors invented without electricity,\" he said. "
            "\"But it only works if the ground is cold. The ground is not as cold as it was.\"",
            "Across Kakheti, Georgia's main wine region, producers report similar problems. Grapes are ripening "
            "earlier, often in the heat of late August rather than mid-September, and with higher sugar levels "
            "that push up alcohol content. Several winemakers said they had begun harvesting at night to keep the "
            "fruit cool before it goes into the jars.",
            "Qvevri winemaking was added to UNESCO's list of intangible cultural heritage in 2013, and the amber "
            "wines it produces have found a growing market abroad. Producers have spent years seeking buyers in "
            "Europe, Asia, and the United States to reduce their dependence on Russia, historically their largest "
            "customer.",
            "Reburying a qvevri is not simple. The vessels are handmade by a shrinking number of craftsmen, can "
            "weigh several hundred kilograms empty, and are easily cracked when moved. Abashidze hired a crane and "
            "a team of six men for two days to lift and reset four of his jars.",
            "Some growers are experimenting with higher vineyards in the foothills of the Caucasus, where nights "
            "are cooler, and with older grape varieties that ripen later. Researchers have begun testing dozens of "
            "rare native varieties kept in a state collection for their tolerance to heat and drought.",
            "Abashidze has planted a small plot of one such variety, a red grape that his grandfather grew but that "
            "had fallen out of use. \"My grandfather thought it was too sour,\" he said. \"Maybe in a hotter world, "
            "sour is what we need.\"",
            "With reporting by RFE/RL's Georgian Service",
        ],
    },
    {
        "path": "/a/armenia-village-schools-teachers-free-housing/33196021.html",
        "id": "33196021",
        "title": "Armenian Village Schools Offer Free Housing To Lure Young Teachers",
        "description": "A program offering rent-free homes and bonuses has placed 140 young teachers in rural "
        "schools.",
        "category": ("Armenia", "/z/17356"),
        "author": "Narine Avetisyan",
        "published": "2026-11-26 07:05:00Z",
        "modified": "2026-11-26 08:47:12Z",
        "caption": "Pupils listen to a physics lesson at the village school in Arpunk in southern Armenia.",
        "image": "3E8A1C77-2D5B-4A9F-B6C0-8D4E2F1A9B33",
        "keywords": "Armenia, education, teachers, rural schools",
        "also_read_after": None,
        "paragraphs": [
            "ARPUNK, Armenia -- When the village school in Arpunk lost its only physics teacher to retirement two "
            "years ago, the headmistress spent months looking for a replacement. Nobody applied. The school's 84 "
            "pupils went without physics lessons for a full academic year.",
            "This autumn, the school has a new physics teacher, 26-year-old Tigran Mkrtchyan from Yerevan, and a "
            "new approach to recruiting. He lives rent-free in a renovated two-room house next to the school, paid "
            "for by a program that offers housing, a monthly bonus, and a subsidized internet connection to young "
            "teachers who agree to work in rural schools for at least three years.",
            "\"I would not have come for the salary alone,\" Mkrtchyan said, sitting in a classroom where the "
            "radiators had just been switched on for the winter. \"But a house, and the chance to actually be "
            "responsible for something from the first day, that is different. In Yerevan I would have been one of "
            "10 physics teachers in a big school.\"",
            "Armenia's rural schools have struggled to attract staff for years. Many village teachers are close to "
            "retirement age, and young graduates tend to stay in the capital or emigrate. Education officials "
            "estimate that hundreds of teaching posts outside the main cities are either vacant or filled by "
            "teachers working outside their subject.",
            "The housing program, launched last year with a mix of government and private donor funding, has so "
            "far placed 140 teachers in 96 villages. Most teach mathematics, sciences, or foreign languages, the "
            "subjects in which shortages are most acute.",
            "Not all placements have worked out. Organizers say about one in eight teachers has left before the "
            "end of the first year, most often citing isolation, poor transport, or the difficulty of finding "
            "work for a spouse. The program now tries to place teachers in pairs, or in villages close enough for "
            "them to meet colleagues regularly.",
            "For headmistress Lusine Grigoryan, the difference is already visible. Three pupils from Arpunk "
            "entered a regional physics olympiad this year, the first time in over a decade that the school has "
            "sent anyone. \"The children noticed that someone young chose to come here,\" she said. \"That matters "
            "more than any equipment.\"",
            "Mkrtchyan has not decided whether he will stay beyond his three years. For now, he said, he is busy "
            "trying to fix the school's only telescope, a Soviet-era instrument he found in a storeroom, in time "
            "for the pupils to watch a lunar eclipse in the spring.",
            "With reporting by RFE/RL's Armenian Service",
        ],
    },
    {
        "path": "/a/kazakhstan-railway-town-solar-farm-coal-jobs/33196788.html",
        "id": "33196788",
        "title": "Kazakh Railway Town Pins Its Hopes On A Solar Farm As Coal Jobs Fade",
        "description": "A 100-megawatt solar plant is the largest employer to arrive in Kokterek in a "
        "generation, but it needs far fewer workers than the old depot.",
        "category": ("Kazakhstan", "/z/17358"),
        "author": "Askar Nurlanov",
        "published": "2026-11-27 05:30:00Z",
        "modified": "2026-11-27 06:02:31Z",
        "caption": "Workers install panels at the solar farm outside the railway town of Kokterek in "
        "central Kazakhstan.",
        "image": "6F2B8D90-4E1C-4B7A-9D3E-1A5C7F2E8C44",
        "keywords": "Kazakhstan, solar power, coal, employment",
        "also_read_after": 2,
        "paragraphs": [
            "KOKTEREK, Kazakhstan -- On the flat steppe east of this railway town, rows of solar panels now "
            "stretch almost to the horizon, glinting beside the tracks that once carried coal trains from the "
            "mines to the north. The 100-megawatt plant, which began supplying power to the grid in October, is "
            "the largest employer to arrive in Kokterek in a generation.",
            "The town grew up around a junction on the Soviet-era railway and a depot that serviced coal wagons. "
            "When the nearest mine cut production and the depot was merged with another, about 600 jobs "
            "disappeared in two years. The population, which peaked at about 14,000 in the 1980s, has fallen "
            "below 8,000.",
            "The solar plant employed around 350 people during construction, many of them local. Far fewer are "
            "needed to run it: the operator says it will keep a permanent staff of 42, mostly technicians who "
            "clean and maintain the panels and monitor the inverters.",
            "\"People expected the solar farm to replace the depot. It cannot,\" said Gulnara Seitkali, who runs a "
            "small hotel near the station that was full of construction workers for most of the past year. \"But "
            "it has shown that something new can come here. Before, everything was only closing.\"",
            "Kazakhstan still generates most of its electricity from coal, but the government has set targets to "
            "raise the share of renewable energy and has held auctions to attract investors in wind and solar "
            "power. The steppe, with its strong sunshine and wind, is well suited to both.",
            "Officials in Kokterek hope the plant will attract other businesses. The local administration has set "
            "aside land next to the site for what it calls an industrial park, and is talking to a company that "
            "wants to build a facility to recycle old solar panels. No agreement has been signed.",
            "Some residents are skeptical. Former depot mechanic Yerlan Abenov, 49, applied for a maintenance job "
            "at the solar farm but was told he needed an electrical qualification. He is now taking a six-month "
            "course in the regional capital, paid for in part by the operator, and commuting home on weekends.",
            "\"I spent 25 years fixing wagons,\" he said. \"Now I am learning about inverters with students half my "
            "age. It is strange, but a job is a job, and this one will not disappear when the coal does.\"",
            "With reporting by RFE/RL's Kazakh Service",
        ],
    },
    {
        "path": "/a/moldova-border-market-traders-customs-rules/33197305.html",
        "id": "33197305",
        "title": "Moldovan Border Market Traders Adapt As Customs Rules Tighten",
        "description": "In a small town on the Prut River, stallholders are swapping informal cross-border "
        "trade for local produce and receipt books.",
        "category": ("Moldova", "/z/17360"),
        "author": "Ion Ciobanu",
        "published": "2026-11-27 14:20:00Z",
        "modified": "2026-11-27 15:11:08Z",
        "caption": "Traders set up their stalls before dawn at the market beside the Prut River bridge in "
        "Prutesti.",
        "image": "8A4C2E13-9F7B-4C1D-A2E5-3B6D9F0A1C55",
        "keywords": "Moldova, customs, European Union, trade",
        "also_read_after": None,
        "paragraphs": [
            "PRUTESTI, Moldova -- Before dawn on market days, the car park beside the bridge over the Prut River in "
            "this small border town used to fill with minivans from both sides of the frontier. Traders sold "
            "Romanian cheese and detergent, Moldovan wine and honey, and a great many cigarettes, often without "
            "much attention from customs officers.",
            "Those days are ending. New rules introduced this year as part of Moldova's efforts to align its "
            "customs procedures with European Union standards have tightened limits on the goods travelers can "
            "carry across the border without declaring them, and added scanners and cameras at the crossing.",
            "\"Half the people who used to come are gone,\" said Valentina Rusu, who has sold household goods from "
            "a folding table at the market for 17 years. \"The big traders moved to proper warehouses and trucks. "
            "The small ones like me, we are trying to understand what is allowed.\"",
            "Moldova, which was granted EU candidate status in 2022, has made customs reform one of its "
            "priorities, both to meet accession requirements and to reduce smuggling, which has long cost the "
            "state budget significant revenue. Officials say the new controls have already increased the duty "
            "collected at smaller crossings.",
            "For the market in Prutesti, the changes have forced a shift. Instead of reselling goods brought "
            "across the river, more stallholders now sell local produce: apples, walnuts, homemade wine, and "
            "cheese from villages in the surrounding district. The town council has cut stall fees by half for "
            "farmers who register as sellers of their own produce.",
            "Some traders have registered as small businesses for the first time, which allows them to import "
            "goods legally with invoices and pay duty. Rusu is among them. She said the paperwork took three "
            "visits to the tax office and a week of help from her granddaughter, who studies economics in "
            "Chisinau.",
            "\"I was afraid of it,\" she said of the registration. \"Now I have a receipt book and a stamp. My "
            "customers are surprised, but they still come.\"",
            "Local officials acknowledge that the transition has been hard for people who depended on informal "
            "cross-border trade, particularly older residents and families with members working abroad. A small "
            "grants program for market traders opened for applications this month.",
            "With reporting by RFE/RL's Moldovan Service",
        ],
    },
]
