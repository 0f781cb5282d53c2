package orm

import (
	"slices"
	"sort"
	"strings"
)

// genJoin is a Django many-to-many join table that the generated models
// fold into a ManyToMany field of its owner, as Django's own models.py
// declares it: a table "<owner table>_<field>" of an integer "id" and two
// foreign keys, "<owner>_id" and "<target>_id" (from_<owner>_id and
// to_<owner>_id when owner and target are one model), unique together.
// The orm derives the columns from the models' names, so the owner and
// target types must be named so their lower case is <owner> and
// <target>; nameModels names them so, and folds the table only then.
type genJoin struct {
	table         string
	owner, target *genModel
	ownerStem     string // <owner> of its column
	targetStem    string
	field         string // the field: the table's name after "<owner table>_"
	fromCol       string
	toCol         string // the column of the target's key
}

// findJoins returns the tables that have the shape of Django's join
// tables, by table name.
func (g *generator) findJoins(infos []*TableInfo) []*genJoin {
	var out []*genJoin
	for _, ti := range infos {
		if j := g.joinOf(ti); j != nil {
			out = append(out, j)
		}
	}
	return out
}

// joinOf returns the join ti is, or nil.
func (g *generator) joinOf(ti *TableInfo) *genJoin {
	m := g.models[ti.Name]
	if len(ti.Columns) != 3 || len(ti.ForeignKeys) != 2 || m.pk == nil || m.standIn || m.pk.Name != "id" ||
		!parseColumnType(m.pk.Type).kind.IsInteger() {
		return nil
	}
	a, b := ti.ForeignKeys[0], ti.ForeignKeys[1]
	if a.Column == m.pk.Name || b.Column == m.pk.Name || !uniquePair(ti, a.Column, b.Column) {
		return nil
	}
	for _, fk := range []ForeignKeyInfo{a, b} {
		t := g.models[fk.Table]
		if t == nil || t.pk == nil || t.standIn || fk.TargetColumn != "" && fk.TargetColumn != t.pk.Name {
			return nil
		}
	}
	if a.Table == b.Table {
		from, to, ok := selfJoinColumns(ti)
		stem, _ := strings.CutSuffix(strings.TrimPrefix(from, "from_"), "_id")
		field, cut := strings.CutPrefix(ti.Name, a.Table+"_")
		if !ok || !cut || field == "" || stem == "" {
			return nil
		}
		return &genJoin{table: ti.Name, owner: g.models[a.Table], target: g.models[a.Table], ownerStem: stem, targetStem: stem,
			field: field, fromCol: from, toCol: to}
	}
	for _, pair := range [][2]ForeignKeyInfo{{a, b}, {b, a}} {
		own, tgt := pair[0], pair[1]
		field, cut := strings.CutPrefix(ti.Name, own.Table+"_")
		ownStem, ok1 := strings.CutSuffix(own.Column, "_id")
		tgtStem, ok2 := strings.CutSuffix(tgt.Column, "_id")
		if cut && field != "" && ok1 && ok2 && ownStem != "" && tgtStem != "" && ownStem != tgtStem {
			return &genJoin{table: ti.Name, owner: g.models[own.Table], target: g.models[tgt.Table], ownerStem: ownStem,
				targetStem: tgtStem, field: field, fromCol: own.Column, toCol: tgt.Column}
		}
	}
	return nil
}

// uniquePair reports whether an index of ti, not partial, makes the two
// columns unique together.
func uniquePair(ti *TableInfo, a, b string) bool {
	return slices.ContainsFunc(ti.Indexes, func(ix IndexInfo) bool {
		return ix.Unique && ix.Where == "" && len(ix.Columns) == 2 &&
			(ix.Columns[0] == a && ix.Columns[1] == b || ix.Columns[0] == b && ix.Columns[1] == a)
	})
}

// nameModels names the Go types and folds the joins that the names allow.
// A table a join names as <x> (its model "x" in Django) is named X; the
// joins so tell the app label, the table's name before "_<x>", and the
// other tables of that app are named without it, as Django's models.py
// names them: library_branch is Branch. Other tables are named by their
// whole name, as Django's inspectdb names them.
func (g *generator) nameModels(infos []*TableInfo, joins []*genJoin) {
	stems := map[string]string{}
	conflict := map[string]bool{}
	for _, j := range joins {
		for table, stem := range map[string]string{j.owner.info.Name: j.ownerStem, j.target.info.Name: j.targetStem} {
			if s, ok := stems[table]; ok && s != stem {
				conflict[table] = true
			}
			stems[table] = stem
		}
	}
	var prefixes []string
	for table, stem := range stems {
		if p, ok := strings.CutSuffix(table, stem); ok && strings.HasSuffix(p, "_") && !conflict[table] {
			prefixes = append(prefixes, p)
		}
	}
	// The longest prefix first, and in one order whatever the map's.
	sort.Slice(prefixes, func(i, k int) bool {
		if len(prefixes[i]) != len(prefixes[k]) {
			return len(prefixes[i]) > len(prefixes[k])
		}
		return prefixes[i] < prefixes[k]
	})
	types := newNamer()
	for _, ti := range infos {
		if stem, ok := stems[ti.Name]; ok && !conflict[ti.Name] {
			g.models[ti.Name].name = types.unique(goName(stem))
		}
	}
	for _, ti := range infos {
		m := g.models[ti.Name]
		if m.name != "" {
			continue
		}
		name := ti.Name
		for _, p := range prefixes {
			if rest, ok := strings.CutPrefix(ti.Name, p); ok && rest != "" {
				name = rest
				break
			}
		}
		m.name = types.unique(goName(name))
	}
	for _, j := range joins {
		if strings.ToLower(j.owner.name) == j.ownerStem && strings.ToLower(j.target.name) == j.targetStem {
			g.models[j.table].join = j
			j.owner.m2m = append(j.owner.m2m, j)
		}
	}
}

// manyToMany describes the field a join table folds into.
func (g *generator) manyToMany(j *genJoin, names *namer) genField {
	f := genField{name: names.unique(goName(j.field))}
	var fk ForeignKeyInfo
	for _, k := range g.models[j.table].info.ForeignKeys {
		if k.Column == j.toCol {
			fk = k
		}
	}
	var col ColumnInfo
	for _, c := range g.models[j.table].info.Columns {
		if c.Name == fk.Column {
			col = c
		}
	}
	f.typ, _ = g.keyType(j.target, "orm.ManyToMany", parseColumnType(col.Type))
	if f.typ == "" {
		f.typ = "orm.ManyToMany[" + j.target.name + "]"
	}
	if SnakeCase(f.name) != j.field {
		f.opts = append(f.opts, "db_table="+tagValue(j.table))
	}
	if j.owner != j.target {
		f.target = j.target.info.Name
	} else {
		if g.facts.symmetric[j.table] {
			f.comments = append(f.comments, "Symmetrical, Django's default for a relation to its own model: every row of "+j.table,
				"had its mirror when inspectdb read it. The schema cannot tell.")
		} else {
			f.opts, f.target = append(f.opts, "symmetrical=false"), j.target.info.Name
			f.comments = append(f.comments, "Not symmetrical: some row of "+j.table+" had no mirror, or it had no rows,",
				"when inspectdb read it. The schema cannot tell.")
		}
	}
	return f
}
