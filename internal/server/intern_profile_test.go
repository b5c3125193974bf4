package server_test

import (
	"context"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/mailer"
)

// deliver runs the mail worker once against a real SMTP server and
// returns what it received: the recipient and the decoded body.
func (s *internSite) deliver(t *testing.T) []string {
	t.Helper()
	sink := startSMTPSink(t)
	u, _ := url.Parse("smtp://" + sink.addr)
	sender := mailer.NewSMTP(u)
	sender.Timeout = 5 * time.Second
	w := &mailer.Worker{Store: s.st, Sender: sender, Now: func() time.Time { return testNow.Add(time.Minute) }, Log: slog.New(slog.DiscardHandler)}
	if _, err := w.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range sink.received(t) {
		body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, "To: "+m.Header.Get("To")+"\n"+string(body))
	}
	return out
}

func (s *internSite) propose(t *testing.T, c *http.Cookie, form url.Values, want int) (*http.Response, string) {
	t.Helper()
	return send(t, s.ts, http.MethodPost, "/intern/profil", c, form, want)
}

func TestProfileProposalNeedsTheOfficeBeforeItIsPublic(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	s.propose(t, s.memberA, url.Values{"description": {"Essen arbeitet an sicheren Plätzen und Wegen."},
		"website": {"https://www.essen.de"}, "topics": {itoa(s.topicID(t, "kommunale-praevention"))}}, http.StatusSeeOther)

	_, body := s.get(t, "/mitglieder/essen", nil, http.StatusOK)
	if strings.Contains(body, "sicheren Plätzen") {
		t.Fatal("the proposal is public before the office approved it")
	}
	_, body = s.get(t, "/intern", s.memberA, http.StatusOK)
	if !strings.Contains(doc(t, body).Find("#profile-title").Parent().Text(), "wartet auf die Prüfung") {
		t.Error("the start page does not say the proposal waits")
	}

	// The office compares field by field and approves with a note.
	_, body = s.get(t, "/admin/profilvorschlaege", s.editor, http.StatusOK)
	link, _ := doc(t, body).Find("tbody th a").Attr("href")
	_, body = s.get(t, link, s.editor, http.StatusOK)
	d := doc(t, body)
	if got := d.Find(".proposal-diff ins").Text(); !strings.Contains(got, "sicheren Plätzen") {
		t.Errorf("word difference shows %q as inserted", got)
	}
	form := url.Values{"note": {"Danke, passt."}}
	for _, name := range []string{"version", "member_version"} {
		v, _ := d.Find("input[name=" + name + "]").Attr("value")
		form.Set(name, v)
	}
	send(t, s.ts, http.MethodPost, link+"/uebernehmen", s.editor, form, http.StatusSeeOther)

	_, body = s.get(t, "/mitglieder/essen", nil, http.StatusOK)
	d = doc(t, body)
	if !strings.Contains(d.Find(".prose").Text(), "sicheren Plätzen") {
		t.Error("approved description not public")
	}
	if got := d.Find(".confirmed-line").Text(); got != "Angaben zuletzt bestätigt am 24. November 2026" {
		t.Errorf("confirmed line %q", got)
	}
	mails := s.deliver(t)
	if len(mails) != 1 || !strings.Contains(mails[0], "To: <vertretung@essen.example>") || !strings.Contains(mails[0], "Danke, passt.") {
		t.Errorf("mails %q, want one to the representative with the note", mails)
	}
}

func (s *internSite) topicID(t *testing.T, slug string) int64 {
	t.Helper()
	topic, err := s.st.FindTopic(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return topic.ID
}

func TestProfileProposalFormErrorsAndConflicts(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	// Bad input: German messages at the fields, 422, all typed kept.
	_, body := s.propose(t, s.memberA, url.Values{"description": {"Neu\x01"}, "website": {"www.essen.de"}, "topics": {"999999"}}, http.StatusUnprocessableEntity)
	d := doc(t, body)
	for _, id := range []string{"#proposal-description-error", "#proposal-website-error"} {
		if d.Find(id).Text() == "" {
			t.Errorf("no message at %s", id)
		}
	}
	if got, _ := d.Find("#proposal-website").Attr("value"); got != "www.essen.de" {
		t.Errorf("website not kept: %q", got)
	}
	// Unchanged: nothing to propose.
	m, _ := s.st.FindMember(context.Background(), "essen")
	same := url.Values{"description": {m.Description}, "website": {m.Website}, "topics": topicIDStrings(m.TopicIDs)}
	for i, c := range defus.PublicContacts(m) {
		same.Set(defus.ContactField(i, "id"), itoa(c.ID))
		same.Set(defus.ContactField(i, "name"), c.Name)
		same.Set(defus.ContactField(i, "function"), c.Function)
	}
	_, body = s.propose(t, s.memberA, same, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "ändert nichts") {
		t.Error("an unchanged proposal is not refused")
	}

	// Two representatives of Essen: the second new proposal does not
	// overwrite the first; it gets the conflict table.
	addMemberAccount(t, s.st, "zweite@essen.example", "Zora Zweite", s.essen.ID)
	second := login(t, s.ts, "zweite@essen.example")
	s.propose(t, s.memberA, url.Values{"description": {"Erster Vorschlag"}}, http.StatusSeeOther)
	_, body = s.propose(t, second, url.Values{"description": {"Zweiter Vorschlag"}}, http.StatusConflict)
	if !strings.Contains(body, "Erster Vorschlag") {
		t.Error("the conflict does not show the open proposal")
	}

	// The office changes the profile after the proposal: approving against
	// the comparison it saw before is refused (409), nothing is written.
	_, body = s.get(t, "/admin/profilvorschlaege", s.editor, http.StatusOK)
	link, _ := doc(t, body).Find("tbody th a").Attr("href")
	_, body = s.get(t, link, s.editor, http.StatusOK)
	d = doc(t, body)
	form := url.Values{}
	for _, name := range []string{"version", "member_version"} {
		v, _ := d.Find("input[name=" + name + "]").Attr("value")
		form.Set(name, v)
	}
	m, _ = s.st.FindMemberByID(context.Background(), s.essen.ID)
	m.Website = "https://www.essen.de/buero"
	if _, err := s.st.UpdateMember(context.Background(), defus.Actor{Name: "Büro"}, m); err != nil {
		t.Fatal(err)
	}
	_, body = send(t, s.ts, http.MethodPost, link+"/uebernehmen", s.editor, form, http.StatusConflict)
	if !strings.Contains(doc(t, body).Find(".note").Text(), "geändert, nachdem dieser Vorschlag gemacht wurde") {
		t.Error("the page does not say the profile changed since the proposal")
	}
	if got, _ := s.st.FindMember(context.Background(), "essen"); got.Description == "Erster Vorschlag" || got.Website != "https://www.essen.de/buero" {
		t.Error("a refused approval wrote to the profile")
	}
	// Rejecting needs a note.
	form.Set("member_version", itoa(int64(m.Version)))
	send(t, s.ts, http.MethodPost, link+"/ablehnen", s.editor, form, http.StatusUnprocessableEntity)
	form.Set("note", "Bitte mit dem Büro abstimmen.")
	send(t, s.ts, http.MethodPost, link+"/ablehnen", s.editor, form, http.StatusSeeOther)
	if mails := s.deliver(t); len(mails) != 1 || !strings.Contains(mails[0], "nicht übernommen") {
		t.Errorf("rejection mails %q", mails)
	}
}

func topicIDStrings(ids []int64) []string {
	var out []string
	for _, id := range ids {
		out = append(out, itoa(id))
	}
	return out
}

func TestProfileConfirmationIsOneClick(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	_, body := s.get(t, "/mitglieder/essen", nil, http.StatusOK)
	if doc(t, body).Find(".confirmed-line").Length() != 0 {
		t.Error("a never confirmed profile claims a confirmation")
	}
	send(t, s.ts, http.MethodPost, "/intern/profil/bestaetigen", s.memberA, url.Values{}, http.StatusSeeOther)
	_, body = s.get(t, "/mitglieder/essen", nil, http.StatusOK)
	if got := doc(t, body).Find(".confirmed-line").Text(); got != "Angaben zuletzt bestätigt am 24. November 2026" {
		t.Errorf("confirmed line %q", got)
	}
	_, body = s.get(t, "/mitglieder/bochum", nil, http.StatusOK)
	if doc(t, body).Find(".confirmed-line").Length() != 0 {
		t.Error("confirming Essen confirmed Bochum")
	}
}

func TestProposalChangesPublicContactsOnlyAfterApproval(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	old := s.addContact(t, s.essen.ID, defus.Contact{Name: "Alt Öffentlich", Function: "Leitung", Public: true})
	gone := s.addContact(t, s.essen.ID, defus.Contact{Name: "Geht Bald", Public: true})
	internal := s.addContact(t, s.essen.ID, defus.Contact{Name: "Nur Intern", Phone: "0201 9"})

	// The form offers the public contacts and one empty row.
	_, body := s.get(t, "/intern/profil", s.memberA, http.StatusOK)
	d := doc(t, body)
	if strings.Contains(body, "Nur Intern") {
		t.Error("the form offers a members-only contact")
	}
	form := url.Values{}
	d.Find("form[action='/intern/profil'] input, form[action='/intern/profil'] textarea").Each(func(_ int, e *goquery.Selection) {
		name, _ := e.Attr("name")
		if e.Is("textarea") {
			form.Set(name, e.Text())
			return
		}
		if typ, _ := e.Attr("type"); typ == "checkbox" {
			if _, on := e.Attr("checked"); on {
				form.Add(name, e.AttrOr("value", ""))
			}
			return
		}
		form.Set(name, e.AttrOr("value", ""))
	})
	rows := 0
	for i := 0; form.Has(defus.ContactField(i, "name")); i++ {
		rows++
	}
	var seeded int
	for _, c := range s.essen.Contacts {
		if c.Public {
			seeded++
		}
	}
	if rows != seeded+2+1 {
		t.Fatalf("%d contact rows, want the %d public ones and an empty one", rows, seeded+2)
	}
	find := func(name string) int {
		for i := 0; i < rows; i++ {
			if form.Get(defus.ContactField(i, "name")) == name {
				return i
			}
		}
		t.Fatalf("no row for %s", name)
		return -1
	}
	form.Set(defus.ContactField(find("Alt Öffentlich"), "function"), "Leitung Prävention")
	form.Set(defus.ContactField(find("Geht Bald"), "name"), "") // emptied: removed
	form.Set(defus.ContactField(rows-1, "name"), "Neu Öffentlich")
	form.Set(defus.ContactField(rows-1, "email"), "kein-at-zeichen")
	_, body = s.propose(t, s.memberA, form, http.StatusUnprocessableEntity)
	if doc(t, body).Find("#proposal-contact-"+itoa(int64(rows-2))+"-email-error").Text() == "" {
		t.Errorf("no message at the wrong e-mail:\n%s", doc(t, body).Find(".error-summary").Text())
	}
	form.Set(defus.ContactField(rows-1, "email"), "neu@essen.example")
	s.propose(t, s.memberA, form, http.StatusSeeOther)

	_, body = s.get(t, "/mitglieder/essen", nil, http.StatusOK)
	if strings.Contains(body, "Neu Öffentlich") || !strings.Contains(body, "Geht Bald") {
		t.Fatal("the proposed contacts are public before approval")
	}
	_, body = s.get(t, "/admin/profilvorschlaege", s.editor, http.StatusOK)
	link, _ := doc(t, body).Find("tbody th a").Attr("href")
	_, body = s.get(t, link, s.editor, http.StatusOK)
	d = doc(t, body)
	if got := d.Find(".proposal-diff tr").Last().Text(); !strings.Contains(got, "Neu Öffentlich") || !strings.Contains(got, "Geht Bald") {
		t.Errorf("contacts row of the comparison: %q", got)
	}
	decision := url.Values{}
	for _, name := range []string{"version", "member_version"} {
		decision.Set(name, d.Find("input[name="+name+"]").AttrOr("value", ""))
	}
	send(t, s.ts, http.MethodPost, link+"/uebernehmen", s.editor, decision, http.StatusSeeOther)

	m, err := s.st.FindMember(context.Background(), "essen")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]defus.Contact{}
	for _, c := range m.Contacts {
		byName[c.Name] = c
	}
	if c, ok := byName["Alt Öffentlich"]; !ok || c.ID != old.ID || c.Function != "Leitung Prävention" {
		t.Errorf("changed contact: %+v", c)
	}
	if _, ok := byName["Geht Bald"]; ok {
		t.Error("the removed contact is still there")
	}
	if c, ok := byName["Neu Öffentlich"]; !ok || !c.Public || c.Email != "neu@essen.example" {
		t.Errorf("new contact: %+v", c)
	}
	if c, ok := byName["Nur Intern"]; !ok || c.ID != internal.ID || c.Public {
		t.Errorf("the members-only contact changed: %+v", c)
	}
	_ = gone
}

func TestProposedLogoBecomesTheLogoOnApproval(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	// A file that is no picture: refused at the field, all else kept.
	_, body := postWithFile(t, s.ts, s.memberA, "/intern/profil", url.Values{"description": {"Mit neuem Logo"}}, "logo", "logo.png",
		[]byte("kein Bild"), http.StatusUnprocessableEntity)
	d := doc(t, body)
	if d.Find("#proposal-logo-error").Text() == "" || d.Find("#proposal-description").Text() != "Mit neuem Logo" {
		t.Fatalf("logo error %q, description %q", d.Find("#proposal-logo-error").Text(), d.Find("#proposal-description").Text())
	}
	postWithFile(t, s.ts, s.memberA, "/intern/profil", url.Values{"description": {"Mit neuem Logo"}}, "logo", "Unser Logo.png",
		pngFile(t, 60, 40), http.StatusSeeOther)

	// Not public, not in the media library before approval; the office sees it.
	_, body = s.get(t, "/admin/profilvorschlaege", s.editor, http.StatusOK)
	link, _ := doc(t, body).Find("tbody th a").Attr("href")
	_, body = s.get(t, link, s.editor, http.StatusOK)
	d = doc(t, body)
	src, _ := d.Find("img.proposal-logo").Attr("src")
	resp, _ := s.get(t, src, s.editor, http.StatusOK)
	if resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("proposed logo served as %q, %q", resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
	s.get(t, src, s.memberB, http.StatusForbidden)
	s.get(t, src, nil, http.StatusSeeOther)
	_, body = s.get(t, "/admin/medien?q=unser", s.editor, http.StatusOK)
	if strings.Contains(body, "unser-logo") {
		t.Error("the proposed logo is in the media library before approval")
	}

	decision := url.Values{}
	for _, name := range []string{"version", "member_version"} {
		decision.Set(name, d.Find("input[name="+name+"]").AttrOr("value", ""))
	}
	send(t, s.ts, http.MethodPost, link+"/uebernehmen", s.editor, decision, http.StatusSeeOther)
	m, err := s.st.FindMember(context.Background(), "essen")
	if err != nil {
		t.Fatal(err)
	}
	if m.Logo == nil || m.Logo.Name != "unser-logo.png" || m.Logo.AltText != "Logo: Essen" {
		t.Fatalf("logo after approval: %+v", m.Logo)
	}
	_, body = s.get(t, "/mitglieder/essen", nil, http.StatusOK)
	if doc(t, body).Find("img[alt='Logo: Essen']").Length() == 0 {
		t.Error("the public profile does not show the new logo")
	}
}
