package defus

import (
	"strings"
	"time"
)

// The members' area (/intern) shows member representatives the whole
// network: every contact person of every published member, members-only
// ones included, and the documents the office shares with members.

// NetworkContact is a contact person as the members' directory lists it:
// the contact with the member it belongs to.
type NetworkContact struct {
	Contact
	MemberSlug  string
	MemberName  string // the member's short name, "Köln"
	MemberState string
}

// ContactFilter narrows the members' contact directory. Zero values mean
// "all". Query searches name, function, e-mail, phone and member, with
// umlauts and their spellings (ü, ue, u) treated alike.
type ContactFilter struct {
	Query    string
	MemberID int64
	State    string
	TopicID  int64
	Limit    int // 0: all
	Offset   int // skip as many first (a later page)
}

// Filtered reports whether any part of the filter is set.
func (f ContactFilter) Filtered() bool {
	return f.Query != "" || f.MemberID != 0 || f.State != "" || f.TopicID != 0
}

// FoldUmlauts makes a search key in which "Müller", "Mueller" and "Muller"
// are the same: lower case, ä/ae → a, ö/oe → o, ü/ue → u, ß → ss. The store
// folds both the search and the text searched the same way (foldSQL).
func FoldUmlauts(s string) string {
	s = umlautLetters.Replace(strings.ToLower(s))
	return umlautSpellings.Replace(s)
}

// The two steps of FoldUmlauts, in the order the store's SQL takes them.
var (
	umlautLetters   = strings.NewReplacer("ä", "a", "ö", "o", "ü", "u", "ß", "ss")
	umlautSpellings = strings.NewReplacer("ae", "a", "oe", "o", "ue", "u")
)

// ProfileStatus is what a representative's start page says about their
// own organisation's profile.
type ProfileStatus struct {
	Member      Member
	ConfirmedAt *time.Time       // last confirmed by the member or the office; nil: never
	Pending     *ProfileProposal // the open proposal, if any
	LastDecided *ProfileProposal // the newest approved or rejected proposal, if any
}
