package form

import (
	"fmt"
	"image"
	_ "image/gif"  // ImageField reads GIF headers
	_ "image/jpeg" // and JPEG
	_ "image/png"  // and PNG
	"mime/multipart"
	"strconv"
	"unicode/utf8"
)

// Django's file field messages.
const (
	msgNoFile        = "No file was submitted. Check the encoding type on the form."
	msgEmptyFile     = "The submitted file is empty."
	msgContradiction = "Please either submit a file or check the clear checkbox, not both."
	msgInvalidImage  = "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
)

// FileField returns a file upload field, Django's FileField, shown as a
// ClearableFileInput. It cleans to an *Upload when a file was submitted
// (see Form.BindFiles); to the stored file's name, the initial value, when
// none was; and to "" when the clear box was checked. Clearing a required
// field, or sending nothing for one without a stored file, is "This field
// is required."; sending a file and checking the box is Django's
// contradiction error. MaxLength limits the file's name, MaxSize its size;
// an empty file is refused. WithStorage links the stored file, and
// UploadTo names the directory a model form stores it in.
func FileField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	w := &ClearableFileInput{}
	f := newField(name, label, s, w)
	if s.storage != nil {
		w.URL = s.storage.URL
	}
	w.Required = f.Required
	f.storage, f.uploadTo = s.storage, s.uploadTo
	f.CleanFile = func(file *multipart.FileHeader, values []string, initial string) (any, error) {
		return f.cleanFile(s, file, Truthy(values), initial)
	}
	f.Format = func(v any) []string {
		if u, ok := v.(*Upload); ok {
			return []string{u.Name}
		}
		return formatAny(v)
	}
	return f
}

// ImageField returns a FileField that accepts only GIF, JPEG and PNG
// images, Django's ImageField: anything else is "Upload a valid image. ..."
func ImageField(name, label string, opts ...Option) *Field {
	f := FileField(name, label, opts...)
	clean := f.CleanFile
	f.CleanFile = func(file *multipart.FileHeader, values []string, initial string) (any, error) {
		v, err := clean(file, values, initial)
		if u, ok := v.(*Upload); ok && err == nil {
			if !isImage(u) {
				return nil, ValidationError{msgInvalidImage}
			}
		}
		return v, err
	}
	return f
}

func isImage(u *Upload) bool {
	in, err := u.Open()
	if err != nil {
		return false
	}
	defer in.Close()
	_, _, err = image.DecodeConfig(in)
	return err == nil
}

func (f *Field) cleanFile(s settings, file *multipart.FileHeader, clear bool, initial string) (any, error) {
	switch {
	case file != nil && clear && !f.Required:
		return nil, ValidationError{msgContradiction}
	case file != nil:
		return checkUpload(s, file)
	case clear && f.Required:
		return nil, ValidationError{msgRequired}
	case clear:
		return f.empty(s, "")
	case initial != "":
		return initial, nil
	}
	return f.empty(s, "")
}

// checkUpload applies Django's FileField.to_python to a submitted file,
// then the size limit, and makes its Upload.
func checkUpload(s settings, file *multipart.FileHeader) (any, error) {
	name := validFileName(file.Filename)
	if n := utf8.RuneCountInString(name); s.maxLength > 0 && n > s.maxLength {
		return nil, ValidationError{"Ensure this filename has at most " + strconv.Itoa(s.maxLength) +
			plural(s.maxLength, " character", " characters") + " (it has " + strconv.Itoa(n) + ")."}
	}
	switch {
	case name == "":
		return nil, ValidationError{msgNoFile}
	case file.Size <= 0:
		return nil, ValidationError{msgEmptyFile}
	case s.maxSize > 0 && file.Size > s.maxSize:
		return nil, ValidationError{fmt.Sprintf("Ensure this file is at most %s (it is %s).", FileSize(s.maxSize), FileSize(file.Size))}
	}
	return &Upload{Name: name, Size: file.Size, ContentType: file.Header.Get("Content-Type"), header: file}, nil
}

// MaxSize limits the size of a file field's uploads to n bytes: "Ensure
// this file is at most 2.0 MB (it is 2.5 MB)."
func MaxSize(n int64) Option { return func(s *settings) { s.maxSize = n } }

// UploadTo names the directory a model form stores a file field's uploads
// in (Django's upload_to); %Y, %m, %d, %H, %M and %S stand for the date
// and time of the upload, in UTC.
func UploadTo(dir string) Option { return func(s *settings) { s.uploadTo = dir } }

// WithStorage tells a file field where its files are kept, to link the
// stored one and, in a model form, to store uploads.
func WithStorage(st Storage) Option { return func(s *settings) { s.storage = st } }

// FileSize writes a number of bytes as Django's filesizeformat does:
// "1 byte", "512 bytes", "1.5 KB", "2.0 MB" (units of 1024).
func FileSize(n int64) string {
	const kb = 1024
	switch {
	case n < kb:
		return strconv.FormatInt(n, 10) + plural(int(min(n, 2)), " byte", " bytes")
	case n < kb*kb:
		return oneDecimal(float64(n)/kb) + " KB"
	case n < kb*kb*kb:
		return oneDecimal(float64(n)/(kb*kb)) + " MB"
	case n < kb*kb*kb*kb:
		return oneDecimal(float64(n)/(kb*kb*kb)) + " GB"
	case n < kb*kb*kb*kb*kb:
		return oneDecimal(float64(n)/(kb*kb*kb*kb)) + " TB"
	}
	return oneDecimal(float64(n)/(kb*kb*kb*kb*kb)) + " PB"
}

func oneDecimal(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
