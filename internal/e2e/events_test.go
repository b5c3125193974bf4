package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestEventPagesAreAccessible(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	for _, path := range []string{"/termine", "/termine?art=fortbildung&thema=kommunale-praevention",
		"/termine?monat=2026-13&art=unbekannt", "/termine/archiv", "/termine/archiv?gastgeber=stuttgart",
		"/termine/kalender/2025/09", "/termine/kalender", "/termine/29-mitgliederversammlung-2025",
		"/termine/arbeitskreis-radikalisierungspraevention", "/termine/fachgespraech-drogenkonsum-im-oeffentlichen-raum",
		"/termine/abonnieren", "/mitglieder/koeln", "/themen/drogen-und-sucht"} {
		t.Run(path, func(t *testing.T) {
			ctx := b.Tab(t)
			if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
				t.Fatal(err)
			}
			h1s, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('h1').length`))
			if err != nil {
				t.Fatal(err)
			}
			if h1s != 1 {
				t.Errorf("%d h1 elements, want 1", h1s)
			}
			b.CheckA11y(t, ctx, path)
		})
	}
}

func TestEventFilterFormFilters(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := b.Tab(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/termine"),
		chromedp.SetValue(chromedp.CSS(`#filter-art`), "fortbildung"),
		chromedp.SetValue(chromedp.CSS(`#filter-gastgeber`), "essen"),
		chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.filters a[href="/termine"]`)), // "Filter zurücksetzen" appears once filtered
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "art=fortbildung") || !strings.Contains(loc, "gastgeber=essen") {
		t.Errorf("filter URL %q is not shareable", loc)
	}
	titles, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.event-list .event-title a')].map(a => a.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	if len(titles) != 1 || !strings.HasPrefix(titles[0], "Fortbildung Deeskalation im Bürgerservice") {
		t.Errorf("after filtering for trainings hosted by Essen: %q", titles)
	}
	b.CheckA11y(t, ctx, loc)
}

func TestEventDetailFromList(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := b.Tab(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/termine"),
		chromedp.Click(chromedp.CSS(`.event-list .event-title a[href="/termine/workshop-sicherheitsaudits-im-quartier"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.facts`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	when, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".facts time")))
	if h1 != "Workshop Sicherheitsaudits im Quartier" || !strings.HasSuffix(when, "10:00–16:00 Uhr") {
		t.Errorf("detail page: h1 %q, when %q", h1, when)
	}
	b.CheckA11y(t, ctx, "detail")
}

func TestMonthViewNavigates(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := b.Tab(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/termine/kalender/2025/09"),
		chromedp.Click(chromedp.CSS(`a[rel=next]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/termine/kalender/2025/09"][rel=prev]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if h1 != "Kalender: Oktober 2025" {
		t.Errorf("after next month: h1 %q", h1)
	}
	b.CheckA11y(t, ctx, "month view")
}
