package defus

import "errors"

// Stand-in until the branch "shape" lands on main, which makes FieldErrors
// an error in form.go; delete this file at that merge.
func (e FieldErrors) Error() string { return "field errors" }

// FieldErrorsOf returns the field errors in err's chain, or nil.
func FieldErrorsOf(err error) FieldErrors {
	var fe FieldErrors
	errors.As(err, &fe)
	return fe
}
