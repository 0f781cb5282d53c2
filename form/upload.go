package form

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Upload is a file submitted to a form and accepted by its field, not yet
// stored: the cleaned value of a file field that received one. Its Name is
// made by the server from the client's file name — the last part of it,
// with spaces turned to "_" and anything but letters, digits, "-", "_" and
// "." dropped (Django's get_valid_filename), and no leading dot — so it is
// never a path. A model form stores it when applied; a plain form's caller
// calls Save.
type Upload struct {
	Name        string
	Size        int64
	ContentType string

	header *multipart.FileHeader
}

// Open returns the uploaded content.
func (u *Upload) Open() (io.ReadCloser, error) { return u.header.Open() }

// Save stores the upload in s under dir ("" for the top; Django's
// upload_to, where %Y, %m, %d, %H, %M and %S stand for the current UTC
// date and time) and returns the name s stored it under. With maxLength
// above zero, the file's name is shortened so that the stored name, with
// the suffix a taken name gets, fits a column of that many characters.
func (u *Upload) Save(ctx context.Context, s Storage, dir string, maxLength int) (string, error) {
	name, err := storageName(dir, u.Name, maxLength, time.Now().UTC())
	if err != nil {
		return "", err
	}
	in, err := u.Open()
	if err != nil {
		return "", fmt.Errorf("form: save upload %s: %w", u.Name, err)
	}
	defer in.Close()
	return s.Save(ctx, name, in)
}

// invalidFileChars are what get_valid_filename drops: anything but word
// characters, "-" and ".".
var invalidFileChars = regexp.MustCompile(`[^-\p{L}\p{N}\p{M}_.]`)

// validFileName reduces a client's file name to a safe base name, "" when
// nothing usable is left.
func validFileName(client string) string {
	base := client[strings.LastIndexAny(client, `/\`)+1:]
	base = strings.ReplaceAll(strings.TrimSpace(base), " ", "_")
	base = invalidFileChars.ReplaceAllString(base, "")
	return strings.TrimLeft(base, ".")
}

// fillDate replaces the strftime codes an upload directory may hold.
func fillDate(dir string, now time.Time) string {
	return strings.NewReplacer("%Y", now.Format("2006"), "%m", now.Format("01"), "%d", now.Format("02"),
		"%H", now.Format("15"), "%M", now.Format("04"), "%S", now.Format("05")).Replace(dir)
}

// storageName joins the upload directory (its date codes filled in) and
// the file name, shortening the name's root so that the result and a
// "_xxxxxxx" suffix fit in maxLength characters.
func storageName(dir, name string, maxLength int, now time.Time) (string, error) {
	dir = fillDate(strings.Trim(dir, "/"), now)
	full := path.Join(dir, name)
	if maxLength <= 0 {
		return full, checkName(full)
	}
	over := utf8.RuneCountInString(full) + 8 - maxLength
	if over > 0 {
		ext := path.Ext(name)
		root := []rune(strings.TrimSuffix(name, ext))
		if over >= len(root) {
			return "", fmt.Errorf("form: no room for the file %q in %d characters under %q", name, maxLength, dir)
		}
		full = path.Join(dir, string(root[:len(root)-over])+ext)
	}
	return full, checkName(full)
}
