package server

import "net/http"

// What the members' area stores about a person, in the file of a request
// for access (GDPR Art. 15, /admin/anfragen/auskunft): their entries as a
// contact person of a member and the profile proposals they made.
type subjectIntern struct {
	Contacts  []subjectContact  `json:"ansprechperson_bei_mitgliedern"`
	Proposals []subjectProposal `json:"profilvorschlaege"`
}

type subjectContact struct {
	Mitglied       string `json:"mitglied"`
	Name           string `json:"name"`
	Funktion       string `json:"funktion"`
	EMail          string `json:"e_mail"`
	Telefon        string `json:"telefon"`
	Oeffentlich    bool   `json:"oeffentlich_sichtbar"`
	ImMitgliederBR bool   `json:"fuer_mitglieder_sichtbar"`
	Geaendert      string `json:"zuletzt_geaendert"`
}

type subjectProposal struct {
	Mitglied     string `json:"mitglied"`
	Erstellt     string `json:"erstellt"`
	Name         string `json:"name"`
	EMail        string `json:"e_mail"`
	Stand        string `json:"stand"`
	Beschreibung string `json:"beschreibung"`
	Website      string `json:"website"`
	Hinweis      string `json:"hinweis_der_geschaeftsstelle"`
}

// internSubjectData collects what the members' area holds about email.
func (s *Server) internSubjectData(r *http.Request, email string) (subjectIntern, error) {
	out := subjectIntern{Contacts: []subjectContact{}, Proposals: []subjectProposal{}}
	contacts, err := s.store.FindContactsByEmail(r.Context(), email)
	if err != nil {
		return out, err
	}
	for _, c := range contacts {
		out.Contacts = append(out.Contacts, subjectContact{Mitglied: c.MemberName, Name: c.Name, Funktion: c.Function,
			EMail: c.Email, Telefon: c.Phone, Oeffentlich: c.Public, ImMitgliederBR: true, Geaendert: csvTime(c.UpdatedAt)})
	}
	proposals, err := s.store.FindProposalsByEmail(r.Context(), email)
	if err != nil {
		return out, err
	}
	for _, p := range proposals {
		out.Proposals = append(out.Proposals, subjectProposal{Mitglied: p.MemberName, Erstellt: csvTime(p.CreatedAt),
			Name: p.AuthorName, EMail: p.AuthorEmail, Stand: p.Status.Label(), Beschreibung: p.Description,
			Website: p.Website, Hinweis: p.Note})
	}
	return out, nil
}
