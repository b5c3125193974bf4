package view

import (
	"fmt"
	"net/url"
	"time"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
)

// InboxData is the enquiry inbox with its filter and paging.
type InboxData struct {
	Enquiries   []defus.Enquiry
	Total       int
	Page, Pages int
	Status      string     // the status filter as chosen ("" all, "open", or a status)
	Search      string     // the search as typed
	FollowUpDue bool       // only enquiries whose follow-up day has come
	Query       url.Values // the filter, for the paging and export links
	Now         time.Time
}

// pageURL is the inbox URL of page n with the current filter.
func (d InboxData) pageURL(n int) templ.SafeURL { return pagedURL("/admin/anfragen", d.Query, n) }

// exportURL is the CSV export of the current filter.
func (d InboxData) exportURL() templ.SafeURL {
	if len(d.Query) == 0 {
		return "/admin/anfragen/export.csv"
	}
	return templ.SafeURL("/admin/anfragen/export.csv?" + d.Query.Encode())
}

// EnquiryData is an enquiry's page in the inbox.
type EnquiryData struct {
	Enquiry     defus.Enquiry
	Notes       []defus.EnquiryNote
	Staff       []defus.User // who it can be assigned to
	Now         time.Time
	Note        Form[NoteForm] // the new note, as typed
	Conflict    bool           // a change was refused because someone else changed the enquiry meanwhile
	EnquiryWork                // mails, answer and follow-up (admin_enquiry_work.go)
}

// NoteForm is the form for a new internal note, as typed.
type NoteForm struct{ Body string }

// noteFields is the note form's field list.
func noteFields(f NoteForm) Fields {
	return Fields{{ID: "note-body", Name: "body", Label: "Neue Notiz", Value: f.Body, Rows: 6,
		Hint: "Nur für die Geschäftsstelle sichtbar. Höchstens " + defus.FormatNumber(defus.MaxNoteLength) + " Zeichen."}}
}

// NoteControls lays out the note form.
func (d EnquiryData) NoteControls() Controls { return d.Note.Controls(noteFields) }

// EraseData is the confirmation step before erasing an enquiry.
type EraseData struct {
	Enquiry defus.Enquiry
	Notes   int
	Mails   int
}

// SubjectAccessData is the request for access (GDPR Art. 15): the form for
// an e-mail address, and after it the confirmation with what was found.
type SubjectAccessData struct {
	Form[AccessForm]
	Confirm   bool // the address is checked: show what will be exported
	Enquiries int
	Notes     int
	Mails     int
	Contacts  int // as a contact person of a member (members' area)
	Proposals int // profile proposals made from the address
	// Registrations for events of the address (see registration.go).
	Registrations int
	Accounts      int // accounts that log in with the address
}

// AccessForm is the form of a request for access, as typed.
type AccessForm struct{ Email string }

// fields is the access form's field list.
func (d SubjectAccessData) fields(f AccessForm) Fields {
	return Fields{{ID: "access-email", Name: "email", Label: "E-Mail-Adresse der Person", Type: "email", Value: f.Email,
		Required: true, Autocomplete: "off"}}
}

// Controls lays out the access form.
func (d SubjectAccessData) Controls() Controls { return d.Form.Controls(d.fields) }

// PrivacyNoticeData is a stored text of the privacy notice.
type PrivacyNoticeData struct {
	Notice defus.PrivacyNotice
}

func enquiryURL(id int64) templ.SafeURL { return templ.SafeURL(fmt.Sprintf("/admin/anfragen/%d", id)) }

func privacyNoticeURL(id int64) templ.SafeURL {
	return templ.SafeURL(fmt.Sprintf("/admin/anfragen/datenschutz/%d", id))
}

// statusFilterOptions are the inbox's status filter choices.
func statusFilterOptions() []Option {
	opts := []Option{{"", "Alle"}, {string(defus.StatusOpen), "Alle offenen"}}
	for _, s := range defus.EnquiryStatuses {
		opts = append(opts, Option{string(s), statusName(s)})
	}
	return opts
}

// statusOptions are the statuses an enquiry can be given.
func statusOptions() []Option {
	var opts []Option
	for _, s := range defus.EnquiryStatuses {
		opts = append(opts, Option{string(s), statusName(s)})
	}
	return opts
}

// statusName is the status label with a capital first letter, for lists.
func statusName(s defus.EnquiryStatus) string {
	l := []rune(s.Label())
	if len(l) > 0 && l[0] >= 'a' && l[0] <= 'z' {
		l[0] -= 'a' - 'A'
	}
	return string(l)
}

func staffOptions(staff []defus.User) []Option {
	opts := []Option{{"", "Niemand"}}
	for _, u := range staff {
		opts = append(opts, Option{fmt.Sprint(u.ID), u.Name})
	}
	return opts
}

func assignedValue(e defus.Enquiry) string {
	if e.AssignedTo == nil {
		return ""
	}
	return fmt.Sprint(*e.AssignedTo)
}

// enquiriesWord is "1 Anfrage" or "n Anfragen".
func enquiriesWord(n int) string {
	if n == 1 {
		return "1 Anfrage"
	}
	return defus.FormatNumber(n) + " Anfragen"
}

// noteAuthor is a note's author, also after the account is gone.
func noteAuthor(n defus.EnquiryNote) string {
	if n.AuthorName == "" {
		return "Unbekannt"
	}
	return n.AuthorName
}

func enquiryPopulation(p *int) string {
	if p == nil {
		return ""
	}
	return defus.FormatNumber(*p)
}
