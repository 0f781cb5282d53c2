package orm

// linkFor returns the parent link a name on m is reached through: the
// link of a multi-table child when the name is one of its parents' fields
// or reverse relations rather than its own; nil otherwise.
func (m *Model) linkFor(name string) *Field {
	link := m.parentLink
	if link == nil {
		return nil
	}
	if f := m.byName[name]; f != nil {
		if f.inherited != nil {
			return link
		}
		return nil
	}
	if m.RelatedByName(name) == nil && link.parentModel.reaches(name) {
		return link
	}
	return nil
}

// reaches reports whether a query on m can name name: a field or reverse
// relation of m or of one of its parents.
func (m *Model) reaches(name string) bool {
	return m.byName[name] != nil || m.RelatedByName(name) != nil ||
		m.parentLink != nil && m.parentLink.parentModel.reaches(name)
}

// joinParent joins the parent row of the child aliased from and returns
// the parent's alias; one join per child row, shared by the whole query.
func (c *compiler) joinParent(from string, link *Field) string {
	return c.joinHop(from, link.Name, hop{hopParent, link, link.parentModel})
}

// ancestorAlias joins, from m aliased alias, the parents up to owner and
// returns owner's alias.
func (c *compiler) ancestorAlias(alias string, m, owner *Model) string {
	for cur := m; cur != owner && cur.parentLink != nil; cur = cur.parentLink.parentModel {
		alias = c.joinParent(alias, cur.parentLink)
	}
	return alias
}

// inheritedColumns joins the parents of m (aliased alias) and lists the
// columns of their fields, to be read into the parent structs m embeds;
// base says which object of a row they go to.
func (c *compiler) inheritedColumns(m *Model, alias string, base selectCol) []selectCol {
	var out []selectCol
	for _, f := range m.inherited {
		if !f.Concrete() {
			continue
		}
		sc := base
		sc.field, sc.sql = f, c.col(c.ancestorAlias(alias, m, f.Model), f.Column)
		out = append(out, sc)
	}
	return out
}
