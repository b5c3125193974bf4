package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

func addMedia(t *testing.T, st *store.Store, name, contentType string) *defus.Media {
	t.Helper()
	m := &defus.Media{Name: name, ContentType: contentType, Data: []byte("%PDF-1.4 " + name), AltText: "Über " + name}
	if contentType != "application/pdf" {
		m.Width, m.Height = 20, 10
	}
	if err := st.CreateMedia(context.Background(), defus.Actor{ID: 0, Name: "Test"}, m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMediaListFiltersAndUsage(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	logo := addMedia(t, st, "logo-zwickau.png", "image/png")
	addMedia(t, st, "satzung.pdf", "application/pdf")
	addMedia(t, st, "foto_100%.jpg", "image/jpeg")
	if _, err := dbtest.Pool(t).Exec(ctx, `UPDATE members SET logo_media_id = $1 WHERE slug IN ('zwickau', 'oehringen')`, logo.ID); err != nil {
		t.Fatal(err)
	}

	names := func(f defus.MediaFilter) ([]string, int) {
		t.Helper()
		list, total, err := st.FindMediaList(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range list {
			if m.Data != nil {
				t.Errorf("%s: list carries the content", m.Name)
			}
			out = append(out, m.Name)
		}
		return out, total
	}
	for _, tc := range []struct {
		name  string
		f     defus.MediaFilter
		want  string
		total int
	}{
		{"all, newest first", defus.MediaFilter{}, "foto_100%.jpg satzung.pdf logo-zwickau.png", 3},
		{"images", defus.MediaFilter{Kind: defus.MediaImages}, "foto_100%.jpg logo-zwickau.png", 2},
		{"documents", defus.MediaFilter{Kind: defus.MediaDocuments}, "satzung.pdf", 1},
		{"search ignores case", defus.MediaFilter{Query: "LOGO"}, "logo-zwickau.png", 1},
		{"wildcards are literal", defus.MediaFilter{Query: "_100%"}, "foto_100%.jpg", 1},
		{"paged", defus.MediaFilter{Limit: 1, Offset: 1}, "satzung.pdf", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total := names(tc.f)
			if joined := strings.Join(got, " "); joined != tc.want || total != tc.total {
				t.Errorf("got %q (total %d), want %q (total %d)", joined, total, tc.want, tc.total)
			}
		})
	}

	m, err := st.FindMediaInfo(ctx, logo.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.LogoOf) != 2 || m.LogoOf[0].Name != "Stadt Öhringen" || m.LogoOf[1].Slug != "zwickau" {
		t.Errorf("LogoOf = %+v", m.LogoOf)
	}
	if m.Width != 20 || m.Height != 10 || m.Data != nil {
		t.Errorf("info: %d×%d, %d bytes of content", m.Width, m.Height, len(m.Data))
	}
	full, err := st.FindMedia(ctx, logo.ID)
	if err != nil || string(full.Data) != "%PDF-1.4 logo-zwickau.png" {
		t.Errorf("FindMedia content = %q, %v", full.Data, err)
	}
	if _, err := st.FindMediaInfo(ctx, 999999); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestMediaUpdateAndDeleteAreVersionedAndAudited(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	pool := dbtest.Pool(t)
	by := defus.Actor{Name: "Rita", Email: "rita@defus.example"}
	m := addMedia(t, st, "logo.png", "image/png")
	if _, err := pool.Exec(ctx, `UPDATE members SET logo_media_id = $1 WHERE slug = 'zwickau'`, m.ID); err != nil {
		t.Fatal(err)
	}

	edit := *m
	edit.Name, edit.AltText = "logo-neu.png", "Neues Logo"
	if _, err := st.UpdateMedia(ctx, by, &edit); err != nil {
		t.Fatal(err)
	}
	if edit.Version != 2 {
		t.Errorf("version after update = %d", edit.Version)
	}
	stale := *m
	stale.AltText = "Veraltet"
	current, err := st.UpdateMedia(ctx, by, &stale)
	if !errors.Is(err, defus.ErrConflict) || current == nil || current.AltText != "Neues Logo" {
		t.Fatalf("stale update: %v, current %+v", err, current)
	}
	if err := st.DeleteMedia(ctx, by, m.ID, 1); !errors.Is(err, defus.ErrConflict) {
		t.Errorf("stale delete: %v", err)
	}
	if err := st.DeleteMedia(ctx, by, m.ID, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindMedia(ctx, m.ID); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("deleted file still found: %v", err)
	}
	var logo *int64
	pool.QueryRow(ctx, `SELECT logo_media_id FROM members WHERE slug = 'zwickau'`).Scan(&logo)
	if logo != nil {
		t.Errorf("member keeps the deleted logo %d", *logo)
	}

	entries, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityMedia, EntityID: m.ID})
	if err != nil {
		t.Fatal(err)
	}
	got := map[defus.AuditAction]defus.AuditEntry{}
	for _, e := range entries {
		got[e.Action] = e
	}
	if c := got[defus.ActionCreate].Changes; c["content_type"][1] != "PNG-Bild" || c["name"][1] != "logo.png" || c["size"][1] == nil {
		t.Errorf("upload audit = %v", c)
	}
	if c := got[defus.ActionUpdate].Changes; c["alt_text"][1] != "Neues Logo" || c["name"][0] != "logo.png" {
		t.Errorf("update audit = %v", c)
	}
	if e := got[defus.ActionDelete]; e.EntityLabel != "logo-neu.png" || e.Changes["logo_of"][0] != "Stadt Zwickau" {
		t.Errorf("delete audit = %q %v", e.EntityLabel, e.Changes)
	}
}
