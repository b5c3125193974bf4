package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
)

// associationValues is the association form as the office would post it.
func associationValues(version string) url.Values {
	return url.Values{
		"name": {"Deutsch-Europäisches Forum für Urbane Sicherheit e.V."}, "short_name": {"DEFUS"},
		"founded_on": {"01.06.2010"}, "founded_place": {"Bonn"}, "street": {"Kurt-Schumacher-Straße 29"},
		"postcode": {"30159"}, "city": {"Hannover"}, "phone": {"0511 36739420"}, "email": {"defus@defus.de"},
		"version": {version},
	}
}

func TestAdminEditsTheAssociation(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	ctx := context.Background()
	orig, err := st.FindAssociation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		now, err := st.FindAssociation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		restore := *orig
		restore.Version = now.Version
		if _, err := st.UpdateAssociation(ctx, defus.Actor{}, &restore); err != nil {
			t.Fatal(err)
		}
	})
	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	c := login(t, ts, "a@defus.example")

	_, body := send(t, ts, http.MethodGet, "/admin/verein", c, nil, http.StatusOK)
	d := doc(t, body)
	if got := d.Find("#association-founded_on").AttrOr("value", ""); got != orig.FoundedOn.Format("02.01.2006") {
		t.Errorf("founding date shown as %q", got)
	}
	version := d.Find(`input[name=version]`).AttrOr("value", "")

	// Mistakes: each field answers in German, everything typed stays.
	bad := associationValues(version)
	bad.Set("name", "")
	bad.Set("founded_on", "31.02.2010")
	bad.Set("postcode", "3015")
	bad.Set("email", "defus@defus")
	bad.Set("founded_place", "<script>alert(1)</script>")
	_, body = send(t, ts, http.MethodPost, "/admin/verein", c, bad, http.StatusUnprocessableEntity)
	d = doc(t, body)
	checkFieldError(t, d, "association-name", "Namen des Vereins")
	checkFieldError(t, d, "association-founded_on", "Gründungsdatum")
	checkFieldError(t, d, "association-postcode", "fünfstellige")
	checkFieldError(t, d, "association-email", "gültige E-Mail-Adresse")
	if got := d.Find("#association-founded_on").AttrOr("value", ""); got != "31.02.2010" {
		t.Errorf("typed date not kept: %q", got)
	}
	if got := d.Find("#association-founded_place").AttrOr("value", ""); got != "<script>alert(1)</script>" {
		t.Errorf("typed place not kept: %q", got)
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("typed script rendered unescaped")
	}

	// A good save shows on the home page at once and lands in the audit log.
	send(t, ts, http.MethodPost, "/admin/verein", c, associationValues(version), http.StatusSeeOther)
	_, body = get(t, ts, "/", http.StatusOK)
	if !strings.Contains(doc(t, body).Find("main").Text(), "in Bonn") {
		t.Error("home page does not name the new founding place")
	}
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	if text := doc(t, body).Find("main").Text(); !strings.Contains(text, "Vereinsdaten") || !strings.Contains(text, "Bonn") {
		t.Error("audit log lacks the change of the association's record")
	}

	// The same stale form again: refused, typed values kept, stored ones shown.
	stale := associationValues(version)
	stale.Set("founded_place", "Köln")
	_, body = send(t, ts, http.MethodPost, "/admin/verein", c, stale, http.StatusConflict)
	d = doc(t, body)
	if !strings.Contains(d.Find(".conflict").Text(), "Bonn") {
		t.Errorf("conflict notice does not show the stored place: %s", d.Find(".conflict").Text())
	}
	if got := d.Find("#association-founded_place").AttrOr("value", ""); got != "Köln" {
		t.Errorf("typed place not kept after conflict: %q", got)
	}
}

func TestAdminAssociationNotForMembers(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "m@defus.example", "Max Mitglied", defus.RoleMember)
	c := login(t, ts, "m@defus.example")
	send(t, ts, http.MethodGet, "/admin/verein", c, nil, http.StatusForbidden)
	send(t, ts, http.MethodPost, "/admin/verein", c, associationValues("1"), http.StatusForbidden)
}
