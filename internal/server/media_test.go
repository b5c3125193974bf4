package server_test

import (
	"context"
	"mime"
	"net/http"
	"strconv"
	"testing"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

func TestMediaShow(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := newServer(t, pool)
	st := store.New(pool, testClock)
	ctx := context.Background()
	pdf := &defus.Media{Name: "jahresbericht.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7\n%%EOF\n")}
	logo := &defus.Media{Name: "logo.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\nrest")}
	for _, m := range []*defus.Media{pdf, logo} {
		if err := st.CreateMedia(ctx, defus.Actor{}, m); err != nil {
			t.Fatal(err)
		}
	}

	resp, body := get(t, ts, pdf.URL(), http.StatusOK)
	if body != string(pdf.Data) {
		t.Errorf("body = %q", body)
	}
	for k, want := range map[string]string{
		"Content-Type":           "application/pdf",
		"Content-Disposition":    `attachment; filename="jahresbericht.pdf"`,
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "public, max-age=31536000, immutable",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	resp, _ = get(t, ts, logo.URL(), http.StatusOK)
	if got := resp.Header.Get("Content-Disposition"); got != `inline; filename="logo.png"` {
		t.Errorf("image Content-Disposition = %q", got)
	}

	// A name that did not come through the upload form (which makes slugs)
	// is still served under a valid address with a safe header.
	odd := &defus.Media{Name: `Bericht "Köln";x.pdf`, ContentType: "application/pdf", Data: []byte("%PDF-1.7\n%%EOF\n")}
	if err := st.CreateMedia(ctx, defus.Actor{}, odd); err != nil {
		t.Fatal(err)
	}
	resp, _ = get(t, ts, odd.URL(), http.StatusOK)
	if got, want := resp.Header.Get("Content-Disposition"), `attachment; filename="Bericht _K_ln_;x.pdf"; filename*=UTF-8''Bericht%20%22K%C3%B6ln%22%3Bx.pdf`; got != want {
		t.Errorf("Content-Disposition = %q, want %q", got, want)
	}
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err != nil || params["filename"] != odd.Name {
		t.Errorf("Content-Disposition parses as %q, %v", params["filename"], err)
	}

	// A name the file never had is 404 like an unknown id: counting
	// through the ids finds nothing (a former name redirects, see
	// TestAdminMediaEditConflictAndDelete). Unknown ids are 404.
	_, wrong := get(t, ts, "/medien/"+itoa(pdf.ID)+"/x.pdf", http.StatusNotFound)
	_, unknown := get(t, ts, "/medien/999999/x.pdf", http.StatusNotFound)
	if wrong != unknown {
		t.Error("a wrong name answers otherwise than an unknown id")
	}
	get(t, ts, "/medien/abc/x.pdf", http.StatusNotFound)
	get(t, ts, "/medien/-1/x.pdf", http.StatusNotFound)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
