package orm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// Everything has a field of every scalar kind.
type Everything struct {
	ID         int64
	Char       string `orm:"max_length=20"`
	Text       string `orm:"type=text"`
	Slug       string `orm:"type=slug"`
	Email      string `orm:"type=email"`
	URL        string `orm:"type=url"`
	Small      int16
	Integer    int32
	Big        int64
	PosSmall   uint16
	Pos        int32 `orm:"type=positive"`
	PosBig     uint64
	Flag       bool
	MaybeFlag  *bool
	Day        time.Time       `orm:"type=date"`
	Moment     time.Time       `orm:"db_index"`
	Clock      time.Time       `orm:"type=time"`
	Price      decimal.Decimal `orm:"max_digits=12,decimal_places=4"`
	Ratio      float64
	Span       time.Duration
	Token      uuid.UUID
	MaybeToken *uuid.UUID
	Data       map[string]any `orm:"type=json,null"`
	Raw        json.RawMessage
	Blob       []byte
	IP         string  `orm:"type=ip,null,blank"`
	File       string  `orm:"type=file"`
	Image      string  `orm:"type=image"`
	Note       *string `orm:"type=text"`
}

func kindsRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "kinds", Models: []any{Everything{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

func everything(t testing.TB) *orm.Model {
	t.Helper()
	m, err := kindsRegistry(t).GetModel("kinds.Everything")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestKindsAndColumnTypes(t *testing.T) {
	m := everything(t)
	// field: kind, then the column type on SQLite, PostgreSQL and MySQL.
	want := map[string][4]string{
		"id":          {"BigAutoField", "integer", "bigint", "bigint"},
		"char":        {"CharField", "varchar(20)", "varchar(20)", "varchar(20)"},
		"text":        {"TextField", "text", "text", "longtext"},
		"slug":        {"SlugField", "varchar(50)", "varchar(50)", "varchar(50)"},
		"email":       {"EmailField", "varchar(254)", "varchar(254)", "varchar(254)"},
		"url":         {"URLField", "varchar(200)", "varchar(200)", "varchar(200)"},
		"small":       {"SmallIntegerField", "smallint", "smallint", "smallint"},
		"integer":     {"IntegerField", "integer", "integer", "integer"},
		"big":         {"BigIntegerField", "bigint", "bigint", "bigint"},
		"pos_small":   {"PositiveSmallIntegerField", "smallint unsigned", "smallint", "smallint UNSIGNED"},
		"pos":         {"PositiveIntegerField", "integer unsigned", "integer", "integer UNSIGNED"},
		"pos_big":     {"PositiveBigIntegerField", "bigint unsigned", "bigint", "bigint UNSIGNED"},
		"flag":        {"BooleanField", "bool", "boolean", "bool"},
		"maybe_flag":  {"BooleanField", "bool", "boolean", "bool"},
		"day":         {"DateField", "date", "date", "date"},
		"moment":      {"DateTimeField", "datetime", "timestamp with time zone", "datetime(6)"},
		"clock":       {"TimeField", "time", "time", "time(6)"},
		"price":       {"DecimalField", "decimal", "numeric(12, 4)", "numeric(12, 4)"},
		"ratio":       {"FloatField", "real", "double precision", "double precision"},
		"span":        {"DurationField", "bigint", "interval", "bigint"},
		"token":       {"UUIDField", "char(32)", "uuid", "char(32)"},
		"maybe_token": {"UUIDField", "char(32)", "uuid", "char(32)"},
		"data":        {"JSONField", "text", "jsonb", "json"},
		"raw":         {"JSONField", "text", "jsonb", "json"},
		"blob":        {"BinaryField", "BLOB", "bytea", "longblob"},
		"ip":          {"GenericIPAddressField", "char(39)", "inet", "char(39)"},
		"file":        {"FileField", "varchar(100)", "varchar(100)", "varchar(100)"},
		"image":       {"ImageField", "varchar(100)", "varchar(100)", "varchar(100)"},
		"note":        {"TextField", "text", "text", "longtext"},
	}
	if len(m.Fields) != len(want) {
		t.Errorf("%d fields, want %d", len(m.Fields), len(want))
	}
	dialects := []orm.Dialect{orm.SQLite{}, orm.Postgres{}, orm.MySQL{}}
	for _, f := range m.Fields {
		w, ok := want[f.Name]
		if !ok {
			t.Errorf("unexpected field %s", f.Name)
			continue
		}
		if f.Kind.String() != w[0] {
			t.Errorf("%s: kind %s, want %s", f.Name, f.Kind, w[0])
		}
		for i, d := range dialects {
			if got := d.ColumnType(f); got != w[i+1] {
				t.Errorf("%s on %s: column type %q, want %q", f.Name, d.Name(), got, w[i+1])
			}
		}
	}
	if f := m.Field("blob"); f.Editable {
		t.Error("a binary field is not editable by default, as in Django")
	}
	if f := m.Field("slug"); !f.DBIndex {
		t.Error("a slug field is indexed by default, as in Django")
	}
	if f := m.Field("maybe_flag"); !f.Null {
		t.Error("*bool is a nullable boolean")
	}
}

// TestKindsDDL checks the CHECK constraints migrate writes, as Django does.
func TestKindsDDL(t *testing.T) {
	testdb.Run(t, kindsRegistry(t), func(t *testing.T, db *orm.DB) {
		ddl := strings.Join(db.MigrationSQL(), "\n")
		q := db.Dialect().Quote
		for _, col := range []string{"pos_small", "pos", "pos_big"} {
			if want := "CHECK (" + q(col) + " >= 0)"; !strings.Contains(ddl, want) {
				t.Errorf("no %s in:\n%s", want, ddl)
			}
		}
		if db.Dialect().Name() == "sqlite" && !strings.Contains(ddl, `"data" text NULL CHECK ((JSON_VALID("data") OR "data" IS NULL))`) {
			t.Errorf("no JSON check in:\n%s", ddl)
		}
		ctx := context.Background()
		for _, bad := range []string{"pos", "pos_small", "pos_big"} {
			stmt := "UPDATE " + q("kinds_everything") + " SET " + q(bad) + " = -1"
			if err := insertEverything(ctx, db, &Everything{Raw: json.RawMessage(`1`)}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(ctx, stmt); err == nil {
				t.Errorf("%s accepted -1", bad)
			}
		}
	})
}

func insertEverything(ctx context.Context, db *orm.DB, e *Everything) error {
	if e.Day.IsZero() {
		e.Day = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		e.Moment = time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)
	}
	return db.Insert(ctx, e)
}

func edgeValues() *Everything {
	no := false
	note := "Ünïcødé — “quoted” 'single' \\ back\nslash"
	return &Everything{
		Char: "Zoë ☃ 日本語", Text: strings.Repeat("long text ", 500) + "\x01end", Slug: "a-b_c", Email: "zoe@bücher.example",
		URL: "https://example.com/a?b=c", Small: -32768, Integer: 2147483647, Big: -9223372036854775808,
		PosSmall: 32767, Pos: 2147483647, PosBig: 9223372036854775807, Flag: true, MaybeFlag: &no,
		Day:    time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC),
		Moment: time.Date(2024, 2, 29, 23, 59, 59, 123456000, time.FixedZone("IST", 5*3600+1800)),
		Clock:  orm.TimeOf(23, 59, 59, 999999), Price: decimal.RequireFromString("-99999999.9999"),
		Ratio: -1.5e-300, Span: -(26*time.Hour + 3*time.Minute + 4*time.Second + 5*time.Microsecond),
		Token: uuid.MustParse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
		Data:  map[string]any{"a": []any{1.0, "two", map[string]any{"three": nil}}, "ü": true},
		Raw:   json.RawMessage(`{"k": [1, 2]}`), Blob: []byte{0, 1, 0, 255}, IP: "2001:db8::1",
		File: "uploads/a.txt", Image: "img/b.png", Note: &note,
	}
}

func TestKindsRoundTrip(t *testing.T) {
	testdb.Run(t, kindsRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		tok := uuid.MustParse("00000000-0000-4000-8000-000000000001")
		zero := &Everything{Day: time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC), Moment: time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC),
			Span: 90 * 24 * time.Hour, MaybeToken: &tok}
		for _, e := range []*Everything{edgeValues(), zero} {
			if err := insertEverything(ctx, db, e); err != nil {
				t.Fatal(err)
			}
			got, err := orm.Get[Everything](ctx, orm.For[Everything](db), orm.Q{"pk": e.ID})
			if err != nil {
				t.Fatal(err)
			}
			compareEverything(t, e, got)
		}
		lookups := []orm.Q{
			{"token": "a0eebc999c0b4ef8bb6d6bb9bd380a11"}, {"span": edgeValues().Span}, {"clock": "23:59:59.999999"},
			{"ip": "2001:0DB8:0::0001"}, {"pos_big": uint64(9223372036854775807)}, {"moment": edgeValues().Moment},
			{"price": "-99999999.9999"}, {"day": "1999-12-31"}, {"maybe_flag": false}, {"slug": "a-b_c"},
		}
		for _, q := range lookups {
			if n, err := orm.For[Everything](db).Filter(q).Count(ctx); err != nil || n != 1 {
				t.Errorf("%v: count %d, %v", q, n, err)
			}
		}
		if n, err := orm.For[Everything](db).Filter(orm.Q{"ip__isnull": true, "data__isnull": true, "maybe_flag__isnull": true}).Count(ctx); err != nil || n != 1 {
			t.Errorf("empty IP and nil JSON are NULL: %d, %v", n, err)
		}
	})
}

func compareEverything(t *testing.T, want, got *Everything) {
	t.Helper()
	w, g := *want, *got
	if !g.Moment.Equal(w.Moment) || g.Moment.Location() != time.UTC {
		t.Errorf("moment %v, want %v in UTC", g.Moment, w.Moment)
	}
	if !g.Day.Equal(w.Day) || !g.Clock.Equal(w.Clock) {
		t.Errorf("day %v clock %v, want %v %v", g.Day, g.Clock, w.Day, w.Clock)
	}
	if !g.Price.Equal(w.Price) {
		t.Errorf("price %s, want %s", g.Price, w.Price)
	}
	if !bytes.Equal(g.Blob, w.Blob) {
		t.Errorf("blob %v, want %v", g.Blob, w.Blob)
	}
	if !sameJSON(g.Raw, w.Raw) {
		t.Errorf("raw %s, want %s", g.Raw, w.Raw)
	}
	if w.IP == "" && g.IP != "" {
		t.Errorf("ip %q", g.IP)
	}
	for _, p := range []*Everything{&w, &g} {
		p.Moment, p.Day, p.Clock, p.Price, p.Blob, p.Raw = time.Time{}, time.Time{}, time.Time{}, decimal.Zero, nil, nil
	}
	if !reflect.DeepEqual(w, g) {
		t.Errorf("round trip:\n got %+v\nwant %+v", g, w)
	}
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if len(b) == 0 {
		b = json.RawMessage("null")
	}
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}
