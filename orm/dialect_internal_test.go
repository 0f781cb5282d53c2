package orm

import "testing"

// TestQualify: a dialect's one-string qualified column is the column its
// Quote gives, names holding quote characters included.
func TestQualify(t *testing.T) {
	names := []string{"book", "T1", `we"ird`, "back`tick", `"`, "", "U3T0"}
	for _, d := range []Dialect{SQLite{}, SQLite{CaseFold: true}, Postgres{}, MySQL{}} {
		q, ok := d.(qualifier)
		if !ok {
			t.Fatalf("%s does not qualify", d.Name())
		}
		for _, table := range names {
			for _, column := range names {
				want := d.Quote(table) + "." + d.Quote(column)
				if got := q.qualify(table, column); got != want {
					t.Errorf("%s: qualify(%q, %q) = %s, want %s", d.Name(), table, column, got, want)
				}
			}
		}
	}
}
