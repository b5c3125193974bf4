package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// Registrations for events. Every change that can move places locks the
// event's row first (SELECT … FOR UPDATE), so the decisions on one event are
// taken one after the other, in the order the transactions got the lock:
// that order is the arrival order (queue_pos), and the count of places held
// is always right. Mails go into the outbox in the same transaction.

// SetRegistrationMailer sets what writes the registrations' mails. Set it
// once at start, before the store is used; without one no mails are queued.
func (s *Store) SetRegistrationMailer(m defus.RegistrationMailer) { s.regMails = m }

// regMode is the event's registration mode, "off" when not set.
func regMode(e *defus.Event) string {
	if e.Registration.Mode == "" {
		return string(defus.RegistrationOff)
	}
	return string(e.Registration.Mode)
}

// setRegistrationChanges records changed registration settings.
func setRegistrationChanges(c defus.Changes, old, new defus.RegistrationSettings) {
	num := func(n *int) any {
		if n == nil {
			return "unbegrenzt"
		}
		return *n
	}
	deadline := func(t *time.Time) any {
		if t == nil {
			return ""
		}
		return defus.FormatDate(*t) + ", " + defus.FormatTime(*t)
	}
	c.Set("registration_mode", defus.RegistrationMode(orOff(old.Mode)).Label(), defus.RegistrationMode(orOff(new.Mode)).Label())
	c.Set("capacity", num(old.Capacity), num(new.Capacity))
	c.Set("registration_deadline", deadline(old.Deadline), deadline(new.Deadline))
	c.Set("places_per_member", num(old.PlacesPerMember), num(new.PlacesPerMember))
	c.Set("online_url_members", old.OnlineURLMembers, new.OnlineURLMembers)
	c.Set("show_participants", old.ShowParticipants, new.ShowParticipants)
}

func orOff(m defus.RegistrationMode) defus.RegistrationMode {
	if m == "" {
		return defus.RegistrationOff
	}
	return m
}

const registrationColumns = `r.id, r.event_id, r.email, r.name, r.organisation, r.member_id, r.user_id, r.state,
	r.queue_pos, r.link_key, r.show_organisation, r.offered_until, r.confirmed_at, r.cancelled_at, r.attended,
	r.by_office, r.created_at, r.updated_at, r.version`

func scanRegistration(row pgx.Row, extra ...any) (defus.Registration, error) {
	var r defus.Registration
	dest := []any{&r.ID, &r.EventID, &r.Email, &r.Name, &r.Organisation, &r.MemberID, &r.UserID, &r.State,
		&r.QueuePos, &r.LinkKey, &r.ShowOrganisation, &r.OfferedUntil, &r.ConfirmedAt, &r.CancelledAt, &r.Attended,
		&r.ByOffice, &r.CreatedAt, &r.UpdatedAt, &r.Version}
	err := row.Scan(append(dest, extra...)...)
	return r, err
}

// lockEventForRegistration reads the event and locks its row: every
// decision about its places waits here for the one before.
func lockEventForRegistration(ctx context.Context, tx pgx.Tx, id int64) (defus.Event, error) {
	const q = `SELECT ` + eventColumns + `
` + eventFrom + `
WHERE e.id = $1
FOR UPDATE OF e`
	e, err := scanEvent(tx.QueryRow(ctx, q, id))
	if err != nil {
		return e, notFound(err, fmt.Sprintf("lock event %d for registration", id))
	}
	return e, nil
}

// countRegistrations counts an event's registrations by state.
func countRegistrations(ctx context.Context, q queryRower, eventID int64) (defus.RegistrationCounts, error) {
	const sql = `
SELECT count(*) FILTER (WHERE state = 'confirmed'), count(*) FILTER (WHERE state = 'offered'),
       count(*) FILTER (WHERE state = 'waiting'), count(*) FILTER (WHERE state = 'pending'),
       count(*) FILTER (WHERE state = 'cancelled')
FROM event_registrations WHERE event_id = $1`
	var c defus.RegistrationCounts
	err := q.QueryRow(ctx, sql, eventID).Scan(&c.Confirmed, &c.Offered, &c.Waiting, &c.Pending, &c.Cancelled)
	if err != nil {
		return c, fmt.Errorf("count registrations of event %d: %w", eventID, err)
	}
	return c, nil
}

// CountRegistrations counts an event's registrations by state.
func (s *Store) CountRegistrations(ctx context.Context, eventID int64) (defus.RegistrationCounts, error) {
	return countRegistrations(ctx, s.pool, eventID)
}

// full reports whether a newcomer goes to the waitlist: no place left, or
// people already waiting (nobody overtakes the line).
func full(e *defus.Event, c defus.RegistrationCounts) bool {
	return c.Waiting > 0 || e.Registration.Capacity != nil && c.Held() >= *e.Registration.Capacity
}

// queueMail writes the registration mail of kind, if the mailer writes one.
func (s *Store) queueMail(ctx context.Context, tx pgx.Tx, kind defus.RegistrationMailKind, e *defus.Event, r *defus.Registration) error {
	if s.regMails == nil {
		return nil
	}
	m, ok := s.regMails.RegistrationMail(kind, e, r)
	if !ok {
		return nil
	}
	return createMail(ctx, tx, &m, s.now())
}

// position fills r.Position: its place on the waitlist, 1 for the next.
func position(ctx context.Context, tx pgx.Tx, r *defus.Registration) error {
	if r.State != defus.RegWaiting {
		r.Position = 0
		return nil
	}
	const q = `SELECT count(*) FROM event_registrations WHERE event_id = $1 AND state = 'waiting' AND queue_pos <= $2`
	if err := tx.QueryRow(ctx, q, r.EventID, r.QueuePos).Scan(&r.Position); err != nil {
		return fmt.Errorf("waitlist position of registration %d: %w", r.ID, err)
	}
	return nil
}

func newLinkKey() []byte {
	b := make([]byte, 16)
	rand.Read(b)
	return b
}

// auditRegistration records a change of r's state. The log names the event
// and the state, never the person: erasing a registration (Art. 17) leaves
// nothing personal behind.
func (s *Store) auditRegistration(ctx context.Context, tx pgx.Tx, by defus.Actor, action defus.AuditAction, e *defus.Event, r *defus.Registration, old defus.RegistrationState) error {
	c := defus.Changes{}
	var from any
	if old != "" {
		from = old.Label()
	}
	c.Set("registration_state", from, r.State.Label())
	c.Set("registration_event", nil, e.Title)
	return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: action, Entity: defus.EntityRegistration,
		EntityID: r.ID, EntityLabel: e.Title, Changes: c})
}

// Register registers a person for an event, deciding under the event's row
// lock. Logged-in members (in.UserID set) get a place at once; guests are
// pending until they confirm by mail; when no place is left, both join the
// waitlist. A refusal is a defus.RegistrationRefusal; for
// defus.RefusedRegistered the existing registration is returned too, and
// for a guest's address a mail is queued to it saying where it stands
// (the refusal is for the address's owner, not for whoever typed it). A
// pending guest who registers again gets a new confirmation mail.
func (s *Store) Register(ctx context.Context, by defus.Actor, eventID int64, in defus.RegistrationInput) (*defus.Registration, error) {
	const qExisting = `SELECT ` + registrationColumns + ` FROM event_registrations r WHERE r.event_id = $1 AND r.email_key = $2 FOR UPDATE`
	const qMemberHeld = `SELECT count(*) FROM event_registrations WHERE event_id = $1 AND member_id = $2 AND state IN ('confirmed', 'offered')`
	const qInsert = `
INSERT INTO event_registrations (event_id, email, email_key, name, organisation, member_id, user_id, state,
                                 link_key, show_organisation, confirmed_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
RETURNING ` + registrationReturning
	const qAgain = `
UPDATE event_registrations r
SET email = $2, name = $3, organisation = $4, member_id = $5, user_id = $6, state = $7, link_key = $8,
    show_organisation = $9, confirmed_at = $10, created_at = $11, updated_at = $11, cancelled_at = NULL,
    offered_until = NULL, reminded_at = NULL, attended = NULL, by_office = false,
    queue_pos = nextval('event_registrations_queue_seq'), version = version + 1
WHERE id = $1
RETURNING ` + registrationReturning
	var out *defus.Registration
	already := false
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		e, err := lockEventForRegistration(ctx, tx, eventID)
		if err != nil {
			return err
		}
		now := s.now()
		if why := e.RegistrationClosed(now); why != "" {
			return why
		}
		if e.Registration.Mode == defus.RegistrationMembers && in.UserID == nil {
			return defus.RefusedMembersOnly
		}
		key := defus.EmailKey(in.Email)
		old, err := scanRegistration(tx.QueryRow(ctx, qExisting, eventID, key))
		exists := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("registration of event %d: %w", eventID, err)
		}
		if exists && old.State != defus.RegCancelled && old.State != defus.RegPending {
			if err := position(ctx, tx, &old); err != nil {
				return err
			}
			out = &old
			if in.UserID != nil {
				return defus.RefusedRegistered
			}
			// A guest's address: the answer to whoever typed it goes to
			// the address, which alone may learn where it stands.
			already = true
			return s.queueMail(ctx, tx, defus.MailRegAlready, &e, &old)
		}
		c, err := countRegistrations(ctx, tx, eventID)
		if err != nil {
			return err
		}
		isFull := full(&e, c)
		if in.MemberID != nil && e.Registration.PlacesPerMember != nil && !isFull {
			var held int
			if err := tx.QueryRow(ctx, qMemberHeld, eventID, *in.MemberID).Scan(&held); err != nil {
				return fmt.Errorf("places of member %d: %w", *in.MemberID, err)
			}
			if held >= *e.Registration.PlacesPerMember {
				return defus.RefusedMemberLimit
			}
		}
		state := defus.RegPending
		switch {
		case isFull:
			state = defus.RegWaiting
		case in.UserID != nil:
			state = defus.RegConfirmed
		}
		var confirmedAt any
		if state == defus.RegConfirmed {
			confirmedAt = now
		}
		var r defus.Registration
		if exists {
			r, err = scanRegistration(tx.QueryRow(ctx, qAgain, old.ID, in.Email, in.Name, in.Organisation, in.MemberID,
				in.UserID, state, newLinkKey(), in.ShowOrganisation, confirmedAt, now))
		} else {
			r, err = scanRegistration(tx.QueryRow(ctx, qInsert, eventID, in.Email, key, in.Name, in.Organisation,
				in.MemberID, in.UserID, state, newLinkKey(), in.ShowOrganisation, confirmedAt, now))
		}
		if err != nil {
			return fmt.Errorf("register for event %d: %w", eventID, err)
		}
		if err := position(ctx, tx, &r); err != nil {
			return err
		}
		kind := map[defus.RegistrationState]defus.RegistrationMailKind{defus.RegPending: defus.MailRegConfirmLink,
			defus.RegConfirmed: defus.MailRegConfirmed, defus.RegWaiting: defus.MailRegWaiting}[state]
		if err := s.queueMail(ctx, tx, kind, &e, &r); err != nil {
			return err
		}
		out = &r
		var from defus.RegistrationState
		if exists {
			from = old.State
		}
		return s.auditRegistration(ctx, tx, by, defus.ActionCreate, &e, &r, from)
	})
	if err == nil && already {
		err = defus.RefusedRegistered
	}
	if err != nil {
		return out, fmt.Errorf("register for event %d: %w", eventID, err)
	}
	return out, nil
}

// registrationReturning is registrationColumns for RETURNING, where the
// table has no alias.
const registrationReturning = `id, event_id, email, name, organisation, member_id, user_id, state,
	queue_pos, link_key, show_organisation, offered_until, confirmed_at, cancelled_at, attended,
	by_office, created_at, updated_at, version`

// lockRegistration locks the event of registration id and then the
// registration, in that order (the order every writer takes).
func lockRegistration(ctx context.Context, tx pgx.Tx, id int64) (defus.Event, defus.Registration, error) {
	var eventID int64
	if err := tx.QueryRow(ctx, `SELECT event_id FROM event_registrations WHERE id = $1`, id).Scan(&eventID); err != nil {
		return defus.Event{}, defus.Registration{}, notFound(err, fmt.Sprintf("registration %d", id))
	}
	e, err := lockEventForRegistration(ctx, tx, eventID)
	if err != nil {
		return e, defus.Registration{}, err
	}
	const q = `SELECT ` + registrationColumns + ` FROM event_registrations r WHERE r.id = $1 FOR UPDATE`
	r, err := scanRegistration(tx.QueryRow(ctx, q, id))
	if err != nil {
		return e, r, notFound(err, fmt.Sprintf("registration %d", id))
	}
	return e, r, nil
}

// setState moves r to state at now and fills r from the row.
func setState(ctx context.Context, tx pgx.Tx, r *defus.Registration, state defus.RegistrationState, now time.Time) error {
	const q = `
UPDATE event_registrations
SET state = $2, updated_at = $3, version = version + 1,
    confirmed_at = CASE WHEN $2 = 'confirmed' THEN $3 ELSE confirmed_at END,
    cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3 ELSE NULL END,
    offered_until = CASE WHEN $2 = 'offered' THEN $4::timestamptz ELSE NULL END
WHERE id = $1
RETURNING ` + registrationReturning
	var until *time.Time
	if state == defus.RegOffered {
		t := now.Add(defus.OfferTTL)
		until = &t
	}
	got, err := scanRegistration(tx.QueryRow(ctx, q, r.ID, string(state), now, until))
	if err != nil {
		return fmt.Errorf("registration %d to %s: %w", r.ID, state, err)
	}
	*r = got
	return position(ctx, tx, r)
}

// changeRegistration locks registration id and its event and runs fn in
// one transaction. It returns the registration and event as fn left them,
// on error too (a refusal's page names the event).
func (s *Store) changeRegistration(ctx context.Context, id int64, what string, fn func(tx pgx.Tx, e *defus.Event, r *defus.Registration) error) (*defus.Registration, *defus.Event, error) {
	var r defus.Registration
	var e defus.Event
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if e, r, err = lockRegistration(ctx, tx, id); err != nil {
			return err
		}
		return fn(tx, &e, &r)
	})
	if err != nil {
		return &r, &e, fmt.Errorf("%s registration %d: %w", what, id, err)
	}
	return &r, &e, nil
}

// moveRegistration moves r to state, queues the mail of kind ("" for none)
// and records the change.
func (s *Store) moveRegistration(ctx context.Context, tx pgx.Tx, by defus.Actor, e *defus.Event, r *defus.Registration, state defus.RegistrationState, kind defus.RegistrationMailKind) error {
	old := r.State
	if err := setState(ctx, tx, r, state, s.now()); err != nil {
		return err
	}
	if kind != "" {
		if err := s.queueMail(ctx, tx, kind, e, r); err != nil {
			return err
		}
	}
	return s.auditRegistration(ctx, tx, by, defus.ActionStatusChange, e, r, old)
}

// ConfirmRegistration confirms a guest's registration from the mail's link:
// a place when one is left, else the waitlist. A registration no longer
// pending gives defus.RefusedLinkUsed (and the registration as it is), one older than
// defus.PendingTTL gives defus.RefusedLinkExpired. It returns the
// registration and its event.
func (s *Store) ConfirmRegistration(ctx context.Context, id int64) (*defus.Registration, *defus.Event, error) {
	return s.changeRegistration(ctx, id, "confirm", func(tx pgx.Tx, e *defus.Event, r *defus.Registration) error {
		now := s.now()
		switch {
		case r.State != defus.RegPending:
			if err := position(ctx, tx, r); err != nil {
				return err
			}
			return defus.RefusedLinkUsed
		case !r.CreatedAt.Add(defus.PendingTTL).After(now):
			return defus.RefusedLinkExpired
		}
		if why := e.RegistrationClosed(now); why != "" {
			return why
		}
		c, err := countRegistrations(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if full(e, c) {
			return s.moveRegistration(ctx, tx, defus.Actor{}, e, r, defus.RegWaiting, defus.MailRegWaiting)
		}
		return s.moveRegistration(ctx, tx, defus.Actor{}, e, r, defus.RegConfirmed, defus.MailRegConfirmed)
	})
}

// CancelRegistration cancels a registration (by its link, by the member or
// by the office). A place it held goes to the first on the waitlist, who is
// offered it for defus.OfferTTL. Cancelling twice gives
// defus.RefusedLinkUsed; after the event defus.RefusedPast.
func (s *Store) CancelRegistration(ctx context.Context, by defus.Actor, id int64) (*defus.Registration, *defus.Event, error) {
	return s.changeRegistration(ctx, id, "cancel", func(tx pgx.Tx, e *defus.Event, r *defus.Registration) error {
		if r.State == defus.RegCancelled {
			return defus.RefusedLinkUsed
		}
		if !e.Upcoming(s.now()) {
			return defus.RefusedPast
		}
		old, kind := r.State, defus.MailRegCancelled
		if old == defus.RegPending {
			kind = ""
		}
		if err := s.moveRegistration(ctx, tx, by, e, r, defus.RegCancelled, kind); err != nil {
			return err
		}
		if old.HoldsPlace() {
			return s.fillPlaces(ctx, tx, e)
		}
		return nil
	})
}

// fillPlaces offers free places to the first on the waitlist, in order,
// each for defus.OfferTTL. The event's row must be locked.
func (s *Store) fillPlaces(ctx context.Context, tx pgx.Tx, e *defus.Event) error {
	if e.Status != defus.StatusScheduled || !e.Upcoming(s.now()) {
		return nil
	}
	c, err := countRegistrations(ctx, tx, e.ID)
	if err != nil {
		return err
	}
	limit := "ALL"
	if e.Registration.Capacity != nil {
		free := *e.Registration.Capacity - c.Held()
		if free <= 0 {
			return nil
		}
		limit = fmt.Sprint(free)
	}
	next, err := findRegistrations(ctx, tx, `r.event_id = $1 AND r.state = 'waiting'
ORDER BY r.queue_pos
LIMIT `+limit+`
FOR UPDATE`, e.ID)
	if err != nil {
		return err
	}
	for i := range next {
		if err := s.moveRegistration(ctx, tx, defus.Actor{}, e, &next[i], defus.RegOffered, defus.MailRegOffered); err != nil {
			return err
		}
	}
	return nil
}

// findRegistrations lists the registrations matching cond (a WHERE clause
// with ORDER BY and more).
func findRegistrations(ctx context.Context, tx queryer, cond string, args ...any) ([]defus.Registration, error) {
	rows, err := tx.Query(ctx, `SELECT `+registrationColumns+` FROM event_registrations r WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("find registrations: %w", err)
	}
	regs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Registration, error) { return scanRegistration(r) })
	if err != nil {
		return nil, fmt.Errorf("find registrations: %w", err)
	}
	return regs, nil
}

// queryer is a pool or a transaction.
type queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// AcceptOffer takes the place offered to a person from the waitlist, with
// the details only now asked for. An offer that ran out gives
// defus.RefusedLinkExpired; a registration not offered a place
// defus.RefusedLinkUsed.
func (s *Store) AcceptOffer(ctx context.Context, id int64, organisation string, showOrganisation bool) (*defus.Registration, *defus.Event, error) {
	const q = `UPDATE event_registrations SET organisation = $2, show_organisation = $3 WHERE id = $1`
	return s.changeRegistration(ctx, id, "accept offer of", func(tx pgx.Tx, e *defus.Event, r *defus.Registration) error {
		switch {
		case r.State != defus.RegOffered:
			return defus.RefusedLinkUsed
		case !r.OfferedUntil.After(s.now()):
			return defus.RefusedLinkExpired
		}
		if _, err := tx.Exec(ctx, q, r.ID, organisation, showOrganisation); err != nil {
			return fmt.Errorf("details of registration %d: %w", r.ID, err)
		}
		return s.moveRegistration(ctx, tx, defus.Actor{}, e, r, defus.RegConfirmed, defus.MailRegConfirmed)
	})
}

// ExpiredRegistrations says what one pass of ExpireRegistrations did.
type ExpiredRegistrations struct {
	Pending int64 // unconfirmed guests deleted
	Lapsed  int64 // offers that ran out, passed on to the next in line
}

// ExpireRegistrations deletes guests' registrations unconfirmed for
// defus.PendingTTL, and passes places whose offer ran out on to the next in
// line (each event under its row lock); it also offers places that opened
// otherwise (say, a larger capacity).
func (s *Store) ExpireRegistrations(ctx context.Context) (ExpiredRegistrations, error) {
	const qPending = `DELETE FROM event_registrations WHERE state = 'pending' AND created_at <= $1`
	const qEvents = `
SELECT DISTINCT r.event_id
FROM event_registrations r JOIN events e ON e.id = r.event_id
WHERE (r.state = 'offered' AND r.offered_until <= $1) OR (r.state = 'waiting' AND e.ends_at > $1)
ORDER BY r.event_id`
	var res ExpiredRegistrations
	now := s.now()
	tag, err := s.pool.Exec(ctx, qPending, now.Add(-defus.PendingTTL))
	if err != nil {
		return res, fmt.Errorf("delete unconfirmed registrations: %w", err)
	}
	res.Pending = tag.RowsAffected()
	rows, err := s.pool.Query(ctx, qEvents, now)
	if err != nil {
		return res, fmt.Errorf("events with lapsed offers: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return res, fmt.Errorf("events with lapsed offers: %w", err)
	}
	for _, id := range ids {
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			e, err := lockEventForRegistration(ctx, tx, id)
			if err != nil {
				return err
			}
			lapsed, err := findRegistrations(ctx, tx, `r.event_id = $1 AND r.state = 'offered' AND r.offered_until <= $2
ORDER BY r.queue_pos FOR UPDATE`, id, s.now())
			if err != nil {
				return err
			}
			for i := range lapsed {
				if err := s.moveRegistration(ctx, tx, defus.Actor{}, &e, &lapsed[i], defus.RegCancelled, defus.MailRegOfferLapsed); err != nil {
					return err
				}
			}
			res.Lapsed += int64(len(lapsed))
			return s.fillPlaces(ctx, tx, &e)
		})
		if err != nil {
			return res, fmt.Errorf("lapsed offers of event %d: %w", id, err)
		}
	}
	return res, nil
}

// FindRegistration returns one registration.
func (s *Store) FindRegistration(ctx context.Context, id int64) (*defus.Registration, error) {
	const q = `SELECT ` + registrationColumns + `,
       (SELECT count(*) FROM event_registrations w WHERE w.event_id = r.event_id AND w.state = 'waiting' AND w.queue_pos <= r.queue_pos)
FROM event_registrations r WHERE r.id = $1`
	var pos int
	r, err := scanRegistration(s.pool.QueryRow(ctx, q, id), &pos)
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find registration %d", id))
	}
	if r.State == defus.RegWaiting {
		r.Position = pos
	}
	return &r, nil
}

// FindUserRegistration returns the registration of an account for an
// event, cancelled or not.
func (s *Store) FindUserRegistration(ctx context.Context, eventID, userID int64) (*defus.Registration, error) {
	const q = `SELECT r.id FROM event_registrations r WHERE r.event_id = $1 AND r.user_id = $2
ORDER BY r.state = 'cancelled', r.id DESC LIMIT 1`
	var id int64
	if err := s.pool.QueryRow(ctx, q, eventID, userID).Scan(&id); err != nil {
		return nil, notFound(err, "find registration of an account")
	}
	return s.FindRegistration(ctx, id)
}

// FindEventRegistrations lists an event's registrations: confirmed and
// offered first by arrival, then the waitlist in order, then pending and
// cancelled.
func (s *Store) FindEventRegistrations(ctx context.Context, eventID int64) ([]defus.Registration, error) {
	regs, err := findRegistrations(ctx, s.pool, `r.event_id = $1
ORDER BY array_position(ARRAY['confirmed', 'offered', 'waiting', 'pending', 'cancelled'], r.state), r.queue_pos`, eventID)
	if err != nil {
		return nil, fmt.Errorf("registrations of event %d: %w", eventID, err)
	}
	pos := 0
	for i := range regs {
		if regs[i].State == defus.RegWaiting {
			pos++
			regs[i].Position = pos
		}
	}
	return regs, nil
}

// noticeEventChange tells everybody registered or waiting when the office
// changed what they plan around: time, place, format (moved online) or
// status (postponed, cancelled). Called in the transaction of the change,
// after the event's row was updated (e has the new SEQUENCE).
func (s *Store) noticeEventChange(ctx context.Context, tx pgx.Tx, old, e *defus.Event) error {
	if old.When() == e.When() && old.Address() == e.Address() && old.Format == e.Format && old.Status == e.Status {
		return nil
	}
	regs, err := findRegistrations(ctx, tx, `r.event_id = $1 AND r.state IN ('confirmed', 'offered', 'waiting')
ORDER BY r.queue_pos`, e.ID)
	if err != nil {
		return fmt.Errorf("registrations to notify of event %d: %w", e.ID, err)
	}
	for i := range regs {
		if err := s.queueMail(ctx, tx, defus.MailRegChanged, e, &regs[i]); err != nil {
			return err
		}
	}
	return nil
}

// AddRegistration registers a person by hand for the office: with a place
// (beyond the capacity if need be) or on the waitlist, whatever the
// deadline. The person gets the mail of their state.
func (s *Store) AddRegistration(ctx context.Context, by defus.Actor, eventID int64, in defus.RegistrationInput, state defus.RegistrationState) (*defus.Registration, error) {
	const q = `
INSERT INTO event_registrations (event_id, email, email_key, name, organisation, member_id, state, link_key,
                                 show_organisation, confirmed_at, by_office, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, (SELECT id FROM members WHERE lower(name) = lower($5) LIMIT 1), $6, $7, false,
        CASE WHEN $6 = 'confirmed' THEN $8::timestamptz END, true, $8, $8)
ON CONFLICT (event_id, email_key) DO UPDATE
SET email = EXCLUDED.email, name = EXCLUDED.name, organisation = EXCLUDED.organisation, member_id = EXCLUDED.member_id,
    state = EXCLUDED.state, link_key = EXCLUDED.link_key, confirmed_at = EXCLUDED.confirmed_at, by_office = true,
    cancelled_at = NULL, offered_until = NULL, attended = NULL, updated_at = EXCLUDED.updated_at,
    queue_pos = nextval('event_registrations_queue_seq'), version = event_registrations.version + 1
WHERE event_registrations.state IN ('cancelled', 'pending')
RETURNING ` + registrationReturning
	var out *defus.Registration
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		e, err := lockEventForRegistration(ctx, tx, eventID)
		if err != nil {
			return err
		}
		r, err := scanRegistration(tx.QueryRow(ctx, q, eventID, in.Email, defus.EmailKey(in.Email), in.Name,
			in.Organisation, string(state), newLinkKey(), s.now()))
		if errors.Is(err, pgx.ErrNoRows) {
			return defus.RefusedRegistered
		}
		if err != nil {
			return err
		}
		if err := position(ctx, tx, &r); err != nil {
			return err
		}
		kind := defus.MailRegConfirmed
		if state == defus.RegWaiting {
			kind = defus.MailRegWaiting
		}
		if err := s.queueMail(ctx, tx, kind, &e, &r); err != nil {
			return err
		}
		out = &r
		return s.auditRegistration(ctx, tx, by, defus.ActionCreate, &e, &r, "")
	})
	if err != nil {
		return nil, fmt.Errorf("add registration to event %d: %w", eventID, err)
	}
	return out, nil
}

// MoveRegistration is the office moving a person: onto a place (beyond the
// capacity if need be), to the end of the waitlist, or out (cancelled). A
// version other than version gives defus.ErrConflict: two staff moving the
// same person do not overwrite each other. A place given up goes to the
// first in line.
func (s *Store) MoveRegistration(ctx context.Context, by defus.Actor, id int64, version int, to defus.RegistrationState) (*defus.Registration, error) {
	const qQueue = `UPDATE event_registrations SET queue_pos = nextval('event_registrations_queue_seq') WHERE id = $1`
	r, _, err := s.changeRegistration(ctx, id, "move", func(tx pgx.Tx, e *defus.Event, r *defus.Registration) error {
		if r.Version != version {
			return defus.ErrConflict
		}
		if r.State == to {
			return nil
		}
		old := r.State
		kind := map[defus.RegistrationState]defus.RegistrationMailKind{defus.RegConfirmed: defus.MailRegConfirmed,
			defus.RegWaiting: defus.MailRegWaiting, defus.RegCancelled: defus.MailRegCancelled}[to]
		if kind == "" {
			return fmt.Errorf("move registration to %s: %w", to, defus.ErrConflict)
		}
		if to == defus.RegWaiting {
			if _, err := tx.Exec(ctx, qQueue, r.ID); err != nil {
				return err
			}
		}
		if err := s.moveRegistration(ctx, tx, by, e, r, to, kind); err != nil {
			return err
		}
		if old.HoldsPlace() && !to.HoldsPlace() {
			return s.fillPlaces(ctx, tx, e)
		}
		return nil
	})
	return r, err
}

// EraseRegistration deletes a registration for good (Art. 17 GDPR); a place
// it held goes to the first in line. The audit log keeps that it happened,
// not who it was.
func (s *Store) EraseRegistration(ctx context.Context, by defus.Actor, id int64) error {
	_, _, err := s.changeRegistration(ctx, id, "erase", func(tx pgx.Tx, e *defus.Event, r *defus.Registration) error {
		if _, err := tx.Exec(ctx, `DELETE FROM event_registrations WHERE id = $1`, id); err != nil {
			return err
		}
		if err := s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionErase, Entity: defus.EntityRegistration,
			EntityID: id, EntityLabel: e.Title}); err != nil {
			return err
		}
		if r.State.HoldsPlace() {
			return s.fillPlaces(ctx, tx, e)
		}
		return nil
	})
	return err
}

// SetAttendance records who of the confirmed participants attended: those
// in attended, and not the others.
func (s *Store) SetAttendance(ctx context.Context, by defus.Actor, eventID int64, attended []int64) error {
	const q = `
UPDATE event_registrations SET attended = (id = ANY($2)), updated_at = $3, version = version + 1
WHERE event_id = $1 AND state = 'confirmed' AND attended IS DISTINCT FROM (id = ANY($2))`
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		e, err := lockEventForRegistration(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if attended == nil {
			attended = []int64{}
		}
		tag, err := tx.Exec(ctx, q, eventID, attended, s.now())
		if err != nil {
			return err
		}
		c := defus.Changes{}
		c.Set("attended", nil, len(attended))
		c.Set("rows", nil, tag.RowsAffected())
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate, Entity: defus.EntityEvent,
			EntityID: eventID, EntityLabel: e.Title, Changes: c})
	})
	if err != nil {
		return fmt.Errorf("attendance of event %d: %w", eventID, err)
	}
	return nil
}

// CountRegistrationsByEvent counts the registrations of the events ids by
// state, for the office's list of events.
func (s *Store) CountRegistrationsByEvent(ctx context.Context, ids []int64) (map[int64]defus.RegistrationCounts, error) {
	const q = `
SELECT event_id, count(*) FILTER (WHERE state = 'confirmed'), count(*) FILTER (WHERE state = 'offered'),
       count(*) FILTER (WHERE state = 'waiting'), count(*) FILTER (WHERE state = 'pending'),
       count(*) FILTER (WHERE state = 'cancelled')
FROM event_registrations WHERE event_id = ANY($1)
GROUP BY event_id`
	rows, err := s.pool.Query(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("count registrations: %w", err)
	}
	defer rows.Close()
	out := map[int64]defus.RegistrationCounts{}
	for rows.Next() {
		var id int64
		var c defus.RegistrationCounts
		if err := rows.Scan(&id, &c.Confirmed, &c.Offered, &c.Waiting, &c.Pending, &c.Cancelled); err != nil {
			return nil, fmt.Errorf("count registrations: %w", err)
		}
		out[id] = c
	}
	return out, rows.Err()
}

// DeleteExpiredRegistrations deletes the registrations of events that ended
// before registrationsBefore, except those who attended, which are kept
// until certificatesBefore for their certificates (GDPR: what certificates
// need, no longer).
func (s *Store) DeleteExpiredRegistrations(ctx context.Context, registrationsBefore, certificatesBefore time.Time) (int64, error) {
	const q = `
DELETE FROM event_registrations r
USING events e
WHERE e.id = r.event_id
  AND ((e.ends_at < $1 AND r.attended IS NOT TRUE) OR e.ends_at < $2)`
	tag, err := s.pool.Exec(ctx, q, registrationsBefore, certificatesBefore)
	if err != nil {
		return 0, fmt.Errorf("delete expired registrations: %w", err)
	}
	return tag.RowsAffected(), nil
}

// FindRegistrationsByEmail lists every registration of an address (Art. 15
// GDPR), with its event's title and time.
func (s *Store) FindRegistrationsByEmail(ctx context.Context, email string) ([]defus.Registration, []defus.Event, error) {
	regs, err := findRegistrations(ctx, s.pool, `r.email_key = $1 ORDER BY r.created_at, r.id`, defus.EmailKey(email))
	if err != nil {
		return nil, nil, err
	}
	return s.withEvents(ctx, regs)
}

// EraseRegistrationsByEmail deletes every registration of an address
// (Art. 17 GDPR), giving the places they held to the next in line. It
// returns how many it erased.
func (s *Store) EraseRegistrationsByEmail(ctx context.Context, by defus.Actor, email string) (int, error) {
	regs, err := findRegistrations(ctx, s.pool, `r.email_key = $1 ORDER BY r.id`, defus.EmailKey(email))
	if err != nil {
		return 0, err
	}
	for _, r := range regs {
		if err := s.EraseRegistration(ctx, by, r.ID); err != nil && !errors.Is(err, defus.ErrNotFound) {
			return 0, err
		}
	}
	return len(regs), nil
}

// SendCertificates queues the certificate mail (with its download link) to
// everybody who attended the event, and records it. It returns how many.
func (s *Store) SendCertificates(ctx context.Context, by defus.Actor, eventID int64) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		e, err := lockEventForRegistration(ctx, tx, eventID)
		if err != nil {
			return err
		}
		regs, err := findRegistrations(ctx, tx, `r.event_id = $1 AND r.attended ORDER BY r.queue_pos`, eventID)
		if err != nil {
			return err
		}
		for i := range regs {
			if err := s.queueMail(ctx, tx, defus.MailRegCertificate, &e, &regs[i]); err != nil {
				return err
			}
		}
		n = len(regs)
		c := defus.Changes{}
		c.Set("certificates", nil, n)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate, Entity: defus.EntityEvent,
			EntityID: eventID, EntityLabel: e.Title, Changes: c})
	})
	if err != nil {
		return 0, fmt.Errorf("send certificates of event %d: %w", eventID, err)
	}
	return n, nil
}

// SendReminders queues the reminder to everybody with a place at events
// that start within two days of now (once per registration), with the
// online link where there is one. It returns how many it queued.
func (s *Store) SendReminders(ctx context.Context) (int, error) {
	const qEvents = `
SELECT DISTINCT r.event_id FROM event_registrations r JOIN events e ON e.id = r.event_id
WHERE r.state = 'confirmed' AND r.reminded_at IS NULL AND e.status = 'scheduled' AND e.published
  AND e.starts_at > $1 AND e.starts_at <= $2`
	const qMark = `UPDATE event_registrations SET reminded_at = $2 WHERE id = $1`
	now := s.now()
	rows, err := s.pool.Query(ctx, qEvents, now, now.Add(48*time.Hour))
	if err != nil {
		return 0, fmt.Errorf("events to remind of: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, fmt.Errorf("events to remind of: %w", err)
	}
	n := 0
	for _, id := range ids {
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			e, err := lockEventForRegistration(ctx, tx, id)
			if err != nil {
				return err
			}
			regs, err := findRegistrations(ctx, tx, `r.event_id = $1 AND r.state = 'confirmed' AND r.reminded_at IS NULL ORDER BY r.queue_pos FOR UPDATE`, id)
			if err != nil {
				return err
			}
			for i := range regs {
				if err := s.queueMail(ctx, tx, defus.MailRegReminder, &e, &regs[i]); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, qMark, regs[i].ID, now); err != nil {
					return err
				}
			}
			n += len(regs)
			c := defus.Changes{}
			c.Set("reminders", nil, len(regs))
			return s.auditTx(ctx, tx, defus.AuditEntry{Actor: defus.Actor{}, Action: defus.ActionUpdate, Entity: defus.EntityEvent,
				EntityID: id, EntityLabel: e.Title, Changes: c})
		})
		if err != nil {
			return n, fmt.Errorf("reminders of event %d: %w", id, err)
		}
	}
	return n, nil
}

// FindParticipatingOrganisations lists the organisations of an event's
// participants who agreed to be shown ("Teilnehmende Städte"), each once,
// sorted; never a person's name.
func (s *Store) FindParticipatingOrganisations(ctx context.Context, eventID int64) ([]string, error) {
	const q = `
SELECT DISTINCT coalesce(m.name, r.organisation) AS org
FROM event_registrations r LEFT JOIN members m ON m.id = r.member_id
WHERE r.event_id = $1 AND r.state = 'confirmed' AND r.show_organisation AND coalesce(m.name, r.organisation) <> ''
ORDER BY org`
	rows, err := s.pool.Query(ctx, q, eventID)
	if err != nil {
		return nil, fmt.Errorf("participating organisations of event %d: %w", eventID, err)
	}
	orgs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("participating organisations of event %d: %w", eventID, err)
	}
	return orgs, nil
}

// RenewCalendarToken gives a member account a new secret address for its
// personal calendar feed (the old one stops working) and returns the token;
// only its hash is stored.
func (s *Store) RenewCalendarToken(ctx context.Context, by defus.Actor, userID int64) (string, error) {
	const q = `
INSERT INTO member_calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at`
	b := make([]byte, 24)
	rand.Read(b)
	token := hex.EncodeToString(b)
	sum := sha256.Sum256([]byte(token))
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, q, userID, sum[:], s.now()); err != nil {
			return err
		}
		c := defus.Changes{}
		c.Set("calendar_token", nil, "neu")
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate, Entity: defus.EntityUser,
			EntityID: userID, EntityLabel: by.Name, Changes: c})
	})
	if err != nil {
		return "", fmt.Errorf("renew calendar token of user %d: %w", userID, err)
	}
	return token, nil
}

// FindCalendarEvents returns the published events the account behind a
// calendar token holds a place at (confirmed or offered), soonest first;
// an unknown token is defus.ErrNotFound. Disabled accounts have none.
func (s *Store) FindCalendarEvents(ctx context.Context, token string) ([]defus.Event, error) {
	const q = `
SELECT r.event_id
FROM member_calendar_tokens t
JOIN users u ON u.id = t.user_id AND u.disabled_at IS NULL
LEFT JOIN event_registrations r ON r.user_id = u.id AND r.state IN ('confirmed', 'offered')
WHERE t.token_hash = $1`
	sum := sha256.Sum256([]byte(token))
	rows, err := s.pool.Query(ctx, q, sum[:])
	if err != nil {
		return nil, fmt.Errorf("calendar of a token: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[*int64])
	if err != nil {
		return nil, fmt.Errorf("calendar of a token: %w", err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("calendar token: %w", defus.ErrNotFound)
	}
	var events []defus.Event
	for _, id := range ids {
		if id == nil {
			continue
		}
		e, err := s.FindEventByID(ctx, *id)
		if err != nil {
			return nil, err
		}
		if e.Published {
			events = append(events, *e)
		}
	}
	slices.SortFunc(events, func(a, b defus.Event) int { return a.StartsAt.Compare(b.StartsAt) })
	return events, nil
}

// FindUserRegistrations lists an account's registrations that are not
// cancelled, with their events, soonest event first.
func (s *Store) FindUserRegistrations(ctx context.Context, userID int64) ([]defus.Registration, []defus.Event, error) {
	regs, err := findRegistrations(ctx, s.pool, `r.user_id = $1 AND r.state <> 'cancelled'
ORDER BY (SELECT starts_at FROM events WHERE id = r.event_id), r.id`, userID)
	if err != nil {
		return nil, nil, err
	}
	return s.withEvents(ctx, regs)
}

// withEvents returns regs with the event of each.
func (s *Store) withEvents(ctx context.Context, regs []defus.Registration) ([]defus.Registration, []defus.Event, error) {
	events := make([]defus.Event, len(regs))
	for i, r := range regs {
		e, err := s.FindEventByID(ctx, r.EventID)
		if err != nil {
			return nil, nil, err
		}
		events[i] = *e
	}
	return regs, events, nil
}
