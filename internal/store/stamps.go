package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// stampCalendar is the change stamp of everything the calendars show:
// events, their hosts, topics (the names of filtered feeds) and the
// association (every event's ORGANIZER).
const stampCalendar = "calendar"

// touchCalendar moves the calendar's change stamp to the store's clock, in
// the transaction of the change. Each change moves it by at least a second,
// so that a client that revalidates with If-Modified-Since (whole seconds)
// never misses a change made in the second it last fetched. Concurrent
// writers take turns on the row, whichever instance they run on.
func (s *Store) touchCalendar(ctx context.Context, tx pgx.Tx) error {
	return s.touch(ctx, tx, stampCalendar)
}

// FindCalendarChange is when something the calendars show last changed
// through the store: an event written, unpublished or deleted, a host or
// topic renamed, the association's name or address changed. It is the
// zero time when nothing has since the database was made. It may lie up to
// a few seconds ahead of the clock (see touchCalendar).
func (s *Store) FindCalendarChange(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := s.pool.QueryRow(ctx, `SELECT changed_at FROM change_stamps WHERE kind = $1`, stampCalendar).Scan(&t)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, fmt.Errorf("find calendar change: %w", err)
	}
	return t, nil
}
