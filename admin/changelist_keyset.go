package admin

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// Keyset paging (beyond Django). A deep page by OFFSET makes the database
// read and drop every row before it: page 9,000 of a million books reads
// 900,000 index entries. So the change list's "Next" link carries the
// sort key of the page's last row ("_after"), and the next page is
// "the rows after that key" — a range the ordering's index serves — when
// the ordering allows it: every term a non-null column of the model
// itself or, for a multi-table child, of its parents (the child's key is
// the parent link, so a book's list pages by the item's title and id),
// total (ending with the primary key or a unique column, as the change
// list's orderings always are). Page numbers still page by OFFSET.

// paramAfter is the query parameter of the key the page starts after.
const paramAfter = "_after"

// keyset is an ordering keyset paging can compare: its fields and their
// directions.
type keyset struct {
	fields []*orm.Field
	desc   []bool
}

// newKeyset returns the keyset of order on m, and false when a term is a
// path, a nullable field or not a column, or the ordering is not total.
func newKeyset(m *orm.Model, order []string) (keyset, bool) {
	var ks keyset
	total := false
	for _, o := range order {
		name := strings.TrimPrefix(o, "-")
		f := m.Field(name)
		if f == nil || !f.Concrete() || f.Null || f.Model != m.ConcreteModel() && !f.Inherited() {
			return keyset{}, false
		}
		ks.fields = append(ks.fields, f)
		ks.desc = append(ks.desc, strings.HasPrefix(o, "-"))
		total = total || f == m.PK || f.Unique
	}
	return ks, total && len(ks.fields) > 0
}

// cursor is a page's start: its number and the key of the row before it.
type cursor struct {
	Page int      `json:"p"`
	Key  []string `json:"k"`
}

// encode writes the cursor of page, which starts after obj.
func (ks keyset) encode(page int, obj any) string {
	c := cursor{Page: page}
	for _, f := range ks.fields {
		c.Key = append(c.Key, f.Format(f.Get(obj)))
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// after decodes a cursor for page and returns the condition selecting
// the rows after its key; false when the cursor is not one of this
// ordering's for this page (then the page is read by OFFSET).
func (ks keyset) after(s string, page int) (orm.Expr, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err != nil || json.Unmarshal(b, &c) != nil || c.Page != page || len(c.Key) != len(ks.fields) {
		return nil, false
	}
	values := make([]any, len(c.Key))
	for i, f := range ks.fields {
		v, err := f.Parse(c.Key[i])
		if err != nil || v == nil {
			return nil, false
		}
		values[i] = v
	}
	// (a after va) OR (a = va AND b after vb) OR ...
	var alts []orm.Expr
	for i := range ks.fields {
		var terms []orm.Expr
		for j := 0; j < i; j++ {
			terms = append(terms, orm.Q{ks.fields[j].Name: values[j]})
		}
		op := "__gt"
		if ks.desc[i] {
			op = "__lt"
		}
		terms = append(terms, orm.Q{ks.fields[i].Name + op: values[i]})
		alts = append(alts, orm.And(terms...))
	}
	return orm.Or(alts...), true
}

// keysetPage is the query of the page the request's cursor starts, and
// whether there is one.
func (cl *ChangeList) keysetPage() (orm.QuerySet, bool) {
	ks, ok := newKeyset(cl.a.model, cl.Ordering)
	if !ok || cl.q.after == "" || cl.ShowAll {
		return orm.QuerySet{}, false
	}
	cond, ok := ks.after(cl.q.after, cl.Page)
	if !ok {
		return orm.QuerySet{}, false
	}
	return cl.Queryset.Filter(cond).Limit(cl.Paginator.PerPage()), true
}

// nextURL is the "Next" link of a full page that is not the last: the
// next page number with the cursor after the page's last row, or by
// number alone when the ordering has no keyset.
func (cl *ChangeList) nextURL() string {
	per := cl.Paginator.PerPage()
	if cl.ShowAll || len(cl.Results) < per || cl.Page >= cl.NumPages && cl.CountKind == CountExact {
		return ""
	}
	next := strconv.Itoa(cl.Page + 1)
	ks, ok := newKeyset(cl.a.model, cl.Ordering)
	if !ok {
		return cl.q.link(map[string]string{paramPage: next})
	}
	return cl.q.link(map[string]string{paramPage: next, paramAfter: ks.encode(cl.Page+1, cl.Results[len(cl.Results)-1])})
}
