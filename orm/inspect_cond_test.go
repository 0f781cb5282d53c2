package orm

import (
	"strings"
	"testing"
)

// TestInspectCondition translates the WHERE clauses of partial unique
// indexes into the Go source of orm.Q values, and refuses what a Q of
// constants cannot say.
func TestInspectCondition(t *testing.T) {
	m := &genModel{fields: map[string]string{"status": "status", "member_id": "member", "n": "n", "gone": "gone"}}
	for _, c := range []struct{ where, want string }{
		{`"status" IN ('waiting', 'ready')`, `orm.Q{"status__in": []string{"waiting", "ready"}}`},
		{`("status" = 'it''s')`, `orm.Q{"status": "it's"}`},
		{`"n" >= 3 AND "gone" IS NULL`, `orm.Q{"gone__isnull": true, "n__gte": 3}`},
		{`"member_id" IS NOT NULL and n < -2`, `orm.Q{"member__isnull": false, "n__lt": -2}`},
		{`"n" IN (1, 2)`, `orm.Q{"n__in": []int{1, 2}}`},
	} {
		got, err := m.condition(c.where)
		if err != nil || got != c.want {
			t.Errorf("%s = %s, %v; want %s", c.where, got, err, c.want)
		}
	}
	for _, c := range []struct{ where, err string }{
		{`"status" = 'a' OR "n" = 1`, "want AND"},
		{`"other" = 1`, "no field's column"},
		{`"n" = "status"`, "not a constant"},
		{`"n" IN (1, 'a')`, "mixes"},
		{`"n" = 1 AND "n" = 2`, "compared twice"},
		{`lower("status") = 'a'`, "no field's column"},
		{`"status" = 'open`, "unclosed"},
	} {
		if got, err := m.condition(c.where); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s = %s, %v; want an error with %q", c.where, got, err, c.err)
		}
	}
}

// TestPartialWhere finds the condition of a CREATE INDEX statement, not a
// "where" inside a quoted name or string.
func TestPartialWhere(t *testing.T) {
	for sql, want := range map[string]string{
		`CREATE UNIQUE INDEX "x" ON "t" ("a") WHERE "status" IN ('waiting', 'ready')`: `"status" IN ('waiting', 'ready')`,
		`CREATE INDEX "where" ON "t" ("somewhere") where "b" = 'x where y'`:           `"b" = 'x where y'`,
		`CREATE INDEX "x" ON "t" ("a")`:                                               ``,
	} {
		if got := partialWhere(sql); got != want {
			t.Errorf("partialWhere(%s) = %q, want %q", sql, got, want)
		}
	}
}
