package orm

import "testing"

func TestParseColumnType(t *testing.T) {
	cases := []struct {
		decl string
		want columnType
	}{
		{"varchar(300)", columnType{kind: KindChar, maxLength: 300}},
		{"character varying(40)", columnType{kind: KindChar, maxLength: 40}},
		{"character varying", columnType{kind: KindText}},
		{"LONGTEXT", columnType{kind: KindText}},
		{"text", columnType{kind: KindText}},
		{"bool", columnType{kind: KindBoolean}},
		{"boolean", columnType{kind: KindBoolean}},
		{"tinyint(1)", columnType{kind: KindBoolean}},
		{"tinyint(4)", columnType{kind: KindSmallInteger}},
		{"smallint(6)", columnType{kind: KindSmallInteger}},
		{"smallint unsigned", columnType{kind: KindPositiveSmallInteger}},
		{"int(11)", columnType{kind: KindInteger}},
		{"int(10) unsigned", columnType{kind: KindPositiveInteger}},
		{"integer", columnType{kind: KindInteger}},
		{"bigint(20)", columnType{kind: KindBigInteger}},
		{"date", columnType{kind: KindDate}},
		{"datetime", columnType{kind: KindDateTime}},
		{"datetime(6)", columnType{kind: KindDateTime}},
		{"timestamp with time zone", columnType{kind: KindDateTime}},
		{"timestamp(3) without time zone", columnType{kind: KindDateTime}},
		{"numeric(10,2)", columnType{kind: KindDecimal, digits: 10, places: 2}},
		{"decimal(10, 2)", columnType{kind: KindDecimal, digits: 10, places: 2}},
		{"numeric(7)", columnType{kind: KindDecimal, digits: 7}},
		{"decimal", columnType{kind: KindDecimal, digits: 10, places: 5, guessed: true}},
		{"numeric(2,5)", columnType{kind: KindDecimal, digits: 10, places: 5, guessed: true}},
		{"real", columnType{kind: KindFloat}},
		{"double precision", columnType{kind: KindFloat}},
		{"double", columnType{kind: KindFloat}},
		{"uuid", columnType{kind: KindText, unknown: true}},
		{"time", columnType{kind: KindTime}},
		{"time(6)", columnType{kind: KindTime}},
		{"integer unsigned", columnType{kind: KindPositiveInteger}},
		{"bigint unsigned", columnType{kind: KindPositiveBigInteger}},
		{"jsonb", columnType{kind: KindJSON}},
		{"", columnType{kind: KindText, unknown: true}},
		{"varchar(", columnType{kind: KindText, unknown: true}},
	}
	for _, c := range cases {
		if got := parseColumnType(c.decl); got != c.want {
			t.Errorf("parseColumnType(%q) = %+v, want %+v", c.decl, got, c.want)
		}
	}
}

func TestGoName(t *testing.T) {
	cases := map[string]string{
		"bookstore_book":  "BookstoreBook",
		"content_type_id": "ContentTypeID",
		"id":              "ID",
		"isActive":        "IsActive",
		"odd table":       "OddTable",
		"a,b":             "AB",
		"2fa":             "X2fa",
		"__":              "X",
		"größe":           "Größe",
		"日本":              "X日本",
	}
	for in, want := range cases {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
	n := newNamer("Meta")
	for _, c := range []struct{ in, want string }{{"Meta", "Meta2"}, {"Name", "Name"}, {"Name", "Name2"}, {"NAME", "NAME3"}} {
		if got := n.unique(c.in); got != c.want {
			t.Errorf("unique(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
