package defus

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	start := time.Now()
	h, err := HashPassword("richtig-langes-passwort")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("hash took %v", time.Since(start))
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q, want a PHC argon2id string", h)
	}
	if !CheckPassword(h, "richtig-langes-passwort") {
		t.Error("right password refused")
	}
	if CheckPassword(h, "falsches-langes-passwort") {
		t.Error("wrong password accepted")
	}
	for _, bad := range []string{"", "$argon2id$", "$2a$10$abc", h[:len(h)-3]} {
		if CheckPassword(bad, "richtig-langes-passwort") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	h2, _ := HashPassword("richtig-langes-passwort")
	if h == h2 {
		t.Error("two hashes of the same password are equal: salt missing")
	}
}

func TestPasswordParamsApplyToNewHashesOnly(t *testing.T) {
	old, err := HashPassword("richtig-langes-passwort")
	if err != nil {
		t.Fatal(err)
	}
	prev := SetPasswordParams(PasswordParams{Memory: 64, Time: 1, Threads: 1})
	defer SetPasswordParams(prev)
	cheap, err := HashPassword("richtig-langes-passwort")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cheap, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %q, want the parameters set", cheap)
	}
	if !CheckPassword(old, "richtig-langes-passwort") || !CheckPassword(cheap, "richtig-langes-passwort") {
		t.Error("a hash made with other parameters no longer checks")
	}
}

func TestGeneratePasswordFollowsTheRules(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		pw := GeneratePassword()
		if msg := ValidatePassword(pw); msg != "" {
			t.Errorf("generated %q: %s", pw, msg)
		}
		if seen[pw] {
			t.Errorf("generated %q twice", pw)
		}
		seen[pw] = true
	}
}

func TestValidatePassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"kurz":                    false,
		"elf-zeichen":             false,
		"zwölf-zeich":             false,
		"zwölf-zeiche":            true,
		strings.Repeat("ä", 1024): true,
		strings.Repeat("a", 1025): false,
	} {
		if got := ValidatePassword(pw) == ""; got != ok {
			t.Errorf("ValidatePassword(%.20q) ok = %v, want %v", pw, got, ok)
		}
	}
}

func TestUserValidate(t *testing.T) {
	u := User{Email: "a@b", Name: " ", Role: "chef"}
	errs := u.Validate()
	for _, f := range []string{"email", "name", "role"} {
		if errs[f] == "" {
			t.Errorf("no error for %s: %v", f, errs)
		}
	}
	u = User{Email: "office@defus.de", Name: "Büro", Role: RoleEditor}
	if errs := u.Validate(); len(errs) != 0 {
		t.Errorf("valid user: %v", errs)
	}
	u.Name = strings.Repeat("x", 201)
	if u.Validate()["name"] == "" {
		t.Error("201-character name accepted")
	}
}

func TestChangesSetOnlyDifferences(t *testing.T) {
	c := Changes{}
	c.Set("name", "A", "A")
	c.Set("role", "editor", "admin")
	if len(c) != 1 || c["role"] != [2]any{"editor", "admin"} {
		t.Errorf("changes = %v", c)
	}
}
