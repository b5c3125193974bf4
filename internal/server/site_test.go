package server_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// keepAssociation puts the association's record back as it was when the
// test ends, whatever the test saved.
func keepAssociation(tb testing.TB, st *store.Store) *defus.Association {
	tb.Helper()
	ctx := context.Background()
	orig, err := st.FindAssociation(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		now, err := st.FindAssociation(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		restore := *orig
		restore.Version = now.Version
		if _, err := st.UpdateAssociation(ctx, defus.Actor{}, &restore); err != nil {
			tb.Fatal(err)
		}
	})
	return orig
}

// TestFooterShowsTheOfficeFromTheRecord: the footer of public pages names
// the office as the association's record has it, as an address with a
// phone link and a mail link, and shows an edit on the next page.
func TestFooterShowsTheOfficeFromTheRecord(t *testing.T) {
	ts, st := adminSite(t)
	keepAssociation(t, st)

	for _, path := range []string{"/", "/impressum", "/termine", "/gibt-es-nicht"} {
		want := http.StatusOK
		if path == "/gibt-es-nicht" {
			want = http.StatusNotFound
		}
		_, body := get(t, ts, path, want)
		addr := doc(t, body).Find("footer address")
		if addr.Length() != 1 {
			t.Fatalf("%s: %d address elements in the footer, want 1", path, addr.Length())
		}
		text := strings.Join(strings.Fields(addr.Text()), " ")
		for _, want := range []string{"Deutsch-Europäisches Forum für Urbane Sicherheit e.V.", "Kurt-Schumacher-Straße 29", "30159 Hannover"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: footer address %q lacks %q", path, text, want)
			}
		}
		if got := addr.Find(`a[href^="tel:"]`).AttrOr("href", ""); got != "tel:051136739420" {
			t.Errorf("%s: phone link %q", path, got)
		}
		if got := addr.Find(`a[href^="mailto:"]`).AttrOr("href", ""); got != "mailto:defus@defus.de" {
			t.Errorf("%s: mail link %q", path, got)
		}
	}

	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	c := login(t, ts, "a@defus.example")
	a, err := st.FindAssociation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	moved := associationValues(itoa(int64(a.Version)))
	moved.Set("street", "Am Markt 1")
	moved.Set("postcode", "28195")
	moved.Set("city", "Bremen")
	moved.Set("phone", "+49 421 123456")
	moved.Set("email", "buero@defus.example")
	send(t, ts, http.MethodPost, "/admin/verein", c, moved, http.StatusSeeOther)

	_, body := get(t, ts, "/datenschutz", http.StatusOK)
	addr := doc(t, body).Find("footer address")
	text := strings.Join(strings.Fields(addr.Text()), " ")
	if !strings.Contains(text, "Am Markt 1") || !strings.Contains(text, "28195 Bremen") || strings.Contains(text, "Hannover") {
		t.Errorf("footer after the edit: %q", text)
	}
	if got := addr.Find(`a[href^="tel:"]`); got.AttrOr("href", "") != "tel:+49421123456" || got.Text() != "+49 421 123456" {
		t.Errorf("phone link after the edit: %q %q", got.AttrOr("href", ""), got.Text())
	}
	if got := addr.Find(`a[href^="mailto:"]`).AttrOr("href", ""); got != "mailto:buero@defus.example" {
		t.Errorf("mail link after the edit: %q", got)
	}
	for _, link := range []string{"/impressum", "/datenschutz", "/barrierefreiheit"} {
		if doc(t, body).Find(`footer a[href="`+link+`"]`).Length() != 1 {
			t.Errorf("footer lacks the link to %s", link)
		}
	}
}

// TestAssociationIsReadOncePerPage: the layout's record costs one query
// per page, also where the handler reads it as well (the home page), and
// none where no page is rendered.
func TestAssociationIsReadOncePerPage(t *testing.T) {
	seededPool(t)
	cfg, err := pgxpool.ParseConfig(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	cfg.ConnConfig.Tracer = associationReads{&n}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	ts := newServer(t, pool)
	for path, want := range map[string]int64{"/": 1, "/impressum": 1, "/mitglieder/essen": 1, "/mitgliedschaft/anfrage": 1,
		"/healthz": 0, "/robots.txt": 0, "/termine/2026/keiner": 1} {
		n.Store(0)
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := n.Load(); got != want {
			t.Errorf("%s (%d): %d reads of the association, want %d", path, resp.StatusCode, got, want)
		}
	}
}

// associationReads counts the queries that read the association's record.
type associationReads struct{ n *atomic.Int64 }

func (q associationReads) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if strings.Contains(d.SQL, "FROM association") {
		q.n.Add(1)
	}
	return ctx
}
func (associationReads) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
