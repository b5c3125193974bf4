package defus

import "time"

// Association describes DEFUS itself: name, founding, office address. The
// home page takes the founding from it, the enquiry confirmation the phone.
type Association struct {
	Name         string
	ShortName    string
	FoundedOn    time.Time
	FoundedPlace string
	Street       string
	Postcode     string
	City         string
	Phone        string
	Email        string
	UpdatedAt    time.Time
	Version      int
}

// EntityAssociation is the audit log's entity name for the association's own record.
const EntityAssociation = "association"

// Validate checks the association's record and returns German messages by
// field: name, short_name, founded_on, founded_place, street, postcode,
// city, phone, email. Values are expected trimmed; a FoundedOn that could
// not be read is the zero time.
func (a *Association) Validate() FieldErrors {
	errs := FieldErrors{}
	if a.Name == "" {
		errs.Add("name", "Bitte geben Sie den Namen des Vereins an.")
	}
	errs.Check("name", CheckText(a.Name, "Der Name", false, MaxTitleLen, false))
	if a.ShortName == "" {
		errs.Add("short_name", "Bitte geben Sie die Kurzform an, zum Beispiel „DEFUS“.")
	}
	errs.Check("short_name", CheckText(a.ShortName, "Die Kurzform", false, 40, false))
	switch {
	case a.FoundedOn.IsZero():
		errs.Add("founded_on", "Bitte geben Sie das Gründungsdatum als Datum an, zum Beispiel 01.06.2010.")
	case a.FoundedOn.Year() < 1900 || a.FoundedOn.Year() > 2100:
		errs.Add("founded_on", "Bitte prüfen Sie das Jahr des Gründungsdatums.")
	}
	errs.Check("founded_place", CheckText(a.FoundedPlace, "Der Gründungsort", false, 100, false))
	errs.Check("street", CheckText(a.Street, "Die Straße", false, 200, false))
	if msg := CheckText(a.Postcode, "Die Postleitzahl", false, 10, false); msg != "" {
		errs.Add("postcode", msg)
	} else if a.Postcode != "" && !validPostcode(a.Postcode) {
		errs.Add("postcode", "Bitte geben Sie eine fünfstellige Postleitzahl an, zum Beispiel 30159.")
	}
	errs.Check("city", CheckText(a.City, "Der Ort", false, 100, false))
	if msg := CheckText(a.Phone, "Die Telefonnummer", false, MaxEnquiryPhone, false); msg != "" {
		errs.Add("phone", msg)
	} else if a.Phone != "" && !ValidPhone(a.Phone) {
		errs.Add("phone", "Bitte geben Sie eine Telefonnummer nur mit Ziffern, Leerzeichen und + ( ) / - an.")
	}
	if a.Email == "" {
		errs.Add("email", "Bitte geben Sie die E-Mail-Adresse der Geschäftsstelle an.")
	}
	errs.Check("email", CheckEmail(a.Email, "Die E-Mail-Adresse"))
	return errs
}

func validPostcode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
