package form

import (
	"mime/multipart"
	"path"
	"strings"
	"testing"
	"time"
)

// FuzzUploadName feeds arbitrary client file names and upload directories
// to a file field and to the naming of stored files: a name is accepted or
// refused with a message, never a panic, and what is stored is always a
// clean relative path under the directory, the client's name reduced to
// one part of it.
func FuzzUploadName(f *testing.F) {
	for _, s := range []string{"a.txt", "../../etc/passwd", `C:\x\y.pdf`, ".htaccess", "...", "", " ", "a\x00b", "é €.png", "%Y/../x", "CON"} {
		f.Add(s, "docs/%Y")
	}
	fld := FileField("f", "F", MaxLength(100))
	now := time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, client, dir string) {
		v, err := fld.CleanFile(&multipart.FileHeader{Filename: client, Size: 1}, nil, "")
		if err != nil {
			if ve, ok := err.(ValidationError); !ok || len(ve) == 0 {
				t.Fatalf("%q: %v", client, err)
			}
			return
		}
		u := v.(*Upload)
		if u.Name == "" || strings.ContainsAny(u.Name, `/\`+"\x00") || strings.HasPrefix(u.Name, ".") {
			t.Fatalf("%q cleaned to the name %q", client, u.Name)
		}
		name, err := storageName(dir, u.Name, 100, now)
		if err != nil {
			return // a directory that is not a clean path, or leaves no room
		}
		if checkName(name) != nil || path.Ext(name) != path.Ext(u.Name) {
			t.Fatalf("%q in %q stored as %q", client, dir, name)
		}
		if len([]rune(name)) > 92 {
			t.Fatalf("%q in %q: %q leaves no room for a suffix", client, dir, name)
		}
	})
}
