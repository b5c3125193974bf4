package seed

// The seed content: the real DEFUS network (members, topics) and the texts of
// the editable pages. Every text is German and written for this portal.

// Topic slugs, used by the member seed below.
const (
	topicPublicSpace = "sicherheit-im-oeffentlichen-raum"
	topicCoexistence = "friedliches-zusammenleben"
	topicResilience  = "urbane-resilienz"
	topicPrevention  = "kommunale-praevention"
	topicStaffSafety = "sicherheit-von-beschaeftigten-und-mandatstraegerinnen"
	topicGovernance  = "verwaltung-und-steuerung"
	topicDrugs       = "drogen-und-sucht"
	topicRadical     = "radikalisierungspraevention"
)

var members = []memberSeed{
	{
		Slug: "augsburg", Name: "Stadt Augsburg", ShortName: "Augsburg",
		Kind: "city", State: "Bayern", Population: 302000, PopulationYear: 2023,
		MemberSince: 2010, Lat: 48.3705, Lon: 10.8978, Website: "https://www.augsburg.de",
		Description: `Die Stadt Augsburg ist seit der Gründungszeit von DEFUS im Jahr 2010 dabei. Von 2018 bis 2020 stellte sie mit Dirk Wurm den Vorsitzenden des Vereins. Ihre Erfahrungen aus der kommunalen Präventionsarbeit bringt die Stadt regelmäßig in den Austausch des Netzwerks ein.`,
		Topics:      []string{topicPrevention, topicCoexistence},
	},
	{
		Slug: "berlin", Name: "Hauptstadt Berlin", ShortName: "Berlin",
		Kind: "city", State: "Berlin", Population: 3700000, PopulationYear: 2023,
		Lat: 52.52, Lon: 13.405, Website: "https://www.berlin.de",
		Description: `Berlin ist als größte deutsche Stadt Mitglied von DEFUS. Seit 2021 gehört die Hauptstadt dem Exekutivkomitee von Efus an und wirkt damit an der Ausrichtung des europäischen Netzwerks mit.`,
		Topics:      []string{topicCoexistence, topicRadical, topicResilience},
	},
	{
		Slug: "bochum", Name: "Stadt Bochum", ShortName: "Bochum",
		Kind: "city", State: "Nordrhein-Westfalen", Population: 365000, PopulationYear: 2023,
		MemberSince: 2023, Lat: 51.4818, Lon: 7.2162, Website: "https://www.bochum.de",
		Description: `Die Stadt Bochum ist seit 2023 Mitglied von Efus und DEFUS. Als eines der jüngsten Mitglieder verstärkt sie die Gruppe der Ruhrgebietsstädte im Netzwerk.`,
		Topics:      []string{topicPublicSpace, topicPrevention},
	},
	{
		Slug: "duesseldorf", Name: "Landeshauptstadt Düsseldorf", ShortName: "Düsseldorf",
		Kind: "city", State: "Nordrhein-Westfalen", Population: 631000, PopulationYear: 2023,
		MemberSince: 2010, Lat: 51.2277, Lon: 6.7735, Website: "https://www.duesseldorf.de",
		Description: `Die Landeshauptstadt Nordrhein-Westfalens gehört DEFUS seit der Gründungszeit an. Von 2016 bis 2018 übernahm Düsseldorf den stellvertretenden Vorsitz des Vereins. Über viele Jahre war die Stadt außerdem im Exekutivkomitee von Efus vertreten.`,
		Topics:      []string{topicPublicSpace, topicDrugs, topicGovernance},
	},
	{
		Slug: "essen", Name: "Stadt Essen", ShortName: "Essen",
		Kind: "city", State: "Nordrhein-Westfalen", Population: 584000, PopulationYear: 2023,
		MemberSince: 2015, Lat: 51.4556, Lon: 7.0116, Website: "https://www.essen.de",
		Description: `Die Stadt Essen ist seit 2015 Mitglied des Netzwerks. Seit 2020 steht Christian Kromberg, Beigeordneter der Stadt Essen, als Vorsitzender an der Spitze von DEFUS.`,
		Topics:      []string{topicPublicSpace, topicStaffSafety, topicGovernance},
		Contacts: []contactSeed{
			{Name: "Christian Kromberg", Function: "Beigeordneter der Stadt Essen, Vorsitzender von DEFUS", Public: true},
			{Name: "Fachliche Ansprechstelle Urbane Sicherheit", Function: "Arbeitskontakt für die Mitglieder des Netzwerks", Public: false},
		},
	},
	{
		Slug: "freiburg", Name: "Stadt Freiburg im Breisgau", ShortName: "Freiburg",
		Kind: "city", State: "Baden-Württemberg", Population: 237000, PopulationYear: 2023,
		MemberSince: 2016, Lat: 47.999, Lon: 7.8421, Website: "https://www.freiburg.de",
		Description: `Freiburg im Breisgau ist im Januar 2016 Efus beigetreten und arbeitet seitdem im deutschen Forum mit. Seit 2021 ist die Stadt im Exekutivkomitee von Efus vertreten.`,
		Topics:      []string{topicPublicSpace, topicCoexistence},
	},
	{
		Slug: "gelsenkirchen", Name: "Stadt Gelsenkirchen", ShortName: "Gelsenkirchen",
		Kind: "city", State: "Nordrhein-Westfalen", Population: 265000, PopulationYear: 2023,
		MemberSince: 2017, Lat: 51.5177, Lon: 7.0857, Website: "https://www.gelsenkirchen.de",
		Description: `Die Stadt Gelsenkirchen hat sich dem Netzwerk im Sommer 2017 angeschlossen. Im September 2024 war sie Gastgeberin der 27. Mitgliederversammlung von DEFUS.`,
		Topics:      []string{topicCoexistence, topicPrevention},
		Contacts: []contactSeed{
			{Name: "Kommunale Kriminalprävention – Ansprechstelle", Function: "Ansprechstelle für DEFUS", Public: true},
		},
	},
	{
		Slug: "gladbeck", Name: "Stadt Gladbeck", ShortName: "Gladbeck",
		Kind: "city", State: "Nordrhein-Westfalen", Population: 76000, PopulationYear: 2023,
		Lat: 51.5713, Lon: 6.9849, Website: "https://www.gladbeck.de",
		Description: `Gladbeck liegt im nördlichen Ruhrgebiet und ist eine der kleineren Mitgliedsstädte. Mit ihr ist auch eine Mittelstadt im Netzwerk vertreten, die ihre Sicht auf Fragen der kommunalen Prävention in den Austausch einbringt.`,
		Topics:      []string{topicPrevention},
	},
	{
		Slug: "goettingen", Name: "Stadt Göttingen", ShortName: "Göttingen",
		Kind: "city", State: "Niedersachsen", Population: 118000, PopulationYear: 2023,
		MemberSince: 2010, Lat: 51.5413, Lon: 9.9158, Website: "https://www.goettingen.de",
		Description: `Die Universitätsstadt Göttingen im Süden Niedersachsens gehört dem Netzwerk seit seinen Anfangsjahren an. Sie beteiligt sich am Austausch der Mitglieder zur kommunalen Prävention.`,
		Topics:      []string{topicPrevention, topicCoexistence},
	},
	{
		Slug: "hannover", Name: "Landeshauptstadt Hannover", ShortName: "Hannover",
		Kind: "city", State: "Niedersachsen", Population: 548000, PopulationYear: 2023,
		Lat: 52.3759, Lon: 9.732, Website: "https://www.hannover.de",
		Description: `Die niedersächsische Landeshauptstadt ist Mitglied von DEFUS. In Hannover hat auch die Geschäftsstelle des Vereins ihren Sitz.`,
		Topics:      []string{topicPublicSpace, topicDrugs},
		Contacts: []contactSeed{
			{Name: "Ansprechstelle Kommunale Prävention", Function: "Ansprechstelle für DEFUS", Public: true},
		},
	},
	{
		Slug: "heidelberg", Name: "Stadt Heidelberg", ShortName: "Heidelberg",
		Kind: "city", State: "Baden-Württemberg", Population: 160000, PopulationYear: 2023,
		MemberSince: 2010, Lat: 49.3988, Lon: 8.6724, Website: "https://www.heidelberg.de",
		Description: `Heidelberg zählt zu den Gründungsmitgliedern von DEFUS aus dem Jahr 2010. In den Jahren 2012 und 2014 übernahm die Stadt die Kassenprüfung des Vereins.`,
		Topics:      []string{topicPrevention, topicPublicSpace},
	},
	{
		Slug: "karlsruhe", Name: "Stadt Karlsruhe", ShortName: "Karlsruhe",
		Kind: "city", State: "Baden-Württemberg", Population: 309000, PopulationYear: 2023,
		MemberSince: 2015, Lat: 49.0069, Lon: 8.4037, Website: "https://www.karlsruhe.de",
		Description: `Die Stadt Karlsruhe ist Anfang 2015 Efus beigetreten. Seitdem wirkt sie auch im deutschen Forum mit und teilt dort ihre Erfahrungen mit den anderen Mitgliedern.`,
		Topics:      []string{topicPublicSpace, topicResilience},
	},
	{
		Slug: "koeln", Name: "Stadt Köln", ShortName: "Köln",
		Kind: "city", State: "Nordrhein-Westfalen", Population: 1087000, PopulationYear: 2023,
		Lat: 50.9375, Lon: 6.9603, Website: "https://www.stadt-koeln.de",
		Description: `Köln, die größte Stadt Nordrhein-Westfalens, ist seit 2021 im Exekutivkomitee von Efus vertreten. Am 5. Dezember 2024 tagte das Exekutivkomitee auf Einladung der Stadt in Köln.`,
		Topics:      []string{topicPublicSpace, topicDrugs, topicCoexistence},
		Contacts: []contactSeed{
			{Name: "Ansprechstelle Urbane Sicherheit", Function: "Vertretung der Stadt im DEFUS-Netzwerk", Public: false},
		},
	},
	{
		Slug: "mannheim", Name: "Stadt Mannheim", ShortName: "Mannheim",
		Kind: "city", State: "Baden-Württemberg", Population: 316000, PopulationYear: 2023,
		MemberSince: 2010, Lat: 49.4875, Lon: 8.466, Website: "https://www.mannheim.de",
		Description: `Mannheim ist seit der Gründungszeit Mitglied von DEFUS und im Vorstand des Vereins vertreten. Von 2020 bis 2023 war Christian Specht stellvertretender Vorsitzender; danach übernahm Dr. Volker Proffen dieses Amt.`,
		Topics:      []string{topicPublicSpace, topicStaffSafety, topicGovernance},
		Contacts: []contactSeed{
			{Name: "Dr. Volker Proffen", Function: "Stellvertretender Vorsitzender von DEFUS", Public: true},
		},
	},
	{
		Slug: "muenchen", Name: "Landeshauptstadt München", ShortName: "München",
		Kind: "city", State: "Bayern", Population: 1510000, PopulationYear: 2023,
		MemberSince: 2010, Lat: 48.1351, Lon: 11.582, Website: "https://stadt.muenchen.de",
		Description: `Die bayerische Landeshauptstadt gehört zu den Gründungsmitgliedern von DEFUS. Von 2010 bis 2016 stellte München den stellvertretenden Vorsitzenden des Vereins.`,
		Topics:      []string{topicResilience, topicRadical, topicPublicSpace},
	},
	{
		Slug: "nuernberg", Name: "Stadt Nürnberg", ShortName: "Nürnberg",
		Kind: "city", State: "Bayern", Population: 529000, PopulationYear: 2023,
		Lat: 49.4521, Lon: 11.0767, Website: "https://www.nuernberg.de",
		Description: `Die Stadt Nürnberg ist Mitglied von Efus und DEFUS. Als größte Stadt Frankens bringt sie ihre Perspektive in den Austausch der Mitglieder ein.`,
		Topics:      []string{topicPrevention, topicCoexistence},
	},
	{
		Slug: "stuttgart", Name: "Landeshauptstadt Stuttgart", ShortName: "Stuttgart",
		Kind: "city", State: "Baden-Württemberg", Population: 633000, PopulationYear: 2023,
		MemberSince: 2010, Lat: 48.7758, Lon: 9.1829, Website: "https://www.stuttgart.de",
		Description: `Stuttgart hat 2008 als erste deutsche Stadt den Beitritt zu Efus beschlossen. Von 2010 bis 2018 führte Dr. Martin Schairer DEFUS als Vorsitzender. Im September 2025 war die Stadt Gastgeberin der 29. Mitgliederversammlung.`,
		Topics:      []string{topicPublicSpace, topicPrevention, topicResilience},
		Contacts: []contactSeed{
			{Name: "Ansprechstelle Kommunale Kriminalprävention", Function: "Ansprechstelle für DEFUS", Public: false},
		},
	},
	{
		Slug: "deutscher-praeventionstag", Name: "Deutscher Präventionstag (DPT)", ShortName: "Deutscher Präventionstag",
		Kind: "organisation", State: "Niedersachsen",
		Lat: 52.3759, Lon: 9.732, Website: "https://www.praeventionstag.de",
		Description: `Der Deutsche Präventionstag ist ein jährlicher Kongress zur Kriminalprävention. Er gehörte als assoziiertes Mitglied zu den ersten deutschen Mitgliedern von Efus. DEFUS selbst wurde 2010 im Rahmen des 15. Deutschen Präventionstags in Berlin gegründet; ab 2026 findet der Kongress dauerhaft in Hannover statt.`,
		Topics:      []string{topicPrevention, topicRadical},
	},
	{
		Slug: "landespraeventionsrat-niedersachsen", Name: "Landespräventionsrat Niedersachsen", ShortName: "Landespräventionsrat Niedersachsen",
		Kind: "organisation", State: "Niedersachsen",
		MemberSince: 2010, Lat: 52.3759, Lon: 9.732, Website: "https://lpr.niedersachsen.de",
		Description: `Der Landespräventionsrat Niedersachsen ist ein landesweites Gremium der Kriminalprävention. Er gehört zu den Gründungsmitgliedern von DEFUS und war bis 2021 im Exekutivkomitee von Efus vertreten.`,
		Topics:      []string{topicPrevention, topicRadical, topicGovernance},
	},
	{
		Slug: "kreis-lippe", Name: "Kreis Lippe", ShortName: "Kreis Lippe",
		Kind: "organisation", State: "Nordrhein-Westfalen",
		MemberSince: 2017, Lat: 51.9387, Lon: 8.8793, Website: "https://www.kreis-lippe.de",
		Description: `Der Kreis Lippe, dessen Verwaltung ihren Sitz in Detmold hat, ist im Sommer 2017 beigetreten. Er war damit der erste Kreis im Netzwerk und bringt die Sicht einer Kreisverwaltung in den Austausch ein.`,
		Topics:      []string{topicPrevention, topicResilience},
	},
}

var topics = []topicSeed{
	{
		Slug:    topicPublicSpace,
		Title:   "Sicherheit im öffentlichen Raum",
		Summary: "Straßen, Plätze und Parks sollen für alle Menschen sicher, zugänglich und einladend sein. Es geht um ihre Gestaltung ebenso wie um ihren Betrieb.",
		Description: `Wie ein Platz gebaut, beleuchtet und gepflegt wird, beeinflusst, wie sicher sich Menschen dort fühlen. Die Mitglieder tauschen sich über die Planung und Bewirtschaftung öffentlicher Räume aus, auch mit Blick auf Ansätze der städtebaulichen Kriminalprävention (CPTED).

Weitere Schwerpunkte sind Großveranstaltungen und das Nachtleben. Zum Umgang mit marginalisierten Gruppen im öffentlichen Raum haben die Mitglieder im September 2024 gemeinsame Leitlinien beschlossen.`,
		Pillar: true,
	},
	{
		Slug:    topicCoexistence,
		Title:   "Friedliches Zusammenleben",
		Summary: "Vielfältige Stadtgesellschaften brauchen Regeln und Orte, an denen Konflikte fair ausgetragen werden. Das Netzwerk sucht Wege, Zusammenhalt zu stärken.",
		Description: `Städte sind Orte vieler Lebensentwürfe. Die Mitglieder befassen sich damit, wie Kommunen das Miteinander organisieren und Polarisierung sowie demokratiefeindlichen Tendenzen vorbeugen können; Leitlinien dazu entstanden 2019.

Auch Diskriminierung und alltägliche Nutzungskonflikte gehören dazu – etwa wenn die Nachtruhe von Anwohnenden und das Feiern im Freien aufeinandertreffen.`,
		Pillar: true,
	},
	{
		Slug:    topicResilience,
		Title:   "Urbane Resilienz",
		Summary: "Städte sollen Krisen vorbereitet begegnen und sich danach rasch erholen können. Dazu gehören Krisenmanagement, Klimafolgen und eine widerstandsfähige Demokratie.",
		Description: `Ob Pandemie, Hitzewelle oder Angriffe auf demokratische Institutionen: Kommunen müssen auf Krisen vorbereitet sein. Die Mitglieder teilen Erfahrungen im lokalen Krisenmanagement und fragen, was der Klimawandel für die urbane Sicherheit bedeutet – dazu gab es 2023 eine Befragung unter den Mitgliedern.

Das vom Bundesministerium für Bildung und Forschung geförderte Projekt PanReflex, an dem DEFUS beteiligt war, wurde 2025 abgeschlossen.`,
		Pillar: true,
	},
	{
		Slug:    topicPrevention,
		Title:   "Kommunale Prävention",
		Summary: "Kriminalität lässt sich vor Ort am wirksamsten verhindern. Das Netzwerk stärkt die Präventionsarbeit der Städte und Gemeinden.",
		Description: `Kommunale Kriminalprävention setzt dort an, wo Probleme entstehen. DEFUS unterstützt die Mitglieder dabei, ihre Präventionsarbeit auf eine solide Grundlage zu stellen – etwa mit Sicherheitsaudits und Befragungen wie dem DEFUS-Monitor Sicherheitsgefühl.

Einen besonderen Schwerpunkt legt das Netzwerk 2025 auf die Prävention von Gewalt gegen Frauen.`,
		Pillar: true,
	},
	{
		Slug:    topicStaffSafety,
		Title:   "Sicherheit von Beschäftigten und Mandatsträger*innen",
		Summary: "Wer für die Stadt arbeitet oder ein Mandat ausübt, wird zunehmend angefeindet. Das Netzwerk setzt sich für ihren Schutz ein.",
		Description: `Beschäftigte in Verwaltungen sowie kommunale Mandatsträgerinnen und Mandatsträger erleben immer wieder Beleidigungen, Drohungen und Übergriffe. Ihr Schutz ist Teil einer guten Steuerung der urbanen Sicherheit.

Im Dezember 2021 haben sich die Mitglieder auf gemeinsame Leitlinien zu diesem Thema verständigt.`,
	},
	{
		Slug:    topicGovernance,
		Title:   "Verwaltung und Steuerung der urbanen Sicherheit",
		Summary: "Urbane Sicherheit gelingt, wenn Zuständigkeiten klar sind und Akteure gut zusammenarbeiten. Das Netzwerk fragt, wie Kommunen sie wirksam organisieren.",
		Description: `Sicherheit in der Stadt ist eine Querschnittsaufgabe, an der viele Stellen mitwirken. Die Mitglieder beschäftigen sich damit, wie Verwaltungen diese Aufgabe wirksam organisieren und steuern.

Erfahrungen dazu sind unter anderem in die Projekte CO-SECUR, VERSS und AUDIT eingeflossen.`,
	},
	{
		Slug:    topicDrugs,
		Title:   "Drogen und Sucht",
		Summary: "Drogenkonsum im öffentlichen Raum stellt Städte vor neue Aufgaben. Das Netzwerk tauscht sich über Hilfe, Schutz und Ordnung aus.",
		Description: `Synthetische Opioide und Crack verändern die Drogenszenen vieler Städte. Gemeinsam mit der Deutschen Aidshilfe beteiligt sich DEFUS am Projekt so-par, das sich mit synthetischen Opioiden befasst.

Zudem teilen die Mitglieder Erfahrungen mit Drogenkonsumräumen und anderen Angeboten, die Gesundheit und Sicherheit gleichermaßen im Blick haben.`,
	},
	{
		Slug:    topicRadical,
		Title:   "Radikalisierungsprävention",
		Summary: "Extremistische Radikalisierung und Hassgewalt bedrohen das Zusammenleben. Kommunen können früh gegensteuern.",
		Description: `Die Mitglieder befassen sich mit der Prävention extremistischer Radikalisierung, gleich aus welcher Richtung sie kommt.

Ein weiterer Schwerpunkt sind Hass und vorurteilsgeleitete Gewalt, die sich gegen Menschen wegen ihrer Herkunft, Religion, sexuellen Orientierung oder anderer Merkmale richten.`,
	},
}

var pages = []pageSeed{
	{
		Slug:     "startseite", // defus.HomeSlug
		Title:    "Gemeinsam für sichere und lebenswerte Städte",
		Summary:  "Im Deutsch-Europäischen Forum für Urbane Sicherheit (DEFUS) arbeiten Städte und Organisationen aus ganz Deutschland an Fragen der urbanen Sicherheit und der kommunalen Kriminalprävention. Sie tauschen Erfahrungen aus, entwickeln gemeinsam Lösungen und vertreten ihre Anliegen mit einer Stimme – in Deutschland und im Europäischen Forum für Urbane Sicherheit (Efus).",
		Required: true,
		Body: `## Was DEFUS tut

- **Austausch:** Regelmäßige Mitgliederversammlungen, Fachworkshops und Fortbildungen für die Fachleute der Kommunen.
- **Interessenvertretung:** Die Geschäftsstelle bringt die Sicht der Städte in Gremien, Projekte und die Forschung ein.
- **Europa:** Über Efus finden Mitglieder Partner in ganz Europa und Zugang zu EU-Förderprogrammen.`,
	},
	{
		Slug:     "ueber-uns",
		Title:    "Über uns",
		Summary:  "DEFUS ist das deutsche Netzwerk von Städten und Organisationen für urbane Sicherheit und kommunale Kriminalprävention.",
		Required: true,
		Body: `Im Deutsch-Europäischen Forum für Urbane Sicherheit e.V. (DEFUS) haben sich deutsche Städte, ein Kreis und Organisationen zusammengeschlossen, die sich für mehr Sicherheit in den Kommunen und für wirksame Kriminalprävention einsetzen.

## Wofür wir stehen

Sicherheit entsteht vor Ort. Deshalb lernen die Mitglieder von DEFUS voneinander – über die Grenzen ihrer Städte und Bundesländer hinweg. Sie besprechen, was in der Praxis funktioniert, entwickeln gemeinsam Lösungen und setzen sie um.

Nach außen treten sie gemeinsam auf: Der Verein bündelt die Anliegen der Mitglieder und bringt die Themen der urbanen Sicherheit und der kommunalen Kriminalprävention in Politik, Fachöffentlichkeit und Wissenschaft ein. Ziel ist, dass Ordnung, Sicherheit und ein friedliches Miteinander in den Städten auch unter neuen Bedingungen gelingen.

## Geschichte

DEFUS wurde am 10. Mai 2010 in Berlin gegründet, am Rande des 15. Deutschen Präventionstags. Einzelne deutsche Städte und Organisationen waren schon vorher Mitglied im Europäischen Forum für Urbane Sicherheit; mit DEFUS erhielten sie ein eigenes Forum für Fragen, die Deutschland betreffen.

Den Vorsitz hatten bisher Dr. Martin Schairer aus Stuttgart (2010–2018) und Dirk Wurm aus Augsburg (2018–2020) inne. Seit 2020 ist Christian Kromberg aus Essen Vorsitzender.

## Teil eines europäischen Netzwerks

Das Europäische Forum für Urbane Sicherheit (Efus) wurde 1987 gegründet und hat seinen Sitz in Paris. Ihm gehören rund 250 Städte, Gemeinden und Regionen aus ganz Europa an. Neben der europäischen Ebene gibt es sechs nationale Foren, in denen Mitglieder eines Landes ihre eigenen Themen bearbeiten – DEFUS ist das Forum für Deutschland.

## So arbeitet das Netzwerk

- **Mitgliederversammlungen:** In der Regel zweimal im Jahr treffen sich die Vertreterinnen und Vertreter der Mitglieder, meist zu Gast in einer Mitgliedsstadt.
- **Workshops und Fortbildungen:** Zu einzelnen Themen lädt DEFUS zu Fachworkshops und Fortbildungen ein.
- **Interessenvertretung:** Die Geschäftsstelle vertritt die Mitglieder in Gremien und in Projekten Dritter und verbindet Wissenschaft und Praxis.
- **Europa:** Über Efus wirken die Mitglieder an europäischen Projekten mit und erhalten leichter Zugang zu Fördermitteln der Europäischen Union.

Welche Themen das Netzwerk gerade bearbeitet, richtet sich nach dem Bedarf der Mitglieder und nach aktuellen Entwicklungen. Einen Überblick bieten die [Themen](/themen).

DEFUS ist ein eingetragener, gemeinnütziger Verein. Seine Zwecke und Gremien regelt die Satzung.

## Geschäftsstelle

Deutsch-Europäisches Forum für Urbane Sicherheit e.V. (DEFUS)\
Kurt-Schumacher-Straße 29\
30159 Hannover

Telefon: [0511 36739420](tel:+4951136739420)\
E-Mail: [defus@defus.de](mailto:defus@defus.de)`,
	},
	{
		Slug:     "mitgliedschaft",
		Required: true,
		Title:    "Mitgliedschaft",
		Summary:  "Was eine Mitgliedschaft bei DEFUS bietet, wer Mitglied werden kann und wie Sie Ihr Interesse melden.",
		Body: `Städte und Organisationen, die bei DEFUS mitmachen, stehen mit ihren Fragen zur urbanen Sicherheit nicht allein. Sie profitieren von den Erfahrungen anderer Kommunen und gestalten die Arbeit des Netzwerks mit.

## Was Ihnen die Mitgliedschaft bringt

- **Austausch unter Fachleuten:** Sie lernen, wie andere Städte mit ähnlichen Herausforderungen umgehen – offen, praxisnah und ohne bürokratische Hürden.
- **Eine gemeinsame Stimme:** Der Verein vertritt die Anliegen seiner Mitglieder gegenüber Politik, Gremien und Fachöffentlichkeit.
- **Workshops und Fortbildungen:** Die Geschäftsstelle bietet Veranstaltungen zu aktuellen Themen an, die sich am Bedarf der Mitglieder ausrichten.
- **Zugang zu Europa:** Über Efus erhalten Sie Kontakt zu Städten und Regionen in ganz Europa und können sich an europäischen Projekten beteiligen.
- **Fördermittel:** Das Netzwerk erleichtert den Weg zu Förderprogrammen der Europäischen Union.

## Wer Mitglied werden kann

Die Mitgliedschaft steht Städten, Gemeinden und Kreisen offen, außerdem Organisationen, die in der Prävention oder der urbanen Sicherheit tätig sind. Auf die Größe kommt es nicht an: Im Netzwerk arbeiten Großstädte, Mittelstädte, ein Kreis und landes- wie bundesweit tätige Einrichtungen zusammen.

## So geht es weiter

Nachdem Sie Ihr Interesse gemeldet haben, meldet sich die Geschäftsstelle bei Ihnen. In einem Gespräch klären wir Ihre Fragen, etwa zum Ablauf der Aufnahme und zu den Beiträgen.

Nutzen Sie dafür unser Formular: [Interesse an einer Mitgliedschaft melden](/mitgliedschaft/anfrage).`,
	},
	{
		Slug:     "impressum",
		Title:    "Impressum",
		Summary:  "Anbieterkennzeichnung des Deutsch-Europäischen Forums für Urbane Sicherheit e.V. nach § 5 DDG.",
		Required: true,
		Body: `## Angaben nach § 5 DDG

Deutsch-Europäisches Forum für Urbane Sicherheit e.V. (DEFUS)\
Kurt-Schumacher-Straße 29\
30159 Hannover

## Kontakt

Telefon: [0511 36739420](tel:+4951136739420)\
E-Mail: [defus@defus.de](mailto:defus@defus.de)

## Vertretungsberechtigter Vorstand

Der Verein wird durch seinen Vorstand vertreten:

- Christian Kromberg, Vorsitzender
- Dr. Volker Proffen, stellvertretender Vorsitzender

## Vereinsregister

Der Verein ist in das Vereinsregister eingetragen.\
Registergericht und Registernummer: werden von der Geschäftsstelle ergänzt.

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

Geschäftsstelle des Deutsch-Europäischen Forums für Urbane Sicherheit e.V.\
Kurt-Schumacher-Straße 29\
30159 Hannover

## Haftung für Inhalte

Wir erstellen die Inhalte dieser Website mit Sorgfalt und halten sie aktuell. Für ihre Vollständigkeit und Richtigkeit können wir dennoch keine Gewähr übernehmen. Fällt Ihnen ein Fehler auf, freuen wir uns über einen Hinweis; wir korrigieren ihn umgehend.

## Haftung für Links

Diese Website verweist an einigen Stellen auf Angebote anderer Anbieter. Für deren Inhalte sind allein die jeweiligen Betreiber verantwortlich. Zum Zeitpunkt der Verlinkung waren keine Rechtsverstöße erkennbar; werden uns solche bekannt, entfernen wir den betreffenden Link.

## Keine Inhalte Dritter

Diese Website lädt keine externen Ressourcen: Schriften, Skripte, Bilder und die Karte der Mitglieder werden ausschließlich von unserem eigenen Server ausgeliefert. Beim Besuch werden daher keine Daten an Dritte übertragen.`,
	},
	{
		Slug:     "datenschutz",
		Title:    "Datenschutzerklärung",
		Summary:  "Welche personenbezogenen Daten das DEFUS-Portal verarbeitet, zu welchem Zweck und welche Rechte Sie haben.",
		Required: true,
		Body: `Diese Erklärung beschreibt, welche Daten beim Besuch und bei der Nutzung dieses Portals tatsächlich verarbeitet werden. Wir erheben so wenig Daten wie möglich.

## Verantwortlicher

Deutsch-Europäisches Forum für Urbane Sicherheit e.V. (DEFUS)\
Kurt-Schumacher-Straße 29\
30159 Hannover\
Telefon: [0511 36739420](tel:+4951136739420)\
E-Mail: [defus@defus.de](mailto:defus@defus.de)

Der Verein wird durch seinen Vorstand vertreten (siehe [Impressum](/impressum)).

## Aufruf der Website und Server-Protokolle

Für jeden Seitenaufruf schreibt der Server eine Protokollzeile. Sie enthält den Zeitpunkt, die Anfragemethode, den aufgerufenen Pfad, den Statuscode, die übertragene Datenmenge, die Bearbeitungsdauer und eine zufällig erzeugte Kennung der Anfrage.

IP-Adressen werden dabei weder protokolliert noch gespeichert. Die Protokolle dienen allein dazu, den Betrieb zu sichern und Fehler zu finden (Art. 6 Abs. 1 lit. f DSGVO). Nach 14 Tagen werden sie gelöscht.

## Suche

Was Sie in die Suche eingeben, wird nur für die Antwort verwendet und nicht gespeichert; auch die Protokollzeile enthält nur den Pfad /suche, nicht den Suchbegriff.

## Cookies

Besucherinnen und Besuchern der öffentlichen Seiten setzen wir keine Cookies.

Nur wer sich mit einem Konto der Geschäftsstelle oder eines Mitglieds anmeldet, erhält ein Sitzungs-Cookie. Es ist technisch notwendig, damit die Anmeldung bestehen bleibt (§ 25 Abs. 2 Nr. 2 TDDDG), und enthält lediglich eine zufällige Sitzungskennung. Das Cookie wird beim Abmelden gelöscht, spätestens aber nach 12 Stunden; bei längerer Inaktivität endet die Sitzung früher.

Nach einer erfolgreichen Anmeldung erhält der Browser außerdem ein Geräte-Cookie. Es enthält eine zufällige Gerätekennung mit einer Signatur, wird nur an die Anmeldeseite gesendet und läuft nach 180 Tagen ab. Es schützt das Konto: Ein Browser, mit dem Sie sich schon angemeldet haben, wird nicht gesperrt, wenn andere Ihr Passwort zu erraten versuchen (§ 25 Abs. 2 Nr. 2 TDDDG).

Um Konten vor dem Erraten von Passwörtern zu schützen, zählt der Server Anmeldeversuche. Dafür speichert er nur nicht umkehrbare Prüfwerte (Hashwerte), gebildet aus der IP-Adresse und der eingegebenen E-Mail-Adresse, mit der Zahl der Versuche; sie werden spätestens eine Stunde nach Ablauf der Zählfrist von 15 beziehungsweise 60 Minuten gelöscht (Art. 6 Abs. 1 lit. f DSGVO).

## Protokoll der Änderungen

Wer sich mit einem Konto der Geschäftsstelle oder eines Mitglieds anmeldet oder Inhalte ändert, wird mit Name, E-Mail-Adresse, Zeitpunkt und der Art der Änderung in einem internen Protokoll vermerkt, damit nachvollziehbar bleibt, wer was geändert hat (Art. 6 Abs. 1 lit. f DSGVO). Einträge über Anmeldungen, Abmeldungen und fehlgeschlagene Anmeldungen werden nach **90 Tagen** automatisch gelöscht, alle anderen Einträge nach **fünf Jahren**.

## Benutzerkonten der Mitglieder und der Geschäftsstelle

Vertreterinnen und Vertreter unserer Mitglieder erhalten auf Einladung der Geschäftsstelle ein Konto für den Mitgliederbereich; die Geschäftsstelle arbeitet mit eigenen Konten. Zu einem Konto speichern wir Name, E-Mail-Adresse, Rolle, das Mitglied, für das es spricht, das Passwort nur als nicht umkehrbaren Hashwert, wann eingeladen und wann zuletzt angemeldet wurde, und bei eingeschalteter Zwei-Faktor-Anmeldung deren geheimen Schlüssel (verschlüsselt) und die Wiederherstellungscodes (nur als Prüfwerte).

Zu jeder Anmeldung speichern wir Browser und Betriebssystem in wenigen Worten (etwa „Firefox unter Windows“), wann sie begann und wann sie zuletzt genutzt wurde, damit Sie unter „Mein Konto“ sehen, wo Sie angemeldet sind, und Geräte abmelden können. Eine IP-Adresse speichern wir dabei nicht. Diese Angaben werden gelöscht, sobald die Sitzung endet, spätestens nach 12 Stunden.

E-Mails zu Ihrem Konto (Einladung, Link für ein neues Passwort, Bestätigung einer neuen Adresse) enthalten einen Link, der nur einmal gilt: die Einladung 7 Tage, ein neues Passwort eine Stunde, eine neue Adresse 24 Stunden. Den Link speichern wir nur als Prüfwert; aus unserer Kopie der E-Mail wird er nach dem Versand entfernt. Anfragen nach einem neuen Passwort zählen wir wie Anmeldeversuche je E-Mail-Adresse und Anschluss, nur als Prüfwerte, die nach einer Stunde verfallen.

Rechtsgrundlagen sind Art. 6 Abs. 1 lit. b DSGVO (Mitgliedschaft und Zugang zum Mitgliederbereich) und Art. 6 Abs. 1 lit. f DSGVO (Sicherheit der Konten). Ein Konto besteht, solange Sie für Ihre Organisation sprechen; auf Wunsch löschen wir es jederzeit sofort, mit seinen Sitzungen und E-Mails. Im Änderungsprotokoll bleibt dann nur vermerkt, dass ein Konto gelöscht wurde.

## Keine Analyse, kein Tracking, keine Inhalte Dritter

Wir setzen keine Analyse- oder Trackingdienste ein und erstellen keine Nutzungsprofile. Das Portal lädt keine externen Schriften, Skripte oder Kartendienste. Auch die Karte der Mitglieder wird auf unserem Server gezeichnet und als Teil der Seite ausgeliefert.

## Kontakt per E-Mail oder Telefon

Wenn Sie uns per E-Mail oder telefonisch kontaktieren, verarbeiten wir Ihre Angaben, um Ihr Anliegen zu bearbeiten. Rechtsgrundlage ist Art. 6 Abs. 1 lit. b DSGVO, soweit es um eine Mitgliedschaft oder eine Zusammenarbeit geht, und im Übrigen Art. 6 Abs. 1 lit. f DSGVO. Wir löschen die Daten, sobald sie nicht mehr benötigt werden und keine gesetzlichen Aufbewahrungspflichten entgegenstehen.

## Anfrage zur Mitgliedschaft

Über das [Anfrageformular](/mitgliedschaft/anfrage) können Sie Ihr Interesse an einer Mitgliedschaft melden. Gespeichert werden genau die Angaben, die Sie eintragen:

- Name Ihrer Stadt, Ihres Kreises oder Ihrer Organisation, ihre Art, das Bundesland und die Einwohnerzahl,
- Name und Funktion der Ansprechperson, E-Mail-Adresse und Telefonnummer,
- die Themen, die Sie angekreuzt haben, Ihre Nachricht und wie Sie von DEFUS erfahren haben,
- der Zeitpunkt Ihrer Einwilligung und die Fassung dieser Datenschutzerklärung, der Sie zugestimmt haben.

Die Geschäftsstelle ergänzt den Bearbeitungsstand, die zuständige Person und interne Notizen. Nach dem Absenden erhält die Geschäftsstelle eine E-Mail mit Ihren Angaben, und Sie erhalten eine Bestätigung mit denselben Angaben an die angegebene Adresse. Diese beiden E-Mails werden zusammen mit der Anfrage gespeichert und mit ihr gelöscht.

Ihre IP-Adresse wird dabei nicht gespeichert. Um das Formular vor massenhaften automatisierten Einsendungen zu schützen, zählt der Server die Einsendungen je Anschluss unter einem aus dem Netz der IP-Adresse gebildeten, nicht umkehrbaren Prüfwert (Hashwert); dieser Zähler verfällt nach zehn Minuten und wird spätestens eine Stunde danach gelöscht. Das Formular enthält außerdem einen Zeitstempel, der nur zeigt, wann es geöffnet wurde. Einsendungen, die wie Spam aussehen, werden als Spam markiert gespeichert, damit auch eine irrtümlich so eingestufte Anfrage nicht verloren geht.

Wir nutzen diese Daten ausschließlich, um Ihre Anfrage zu beantworten und mit Ihnen über eine mögliche Mitgliedschaft zu sprechen. Rechtsgrundlagen sind Art. 6 Abs. 1 lit. b DSGVO (Anbahnung der Mitgliedschaft), Art. 6 Abs. 1 lit. f DSGVO (unser Interesse, Anfragen geordnet zu bearbeiten und das Formular vor Missbrauch zu schützen) und Ihre Einwilligung nach Art. 6 Abs. 1 lit. a DSGVO. Die Einwilligung können Sie jederzeit mit Wirkung für die Zukunft widerrufen.

### Speicherdauer

- Abgeschlossene Anfragen (beantwortet, abgelehnt oder mit dem Ergebnis einer Mitgliedschaft) werden **365 Tage nach ihrem Abschluss** automatisch gelöscht, zusammen mit den internen Notizen und den zugehörigen E-Mails.
- Als Spam markierte Einsendungen werden **30 Tage** nach ihrem Eingang beziehungsweise ihrer Markierung automatisch gelöscht.
- Auf Ihren Wunsch löschen wir eine Anfrage jederzeit sofort.

## Mitgliederbereich

Vertreterinnen und Vertreter unserer Mitglieder melden sich mit einem Konto im Mitgliederbereich an. Dort sehen sie die Ansprechpersonen aller Mitglieder mit Name, Funktion, E-Mail-Adresse und Telefonnummer, auch die, die nicht öffentlich auf der Website stehen, und können sie als Adressbuch-Datei (vCard) herunterladen. Zweck ist die Zusammenarbeit im Netzwerk (Art. 6 Abs. 1 lit. b und f DSGVO). Die Angaben stammen von den Mitgliedern selbst; wir speichern sie, solange die Person ihr Mitglied bei uns vertritt, und löschen sie, sobald das Mitglied uns eine Änderung mitteilt oder die Person es wünscht.

Schlägt eine Vertreterin oder ein Vertreter Änderungen am Profil ihres Mitglieds vor, speichern wir den Vorschlag mit Name und E-Mail-Adresse der Person, dem Zeitpunkt und der Entscheidung der Geschäftsstelle; über die Entscheidung informieren wir per E-Mail. Entschiedene und zurückgezogene Vorschläge löschen wir **zwei Jahre** nach der Entscheidung automatisch. Einmal im Jahr erinnern wir die Vertretungen per E-Mail daran, das Profil zu prüfen; gespeichert wird dafür nur, wann das Profil zuletzt bestätigt und wann erinnert wurde.

E-Mails, die das Portal verschickt, ohne dass sie zu einer Anfrage gehören (zu Konten, Anmeldungen zu Veranstaltungen, Profilvorschlägen und Erinnerungen), speichern wir **90 Tage** nach dem Versand und löschen sie dann automatisch. Die E-Mails zu einer Anfrage werden mit der Anfrage gelöscht.

Dokumente für Mitglieder werden nur angemeldeten Konten ausgeliefert; welche Konten welche Dokumente abrufen, speichern wir nicht.

## Empfänger

Wir geben Ihre Daten nicht an Dritte weiter. Technische Dienstleister, die das Portal betreiben oder E-Mails für uns zustellen, verarbeiten Daten nur in unserem Auftrag und nach unseren Weisungen (Art. 28 DSGVO). Eine Übermittlung in Länder außerhalb der Europäischen Union ist nicht vorgesehen.

## Ihre Rechte

Sie haben das Recht,

- Auskunft über die zu Ihrer Person gespeicherten Daten zu erhalten (Art. 15 DSGVO),
- unrichtige Daten berichtigen zu lassen (Art. 16 DSGVO),
- die Löschung Ihrer Daten zu verlangen (Art. 17 DSGVO),
- die Verarbeitung einschränken zu lassen (Art. 18 DSGVO),
- Ihre Daten in einem gängigen Format zu erhalten (Art. 20 DSGVO) und
- einer Verarbeitung, die auf Art. 6 Abs. 1 lit. f DSGVO beruht, zu widersprechen (Art. 21 DSGVO).

Eine erteilte Einwilligung können Sie jederzeit widerrufen (Art. 7 Abs. 3 DSGVO). Um Ihre Rechte geltend zu machen, genügt eine formlose Nachricht an [defus@defus.de](mailto:defus@defus.de).

Außerdem können Sie sich bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO). Für uns zuständig ist die Landesbeauftragte für den Datenschutz Niedersachsen, Prinzenstraße 5, 30159 Hannover, [www.lfd.niedersachsen.de](https://www.lfd.niedersachsen.de).

Stand: November 2026`,
	},
	{
		Slug:     "barrierefreiheit",
		Title:    "Erklärung zur Barrierefreiheit",
		Summary:  "Wie barrierefrei das DEFUS-Portal ist, welche Einschränkungen bekannt sind und wie Sie uns Barrieren melden.",
		Required: true,
		Body: `Das Deutsch-Europäische Forum für Urbane Sicherheit e.V. möchte, dass alle Menschen dieses Portal ohne Hürden nutzen können. Maßstab sind die Web Content Accessibility Guidelines (WCAG) 2.1 auf der Stufe AA und die Barrierefreie-Informationstechnik-Verordnung (BITV 2.0).

## Stand der Vereinbarkeit

Das Portal ist mit diesen Anforderungen weitgehend vereinbar. Die folgenden Einschränkungen sind uns bekannt:

- **Karte der Mitglieder:** Die Karte ist eine ergänzende Darstellung. Alle Angaben daraus enthält auch die Liste der [Mitglieder](/mitglieder), die vollständig barrierefrei nutzbar ist.
- **PDF-Dokumente:** Dokumente, die später hochgeladen werden, sind möglicherweise nicht vollständig barrierefrei. Auf Wunsch stellen wir Ihnen die Inhalte in einer zugänglichen Form zur Verfügung.

## Erstellung dieser Erklärung

Die Erklärung beruht auf einer Selbstbewertung. Dafür haben wir die Seiten automatisiert mit axe-core geprüft und von Hand getestet, ob sich alle Funktionen allein mit der Tastatur bedienen lassen.

Die Erklärung wurde im November 2026 erstellt.

## Barriere melden

Sind Sie auf eine Barriere gestoßen oder fehlen Ihnen Informationen in zugänglicher Form? Dann schreiben Sie uns bitte an [defus@defus.de](mailto:defus@defus.de?subject=Barriere%20melden) oder rufen Sie uns an unter [0511 36739420](tel:+4951136739420).

Damit wir das Problem schnell finden, nennen Sie uns bitte die Adresse der betroffenen Seite und beschreiben Sie kurz, was nicht funktioniert hat.

## Schlichtungsverfahren

Wenn Sie mit unserer Antwort nicht zufrieden sind, können Sie sich an die Schlichtungsstelle nach § 16 des Behindertengleichstellungsgesetzes (BGG) wenden. Sie hilft dabei, Konflikte über Barrierefreiheit außergerichtlich zu lösen; das Verfahren ist kostenlos. Informationen finden Sie unter [www.schlichtungsstelle-bgg.de](https://www.schlichtungsstelle-bgg.de).`,
	},
	{
		Slug:     "kontakt",
		Required: true,
		Title:    "Kontakt",
		Summary:  "So erreichen Sie die Geschäftsstelle von DEFUS in Hannover.",
		Body: `Die Geschäftsstelle ist Ihre Ansprechstelle für alle Fragen rund um DEFUS, das Netzwerk und seine Veranstaltungen.

## Geschäftsstelle

Deutsch-Europäisches Forum für Urbane Sicherheit e.V. (DEFUS)\
Kurt-Schumacher-Straße 29\
30159 Hannover

Telefon: [0511 36739420](tel:+4951136739420)\
E-Mail: [defus@defus.de](mailto:defus@defus.de)

## So erreichen Sie uns

Am einfachsten erreichen Sie uns per E-Mail; wir melden uns so bald wie möglich. Wenn Sie uns telefonisch nicht antreffen, schreiben Sie uns gern eine kurze Nachricht.

Die Geschäftsstelle liegt in der Innenstadt von Hannover, nur wenige Gehminuten vom Hauptbahnhof entfernt. Wenn Sie uns besuchen möchten, vereinbaren Sie bitte vorab einen Termin.

## Interesse an einer Mitgliedschaft

Ihre Stadt oder Organisation möchte Mitglied werden? Dann nutzen Sie bitte unser [Anfrageformular](/mitgliedschaft/anfrage). Was eine Mitgliedschaft bietet, lesen Sie unter [Mitgliedschaft](/mitgliedschaft).`,
	},
}
