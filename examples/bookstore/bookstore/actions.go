package bookstore

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/orm"
)

// maxExport bounds an export: a selection across every page of a large
// list is cut there rather than held in memory whole.
const maxExport = 10000

// exportCSV is an action answering with its own response: the selected
// books as a CSV download, with their publishers.
var exportCSV = admin.Action{
	Name:        "export_csv",
	Description: "Export selected %(verbose_name_plural)s as CSV",
	Permissions: []string{"view"},
	Func: func(w http.ResponseWriter, r *http.Request, ma admin.Admin, qs orm.QuerySet) error {
		books, err := orm.All[Book](r.Context(), qs.SelectRelated("publisher").OrderBy("name", "id").Limit(maxExport))
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="books.csv"`)
		out := csv.NewWriter(w)
		if err := out.Write([]string{"id", "name", "publisher", "pages", "price", "rating", "pubdate"}); err != nil {
			return err
		}
		for _, b := range books {
			publisher := ""
			if p, ok := b.Publisher.Get(); ok {
				publisher = p.Name
			}
			if err := out.Write([]string{strconv.FormatInt(b.ID, 10), b.Name, publisher, strconv.Itoa(int(b.Pages)),
				b.Price.StringFixed(2), strconv.FormatFloat(b.Rating, 'f', -1, 64), b.Pubdate.Format("2006-01-02")}); err != nil {
				return err
			}
		}
		out.Flush()
		return out.Error()
	},
}
