package defus

import (
	"errors"
	"fmt"
	"testing"
)

func TestFieldErrorsKeepsFirst(t *testing.T) {
	errs := FieldErrors{}
	errs.Add("a", "erste")
	errs.Add("a", "zweite")
	errs.Add("z", "x")
	if !errs.Has("a") || errs["a"] != "erste" || errs.Has("b") {
		t.Errorf("errs = %v", errs)
	}
	if in := errs.In("z"); len(in) != 2 || in[0].Field != "z" || in[1].Field != "a" {
		t.Errorf("In = %v", in)
	}
	var none FieldErrors
	if none.Any() || none.Has("a") {
		t.Error("nil FieldErrors has errors")
	}
}

func TestFieldErrorsAreAnError(t *testing.T) {
	// As the store returns them: wrapped with what it was doing.
	err := fmt.Errorf("update page 7: %w", FieldErrors{"slug": MsgSlugTaken})
	got := FieldErrorsOf(err)
	if got["slug"] != MsgSlugTaken {
		t.Errorf("FieldErrorsOf = %v, want the slug message", got)
	}
	if want := "update page 7: field errors: slug: " + MsgSlugTaken; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	for _, other := range []error{nil, ErrConflict, fmt.Errorf("x: %w", ErrNotFound)} {
		if fe := FieldErrorsOf(other); fe.Any() {
			t.Errorf("FieldErrorsOf(%v) = %v, want none", other, fe)
		}
		if errors.Is(err, other) && other != nil {
			t.Errorf("field errors match %v", other)
		}
	}
}
