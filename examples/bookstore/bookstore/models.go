// Package bookstore is the example's bookstore app: the models of Django's
// aggregation guide, with Django's tables, so a Django project's database
// for them opens as it is.
package bookstore

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/orm"
)

// Author writes books.
type Author struct {
	ID   int64
	Name string `orm:"max_length=100"`
	Age  int32
}

func (a *Author) String() string { return a.Name }

// Publisher publishes books.
type Publisher struct {
	ID   int64
	Name string `orm:"max_length=300"`
}

func (p *Publisher) String() string { return p.Name }

// Book is a title with its authors and publisher.
type Book struct {
	ID        int64
	Name      string          `orm:"max_length=300"`
	Pages     int32           `orm:"verbose_name='pages'"`
	Price     decimal.Decimal `orm:"max_digits=10,decimal_places=2"`
	Rating    float64
	Authors   orm.ManyToMany[Author]
	Publisher orm.ForeignKey[Publisher] `orm:"on_delete=cascade"`
	Pubdate   time.Time                 `orm:"type=date"`
}

func (b *Book) String() string { return b.Name }

// PricePerPage is what a page of the book costs, a value the admin shows
// read-only beside the fields it is computed from.
func (b *Book) PricePerPage() string {
	if b.Pages <= 0 {
		return ""
	}
	return b.Price.Div(decimal.NewFromInt32(b.Pages)).StringFixed(3)
}

// Store sells books.
type Store struct {
	ID    int64
	Name  string `orm:"max_length=300"`
	Books orm.ManyToMany[Book]
}

func (s *Store) String() string { return s.Name }

// TaggedItem tags an object of any model through a generic foreign key,
// Django's contenttypes example; the books' change pages edit their tags
// in a generic inline.
type TaggedItem struct {
	ID            int64
	Tag           string                                  `orm:"max_length=50"`
	ContentType   orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade"`
	ObjectID      int64                                   `orm:"type=positive"`
	ContentObject orm.GenericForeignKey
}

func (t *TaggedItem) String() string { return t.Tag }

// App returns the bookstore app; its tagged items need the contenttypes
// app beside it.
func App() orm.AppConfig {
	return orm.AppConfig{Name: "bookstore", Models: []any{Author{}, Publisher{}, Book{}, Store{}, TaggedItem{}}}
}
