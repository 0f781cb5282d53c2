package orm

// dependencyOrder returns models so that each comes after the models its
// foreign keys and many-to-many fields point at, keeping the given order
// where relations do not decide it. Foreign keys come first: a
// many-to-many field does not put its target first when the target's
// foreign keys lead back to the model (links are written after the rows,
// while a database that checks keys at once needs the rows a key names).
// A cycle of foreign keys is broken where it is found, so every model
// appears once. Related models missing from the list are added before the
// models that need them; callers pass the registry's models and keep
// those they want.
func dependencyOrder(models []*Model) []*Model {
	const (
		visiting = 1
		done     = 2
	)
	state := make(map[*Model]int, len(models))
	out := make([]*Model, 0, len(models))
	var visit func(m *Model)
	visit = func(m *Model) {
		if state[m] != 0 {
			return
		}
		state[m] = visiting
		for _, f := range m.Fields {
			if f.IsForeignKey() && f.Related != nil && f.Related != m {
				visit(f.Related)
			}
		}
		for _, f := range m.Fields {
			if f.Kind == KindManyToMany && f.Related != nil && f.Related != m && !keysLeadTo(f.Related, m) {
				visit(f.Related)
			}
		}
		state[m] = done
		out = append(out, m)
	}
	for _, m := range models {
		visit(m)
	}
	return out
}

// keysLeadTo reports whether a chain of foreign keys leads from m to
// target.
func keysLeadTo(m, target *Model) bool {
	seen := map[*Model]bool{}
	var walk func(m *Model) bool
	walk = func(m *Model) bool {
		if m == target {
			return true
		}
		if seen[m] {
			return false
		}
		seen[m] = true
		for _, f := range m.Fields {
			if f.IsForeignKey() && f.Related != nil && walk(f.Related) {
				return true
			}
		}
		return false
	}
	return walk(m)
}

// selfReferences returns the foreign keys of m that point at m itself.
func selfReferences(m *Model) []*Field {
	var out []*Field
	for _, f := range m.Fields {
		if f.Kind == KindForeignKey && f.Related == m {
			out = append(out, f)
		}
	}
	return out
}
