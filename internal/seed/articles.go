package seed

import (
	"context"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// articleSeed is an article of /aktuelles. Network articles tell
// documented facts in the portal's own words and quote nobody; the demo
// interview is sample content with a fictional person and says so.
type articleSeed struct {
	Slug, Title, Lead, Body string
	Kind                    defus.ArticleKind
	Interviewee, Interview  string
	Topics                  []string // slugs
	Members                 []string // slugs of linked members
	On                      time.Time
	DaysAgo                 int // demo: dated relative to the seeding day instead of On
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, defus.Berlin) }

var networkArticles = []articleSeed{
	{
		Slug: "defus-gegruendet", Kind: defus.ArticleNews, On: day(2010, time.May, 10),
		Title:  "Ein deutsches Forum für urbane Sicherheit",
		Lead:   "Am Rande des Deutschen Präventionstages in Berlin haben Städte und Organisationen das Deutsch-Europäische Forum für Urbane Sicherheit gegründet.",
		Body:   "Mit DEFUS bekommt das europäische Netzwerk Efus ein nationales Forum in Deutschland. Die Gründung fand am 10. Mai 2010 in Berlin statt, im Rahmen des 15. Deutschen Präventionstages.\n\nDie Idee dahinter: Kommunen, die sich um Sicherheit und Prävention kümmern, lernen voneinander – über Stadt- und Landesgrenzen hinweg – und vertreten ihre Anliegen gemeinsam.",
		Topics: []string{topicPrevention}, Members: []string{"deutscher-praeventionstag"},
	},
	{
		Slug: "efus-das-europaeische-netzwerk", Kind: defus.ArticleNews, On: day(2024, time.February, 1),
		Title:  "Efus: Europas Netzwerk der Städte für Sicherheit",
		Lead:   "DEFUS ist eines von sechs nationalen Foren des Europäischen Forums für Urbane Sicherheit (Efus). Was steckt hinter dem europäischen Netzwerk?",
		Body:   "Efus wurde 1987 gegründet und hat seinen Sitz in Paris. Rund 250 Städte, Kreise und Regionen aus ganz Europa arbeiten darin zusammen an Fragen der Sicherheit und Prävention.\n\nSechs nationale Foren bündeln die Arbeit in ihren Ländern; DEFUS ist das deutsche. Über Efus erhalten die deutschen Mitglieder Zugang zu europäischen Projekten und zu Fördermitteln der Europäischen Union.",
		Topics: []string{topicGovernance},
	},
	{
		Slug: "leitlinien-oeffentlicher-raum-2024", Kind: defus.ArticleNews, On: day(2024, time.September, 30),
		Title:  "Leitlinien zum Umgang mit marginalisierten Gruppen im öffentlichen Raum",
		Lead:   "Die Mitglieder von DEFUS haben im September 2024 gemeinsame Leitlinien beschlossen: Wie gehen Städte mit Menschen um, die den öffentlichen Raum zum Leben brauchen?",
		Body:   "Plätze, Parks und Bahnhofsumfelder sind für alle da. Wo wohnungslose Menschen, Suchtkranke und andere Anwohnende aufeinandertreffen, entstehen Konflikte. Die Leitlinien fassen zusammen, was sich in den Mitgliedsstädten bewährt hat, um Sicherheit und Teilhabe zusammenzubringen.",
		Topics: []string{topicPublicSpace},
	},
	{
		Slug: "befragung-klimawandel-und-sicherheit", Kind: defus.ArticleNews, On: day(2023, time.November, 15),
		Title:  "Klimawandel und urbane Sicherheit: Befragung der Mitglieder",
		Lead:   "Hitzewellen, Starkregen, Stromausfälle: 2023 hat DEFUS seine Mitglieder gefragt, wie der Klimawandel die Sicherheit in den Städten berührt.",
		Body:   "Die Befragung gehört zum Schwerpunkt **Urbane Resilienz**. Sie zeigt, wo Städte sich auf Krisen vorbereiten und wo sie Austausch und Unterstützung brauchen – vom örtlichen Krisenmanagement bis zur Frage, wie widerstandsfähig die Stadtgesellschaft selbst ist.",
		Topics: []string{topicResilience},
	},
	{
		Slug: "leitlinien-sicherheit-von-beschaeftigten", Kind: defus.ArticleNews, On: day(2021, time.December, 15),
		Title:  "Sicherheit von Beschäftigten und Mandatsträger*innen",
		Lead:   "Im Dezember 2021 haben sich die Mitglieder auf Leitlinien zum Schutz von Beschäftigten der Verwaltung und von Mandatsträger*innen verständigt.",
		Body:   "Wer für eine Stadt arbeitet oder ein Mandat trägt, wird zunehmend angefeindet. Die Leitlinien beschreiben, wie Kommunen vorbeugen, Betroffene unterstützen und Vorfälle aufarbeiten können.",
		Topics: []string{topicStaffSafety},
	},
	{
		Slug: "schwerpunkt-gewalt-gegen-frauen-2025", Kind: defus.ArticleNews, On: day(2025, time.March, 10),
		Title:  "2025 im Blick: Gewalt gegen Frauen",
		Lead:   "Das Netzwerk hat Gewalt gegen Frauen zu einem Schwerpunkt des Jahres 2025 gemacht.",
		Body:   "Kommunale Kriminalprävention kann dazu beitragen, Gewalt gegen Frauen vorzubeugen und Betroffene besser zu erreichen: durch sichere öffentliche Räume, gute Zusammenarbeit der Stellen vor Ort und Befragungen zum Sicherheitsgefühl.",
		Topics: []string{topicPrevention},
	},
}

// demoArticles are sample content for development (`seed -demo`).
var demoArticles = []articleSeed{
	{
		Slug: "beispiel-interview-resilienz", Kind: defus.ArticleInterview, DaysAgo: 3,
		Title:       "Beispiel-Interview: Wie eine Stadt sich auf Krisen vorbereitet",
		Lead:        "Beispielinhalt aus den Demo-Daten: Dieses Gespräch ist erfunden, die Gesprächspartnerin ist eine fiktive Person. Es zeigt, wie Interviews auf der Website erscheinen.",
		Interviewee: "Erika Beispiel (fiktive Person), Leiterin des Ordnungsamts der Beispielstadt Musterhausen",
		Interview: "F: Frau Beispiel, was bedeutet Resilienz für eine Stadt?\n" +
			"A: Dass eine Stadt nach einer Krise schnell wieder handlungsfähig ist. Dazu gehören Pläne, aber vor allem Menschen, die sich kennen, bevor es ernst wird.\n\n" +
			"F: Was hat Ihnen der Austausch im Netzwerk gebracht?\n" +
			"A: Wir mussten vieles nicht neu erfinden. Andere Städte hatten schon Übungen und Checklisten, die wir anpassen konnten.\n\n" +
			"Besonders geholfen haben uns Gespräche über Fehler, die man sonst nicht so offen bespricht.\n\n" +
			"F: Was raten Sie einer Stadt, die anfangen will?\n" +
			"A: Klein beginnen: eine gemeinsame Übung mit Feuerwehr, Ordnungsamt und sozialen Trägern.",
		Topics: []string{topicResilience},
	},
}

// seedArticles adds the missing articles; now dates the demo ones.
func seedArticles(ctx context.Context, st *store.Store, list []articleSeed, now time.Time) (int, error) {
	topics, err := topicIDs(ctx, st)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range list {
		a := &defus.Article{Slug: s.Slug, Kind: s.Kind, Title: s.Title, Lead: s.Lead, Body: s.Body,
			Interviewee: s.Interviewee, Interview: s.Interview, PublishedAt: s.On, Published: true}
		if s.DaysAgo != 0 {
			a.PublishedAt = now.AddDate(0, 0, -s.DaysAgo)
		}
		for _, t := range s.Topics {
			if id, ok := topics[t]; ok {
				a.TopicIDs = append(a.TopicIDs, id)
			}
		}
		for _, slug := range s.Members {
			if m, err := st.FindMember(ctx, slug); err == nil {
				a.MemberIDs = append(a.MemberIDs, m.ID)
			}
		}
		if errs := a.Validate(); errs.Any() {
			return n, errs
		}
		err := st.CreateArticle(ctx, Setup, a)
		switch {
		case exists(err):
		case err != nil:
			return n, err
		default:
			n++
		}
	}
	return n, nil
}
