package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

const documentColumns = `d.id, d.token, d.title, d.description, d.dated_on, d.visibility, d.file_name,
	d.content_type, d.size, d.sha256, d.created_by, d.created_at, d.updated_at, d.version`

func scanDocument(row pgx.Row, extra ...any) (defus.Document, error) {
	var d defus.Document
	dest := append([]any{&d.ID, &d.Token, &d.Title, &d.Description, &d.DatedOn, &d.Visibility, &d.FileName,
		&d.ContentType, &d.Size, &d.SHA256, &d.CreatedBy, &d.CreatedAt, &d.UpdatedAt, &d.Version}, extra...)
	err := row.Scan(dest...)
	d.DatedOn = time.Date(d.DatedOn.Year(), d.DatedOn.Month(), d.DatedOn.Day(), 0, 0, 0, 0, defus.Berlin)
	return d, err
}

// newDocumentToken is the random part of a document's address: 128 bits,
// so addresses cannot be guessed or counted.
func newDocumentToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func visibilityStrings(vs []defus.Visibility) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// FindDocuments lists the documents f.Visible allows, newest date first,
// with their topics and the number of all that match.
func (s *Store) FindDocuments(ctx context.Context, f defus.DocumentFilter) ([]defus.Document, int, error) {
	var w where
	w.add("d.visibility = ANY(?)", visibilityStrings(f.Visible))
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(foldSQL(`d.title || ' ' || d.description || ' ' || d.file_name`)+` LIKE ?`, defus.LikePattern(defus.FoldUmlauts(q)))
	}
	if f.TopicID != 0 {
		w.add("EXISTS (SELECT 1 FROM document_topics dt WHERE dt.document_id = d.id AND dt.topic_id = ?)", f.TopicID)
	}
	if f.Year != 0 {
		w.add("extract(year FROM d.dated_on) = ?", f.Year)
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	q := `
SELECT ` + documentColumns + `, count(*) OVER ()
FROM documents d
` + w.String() + `
ORDER BY d.dated_on DESC, d.id DESC
LIMIT ` + limit + ` OFFSET ` + fmt.Sprint(max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find documents: %w", err)
	}
	total := 0
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Document, error) { return scanDocument(r, &total) })
	if err != nil {
		return nil, 0, fmt.Errorf("find documents: %w", err)
	}
	if err := s.loadDocumentTopics(ctx, docs); err != nil {
		return nil, 0, err
	}
	return docs, total, nil
}

// loadDocumentTopics fills the published topics of docs.
func (s *Store) loadDocumentTopics(ctx context.Context, docs []defus.Document) error {
	if len(docs) == 0 {
		return nil
	}
	ids := make([]int64, len(docs))
	index := map[int64]int{}
	for i, d := range docs {
		ids[i], index[d.ID] = d.ID, i
	}
	const q = `
SELECT dt.document_id, t.id, t.slug, t.title
FROM document_topics dt JOIN topics t ON t.id = dt.topic_id
WHERE dt.document_id = ANY($1)
ORDER BY t.title`
	rows, err := s.pool.Query(ctx, q, ids)
	if err != nil {
		return fmt.Errorf("document topics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var docID int64
		var t defus.Topic
		if err := rows.Scan(&docID, &t.ID, &t.Slug, &t.Title); err != nil {
			return fmt.Errorf("document topics: %w", err)
		}
		d := &docs[index[docID]]
		d.Topics, d.TopicIDs = append(d.Topics, t), append(d.TopicIDs, t.ID)
	}
	return rows.Err()
}

// FindDocumentYears lists the years that documents visible to vs are
// dated in, newest first.
func (s *Store) FindDocumentYears(ctx context.Context, vs []defus.Visibility) ([]int, error) {
	const q = `SELECT DISTINCT extract(year FROM dated_on)::int AS y FROM documents WHERE visibility = ANY($1) ORDER BY y DESC`
	rows, err := s.pool.Query(ctx, q, visibilityStrings(vs))
	if err != nil {
		return nil, fmt.Errorf("document years: %w", err)
	}
	years, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("document years: %w", err)
	}
	return years, nil
}

// FindDocumentFile returns a document with its bytes by its token. Who may
// read it is the caller's decision (defus.VisibleTo).
func (s *Store) FindDocumentFile(ctx context.Context, token string) (*defus.Document, error) {
	const q = `SELECT ` + documentColumns + `, d.data FROM documents d WHERE d.token = $1`
	var data []byte
	d, err := scanDocument(s.pool.QueryRow(ctx, q, token), &data)
	if err != nil {
		return nil, notFound(err, "find document file")
	}
	d.Data = data
	return &d, nil
}

// FindDocumentByID returns a document without its bytes, with its topics.
func (s *Store) FindDocumentByID(ctx context.Context, id int64) (*defus.Document, error) {
	const q = `SELECT ` + documentColumns + ` FROM documents d WHERE d.id = $1`
	d, err := scanDocument(s.pool.QueryRow(ctx, q, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find document %d", id))
	}
	docs := []defus.Document{d}
	if err := s.loadDocumentTopics(ctx, docs); err != nil {
		return nil, err
	}
	return &docs[0], nil
}

// documentChanges lists what differs between old and d for the audit log.
func documentChanges(ctx context.Context, tx pgx.Tx, old, d *defus.Document) (defus.Changes, error) {
	c := defus.Changes{}
	c.Set("title", old.Title, d.Title)
	c.Set("description", old.Description, d.Description)
	c.Set("dated_on", dayText(old.DatedOn), dayText(d.DatedOn))
	c.Set("visibility", string(old.Visibility), string(d.Visibility))
	c.Set("document.file_name", old.FileName, d.FileName)
	before, err := topicTitles(ctx, tx, old.TopicIDs)
	if err != nil {
		return nil, err
	}
	after, err := topicTitles(ctx, tx, d.TopicIDs)
	if err != nil {
		return nil, err
	}
	c.Set("topics", before, after)
	return c, nil
}

func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func setDocumentTopics(ctx context.Context, tx pgx.Tx, id int64, ids []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM document_topics WHERE document_id = $1`, id); err != nil {
		return fmt.Errorf("document topics: %w", err)
	}
	const q = `INSERT INTO document_topics (document_id, topic_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`
	if _, err := tx.Exec(ctx, q, id, ids); err != nil {
		return fmt.Errorf("document topics: %w", err)
	}
	return nil
}

// CreateDocument stores a new document with its file (d.Data, d.FileName,
// d.ContentType) and topics, with a new random token.
func (s *Store) CreateDocument(ctx context.Context, by defus.Actor, d *defus.Document) error {
	const q = `
INSERT INTO documents (token, title, description, dated_on, visibility, file_name, content_type, size, sha256, data,
                       created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
RETURNING id, created_at, updated_at, version`
	d.Token, d.Size = newDocumentToken(), len(d.Data)
	sum := sha256.Sum256(d.Data)
	d.SHA256 = hex.EncodeToString(sum[:])
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, q, d.Token, d.Title, d.Description, dayText(d.DatedOn), d.Visibility, d.FileName,
			d.ContentType, d.Size, d.SHA256, d.Data, nullID(by.ID), s.now()).Scan(&d.ID, &d.CreatedAt, &d.UpdatedAt, &d.Version)
		if err != nil {
			return fmt.Errorf("create document: %w", err)
		}
		if err := setDocumentTopics(ctx, tx, d.ID, d.TopicIDs); err != nil {
			return err
		}
		changes, err := documentChanges(ctx, tx, &defus.Document{}, d)
		if err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
			Entity: defus.EntityDocument, EntityID: d.ID, EntityLabel: d.Title, Changes: changes})
	})
}

func lockDocument(ctx context.Context, tx pgx.Tx, id int64, version int) (defus.Document, error) {
	const q = `SELECT ` + documentColumns + ` FROM documents d WHERE d.id = $1 FOR UPDATE`
	d, err := scanDocument(tx.QueryRow(ctx, q, id))
	if err != nil {
		return d, notFound(err, fmt.Sprintf("lock document %d", id))
	}
	rows, err := tx.Query(ctx, `SELECT topic_id FROM document_topics WHERE document_id = $1 ORDER BY topic_id`, id)
	if err != nil {
		return d, fmt.Errorf("lock document %d: %w", id, err)
	}
	if d.TopicIDs, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return d, fmt.Errorf("lock document %d: %w", id, err)
	}
	if d.Version != version {
		return d, fmt.Errorf("document %d: %w", id, defus.ErrConflict)
	}
	return d, nil
}

// UpdateDocument saves d if nobody changed it since d.Version; otherwise
// defus.ErrConflict and the document as it is now. With d.NewFile the file
// is replaced and the document gets a new token: its old address is gone.
func (s *Store) UpdateDocument(ctx context.Context, by defus.Actor, d *defus.Document) (current *defus.Document, err error) {
	const q = `
UPDATE documents
SET title = $2, description = $3, dated_on = $4, visibility = $5, updated_at = $6, version = version + 1
WHERE id = $1
RETURNING updated_at, version`
	const qFile = `
UPDATE documents SET token = $2, file_name = $3, content_type = $4, size = $5, sha256 = $6, data = $7 WHERE id = $1`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockDocument(ctx, tx, d.ID, d.Version)
		if err != nil {
			current = &old
			return err
		}
		if err := tx.QueryRow(ctx, q, d.ID, d.Title, d.Description, dayText(d.DatedOn), d.Visibility, s.now()).
			Scan(&d.UpdatedAt, &d.Version); err != nil {
			return fmt.Errorf("update document %d: %w", d.ID, err)
		}
		if d.NewFile {
			d.Token, d.Size = newDocumentToken(), len(d.Data)
			sum := sha256.Sum256(d.Data)
			d.SHA256 = hex.EncodeToString(sum[:])
			if _, err := tx.Exec(ctx, qFile, d.ID, d.Token, d.FileName, d.ContentType, d.Size, d.SHA256, d.Data); err != nil {
				return fmt.Errorf("update document %d file: %w", d.ID, err)
			}
		} else {
			d.Token, d.FileName, d.ContentType, d.Size = old.Token, old.FileName, old.ContentType, old.Size
		}
		if err := setDocumentTopics(ctx, tx, d.ID, d.TopicIDs); err != nil {
			return err
		}
		changes, err := documentChanges(ctx, tx, &old, d)
		if err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityDocument, EntityID: d.ID, EntityLabel: d.Title, Changes: changes})
	})
	return current, err
}

// DeleteDocument deletes a document and its file if it is at version.
func (s *Store) DeleteDocument(ctx context.Context, by defus.Actor, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockDocument(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM documents WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete document %d: %w", id, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionDelete,
			Entity: defus.EntityDocument, EntityID: id, EntityLabel: old.Title})
	})
}
