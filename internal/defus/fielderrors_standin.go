package defus

// Stand-in until the branch "shape" lands on main, which makes FieldErrors
// an error in form.go; delete this file at that merge.
func (e FieldErrors) Error() string { return "field errors" }
