// Package reviews is the example's reviews app: readers' reviews of the
// bookstore's books, with a rating chosen from fixed choices and a
// recommendation that may be left open — the change list's choice,
// yes/no/unknown and Go-written filters, and its editable columns, have
// a real use here.
package reviews

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/orm"
)

// Review is a reader's review of a book.
type Review struct {
	ID          int64
	Book        orm.ForeignKey[bookstore.Book] `orm:"on_delete=cascade"`
	Reader      string                         `orm:"max_length=100"`
	Stars       int16                          `orm:"choices=1:★☆☆☆☆ Poor|2:★★☆☆☆ Fair|3:★★★☆☆ Good|4:★★★★☆ Very good|5:★★★★★ Excellent"`
	Recommended *bool                          `orm:"verbose_name='recommended?'"`
	Text        string                         `orm:"type=text,blank"`
	Created     time.Time
}

func (r *Review) String() string { return fmt.Sprintf("%s on book %d", r.Reader, r.Book.ID) }

// App returns the reviews app.
func App() orm.AppConfig {
	return orm.AppConfig{Name: "reviews", Models: []any{Review{}}}
}

// Seed adds a few reviews to the first books: some recommended, some
// not, some undecided.
func Seed(ctx context.Context, db *orm.DB) error {
	books, err := orm.For[bookstore.Book](db).Values("id").OrderBy("id").Limit(40).Tuples(ctx)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(7, 11))
	readers := []string{"Ada", "Bo", "Carla", "Dmitri", "Elena", "Fabian", "Grace"}
	texts := []string{"", "Could not put it down.", "A slow start, then a fine second half that made up for it.", "Not for me."}
	now := time.Now().UTC().Truncate(time.Second)
	var objs []any
	for i, b := range books {
		id, _ := b[0].(int64)
		stars := int16(1 + rng.IntN(5))
		var rec *bool
		switch i % 3 {
		case 0:
			yes := stars >= 3
			rec = &yes
		case 1:
			no := false
			rec = &no
		}
		objs = append(objs, &Review{Book: orm.FK[bookstore.Book](id), Reader: readers[i%len(readers)], Stars: stars,
			Recommended: rec, Text: texts[i%len(texts)], Created: now.Add(-time.Duration(i) * 36 * time.Hour)})
	}
	return db.BulkCreate(ctx, objs, 0)
}
