package orm_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/orm"
)

func ExampleRegistry_Register() {
	type Product struct {
		ID    int64
		Name  string          `orm:"max_length=100"`
		Slug  string          `orm:"type=slug,unique"`
		Price decimal.Decimal `orm:"max_digits=8,decimal_places=2"`
		Stock uint32
		Kind  string `orm:"max_length=5,choices=Food{veg:Vegetables|fru:Fruit}|misc:Other,default=misc"`
	}
	reg := orm.NewRegistry()
	app, err := reg.Register(orm.AppConfig{Name: "example.com/shop", Models: []any{Product{}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range app.Models[0].Fields {
		fmt.Printf("%-5s %-20s %s\n", f.Name, f.Kind, orm.Postgres{}.ColumnType(f))
	}
	fmt.Println(app.Models[0].Field("kind").Choices[1])

	type Broken struct {
		ID   int64
		Name string
	}
	_, err = orm.NewRegistry().Register(orm.AppConfig{Name: "example.com/shop", Models: []any{Broken{}}})
	fmt.Println(err)
	// Output:
	// id    BigAutoField         bigint
	// name  CharField            varchar(100)
	// slug  SlugField            varchar(50)
	// price DecimalField         numeric(8, 2)
	// stock PositiveIntegerField integer
	// kind  CharField            varchar(5)
	// {fru Fruit Food}
	// orm: register shop: model Broken, field Name: a string field needs max_length=N, or type=text for unbounded text
}
