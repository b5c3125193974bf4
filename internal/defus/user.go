package defus

import (
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role says what an account may do.
type Role string

// The roles. Admins do everything including accounts; editors work on
// content and enquiries; members (member representatives) have no access to
// /admin and are meant for the members' area.
const (
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
	RoleMember Role = "member"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleEditor, RoleMember}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleEditor || r == RoleMember
}

// Label is the German name of the role.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Administration"
	case RoleEditor:
		return "Redaktion"
	case RoleMember:
		return "Mitglied"
	}
	return string(r)
}

// ErrEmailTaken is returned when another account already uses the e-mail address.
var ErrEmailTaken = errors.New("e-mail address already used by another account")

// ErrLastAdmin is returned when a change would leave no active admin.
var ErrLastAdmin = errors.New("the last active admin cannot be disabled or demoted")

// Limits of the account fields.
const (
	MaxNameLen     = 200
	MaxEmailLen    = 254
	MinPasswordLen = 12
	MaxPasswordLen = 1024
)

// User is an account of the portal. PasswordHash is an argon2id PHC string;
// it is never shown, logged or written to the audit log.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	MemberID     *int64 // the member a representative speaks for
	PasswordHash string
	DisabledAt   *time.Time
	LastLoginAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
}

// Active reports whether the account may log in.
func (u *User) Active() bool { return u.DisabledAt == nil }

// Actor is the person on whose behalf a change is made, as the audit log
// records it. RequestID ties the entry to the server's log line.
func (u *User) Actor(requestID string) Actor {
	return Actor{ID: u.ID, Name: u.Name, Email: u.Email, RequestID: requestID}
}

// Staff reports whether the account may use /admin at all.
func (u *User) Staff() bool { return u.Role == RoleAdmin || u.Role == RoleEditor }

// NormalizeEmail trims an e-mail address and lower-cases it.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks the account's fields (not the password) and returns the
// German message per field; an empty map means valid. Keys are the form's
// field names: email, name, role.
func (u *User) Validate() map[string]string {
	errs := map[string]string{}
	switch {
	case u.Email == "":
		errs["email"] = "Bitte geben Sie eine E-Mail-Adresse ein."
	case utf8.RuneCountInString(u.Email) > MaxEmailLen:
		errs["email"] = "Die E-Mail-Adresse darf höchstens 254 Zeichen lang sein."
	case !validEmail(u.Email):
		errs["email"] = "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@stadt.de."
	}
	switch {
	case strings.TrimSpace(u.Name) == "":
		errs["name"] = "Bitte geben Sie einen Namen ein."
	case utf8.RuneCountInString(u.Name) > MaxNameLen:
		errs["name"] = "Der Name darf höchstens 200 Zeichen lang sein."
	}
	if !u.Role.Valid() {
		errs["role"] = "Bitte wählen Sie eine Rolle."
	}
	return errs
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// ValidatePassword returns a German message when pw breaks the password
// rules (at least 12, at most 1024 characters), or "".
func ValidatePassword(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return "Das Passwort muss mindestens 12 Zeichen lang sein."
	case n > MaxPasswordLen:
		return "Das Passwort darf höchstens 1024 Zeichen lang sein."
	}
	return ""
}
