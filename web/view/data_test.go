package view

import "testing"

func TestTelHref(t *testing.T) {
	for in, want := range map[string]string{
		"+49 (0)511 123 45-6":   "tel:+49511123456",
		"+49 511 1234":          "tel:+495111234",
		"0511 / 12 34 56":       "tel:0511123456",
		"(0511) 12 34":          "tel:05111234",
		"Tel. +43 (0)1 234 567": "tel:+431234567",
	} {
		if got := telHref(in); got != want {
			t.Errorf("telHref(%q) = %q, want %q", in, got, want)
		}
	}
}
