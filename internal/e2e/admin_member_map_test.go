package e2e

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/geomap"
)

// clickOnMap clicks the member form's map where the server's projection
// puts lat, lon; the browser's own transform turns view-box units into
// window coordinates.
func clickOnMap(t *testing.T, ctx context.Context, lat, lon float64) {
	t.Helper()
	m, err := geomap.Germany()
	if err != nil {
		t.Fatal(err)
	}
	p := m.Project(lat, lon)
	must(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(`svg[data-pick-location]`)))
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
		const svg = document.querySelector('svg[data-pick-location]');
		const pt = svg.createSVGPoint(); pt.x = %g; pt.y = %g;
		const q = pt.matrixTransform(svg.getScreenCTM());
		return [q.x, q.y];
	})()`, p.X, p.Y)))
	if err != nil {
		t.Fatal(err)
	}
	must(t, ctx, chromedp.MouseClickXY(xy[0], xy[1]))
}

// decimalValue reads a German decimal number from the input sel.
func decimalValue(t *testing.T, ctx context.Context, sel string) float64 {
	t.Helper()
	v := value(t, ctx, sel)
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil {
		t.Fatalf("%s holds %q, not a number", sel, v)
	}
	return f
}

func TestMemberFormMapSetsCoordinates(t *testing.T) {
	b := NewBrowser(t)
	base := site(t)
	ctx := loggedInIncognito(t, b, base) // its own cookies: no session left for later tests
	t.Cleanup(func() { dbtest.Pool(t).Exec(context.Background(), `DELETE FROM members WHERE slug = 'kartenstadt'`) })

	must(t, ctx, chromedp.Navigate(base+"/admin/mitglieder/neu"), chromedp.WaitVisible(chromedp.CSS(`#location-hint`)))
	b.CheckA11y(t, ctx, "new member form with map and upload")
	if got := value(t, ctx, "#member-lat") + value(t, ctx, "#member-lon"); got != "" {
		t.Fatalf("new member starts with coordinates %q", got)
	}

	// A click near Köln sets coordinates near Köln, and the marker.
	clickOnMap(t, ctx, 50.94, 6.96)
	lat, lon := decimalValue(t, ctx, "#member-lat"), decimalValue(t, ctx, "#member-lon")
	if math.Abs(lat-50.94) > 0.05 || math.Abs(lon-6.96) > 0.05 {
		t.Errorf("click near Köln set %v, %v", lat, lon)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('.map-marker').hasAttribute('hidden')`))
	if err != nil || hidden {
		t.Errorf("marker hidden after the click (%v)", err)
	}
	if got := text(t, ctx, "#location-status"); !strings.Contains(got, "Breitengrad 50,9") {
		t.Errorf("status after the click: %q", got)
	}

	// Typing moves the marker: to Hamburg, far north-east of Köln.
	markerAt := func() (x, y float64) {
		xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](
			`(() => { const m = document.querySelector('.map-marker').transform.baseVal.consolidate().matrix; return [m.e, m.f]; })()`))
		if err != nil {
			t.Fatal(err)
		}
		return xy[0], xy[1]
	}
	x0, y0 := markerAt()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#member-lat').value = document.querySelector('#member-lon').value = ''`)); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, chromedp.SendKeys(chromedp.CSS(`#member-lat`), "53,55"), chromedp.SendKeys(chromedp.CSS(`#member-lon`), "9,99"))
	if x1, y1 := markerAt(); !(x1 > x0+20 && y1 < y0-50) {
		t.Errorf("marker moved from %.0f,%.0f to %.0f,%.0f after typing Hamburg's coordinates", x0, y0, x1, y1)
	}

	// A second click, then the save stores what the click set.
	clickOnMap(t, ctx, 48.14, 11.58) // München
	must(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#member-name`), "Stadt Kartenstadt"),
		chromedp.SendKeys(chromedp.CSS(`#member-short-name`), "Kartenstadt"),
		chromedp.SetValue(chromedp.CSS(`#member-state`), "Bayern"))
	if got := text(t, ctx, "[data-slug-preview]"); !strings.HasSuffix(got, "/mitglieder/kartenstadt") {
		t.Errorf("address shown while typing: %q", got)
	}
	must(t, ctx, chromedp.Click(chromedp.CSS(`form.member-form button[type=submit]:not([formaction])`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	lat, lon = decimalValue(t, ctx, "#member-lat"), decimalValue(t, ctx, "#member-lon")
	if math.Abs(lat-48.14) > 0.05 || math.Abs(lon-11.58) > 0.05 {
		t.Errorf("saved coordinates %v, %v, want near München", lat, lon)
	}
	b.CheckA11y(t, ctx, "member form with a marker")
}
