package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
)

func TestCreateUserAndFindByEmailIgnoringCase(t *testing.T) {
	t.Parallel()
	st := accounts(t)
	ctx := context.Background()
	u := addUser(t, st, "Anna.Admin@defus.de", defus.RoleAdmin)
	got, err := st.FindUserByEmail(ctx, "anna.admin@DEFUS.de")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != u.ID || got.Role != defus.RoleAdmin || got.Version != 1 || !got.Active() {
		t.Errorf("found %+v", got)
	}
	dup := &defus.User{Email: "ANNA.ADMIN@defus.de", Name: "X", Role: defus.RoleEditor, PasswordHash: cheapHash()}
	if err := st.CreateUser(ctx, defus.Actor{}, dup); !defus.FieldErrorsOf(err).Has("email") {
		t.Errorf("duplicate e-mail: err = %v, want a field error on email", err)
	}
	if _, err := st.FindUser(ctx, 999); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("unknown id: err = %v, want ErrNotFound", err)
	}
}

func TestLastActiveAdminStays(t *testing.T) {
	t.Parallel()
	st := accounts(t)
	ctx := context.Background()
	a := addUser(t, st, "a@defus.de", defus.RoleAdmin)
	b := addUser(t, st, "b@defus.de", defus.RoleAdmin)
	by := a.Actor("req-1")

	// Disable b: a is left.
	if err := st.SetUserDisabled(ctx, by, b.ID, b.Version, true); err != nil {
		t.Fatal(err)
	}
	// Demoting or disabling a now leaves no active admin.
	a.Role = defus.RoleEditor
	if _, err := st.UpdateUser(ctx, by, a); defus.FieldErrorsOf(err)["role"] != defus.MsgLastAdmin {
		t.Errorf("demote last admin: err = %v, want the last-admin message on role", err)
	}
	if err := st.SetUserDisabled(ctx, by, a.ID, 0, true); defus.FieldErrorsOf(err)["disable"] != defus.MsgLastAdmin {
		t.Errorf("disable last admin: err = %v, want the last-admin message on disable", err)
	}
	// Re-enable b: then a may go.
	if err := st.SetUserDisabled(ctx, by, b.ID, 0, false); err != nil {
		t.Fatal(err)
	}
	a.Role = defus.RoleEditor
	if _, err := st.UpdateUser(ctx, by, a); err != nil {
		t.Errorf("demote with another admin left: %v", err)
	}
}

func TestUpdateUserRefusesStaleVersionAndAudits(t *testing.T) {
	t.Parallel()
	st := accounts(t)
	ctx := context.Background()
	a := addUser(t, st, "a@defus.de", defus.RoleAdmin)
	e := addUser(t, st, "e@defus.de", defus.RoleEditor)
	stale := *e
	e.Name = "Erika Neu"
	if _, err := st.UpdateUser(ctx, a.Actor("req-2"), e); err != nil {
		t.Fatal(err)
	}
	stale.Name = "Erika Alt"
	current, err := st.UpdateUser(ctx, a.Actor("req-3"), &stale)
	if !errors.Is(err, defus.ErrConflict) {
		t.Errorf("stale update: err = %v, want ErrConflict", err)
	}
	if current == nil || current.Name != "Erika Neu" {
		t.Errorf("stale update: current = %+v, want the account as saved by the first update", current)
	}
	if err := st.SetUserPassword(ctx, a.Actor("req-4"), e.ID, cheapHash()); err != nil {
		t.Fatal(err)
	}

	entries, total, err := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityUser, EntityID: e.ID})
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || len(entries) != 3 {
		t.Fatalf("audit entries of e = %d (total %d), want 3: %+v", len(entries), total, entries)
	}
	upd := entries[1]
	if upd.Action != defus.ActionUpdate || upd.Actor.ID != a.ID || upd.Actor.RequestID != "req-2" {
		t.Errorf("update entry = %+v", upd)
	}
	if got := upd.Changes["name"]; got != [2]any{"Name e@defus.de", "Erika Neu"} {
		t.Errorf("name change = %v", got)
	}
	pw := entries[0]
	if pw.Action != defus.ActionPasswordReset || len(pw.Changes) != 0 {
		t.Errorf("password entry = %+v, want no changes recorded", pw)
	}

	// Filters: by person and by date.
	byA, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{ActorID: a.ID})
	if err != nil || len(byA) != 2 {
		t.Errorf("entries by a = %d, %v; want 2", len(byA), err)
	}
	future, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{From: testNow.Add(time.Hour)})
	if err != nil || len(future) != 0 {
		t.Errorf("entries from the future = %d, %v", len(future), err)
	}
	actors, err := st.FindAuditActors(ctx)
	if err != nil || len(actors) != 1 || actors[0].ID != a.ID {
		t.Errorf("actors = %+v, %v", actors, err)
	}
}
