package orm

// ResetSequenceSQL implements SequenceResetter: setval on the sequence
// behind the identity column, to its largest value (or to 1, unused, on
// an empty table). Both names travel as bound values.
func (Postgres) ResetSequenceSQL(table, column string) (string, []any) {
	q := quoteDouble
	return "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(" + q(column) + "), 1), MAX(" + q(column) + ") IS NOT NULL) FROM " + q(table),
		[]any{q(table), column}
}
