package dashboard

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
)

var pages = []string{"login", "message", "overview", "unanswered", "test", "knowledge", "edit", "nudges", "admins", "audit"}

func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"markdown": markdownHTML,
		"date":     func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		"pct": func(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" },
		"clip": func(s string, n int) string {
			if r := []rune(s); len(r) > n {
				return string(r[:n]) + "…"
			}
			return s
		},
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+p+".html")
		if err != nil {
			return nil, fmt.Errorf("dashboard template %s: %w", p, err)
		}
		out[p] = t
	}
	return out, nil
}

// render writes page with v, through html/template: everything users
// typed is escaped.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, page string, v *view) {
	v.Page = page
	var buf bytes.Buffer
	if err := s.tmpl[page].Execute(&buf, v); err != nil {
		s.log.ErrorContext(r.Context(), "dashboard: render", "page", page, "err", err)
		http.Error(w, "Something went wrong showing this page.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	buf.WriteTo(w)
}

// errorPage shows one sentence.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, code int, msg string) {
	title := "Dashboard"
	if code >= 400 {
		title = http.StatusText(code)
	}
	s.render(w, r, code, "message", &view{Title: title, Data: msg})
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// markdownHTML renders the Markdown of FAQ answers as safe HTML: all text
// is escaped first; then paragraphs, "- " lists, **bold**, _italic_,
// `code` and [links](https://...) with http(s) targets only become tags.
// Raw HTML in the answer stays text.
func markdownHTML(md string) template.HTML {
	var sb strings.Builder
	inList := false
	para := []string{}
	flush := func() {
		if len(para) > 0 {
			sb.WriteString("<p>" + inline(strings.Join(para, " ")) + "</p>")
			para = para[:0]
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		l := strings.TrimSpace(line)
		item, isItem := strings.CutPrefix(l, "- ")
		if !isItem {
			item, isItem = strings.CutPrefix(l, "* ")
		}
		switch {
		case isItem:
			flush()
			if !inList {
				sb.WriteString("<ul>")
				inList = true
			}
			sb.WriteString("<li>" + inline(item) + "</li>")
		case l == "":
			flush()
			if inList {
				sb.WriteString("</ul>")
				inList = false
			}
		default:
			if inList {
				sb.WriteString("</ul>")
				inList = false
			}
			para = append(para, l)
		}
	}
	flush()
	if inList {
		sb.WriteString("</ul>")
	}
	return template.HTML(sb.String()) // #nosec: built from escaped text only
}

// inline renders one line's inline Markdown; s is raw text.
func inline(s string) string {
	var sb strings.Builder
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, "`"):
			if end := strings.Index(s[1:], "`"); end >= 0 {
				sb.WriteString("<code>" + template.HTMLEscapeString(s[1:1+end]) + "</code>")
				s = s[end+2:]
				continue
			}
		case strings.HasPrefix(s, "**"):
			if end := strings.Index(s[2:], "**"); end > 0 {
				sb.WriteString("<strong>" + inline(s[2:2+end]) + "</strong>")
				s = s[end+4:]
				continue
			}
		case strings.HasPrefix(s, "_"):
			if end := strings.Index(s[1:], "_"); end > 0 {
				sb.WriteString("<em>" + inline(s[1:1+end]) + "</em>")
				s = s[end+2:]
				continue
			}
		case strings.HasPrefix(s, "["):
			if text, rest, ok := strings.Cut(s[1:], "]("); ok && !strings.Contains(text, "]") {
				if target, after, ok := strings.Cut(rest, ")"); ok && safeURL(target) {
					sb.WriteString(`<a href="` + template.HTMLEscapeString(target) + `" rel="nofollow noopener noreferrer">` + inline(text) + "</a>")
					s = after
					continue
				}
			}
		}
		n := len(s)
		if i := strings.IndexAny(s[1:], "`*_["); i >= 0 {
			n = i + 1
		}
		sb.WriteString(template.HTMLEscapeString(s[:n]))
		s = s[n:]
	}
	return sb.String()
}

func safeURL(u string) bool {
	if strings.ContainsAny(u, " \"'<>`\\") {
		return false
	}
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}
