package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"defus.de/portal/internal/defus"
)

// Handler returns the portal's whole route table. It is the map of the app:
// machine endpoints, the public pages and /admin (staff, with admins-only
// accounts), each group with its access rule; the members' area /intern
// comes later as a group of its own.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	// Every request body is limited to 1 MB, except on routes listed here:
	// small forms take less, and handlerLimit routes stream their body and
	// enforce a larger limit themselves (an outer one could not be raised
	// inside). The limits apply before rejectBadBytes reads a form.
	bodyLimits := map[string]int64{
		"POST /mitgliedschaft/anfrage":      enquiryBodyLimit,
		"POST /termine/{slug}/anmeldung":    enquiryBodyLimit,
		"POST /admin/anfragen/{id}/notizen": noteBodyLimit,
		"POST /admin/anfragen/{id}/antwort": replyBodyLimit,
		"POST /admin/verein":                pictureFormLimit,
		"POST /admin/medien":                handlerLimit,        // uploadBodyLimit
		"POST /admin/mitglieder":            memberFormBodyLimit, // with a logo upload
		"POST /admin/mitglieder/{id}":       memberFormBodyLimit,
		"POST /admin/mitglieder/vorschau":   memberFormBodyLimit,
		"POST /admin/dokumente":             documentFormLimit, // with a file
		"POST /admin/dokumente/{id}":        documentFormLimit,
		"POST /intern/profil":               pictureFormLimit, // with a logo upload
	}
	r.Use(s.requestID, s.logRequests, s.recoverPanics, securityHeaders)
	// Public pages kept rendered, compressed once (see pagecache.go): the
	// routes listed here, for visitors without cookies. Everything else is
	// compressed as it goes out, at gzip's fastest level (as nginx's
	// default): for a 500 KB calendar feed that took 1.5 ms less than level
	// 5, for at most a fifth more bytes. A kept page is served before the
	// middlewares below, which only a page being made needs.
	cachedPages := map[string]bool{
		"/": true, "/mitglieder": true, "/mitglieder/{slug}": true, "/termine": true, "/termine.ics": true,
		"/termine/archiv": true, "/termine/abonnieren": true, "/termine/kalender": true,
		"/termine/kalender/{jahr}/{monat}": true, "/termine/{slug}.ics": true, "/termine/{slug}": true,
		"/themen": true, "/themen/{slug}": true, "/{slug}": true, "/sitemap.xml": true, "/robots.txt": true,
		"/mitgliedschaft/anfrage/danke": true, "/aktuelles": true, "/aktuelles.atom": true, "/aktuelles/{slug}": true,
		"/themen/{slug}.atom": true,
	}
	r.Use(s.cachePages(r, cachedPages, getsOnly(middleware.Compress(1, "text/html", "text/css", "text/javascript", "application/javascript",
		"text/xml", "application/xml", "image/svg+xml", "text/calendar", "text/plain", "application/atom+xml"))))
	r.Use(limitBodies(r, 1<<20, bodyLimits), memoAssociation)
	r.Use(http.NewCrossOriginProtection().Handler)
	r.Use(middleware.GetHead) // HEAD is answered like GET, without the body
	// Invalid UTF-8, NUL and control characters: 404 or 400 before any handler.
	r.Use(s.rejectBadBytes(r, bodyLimits))
	// A deadline for every request: a stalled database gives 503 within
	// REQUEST_TIMEOUT. Uploads may take longer to arrive and get none; their
	// statements still end after DB_STATEMENT_TIMEOUT.
	r.Use(except(r, map[string]bool{"POST /admin/medien": true}, deadline(s.cfg.RequestTimeout)))
	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleMethodNotAllowed)

	// Machine endpoints.
	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)
	r.Get("/robots.txt", s.handleRobots)
	r.Get("/sitemap.xml", s.handleSitemap)
	r.Get("/favicon.ico", s.handleFavicon)
	r.Get("/favicon/{id}/{file}", s.handleIconShow)
	r.Handle("/static/*", s.assets)

	// Public site.
	r.Get("/", s.handleHome)
	r.Get("/mitglieder", s.handleMembersIndex)
	r.Get("/mitglieder/{slug}", s.handleMemberShow)
	r.Get("/termine", s.handleEventsIndex)
	r.Get("/termine.ics", s.handleEventsFeed)
	r.Get("/termine/archiv", s.handleEventsArchive)
	r.Get("/termine/abonnieren", s.handleEventsSubscribe)
	r.Get("/termine/kalender", s.handleEventsCalendarNow)
	r.Get("/termine/kalender/{jahr}/{monat}", s.handleEventsCalendar)
	r.Get("/termine/{slug}.ics", s.handleEventICS)
	r.Get("/termine/meine/{token}", s.handleMyCalendarFeed) // {token}.ics, secret: see my_registrations.go
	r.Get("/themen", s.handleTopicsIndex)
	r.Get("/themen/{slug}.atom", s.handleTopicFeed)
	r.Get("/themen/{slug}", s.handleTopicShow)
	r.Get("/aktuelles", s.handleNewsIndex)
	r.Get("/aktuelles.atom", s.handleNewsFeed)
	r.Get("/aktuelles/{slug}", s.handleArticleShow)
	// The search reads the session, if any: logged-in accounts also find
	// what only members see. It sets no cookie for visitors.
	r.With(s.sessions.LoadAndSave, s.loadUser).Get("/suche", s.handleSearch)
	r.Get("/medien/{id}/{name}", s.handleMediaShow)
	r.Get("/medien/{id}/{box}/{name}", s.handleMediaVariantShow)
	r.Get("/mitgliedschaft/anfrage", s.handleEnquiryNew)
	r.Post("/mitgliedschaft/anfrage", s.handleEnquiryCreate) // body limit: enquiryBodyLimit
	r.Get("/mitgliedschaft/anfrage/danke", s.handleEnquiryThanks)
	r.Get("/{slug}", s.handlePageShow) // pages the office writes: /ueber-uns, /impressum, …

	// Documents' files: public ones to everybody, the others only to whom
	// their visibility allows (a 404 to anybody else), so the session is read.
	r.With(s.sessions.LoadAndSave, s.loadUser).Get("/dokumente/{token}/{name}", s.handleDocumentFile)

	// Members' area: member representatives and the office; the pages about
	// one's own profile for representatives only.
	r.Route("/intern", func(r chi.Router) {
		r.Use(s.withSessions, s.requireIntern)
		r.Get("/", s.handleInternHome)
		r.Get("/kontakte", s.handleInternContacts)
		r.Get("/kontakte.vcf", s.handleInternContactsVCard)
		r.Get("/kontakte/{file}", s.handleInternContactVCard)
		r.Get("/dokumente", s.handleInternDocuments)
		r.Group(func(r chi.Router) {
			r.Use(s.requireRepresentative)
			r.Get("/profil", s.handleInternProfile)
			r.Post("/profil", s.handleInternProposalSave)
			r.Post("/profil/bestaetigen", s.handleInternProfileConfirm)
			r.Get("/vorschlaege/{id}", s.handleInternProposalShow)
			r.Get("/vorschlaege/{id}/logo", s.handleInternProposalLogo)
			r.Post("/vorschlaege/{id}/zurueckziehen", s.handleInternProposalWithdraw)
		})
	})

	// Registration for events: the event page knows the visitor's session
	// (a member's account, or registrations made in this browser). A
	// session, and so a cookie, starts only when someone registers.
	r.Group(func(r chi.Router) {
		r.Use(s.visitorSession)
		r.Get("/termine/{slug}", s.handleEventShow)
		r.Post("/termine/{slug}/anmeldung", s.handleRegistrationCreate)
		r.Post("/termine/{slug}/abmeldung", s.handleRegistrationCancelMember)
		r.Get("/anmeldung/{id}/{sig}/{action}", s.handleRegistrationLinkShow)
		r.Post("/anmeldung/{id}/{sig}/{action}", s.handleRegistrationLinkDo)
		r.Get("/termine/meine", s.handleMyRegistrations)
		r.Post("/termine/meine/kalender", s.handleMyCalendarRenew)
	})

	// Accounts: the pages behind the links sent by mail, for anybody who
	// has the link (account_links.go), and the own account (account.go).
	r.Route("/konto", func(r chi.Router) {
		r.Use(s.withSessions)
		r.Get("/einladung/{token}", s.handleInvitationShow)
		r.Post("/einladung/{token}", s.handleInvitationAccept)
		r.Get("/passwort-vergessen", s.handleForgotShow)
		r.Post("/passwort-vergessen", s.handleForgotCreate)
		r.Get("/passwort-neu/{token}", s.handleResetShow)
		r.Post("/passwort-neu/{token}", s.handleResetUpdate)
		r.Get("/e-mail/{token}", s.handleEmailConfirmShow)
		r.Post("/e-mail/{token}", s.handleEmailConfirm)

		// The own account, for every logged-in account.
		r.Group(func(r chi.Router) {
			r.Use(s.requireLogin)
			r.Get("/", s.handleAccountShow)
			r.Post("/passwort", s.handleAccountPassword)
			r.Post("/e-mail", s.handleAccountEmail)
			r.Post("/sitzungen/beenden", s.handleAccountSessionsEnd)
			r.Get("/zwei-faktor", s.handleTOTPSetupShow)
			r.Post("/zwei-faktor", s.handleTOTPSetupCreate)
			r.Post("/zwei-faktor/aus", s.handleTOTPOff)
		})
	})

	// Admin area. Sessions (and so cookies) exist here, in /intern, in /konto and
	// for visitors who register for an event (above). The account is loaded from the database on
	// every request.
	r.Route("/admin", func(r chi.Router) {
		r.Use(s.sessions.LoadAndSave, s.loadUser, noStore)
		r.Get("/login", s.handleLoginShow)
		r.Post("/login", s.handleLoginCreate)
		r.Get("/login/code", s.handleLoginCodeShow)
		r.Post("/login/code", s.handleLoginCodeCreate)
		r.Post("/logout", s.handleLogout)

		// Office staff.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(defus.RoleAdmin, defus.RoleEditor))
			r.Get("/", s.handleAdminDashboard)
			r.Get("/protokoll", s.handleAuditIndex)
			r.Get("/protokoll/{id}", s.handleAuditShow)

			r.Get("/anfragen", s.handleEnquiriesIndex)
			r.Get("/anfragen/export.csv", s.handleEnquiriesExport)
			r.Get("/anfragen/auskunft", s.handleSubjectAccessNew)
			r.Post("/anfragen/auskunft", s.handleSubjectAccessConfirm)
			r.Post("/anfragen/auskunft/download", s.handleSubjectAccessDownload)
			r.Post("/anfragen/auskunft/anmeldungen-loeschen", s.handleSubjectRegistrationsErase)
			r.Get("/anfragen/datenschutz/{id}", s.handlePrivacyNoticeShow)
			r.Get("/anfragen/{id}", s.handleEnquiryShow)
			r.Post("/anfragen/{id}/status", s.handleEnquiryStatus)
			r.Post("/anfragen/{id}/spam", s.handleEnquirySpam(true))
			r.Post("/anfragen/{id}/kein-spam", s.handleEnquirySpam(false))
			r.Post("/anfragen/{id}/zuweisung", s.handleEnquiryAssign)
			r.Post("/anfragen/{id}/notizen", s.handleEnquiryNoteCreate)  // body limit: noteBodyLimit
			r.Post("/anfragen/{id}/antwort", s.handleEnquiryReplyCreate) // body limit: replyBodyLimit
			r.Post("/anfragen/{id}/e-mails/{mid}/erneut-senden", s.handleEnquiryMailResend)
			r.Post("/anfragen/{id}/wiedervorlage", s.handleEnquiryFollowUpUpdate)
			r.Post("/anfragen/{id}/wiedervorlage/erledigt", s.handleEnquiryFollowUpClear)
			r.Get("/anfragen/{id}/loeschen", s.handleEnquiryEraseConfirm)
			r.Post("/anfragen/{id}/loeschen", s.handleEnquiryErase)

			r.Get("/mitglieder", s.handleAdminMembersIndex)
			r.Get("/mitglieder/neu", s.handleAdminMemberNew)
			r.Post("/mitglieder", s.handleAdminMemberCreate)
			r.Post("/mitglieder/vorschau", s.handleAdminMemberPreview)
			r.Get("/mitglieder/{id}", s.handleAdminMemberEdit)
			r.Post("/mitglieder/{id}", s.handleAdminMemberUpdate)
			r.Get("/mitglieder/{id}/loeschen", s.handleAdminMemberDeleteConfirm)
			r.Post("/mitglieder/{id}/loeschen", s.handleAdminMemberDelete)
			r.Get("/mitglieder/{id}/ansprechpersonen/neu", s.handleAdminContactNew)
			r.Post("/mitglieder/{id}/ansprechpersonen", s.handleAdminContactCreate)
			r.Get("/mitglieder/{id}/ansprechpersonen/{cid}", s.handleAdminContactEdit)
			r.Post("/mitglieder/{id}/ansprechpersonen/{cid}", s.handleAdminContactUpdate)
			r.Get("/mitglieder/{id}/ansprechpersonen/{cid}/loeschen", s.handleAdminContactDeleteConfirm)
			r.Post("/mitglieder/{id}/ansprechpersonen/{cid}/loeschen", s.handleAdminContactDelete)
			r.Post("/mitglieder/{id}/ansprechpersonen/{cid}/hoch", s.handleAdminContactMove(-1))
			r.Post("/mitglieder/{id}/ansprechpersonen/{cid}/runter", s.handleAdminContactMove(+1))

			r.Get("/termine", s.handleAdminEventsIndex)
			r.Get("/termine/neu", s.handleAdminEventNew)
			r.Post("/termine", s.handleAdminEventCreate)
			r.Post("/termine/vorschau", s.handleAdminEventPreview)
			r.Get("/termine/{id}", s.handleAdminEventEdit)
			r.Post("/termine/{id}", s.handleAdminEventUpdate)
			r.Get("/termine/{id}/kopie", s.handleAdminEventDuplicate)
			r.Get("/termine/{id}/loeschen", s.handleAdminEventDeleteConfirm)
			r.Post("/termine/{id}/loeschen", s.handleAdminEventDelete)
			r.Get("/termine/{id}/anmeldungen", s.handleAdminRegistrationsIndex)
			r.Post("/termine/{id}/anmeldungen", s.handleAdminRegistrationCreate)
			r.Get("/termine/{id}/anmeldungen.csv", s.handleAdminRegistrationsExport)
			r.Post("/termine/{id}/anmeldungen/{rid}/verschieben", s.handleAdminRegistrationMove)
			r.Post("/termine/{id}/anmeldungen/{rid}/loeschen", s.handleAdminRegistrationErase)
			r.Get("/termine/{id}/teilnahmeliste", s.handleAdminAttendanceList)
			r.Post("/termine/{id}/teilnahme", s.handleAdminAttendanceUpdate)
			r.Get("/termine/{id}/bescheinigungen.zip", s.handleAdminCertificatesZip)
			r.Post("/termine/{id}/bescheinigungen", s.handleAdminCertificatesSend)

			r.Get("/verein", s.handleAdminAssociationEdit)
			r.Post("/verein", s.handleAdminAssociationUpdate)

			r.Get("/seiten", s.handleAdminPagesIndex)
			r.Get("/seiten/neu", s.handleAdminPageNew)
			r.Post("/seiten", s.handleAdminPageCreate)
			r.Post("/seiten/vorschau", s.handleAdminPagePreview)
			r.Get("/seiten/{id}", s.handleAdminPageEdit)
			r.Post("/seiten/{id}", s.handleAdminPageUpdate)
			r.Get("/seiten/{id}/loeschen", s.handleAdminPageDeleteConfirm)
			r.Post("/seiten/{id}/loeschen", s.handleAdminPageDelete)

			r.Get("/themen", s.handleAdminTopicsIndex)
			r.Get("/themen/neu", s.handleAdminTopicNew)
			r.Post("/themen", s.handleAdminTopicCreate)
			r.Post("/themen/vorschau", s.handleAdminTopicPreview)
			r.Get("/themen/{id}", s.handleAdminTopicEdit)
			r.Post("/themen/{id}", s.handleAdminTopicUpdate)
			r.Post("/themen/{id}/nach-oben", s.handleAdminTopicMove(defus.Up))
			r.Post("/themen/{id}/nach-unten", s.handleAdminTopicMove(defus.Down))
			r.Get("/themen/{id}/loeschen", s.handleAdminTopicDeleteConfirm)
			r.Post("/themen/{id}/loeschen", s.handleAdminTopicDelete)

			r.Get("/aktuelles", s.handleAdminArticlesIndex)
			r.Get("/aktuelles/neu", s.handleAdminArticleNew)
			r.Post("/aktuelles", s.handleAdminArticleCreate)
			r.Post("/aktuelles/vorschau", s.handleAdminArticlePreview)
			r.Get("/aktuelles/{id}", s.handleAdminArticleEdit)
			r.Post("/aktuelles/{id}", s.handleAdminArticleUpdate)
			r.Get("/aktuelles/{id}/loeschen", s.handleAdminArticleDeleteConfirm)
			r.Post("/aktuelles/{id}/loeschen", s.handleAdminArticleDelete)

			r.Get("/medien", s.handleAdminMediaIndex)
			r.Get("/medien/neu", s.handleAdminMediaNew)
			r.Post("/medien", s.handleAdminMediaCreate) // body limit: uploadBodyLimit, in the handler
			r.Get("/medien/{id}", s.handleAdminMediaEdit)
			r.Post("/medien/{id}", s.handleAdminMediaUpdate)
			r.Get("/medien/{id}/loeschen", s.handleAdminMediaDeleteConfirm)
			r.Post("/medien/{id}/loeschen", s.handleAdminMediaDelete)

			r.Get("/dokumente", s.handleAdminDocumentsIndex)
			r.Get("/dokumente/neu", s.handleAdminDocumentNew)
			r.Post("/dokumente", s.handleAdminDocumentCreate) // body limit: documentFormLimit
			r.Get("/dokumente/{id}", s.handleAdminDocumentEdit)
			r.Post("/dokumente/{id}", s.handleAdminDocumentUpdate)
			r.Get("/dokumente/{id}/loeschen", s.handleAdminDocumentDeleteConfirm)
			r.Post("/dokumente/{id}/loeschen", s.handleAdminDocumentDelete)

			r.Get("/profilvorschlaege", s.handleAdminProposalsIndex)
			r.Get("/profilvorschlaege/{id}", s.handleAdminProposalShow)
			r.Get("/profilvorschlaege/{id}/logo", s.handleAdminProposalLogo)
			r.Post("/profilvorschlaege/{id}/uebernehmen", s.handleAdminProposalDecide(true))
			r.Post("/profilvorschlaege/{id}/ablehnen", s.handleAdminProposalDecide(false))

			r.Get("/hilfe", s.handleAdminHelp)
		})

		// Admins only: accounts.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(defus.RoleAdmin))
			r.Get("/benutzer", s.handleUsersIndex)
			r.Get("/benutzer/neu", s.handleUserNew)
			r.Get("/benutzer/einladen", s.handleInviteNew)
			r.Post("/benutzer/einladen", s.handleInviteCreate)
			r.Post("/benutzer/{id}/einladung", s.handleInvitationResend)
			r.Post("/benutzer/{id}/einladung/zurueckziehen", s.handleInvitationWithdraw)
			r.Post("/benutzer/{id}/zwei-faktor/zuruecksetzen", s.handleUserTOTPReset)
			r.Get("/benutzer/{id}/loeschen", s.handleUserEraseConfirm)
			r.Post("/benutzer/{id}/loeschen", s.handleUserErase)
			r.Post("/benutzer", s.handleUserCreate)
			r.Get("/benutzer/{id}", s.handleUserEdit)
			r.Post("/benutzer/{id}", s.handleUserUpdate)
			r.Post("/benutzer/{id}/sperren", s.handleUserSetDisabled(true))
			r.Post("/benutzer/{id}/entsperren", s.handleUserSetDisabled(false))
			r.Post("/benutzer/{id}/passwort", s.handleUserPassword)
		})
	})
	// Kept pages are answered first, before any of the above (pagecache.go);
	// the route table stays readable (chi.Walk) through the result.
	return frontDoor{Mux: r, serve: s.keptPages(r)}
}

// frontDoor is the route table with what answers before it.
type frontDoor struct {
	*chi.Mux
	serve http.Handler
}

func (f frontDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.serve.ServeHTTP(w, r) }
