package admin_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// The shop app gives the action, list_editable and popup tests a cascade
// to preview (a volume's chapters), a protected relation (a sale blocks
// deleting its volume) and a foreign key to a non-key field (to_field).
type Publisher struct {
	ID     int64
	Number int64  `orm:"unique"`
	Name   string `orm:"max_length=50"`
	Memo   string `orm:"max_length=50,blank"`
}

func (p *Publisher) String() string { return p.Name }

type Volume struct {
	ID        int64
	Title     string                    `orm:"max_length=100"`
	Price     int64                     `orm:"default=0"`
	InStock   bool                      `orm:"default=true"`
	Publisher orm.ForeignKey[Publisher] `orm:"null,blank,on_delete=cascade,to_field=number"`
}

func (b *Volume) String() string { return b.Title }

type Chapter struct {
	ID     int64
	Title  string                 `orm:"max_length=100"`
	Volume orm.ForeignKey[Volume] `orm:"on_delete=cascade"`
}

func (c *Chapter) String() string { return c.Title }

type Sale struct {
	ID     int64
	Volume orm.ForeignKey[Volume] `orm:"on_delete=protect"`
}

func (s *Sale) String() string { return fmt.Sprintf("sale %d", s.ID) }

// newShop is newFixture with the shop app beside the notes app.
func newShop(t *testing.T, dialect string, register func(*admin.Site) error) *fixture {
	t.Helper()
	return newProject(t, dialect, []orm.AppConfig{{Name: "shop", Models: []any{Publisher{}, Volume{}, Chapter{}, Sale{}}}}, register)
}

// volumes counts the volumes left, by title.
func (f *fixture) volumes() []string {
	f.t.Helper()
	bs, err := orm.All[Volume](context.Background(), orm.For[Volume](f.app.DB).OrderBy("title"))
	if err != nil {
		f.t.Fatal(err)
	}
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Title
	}
	return out
}

// volume loads a volume by title.
func (f *fixture) volume(title string) *Volume {
	f.t.Helper()
	b, err := orm.Get[Volume](context.Background(), orm.For[Volume](f.app.DB), orm.Q{"title": title})
	if err != nil {
		f.t.Fatalf("volume %q: %v", title, err)
	}
	return b
}

// logEntries returns the log entries, oldest first.
func (f *fixture) logEntries() []*admin.LogEntry {
	f.t.Helper()
	es, err := orm.All[admin.LogEntry](context.Background(), orm.For[admin.LogEntry](f.app.DB).OrderBy("id"))
	if err != nil {
		f.t.Fatal(err)
	}
	return es
}

// messages follows a redirect and returns the page's messages.
func messages(c *webtest.Client, r *webtest.Response) string {
	return c.Follow(r).Text(".messagelist li")
}
