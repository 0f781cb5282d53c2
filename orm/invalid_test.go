package orm_test

import (
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// Models whose declarations are wrong in ways only a method can express.

type BadMetaDefaults struct{ ID int64 }

func (BadMetaDefaults) Meta() orm.Meta {
	return orm.Meta{Defaults: map[string]func() any{"nope": func() any { return 1 }}}
}

type BadMetaValidators struct{ ID int64 }

func (BadMetaValidators) Meta() orm.Meta {
	return orm.Meta{Validators: map[string][]func(any) error{"nope": nil}}
}

type BadLimitOnChar struct {
	ID   int64
	Name string `orm:"max_length=5"`
}

func (BadLimitOnChar) Meta() orm.Meta {
	return orm.Meta{LimitChoicesTo: map[string]orm.Q{"name": {"x": 1}}}
}

type BadIndexField struct{ ID int64 }

func (BadIndexField) Meta() orm.Meta {
	return orm.Meta{Indexes: []orm.Index{{Fields: []string{"-nope"}}}}
}

type BadIndexName struct{ ID int64 }

func (BadIndexName) Meta() orm.Meta {
	return orm.Meta{Indexes: []orm.Index{{Fields: []string{"id"}, Name: "an_index_name_longer_than_thirty"}}}
}

type BadUniqueTogether struct{ ID int64 }

func (BadUniqueTogether) Meta() orm.Meta { return orm.Meta{UniqueTogether: [][]string{{"id", "nope"}}} }

type BadDefaultTwice struct {
	ID    int64
	Count int32 `orm:"default=1"`
}

func (BadDefaultTwice) Meta() orm.Meta {
	return orm.Meta{Defaults: map[string]func() any{"count": func() any { return 2 }}}
}

type baseA struct{ A int32 }

func (baseA) Meta() orm.Meta { return orm.Meta{Ordering: []string{"a"}} }

type baseB struct{ B int32 }

func (baseB) Meta() orm.Meta { return orm.Meta{Ordering: []string{"b"}} }

type BadTwoBases struct {
	ID int64
	baseA
	baseB
}

type BadOrdering struct{ ID int64 }

func (BadOrdering) Meta() orm.Meta { return orm.Meta{Ordering: []string{"-nope"}} }

type BadLimit struct {
	ID  int64
	Pub orm.ForeignKey[Publisher] `orm:"on_delete=cascade"`
}

func (BadLimit) Meta() orm.Meta {
	return orm.Meta{LimitChoicesTo: map[string]orm.Q{"pub": {"nme__icontains": "x"}}}
}

type BadSetDefault struct {
	ID  int64
	Pub orm.ForeignKey[Publisher] `orm:"on_delete=set_default"`
}

func TestInvalidDeclarations(t *testing.T) {
	type NoLength struct {
		ID   int64
		Name string
	}
	type NoOnDelete struct {
		ID  int64
		Pub orm.ForeignKey[Publisher]
	}
	type BadOption struct {
		ID   int64
		Name string `orm:"max_length=10,colour=red"`
	}
	type NoPK struct {
		Name string `orm:"max_length=10"`
	}
	type BadDefault struct {
		ID    int64
		Count int32 `orm:"default=many"`
	}
	type BadOnDelete struct {
		ID  int64
		Pub orm.ForeignKey[Publisher] `orm:"on_delete=explode"`
	}
	type SetNullNotNull struct {
		ID  int64
		Pub orm.ForeignKey[Publisher] `orm:"on_delete=set_null"`
	}
	type NoDigits struct {
		ID    int64
		Price orm.ForeignKey[Publisher] `orm:"on_delete=cascade,max_digits=3"`
	}
	type WrongOption struct {
		ID    int64
		Count int32 `orm:"max_length=3"`
	}
	type WrongType struct {
		ID    int64
		Count int32 `orm:"type=slug"`
	}
	type WrongTimeType struct {
		ID   int64
		When time.Time `orm:"type=clock"`
	}
	type Unsupported struct {
		ID   int64
		Tags []string
	}
	type BadChoice struct {
		ID    int64
		Count int32 `orm:"choices=a:A|2:B"`
	}
	type Unbalanced struct {
		ID   int64
		Kind string `orm:"max_length=3,choices=G{a:A"`
	}
	type PointerFK struct {
		ID  int64
		Pub *orm.ForeignKey[Publisher] `orm:"on_delete=cascade"`
	}
	type NullPK struct {
		ID *int64
	}
	type TwoPKs struct {
		ID   int64
		Code string `orm:"primary_key,max_length=5"`
	}
	type SameName struct {
		ID    int64
		Name  string `orm:"max_length=5,name=title"`
		Title string `orm:"max_length=5"`
	}
	type SameColumn struct {
		ID int64
		A  string `orm:"max_length=5,db_column=x"`
		B  string `orm:"max_length=5,db_column=x"`
	}
	type BlankIP struct {
		ID int64
		IP string `orm:"type=ip,blank"`
	}
	type UniqueM2M struct {
		ID      int64
		Authors orm.ManyToMany[Author] `orm:"unique"`
	}
	type ThroughFieldsAlone struct {
		ID      int64
		Authors orm.ManyToMany[Author] `orm:"through_fields=a:b"`
	}
	type BadProtocol struct {
		ID int64
		IP *string `orm:"type=ip,protocol=ipv5"`
	}
	type SmallBigAuto struct {
		ID int32 `orm:"type=bigint"`
	}
	type TypedGeneric struct {
		ID  int64
		Obj orm.GenericForeignKey `orm:"type=json"`
	}
	cases := []struct {
		model any
		want  string
	}{
		{NoLength{}, "orm: register x: model NoLength, field Name: a string field needs max_length"},
		{NoOnDelete{}, "model NoOnDelete, field Pub: a foreign key needs on_delete"},
		{BadOption{}, `model BadOption, field Name: tag option colour="red": unknown option`},
		{NoPK{}, "model NoPK: no primary key"},
		{BadDefault{}, `model BadDefault, field Count: default "many": not a whole number`},
		{BadOnDelete{}, `field Pub: tag option on_delete="explode": want cascade, protect, restrict, set_null, set_default or do_nothing`},
		{SetNullNotNull{}, "field Pub: on_delete=set_null needs the field to be null"},
		{BadSetDefault{}, "model BadSetDefault, field Pub: on_delete=set_default needs a default"},
		{NoDigits{}, "field Price: tag option max_digits does not apply to ForeignKey"},
		{WrongOption{}, "field Count: tag option max_length does not apply to IntegerField"},
		{WrongType{}, "field Count: type=slug does not apply to int32"},
		{WrongTimeType{}, "field When: type=clock does not apply to time.Time"},
		{Unsupported{}, "field Tags: unsupported Go type []string"},
		{BadChoice{}, `field Count: choice "a": not a whole number`},
		{Unbalanced{}, `field Kind: tag option choices="G{a:A": unbalanced "{"`},
		{PointerFK{}, "field Pub: relations are not pointers"},
		{NullPK{}, "field ID: a primary key cannot be null"},
		{TwoPKs{}, "model TwoPKs: two primary keys (ID and Code)"},
		{SameName{}, `model SameName, field Title: name "title" is used twice`},
		{SameColumn{}, `model SameColumn, field B: column "x" is also the column of A`},
		{BlankIP{}, "field IP: an IP address field with blank needs null too"},
		{UniqueM2M{}, "field Authors: tag option unique does not apply to ManyToManyField"},
		{ThroughFieldsAlone{}, "field Authors: through_fields needs through=Model"},
		{BadProtocol{}, `field IP: tag option protocol="ipv5": want both, ipv4 or ipv6`},
		{SmallBigAuto{}, "field ID: type=bigint needs an int64 Go type"},
		{TypedGeneric{}, "field Obj: a generic foreign key is a plain orm.GenericForeignKey without a type option"},
		{BadMetaDefaults{}, `model BadMetaDefaults: Meta.Defaults names unknown field "nope"`},
		{BadMetaValidators{}, `model BadMetaValidators: Meta.Validators names unknown field "nope"`},
		{BadLimitOnChar{}, "model BadLimitOnChar, field Name: Meta.LimitChoicesTo: CharField is not a relation"},
		{BadIndexField{}, `model BadIndexField: Meta.Indexes[0] names "-nope"`},
		{BadIndexName{}, `Meta.Indexes[0]: name "an_index_name_longer_than_thirty" must start with a letter and be at most 30 characters`},
		{BadUniqueTogether{}, `model BadUniqueTogether: unique_together names "nope"`},
		{BadDefaultTwice{}, "model BadDefaultTwice, field Count: Meta.Defaults: want one non-nil default function"},
		{BadTwoBases{}, "model BadTwoBases: embedded baseA and baseB each declare Meta: declare Meta on BadTwoBases to choose"},
		{42, "orm: register x: a model must be a named struct, got int"},
	}
	for _, c := range cases {
		reg := orm.NewRegistry()
		_, err := reg.Register(orm.AppConfig{Name: "x", Models: []any{Publisher{}, Author{}, c.model}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T: error %v, want it to contain %q", c.model, err, c.want)
		}
	}
}
