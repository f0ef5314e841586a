"""Article texts for the demo site "The Loopback Gazette" (all original fixture prose).

Straight quotes here are turned into typographic ones by build_fixtures.py for UTF-8
pages (not for the ISO-8859-1 page, which must stay within Latin-1).
"""
from __future__ import annotations

from typing import Any

ARTICLES: list[dict[str, Any]] = [
    {
        "path": "/2026/11/27/river-towns-rebuild-after-floods.html",
        "title": "River towns begin slow rebuild after November floods",
        "description": "Three weeks after the River Wend burst its banks, volunteers and engineers are "
        "still counting the cost along the valley.",
        "section": "world",
        "tags": ["climate"],
        "author": "Jane Doe",
        "published": "2026-11-27T07:30:00+00:00",
        "modified": "2026-11-27T11:05:00+00:00",
        "lang": "en",
        "caption": "Volunteers stack reusable flood barriers outside the church hall on Mill Lane in Ashby Ferrers.",
        "phrase": "sandbag libraries",
        "links": {
            "available as a PDF": "/report.pdf",
            "aerial photograph of the flooded high street": "/photo.jpg",
        },
        "related": [
            "/2026/11/26/glaciers-ice-core-archive.html",
            "/2026/11/20/last-keepers-of-carrow-point-weather-station.html",
        ],
        "paragraphs": [
            "Three weeks after the River Wend burst its banks, the market town of Ashby Ferrers still smells of "
            "wet plaster. Along Bridge Street, front doors stand propped open to let the walls breathe, and "
            "dehumidifiers hum behind almost every window. The water reached a depth of 1.4 metres in the lowest "
            "houses on the night of 4 November, according to the county's own gauge readings, the highest level "
            "recorded since measurements began in 1958.",
            "The recovery is uneven. Homeowners with insurance have begun stripping floors and booking builders, "
            "many of whom are now quoting start dates in March. Tenants and small shopkeepers, who are less likely "
            "to be covered, describe a quieter wait. \"We are drying out the stock we can save and throwing away "
            "the rest,\" said Marion Pettigrew, who has run a hardware shop near the bridge for 22 years. \"The "
            "river gave us four hours' warning. It took eleven days to go back down.\"",
            "Volunteers have filled some of the gap. In the church hall on Mill Lane, a group calling itself the "
            "Wend Valley Flood Circle has set up what residents have taken to calling sandbag libraries: stacks of "
            "reusable flood barriers, pumps and moisture meters that households can borrow and return, logged in a "
            "paper ledger on a trestle table. The scheme began with 40 barriers donated by a builders' merchant and "
            "now lends more than 300 items a week.",
            "Further downstream, the villages of Hollin and Caverswall face a different problem. Both sit on the "
            "inside of a wide meander where the river has repeatedly cut into the bank, and engineers from the "
            "regional water authority say the temporary earth embankment thrown up during the flood will not "
            "survive a second winter storm. A permanent wall has been costed at £6.8 million, but no money has "
            "been committed.",
            "The county council published an initial assessment on Wednesday, which estimates that 612 homes and "
            "87 businesses were flooded across the valley. The document, available as a PDF, also notes that a "
            "third of the affected properties had flooded at least once before, in 2007 or 2015. Residents can "
            "also view the council's aerial photograph of the flooded high street, taken from a drone on the "
            "morning after the peak.",
            "For hydrologists, the pattern is familiar. Dr Ifeoma Clarke, who studies river catchments at the "
            "University of Northmoor, said the Wend responds quickly to heavy rain because much of its upper "
            "valley was drained for grazing in the 1960s. \"The water used to soak into peat and take days to "
            "arrive,\" she said. \"Now it runs off the hills in hours. Rebuilding the towns without slowing the "
            "water upstream is only half a plan.\"",
            "Some of that upstream work is already under way. Farmers on three hill farms have agreed to block "
            "old drainage ditches and plant strips of woodland along the streams, under a pilot funded by the "
            "water authority. Early monitoring suggests the measures can delay peak flow by as much as 90 minutes "
            "in smaller storms, although researchers caution that they are unlikely to prevent a flood of the "
            "size seen this month.",
            "Back on Bridge Street, Pettigrew has repainted the lower half of her shop in a grey that she says "
            "will hide the next tide mark. She has also moved the fuse box to head height. \"People ask whether "
            "we will leave,\" she said. \"Nobody I know is leaving. We are just learning to live a metre higher "
            "than we used to.\"",
        ],
    },
    {
        "path": "/2026/11/26/glaciers-ice-core-archive.html",
        "title": "Scientists race to archive ice cores before mountain glaciers vanish",
        "description": "An international team is drilling and storing glacier ice so that future "
        "researchers can still read the atmosphere of past centuries.",
        "section": "science",
        "tags": ["climate"],
        "author": "Jane Doe",
        "published": "2026-11-26T09:00:00+00:00",
        "modified": "2026-11-26T09:00:00+00:00",
        "lang": "en",
        "caption": "A one-metre section of glacier ice is held up to the light in the storage freezer at Harwell.",
        "phrase": "a library of air",
        "links": {},
        "related": [
            "/2026/11/27/river-towns-rebuild-after-floods.html",
            "/2026/11/20/last-keepers-of-carrow-point-weather-station.html",
        ],
        "paragraphs": [
            "In a freezer room kept at minus 50 degrees Celsius on the edge of the Harwell science park, Dr "
            "Sunniva Berg lifts a metre-long cylinder of ice from a steel rack and holds it up to the light. Tiny "
            "bubbles, some no larger than a grain of sand, are trapped inside. Each one, she explains, is a sample "
            "of the atmosphere as it was when the snow fell, which in this case was roughly 600 years ago.",
            "Berg is one of the coordinators of an international effort to drill and store ice from mountain "
            "glaciers that are melting too quickly to study in place. The project has so far collected cores from "
            "the Alps, the Andes and the Pamirs, and plans a further expedition to the Caucasus next summer. The "
            "finished collection will be shipped to a purpose-built vault in Antarctica, where the natural cold "
            "will keep it frozen without power.",
            "\"We are building a library of air,\" Berg said. \"Scientists in fifty years will have techniques we "
            "cannot imagine today. If the glaciers are gone by then, the only record left will be the one we save "
            "now.\"",
            "The urgency comes from the meltwater itself. When the surface of a glacier melts and refreezes, water "
            "percolates downward and smears the chemical layers that record each year's snowfall. Researchers who "
            "drilled high in the French Alps a decade ago found clear annual layers; a team that returned to the "
            "same saddle last year found the upper 20 metres badly altered. Berg's group now tests each site with "
            "a shallow core before committing to a full drilling campaign.",
            "Drilling is slow and expensive. A typical core of 130 metres takes a team of eight about three weeks, "
            "using an electromechanical drill lowered on a cable from a tent pitched on the ice. The cores are cut "
            "into one-metre sections, sealed in polythene sleeves and carried down the mountain in insulated boxes "
            "packed with dry ice, sometimes by helicopter and sometimes on foot.",
            "The information locked inside is varied. Dust layers reveal droughts and volcanic eruptions; traces "
            "of lead chart the history of mining and leaded petrol; pollen and black carbon show how forests and "
            "fires changed across centuries. Several teams have used Alpine cores to date the onset of industrial "
            "pollution in Europe more precisely than any written record allows.",
            "Not everyone is convinced that shipping ice to Antarctica is the best use of limited funds. Prof. "
            "Anders Lindqvist, a glaciologist who is not involved in the project, said the money might do more "
            "good if spent on monitoring glaciers that still exist. \"Archiving is valuable, but it is a kind of "
            "admission of defeat,\" he said. Berg does not disagree. \"It is,\" she said. \"But it is better to "
            "admit it with a freezer full of ice than with empty hands.\"",
        ],
    },
    {
        "path": "/2026/11/25/night-ferry-returns-to-saltmarsh-crossing.html",
        "title": "Night ferry returns to the Saltmarsh crossing after eleven years",
        "description": "A cooperative of skippers has revived the evening service across the estuary, "
        "cutting an hour off shift workers' journeys.",
        "section": None,
        "tags": [],
        "author": "Tomas Ekwueme",
        "published": "2026-11-25T18:45:00+00:00",
        "modified": "2026-11-25T21:10:00+00:00",
        "lang": "en",
        "caption": "The Marram leaves the quay at Saltmarsh Point on its first evening sailing.",
        "phrase": "the lantern crossing",
        "links": {},
        "related": ["/2026/11/27/river-towns-rebuild-after-floods.html"],
        "paragraphs": [
            "For the first time since 2015, a passenger ferry left the quay at Saltmarsh Point after dark on "
            "Tuesday, carrying 46 passengers, two bicycles and a Labrador across the estuary to Kettleby in a "
            "little under 25 minutes. The night service, which locals have long called the lantern crossing after "
            "the oil lamp once hung at the ferry's bow, had been cut when the previous operator lost its subsidy.",
            "The new boat, the Marram, is a 19-metre catamaran with a hybrid engine that runs on batteries at slow "
            "speed inside the harbour. It was bought with a grant from the regional transport fund and is run by "
            "a cooperative of four skippers, two of whom worked on the old ferry. Tickets cost £3.20 each way, or "
            "£1.60 for students and pensioners.",
            "Passengers on the first evening sailing included shift workers from the hospital at Kettleby, who "
            "until now faced a 38-mile drive around the head of the estuary when their shifts ended after the last "
            "daytime crossing at 6.15pm. \"It cuts an hour off my day,\" said Grace Adebayo, a theatre nurse. \"On "
            "a night shift week, that is five hours I get back.\"",
            "The cooperative says the service must carry an average of 180 passengers a night to cover its "
            "running costs once the grant ends in two years. That is an ambitious figure: the old night ferry "
            "carried around 110. The skippers are counting on the hospital, a new college campus in Kettleby and a "
            "growing number of walkers on the coast path to make up the difference.",
            "Not everyone welcomed the return. Residents of Quay Terrace objected to the planning application, "
            "citing engine noise and the lights of waiting cars. The cooperative has agreed to use battery power "
            "only within 400 metres of the quay after 9pm and to ask drivers to switch off their headlights while "
            "they wait.",
            "On the return trip, skipper Ruth Calloway pointed out the channel markers blinking green and red "
            "across the black water. She first crossed the estuary on the night ferry as a child, on the way home "
            "from her grandmother's house. \"Everyone on this side has a story about this boat,\" she said. \"We "
            "just want to give people a reason to make new ones.\"",
        ],
    },
    {
        "path": "/2026/11/24/library-seed-lending-drawer.html",
        "title": "Library's seed-lending drawer outgrows its cabinet",
        "description": "A branch library's scheme for borrowing and returning vegetable seeds has "
        "recorded its 3,000th loan.",
        "section": None,
        "tags": [],
        "author": "Priya Raman",
        "published": "2026-11-24T08:15:00+00:00",
        "modified": "2026-11-24T08:15:00+00:00",
        "lang": "en",
        "caption": "Handwritten seed packets in the drawers of the Fenwick Road branch library.",
        "phrase": "borrow a tomato, return a tomato",
        "links": {},
        "related": ["/2026/11/19/latin1.html"],
        "paragraphs": [
            "When librarians at the Fenwick Road branch library put an old card catalogue cabinet beside the "
            "returns desk four years ago and filled its drawers with packets of vegetable seeds, they expected a "
            "few dozen borrowers. This autumn the scheme recorded its 3,000th loan, and the cabinet has been "
            "replaced by a wall of shelving built by volunteers from the men's shed next door.",
            "The rules are printed on a card taped to every drawer: borrow a tomato, return a tomato. Members take "
            "seeds in spring, grow them through the summer, and bring back a share of the seed from their best "
            "plants at the end of the season. Over time, the library hopes, the collection will adapt to the heavy "
            "clay soils and cool summers of the neighbourhood.",
            "Head librarian Oluwaseun Hart said the idea came from a reader who had grown the same climbing bean "
            "in her garden for 40 years, from seed her father brought from Jamaica. \"She was worried it would "
            "disappear when she could no longer garden,\" Hart said. \"So we wrote her name on a drawer. There are "
            "now nine households growing that bean.\"",
            "The collection holds 212 varieties, from common lettuce and radish to a pale-skinned cucumber that "
            "was nearly lost when the last local grower died in 2019. Each packet carries a handwritten note on "
            "where the seed was grown and how it did. Some are terse; others run to several paragraphs about "
            "slugs, late frosts and next door's cat.",
            "Returns remain the weak point. Only about one borrower in three brings seed back, which Hart says is "
            "typical of seed libraries elsewhere. She is not worried. \"A book that is never returned is a loss,\" "
            "she said. \"A seed that is never returned is probably still growing somewhere.\"",
            "The branch is now running seed-saving workshops on Saturday mornings through the winter, and has "
            "lent its old cabinet to a primary school that wants to start a collection of its own.",
        ],
    },
    {
        "path": "/2026/11/23/migrating-moths-magnetic-compass.html",
        "title": "Migrating moths steer by Earth's magnetic field, study finds",
        "description": "Tethered-flight experiments suggest night-flying moths fall back on a magnetic "
        "sense when clouds hide the stars.",
        "section": "science",
        "tags": [],
        "author": "Malik Osei",
        "published": "2026-11-23T14:00:00+00:00",
        "modified": "2026-11-23T16:20:00+00:00",
        "lang": "en",
        "caption": "A migrating moth tethered inside the flight simulator used in the Leiden experiments.",
        "phrase": "compass in the antennae",
        "links": {},
        "related": ["/2026/11/26/glaciers-ice-core-archive.html"],
        "paragraphs": [
            "Each autumn, millions of moths leave northern Europe and fly south towards the Mediterranean, often "
            "at night and at heights of several hundred metres. How they hold their course in the dark has puzzled "
            "entomologists for decades. A study published this week offers part of the answer: the insects appear "
            "to sense Earth's magnetic field, and use it as a backup when they cannot see the sky.",
            "Researchers at the Institute for Insect Navigation in Leiden caught 420 migrating moths of two species "
            "in light traps on the Dutch coast and tested them in a flight simulator, a small drum in which each "
            "moth is tethered to a thin rod and free to turn. The team then altered the magnetic field around the "
            "drum with electric coils, rotating magnetic north by 120 degrees.",
            "Under a clear artificial night sky with visible stars, the moths ignored the change and kept flying "
            "south-west. But when the researchers blocked the view of the sky, the moths turned by almost exactly "
            "the same 120 degrees, as if they were following a compass in the antennae. Moths whose antennae had "
            "been coated with a thin layer of wax, to block any sensory input, flew in random directions.",
            "\"They seem to use the stars first and magnetism second,\" said Dr Femke Jansen, the study's lead "
            "author. \"It is a sensible system. A magnetic compass works under cloud, but it tells you nothing "
            "about whether the wind is pushing you sideways. The sky helps with that.\"",
            "The finding adds to evidence that magnetic sensing is widespread among migrating animals. Birds, sea "
            "turtles and salmon are all thought to use Earth's field, though the biological mechanism remains "
            "contested. The Leiden group suspects the moths rely on light-sensitive proteins called "
            "cryptochromes, which have been linked to magnetic sensing in birds and fruit flies.",
            "Other scientists urged caution. Tethered flight is not the same as free flight at altitude, noted "
            "Prof. Hugh Abernethy, an entomologist at Glenmoor University who studies insect migration using "
            "radar. \"It is a careful experiment, and the result is striking,\" he said. \"The next step is to see "
            "whether the same behaviour shows up in moths flying in the wild on cloudy nights.\"",
            "The researchers say the work could matter beyond curiosity. Artificial light and electromagnetic "
            "noise from power lines are growing across Europe, and if moths depend on both the night sky and the "
            "magnetic field, both kinds of pollution could disrupt migrations that pollinate crops and feed birds "
            "and bats along the way.",
        ],
    },
    {
        "path": "/2026/11/22/harbour-road-bus-lanes-made-permanent.html",
        "title": "Council votes to keep Harbour Road bus lanes after trial",
        "description": "Councillors voted 31 to 19 to make the bus lanes permanent after an 18-month trial.",
        "section": None,
        "tags": [],
        "author": "Tomas Ekwueme",
        "published": "2026-11-22T22:40:00+00:00",
        "modified": "2026-11-23T08:00:00+00:00",
        "lang": "en",
        "caption": "A bus passes queuing traffic on Harbour Road near the ferry terminal.",
        "phrase": "the ninety-second bus",
        "links": {},
        "related": ["/2026/11/25/night-ferry-returns-to-saltmarsh-crossing.html"],
        "paragraphs": [
            "Bus lanes on Harbour Road will become permanent after councillors voted 31 to 19 on Thursday night "
            "to end an 18-month trial that divided shopkeepers, commuters and cyclists in one of the city's "
            "busiest corridors.",
            "The trial removed one general traffic lane in each direction between the railway station and the "
            "ferry terminal, and gave buses priority at six sets of traffic lights. According to figures presented "
            "to the council's transport committee, the average bus journey along the 2.3-kilometre route fell from "
            "14 minutes to just over 9 at peak times, and passenger numbers on the three routes that use the road "
            "rose by 22 percent.",
            "Drivers did not fare as well. Car journeys through the corridor at rush hour took on average four "
            "minutes longer, and traffic on parallel residential streets increased, particularly on Tannery Lane, "
            "where residents have campaigned for speed bumps. The council has promised to install them by spring.",
            "The debate in the chamber lasted almost three hours. Opposition councillor Derek Hollins said the "
            "scheme had been \"sold as a trial and run as a done deal,\" and argued that small businesses had lost "
            "passing trade because delivery vans could no longer stop outside. Supporters pointed to a survey of "
            "600 Harbour Road shoppers, which found that fewer than one in five had arrived by car.",
            "Transport chair Amira Lodge said the lanes had produced what regular passengers now call the "
            "ninety-second bus, a service so frequent during the morning peak that nobody checks the timetable "
            "any more. \"When the bus is faster than the car, people change how they travel,\" she said. \"That is "
            "the whole point.\"",
            "The council will now consult on opening loading bays to delivery vehicles between 10am and 3pm, a "
            "concession to traders. Cycle groups, who had asked for the bus lanes to be widened so bicycles could "
            "share them safely, said they were disappointed that the plan did not include any new cycle "
            "provision.",
        ],
    },
    {
        "path": "/2026/11/21/marche-couvert-saint-aubin-rouvre.html",
        "title": "Le marché couvert de Saint-Aubin rouvre après trois ans de travaux",
        "description": "Restauré pour 11,4 millions d'euros, le bâtiment de fer et de verre de 1896 a "
        "rouvert samedi matin.",
        "section": "world",
        "tags": [],
        "author": "Élodie Marchetti",
        "published": "2026-11-21T10:00:00+01:00",
        "modified": "2026-11-21T12:30:00+01:00",
        "lang": "fr",
        "caption": "Les premiers clients entrent dans les halles restaurées de Saint-Aubin.",
        "phrase": "les halles retrouvent leurs voix",
        "links": {},
        "related": ["/2026/11/19/latin1.html"],
        "paragraphs": [
            "Après trois ans de chantier et un budget qui a presque doublé, le marché couvert de Saint-Aubin a "
            "rouvert ses portes samedi matin. Dès sept heures, une file d'attente s'étirait le long de la rue des "
            "Tanneurs, où les premiers clients guettaient l'ouverture des grilles sous une pluie fine.",
            "Construit en 1896, le bâtiment de fer et de verre menaçait ruine depuis la découverte, en 2021, d'une "
            "corrosion avancée dans sa charpente. La municipalité avait alors fait le choix d'une restauration "
            "complète plutôt que d'une démolition, une décision longtemps contestée au conseil municipal. Le coût "
            "final des travaux s'élève à 11,4 millions d'euros, dont un tiers financé par la région.",
            "À l'intérieur, les trente-deux étals ont été reconstruits à l'identique, mais l'éclairage, la "
            "ventilation et les chambres froides ont été entièrement modernisés. Une verrière restaurée laisse de "
            "nouveau entrer la lumière du jour sur les allées carrelées. « On se croirait revenu en arrière, mais "
            "en mieux », résume Josiane Ferrand, fromagère, qui tenait déjà un étal avant la fermeture.",
            "Pendant les travaux, la plupart des commerçants s'étaient installés sous des tentes sur la place de "
            "l'Église. Certains n'ont pas survécu à ces trois hivers difficiles : quatre étals ont changé de "
            "propriétaire, et deux jeunes maraîchers bio ont rejoint le marché. La mairie a plafonné les loyers "
            "des emplacements pendant deux ans pour faciliter les retours.",
            "« Aujourd'hui, les halles retrouvent leurs voix », a lancé le maire, Bernard Leclerc, lors d'une "
            "brève cérémonie devant l'entrée principale. Il a rappelé que le marché faisait vivre près de "
            "quatre-vingts personnes et attirait chaque samedi des clients venus de toute la vallée.",
            "Les riverains, eux, attendent de voir. Plusieurs se plaignent déjà du manque de places de "
            "stationnement, réduites lors du réaménagement de la place. La municipalité promet une navette "
            "gratuite depuis le parking de la gare dès le mois de janvier.",
        ],
    },
    {
        "path": "/2026/11/20/last-keepers-of-carrow-point-weather-station.html",
        "title": "The last keepers of the Carrow Point weather station",
        "description": "For 39 years a retired couple have read the thermometers on a windy headland by "
        "hand. In March, a machine takes over a record that began in 1874.",
        "section": "science",
        "tags": ["climate"],
        "author": "Jane Doe",
        "published": "2026-11-20T06:00:00+00:00",
        "modified": "2026-11-21T09:30:00+00:00",
        "lang": "en",
        "caption": "Edith Samways walks to the Stevenson screen at Carrow Point for the morning readings.",
        "phrase": "the barometer has never once been wrong about lunch",
        "links": {},
        "related": [
            "/2026/11/26/glaciers-ice-core-archive.html",
            "/2026/11/27/river-towns-rebuild-after-floods.html",
        ],
        "paragraphs": [
            "At eight minutes to nine every morning, Edith Samways puts on a waxed jacket, picks up a clipboard "
            "with a pencil tied to it by a length of garden twine, and walks 40 paces across a patch of "
            "salt-bitten grass to a white wooden box on legs. She opens the louvred door, reads four thermometers, "
            "writes the numbers down, and walks back. She has done this, with few interruptions, since the spring "
            "of 1987.",
            "The box is a Stevenson screen, the standard housing for weather thermometers for more than a century, "
            "and the patch of grass belongs to the Carrow Point weather station, a cluster of instruments on a "
            "headland at the northern end of the bay. The station has recorded the weather here every day since 1 "
            "January 1874. In March, it will stop. The national weather service has decided to replace the manual "
            "observations with an automatic station, and Samways and her husband, Peter, who share the work, will "
            "become the last people to keep the record by hand.",
            "\"I don't resent it,\" Samways said, standing in the doorway of the small hut that serves as the "
            "station's office, where a row of ledgers in faded green cloth covers fills a shelf above the kettle. "
            "\"The machine will take readings every minute, and it won't get flu. But something will be lost, and "
            "I am not sure anyone has worked out exactly what.\"",
            "The Carrow Point record is one of a few dozen in the country that stretch back more than 150 years at "
            "the same site. For climate scientists, such long and consistent series are gold. They allow "
            "researchers to compare the weather of the 1880s with that of the 2020s without worrying that the "
            "thermometer has been moved to a warmer car park or that a new building now shelters it from the "
            "wind.",
            "Dr Rhiannon Pugh, a climatologist who has used the Carrow Point data in several studies, said the "
            "station's value lay in its dullness. \"Nothing much has changed there for 150 years, apart from the "
            "climate,\" she said. \"Same headland, same grass, same type of screen. When you see the average "
            "temperature rise by about 1.3 degrees over that period, you can be fairly confident that it is the "
            "air that changed, not the station.\"",
            "The first observer was a lighthouse keeper, Josiah Trelawney, who was paid a shilling a week by a "
            "learned society to read a barometer and two thermometers at nine in the morning and nine at night. "
            "His entries, in a careful copperplate hand, are still legible in the first ledger, which the station "
            "lent to the county archive in 1990. On 14 October 1881, he recorded a gale so strong that he could "
            "not stand upright to reach the screen and noted, simply, \"Readings abandoned. Roof of the oil store "
            "gone.\"",
            "After the lighthouse was automated in 1921, the observations passed to a succession of "
            "schoolteachers, a retired naval officer and, for 31 years, a farmer named Hubert Ashdown, whose land "
            "included the headland. Ashdown's habit of adding short remarks to the daily record has made his "
            "ledgers a favourite with local historians. Alongside the rainfall totals he noted the first swallows, "
            "the day the harbour froze in 1947, and, on one occasion in 1963, \"Cow in screen. Thermometers "
            "intact. Cow unrepentant.\"",
            "The Samwayses took over in 1987, when Ashdown's health began to fail. Peter was a retired merchant "
            "navy radio officer who had spent decades sending weather reports from ships; Edith worked as a "
            "school secretary in the town and had, in her words, \"never looked at a thermometer except to see "
            "whether I needed a cardigan.\" They were given a two-day training course, a manual of some 200 pages "
            "and a key to the hut.",
            "The daily routine has barely changed since. At 0900 Greenwich Mean Time, whatever the season, one of "
            "them reads the dry-bulb and wet-bulb thermometers, which together give temperature and humidity, and "
            "the maximum and minimum thermometers, which record the extremes of the previous 24 hours. They empty "
            "the rain gauge into a glass measuring cylinder, estimate cloud cover in eighths of the sky, note the "
            "visibility by checking which of a series of landmarks they can see, and read the barometer in the "
            "hut. The numbers are written in the ledger and then typed into a form on the weather service's "
            "website.",
            "On a grey morning in late November, with a northerly wind pushing spray over the lip of the "
            "headland, Edith made the 0900 observation while a visitor watched. The dry bulb read 6.2 degrees, "
            "the wet bulb 5.1. The rain gauge held 3.4 millimetres from the night's showers. Visibility was good: "
            "she could see the church tower at Sandholme, eleven miles away across the water. She wrote the "
            "figures down, checked them once, and closed the louvred door. The whole thing took four minutes.",
            "Peter Samways is proud of the barometer, a mercury instrument made in 1902 that hangs on the wall "
            "beside the door. \"I have compared it with the official forecasts for 39 years,\" he said, \"and the "
            "barometer has never once been wrong about lunch.\" He explained that when the pressure falls sharply "
            "during the morning, rain almost always arrives by early afternoon, and he plans the day's walk "
            "accordingly. His wife rolled her eyes. \"He has been wrong about lunch many times,\" she said. \"The "
            "barometer hasn't.\"",
            "The couple have missed very few days. There was a week in 1995 when both had influenza and a "
            "neighbour, briefly trained, stood in. There was the morning in 2003 when Edith broke her wrist on the "
            "icy path to the screen and finished the readings before driving herself to hospital. And there was "
            "the storm of December 2013, when the wind reached 94 miles per hour and Peter crawled to the screen "
            "on his hands and knees, an act he now describes as \"not clever, but traditional.\"",
            "Visitors are rarer than storms. A few times a year a school party walks out along the headland, and "
            "the Samwayses let the children read the thermometers and tip the rain gauge into the cylinder. Edith "
            "keeps a separate notebook for their readings, which are, she says, \"wildly inventive but always "
            "enthusiastic.\" One boy, in 2011, recorded a temperature of 400 degrees and explained that he had "
            "rounded up.",
            "There have been stranger callers. In the summer of 1999 a man arrived at the hut with a carrier bag "
            "of his late father's diaries, which recorded the weather in a nearby village every day from 1931 to "
            "1968. He wanted to know whether they were of any use. They were: a climatologist later used them to "
            "fill a gap in the Carrow Point record during the Second World War, when the station's observer was "
            "called up and the readings lapsed for five months.",
            "The station's equipment has changed less than its surroundings. The lighthouse is now a holiday let, "
            "the coastguard cottages have become second homes, and a caravan park has spread along the lane that "
            "leads to the headland. Each new building has been checked by the weather service to make sure it "
            "does not shelter the instruments or trap the sun's heat nearby; the rule of thumb is that nothing "
            "should stand closer than four times its own height.",
            "The thermometers themselves have been replaced several times, most recently in 2008, and each "
            "replacement was checked against a reference instrument before it went into the screen. Mercury "
            "thermometers are being phased out across Europe because of the metal's toxicity, and the weather "
            "service says it has only a handful of spares left. \"That was always going to be the end of it,\" "
            "Peter said. \"You can't keep a mercury station going without mercury.\"",
            "The automatic station that will replace them has already been installed a few metres away, and has "
            "been running alongside the manual instruments for two years so that scientists can compare the two. "
            "The overlap matters. Electronic sensors respond faster than mercury thermometers, and an automatic "
            "station may record slightly higher maximum temperatures on sunny days simply because it notices brief "
            "peaks that a mercury thermometer smooths out. Without a period of parallel measurement, a sudden step "
            "in the record could be mistaken for a change in the climate.",
            "So far, the comparison is reassuring. According to the weather service, the daily maximum "
            "temperatures from the two systems differ on average by less than a tenth of a degree, though the gap "
            "widens on calm summer afternoons. Rainfall totals match closely, except in strong winds, when the "
            "automatic gauge tends to catch less. \"The new kit is very good,\" said Dr Pugh. \"The reason to run "
            "it alongside is not that we distrust it. It is that we want to be able to prove, in 50 years, that "
            "nobody fiddled the record.\"",
            "Long records matter most, climatologists say, for the extremes. The hottest day at Carrow Point, "
            "31.6C, was recorded in July 2022, beating a mark that had stood since August 1911. Four of the ten "
            "wettest days in the record have fallen since 2000. The number of air frosts each winter has roughly "
            "halved since the 1960s, a change that Edith says she could have told them about without any "
            "thermometers at all: \"The path used to be white every morning in January. Now it is white perhaps "
            "one day in four.\"",
            "Dr Pugh said a record like Carrow Point's was valuable precisely because its keepers had not been "
            "looking for anything. \"They were not trying to prove a point,\" she said. \"They just wrote down "
            "what the thermometer said, every day, whether it was interesting or not. That is what makes it "
            "trustworthy.\"",
            "The weather service says the move to automation is about consistency as well as cost. Volunteer "
            "observers are ageing, and finding people willing to commit to a reading at the same time every day "
            "for decades is increasingly difficult. Of the 140 manual climate stations that reported to the "
            "service in 1990, fewer than 30 remain. A spokesperson said the observers' contribution had been "
            "\"irreplaceable in the truest sense\" and that the Carrow Point ledgers would be digitised and "
            "deposited with the national archive.",
            "Digitising the ledgers is itself a considerable task. Volunteers from a citizen science project have "
            "already transcribed the 19th-century volumes, a process that turned up a handful of errors in the "
            "official database, including a month in 1889 in which rainfall figures had been entered in the wrong "
            "column. The later ledgers are easier to read, but contain thousands of marginal notes that the "
            "project hopes to capture as well, on the grounds that remarks about frozen harbours and early "
            "swallows are a record of their own.",
            "Edith Samways has spent some of the autumn reading those notes. She found her own handwriting "
            "changing over the years, from the neat figures of 1987 to something she calls \"a hurried scrawl from "
            "about 2010 onwards.\" She also found, in one of Ashdown's ledgers, a pressed four-leaf clover tucked "
            "against the page for 2 June 1953, the day of the coronation, with no explanation. \"I have left it "
            "where it is,\" she said. \"Whoever digitises that page can decide what to do with it.\"",
            "What the couple will miss most, they say, is not the readings but the attention they required. Going "
            "out to the screen twice a day, in every kind of weather, meant noticing things: the direction the "
            "gulls were facing, the smell of rain coming across the bay, the first frost whitening the grass. "
            "\"You become a bit of an instrument yourself,\" Peter said. \"I don't know what I will do with all "
            "that noticing when I stop.\"",
            "The last manual observation is scheduled for 9am on 31 March. The weather service has invited the "
            "couple to make it, and to sign the ledger's final page. After that, the screen will be taken down "
            "and given to the town museum, along with the barometer. The Samwayses have asked to keep one thing: "
            "the clipboard, with its pencil on a length of twine. \"It is not worth anything,\" Edith said. \"But "
            "it has been out in every kind of weather with us. It would seem unkind to leave it behind.\"",
        ],
    },
    {
        "path": "/2026/11/19/latin1.html",
        "encoding": "iso-8859-1",
        "title": "Déjà vu at Café Marchand as old recipes return",
        "description": "The founders' granddaughter has revived the 1961 menu, from soft-boiled eggs to "
        "crème brûlée.",
        "section": None,
        "tags": [],
        "author": "Priya Raman",
        "published": "2026-11-19T11:00:00+00:00",
        "modified": "2026-11-19T11:00:00+00:00",
        "lang": "en",
        "caption": "Hélène Marchand behind the counter of the restored Café Marchand.",
        "phrase": "café crème à l'ancienne",
        "links": {},
        "related": ["/2026/11/25/night-ferry-returns-to-saltmarsh-crossing.html"],
        "paragraphs": [
            "Regulars at the Café Marchand on Quay Street say they had a feeling of déjà vu when they sat down "
            "for breakfast on Monday. After 14 years of panini and flat whites, the café has gone back to the menu "
            "it served when it opened in 1961: soft-boiled eggs, buttered toast soldiers and a café crème à "
            "l'ancienne served in thick white bowls.",
            "The change is the work of Hélène Marchand, 34, granddaughter of the founders, who took over the "
            "business in the spring. Going through her grandmother's papers, she found a handwritten recipe book "
            "with notes in French and English, including the exact proportions for the café's original crème "
            "brûlée and a warning, underlined twice, never to serve coffee that had stood for more than 20 "
            "minutes.",
            "\"I was naïve about how much people remembered,\" she said. \"An old man came in on the first day "
            "and asked for his eggs 'the way Madame did them', and he knew the cooking time better than I did. "
            "Four minutes, not three and a half.\"",
            "The façade has been repainted in the original green, and the neon sign that was removed in 2009 has "
            "been restored by a specialist workshop at a cost of £2,400. Inside, the Formica tables have been "
            "kept, but the kitchen has been refitted to meet current standards. The oven now holds a steady "
            "180°C, something Marchand says her grandmother would have envied.",
            "Not every dish has survived the revival. A cold tongue salad that was popular in the 1960s was tried "
            "once and quietly dropped. But the crème brûlée, the onion soup and a pear tart known to customers "
            "simply as \"the Friday tart\" have sold out every day this week.",
            "Marchand says she has no plans to turn the café into a museum. \"We still do oat milk,\" she said. "
            "\"My grandmother would have been appalled, but she would have sold it anyway.\"",
        ],
    },
    {
        "path": "/world/port-ellery-dock-strike-ends-12345.html",
        "title": "Dock workers end nine-day strike at Port Ellery",
        "description": "Union members accepted a two-year pay deal after a dispute over automated "
        "gates left ships waiting offshore.",
        "section": "world",
        "tags": [],
        "author": "Malik Osei",
        "published": "2026-11-18T07:00:00+00:00",
        "modified": "2026-11-18T13:45:00+00:00",
        "lang": "en",
        "caption": "Container cranes stand idle at Port Ellery during the strike.",
        "phrase": "the crane drivers' ledger",
        "links": {},
        "related": ["/2026/11/21/marche-couvert-saint-aubin-rouvre.html"],
        "paragraphs": [
            "Dock workers at Port Ellery returned to work on Wednesday morning after accepting a pay offer that "
            "ends a nine-day strike which left more than 40 container ships waiting at anchor offshore and emptied "
            "supermarket shelves of some imported fruit across the region.",
            "Members of the Port and Harbour Workers' Union voted 78 percent in favour of a two-year deal that "
            "raises basic pay by 6.5 percent this year and 4 percent next year, and caps compulsory overtime at 12 "
            "hours a week. The union had originally demanded 9 percent and a ban on compulsory overtime "
            "altogether.",
            "The dispute centred on the port's new automated gate system, which the operator, Ellery Terminals, "
            "introduced in the summer. Workers said the system had increased the number of containers each crane "
            "driver was expected to move per shift, without any increase in pay. Union officials kept what they "
            "called the crane drivers' ledger, a shared spreadsheet in which members logged every lift, and used "
            "it to argue that productivity had risen by a fifth since June.",
            "Ellery Terminals said in a statement that it was pleased the dispute had been resolved and that it "
            "would work with the union on a joint review of shift patterns. The company did not comment on the "
            "ledger but has previously disputed the union's figures.",
            "The backlog will take time to clear. Harbour master Colin Aldred said ships would be brought in on a "
            "first-come, first-served basis, with priority for vessels carrying medicines and perishable goods. "
            "He expects normal operations to resume by the end of next week.",
            "Retailers welcomed the settlement. The regional grocers' association said bananas, citrus fruit and "
            "avocados had been the hardest hit, with some independent shops going without deliveries for a week. "
            "Prices, it said, should return to normal before Christmas. Greengrocers near the port itself said "
            "their customers had stayed sympathetic to the strikers despite the empty crates.",
        ],
    },
    {
        "path": "/world/serra-alta-pass-avalanche-galleries-67890.html",
        "title": "Avalanche galleries keep the Serra Alta pass open through winter",
        "description": "Five concrete galleries mean the upper valley will no longer be cut off from "
        "late November to May.",
        "section": "world",
        "tags": ["climate"],
        "author": "Jane Doe",
        "published": "2026-11-17T09:30:00+01:00",
        "modified": "2026-11-17T09:30:00+01:00",
        "lang": "en",
        "caption": "The newest of the five avalanche galleries below the Serra Alta summit.",
        "phrase": "a roof for the road",
        "links": {},
        "related": ["/2026/11/26/glaciers-ice-core-archive.html"],
        "paragraphs": [
            "The Serra Alta pass, one of the highest road crossings in the region, reopened to traffic on Monday "
            "after engineers finished a series of concrete avalanche galleries that will allow it to stay open "
            "through most of the winter for the first time in its history.",
            "The 1.2-kilometre section between the two summit hairpins has been covered by five galleries, open on "
            "the valley side, over which snow and debris can slide without reaching the road. Local drivers have "
            "nicknamed the project a roof for the road. Until now the pass closed every year from late November to "
            "early May, cutting the 3,000 residents of the upper valley off from the market town of Vallorca "
            "except by a three-hour detour.",
            "Construction took four summers, with work halted each autumn when the first snow arrived. The total "
            "cost was put at 48 million euros. Engineers placed sensors in the slopes above the galleries that "
            "measure snow depth and temperature and can trigger warning lights at either end of the covered "
            "section.",
            "\"The galleries will not stop every avalanche, and they are not meant to,\" said chief engineer Lucia "
            "Brenner. \"They move the danger off the road. On the worst days we will still close the pass, but we "
            "expect that to be a handful of days a year rather than five months.\"",
            "Warmer winters have made the slopes above the road less predictable, according to the regional "
            "avalanche service, with heavy wet snow more common in late winter and rain falling on snow at higher "
            "altitudes than before. The service says the galleries were designed with those conditions in mind.",
            "In the upper valley, the reaction was close to celebration. The village of Pian della Croce held a "
            "procession to the summit on Sunday, and a school bus crossed the pass on Monday morning for the first "
            "time in November. \"My children have never been to school by this road in winter,\" said Marta "
            "Ruggieri, who runs the village shop. \"Now they will complain about getting up early like everyone "
            "else.\"",
        ],
    },
]
