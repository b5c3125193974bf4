package defus

import (
	"fmt"
	"math"
	"reflect"
	"time"
)

// Actor is who makes a change, as the audit log records it: the account's
// id, name and e-mail are copied into each entry so the history survives
// the account. RequestID ties the entry to the server's log line. The zero
// Actor is "the system" (the command line, the seed).
type Actor struct {
	ID        int64
	Name      string
	Email     string
	RequestID string
}

// AuditAction names what happened.
type AuditAction string

// The audit actions. Features add their own where none of these fits.
const (
	ActionLogin         AuditAction = "login"
	ActionLoginFailed   AuditAction = "login_failed"
	ActionLogout        AuditAction = "logout"
	ActionCreate        AuditAction = "create"
	ActionUpdate        AuditAction = "update"
	ActionDelete        AuditAction = "delete"
	ActionDisable       AuditAction = "disable"
	ActionEnable        AuditAction = "enable"
	ActionPasswordReset AuditAction = "password_reset"
	ActionStatusChange  AuditAction = "status_change"
	ActionExport        AuditAction = "export"
	ActionErase         AuditAction = "erase"
	ActionMove          AuditAction = "move"
	ActionLoginUnlock   AuditAction = "login_unlock"
)

// Label is the German name of the action.
func (a AuditAction) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// EntityUser is the audit log's entity name for accounts. Other features
// name theirs ("enquiry", "member", "event", …) next to their types and add
// a label to entityLabels.
const EntityUser = "user"

// The audit log's labels, in one place: what the office reads for the
// actions, the entities and the fields of the recorded changes. A feature
// that records a new entity or field adds its German label here; the test
// TestEveryRecordedFieldHasALabel finds every field the code records.
var (
	actionLabels = map[AuditAction]string{
		ActionLogin:         "Anmeldung",
		ActionLoginFailed:   "Fehlgeschlagene Anmeldung",
		ActionLogout:        "Abmeldung",
		ActionCreate:        "Angelegt",
		ActionUpdate:        "Geändert",
		ActionDelete:        "Gelöscht",
		ActionDisable:       "Gesperrt",
		ActionEnable:        "Entsperrt",
		ActionPasswordReset: "Passwort neu gesetzt",
		ActionStatusChange:  "Status geändert",
		ActionExport:        "Exportiert",
		ActionErase:         "Endgültig gelöscht",
		ActionMove:          "Verschoben",
		ActionLoginUnlock:   "Anmeldesperre aufgehoben",
		// the members' area
		ActionApprove: "Übernommen",
		ActionReject:  "Abgelehnt",
		ActionConfirm: "Bestätigt",
		ActionRemind:  "Erinnerung verschickt",
		// accounts (account.go)
		ActionInvite:         "Eingeladen",
		ActionInviteResend:   "Einladung erneut gesendet",
		ActionInviteWithdraw: "Einladung zurückgezogen",
		ActionInviteAccept:   "Einladung angenommen",
		ActionResetRequest:   "Link für neues Passwort angefordert",
		ActionResetByLink:    "Passwort über Link neu gesetzt",
		ActionPasswordChange: "Eigenes Passwort geändert",
		ActionEmailRequest:   "Neue E-Mail-Adresse angefordert",
		ActionEmailConfirm:   "Neue E-Mail-Adresse bestätigt",
		ActionSessionsEnd:    "Sitzungen beendet",
		ActionTOTPOn:         "Zwei-Faktor-Anmeldung eingeschaltet",
		ActionTOTPOff:        "Zwei-Faktor-Anmeldung ausgeschaltet",
		ActionTOTPReset:      "Zwei-Faktor-Anmeldung zurückgesetzt",
		ActionRecoveryUsed:   "Wiederherstellungscode benutzt",
	}

	entityLabels = map[string]string{
		EntityUser:        "Benutzerkonto",
		EntityPage:        "Seite",
		EntityTopic:       "Thema",
		EntityEvent:       "Termin",
		EntityMedia:       "Datei",
		EntityEnquiry:     "Anfrage",
		EntityAssociation: "Vereinsdaten",
		EntityMember:      "Mitglied",
		EntityContact:     "Ansprechperson",
		EntityDocument:    "Dokument",
		EntityProposal:    "Profilvorschlag",
		EntityArticle:     "Beitrag",
	}

	// fieldLabels name the fields of the changes; "entity.field" names a
	// field of one entity where the plain name would mislead.
	fieldLabels = map[string]string{
		// accounts
		"email":               "E-Mail",
		"name":                "Name",
		"role":                "Rolle",
		"member_id":           "Mitglied",
		"disabled":            "Gesperrt",
		"sessions":            "Beendete Sitzungen",
		"recovery_codes_left": "Verbleibende Wiederherstellungscodes",
		// members and their contact persons
		"short_name":      "Kurzname",
		"slug":            "Web-Adresse",
		"kind":            "Art",
		"state":           "Bundesland",
		"population":      "Einwohnerzahl",
		"population_year": "Stand der Einwohnerzahl",
		"member_since":    "Mitglied seit",
		"lat":             "Breitengrad",
		"lon":             "Längengrad",
		"website":         "Website",
		"description":     "Beschreibung",
		"logo_media_id":   "Logo",
		"topics":          "Themen",
		"published":       "Veröffentlicht",
		"function":        "Funktion",
		"phone":           "Telefon",
		"public":          "Öffentlich sichtbar",
		"position":        "Stelle in der Reihenfolge",
		// the association's record
		"founded_on":    "Gegründet am",
		"founded_place": "Gegründet in",
		"street":        "Straße",
		"postcode":      "Postleitzahl",
		"city":          "Ort",
		// pages, topics and events
		"title":             "Titel",
		"summary":           "Kurzbeschreibung",
		"body":              "Text",
		"pillar":            "Schwerpunkt",
		"when":              "Datum und Uhrzeit",
		"format":            "Format",
		"place":             "Ort",
		"online_url":        "Online-Link",
		"online_url_public": "Online-Link öffentlich",
		"host":              "Gastgeber",
		"partners":          "In Kooperation mit",
		"registration_note": "Hinweis zur Anmeldung",
		"registration_url":  "Anmeldelink",
		"status":            "Status",
		// media
		"media.name":   "Dateiname",
		"alt_text":     "Alternativtext",
		"content_type": "Dateityp",
		"size":         "Größe",
		"logo_of":      "Logo von",
		// the inbox and its exports
		"assigned_to":   "Zuständig",
		"note":          "Notiz",
		"filter_status": "Statusfilter",
		"filter_search": "Mit Suchbegriff",
		"filter_query":  "Suche", // recorded by earlier versions
		"rows":          "Zeilen",
		"request":       "Art",
		"enquiries":     "Anfragen",
		// an enquiry's mails, answers and follow-up
		"mail_resent":    "Erneut gesendet",
		"reply":          "Antwort",
		"follow_up_on":   "Wiedervorlage",
		"follow_up_note": "Notiz zur Wiedervorlage",
		// the members' area: documents and profile proposals
		"dated_on":           "Datum",
		"visibility":         "Sichtbarkeit",
		"document.file_name": "Datei",
		"decision_note":      "Hinweis der Geschäftsstelle",
		"proposal":           "Vorschlag",
		"contacts":           "Öffentliche Ansprechpersonen",
		// registration for events
		"registration_mode":     "Anmeldung über das Portal",
		"capacity":              "Plätze",
		"registration_deadline": "Anmeldeschluss",
		"places_per_member":     "Plätze je Mitglied",
		"online_url_members":    "Online-Link für Mitglieder",
		"show_participants":     "Teilnehmende Städte zeigen",
		"registration_state":    "Stand der Anmeldung",
		"registration_event":    "Termin",
		"attended":              "Teilgenommen",
		"certificates":          "Bescheinigungen verschickt",
		"reminders":             "Erinnerungen verschickt",
		"calendar_token":        "Adresse des persönlichen Kalenders",
		// articles (news and interviews)
		"lead":           "Vorspann",
		"interview":      "Fragen und Antworten",
		"interviewee":    "Gesprächspartner",
		"image_media_id": "Bild",
		"image_alt":      "Bildbeschreibung",
		"published_at":   "Veröffentlichung",
		"members":        "Mitglieder",
	}

	// refFields are the fields whose values are ids, by what they name;
	// the log shows the name (see AuditNames).
	refFields = map[string]RefKind{
		"member_id":      RefMember,
		"logo_media_id":  RefMedia,
		"image_media_id": RefMedia,
		"note":           RefNote,
		"mail_resent":    RefMail,
		"reply":          RefMail,
	}
)

// EntityLabel is the German name of an entity, or the entity itself.
func EntityLabel(entity string) string {
	if l, ok := entityLabels[entity]; ok {
		return l
	}
	return entity
}

// FieldLabel is the German name of a field of entity's changes, or the
// field itself when it has none.
func FieldLabel(entity, field string) string {
	if l, ok := fieldLabel(entity, field); ok {
		return l
	}
	return field
}

func fieldLabel(entity, field string) (string, bool) {
	if l, ok := fieldLabels[entity+"."+field]; ok {
		return l, true
	}
	l, ok := fieldLabels[field]
	return l, ok
}

// RefKind names what kind of record an id in the changes refers to.
type RefKind string

// The kinds of record that changes refer to by id.
const (
	RefMember RefKind = "member"
	RefMedia  RefKind = "media"
	RefNote   RefKind = "note" // an internal note on an enquiry
	RefMail   RefKind = "mail" // a mail of an enquiry, an answer among them
)

// AuditRef is a record that an audit entry refers to by id.
type AuditRef struct {
	Kind RefKind
	ID   int64
}

// AuditNames are the names of the records that audit entries refer to, as
// they are now; a record that is gone has no name.
type AuditNames map[AuditRef]string

// Name is how the log shows the value v of field: the name of the record
// it refers to, "Nr. 12 (gelöscht)" for a record that is gone, and ok
// false for a field that holds no id.
func (n AuditNames) Name(field string, v any) (name string, ok bool) {
	kind, isRef := refFields[field]
	id, isID := auditID(v)
	if !isRef || !isID {
		return "", false
	}
	if name, found := n[AuditRef{kind, id}]; found {
		return name, true
	}
	return fmt.Sprintf("Nr. %d (gelöscht)", id), true
}

// AuditRefs lists the records that entries refer to, each once, for one
// lookup of their names.
func AuditRefs(entries []AuditEntry) []AuditRef {
	seen := map[AuditRef]bool{}
	var refs []AuditRef
	for _, e := range entries {
		for field, v := range e.Changes {
			kind, ok := refFields[field]
			if !ok {
				continue
			}
			for _, x := range v {
				if id, ok := auditID(x); ok && !seen[AuditRef{kind, id}] {
					seen[AuditRef{kind, id}] = true
					refs = append(refs, AuditRef{kind, id})
				}
			}
		}
	}
	return refs
}

// auditID reads an id from a change's value: a JSON number after reading
// the log, an int64 or *int64 before writing it.
func auditID(v any) (int64, bool) {
	switch v := v.(type) {
	case float64:
		return int64(v), v > 0 && v == math.Trunc(v)
	case int64:
		return v, v > 0
	case *int64:
		if v != nil {
			return *v, *v > 0
		}
	case int:
		return int64(v), v > 0
	}
	return 0, false
}

// Changes records which fields changed from what to what:
// {"field": [old, new]}. Never put passwords, hashes or erased personal data in.
type Changes map[string][2]any

// Set records field as changed from old to new when the two differ.
func (c Changes) Set(field string, old, new any) {
	if !reflect.DeepEqual(old, new) {
		c[field] = [2]any{old, new}
	}
}

// ChangeWithheld stands in for the values of a field whose change is
// recorded but whose content is personal data kept out of the log.
const ChangeWithheld = "geändert (Wert nicht protokolliert)"

// SetWithheld records that field changed from old to new without recording
// either value: for personal data such as a contact's e-mail address.
func (c Changes) SetWithheld(field, old, new string) {
	if old != new {
		c[field] = [2]any{nil, ChangeWithheld}
	}
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID          int64
	At          time.Time // zero: the database's now()
	Actor       Actor
	Action      AuditAction
	Entity      string
	EntityID    int64  // 0: none
	EntityLabel string // a snapshot of the record's name, kept after deletion
	Changes     Changes
}

// AuditFilter selects audit entries; zero fields do not filter. To is
// exclusive.
type AuditFilter struct {
	ActorID  int64
	Entity   string
	EntityID int64
	From, To time.Time
	// ChangesOnly leaves out logins, failed logins and logouts.
	ChangesOnly bool
	Limit       int // default 50
	Offset      int
	// Before and After page by keyset (FindAuditPage): the entries older,
	// or newer, than the entry with this id.
	Before, After int64
	SkipCount     bool // FindAuditPage counts nothing (a page that shows no count)
}

// AuditPage is one page of the audit log, paged by keyset: however long the
// log, a page reads only its own entries.
type AuditPage struct {
	Entries      []AuditEntry
	Newer, Older bool // whether there are entries before, after this page
	Count        int  // how many match the filter, up to AuditCountCap
	CountCapped  bool // more than AuditCountCap match
}

// AuditCountCap is as far as the audit log's pages count the matching entries.
const AuditCountCap = 10000

// AuditActor is a person who appears in the audit log, for the filter.
type AuditActor struct {
	ID    int64
	Name  string
	Email string
}

// How long the audit log keeps its entries (internal/retention deletes them
// after that; the privacy page says so): logins, failed logins and logouts
// for AuditLoginRetention, every other entry, the changes the office is
// accountable for, for AuditChangeRetentionYears.
const (
	AuditLoginRetention       = 90 * 24 * time.Hour
	AuditChangeRetentionYears = 5
)

// MailRetention is how long a mail that belongs to no enquiry (account
// links, registrations, profile proposals, reminders) is kept once it was
// sent or given up on: long enough to answer "did you send it?", and the
// privacy page says so. An enquiry's mails stay with the enquiry and go
// with it; a queued mail stays until it goes or is given up.
const MailRetention = 90 * 24 * time.Hour
