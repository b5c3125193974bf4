package defus

import "testing"

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		w, h   int
		box    Box
		ww, wh int
	}{
		{1600, 900, BoxThumb, 80, 45},
		{900, 1600, BoxThumb, 45, 80},
		{600, 300, BoxLogo, 192, 96},   // width-bound
		{300, 300, BoxLogo, 128, 128},  // height-bound
		{120, 60, BoxThumb2x, 120, 60}, // never scaled up
		{120, 60, BoxThumb, 80, 40},    // the browser test's picture
		{4000, 3000, BoxContent, 720, 540},
		{1000, 16000, BoxContent, 720, 11520}, // no height limit in a text column
		{16000, 1, BoxThumb, 80, 1},           // at least one pixel
		{0, 10, BoxThumb, 0, 0},
	} {
		if w, h := Fit(tc.w, tc.h, tc.box); w != tc.ww || h != tc.wh {
			t.Errorf("Fit(%d×%d, %v) = %d×%d, want %d×%d", tc.w, tc.h, tc.box, w, h, tc.ww, tc.wh)
		}
	}
}

func TestParseBox(t *testing.T) {
	for _, b := range ImageBoxes {
		if got, ok := ParseBox(b.String()); !ok || got != b {
			t.Errorf("ParseBox(%q) = %v, %v", b.String(), got, ok)
		}
	}
	for _, s := range []string{"100x100", "80x80x80", "", "0x0", "80X80"} {
		if _, ok := ParseBox(s); ok {
			t.Errorf("ParseBox(%q) accepted", s)
		}
	}
}
