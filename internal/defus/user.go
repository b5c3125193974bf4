package defus

import (
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
	InvitedAt    *time.Time // when the last invitation went out
	TOTPOn       *time.Time // when the second factor was switched on; nil: off
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
// field names: email, name, role. Name and address follow the text rules of
// every other form (CheckText, CheckEmail), whether they come from the
// office's form or from `defus user add`.
func (u *User) Validate() FieldErrors {
	errs := FieldErrors{}
	if u.Email == "" {
		errs.Add("email", "Bitte geben Sie eine E-Mail-Adresse ein.")
	}
	errs.Check("email", CheckEmail(u.Email, "Die E-Mail-Adresse"))
	if strings.TrimSpace(u.Name) == "" {
		errs.Add("name", "Bitte geben Sie einen Namen ein.")
	}
	errs.Check("name", CheckText(u.Name, "Der Name", false, MaxNameLen, false))
	if !u.Role.Valid() {
		errs.Add("role", "Bitte wählen Sie eine Rolle.")
	}
	return errs
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
