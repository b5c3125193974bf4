package markdown

import (
	"strings"
	"testing"
)

func TestHTMLRemovesScript(t *testing.T) {
	for name, src := range map[string]string{
		"script tag":      "Hallo <script>alert(1)</script> Welt",
		"javascript link": "[klick](javascript:alert(1))",
		"onerror":         `<img src="x" onerror="alert(1)">`,
		"raw html":        `<div onclick="alert(1)">x</div>`,
		"svg":             `<svg><script>alert(1)</script></svg>`,
		"data url":        `[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	} {
		t.Run(name, func(t *testing.T) {
			got := strings.ToLower(HTML(src))
			for _, bad := range []string{"<script", "javascript:", "onerror", "onclick", "data:text"} {
				if strings.Contains(got, bad) {
					t.Errorf("HTML(%q) = %q, contains %q", src, got, bad)
				}
			}
		})
	}
}

func TestHTMLExternalLinksGetNoopener(t *testing.T) {
	got := HTML("[Efus](https://efus.eu) und [intern](/mitglieder)")
	if !strings.Contains(got, `<a href="https://efus.eu" rel="noopener">Efus</a>`) {
		t.Errorf("external link without rel=noopener: %s", got)
	}
	if !strings.Contains(got, `<a href="/mitglieder">intern</a>`) {
		t.Errorf("internal link changed: %s", got)
	}
	if strings.Contains(got, "_blank") {
		t.Errorf("links must open in the same tab: %s", got)
	}
}

func TestHTMLGermanQuotesAndMailto(t *testing.T) {
	got := HTML(`Das „Netzwerk" – [Mail](mailto:defus@defus.de)`)
	if !strings.Contains(got, `href="mailto:defus@defus.de"`) {
		t.Errorf("mailto link lost: %s", got)
	}
}

// Uploaded pictures show as their variant for the text column, loaded
// lazily; documents stay links to the file; other pictures stay as written.
func TestHTMLKeepsUploadedImages(t *testing.T) {
	got := HTML("Unser Logo:\n\n![Logo der Stadt Köln](/medien/12/logo-koeln.png)\n\n[Jahresbericht (PDF, 1,2 MB)](/medien/13/jahresbericht.pdf)" +
		"\n\n![Fremd](https://example.org/bild.png) ![Alt](/medien/12/720x0/logo-koeln.png)")
	if !strings.Contains(got, `<img src="/medien/12/720x0/logo-koeln.png" alt="Logo der Stadt Köln" loading="lazy" decoding="async"`) {
		t.Errorf("uploaded image removed or not shown as its variant: %s", got)
	}
	if !strings.Contains(got, `<img src="https://example.org/bild.png" alt="Fremd"`) || strings.Contains(got, "720x0/720x0") {
		t.Errorf("other images changed: %s", got)
	}
	if !strings.Contains(got, `<a href="/medien/13/jahresbericht.pdf">Jahresbericht (PDF, 1,2 MB)</a>`) {
		t.Errorf("document link removed or changed: %s", got)
	}
}

// A table scrolls in a region of its own, which keyboards can reach; text
// that only mentions a table tag is left alone.
func TestHTMLWrapsTables(t *testing.T) {
	got := HTML("| Jahr | Ort |\n|---|---|\n| 2010 | Berlin |\n\nIn HTML hieße das `<table>`.")
	if n := strings.Count(got, `<div class="table-wrap" role="region" aria-label="Tabelle" tabindex="0"><table>`); n != 1 {
		t.Errorf("%d wrapped tables, want 1:\n%s", n, got)
	}
	if n := strings.Count(got, "</table></div>"); n != 1 {
		t.Errorf("%d regions closed, want 1:\n%s", n, got)
	}
	if !strings.Contains(got, "<code>&lt;table&gt;</code>") {
		t.Errorf("code that mentions a table changed:\n%s", got)
	}
}
