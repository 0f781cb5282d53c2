package form_test

import (
	"context"
	"fmt"
	"log"
	"net/url"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

func ExampleNew() {
	login := form.New(
		form.CharField("username", "Username", form.MaxLength(150), form.WithBareAttr("autofocus")),
		form.PasswordField("password", "Password"),
	)
	login.Bind(url.Values{"username": {"  admin "}, "password": {""}})
	if !login.IsValid() {
		for _, bf := range login.Fields() {
			fmt.Println(bf.LabelTag(), bf.Widget(), bf.Errors)
		}
	}
	// Output:
	// <label class="required" for="id_username">Username:</label> <input type="text" name="username" value="  admin " autofocus maxlength="150" required id="id_username"> []
	// <label class="required" for="id_password">Password:</label> <input type="password" name="password" required aria-invalid="true" aria-describedby="id_password_error" id="id_password"> [This field is required.]
}

type Magazine struct {
	ID        int64
	Title     string                    `orm:"max_length=100"`
	Publisher orm.ForeignKey[Publisher] `orm:"on_delete=protect"`
}

func ExampleForModel() {
	ctx := context.Background()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "news", Models: []any{Publisher{}, Magazine{}}}); err != nil {
		log.Fatal(err)
	}
	db, err := orm.Open("sqlite::memory:", reg, orm.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	if err := db.Insert(ctx, &Publisher{Name: "Acme"}); err != nil {
		log.Fatal(err)
	}

	m, _ := reg.ModelOf(Magazine{})
	mf, err := form.ForModel(ctx, db, m, form.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(mf.Field("publisher").Widget())

	mf.Bind(url.Values{"title": {"Gopher Monthly"}, "publisher": {"1"}})
	if !mf.IsValid() {
		log.Fatal(mf.Errors(), mf.Err())
	}
	mag := m.New().(*Magazine)
	if err := mf.Apply(mag); err != nil {
		log.Fatal(err)
	}
	if err := db.Save(ctx, mag); err != nil {
		log.Fatal(err)
	}
	if err := mf.SaveM2M(ctx, mag); err != nil {
		log.Fatal(err)
	}
	fmt.Println(mag.ID, mag.Title, mag.Publisher.ID, mf.ChangedLabels())
	// Output:
	// <select name="publisher" required id="id_publisher">
	// <option value="" selected>---------</option>
	// <option value="1">Acme</option>
	// </select>
	// 1 Gopher Monthly 1 [Title Publisher]
}
