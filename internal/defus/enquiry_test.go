package defus

import (
	"strings"
	"testing"
	"time"
)

func TestValidPhone(t *testing.T) {
	for s, want := range map[string]bool{"+49 511 36739420": true, "0511/367394-20": true, "(0511) 123.45": true,
		"1234": false, "0511 abc": false, "49+511 12345": false} {
		if got := ValidPhone(s); got != want {
			t.Errorf("ValidPhone(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestEnquiryValidate(t *testing.T) {
	e := Enquiry{Organisation: "Stadt Köln", ContactName: "A", Email: "a@koeln.de", Message: "Hallo\nWelt", ConsentAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	if errs := e.Validate(); errs.Any() {
		t.Fatalf("valid enquiry: %v", errs)
	}
	bad := Enquiry{Kind: "x", State: "Atlantis", Message: strings.Repeat("ü", MaxEnquiryMessage+1), Organisation: "a\x00b"}
	errs := bad.Validate()
	var got []string
	for _, fe := range errs.In("organisation", "kind", "state", "contact_name", "email", "message", "consent") {
		got = append(got, fe.Field)
	}
	if strings.Join(got, ",") != "organisation,kind,state,contact_name,email,message,consent" {
		t.Errorf("errors in order = %v", got)
	}
	if !strings.Contains(errs["message"], "5.000") {
		t.Errorf("message error %q does not name the limit", errs["message"])
	}
}

func TestNextMailAttempt(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var waits []string
	for n := 1; ; n++ {
		next, ok := NextMailAttempt(now, n)
		if !ok {
			break
		}
		waits = append(waits, next.Sub(now).String())
	}
	if got := strings.Join(waits, " "); got != "1m0s 5m0s 30m0s 2h0m0s 12h0m0s" {
		t.Errorf("retry waits = %s", got)
	}
}

func TestEnquiryMailsRepeatWhatWasSent(t *testing.T) {
	pop := 1200
	e := &Enquiry{Organisation: "Gemeinde Öd", Kind: EnquiryCity, ContactName: "Zoë", Email: "z@oed.de", Population: &pop,
		Message: "Nachricht <b>", Topics: []string{"Prävention", "Drogen"}, ConsentAt: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)}
	m := EnquiryMails(e, EnquiryMailSettings{Office: "defus@defus.de", BaseURL: "https://defus.example", SiteName: "DEFUS"})
	if len(m) != 2 || m[0].To != "defus@defus.de" || m[0].ReplyTo != "z@oed.de" || m[1].To != "z@oed.de" || m[1].ReplyTo != "" {
		t.Fatalf("mails = %+v", m)
	}
	for _, want := range []string{"Organisation: Gemeinde Öd", "Art: Stadt/Gemeinde", "Einwohnerzahl: 1.200",
		"Interessante Themen: Prävention, Drogen", "Nachricht:\nNachricht <b>"} {
		if !strings.Contains(m[1].Body, want) || !strings.Contains(m[0].Body, want) {
			t.Errorf("mails lack %q", want)
		}
	}
	if !strings.Contains(m[0].Body, "24. November 2026, 10:30 Uhr") {
		t.Errorf("office mail lacks the consent time in Berlin time:\n%s", m[0].Body)
	}
}

func TestFormatAge(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		10 * time.Second:     "gerade eben",
		time.Minute:          "vor 1 Minute",
		5 * time.Minute:      "vor 5 Minuten",
		time.Hour:            "vor 1 Stunde",
		23 * time.Hour:       "vor 23 Stunden",
		25 * time.Hour:       "gestern",
		3 * 24 * time.Hour:   "vor 3 Tagen",
		15 * 24 * time.Hour:  "vor 2 Wochen",
		65 * 24 * time.Hour:  "vor 2 Monaten",
		800 * 24 * time.Hour: "vor 2 Jahren",
	} {
		if got := FormatAge(now.Add(-d), now); got != want {
			t.Errorf("FormatAge(-%v) = %q, want %q", d, got, want)
		}
	}
}
