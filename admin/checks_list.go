package admin

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// checkListDisplay checks ListDisplay, ListDisplayLinks and SortableBy.
func (c *checker) checkListDisplay(a *ModelAdmin) {
	m := a.model
	names := map[string]*column{}
	for i, item := range a.ListDisplay {
		option := fmt.Sprintf("ListDisplay[%d]", i)
		col, err := a.resolveColumn(item)
		if err == nil {
			names[col.name] = col
			continue
		}
		switch x := item.(type) {
		case string:
			if f := m.Field(x); f != nil && f.Kind == orm.KindManyToMany {
				c.errorf("admin.E109", option, x, "Show a computed column that joins the related objects (admin.Column) instead.",
					"must not be a many-to-many field.")
				continue
			}
			if f := m.Field(x); f != nil && f.Kind == orm.KindGenericRelation {
				// Django 4.0's wording: a generic relation is one-to-many.
				c.errorf("admin.E109", option, x, "Show a computed column that joins the related objects (admin.Column) instead.",
					"must not be a many-to-many field or a reverse foreign key.")
				continue
			}
			c.errorf("admin.E108", option, x,
				fmt.Sprintf("Name a field of %s, a method of %s taking the object, or a method of *%s taking no arguments (in snake_case), or use admin.Column.", m.Label(), c.admin, m.Name),
				"refers to '%s', which is not a callable, an attribute of '%s', or an attribute or method on '%s'.", x, c.admin, m.Label())
		case *Col:
			if ft := x.fn.Type(); x.fn.Kind() != reflect.Func || ft.NumIn() != 1 || ft.In(0) != reflect.PointerTo(m.Type()) || ft.NumOut() != 1 {
				c.errorf("staffroom.E002", option, x.header, fmt.Sprintf("The function of admin.Column must be a func(*%s) V.", m.Name),
					"is the column '%s', whose function is a %v.", x.header, ft)
				continue
			}
			c.errorf("staffroom.E003", option, x.order, "admin.Ordering takes a field path of the model, e.g. 'publisher__name'.",
				"is the column '%s', whose ordering '%s' does not resolve: %v.", x.header, x.order, err)
		default:
			c.errorf("staffroom.E004", option, fmt.Sprintf("%v (%T)", item, item), "Give a field name, a method name or an admin.Column.",
				"is a %T, which a column cannot be made from.", item)
		}
	}
	if len(a.ListDisplay) == 0 {
		names["__str__"] = &column{name: "__str__"}
	}
	for i, name := range a.ListDisplayLinks {
		if names[name] == nil && !inListDisplay(a.ListDisplay, name) {
			c.errorf("admin.E111", fmt.Sprintf("ListDisplayLinks[%d]", i), name, "Links go on columns of ListDisplay; add it there or remove it here.",
				"refers to '%s', which is not defined in 'ListDisplay'.", name)
		}
	}
	for i, name := range a.SortableBy {
		option := fmt.Sprintf("SortableBy[%d]", i)
		switch col := names[name]; {
		case col == nil && !inListDisplay(a.ListDisplay, name):
			c.errorf("staffroom.E006", option, name, "SortableBy names columns of ListDisplay.",
				"refers to '%s', which is not defined in 'ListDisplay'.", name)
		case col != nil && col.order == "":
			c.warnf("staffroom.W001", option, name, "Give the column an ordering with admin.Ordering, or leave it out of SortableBy.",
				"refers to the column '%s', which cannot be sorted.", name)
		}
	}
}

// inListDisplay reports whether ListDisplay has an entry called name,
// resolvable or not, so that one bad column gives one message.
func inListDisplay(items []any, name string) bool {
	for _, item := range items {
		if columnName(item) == name {
			return true
		}
	}
	return false
}

// checkListFilter checks the values of ListFilter.
func (c *checker) checkListFilter(a *ModelAdmin) {
	params := map[string]int{}
	for i, entry := range a.ListFilter {
		option := fmt.Sprintf("ListFilter[%d]", i)
		switch x := entry.(type) {
		case string:
			c.checkFilterPath(a.model, option, x, FilterAuto)
		case FieldFilter:
			if x.Kind < FilterAuto || x.Kind > FilterRelated {
				c.errorf("admin.E115", option+".Kind", fmt.Sprint(int(x.Kind)), "Use one of the admin.Filter* kinds.",
					"must be one of the FieldFilterKind constants.")
				continue
			}
			c.checkFilterPath(a.model, option+".Path", x.Path, x.Kind)
			c.checkTemplate("staffroom.E011", option+".Template", x.Template)
		case *SimpleListFilter:
			switch {
			case x == nil:
				c.errorf("admin.E113", option, "nil", "Remove the entry or give a *SimpleListFilter.", "is a nil *SimpleListFilter.")
				continue
			case x.Title == "" || x.ParameterName == "":
				c.errorf("staffroom.E007", option, x.ParameterName, "Set both Title and ParameterName.",
					"is a SimpleListFilter without a Title or a ParameterName.")
			case x.Lookups == nil || x.Queryset == nil:
				c.errorf("staffroom.E008", option, x.ParameterName, "Set both Lookups and Queryset.",
					"is the SimpleListFilter '%s', which lacks Lookups or Queryset.", x.ParameterName)
			case reservedParams[x.ParameterName]:
				c.errorf("staffroom.E009", option, x.ParameterName, "Choose another ParameterName.",
					"uses the parameter name '%s', which is one of the change list's own.", x.ParameterName)
			}
			if j, dup := params[x.ParameterName]; dup && x.ParameterName != "" {
				c.errorf("staffroom.E010", option, x.ParameterName, fmt.Sprintf("ListFilter[%d] uses it already; give each filter its own.", j),
					"uses the parameter name '%s' a second time.", x.ParameterName)
			}
			params[x.ParameterName] = i
			c.checkTemplate("staffroom.E011", option+".Template", x.Template)
		case ListFilter:
		default:
			c.errorf("admin.E113", option, fmt.Sprintf("%v (%T)", entry, entry), "Give a field path, an admin.FieldFilter or a ListFilter such as *admin.SimpleListFilter.",
				"must be a field path, a FieldFilter or a ListFilter, not a %T.", entry)
		}
	}
}

// checkFilterPath checks a field filter's path, and that its kind fits
// the field it reaches.
func (c *checker) checkFilterPath(m *orm.Model, option, path string, kind FieldFilterKind) {
	f, reverse := fieldPath(m, path)
	if f == nil {
		c.errorf("admin.E116", option, path, "Filter by a field or a path across relations, e.g. 'publisher__name'.",
			"refers to '%s', which does not refer to a field of '%s'.", path, m.Label())
		return
	}
	if f.Kind == orm.KindGenericRelation {
		c.errorf("staffroom.E014", option, path, fmt.Sprintf("Filter by a field of the related objects across it, e.g. '%s__pk'.", path),
			"refers to '%s', a generic relation, which no filter kind filters by itself.", path)
		return
	}
	fits := true
	switch kind {
	case FilterRelated, FilterRelatedOnly:
		fits = reverse || f.IsRelation()
	case FilterBoolean:
		fits = !reverse && f.Kind == orm.KindBoolean
	case FilterChoices:
		fits = !reverse && len(f.Choices) > 0
	case FilterDate:
		fits = !reverse && (f.Kind == orm.KindDate || f.Kind == orm.KindDateTime)
	case FilterAllValues:
		fits = !reverse && f.Kind != orm.KindManyToMany
	case FilterEmpty:
		fits = emptyAllowed(f, reverse)
	}
	if !fits {
		c.errorf("staffroom.E014", option, path, "Use admin.FilterAuto to let the field choose its filter.",
			"refers to '%s', which the filter kind %d cannot filter.", path, int(kind))
	}
}

// fieldPath follows a lookup path ("publisher__name") from m and returns
// its last field, and whether it is a reverse relation (then the field is
// the foreign key on the other model); nil when the path does not
// resolve. Paths cross foreign keys, many-to-many fields, reverse
// relations and generic relations ("notes__text").
func fieldPath(m *orm.Model, path string) (*orm.Field, bool) {
	parts := strings.Split(path, "__")
	for i, part := range parts {
		last := i == len(parts)-1
		f := m.Field(part)
		if part == "pk" {
			f = m.PK
		}
		if f == nil {
			rel := m.RelatedByName(part)
			if rel == nil {
				return nil, false
			}
			if last {
				return rel, true
			}
			m = rel.Model
			continue
		}
		if last {
			return f, false
		}
		if !f.IsRelation() && f.Kind != orm.KindGenericRelation {
			return nil, false
		}
		m = f.Related
	}
	return nil, false
}

// checkListQuery checks the options shaping the change list's query:
// ListSelectRelated, ListPerPage, ListMaxShowAll and SearchFields.
func (c *checker) checkListQuery(a *ModelAdmin) {
	probe := c.site.db.Query(a.model)
	for i, name := range a.ListSelectRelated {
		if child := childOf(a.model, name); child != nil {
			// Django joins the reverse one-to-one and caches item.book; a
			// Go parent struct has no place for the child, so the option
			// would be ignored: refused, naming what serves instead.
			c.errorf("admin.E117", fmt.Sprintf("ListSelectRelated[%d]", i), name,
				fmt.Sprintf("Register %s's own admin for its fields; to tell the rows' kinds in the page's query, GetQueryset can annotate orm.Count(%q) into an `orm:\"annotation\"` field; a column can also read the child with DB.RelatedObjects or a query.", child.Label(), name),
				"refers to '%s', the multi-table child %s of '%s', which a parent's change list cannot load with its rows.", name, child.Label(), a.model.Label())
			continue
		}
		if _, _, err := probe.SelectRelated(name).SQL(); err != nil {
			c.errorf("admin.E117", fmt.Sprintf("ListSelectRelated[%d]", i), name, "Name foreign keys, or paths of them such as 'publisher__country'.",
				"refers to '%s', which is not a foreign key path of '%s': %v.", name, a.model.Label(), err)
		}
	}
	if a.ListPerPage < 0 {
		c.errorf("admin.E118", "ListPerPage", fmt.Sprint(a.ListPerPage), "Use a positive page size, or 0 for the default of 100.", "must not be negative.")
	}
	if a.ListMaxShowAll < 0 {
		c.errorf("admin.E119", "ListMaxShowAll", fmt.Sprint(a.ListMaxShowAll), "Use a positive count, or 0 for the default of 200.", "must not be negative.")
	}
	for i, sf := range a.SearchFields {
		_, _, err := probe.Filter(orm.Q{searchLookup(sf): "x"}).SQL()
		if err != nil {
			c.errorf("admin.E126", fmt.Sprintf("SearchFields[%d]", i), sf, "Search a field or a path across relations, e.g. 'publisher__name', optionally prefixed with '^', '=' or '@', or ending in a lookup such as '__exact'.",
				"refers to '%s', which is not a searchable field path of '%s': %v.", sf, a.model.Label(), err)
		}
	}
}

// checkListEditable checks ListEditable, Django's E121-E125.
func (c *checker) checkListEditable(a *ModelAdmin) {
	if _, ok := a.self.(ObjectIDer); ok && len(a.ListEditable) > 0 {
		c.errorf("staffroom.E016", "ListEditable", strings.Join(a.ListEditable, ", "),
			"Edit such objects on their own pages.",
			"is set on an admin that names its objects by ObjectID: the rows' hidden primary keys would show what the identifiers hide.")
	}
	for i, name := range a.ListEditable {
		option := fmt.Sprintf("ListEditable[%d]", i)
		f := a.model.Field(name)
		switch {
		case f == nil:
			c.missingField("admin.E121", option, name, a.model)
		case !inListDisplay(a.ListDisplay, name):
			c.errorf("admin.E122", option, name, "Add the field to ListDisplay too.",
				"refers to '%s', which is not contained in 'ListDisplay'.", name)
		case containsName(a.ListDisplayLinks, name):
			c.errorf("admin.E123", option, name, "A column either links to the object or edits it; remove it from one of them.",
				"refers to '%s', which cannot be in both 'ListEditable' and 'ListDisplayLinks'.", name)
		case a.ListDisplayLinks == nil && len(a.ListDisplay) > 0 && columnName(a.ListDisplay[0]) == name:
			c.errorf("admin.E124", option, name, "Set ListDisplayLinks to another column (or to an empty slice for none).",
				"refers to the first field in 'ListDisplay' ('%s'), which cannot be used unless 'ListDisplayLinks' is set.", name)
		case !f.Editable || f.PrimaryKey || f.IsAuto():
			c.errorf("admin.E125", option, name, "Only editable, non-key fields can be edited in the change list.",
				"refers to '%s', which is not editable through the admin.", name)
		}
	}
}

// checkDateHierarchy checks DateHierarchy, Django's E127 and E128.
func (c *checker) checkDateHierarchy(a *ModelAdmin) {
	if a.DateHierarchy == "" {
		return
	}
	f, reverse := fieldPath(a.model, a.DateHierarchy)
	switch {
	case f == nil:
		c.errorf("admin.E127", "DateHierarchy", a.DateHierarchy, "Name a date or date-time field, or a path to one such as 'publisher__founded'.",
			"refers to '%s', which does not refer to a field of '%s'.", a.DateHierarchy, a.model.Label())
	case reverse || (f.Kind != orm.KindDate && f.Kind != orm.KindDateTime):
		c.errorf("admin.E128", "DateHierarchy", a.DateHierarchy, "The date hierarchy drills down by year, month and day; name a date or date-time field.",
			"refers to '%s', which must be a date or date-time field (it is a %s).", a.DateHierarchy, f.Kind)
	}
}

// checkActions checks Actions: each has a name and a function, names are
// unique (Django's E130), and each permission has its Has*Permission
// method on the admin (Django's E129).
func (c *checker) checkActions(a *ModelAdmin) {
	seen := map[string]bool{}
	for _, act := range c.site.actions { // set before the site serves, as the admins are
		seen[act.Name] = true
	}
	self := reflect.ValueOf(a.self)
	for i, act := range a.Actions {
		option := fmt.Sprintf("Actions[%d]", i)
		if act.Name == "" || act.Func == nil {
			c.errorf("staffroom.E013", option, act.Name, "Give every action a Name and a Func.", "is an action without a Name or a Func.")
		}
		if act.Name != "" && seen[act.Name] {
			c.add(LevelError, "admin.E130", option+".Name", act.Name, "Rename one of the actions; the name is what the action menu posts.",
				"The names of the actions of %s must be unique. Name '%s' is not unique.", c.admin, act.Name)
		}
		seen[act.Name] = true
		for j, p := range act.Permissions {
			method := "Has" + camelCase(p) + "Permission"
			if p == "" || !self.MethodByName(method).IsValid() {
				c.add(LevelError, "admin.E129", fmt.Sprintf("%s.Permissions[%d]", option, j), p,
					fmt.Sprintf("Define %s(r *http.Request, obj any) bool on %s, or use view, add, change or delete.", method, c.admin),
					"%s must define a %s() method for the %s action.", c.admin, method, act.Name)
			}
		}
	}
}

// camelCase turns a permission codename into the middle of its method's
// name: "change" to "Change", "mark_paid" to "MarkPaid".
func camelCase(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		b.WriteString(orm.Capfirst(part))
	}
	return b.String()
}

// childOf returns the multi-table child of m whose reverse name begins
// path ("book", "book__publisher"), or nil.
func childOf(m *orm.Model, path string) *orm.Model {
	name, _, _ := strings.Cut(path, "__")
	if f := m.RelatedByName(name); f != nil && f.IsParentLink() {
		return f.Model
	}
	return nil
}
