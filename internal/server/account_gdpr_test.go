package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
)

func TestAccountDataInTheRequestForAccess(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	s.invite(t, "Petra Prävention", "petra@essen.example")
	_, text := s.mailTo(t, "petra@essen.example")
	s.send(t, http.MethodPost, linkIn(t, text), nil, url.Values{"password": {"ein-gutes-passwort"}, "password_repeat": {"ein-gutes-passwort"}}, http.StatusSeeOther)

	_, body := s.send(t, http.MethodPost, "/admin/anfragen/auskunft", s.admin, url.Values{"email": {"Petra@essen.example"}}, http.StatusOK)
	if !strings.Contains(doc(t, body).Find("main").Text(), "1 Benutzerkonto") {
		t.Error("the confirmation does not count the account")
	}
	_, body = s.send(t, http.MethodPost, "/admin/anfragen/auskunft/download", s.admin, url.Values{"email": {"petra@essen.example"}}, http.StatusOK)
	var out struct {
		Konten []struct {
			Name    string
			Status  string
			Geraete []struct{ Geraet string } `json:"angemeldete_geraete"`
		} `json:"benutzerkonten"`
		EMails []struct{ Betreff string } `json:"e_mails"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Konten) != 1 || out.Konten[0].Name != "Petra Prävention" || out.Konten[0].Status != "aktiv" || len(out.Konten[0].Geraete) != 1 {
		t.Errorf("accounts in the export: %+v", out.Konten)
	}
	if len(out.EMails) != 1 {
		t.Errorf("mails in the export: %+v", out.EMails)
	}
	if strings.Contains(body, "/konto/einladung/") && !strings.Contains(body, "/konto/einladung/entfernt") {
		t.Error("the export holds a link")
	}
}

func TestEraseAnAccount(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	ctx := t.Context()
	u, _ := s.st.FindUserByEmail(ctx, "m@essen.de")
	path := fmt.Sprintf("/admin/benutzer/%d/loeschen", u.ID)
	s.send(t, http.MethodGet, path, s.editor, nil, http.StatusForbidden)
	s.send(t, http.MethodPost, path, s.member, url.Values{}, http.StatusForbidden)
	resp, _ := s.send(t, http.MethodGet, path, nil, nil, http.StatusSeeOther)
	if !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
		t.Error("anonymous not sent to the login")
	}
	_, body := s.send(t, http.MethodGet, path, s.admin, nil, http.StatusOK)
	if doc(t, body).Find(`form[action="`+path+`"] button`).Length() != 1 {
		t.Error("no confirmation form")
	}
	// Not the own account.
	a, _ := s.st.FindUserByEmail(ctx, "a@defus.de")
	_, body = s.send(t, http.MethodPost, fmt.Sprintf("/admin/benutzer/%d/loeschen", a.ID), s.admin, url.Values{}, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "eigenes Konto") {
		t.Error("no reason why the own account stays")
	}

	s.send(t, http.MethodPost, path, s.admin, url.Values{}, http.StatusSeeOther)
	if _, err := s.st.FindUser(ctx, u.ID); err == nil {
		t.Fatal("the account is still there")
	}
	s.send(t, http.MethodGet, "/intern", s.member, nil, http.StatusSeeOther)
	entries, _, err := s.st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityUser, EntityID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	erased := false
	for _, e := range entries {
		if e.EntityLabel != "" || len(e.Changes) != 0 || strings.Contains(e.Actor.Email, "essen") {
			t.Errorf("entry %s keeps personal data: %+v", e.Action, e)
		}
		erased = erased || e.Action == defus.ActionErase
	}
	if !erased {
		t.Error("the erasure is not recorded")
	}
}
