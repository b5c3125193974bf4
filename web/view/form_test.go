package view

import (
	"reflect"
	"testing"

	"defus.de/portal/internal/defus"
)

// testForm is a form type as the admin forms have them.
type testForm struct {
	Title, Date, Time string
	Tags              []string
	Public            bool
	Version           int
}

// testFields is its field list: a date and a time shown as one row
// "Wann", a group of boxes and a flag shown in words.
func testFields(f testForm) Fields {
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "t-title", Name: "title", Label: "Titel des Eintrags", Short: "Titel", Value: f.Title},
		{ID: "t-date", Name: "date", Label: "Datum", Value: f.Date, Short: "Wann", Shown: f.Date + " " + f.Time},
		{ID: "t-time", Name: "time", Label: "Uhrzeit", Value: f.Time, Short: "Wann", Shown: f.Date + " " + f.Time},
		{ID: "t-tags", Name: "tags", Type: TypeCheckboxes, Label: "Themen", Checked: f.Tags,
			Options: []Option{{"1", "Eins"}, {"2", "Zwei"}}},
		{ID: "t-public", Name: "public", Type: TypeCheckbox, Label: "Öffentlich zeigen", Value: checked(f.Public)},
	}
}

func TestErrorSummaryFollowsTheFieldList(t *testing.T) {
	f := Form[testForm]{Values: testForm{Title: "a\x00b"}, Errors: defus.FieldErrors{
		"public": "P", "tags": "T", "title": "A", "elsewhere": "E",
	}}
	c := f.Controls(testFields)
	want := []ErrorLink{{"#t-title", "A"}, {"#t-tags-1", "T"}, {"#t-public", "P"}, {"#error-summary-title", "E"}}
	if !reflect.DeepEqual(c.Errors, want) {
		t.Errorf("error summary = %v, want %v (form order, a group at its first box, an unknown field last)", c.Errors, want)
	}
	if got := c.Field("title"); got.Error != "A" || got.Value != "ab" {
		t.Errorf("title = %+v, want its error and the value without the control character", got)
	}
	if c.Conflict != nil {
		t.Errorf("conflict table without a conflict: %v", c.Conflict)
	}
}

func TestConflictTableShowsWhatIsStoredNow(t *testing.T) {
	typed := testForm{Title: "Neu", Date: "2027-09-16", Time: "10:00", Tags: []string{"1"}, Version: 3}
	stored := testForm{Title: "Alt", Date: "2027-09-16", Time: "09:00", Tags: []string{"1", "2"}, Public: true, Version: 4}
	c := Form[testForm]{Values: typed, Current: &stored}.Controls(testFields)
	want := []ConflictField{{"Titel", "Alt"}, {"Wann", "2027-09-16 09:00"}, {"Themen", "Eins, Zwei"}, {"Öffentlich zeigen", "ja"}}
	if !reflect.DeepEqual(c.Conflict, want) {
		t.Errorf("conflict table = %v, want %v", c.Conflict, want)
	}
	if got := c.Field("version").Value; got != "4" {
		t.Errorf("version = %s, want the stored one, 4, so that saving again works", got)
	}
	if got := c.Field("title").Value; got != "Neu" {
		t.Errorf("title = %q, want what was typed", got)
	}

	same := Form[testForm]{Values: typed, Current: &typed}.Controls(testFields)
	if len(same.Conflict) != 1 || same.Conflict[0].Label != "Hinweis" {
		t.Errorf("conflict table without differences = %v, want the note that nothing differs", same.Conflict)
	}
	emptied := stored
	emptied.Title = ""
	if got := (Form[testForm]{Values: typed, Current: &emptied}).Controls(testFields).Conflict[0]; got != (ConflictField{"Titel", "(leer)"}) {
		t.Errorf("an emptied field = %v, want (leer)", got)
	}
}

func TestUnknownFieldIsAMistakeInTheTemplate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Field of a name the list lacks did not panic")
		}
	}()
	Form[testForm]{}.Controls(testFields).Field("titel")
}
