package store_test

import (
	"context"
	"testing"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
)

// A logo uploaded with the member form is stored with the member's save,
// or not at all.
func TestMemberSaveStoresItsNewLogoOrNothing(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	count := func() int {
		var n int
		if err := dbtest.Pool(t).QueryRow(ctx, `SELECT count(*) FROM media`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	newLogo := func(name string) *defus.Media {
		return &defus.Media{Name: name, ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\n" + name), AltText: "Logo von Ulm", Width: 20, Height: 10}
	}

	m := &defus.Member{Slug: "ulm", Name: "Stadt Ulm", ShortName: "Ulm", Kind: defus.KindCity, State: "Baden-Württemberg",
		NewLogo: newLogo("logo-ulm.png")}
	if err := st.CreateMember(ctx, office, m); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindMemberByID(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Logo == nil || got.Logo.ID != m.NewLogo.ID || got.Logo.Name != "logo-ulm.png" || got.Logo.AltText != "Logo von Ulm" {
		t.Fatalf("logo after create: %+v", got.Logo)
	}
	if e := lastAudit(t, st, defus.EntityMedia, m.NewLogo.ID); e.Action != defus.ActionCreate || e.Actor.Name != office.Name {
		t.Errorf("upload audited as %+v", e)
	}

	// A save that fails (the address belongs to another member) leaves no
	// picture behind, and the member as it was.
	first := *got.Logo
	changed := *got
	changed.Slug, changed.NewLogo = "zwickau", newLogo("zweites.png")
	if _, err := st.UpdateMember(ctx, office, &changed); err == nil {
		t.Fatal("update to a taken address went through")
	}
	if n := count(); n != 1 {
		t.Errorf("%d pictures after a failed save, want 1", n)
	}
	if changed.LogoMediaID == nil || *changed.LogoMediaID != first.ID {
		t.Errorf("failed save left the logo id at %v, want %d", changed.LogoMediaID, first.ID)
	}

	// A save that succeeds replaces the logo; the old picture stays in the library.
	changed.Slug = "ulm"
	if _, err := st.UpdateMember(ctx, office, &changed); err != nil {
		t.Fatal(err)
	}
	got, err = st.FindMemberByID(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Logo == nil || got.Logo.Name != "zweites.png" || count() != 2 {
		t.Errorf("logo after update %+v, %d pictures", got.Logo, count())
	}
	if c := lastAudit(t, st, defus.EntityMember, m.ID).Changes; c["logo_media_id"][1] == nil {
		t.Errorf("logo change not audited: %v", c)
	}
}
