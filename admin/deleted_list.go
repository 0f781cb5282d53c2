package admin

import (
	"fmt"
	"net/http"

	"github.com/staffroom/staffroom/orm"
)

// DefaultDeletedObjectsMax is how many objects of each kind a delete
// page lists when ModelAdmin.DeletedObjectsMax is not set.
const DefaultDeletedObjectsMax = 100

// deletedLister turns a collected deletion into the nested list of the
// delete pages. Past max objects of a kind, a list shows "and N more
// <kind>" in their place, so deleting a publisher of 100,000 books
// renders a page of a few hundred lines; the summary's counts and the
// permission check still cover every object.
type deletedLister struct {
	a      *ModelAdmin
	r      *http.Request
	max    int
	listed map[any]int // objects listed so far, by model (or join field)
	needed map[string]bool
	out    *DeletedObjects
}

func (a *ModelAdmin) newDeletedLister(r *http.Request, out *DeletedObjects) *deletedLister {
	limit := a.DeletedObjectsMax
	if limit <= 0 {
		limit = DefaultDeletedObjectsMax
	}
	return &deletedLister{a: a, r: r, max: limit, listed: map[any]int{}, needed: map[string]bool{}, out: out}
}

// list lists nodes (the roots, or an object's dependents) and the join
// rows links, each kind up to the limit, then the "and N more" lines.
func (l *deletedLister) list(nodes []*orm.DeleteNode, links []orm.Link) []*DeletedItem {
	var out []*DeletedItem
	more := newMoreCounter()
	for _, n := range nodes {
		if l.listed[n.Model] >= l.max {
			l.check(n)
			more.add(n.Model, n.Model.VerboseName, n.Model.VerboseNamePlural)
			continue
		}
		l.listed[n.Model]++
		out = append(out, l.item(n))
	}
	for _, link := range links {
		if l.listed[link.Field] >= l.max {
			name := link.VerboseName()
			more.add(link.Field, name, name+"s")
			continue
		}
		l.listed[link.Field]++
		out = append(out, &DeletedItem{Label: orm.Capfirst(link.VerboseName()), Text: link.String()})
	}
	return append(out, more.items()...)
}

// item is one listed object with what cascades from it.
func (l *deletedLister) item(n *orm.DeleteNode) *DeletedItem {
	l.checkOne(n)
	item := l.a.site.describeObject(n.Model, n.Object)
	item.Children = l.list(n.Children, n.Links)
	return item
}

// check checks the permission to delete an object left unlisted and
// everything under it.
func (l *deletedLister) check(n *orm.DeleteNode) {
	l.checkOne(n)
	for _, c := range n.Children {
		l.check(c)
	}
}

// checkOne adds the object's kind to PermsNeeded when the user may not
// delete it, as Django's get_deleted_objects.
func (l *deletedLister) checkOne(n *orm.DeleteNode) {
	ma := l.a.site.registered(n.Model)
	if ma == nil || l.needed[n.Model.VerboseName] || ma.HasDeletePermission(l.r, n.Object) {
		return
	}
	l.needed[n.Model.VerboseName] = true
	l.out.PermsNeeded = append(l.out.PermsNeeded, n.Model.VerboseName)
}

// moreCounter counts the objects of each kind a list leaves out, in the
// order the kinds come.
type moreCounter struct {
	order []any
	n     map[any]int
	names map[any][2]string
}

func newMoreCounter() *moreCounter {
	return &moreCounter{n: map[any]int{}, names: map[any][2]string{}}
}

func (m *moreCounter) add(kind any, singular, plural string) {
	if m.n[kind] == 0 {
		m.order = append(m.order, kind)
		m.names[kind] = [2]string{singular, plural}
	}
	m.n[kind]++
}

// items are the "and N more books" lines.
func (m *moreCounter) items() []*DeletedItem {
	var out []*DeletedItem
	for _, kind := range m.order {
		name := m.names[kind][1]
		if m.n[kind] == 1 {
			name = m.names[kind][0]
		}
		out = append(out, &DeletedItem{Text: fmt.Sprintf("and %d more %s", m.n[kind], name)})
	}
	return out
}
