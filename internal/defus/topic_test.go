package defus

import (
	"slices"
	"strings"
	"testing"
)

func TestTopicValidate(t *testing.T) {
	ok := Topic{Title: "Urbane Resilienz", Slug: "urbane-resilienz", Summary: "Kurz.", Description: "## Text\n\nMit Absatz."}
	for _, tc := range []struct {
		name   string
		change func(*Topic)
		fields []string
	}{
		{"valid", func(*Topic) {}, nil},
		{"no title, no slug: only the title is named", func(t *Topic) { t.Title, t.Slug = "", "" }, []string{"title"}},
		{"title without letters gives no slug", func(t *Topic) { t.Title, t.Slug = "!!!", "" }, []string{"slug"}},
		{"title too long", func(t *Topic) { t.Title = strings.Repeat("ä", MaxTitleLen+1) }, []string{"title"}},
		{"control character in title", func(t *Topic) { t.Title = "Ti\x00tel" }, []string{"title"}},
		{"bad slug", func(t *Topic) { t.Slug = "Urbane Resilienz" }, []string{"slug"}},
		{"control character in summary", func(t *Topic) { t.Summary = "a\x07b" }, []string{"summary"}},
		{"description too long", func(t *Topic) { t.Description = strings.Repeat("x", MaxBodyLen+1) }, []string{"description"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topic := ok
			tc.change(&topic)
			var got []string
			for _, fe := range topic.Validate().In() {
				got = append(got, fe.Field)
			}
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields with errors = %v, want %v", got, tc.fields)
			}
		})
	}
}
