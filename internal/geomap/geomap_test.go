package geomap

import (
	"math"
	"strings"
	"testing"
)

func TestGermanyProjectsCitiesWhereTheyBelong(t *testing.T) {
	m, err := Germany()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.Path, "M") || strings.Count(m.Path, "Z") < 1 {
		t.Fatalf("outline path looks wrong: %.40s…", m.Path)
	}
	hamburg := m.Project(53.55, 9.99)
	munich := m.Project(48.14, 11.58)
	cologne := m.Project(50.94, 6.96)
	berlin := m.Project(52.52, 13.40)
	if !(hamburg.Y < munich.Y) {
		t.Errorf("Hamburg (y=%v) should be north of Munich (y=%v)", hamburg.Y, munich.Y)
	}
	if !(cologne.X < berlin.X) {
		t.Errorf("Cologne (x=%v) should be west of Berlin (x=%v)", cologne.X, berlin.X)
	}
	for _, p := range []Point{hamburg, munich, cologne, berlin} {
		if p.X < 0 || p.X > Width || p.Y < 0 || p.Y > m.Height {
			t.Errorf("point %v outside the view box 0 0 %v %v", p, Width, m.Height)
		}
	}
}

func TestSpreadSeparatesDotsAtTheSamePlace(t *testing.T) {
	hannover := Point{X: 200, Y: 150}
	got := Spread([]Point{hannover, hannover, hannover, {X: 50, Y: 50}})
	if got[0] != hannover {
		t.Errorf("first dot moved: %v", got[0])
	}
	if got[3] != (Point{X: 50, Y: 50}) {
		t.Errorf("a lone dot moved: %v", got[3])
	}
	for i := range got {
		for j := i + 1; j < len(got); j++ {
			if d := math.Hypot(got[i].X-got[j].X, got[i].Y-got[j].Y); d < 2*DotRadius {
				t.Errorf("dots %d and %d overlap (distance %.1f)", i, j, d)
			}
		}
	}
}

func TestUnprojectUndoesProject(t *testing.T) {
	m, err := Germany()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]float64{{50.9375, 6.9603}, {53.55, 9.99}, {47.4, 10.3}, {54.8, 8.3}, {51.0, 15.0}} {
		lat, lon := m.Unproject(m.Project(c[0], c[1]))
		if math.Abs(lat-c[0]) > 1e-9 || math.Abs(lon-c[1]) > 1e-9 {
			t.Errorf("Unproject(Project(%v, %v)) = %v, %v", c[0], c[1], lat, lon)
		}
	}
	// The corners of the view box lie around Germany's bounding box.
	north, west := m.Unproject(Point{0, 0})
	south, east := m.Unproject(Point{Width, m.Height})
	if !(north > 55 && north < 55.5 && west > 5.3 && west < 5.9 && south > 46.9 && south < 47.3 && east > 15 && east < 15.5) {
		t.Errorf("view box spans %.2f–%.2f N, %.2f–%.2f E", south, north, west, east)
	}
}

// spreadPairwise is Spread as it was, comparing each dot with every other:
// the grid must place every dot where it did.
func spreadPairwise(points []Point) []Point {
	const minDist = 2*DotRadius + 1.5
	collides := func(p Point, placed []Point) bool {
		for _, o := range placed {
			if math.Hypot(p.X-o.X, p.Y-o.Y) < minDist {
				return true
			}
		}
		return false
	}
	out := make([]Point, 0, len(points))
	for _, p := range points {
		q := p
		for step := 0; collides(q, out) && step < 64; step++ {
			ring := float64(step/8 + 1)
			angle := float64(step%8)*math.Pi/4 + ring*0.4
			q = Point{X: p.X + ring*minDist*math.Cos(angle), Y: p.Y + ring*minDist*math.Sin(angle)}
		}
		out = append(out, q)
	}
	return out
}

// crowded is n dots in a small part of the map, many at the same places.
func crowded(n int) []Point {
	points := make([]Point, n)
	for i := range points {
		points[i] = Point{X: 100 + float64(i*37%300)/3, Y: 200 + float64(i*53%500)/4}
	}
	return points
}

func TestSpreadOnTheGridPlacesAsPairwise(t *testing.T) {
	points := crowded(600)
	got, want := Spread(points), spreadPairwise(points)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("dot %d at %v, want %v", i, got[i], want[i])
		}
	}
}

// BenchmarkSpread places 2,000 dots across Germany, a hundred times today's
// members (as defus benchdata makes them).
func BenchmarkSpread(b *testing.B) {
	g, err := Germany()
	if err != nil {
		b.Fatal(err)
	}
	points := make([]Point, 2000)
	for i := range points {
		f := float64(i + 1)
		points[i] = g.Project(47.4+math.Mod(f*0.6180339887, 1)*7.5, 6.1+math.Mod(f*0.7548776662, 1)*8.8)
	}
	for b.Loop() {
		Spread(points)
	}
}
