package defus

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// AccountStatus is where an account stands for the office.
type AccountStatus string

// The statuses of an account.
const (
	AccountInvited  AccountStatus = "invited"  // invited, no password set yet
	AccountActive   AccountStatus = "active"   // may log in
	AccountDisabled AccountStatus = "disabled" // disabled by the office
)

// Label is the German name of the status.
func (s AccountStatus) Label() string {
	switch s {
	case AccountInvited:
		return "eingeladen"
	case AccountActive:
		return "aktiv"
	case AccountDisabled:
		return "gesperrt"
	}
	return string(s)
}

// Invited reports whether the account waits for its invitation to be
// accepted: it has no password yet and cannot log in.
func (u *User) Invited() bool { return u.PasswordHash == "" }

// Status is the account's status; a disabled invitation is disabled.
func (u *User) Status() AccountStatus {
	switch {
	case !u.Active():
		return AccountDisabled
	case u.Invited():
		return AccountInvited
	}
	return AccountActive
}

// TokenPurpose says what a link sent by mail does. A link works only for
// its own purpose: an invitation link is no reset link.
type TokenPurpose string

// The purposes of links.
const (
	TokenInvitation    TokenPurpose = "invitation"
	TokenPasswordReset TokenPurpose = "password_reset"
	TokenEmailChange   TokenPurpose = "email_change"
)

// How long links are valid.
const (
	InvitationLifetime    = 7 * 24 * time.Hour
	PasswordResetLifetime = time.Hour
	EmailChangeLifetime   = 24 * time.Hour
)

// Lifetime is how long a link of purpose p is valid.
func (p TokenPurpose) Lifetime() time.Duration {
	switch p {
	case TokenInvitation:
		return InvitationLifetime
	case TokenPasswordReset:
		return PasswordResetLifetime
	}
	return EmailChangeLifetime
}

// Token is a single-use secret for a link: Raw goes into the mail, only
// Hash is stored.
type Token struct {
	Raw  string
	Hash []byte
}

// NewToken makes a token of 256 random bits.
func NewToken() Token {
	b := make([]byte, 32)
	rand.Read(b)
	raw := base64.RawURLEncoding.EncodeToString(b)
	return Token{Raw: raw, Hash: HashToken(raw)}
}

// HashToken is the stored form of a token taken from a link. The token has
// 256 random bits, so a plain SHA-256 suffices: nothing can be guessed.
func HashToken(raw string) []byte {
	sum := sha256.Sum256([]byte(raw))
	return sum[:]
}

// TokenLooksValid reports whether raw can be a token at all (43 characters
// of base64url), so that junk in a link is refused before the database.
func TokenLooksValid(raw string) bool {
	if len(raw) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(raw)
	return err == nil
}

// LinkToken is a stored link: the account and, for an e-mail change, the
// new address.
type LinkToken struct {
	UserID    int64
	Purpose   TokenPurpose
	NewEmail  string
	ExpiresAt time.Time
}

// AccountMailSettings is what the account mails need besides the account.
type AccountMailSettings struct {
	Office   string // OFFICE_EMAIL: the sender
	BaseURL  string // the site's address without a trailing slash
	SiteName string // "DEFUS-Geschäftsstelle"
}

func (s AccountMailSettings) mail(to, subject, body string) Mail {
	return Mail{FromName: s.SiteName, From: s.Office, To: to, ReplyTo: s.Office, Subject: subject,
		Body: body + "\nMit freundlichen Grüßen\nIhre DEFUS-Geschäftsstelle\n" + s.BaseURL + "\n"}
}

// InvitationMail invites u, a member's representative, to set a password
// with the link to raw.
func InvitationMail(u *User, memberName, raw string, expires time.Time, s AccountMailSettings) Mail {
	member := ""
	if memberName != "" {
		member = " für " + memberName
	}
	return s.mail(u.Email, "Einladung in den Mitgliederbereich von DEFUS",
		"Guten Tag "+u.Name+",\n\n"+
			"die DEFUS-Geschäftsstelle lädt Sie"+member+" in den Mitgliederbereich des Portals ein. "+
			"Dort finden Sie die Ansprechpersonen des ganzen Netzwerks, Unterlagen nur für Mitglieder und das Profil Ihrer Organisation.\n\n"+
			"Bitte legen Sie über diesen Link Ihr Passwort fest:\n\n"+
			s.BaseURL+"/konto/einladung/"+raw+"\n\n"+
			"Der Link gilt bis "+FormatDate(expires)+", "+FormatTime(expires)+" und nur einmal. "+
			"Ist er abgelaufen, schicken wir Ihnen gern einen neuen: Antworten Sie einfach auf diese E-Mail.\n\n"+
			"Wenn Sie mit dieser Einladung nichts anfangen können, ignorieren Sie sie bitte; ohne den Link entsteht kein Zugang.\n")
}

// PasswordResetMail sends u the link to set a new password.
func PasswordResetMail(u *User, raw string, expires time.Time, s AccountMailSettings) Mail {
	return s.mail(u.Email, "Neues Passwort für das DEFUS-Portal",
		"Guten Tag "+u.Name+",\n\n"+
			"für Ihr Konto im DEFUS-Portal wurde ein neues Passwort angefordert. Über diesen Link legen Sie es fest:\n\n"+
			s.BaseURL+"/konto/passwort-neu/"+raw+"\n\n"+
			"Der Link gilt bis "+FormatTime(expires)+" ("+FormatDate(expires)+") und nur einmal. "+
			"Danach sind alle angemeldeten Geräte abgemeldet.\n\n"+
			"Haben Sie kein neues Passwort angefordert, ignorieren Sie diese E-Mail bitte: Ihr Passwort bleibt, wie es ist.\n")
}

// EmailChangeMail asks the owner of newEmail to confirm it as u's address.
func EmailChangeMail(u *User, newEmail, raw string, expires time.Time, s AccountMailSettings) Mail {
	return s.mail(newEmail, "Bitte bestätigen Sie Ihre neue E-Mail-Adresse",
		"Guten Tag "+u.Name+",\n\n"+
			"Sie möchten sich im DEFUS-Portal künftig mit dieser E-Mail-Adresse anmelden. Bitte bestätigen Sie das über diesen Link:\n\n"+
			s.BaseURL+"/konto/e-mail/"+raw+"\n\n"+
			"Der Link gilt bis "+FormatDate(expires)+", "+FormatTime(expires)+" und nur einmal. "+
			"Bis dahin melden Sie sich weiter mit Ihrer bisherigen Adresse an.\n\n"+
			"Haben Sie das nicht veranlasst, ignorieren Sie diese E-Mail bitte.\n")
}

// The audit actions of accounts.
const (
	ActionInvite         AuditAction = "invite"
	ActionInviteResend   AuditAction = "invite_resend"
	ActionInviteWithdraw AuditAction = "invite_withdraw"
	ActionInviteAccept   AuditAction = "invite_accept"
	ActionResetRequest   AuditAction = "password_reset_request"
	ActionResetByLink    AuditAction = "password_reset_link"
	ActionPasswordChange AuditAction = "password_change"
	ActionEmailRequest   AuditAction = "email_change_request"
	ActionEmailConfirm   AuditAction = "email_change"
	ActionSessionsEnd    AuditAction = "sessions_end"
	ActionTOTPOn         AuditAction = "totp_on"
	ActionTOTPOff        AuditAction = "totp_off"
	ActionTOTPReset      AuditAction = "totp_reset"
	ActionRecoveryUsed   AuditAction = "recovery_code_used"
)

// Session is one logged-in session of an account, as its owner sees it.
type Session struct {
	Hash     []byte // SHA-256 of the session token: names the session in forms
	Agent    string // browser and system in a few words, "Firefox unter Linux"
	Created  time.Time
	LastSeen time.Time
}

// EmailChangedMail tells the old address of u that the account now logs in
// with newEmail, so that a change the owner did not make is noticed.
func EmailChangedMail(u *User, newEmail string, s AccountMailSettings) Mail {
	return s.mail(u.Email, "Ihre E-Mail-Adresse im DEFUS-Portal wurde geändert",
		"Guten Tag "+u.Name+",\n\n"+
			"Ihr Konto im DEFUS-Portal meldet sich ab jetzt mit der Adresse "+newEmail+" an; diese Adresse hier gilt dafür nicht mehr.\n\n"+
			"Haben Sie das nicht veranlasst, antworten Sie bitte sofort auf diese E-Mail: Die Geschäftsstelle sperrt das Konto dann.\n")
}
