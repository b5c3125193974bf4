package retention_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/retention"
	"defus.de/portal/internal/store"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

var start = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// seeded is a database of the test's own with the privacy page that an
// enquiry's consent refers to.
func seeded(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return dbtest.PoolFrom(t, "privacy", func(ctx context.Context, p *pgxpool.Pool) error {
		return store.New(p, func() time.Time { return start }).CreatePage(ctx, defus.Actor{},
			&defus.Page{Slug: "datenschutz", Title: "Datenschutz", Body: "Wir speichern Ihre Angaben.", Required: true, Published: true})
	})
}

// closedEnquiry stores an enquiry with its mails and a note at the clock's
// time and, unless status is open, closes it then.
func closedEnquiry(t *testing.T, st *store.Store, org string, status defus.EnquiryStatus) {
	t.Helper()
	ctx := context.Background()
	e := &defus.Enquiry{Organisation: org, Kind: defus.EnquiryCity, ContactName: "Zoë Müller", Email: "zoe@goerlitz.example",
		Message: "Wir interessieren uns.", ConsentAt: st.Now(), Status: defus.StatusNew, CreatedAt: st.Now(),
		IdempotencyKey: org}
	mails := defus.EnquiryMails(e, defus.EnquiryMailSettings{Office: "defus@defus.de", BaseURL: "https://www.defus.example", SiteName: "DEFUS"})
	if _, err := st.CreateEnquiry(ctx, e, mails); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateEnquiryNote(ctx, defus.Actor{}, &defus.EnquiryNote{EnquiryID: e.ID, Body: "Notiz"}); err != nil {
		t.Fatal(err)
	}
	if status != defus.StatusNew {
		if err := st.UpdateEnquiryStatus(ctx, defus.Actor{}, e.ID, e.Version, status); err != nil {
			t.Fatal(err)
		}
	}
}

func job(st *store.Store) *retention.Job {
	return &retention.Job{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), ClosedRetention: 365 * 24 * time.Hour}
}
