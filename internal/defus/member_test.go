package defus

import "testing"

func TestMemberValidate(t *testing.T) {
	n := func(v int) *int { return &v }
	f := func(v float64) *float64 { return &v }
	valid := func() Member {
		return Member{Name: "Stadt Köln", ShortName: "Köln", Slug: "koeln", Kind: KindCity, State: "Nordrhein-Westfalen",
			Population: n(1087000), PopulationYear: n(2023), MemberSince: n(2010), Lat: f(50.9375), Lon: f(6.9603),
			Website: "https://www.stadt-koeln.de"}
	}
	if errs := (&Member{Name: "DPT", ShortName: "DPT", Slug: "dpt", Kind: KindOrganisation}).Validate(); errs.Any() {
		t.Errorf("organisation without state and numbers: %v", errs)
	}
	for _, tc := range []struct {
		name, field string
		change      func(*Member)
	}{
		{"valid", "", func(*Member) {}},
		{"empty name", "name", func(m *Member) { m.Name = "" }},
		{"empty short name", "short_name", func(m *Member) { m.ShortName = "" }},
		{"bad slug", "slug", func(m *Member) { m.Slug = "Köln" }},
		{"unknown kind", "kind", func(m *Member) { m.Kind = "village" }},
		{"unknown state", "state", func(m *Member) { m.State = "Bavaria" }},
		{"city without state", "state", func(m *Member) { m.State = "" }},
		{"population zero", "population", func(m *Member) { m.Population = n(0) }},
		{"population negative", "population", func(m *Member) { m.Population = n(-5) }},
		{"organisation with population", "population", func(m *Member) { m.Kind = KindOrganisation }},
		{"year without population", "population_year", func(m *Member) { m.Population = nil }},
		{"year 20", "population_year", func(m *Member) { m.PopulationYear = n(20) }},
		{"member before Efus", "member_since", func(m *Member) { m.MemberSince = n(1986) }},
		{"latitude beyond the pole", "lat", func(m *Member) { m.Lat = f(95) }},
		{"latitude and longitude swapped", "lat", func(m *Member) { m.Lat, m.Lon = f(6.96), f(50.93) }},
		{"longitude outside Germany", "lon", func(m *Member) { m.Lon = f(-3.7) }},
		{"latitude alone", "lon", func(m *Member) { m.Lon = nil }},
		{"longitude alone", "lat", func(m *Member) { m.Lat = nil }},
		{"javascript website", "website", func(m *Member) { m.Website = "javascript:alert(1)" }},
		{"website without scheme", "website", func(m *Member) { m.Website = "www.stadt-koeln.de" }},
		{"website with quote", "website", func(m *Member) { m.Website = `https://x.de/"onmouseover=` }},
		{"website with user", "website", func(m *Member) { m.Website = "https://evil@x.de" }},
		{"control character", "description", func(m *Member) { m.Description = "a\x00b" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := valid()
			tc.change(&m)
			errs := m.Validate()
			if tc.field == "" {
				if errs.Any() {
					t.Errorf("valid member: %v", errs)
				}
				return
			}
			if !errs.Has(tc.field) || len(errs) != 1 {
				t.Errorf("errors %v, want one on %s", errs, tc.field)
			}
		})
	}
}

func TestContactValidate(t *testing.T) {
	for _, tc := range []struct {
		c     Contact
		field string
	}{
		{Contact{Name: "Anna Muster"}, ""},
		{Contact{Name: "Anna Muster", Email: "anna@stadt.de", Phone: "+49 221 123-45"}, ""},
		{Contact{Name: ""}, "name"},
		{Contact{Name: "Anna", Email: "anna@stadt"}, "email"},
		{Contact{Name: "Anna", Email: "Anna <anna@stadt.de>"}, "email"},
		{Contact{Name: "Anna", Phone: "call me"}, "phone"},
	} {
		errs := tc.c.Validate()
		if tc.field == "" && errs.Any() || tc.field != "" && (!errs.Has(tc.field) || len(errs) != 1) {
			t.Errorf("%+v: errors %v, want on %q", tc.c, errs, tc.field)
		}
	}
}
