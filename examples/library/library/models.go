// Package library is the Go port of a Django project's lending library:
// its models.py as models here, its admin.py as admin.go. The tables are
// Django's, as its migrations made them (the fixture's README in
// internal/testdb/testdata/django says what each holds): the models name
// each table, column and index Django's way, so Staffroom opens the
// project's database as it is and serves it beside Django.
package library

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/orm"
)

// Paris is the project's TIME_ZONE: datetimes are stored in UTC and
// shown, entered and filtered on Paris clocks.
var Paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("library: the time zone %s: %v", name, err))
	}
	return loc
}

// Country is keyed by its ISO 3166 code: a text primary key.
type Country struct {
	Code string `orm:"primary_key,max_length=2,verbose_name=ISO code"`
	Name string `orm:"max_length=80,unique"`

	BranchCount int64 `orm:"annotation"` // CountryAdmin's count of branches
}

func (c *Country) String() string { return c.Name }

// Meta gives Django's options.
func (Country) Meta() orm.Meta {
	return orm.Meta{Table: "library_country", Ordering: []string{"name"}, VerboseNamePlural: "countries"}
}

// Branch is keyed by a UUID Django made (uuid4), stored as 32 hex digits.
type Branch struct {
	ID       uuid.UUID                         `orm:"primary_key,default=uuid4,editable=false"`
	Name     string                            `orm:"max_length=100"`
	Slug     string                            `orm:"type=slug,max_length=100,unique"`
	City     string                            `orm:"max_length=80"`
	Address  string                            `orm:"type=text,blank"`
	OpenedOn *time.Time                        `orm:"type=date,blank"`
	IsOpen   bool                              `orm:"default=true"`
	Country  orm.ForeignKeyTo[Country, string] `orm:"on_delete=protect,related_name=branches"`
}

func (b *Branch) String() string { return b.Name }

// Meta gives Django's options.
func (Branch) Meta() orm.Meta {
	return orm.Meta{Table: "library_branch", Ordering: []string{"name"},
		VerboseName: "médiathèque", VerboseNamePlural: "médiathèques"}
}

// OpeningHours are a branch's hours on one weekday.
type OpeningHours struct {
	ID      int64
	Weekday uint16                              `orm:"choices=1:Monday|2:Tuesday|3:Wednesday|4:Thursday|5:Friday|6:Saturday|7:Sunday"`
	Opens   time.Time                           `orm:"type=time"`
	Closes  time.Time                           `orm:"type=time"`
	Branch  orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"on_delete=cascade,related_name=opening_hours"`
}

// weekdays are OpeningHours.Weekday's labels.
var weekdays = [...]string{1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday", 5: "Friday", 6: "Saturday", 7: "Sunday"}

func (h *OpeningHours) String() string {
	day := ""
	if int(h.Weekday) < len(weekdays) {
		day = weekdays[h.Weekday]
	}
	return day + " " + h.Opens.Format("15:04") + "–" + h.Closes.Format("15:04")
}

// Meta gives Django's options.
func (OpeningHours) Meta() orm.Meta {
	return orm.Meta{Table: "library_openinghours", Ordering: []string{"branch", "weekday"},
		VerboseName: "opening hours", VerboseNamePlural: "opening hours",
		UniqueTogether: [][]string{{"branch", "weekday"}}}
}

// Author wrote books.
type Author struct {
	ID      int64
	Name    string                            `orm:"max_length=120"`
	Born    *time.Time                        `orm:"type=date,blank"`
	Website string                            `orm:"type=url,max_length=200,blank"`
	Country orm.ForeignKeyTo[Country, string] `orm:"null,blank,on_delete=set_null,related_name=authors"`

	BookCount int64 `orm:"annotation"` // AuthorAdmin's count of books
}

func (a *Author) String() string { return a.Name }

// Meta gives Django's options.
func (Author) Meta() orm.Meta {
	return orm.Meta{Table: "library_author", Ordering: []string{"name"}}
}

// Publisher published books.
type Publisher struct {
	ID      int64
	Name    string                            `orm:"max_length=120,unique"`
	Country orm.ForeignKeyTo[Country, string] `orm:"on_delete=protect,related_name=publishers"`
}

func (p *Publisher) String() string { return p.Name }

// Meta gives Django's options.
func (Publisher) Meta() orm.Meta {
	return orm.Meta{Table: "library_publisher", Ordering: []string{"name"}}
}

// Item is a copy on the shelf, the parent of Book and DVD (Django's
// multi-table inheritance): every item is one or the other.
type Item struct {
	ID          int64
	Title       string                              `orm:"max_length=200"`
	Barcode     string                              `orm:"max_length=14,unique"`
	AcquiredOn  time.Time                           `orm:"type=date"`
	Price       decimal.Decimal                     `orm:"max_digits=7,decimal_places=2"`
	Condition   string                              `orm:"max_length=10,default=good,choices=Usable{new:New|good:Good|worn:Worn}|Out of service{damaged:Damaged|lost:Lost}"`
	IsReference bool                                `orm:"default=false,verbose_name=reference only"`
	Branch      orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"on_delete=protect,related_name=items"`
	Notes       orm.GenericRelation[Note]

	// ItemAdmin's counts of the item's book and DVD rows.
	BookRows int64 `orm:"annotation"`
	DVDRows  int64 `orm:"annotation"`
}

func (i *Item) String() string { return i.Title }

// Meta gives Django's options.
func (Item) Meta() orm.Meta {
	return orm.Meta{Table: "library_item", Ordering: []string{"title"},
		Indexes: []orm.Index{{Fields: []string{"branch", "condition"}, Name: "item_branch_cond_idx"}}}
}

// Book is an Item with a catalogue entry.
type Book struct {
	Item        `orm:"parent_link"`
	ISBN        string `orm:"max_length=13,unique,verbose_name=ISBN"`
	Pages       uint32
	Language    string                    `orm:"max_length=2,default=fr,choices=en:English|fr:French|de:German|es:Spanish|it:Italian"`
	PublishedOn *time.Time                `orm:"type=date,blank"`
	Publisher   orm.ForeignKey[Publisher] `orm:"on_delete=protect,related_name=books"`
	Authors     orm.ManyToMany[Author]    `orm:"related_name=books"`
}

// Meta gives Django's options.
func (Book) Meta() orm.Meta {
	return orm.Meta{Table: "library_book", Ordering: []string{"title"}}
}

// DVD is an Item with a running time.
type DVD struct {
	Item      `orm:"parent_link"`
	Runtime   time.Duration
	Region    uint16   `orm:"default=2"`
	Subtitles []string `orm:"type=json"`
	Director  string   `orm:"max_length=120,blank"`
}

// Meta gives Django's options.
func (DVD) Meta() orm.Meta {
	return orm.Meta{Table: "library_dvd", Ordering: []string{"title"}, VerboseName: "DVD", VerboseNamePlural: "DVDs",
		Defaults: map[string]func() any{"subtitles": func() any { return []string{} }},
		Choices: map[string][]orm.Choice{"region": {
			{Value: "0", Label: "Region free"}, {Value: "1", Label: "Region 1 (Americas)"}, {Value: "2", Label: "Region 2 (Europe, Japan)"},
		}}}
}

// Member borrows items.
type Member struct {
	ID                int64
	FirstName         string                              `orm:"max_length=60"`
	LastName          string                              `orm:"max_length=60"`
	CardNumber        string                              `orm:"max_length=10,unique,db_column=card_no"`
	Email             string                              `orm:"type=email,blank"`
	JoinedOn          time.Time                           `orm:"type=date"`
	BirthDate         *time.Time                          `orm:"type=date,blank"`
	AcceptsNewsletter *bool                               `orm:"null,help_text=Unknown means the member was never asked."`
	Preferences       map[string]any                      `orm:"type=json,blank"`
	Country           orm.ForeignKeyTo[Country, string]   `orm:"on_delete=protect,related_name=members"`
	HomeBranch        orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"null,blank,on_delete=set_null,related_name=home_members"`
	PreferredBranches orm.ManyToManyTo[Branch, uuid.UUID] `orm:"blank,related_name=fans"`
	Friends           orm.ManyToMany[Member]              `orm:"blank"`
	Sponsors          orm.ManyToMany[Member]              `orm:"blank,symmetrical=false,related_name=sponsored_members"`
	Notes             orm.GenericRelation[Note]

	LoansOut int64 `orm:"annotation"` // MemberAdmin's count of unreturned loans
}

func (m *Member) String() string { return m.FirstName + " " + m.LastName }

// Meta gives Django's options.
func (Member) Meta() orm.Meta {
	return orm.Meta{Table: "library_member", Ordering: []string{"last_name", "first_name"},
		IndexTogether: [][]string{{"last_name", "first_name"}},
		Defaults:      map[string]func() any{"preferences": func() any { return map[string]any{} }}}
}

// Loan is an item lent to a member; its table is named by db_table.
type Loan struct {
	ID         int64
	LoanedAt   time.Time
	DueOn      time.Time                           `orm:"type=date,db_column=due_date"`
	ReturnedAt *time.Time                          `orm:"blank"`
	Renewals   uint16                              `orm:"default=0"`
	Fine       decimal.Decimal                     `orm:"max_digits=6,decimal_places=2,default=0"`
	Branch     orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"on_delete=protect,related_name=loans"`
	Item       orm.ForeignKey[Item]                `orm:"on_delete=cascade,related_name=loans"`
	Member     orm.ForeignKey[Member]              `orm:"on_delete=cascade,related_name=loans"`
	Notes      orm.GenericRelation[Note]
}

// String is "<item title> → <member>", of the item and member a query
// loaded with the loan (the admins select them); "loan <id>" without them.
func (l *Loan) String() string {
	it, ok1 := l.Item.Get()
	m, ok2 := l.Member.Get()
	if !ok1 || !ok2 {
		return fmt.Sprintf("loan %d", l.ID)
	}
	return it.Title + " → " + m.String()
}

// Meta gives Django's options.
func (Loan) Meta() orm.Meta {
	return orm.Meta{Table: "lending_loan", Ordering: []string{"-loaned_at"}, VerboseName: "prêt", VerboseNamePlural: "prêts",
		Indexes: []orm.Index{{Fields: []string{"member", "-loaned_at"}, Name: "loan_member_recent_idx"}}}
}

// Today is the date on Paris clocks, as Django's timezone.localdate.
func Today() time.Time {
	y, m, d := time.Now().In(Paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// OverdueLoan is a proxy of Loan: the loans not returned and due before
// today, with their own admin, content type and permissions.
type OverdueLoan struct{ Loan }

// Meta gives Django's options: the proxy's default manager keeps the
// overdue loans only.
func (OverdueLoan) Meta() orm.Meta {
	return orm.Meta{Proxy: true, Ordering: []string{"due_on"}, VerboseName: "overdue loan",
		DefaultFilter: func() orm.Expr {
			return orm.Q{"returned_at__isnull": true, "due_on__lt": Today()}
		}}
}

// Reservation holds an item for a member.
type Reservation struct {
	ID           int64
	CreatedAt    time.Time
	Status       string                              `orm:"max_length=10,default=waiting,choices=waiting:Waiting|ready:Ready for pickup|fulfilled:Fulfilled|cancelled:Cancelled"`
	HoldFor      time.Duration                       `orm:"default=168h"`
	Item         orm.ForeignKey[Item]                `orm:"on_delete=cascade,related_name=reservations"`
	Member       orm.ForeignKey[Member]              `orm:"on_delete=cascade,related_name=reservations"`
	PickupBranch orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"on_delete=protect,related_name=+"`
}

// String is "<member> wants <item title>", of the member and item a query
// loaded with the reservation (the admins select them); "reservation
// <id>" without them.
func (r *Reservation) String() string {
	it, ok1 := r.Item.Get()
	m, ok2 := r.Member.Get()
	if !ok1 || !ok2 {
		return fmt.Sprintf("reservation %d", r.ID)
	}
	return m.String() + " wants " + it.Title
}

// Meta gives Django's options.
func (Reservation) Meta() orm.Meta {
	return orm.Meta{Table: "library_reservation", Ordering: []string{"-created_at"},
		Constraints: []orm.UniqueConstraint{{Name: "one_open_reservation_per_item", Fields: []string{"member", "item"},
			Condition: orm.Q{"status__in": []string{"waiting", "ready"}}}}}
}

// Note is a remark about a member, an item or a loan: a generic foreign
// key.
type Note struct {
	ID            int64
	ObjectID      uint32
	Text          string `orm:"type=text"`
	CreatedAt     time.Time
	Pinned        bool                                    `orm:"default=false"`
	Author        orm.ForeignKey[auth.User]               `orm:"null,blank,on_delete=set_null,related_name=library_notes"`
	ContentType   orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade"`
	ContentObject orm.GenericForeignKey
}

func (n *Note) String() string {
	if utf8.RuneCountInString(n.Text) > 40 {
		return string([]rune(n.Text)[:39]) + "…"
	}
	return n.Text
}

// Meta gives Django's options.
func (Note) Meta() orm.Meta {
	return orm.Meta{Table: "library_note", Ordering: []string{"-created_at"},
		Indexes:  []orm.Index{{Fields: []string{"content_type", "object_id"}, Name: "note_target_idx"}},
		Defaults: map[string]func() any{"created_at": func() any { return time.Now() }}}
}

// App returns the library app.
func App() orm.AppConfig {
	// Django 3.2's DEFAULT_AUTO_FIELD: 32-bit keys, and so the columns
	// that point at them.
	return orm.AppConfig{Name: "library", DefaultAutoField: "auto", Models: []any{
		Country{}, Branch{}, OpeningHours{}, Author{}, Publisher{}, Item{}, Book{}, DVD{},
		Member{}, Loan{}, OverdueLoan{}, Reservation{}, Note{},
	}}
}

// age is the member's age on day, or -1 without a birth date.
func (m *Member) age(day time.Time) int {
	if m.BirthDate == nil {
		return -1
	}
	b := *m.BirthDate
	years := day.Year() - b.Year()
	if day.Month() < b.Month() || day.Month() == b.Month() && day.Day() < b.Day() {
		years--
	}
	return years
}
