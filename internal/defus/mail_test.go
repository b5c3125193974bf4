package defus_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
)

type problemErr struct{ p defus.MailProblem }

func (e problemErr) Error() string                  { return "smtp: " + string(e.p) }
func (e problemErr) MailProblem() defus.MailProblem { return e.p }

func TestMailProblemOf(t *testing.T) {
	wrapped := fmt.Errorf("send mail 3: %w", problemErr{defus.ProblemRecipient})
	if got := defus.MailProblemOf(wrapped); got != defus.ProblemRecipient {
		t.Errorf("wrapped problem: got %q, want recipient", got)
	}
	if got := defus.MailProblemOf(errors.New("boom")); got != defus.ProblemOther {
		t.Errorf("plain error: got %q, want other", got)
	}
}

func TestMailProblemExplainsEachInGerman(t *testing.T) {
	seen := map[string]defus.MailProblem{}
	for _, p := range []defus.MailProblem{defus.ProblemUnreachable, defus.ProblemTimeout, defus.ProblemTLS,
		defus.ProblemLogin, defus.ProblemSender, defus.ProblemRecipient, defus.ProblemTemporary,
		defus.ProblemContent, defus.ProblemAddress, defus.ProblemOther, ""} {
		text := p.Explain()
		if prev, ok := seen[text]; ok && p != "" && prev != defus.ProblemOther {
			t.Errorf("%q and %q share the explanation %q", p, prev, text)
		}
		seen[text] = p
		for _, raw := range []string{"RCPT", "MAIL FROM", "dial tcp", "5.1.1", "x509", "EOF"} {
			if strings.Contains(text, raw) {
				t.Errorf("%q explained with the technical word %q: %q", p, raw, text)
			}
		}
	}
}

func TestReplyValidate(t *testing.T) {
	long := strings.Repeat("a", defus.MaxReplySubject+1)
	for _, tc := range []struct {
		name  string
		reply defus.Reply
		want  map[string]string // field: part of the message
	}{
		{"fine", defus.Reply{Subject: "Re: Ihre Anfrage", Body: "Guten Tag,\n\nvielen Dank.\n"}, nil},
		{"empty", defus.Reply{}, map[string]string{"subject": "Betreff an", "body": "schreiben Sie eine Nachricht"}},
		{"subject too long", defus.Reply{Subject: long, Body: "x"}, map[string]string{"subject": "höchstens 200 Zeichen"}},
		{"line break in subject", defus.Reply{Subject: "Re:\nBcc: x@y.de", Body: "x"}, map[string]string{"subject": "Steuerzeichen"}},
		{"control character in body", defus.Reply{Subject: "Re", Body: "Hallo\x1b[31m"}, map[string]string{"body": "Steuerzeichen"}},
		{"bidi override in body", defus.Reply{Subject: "Re", Body: "Hallo \u202egnal"}, map[string]string{"body": "Steuerzeichen"}},
		{"emoji and tabs in body", defus.Reply{Subject: "Grüße 👋", Body: "Liste:\n\t- eins 👩‍💻"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := tc.reply.Validate()
			if len(errs) != len(tc.want) {
				t.Fatalf("errors %v, want fields %v", errs, tc.want)
			}
			for field, part := range tc.want {
				if !strings.Contains(errs[field], part) {
					t.Errorf("%s: %q, want it to say %q", field, errs[field], part)
				}
			}
		})
	}
}

func TestReplyMailComesFromTheOfficeUnderTheStaffName(t *testing.T) {
	m := defus.ReplyMail(defus.Reply{Subject: "Re: x", Body: "Text"}, defus.Actor{ID: 3, Name: "Erika Muster"}, "defus@defus.de")
	if m.From != "defus@defus.de" || m.ReplyTo != "defus@defus.de" || m.FromName != "Erika Muster (DEFUS-Geschäftsstelle)" ||
		m.Kind != defus.MailReply || m.AuthorName != "Erika Muster" || m.Subject != "Re: x" || m.Body != "Text" {
		t.Errorf("reply mail: %+v", m)
	}
}

func TestReplySubject(t *testing.T) {
	e := &defus.Enquiry{Email: "Kim@Stadt.example"}
	office := defus.Mail{To: "defus@defus.de", Subject: "Neue Anfrage zur Mitgliedschaft: Stadt"}
	confirm := defus.Mail{To: "kim@stadt.example", Subject: "Ihre Anfrage zur Mitgliedschaft bei DEFUS"}
	answer := defus.Mail{To: "kim@stadt.example", Subject: "RE: Ihre Anfrage zur Mitgliedschaft bei DEFUS"}
	for _, tc := range []struct {
		mails []defus.Mail
		want  string
	}{
		{nil, "Ihre Anfrage bei DEFUS"},
		{[]defus.Mail{office}, "Ihre Anfrage bei DEFUS"},
		{[]defus.Mail{office, confirm}, "Re: Ihre Anfrage zur Mitgliedschaft bei DEFUS"},
		{[]defus.Mail{office, confirm, answer}, "RE: Ihre Anfrage zur Mitgliedschaft bei DEFUS"},
	} {
		if got := defus.ReplySubject(tc.mails, e); got != tc.want {
			t.Errorf("after %d mails: %q, want %q", len(tc.mails), got, tc.want)
		}
	}
}
