// Package contenttype records which models exist, Django's
// django.contrib.contenttypes: one django_content_type row per model, which
// permissions and the admin's log entries point at.
package contenttype

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/staffroom/staffroom/orm"
)

// ContentType is a row of django_content_type: one installed model.
type ContentType struct {
	ID       int64  `orm:"type=integer"`
	AppLabel string `orm:"max_length=100,verbose_name='app label'"`
	Model    string `orm:"max_length=100,verbose_name='python model class name'"`
}

// Meta gives Django's table, names, uniqueness and natural key.
func (ContentType) Meta() orm.Meta {
	return orm.Meta{
		Table:             "django_content_type",
		VerboseName:       "content type",
		VerboseNamePlural: "content types",
		UniqueTogether:    [][]string{{"app_label", "model"}},
		NaturalKey:        []string{"app_label", "model"},
	}
}

func (ct *ContentType) String() string { return ct.AppLabel + " | " + ct.Model }

// App returns the contenttypes app, with Django's name and label.
func App() orm.AppConfig {
	return orm.AppConfig{Name: "django.contrib.contenttypes", Label: "contenttypes", VerboseName: "Content Types", Models: []any{ContentType{}}}
}

// Types finds content types, creating missing rows, and caches them. It is
// safe for concurrent use.
type Types struct {
	db    *orm.DB
	mu    sync.Mutex
	cache map[*orm.Model]*ContentType
	byID  map[int64]*ContentType
}

// New returns a content type cache over db.
func New(db *orm.DB) *Types {
	return &Types{db: db, cache: map[*orm.Model]*ContentType{}, byID: map[int64]*ContentType{}}
}

// ForModel returns the content type of m, creating its row when missing.
func (t *Types) ForModel(ctx context.Context, m *orm.Model) (*ContentType, error) {
	t.mu.Lock()
	ct := t.cache[m]
	t.mu.Unlock()
	if ct != nil {
		return ct, nil
	}
	ct, err := orm.Get[ContentType](ctx, orm.For[ContentType](t.db), orm.Q{"app_label": m.App.Label, "model": m.ModelName})
	if errors.Is(err, orm.ErrNotFound) {
		ct = &ContentType{AppLabel: m.App.Label, Model: m.ModelName}
		err = t.db.Insert(ctx, ct)
	}
	if err != nil {
		return nil, fmt.Errorf("contenttype: %s: %w", m.Label(), err)
	}
	// Rows made inside a transaction are not cached before it commits.
	if !orm.InTransaction(ctx) {
		t.remember(m, ct)
	}
	return ct, nil
}

// ByID returns the content type with the given id.
func (t *Types) ByID(ctx context.Context, id int64) (*ContentType, error) {
	t.mu.Lock()
	ct := t.byID[id]
	t.mu.Unlock()
	if ct != nil {
		return ct, nil
	}
	ct, err := orm.Get[ContentType](ctx, orm.For[ContentType](t.db), orm.Q{"pk": id})
	if err != nil {
		return nil, fmt.Errorf("contenttype: id %d: %w", id, err)
	}
	t.mu.Lock()
	t.byID[id] = ct
	t.mu.Unlock()
	return ct, nil
}

// ModelOf returns the installed model a content type names, or nil.
func (t *Types) ModelOf(ct *ContentType) *orm.Model {
	m, err := t.db.Registry().GetModel(ct.AppLabel + "." + ct.Model)
	if err != nil {
		return nil
	}
	return m
}

// Sync creates the content types of every registered model.
func (t *Types) Sync(ctx context.Context) error {
	for _, m := range t.db.Registry().Models() {
		if _, err := t.ForModel(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (t *Types) remember(m *orm.Model, ct *ContentType) {
	t.mu.Lock()
	t.cache[m] = ct
	t.byID[ct.ID] = ct
	t.mu.Unlock()
}
