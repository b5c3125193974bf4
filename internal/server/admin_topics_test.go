package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
)

func topicForm(title, slug, description string, pillar, published bool, version int) url.Values {
	f := url.Values{"title": {title}, "slug": {slug}, "summary": {"Worum es geht."}, "description": {description},
		"version": {fmt.Sprint(version)}}
	if pillar {
		f.Set("pillar", "ja")
	}
	if published {
		f.Set("published", "ja")
	}
	return f
}

// createTopic makes a topic through the form and returns its edit path.
func createTopic(t *testing.T, ts *httptest.Server, c *http.Cookie, form url.Values) string {
	t.Helper()
	resp, _ := send(t, ts, http.MethodPost, "/admin/themen", c, form, http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	if !strings.HasPrefix(edit, "/admin/themen/") {
		t.Fatalf("create redirected to %q", edit)
	}
	return edit
}

// publicTopicTitles are the topic titles of /themen in their order, and
// the pillar titles of the home page.
func publicTopicTitles(t *testing.T, ts *httptest.Server) (topics, home []string) {
	t.Helper()
	_, body := get(t, ts, "/themen", http.StatusOK)
	topics = texts(doc(t, body).Find("main .card h3"))
	_, body = get(t, ts, "/", http.StatusOK)
	home = texts(doc(t, body).Find(`section[aria-labelledby="topics-title"] .card h3`))
	return topics, home
}

func TestAdminTopicCreateEditUnpublish(t *testing.T) {
	t.Parallel()
	ts, _, c := topicsSite(t)

	// Created with the address proposed from the title: on /themen at once,
	// last of the further topics.
	edit := createTopic(t, ts, c, topicForm("Sicherheit im Nahverkehr", "", "## Bus und Bahn\n\nSicher **unterwegs**.", false, true, 0))
	_, body := get(t, ts, "/themen/sicherheit-im-nahverkehr", http.StatusOK)
	if d := doc(t, body); d.Find("main h1").Text() != "Sicherheit im Nahverkehr" || d.Find("main .prose strong").Text() != "unterwegs" {
		t.Errorf("public topic page not rendered:\n%s", body)
	}
	topics, _ := publicTopicTitles(t, ts)
	if len(topics) == 0 || topics[len(topics)-1] != "Sicherheit im Nahverkehr" {
		t.Errorf("new topic not last on /themen: %v", topics)
	}

	// The list shows it with its counts and status.
	_, body = send(t, ts, http.MethodGet, "/admin/themen?q=nahverkehr", c, nil, http.StatusOK)
	row := doc(t, body).Find("tbody tr")
	if row.Length() != 1 || !strings.Contains(row.Text(), "veröffentlicht") || !strings.Contains(row.Text(), "weiteres Thema") {
		t.Errorf("search row = %q", row.Text())
	}

	// Edited into a draft pillar: gone from every public place.
	_, body = send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
	d := doc(t, body)
	version := atoi(t, d.Find(`input[name=version]`).AttrOr("value", ""))
	if got := d.Find("#topic-description").Text(); !strings.Contains(got, "Bus und Bahn") {
		t.Errorf("edit form description = %q", got)
	}
	id := strings.TrimPrefix(edit, "/admin/themen/")
	send(t, ts, http.MethodPost, edit, c, topicForm("Sicherheit in Bus und Bahn", "sicherheit-im-nahverkehr", "Neu.", true, false, version), http.StatusSeeOther)
	get(t, ts, "/themen/sicherheit-im-nahverkehr", http.StatusNotFound)
	topics, home := publicTopicTitles(t, ts)
	if slices.Contains(topics, "Sicherheit in Bus und Bahn") || slices.Contains(home, "Sicherheit in Bus und Bahn") {
		t.Errorf("draft topic shown publicly: %v / %v", topics, home)
	}
	_, body = get(t, ts, "/mitgliedschaft/anfrage", http.StatusOK)
	if doc(t, body).Find(`input[name=topics][value="`+id+`"]`).Length() != 0 {
		t.Error("enquiry form offers the draft topic")
	}
	_, body = get(t, ts, "/termine", http.StatusOK)
	if doc(t, body).Find(`#filter-thema option[value="sicherheit-im-nahverkehr"]`).Length() != 0 {
		t.Error("event filter offers the draft topic")
	}
	_, body = get(t, ts, "/sitemap.xml", http.StatusOK)
	if strings.Contains(body, "sicherheit-im-nahverkehr") {
		t.Error("sitemap lists the draft topic")
	}
	_, body = send(t, ts, http.MethodGet, "/admin/themen?status=draft", c, nil, http.StatusOK)
	if got := texts(doc(t, body).Find("tbody th")); !slices.Equal(got, []string{"Sicherheit in Bus und Bahn"}) {
		t.Errorf("draft filter lists %v", got)
	}

	// The audit log names the person and the changed fields.
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	log := doc(t, body).Find("main").Text()
	for _, want := range []string{"Rita Redaktion", "Thema: Sicherheit in Bus und Bahn", "Schwerpunkt", "Sicherheit im Nahverkehr"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

func TestAdminTopicValidation(t *testing.T) {
	t.Parallel()
	ts, _, c := topicsSite(t)
	for _, tc := range []struct {
		name, field, message string
		form                 url.Values
	}{
		{"empty title", "topic-title", "Bitte geben Sie einen Titel an.", topicForm("   ", "", "Text", true, true, 0)},
		{"slug taken", "topic-slug", "Diese Adresse ist schon vergeben.", topicForm("Resilienz", "urbane-resilienz", "Text", true, true, 0)},
		{"title too long", "topic-title", "Der Titel darf höchstens 200 Zeichen lang sein (jetzt 201).", topicForm(strings.Repeat("ü", 201), "lang", "Text", true, true, 0)},
		{"bad slug", "topic-slug", "Die Adresse darf nur Kleinbuchstaben", topicForm("Titel", "Über Uns!", "Text", true, true, 0)},
		{"huge description", "topic-description", "Die Beschreibung darf höchstens", topicForm("Titel", "gross", strings.Repeat("x", 100_001), true, true, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, body := send(t, ts, http.MethodPost, "/admin/themen", c, tc.form, http.StatusUnprocessableEntity)
			d := doc(t, body)
			if d.Find("#"+tc.field+"[aria-invalid=true]").Length() != 1 {
				t.Errorf("%s not marked invalid", tc.field)
			}
			if got := d.Find("#" + tc.field + "-error").Text(); !strings.Contains(got, tc.message) {
				t.Errorf("message beside %s = %q, want %q", tc.field, got, tc.message)
			}
			if d.Find(`.error-summary a[href="#`+tc.field+`"]`).Length() != 1 {
				t.Errorf("error summary does not link %s", tc.field)
			}
			if got := d.Find("#topic-summary").Text(); got != "Worum es geht." {
				t.Errorf("typed summary lost: %q", got)
			}
			if got, want := d.Find("#topic-title").AttrOr("value", ""), strings.TrimSpace(tc.form.Get("title")); got != want {
				t.Errorf("typed title lost: %q", got)
			}
			if d.Find("#topic-pillar[checked]").Length() != 1 || d.Find("#topic-published[checked]").Length() != 1 {
				t.Error("ticked checkboxes lost")
			}
		})
	}
	// Nothing was stored.
	_, body := send(t, ts, http.MethodGet, "/admin/themen?q=Titel", c, nil, http.StatusOK)
	if n := doc(t, body).Find("tbody tr").Length(); n != 0 {
		t.Errorf("%d topics stored from invalid forms", n)
	}
}

func TestAdminTopicSlugTakenOnUpdate(t *testing.T) {
	t.Parallel()
	ts, _, c := topicsSite(t)
	edit := createTopic(t, ts, c, topicForm("Eigenes Thema", "eigenes-thema", "x", false, true, 0))
	_, body := send(t, ts, http.MethodPost, edit, c, topicForm("Eigenes Thema", "drogen-und-sucht", "mein Text", false, true, 1), http.StatusUnprocessableEntity)
	d := doc(t, body)
	if d.Find("#topic-slug[aria-invalid=true]").Length() != 1 || d.Find("#topic-slug").AttrOr("value", "") != "drogen-und-sucht" {
		t.Error("slug clash on update not shown at the field with the typed value")
	}
	if got := d.Find("#topic-description").Text(); got != "mein Text" {
		t.Errorf("typed description lost: %q", got)
	}
}

func TestAdminTopicConflict(t *testing.T) {
	t.Parallel()
	ts, st, a := topicsSite(t)
	addAccount(t, st, "b@defus.example", "Bernd", defus.RoleEditor)
	b := login(t, ts, "b@defus.example")
	edit := createTopic(t, ts, a, topicForm("Gemeinsames Thema", "gemeinsam", "Anfang", false, true, 0))

	// Both open the form at version 1; Rita saves first.
	send(t, ts, http.MethodPost, edit, a, topicForm("Gemeinsames Thema", "gemeinsam", "Ritas Fassung", false, true, 1), http.StatusSeeOther)
	_, body := send(t, ts, http.MethodPost, edit, b, topicForm("Bernds Titel", "gemeinsam", "Bernds Fassung", true, true, 1), http.StatusConflict)
	d := doc(t, body)
	if !strings.Contains(d.Find(".conflict").Text(), "Ritas Fassung") {
		t.Errorf("conflict does not show what is stored now: %s", d.Find(".conflict").Text())
	}
	if got := d.Find("#topic-description").Text(); got != "Bernds Fassung" {
		t.Errorf("Bernd's typed text lost: %q", got)
	}
	if got := d.Find("#topic-title").AttrOr("value", ""); got != "Bernds Titel" {
		t.Errorf("Bernd's typed title lost: %q", got)
	}
	if d.Find("#topic-pillar[checked]").Length() != 1 {
		t.Error("Bernd's ticked pillar box lost")
	}
	if got := d.Find("input[name=version]").AttrOr("value", ""); got != "2" {
		t.Errorf("form carries version %q after the conflict, want 2", got)
	}
	_, pub := get(t, ts, "/themen/gemeinsam", http.StatusOK)
	if !strings.Contains(pub, "Ritas Fassung") || strings.Contains(pub, "Bernds Fassung") {
		t.Error("the later save overwrote the earlier one")
	}
}

func TestAdminTopicReorder(t *testing.T) {
	t.Parallel()
	ts, _, c := topicsSite(t)
	first := createTopic(t, ts, c, topicForm("Alpha-Thema", "alpha-thema", "x", false, true, 0))
	second := createTopic(t, ts, c, topicForm("Beta-Thema", "beta-thema", "x", false, true, 0))
	topics, _ := publicTopicTitles(t, ts)
	if n := len(topics); n < 2 || topics[n-2] != "Alpha-Thema" || topics[n-1] != "Beta-Thema" {
		t.Fatalf("new topics not at the end in order of creation: %v", topics)
	}

	// Each row has buttons named after its topic; the first of a kind cannot
	// move up, the last not down.
	_, body := send(t, ts, http.MethodGet, "/admin/themen", c, nil, http.StatusOK)
	d := doc(t, body)
	if got := strings.Join(strings.Fields(d.Find(`form[action="`+second+`/nach-oben"] button`).Text()), " "); got != "nach oben: Beta-Thema" {
		t.Errorf("move button's name = %q", got)
	}
	if d.Find(`form[action="`+second+`/nach-unten"]`).Length() != 0 {
		t.Error("the last topic offers to move down")
	}
	firstPillar := d.Find("tbody tr").First()
	if firstPillar.Find(`form[action$="/nach-oben"]`).Length() != 0 || firstPillar.Find(`form[action$="/nach-unten"]`).Length() != 1 {
		t.Error("the first pillar's move buttons are wrong")
	}

	// Beta moves up: /themen shows it before Alpha at once.
	resp, _ := send(t, ts, http.MethodPost, second+"/nach-oben", c, url.Values{}, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/themen?verschoben="+strings.TrimPrefix(second, "/admin/themen/")) {
		t.Errorf("move redirected to %q", loc)
	}
	topics, _ = publicTopicTitles(t, ts)
	if n := len(topics); topics[n-2] != "Beta-Thema" || topics[n-1] != "Alpha-Thema" {
		t.Errorf("after moving Beta up: %v", topics)
	}
	_, body = send(t, ts, http.MethodGet, resp.Header.Get("Location"), c, nil, http.StatusOK)
	d = doc(t, body)
	if !strings.Contains(d.Find(".flash").Text(), "„Beta-Thema“ steht jetzt an Stelle") {
		t.Errorf("flash after move = %q", d.Find(".flash").Text())
	}
	if d.Find(`form[action="`+second+`/nach-oben"] button[autofocus]`).Length() != 1 {
		t.Error("the moved topic's button does not get the focus back")
	}

	// Alpha moves up past Beta again; a pillar never moves among the
	// further topics, and moving past the edge changes nothing.
	send(t, ts, http.MethodPost, first+"/nach-oben", c, url.Values{}, http.StatusSeeOther)
	topics, _ = publicTopicTitles(t, ts)
	if n := len(topics); topics[n-2] != "Alpha-Thema" || topics[n-1] != "Beta-Thema" {
		t.Errorf("after moving Alpha up: %v", topics)
	}

	// Pillars: the second moves up on /themen and on the home page, then back.
	before, home := publicTopicTitles(t, ts)
	_, body = send(t, ts, http.MethodGet, "/admin/themen", c, nil, http.StatusOK)
	secondPillar := doc(t, body).Find("tbody tr").Eq(1).Find(`form[action$="/nach-oben"]`).AttrOr("action", "")
	send(t, ts, http.MethodPost, secondPillar, c, url.Values{}, http.StatusSeeOther)
	after, homeAfter := publicTopicTitles(t, ts)
	if after[0] != before[1] || after[1] != before[0] || homeAfter[0] != home[1] || homeAfter[1] != home[0] {
		t.Errorf("moving the second pillar up: /themen %v → %v, home %v → %v", before, after, home, homeAfter)
	}
	send(t, ts, http.MethodPost, strings.Replace(secondPillar, "nach-oben", "nach-unten", 1), c, url.Values{}, http.StatusSeeOther)
	if restored, _ := publicTopicTitles(t, ts); !slices.Equal(restored, before) {
		t.Errorf("moving back down: %v, want %v", restored, before)
	}

	// Every move is in the audit log.
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	if n := strings.Count(body, "Verschoben"); n < 4 {
		t.Errorf("audit log shows %d moves, want 4", n)
	}
}

func TestAdminTopicDeleteKeepsMembersEventsEnquiries(t *testing.T) {
	t.Parallel()
	ts, st, c := topicsSite(t)
	edit := createTopic(t, ts, c, topicForm("Kurzlebiges Thema", "kurzlebig", "x", false, true, 0))
	id := int64(atoi(t, strings.TrimPrefix(edit, "/admin/themen/")))
	ctx := context.Background()
	pool := seededPool(t)
	if _, err := pool.Exec(ctx, `
INSERT INTO member_topics (member_id, topic_id) SELECT id, $1 FROM members WHERE slug = 'koeln';
`, id); err != nil {
		t.Fatal(err)
	}
	var eventSlug, eventTitle string
	if err := pool.QueryRow(ctx, `
WITH e AS (SELECT id, slug, title FROM events WHERE published ORDER BY starts_at DESC LIMIT 1),
     link AS (INSERT INTO event_topics (event_id, topic_id) SELECT id, $1 FROM e)
SELECT slug, title FROM e`, id).Scan(&eventSlug, &eventTitle); err != nil {
		t.Fatal(err)
	}
	enq := addEnquiry(t, st, time.Hour, defus.Enquiry{TopicIDs: []int64{id}})
	_, body := get(t, ts, "/themen/kurzlebig", http.StatusOK)
	if !strings.Contains(body, "Köln") {
		t.Fatal("linked member not on the topic page")
	}

	// The confirmation names what loses its link, and says the records stay.
	_, body = send(t, ts, http.MethodGet, edit+"/loeschen", c, nil, http.StatusOK)
	d := doc(t, body)
	deps := strings.Join(texts(d.Find("main li")), "\n")
	for _, want := range []string{"Mitglied „Stadt Köln“", "Termin „" + eventTitle + "“", "1 Anfrage nennt dieses Thema"} {
		if !strings.Contains(deps, want) {
			t.Errorf("dependants lack %q:\n%s", want, deps)
		}
	}
	if !strings.Contains(d.Find("main").Text(), "selbst bleiben erhalten") {
		t.Error("confirmation does not say the records stay")
	}

	// A stale version is refused; the current one deletes.
	send(t, ts, http.MethodPost, edit+"/loeschen", c, url.Values{"version": {"99"}}, http.StatusSeeOther)
	get(t, ts, "/themen/kurzlebig", http.StatusOK)
	send(t, ts, http.MethodPost, edit+"/loeschen", c, url.Values{"version": {d.Find("input[name=version]").AttrOr("value", "")}}, http.StatusSeeOther)
	get(t, ts, "/themen/kurzlebig", http.StatusNotFound)
	send(t, ts, http.MethodGet, edit, c, nil, http.StatusNotFound)

	// Member, event and enquiry are still there, without the link.
	_, body = get(t, ts, "/mitglieder/koeln", http.StatusOK)
	if strings.Contains(body, "Kurzlebiges Thema") {
		t.Error("member profile still lists the deleted topic")
	}
	get(t, ts, "/termine/"+eventSlug, http.StatusOK)
	got, err := st.FindEnquiry(ctx, enq.ID)
	if err != nil {
		t.Fatalf("enquiry gone with the topic: %v", err)
	}
	if len(got.TopicIDs) != 0 {
		t.Errorf("enquiry still mentions topics %v", got.TopicIDs)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	if !strings.Contains(body, "Thema: Kurzlebiges Thema") || !strings.Contains(body, "Gelöscht") {
		t.Error("audit log lacks the deletion")
	}
}

func TestAdminTopicsUnknownIDsAndRoles(t *testing.T) {
	t.Parallel()
	ts, st, c := topicsSite(t)
	for _, p := range []string{"/admin/themen/999999", "/admin/themen/abc", "/admin/themen/0", "/admin/themen/999999/loeschen"} {
		send(t, ts, http.MethodGet, p, c, nil, http.StatusNotFound)
	}
	for _, p := range []string{"/admin/themen/999999", "/admin/themen/999999/nach-oben", "/admin/themen/999999/nach-unten", "/admin/themen/999999/loeschen"} {
		send(t, ts, http.MethodPost, p, c, topicForm("X", "x", "x", false, true, 1), http.StatusNotFound)
	}

	addAccount(t, st, "m@defus.example", "Max Mitglied", defus.RoleMember)
	m := login(t, ts, "m@defus.example")
	topic, err := st.FindTopic(context.Background(), "urbane-resilienz")
	if err != nil {
		t.Fatal(err)
	}
	edit := fmt.Sprintf("/admin/themen/%d", topic.ID)
	for _, p := range []string{"/admin/themen", "/admin/themen/neu", edit, edit + "/loeschen"} {
		send(t, ts, http.MethodGet, p, m, nil, http.StatusForbidden)
	}
	for _, p := range []string{"/admin/themen", "/admin/themen/vorschau", edit, edit + "/nach-oben", edit + "/loeschen"} {
		send(t, ts, http.MethodPost, p, m, topicForm("X", "x", "x", false, true, topic.Version), http.StatusForbidden)
	}
	resp, _ := send(t, ts, http.MethodGet, "/admin/themen", nil, nil, http.StatusSeeOther)
	if !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
		t.Errorf("not logged in: redirect to %q", resp.Header.Get("Location"))
	}
	get(t, ts, "/themen/urbane-resilienz", http.StatusOK) // nothing changed
}

func TestAdminTopicHostileMarkdownNeverRuns(t *testing.T) {
	t.Parallel()
	ts, _, c := topicsSite(t)
	hostile := "<script>alert(1)</script>\n\n[klick](javascript:alert(2))\n\n<img src=x onerror=alert(3)>\n\n<a href=\"https://evil.example\" onclick=\"alert(4)\">x</a>\n\n[Efus](https://efus.eu)"
	createTopic(t, ts, c, topicForm("<b>Böses</b> Thema", "boese", hostile, false, true, 0))
	_, body := get(t, ts, "/themen/boese", http.StatusOK)
	lower := strings.ToLower(body)
	for _, bad := range []string{"<script>alert", "javascript:", "onerror", "onclick", "<b>böses</b>"} {
		if strings.Contains(lower, bad) {
			t.Errorf("public topic page contains %q", bad)
		}
	}
	if doc(t, body).Find(`main a[href="https://efus.eu"]`).Length() != 1 {
		t.Error("harmless link lost")
	}
	// The preview renders the same way, marked as preview.
	_, body = send(t, ts, http.MethodPost, "/admin/themen/vorschau", c, topicForm("Vorschau", "v", hostile, false, false, 0), http.StatusOK)
	lower = strings.ToLower(body)
	if strings.Contains(lower, "<script>alert") || strings.Contains(lower, "javascript:") || strings.Contains(lower, "onerror") {
		t.Error("preview unsafe")
	}
	if d := doc(t, body); d.Find(".preview-banner").Length() != 1 || d.Find("main h1").Text() != "Vorschau" {
		t.Error("preview unmarked or without the typed title")
	}
}

func TestAdminTopicPreviewOfAnExistingTopicShowsItsMembers(t *testing.T) {
	t.Parallel()
	ts, st, c := topicsSite(t)
	topic, err := st.FindTopic(context.Background(), "urbane-resilienz")
	if err != nil {
		t.Fatal(err)
	}
	form := topicForm("Urbane Resilienz (neu)", "urbane-resilienz", "Neuer Text.", true, true, topic.Version)
	form.Set("id", fmt.Sprint(topic.ID))
	_, body := send(t, ts, http.MethodPost, "/admin/themen/vorschau", c, form, http.StatusOK)
	d := doc(t, body)
	if d.Find("main h1").Text() != "Urbane Resilienz (neu)" || d.Find(".member-list li").Length() == 0 {
		t.Errorf("preview of an existing topic: h1 %q, %d members", d.Find("main h1").Text(), d.Find(".member-list li").Length())
	}
	if _, pub := get(t, ts, "/themen/urbane-resilienz", http.StatusOK); strings.Contains(pub, "Neuer Text.") {
		t.Error("preview saved the topic")
	}
}
