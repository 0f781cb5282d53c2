package library

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/orm"
)

// Register adds the library's models to the admin site, with the options
// of the Django project's admin.py. An admin whose autocomplete fields
// search another model's admin comes after it.
func Register(site *admin.Site) error {
	regs := []struct {
		model any
		admin admin.Admin
	}{
		{Country{}, countryAdmin()},
		{Branch{}, branchAdmin()},
		{OpeningHours{}, &admin.ModelAdmin{
			ListDisplay:       []any{"branch", "weekday", "opens", "closes"},
			ListFilter:        []any{"weekday", "branch"},
			ListSelectRelated: []string{"branch"},
		}},
		{Author{}, authorAdmin()},
		{Publisher{}, &admin.ModelAdmin{
			ListDisplay:  []any{"name", "country"},
			ListFilter:   []any{"country"},
			SearchFields: []string{"name"},
		}},
		{Member{}, memberAdmin()},
		{Item{}, itemAdmin()},
		{Book{}, bookAdmin()},
		{DVD{}, dvdAdmin()},
		{Loan{}, loanAdmin()},
		{OverdueLoan{}, overdueLoanAdmin()},
		{Reservation{}, reservationAdmin()},
		{Note{}, noteAdmin()},
	}
	for _, r := range regs {
		if err := site.Register(r.model, r.admin); err != nil {
			return err
		}
	}
	return nil
}

// notes is the inline every model with notes shares: a generic tabular
// inline of Note over content_type and object_id.
func notes() *admin.GenericTabularInline {
	in := admin.GenericTabular(Note{})
	in.Fields = []string{"text", "pinned", "author", "created_at"}
	in.ReadonlyFields = []string{"created_at"}
	in.RawIDFields = []string{"author"}
	zero := 0
	in.Extra = &zero
	return in
}

// CountryAdmin lists each country with its number of branches, a column
// sorted by that count.
type CountryAdmin struct{ admin.ModelAdmin }

// GetQueryset counts each country's branches.
func (a *CountryAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	return a.ModelAdmin.GetQueryset(r).Annotate(orm.Count("branches").As("branch_count"))
}

func countryAdmin() *CountryAdmin {
	return &CountryAdmin{admin.ModelAdmin{
		ListDisplay: []any{"code", "name",
			admin.Column("branches", func(c *Country) int64 { return c.BranchCount }, admin.Ordering("branch_count"))},
		SearchFields: []string{"code", "name"},
		Ordering:     []string{"name"},
	}}
}

func branchAdmin() *admin.ModelAdmin {
	hours := admin.Tabular(OpeningHours{})
	zero := 0
	hours.Extra, hours.MaxNum = &zero, 7
	return &admin.ModelAdmin{
		ListDisplay:        []any{"name", "city", "country", "is_open", "opened_on"},
		ListFilter:         []any{"is_open", "country"},
		SearchFields:       []string{"name", "city", "country__name"},
		PrepopulatedFields: map[string][]string{"slug": {"name"}},
		ReadonlyFields:     []string{"id"},
		Fieldsets: []admin.Fieldset{
			{Lines: admin.Lines("id", "name", "slug")},
			{Name: "Location", Lines: admin.Lines("city", "country", "address")},
			{Name: "Status", Lines: admin.Lines("is_open", "opened_on")},
		},
		Inlines: []admin.Inline{hours},
	}
}

// AuthorAdmin lists each author with the number of their books.
type AuthorAdmin struct{ admin.ModelAdmin }

// GetQueryset counts each author's books.
func (a *AuthorAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	return a.ModelAdmin.GetQueryset(r).Annotate(orm.Count("books").As("book_count"))
}

func authorAdmin() *AuthorAdmin {
	return &AuthorAdmin{admin.ModelAdmin{
		ListDisplay: []any{"name", "country", "born",
			admin.Column("books", func(a *Author) int64 { return a.BookCount }, admin.Ordering("book_count"))},
		ListFilter:   []any{"country"},
		SearchFields: []string{"name"},
	}}
}

// availability is the items' "availability" filter: on the shelf (no
// loan out) or on loan.
var availability = &admin.SimpleListFilter{
	Title:         "availability",
	ParameterName: "available",
	Lookups: func(*http.Request, admin.Admin) [][2]string {
		return [][2]string{{"yes", "On the shelf"}, {"no", "On loan"}}
	},
	Queryset: func(r *http.Request, qs orm.QuerySet, value string) (orm.QuerySet, error) {
		out := orm.Q{"loans__returned_at__isnull": true}
		switch value {
		case "yes":
			return qs.Exclude(out), nil
		case "no":
			return qs.Filter(out).Distinct(), nil
		}
		return qs, nil
	},
}

// ItemAdmin tells each item's kind by the child rows it has.
type ItemAdmin struct{ admin.ModelAdmin }

// GetQueryset counts each item's book and DVD rows (one or none).
func (a *ItemAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	return a.ModelAdmin.GetQueryset(r).Annotate(orm.Count("book").As("book_rows"), orm.Count("dvd").As("dvd_rows"))
}

func itemAdmin() *ItemAdmin {
	return &ItemAdmin{admin.ModelAdmin{
		ListDisplay:       []any{"title", admin.Column("kind", itemKind), "barcode", "branch", "condition", "price"},
		ListFilter:        []any{availability, "condition", "branch", "is_reference"},
		SearchFields:      []string{"title", "=barcode", "branch__name"},
		ListSelectRelated: []string{"branch"},
		Inlines:           []admin.Inline{notes()},
	}}
}

// itemKind tells a book from a DVD by the child rows ItemAdmin counted.
func itemKind(i *Item) string {
	switch {
	case i.BookRows > 0:
		return "Book"
	case i.DVDRows > 0:
		return "DVD"
	}
	return "Other"
}

// thisCopy is the fieldset of an item's own fields on a book's or a
// DVD's page.
var thisCopy = admin.Fieldset{Name: "This copy", Lines: admin.Lines("barcode", "branch", "acquired_on", "price", "condition", "is_reference")}

func bookAdmin() *BookAdmin {
	reservations := admin.Tabular(Reservation{})
	reservations.Fields = []string{"member", "pickup_branch", "created_at", "status"}
	reservations.AutocompleteFields = []string{"member"}
	zero := 0
	reservations.Extra = &zero
	return &BookAdmin{admin.ModelAdmin{
		ListDisplay:        []any{"title", "isbn", admin.Column("authors", bookAuthors), "publisher", "language", "branch", "price"},
		ListFilter:         []any{"language", "condition", "branch", "publisher__country"},
		SearchFields:       []string{"title", "=isbn", "authors__name", "publisher__name"},
		AutocompleteFields: []string{"authors", "publisher"},
		ListSelectRelated:  []string{"publisher", "branch"},
		Fieldsets: []admin.Fieldset{
			{Name: "Catalogue", Lines: admin.Lines("title", "isbn", "authors", "publisher", "language", "pages", "published_on")},
			thisCopy,
		},
		Inlines: []admin.Inline{notes(), reservations},
	}}
}

// bookAuthors are the book's authors' names, joined with ", ", as
// BookAdmin's queryset prefetched them.
func bookAuthors(b *Book) string {
	authors, _ := b.Authors.Objects()
	names := make([]string, 0, len(authors))
	for _, a := range authors {
		names = append(names, a.Name)
	}
	return strings.Join(names, ", ")
}

// BookAdmin prefetches the books' authors for its "authors" column.
type BookAdmin struct{ admin.ModelAdmin }

// GetQueryset prefetches the authors: one query for a page.
func (a *BookAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	return a.ModelAdmin.GetQueryset(r).PrefetchRelated("authors")
}

func dvdAdmin() *admin.ModelAdmin {
	collapsed := thisCopy
	collapsed.Classes = []string{"collapse"}
	return &admin.ModelAdmin{
		ListDisplay:  []any{"title", "director", "runtime", "region", "branch", "condition"},
		ListFilter:   []any{"region", "condition", "branch"},
		SearchFields: []string{"title", "director"},
		Fieldsets: []admin.Fieldset{
			{Lines: admin.Lines("title", "director", "runtime", "region", "subtitles")},
			collapsed,
		},
		Inlines: []admin.Inline{notes()},
	}
}

// ageGroup is the members' "age group" filter, on Paris's today.
var ageGroup = &admin.SimpleListFilter{
	Title:         "age group",
	ParameterName: "age",
	Lookups: func(*http.Request, admin.Admin) [][2]string {
		return [][2]string{{"child", "Under 18"}, {"adult", "18 to 64"}, {"senior", "65 and over"}, {"unknown", "Unknown"}}
	},
	Queryset: func(r *http.Request, qs orm.QuerySet, value string) (orm.QuerySet, error) {
		today := Today()
		born := func(years int) time.Time { return today.AddDate(-years, 0, 0) }
		switch value {
		case "child":
			return qs.Filter(orm.Q{"birth_date__gt": born(18)}), nil
		case "adult":
			return qs.Filter(orm.Q{"birth_date__lte": born(18), "birth_date__gt": born(65)}), nil
		case "senior":
			return qs.Filter(orm.Q{"birth_date__lte": born(65)}), nil
		case "unknown":
			return qs.Filter(orm.Q{"birth_date__isnull": true}), nil
		}
		return qs, nil
	},
}

// MemberAdmin counts each member's loans out.
type MemberAdmin struct{ admin.ModelAdmin }

// GetQueryset counts each member's unreturned loans.
func (a *MemberAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	return a.ModelAdmin.GetQueryset(r).Annotate(
		orm.Count("loans", orm.Where(orm.Q{"loans__returned_at__isnull": true})).As("loans_out"))
}

func memberAdmin() *MemberAdmin {
	loans := admin.Tabular(Loan{})
	loans.Fields = []string{"item", "branch", "loaned_at", "due_on", "returned_at", "fine"}
	loans.RawIDFields = []string{"item"}
	loans.ShowChangeLink = true
	zero := 0
	loans.Extra = &zero
	loansOut := admin.Column("loans out", func(m *Member) int64 { return m.LoansOut }, admin.Ordering("loans_out"))
	return &MemberAdmin{admin.ModelAdmin{
		ListDisplay: []any{
			admin.Column("name", func(m *Member) string { return strings.ToUpper(m.LastName) + ", " + m.FirstName }, admin.Ordering("last_name")),
			"card_number", "email", "country", "home_branch", "accepts_newsletter", "joined_on", loansOut,
		},
		ListDisplayLinks:   []string{"name", "card_number"},
		ListFilter:         []any{ageGroup, "accepts_newsletter", "country", "home_branch", "joined_on"},
		SearchFields:       []string{"last_name", "first_name", "=card_number", "email", "country__name", "home_branch__name"},
		ListPerPage:        50,
		ReadonlyFields:     []string{"loans_out"},
		FilterHorizontal:   []string{"preferred_branches", "friends"},
		RawIDFields:        []string{"sponsors"},
		AutocompleteFields: []string{"country"},
		Fieldsets: []admin.Fieldset{
			{Lines: [][]string{{"first_name", "last_name"}, {"card_number"}, {"email"}, {"birth_date"}}},
			{Name: "Membership", Lines: admin.Lines("country", "joined_on", "home_branch", "preferred_branches", "accepts_newsletter", "preferences", "loans_out")},
			{Name: "Relations", Classes: []string{"collapse"}, Description: "Friends are mutual; a sponsor vouched for this member.",
				Lines: admin.Lines("friends", "sponsors")},
		},
		Inlines: []admin.Inline{loans, notes()},
	}}
}

// loanState is the loans' "state" filter.
var loanState = &admin.SimpleListFilter{
	Title:         "state",
	ParameterName: "state",
	Lookups: func(*http.Request, admin.Admin) [][2]string {
		return [][2]string{{"out", "Out"}, {"overdue", "Overdue"}, {"returned", "Returned"}}
	},
	Queryset: func(r *http.Request, qs orm.QuerySet, value string) (orm.QuerySet, error) {
		switch value {
		case "out":
			return qs.Filter(orm.Q{"returned_at__isnull": true}), nil
		case "overdue":
			return qs.Filter(orm.Q{"returned_at__isnull": true, "due_on__lt": Today()}), nil
		case "returned":
			return qs.Filter(orm.Q{"returned_at__isnull": false}), nil
		}
		return qs, nil
	},
}

// overdue reports whether a loan is out past its due date.
func overdue(l *Loan) bool { return l.ReturnedAt == nil && l.DueOn.Before(Today()) }

func loanAdmin() *admin.ModelAdmin {
	return &admin.ModelAdmin{
		ListDisplay: []any{"id", "item", "member", "branch", "loaned_at", "due_on", "returned_at",
			admin.Column("overdue", overdue, admin.Boolean()), "fine"},
		ListFilter:         []any{loanState, "branch", "loaned_at", "due_on"},
		DateHierarchy:      "loaned_at",
		SearchFields:       []string{"item__title", "member__last_name", "=member__card_number", "item__book__authors__name"},
		ListSelectRelated:  []string{"item", "member", "branch"},
		RawIDFields:        []string{"item"},
		AutocompleteFields: []string{"member"},
		ReadonlyFields:     []string{"renewals"},
		Fieldsets: []admin.Fieldset{
			{Lines: admin.Lines("item", "member", "branch")},
			{Name: "Dates", Lines: admin.Lines("loaned_at", "due_on", "returned_at", "renewals")},
			{Name: "Money", Lines: admin.Lines("fine")},
		},
		Inlines: []admin.Inline{notes()},
	}
}

// markReturned is the overdue loans' action: returned now.
var markReturned = admin.Action{
	Name: "mark_returned", Description: "Mark selected loans as returned now", Permissions: []string{"change"},
	Func: func(w http.ResponseWriter, r *http.Request, ma admin.Admin, qs orm.QuerySet) error {
		n, err := qs.Update(r.Context(), map[string]any{"returned_at": time.Now()})
		if err != nil {
			return err
		}
		ma.MessageUser(r, flash.Success, fmt.Sprintf("%d loans marked as returned.", n))
		return nil
	},
}

// OverdueLoanAdmin may not add: an overdue loan is a loan that became
// one.
type OverdueLoanAdmin struct{ admin.ModelAdmin }

// HasAddPermission is false: no add button or page.
func (a *OverdueLoanAdmin) HasAddPermission(r *http.Request) bool { return false }

func overdueLoanAdmin() *OverdueLoanAdmin {
	return &OverdueLoanAdmin{admin.ModelAdmin{
		ListDisplay: []any{"member", "item", "branch", "due_on",
			admin.Column("days overdue", func(l *OverdueLoan) int { return int(Today().Sub(l.DueOn).Hours() / 24) })},
		ListFilter:        []any{"branch"},
		SearchFields:      []string{"member__last_name", "item__title"},
		Ordering:          []string{"due_on"},
		ListSelectRelated: []string{"item", "member", "branch"},
		Fields:            []string{"item", "member", "branch", "loaned_at", "due_on", "returned_at", "fine"},
		ReadonlyFields:    []string{"item", "member", "branch", "loaned_at", "due_on"},
		Actions:           []admin.Action{markReturned},
	}}
}

func reservationAdmin() *admin.ModelAdmin {
	return &admin.ModelAdmin{
		ListDisplay:        []any{"member", "item", "pickup_branch", "created_at", "status", "hold_for"},
		ListEditable:       []string{"status"},
		ListFilter:         []any{"status", "pickup_branch", "created_at"},
		SearchFields:       []string{"member__last_name", "item__title"},
		ListSelectRelated:  []string{"member", "item", "pickup_branch"},
		RawIDFields:        []string{"item"},
		AutocompleteFields: []string{"member"},
	}
}

// NoteAdmin loads what each note is about with the page.
type NoteAdmin struct{ admin.ModelAdmin }

// GetQueryset prefetches the notes' objects: a query per kind of object.
func (a *NoteAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	return a.ModelAdmin.GetQueryset(r).PrefetchRelated("content_object")
}

// about is the text of the object a note is about, or "—".
func about(n *Note) string {
	obj, ok := n.ContentObject.Get()
	if !ok {
		return "—"
	}
	return fmt.Sprint(obj)
}

func noteAdmin() *NoteAdmin {
	return &NoteAdmin{admin.ModelAdmin{
		ListDisplay:   []any{"__str__", "content_type", "object_id", admin.Column("about", about), "author", "pinned", "created_at"},
		ListFilter:    []any{"content_type", "pinned", "author"},
		SearchFields:  []string{"text"},
		RawIDFields:   []string{"author"},
		DateHierarchy: "created_at",
	}}
}
