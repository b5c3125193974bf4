// Package geomap draws the member map: the outline of Germany (Natural Earth,
// public domain) projected to SVG coordinates, and member dots placed on it
// so that none hides another. No tiles, no script, no third-party request.
package geomap

import (
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:embed germany.geojson
var germanyGeoJSON []byte

// Width is the width of the map's SVG view box; the height follows from the outline.
const Width = 460.0

// DotRadius is the radius of a member dot in view-box units.
const DotRadius = 6.0

const margin = 10.0

// Map is the projected outline of Germany.
type Map struct {
	Path   string  // SVG path data of the outline
	Height float64 // view-box height

	lon0, lat0, kx, scale float64
}

// Point is a place in view-box coordinates.
type Point struct{ X, Y float64 }

// Germany projects the embedded outline. It is pure and cheap enough to run
// once at start-up.
func Germany() (*Map, error) {
	var fc struct {
		Features []struct {
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(germanyGeoJSON, &fc); err != nil {
		return nil, fmt.Errorf("germany outline: %w", err)
	}
	var polys [][][][2]float64
	for _, f := range fc.Features {
		switch f.Geometry.Type {
		case "MultiPolygon":
			var mp [][][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &mp); err != nil {
				return nil, fmt.Errorf("germany outline: %w", err)
			}
			polys = append(polys, mp...)
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, fmt.Errorf("germany outline: %w", err)
			}
			polys = append(polys, p)
		}
	}
	if len(polys) == 0 {
		return nil, fmt.Errorf("germany outline: no polygons")
	}

	minLon, maxLon, minLat, maxLat := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, poly := range polys {
		for _, ring := range poly {
			for _, c := range ring {
				minLon, maxLon = math.Min(minLon, c[0]), math.Max(maxLon, c[0])
				minLat, maxLat = math.Min(minLat, c[1]), math.Max(maxLat, c[1])
			}
		}
	}
	m := &Map{lon0: minLon, lat0: maxLat}
	// Equirectangular projection, true to scale at the middle latitude: good
	// enough for a country the size of Germany.
	m.kx = math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	m.scale = (Width - 2*margin) / ((maxLon - minLon) * m.kx)
	m.Height = math.Round((maxLat-minLat)*m.scale + 2*margin)

	var b strings.Builder
	for _, poly := range polys {
		for _, ring := range poly {
			for i, c := range ring {
				p := m.Project(c[1], c[0])
				if i == 0 {
					b.WriteString("M")
				} else {
					b.WriteString("L")
				}
				b.WriteString(num(p.X) + " " + num(p.Y))
			}
			b.WriteString("Z")
		}
	}
	m.Path = b.String()
	return m, nil
}

// Project maps latitude and longitude to view-box coordinates.
func (m *Map) Project(lat, lon float64) Point {
	return Point{
		X: margin + (lon-m.lon0)*m.kx*m.scale,
		Y: margin + (m.lat0-lat)*m.scale,
	}
}

// Inverse is Project backwards, as four numbers a script can use to turn a
// point of the map (in view-box units) into coordinates:
//
//	lon = Lon0 + x·LonPerX,  lat = Lat0 − y·LatPerY
type Inverse struct{ Lon0, LonPerX, Lat0, LatPerY float64 }

// Inverse returns the inverse of Project.
func (m *Map) Inverse() Inverse {
	perX := 1 / (m.kx * m.scale)
	perY := 1 / m.scale
	return Inverse{Lon0: m.lon0 - margin*perX, LonPerX: perX, Lat0: m.lat0 + margin*perY, LatPerY: perY}
}

// Unproject maps view-box coordinates back to latitude and longitude.
func (m *Map) Unproject(p Point) (lat, lon float64) {
	inv := m.Inverse()
	return inv.Lat0 - p.Y*inv.LatPerY, inv.Lon0 + p.X*inv.LonPerX
}

// ViewBox is the SVG viewBox attribute value.
func (m *Map) ViewBox() string { return "0 0 " + num(Width) + " " + num(m.Height) }

// Spread places each point at its projected position or, where that would
// cover a dot already placed (Hannover holds three members), on a ring
// around it, so every dot stays visible and clickable. The result has the
// same order as the input, and the same input always gives the same output.
//
// Placed dots are kept in a grid of cells as wide as the least distance, so
// a candidate place is compared only with the dots in its own and the eight
// cells around it: the time grows about linearly with the number of dots.
func Spread(points []Point) []Point {
	const minDist = 2*DotRadius + 1.5
	out := make([]Point, 0, len(points))
	if len(points) == 0 {
		return out
	}
	// The grid covers every place a dot may get: its own, or a ring of at
	// most 8 times the least distance around it.
	lo, hi := points[0], points[0]
	for _, p := range points {
		lo.X, lo.Y, hi.X, hi.Y = min(lo.X, p.X), min(lo.Y, p.Y), max(hi.X, p.X), max(hi.Y, p.Y)
	}
	const margin = 10 * minDist
	x0, y0 := lo.X-margin, lo.Y-margin
	w := int((hi.X+margin-x0)/minDist) + 1
	h := int((hi.Y+margin-y0)/minDist) + 1
	grid := make([][]Point, w*h)
	cell := func(p Point) (int, int) { return int((p.X - x0) / minDist), int((p.Y - y0) / minDist) }
	collides := func(p Point) bool {
		cx, cy := cell(p)
		for y := max(cy-1, 0); y <= min(cy+1, h-1); y++ {
			for x := max(cx-1, 0); x <= min(cx+1, w-1); x++ {
				for _, o := range grid[y*w+x] {
					if dx, dy := p.X-o.X, p.Y-o.Y; dx*dx+dy*dy < minDist*minDist {
						return true
					}
				}
			}
		}
		return false
	}
	for _, p := range points {
		q := p
		for step := 0; collides(q) && step < 64; step++ {
			ring := float64(step/8 + 1)
			angle := float64(step%8)*math.Pi/4 + ring*0.4
			q = Point{X: p.X + ring*minDist*math.Cos(angle), Y: p.Y + ring*minDist*math.Sin(angle)}
		}
		out = append(out, q)
		cx, cy := cell(q)
		grid[cy*w+cx] = append(grid[cy*w+cx], q)
	}
	return out
}

// Num formats a coordinate with one decimal, the precision the map needs.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// Num formats a view-box coordinate for an SVG attribute.
func Num(f float64) string { return num(f) }

// SpreadCache remembers the places Spread gave for the last few sets of
// points: the member map of the same members is laid out once.
type SpreadCache struct {
	mu     sync.Mutex
	places map[uint64][]Point
}

// spreadCacheSize is how many sets of points a SpreadCache keeps (a member
// list filtered by kind and state gives at most a few dozen).
const spreadCacheSize = 64

// Spread is Spread(points), from the cache when the same points were spread before.
func (c *SpreadCache) Spread(points []Point) []Point {
	h := fnv.New64a()
	var b [8]byte
	for _, p := range points {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(p.X))
		h.Write(b[:])
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(p.Y))
		h.Write(b[:])
	}
	key := h.Sum64()
	c.mu.Lock()
	out, ok := c.places[key]
	c.mu.Unlock()
	if ok && len(out) == len(points) {
		return slices.Clone(out)
	}
	out = Spread(points)
	c.mu.Lock()
	if c.places == nil || len(c.places) >= spreadCacheSize {
		c.places = map[uint64][]Point{}
	}
	c.places[key] = slices.Clone(out)
	c.mu.Unlock()
	return out
}
