package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/defus"
	"defus.de/portal/web"
)

// TestErrorKinds checks the one place that decides what an error becomes,
// for the kinds a handler may pass on as they came from the store.
func TestErrorKinds(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: cfg, assets: assets, log: slog.New(slog.DiscardHandler)}
	for _, tc := range []struct {
		name   string
		err    error
		status int
		says   string
	}{
		{"not found", fmt.Errorf("find page 7: %w", defus.ErrNotFound), http.StatusNotFound, "Seite nicht gefunden"},
		{"field errors without a form", fmt.Errorf("delete page 7: %w", defus.FieldErrors{"required": defus.MsgRequiredPage}),
			http.StatusUnprocessableEntity, defus.MsgRequiredPage},
		{"stale version", fmt.Errorf("page 7: %w", defus.ErrConflict), http.StatusConflict, "Inzwischen geändert"},
		{"anything else", fmt.Errorf("boom"), http.StatusInternalServerError, "Es ist ein Fehler aufgetreten"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s.error(rec, httptest.NewRequest(http.MethodPost, "/admin/seiten/7/loeschen", nil), tc.err)
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d", rec.Code, tc.status)
			}
			if body := rec.Body.String(); !strings.Contains(body, tc.says) {
				t.Errorf("page does not say %q:\n%s", tc.says, body)
			}
		})
	}
}
