package defus

import (
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

var actionLabels = map[AuditAction]string{
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
}

// EntityUser is the audit log's entity name for accounts. Other features
// name theirs ("enquiry", "member", "event", …) and add a label to
// EntityLabels.
const EntityUser = "user"

// EntityLabels are the German names of the audit log's entities, for the
// filter and the list.
var EntityLabels = map[string]string{
	EntityUser:  "Benutzerkonto",
	EntityPage:  "Seite",
	EntityTopic: "Thema",
	EntityEvent: "Termin",
	EntityMedia: "Datei",
}

// EntityLabel is the German name of an entity, or the entity itself.
func EntityLabel(entity string) string {
	if l, ok := EntityLabels[entity]; ok {
		return l
	}
	return entity
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
}

// AuditActor is a person who appears in the audit log, for the filter.
type AuditActor struct {
	ID    int64
	Name  string
	Email string
}
