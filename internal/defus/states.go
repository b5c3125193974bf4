package defus

// States are the 16 German federal states, in German alphabetical order.
var States = []string{
	"Baden-Württemberg",
	"Bayern",
	"Berlin",
	"Brandenburg",
	"Bremen",
	"Hamburg",
	"Hessen",
	"Mecklenburg-Vorpommern",
	"Niedersachsen",
	"Nordrhein-Westfalen",
	"Rheinland-Pfalz",
	"Saarland",
	"Sachsen",
	"Sachsen-Anhalt",
	"Schleswig-Holstein",
	"Thüringen",
}

// IsState reports whether s is the exact name of a German federal state.
func IsState(s string) bool {
	for _, st := range States {
		if st == s {
			return true
		}
	}
	return false
}
