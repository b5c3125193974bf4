package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/store"
)

// TestUserAddValidatesTextLikeTheForms: `defus user add` refuses the names
// and addresses the admin form refuses, with the same German message and
// before anything reaches the database.
func TestUserAddValidatesTextLikeTheForms(t *testing.T) {
	env := dbEnv(t)
	ctx := context.Background()
	st := store.New(dbtest.Pool(t), time.Now)
	for _, tc := range []struct {
		name, email, userName, want string
	}{
		{"bidi override in the name", "bidi@defus.de", "Anna \u202eretsuM", "-name: Der Name enthält unsichtbare Zeichen oder Steuerzeichen"},
		{"zero-width space in the name", "zw@defus.de", "An\u200bna", "-name: Der Name enthält unsichtbare Zeichen"},
		{"nul in the name", "nul@defus.de", "An\x00na", "-name: Der Name enthält unsichtbare Zeichen"},
		{"invalid utf-8 in the name", "utf8@defus.de", "An\xffna", "-name: Der Name enthält ungültige Zeichen"},
		{"umlaut before the at", "müller@defus.de", "Anna Müller", "-email: Bitte verwenden Sie eine E-Mail-Adresse ohne Umlaute vor dem @."},
		{"invalid utf-8 in the address", "a\xff@defus.de", "Anna", "-email: Die E-Mail-Adresse enthält ungültige Zeichen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(ctx, []string{"user", "add", "-email", tc.email, "-name", tc.userName, "-role", "editor"}, env,
				strings.NewReader("ein-sehr-gutes-passwort\n"), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			if _, err := st.FindUserByEmail(ctx, strings.ToValidUTF8(tc.email, "")); err == nil {
				t.Error("account created")
			}
		})
	}
}
