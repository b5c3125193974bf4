package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
)

func TestContactsAndProposalsInTheRequestForAccess(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	s.addContact(t, s.essen.ID, defus.Contact{Name: "Erika Essen", Function: "Prävention", Email: "Vertretung@Essen.example", Phone: "0201 5"})
	s.propose(t, s.memberA, url.Values{"description": {"Neuer Text"}}, http.StatusSeeOther)

	_, body := send(t, s.ts, http.MethodPost, "/admin/anfragen/auskunft", s.editor, url.Values{"email": {"vertretung@essen.example"}}, http.StatusOK)
	if text := doc(t, body).Find("main li").Text(); !strings.Contains(text, "1 Eintrag/Einträge als Ansprechperson") || !strings.Contains(text, "1 Profilvorschlag") {
		t.Errorf("confirmation lists %q", text)
	}
	_, body = send(t, s.ts, http.MethodPost, "/admin/anfragen/auskunft/download", s.editor, url.Values{"email": {"vertretung@essen.example"}}, http.StatusOK)
	var got struct {
		Contacts []struct {
			Mitglied, Name, Telefon string
		} `json:"ansprechperson_bei_mitgliedern"`
		Proposals []struct{ Beschreibung string } `json:"profilvorschlaege"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Contacts) != 1 || got.Contacts[0].Mitglied != "Essen" || got.Contacts[0].Telefon != "0201 5" {
		t.Errorf("contacts in the export: %+v", got.Contacts)
	}
	if len(got.Proposals) != 1 || got.Proposals[0].Beschreibung != "Neuer Text" {
		t.Errorf("proposals in the export: %+v", got.Proposals)
	}
}

func TestErasingAContactLeavesOnlyThatItHappened(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	c := s.addContact(t, s.essen.ID, defus.Contact{Name: "Erika Löschmich", Email: "e@essen.example"})
	path := "/admin/mitglieder/" + itoa(s.essen.ID) + "/ansprechpersonen/" + itoa(c.ID) + "/loeschen"
	_, body := s.get(t, path, s.editor, http.StatusOK)
	if doc(t, body).Find("input#delete-erase[name=erase]").Length() != 1 {
		t.Fatal("no choice to erase under Art. 17")
	}
	send(t, s.ts, http.MethodPost, path, s.editor, url.Values{"version": {itoa(int64(c.Version))}, "erase": {"ja"}}, http.StatusSeeOther)

	_, body = s.get(t, "/intern/kontakte?q=loeschmich", s.memberB, http.StatusOK)
	if strings.Contains(body, "Löschmich") {
		t.Error("the erased contact is still in the directory")
	}
	entries, _, err := s.st.FindAuditEntries(context.Background(), defus.AuditFilter{Entity: defus.EntityContact, EntityID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != defus.ActionErase {
		t.Fatalf("audit entries %+v, want create and erase", entries)
	}
	for _, e := range entries {
		js, _ := json.Marshal(e)
		if strings.Contains(string(js), "Löschmich") {
			t.Errorf("the audit log still names the person: %s", js)
		}
	}
}
