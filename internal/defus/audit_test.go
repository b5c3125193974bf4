package defus

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// recordedFields finds every field name the module's code records in audit
// changes: the first argument of Changes.Set and Changes.SetWithheld (the
// only calls named so with three arguments) and the keys of Changes
// literals. A name that is not a string literal is reported as "?" so the
// test asks for one.
func recordedFields(t *testing.T) map[string][]string {
	t.Helper()
	fields := map[string][]string{} // field → where
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != "../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "_templ.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		record := func(e ast.Expr) {
			where := fset.Position(e.Pos()).String()
			lit, ok := e.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				fields["?"] = append(fields["?"], where)
				return
			}
			name, _ := strconv.Unquote(lit.Value)
			fields[name] = append(fields[name], where)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if ok && len(n.Args) == 3 && (sel.Sel.Name == "Set" || sel.Sel.Name == "SetWithheld") {
					record(n.Args[0])
				}
			case *ast.CompositeLit:
				if typeName(n.Type) == "Changes" {
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							record(kv.Key)
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fields
}

func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

func TestEveryRecordedFieldHasALabel(t *testing.T) {
	fields := recordedFields(t)
	// The scan must see the store's fields, or it scans nothing.
	for _, known := range []string{"body", "logo_media_id", "filter_search", "position", "note"} {
		if _, ok := fields[known]; !ok {
			t.Errorf("scan did not find the field %q", known)
		}
	}
	for field, where := range fields {
		if field == "?" {
			t.Errorf("changes recorded under a name that is not a string literal at %v: use a literal so the log's labels can be checked", where)
			continue
		}
		label, ok := fieldLabel("", field)
		if !ok {
			t.Errorf("field %q (recorded at %v) has no German label in fieldLabels", field, where)
			continue
		}
		if label == field || strings.Contains(label, "_") {
			t.Errorf("field %q has the label %q, which looks like a key", field, label)
		}
	}
}

func TestEveryEntityAndActionHasALabel(t *testing.T) {
	for _, e := range []string{EntityUser, EntityPage, EntityTopic, EntityEvent, EntityMedia, EntityEnquiry, EntityAssociation, EntityMember, EntityContact} {
		if got := EntityLabel(e); got == e {
			t.Errorf("entity %q has no label", e)
		}
	}
	for _, a := range []AuditAction{ActionLogin, ActionLoginFailed, ActionLogout, ActionCreate, ActionUpdate, ActionDelete, ActionDisable,
		ActionEnable, ActionPasswordReset, ActionStatusChange, ActionExport, ActionErase, ActionMove, ActionLoginUnlock} {
		if got := a.Label(); got == string(a) {
			t.Errorf("action %q has no label", a)
		}
	}
}

func TestFieldLabelForOneEntity(t *testing.T) {
	for _, tc := range []struct{ entity, field, want string }{
		{EntityMedia, "name", "Dateiname"},
		{EntityMember, "name", "Name"},
		{EntityMember, "logo_media_id", "Logo"},
		{EntityEnquiry, "filter_search", "Mit Suchbegriff"},
		{EntityPage, "unbekannt", "unbekannt"},
	} {
		if got := FieldLabel(tc.entity, tc.field); got != tc.want {
			t.Errorf("FieldLabel(%q, %q) = %q, want %q", tc.entity, tc.field, got, tc.want)
		}
	}
}

func TestAuditRefsAndNames(t *testing.T) {
	logo := int64(7)
	entries := []AuditEntry{
		{Changes: Changes{"logo_media_id": {float64(3), float64(4)}, "name": {"a", "b"}}},
		{Changes: Changes{"member_id": {nil, &logo}, "logo_media_id": {float64(4), nil}}},
		{Changes: Changes{"note": {nil, float64(12)}, "population": {float64(3), float64(4)}}},
	}
	got := AuditRefs(entries)
	want := map[AuditRef]bool{{RefMedia, 3}: true, {RefMedia, 4}: true, {RefMember, 7}: true, {RefNote, 12}: true}
	if len(got) != len(want) {
		t.Fatalf("AuditRefs = %v, want %v", got, want)
	}
	for _, r := range got {
		if !want[r] {
			t.Errorf("unexpected ref %v", r)
		}
	}
	names := AuditNames{{RefMedia, 3}: "logo-koeln.png"}
	for _, tc := range []struct {
		field  string
		v      any
		want   string
		wantOK bool
	}{
		{"logo_media_id", float64(3), "logo-koeln.png", true},
		{"logo_media_id", float64(4), "Nr. 4 (gelöscht)", true},
		{"logo_media_id", nil, "", false},
		{"population", float64(3), "", false},
	} {
		if got, ok := names.Name(tc.field, tc.v); got != tc.want || ok != tc.wantOK {
			t.Errorf("Name(%q, %v) = %q, %v; want %q, %v", tc.field, tc.v, got, ok, tc.want, tc.wantOK)
		}
	}
}
