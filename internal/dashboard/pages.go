package dashboard

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

// queueLimit is how many question groups the unanswered page lists.
const queueLimit = 200

type overviewData struct {
	Range         int
	Ranges        []int
	Ov            store.Overview
	Asked, Answd  int
	NotSure, Decl int
	Chart         template.HTML
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request, v *view) error {
	days, _ := strconv.Atoi(r.URL.Query().Get("days"))
	if !slices.Contains([]int{7, 30, 90}, days) {
		days = 30
	}
	now := s.now().UTC()
	to := now.Truncate(24 * time.Hour).Add(24 * time.Hour)
	ov, err := s.cfg.Store.WorkspaceOverview(r.Context(), v.Tenant, to.Add(-time.Duration(days)*24*time.Hour), to)
	if err != nil {
		return err
	}
	d := overviewData{Range: days, Ranges: []int{7, 30, 90}, Ov: ov}
	for _, day := range ov.Days {
		d.Asked += day.Asked
		d.Answd += day.Answered
		d.NotSure += day.NotSure
		d.Decl += day.Declined
	}
	d.Chart = chartSVG(ov.Days)
	v.Title, v.Data = "Overview", d
	s.render(w, r, http.StatusOK, "overview", v)
	return nil
}

type unansweredData struct {
	Queue   []store.QueuedQuestion
	Entries []knowledge.Entry
}

func (s *Server) unanswered(w http.ResponseWriter, r *http.Request, v *view) error {
	q, err := s.cfg.Store.UnansweredQueue(r.Context(), v.Tenant, queueLimit)
	if err != nil {
		return err
	}
	kb := s.knowledgeOf(r.Context(), v.Tenant)
	v.Title, v.Data = "Unanswered questions", unansweredData{Queue: q, Entries: sortedEntries(kb)}
	s.render(w, r, http.StatusOK, "unanswered", v)
	return nil
}

func sortedEntries(kb *knowledge.Base) []knowledge.Entry {
	es := slices.Clone(kb.FAQ)
	slices.SortFunc(es, func(a, b knowledge.Entry) int {
		return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
	})
	return es
}

// answerQuestion writes a new workspace FAQ entry answering a question
// from the queue, found by the question's own words.
func (s *Server) answerQuestion(w http.ResponseWriter, r *http.Request, v *view) error {
	question := strings.TrimSpace(r.FormValue("question"))
	title := oneLine(r.FormValue("title"))
	answer := strings.TrimSpace(r.FormValue("answer"))
	if question == "" || answer == "" {
		return userErr("Write the answer before saving it.")
	}
	if title == "" {
		title = oneLine(question)
	}
	kb := s.knowledgeOf(r.Context(), v.Tenant)
	id := slug(r.FormValue("id"))
	if id == "" {
		id = slug(title)
	}
	if id == "" {
		id = "faq"
	}
	for base, i := id, 2; ; i++ {
		if _, taken := kb.Entry(id); !taken {
			if _, shipped := s.cfg.Workspaces.Base.Entry(id); !shipped {
				break
			}
		}
		id = base + "-" + strconv.Itoa(i)
	}
	o := store.FAQOverride{ID: id, Title: title, Answer: answer, Phrasings: []string{oneLine(question)}}
	if err := checkOverride(o); err != nil {
		return err
	}
	err := s.change(r, v, store.FAQChange{Put: []store.FAQOverride{o}, Resolves: bot.NormalizeQuestion(question), Resolution: "answered",
		Audit: store.AuditEntry{Action: "answer", Subject: question, After: card(o, false)}})
	if err != nil {
		return err
	}
	http.Redirect(w, r, withParam(v.Base+"/unanswered", "done", "Saved as entry "+id+": the bot answers that question with it now."), http.StatusSeeOther)
	return nil
}

// addPhrasing adds a queued question to an existing entry's phrasings.
func (s *Server) addPhrasing(w http.ResponseWriter, r *http.Request, v *view) error {
	question := oneLine(r.FormValue("question"))
	id := r.FormValue("entry")
	kb := s.knowledgeOf(r.Context(), v.Tenant)
	if _, ok := kb.Entry(id); !ok || question == "" {
		return userErr("Pick an entry for that question.")
	}
	o, before, err := s.override(r, v.Tenant, id)
	if err != nil {
		return err
	}
	if !slices.Contains(o.Phrasings, question) {
		o.Phrasings = append(o.Phrasings, question)
	}
	if err := checkOverride(o); err != nil {
		return err
	}
	_, shipped := s.cfg.Workspaces.Base.Entry(id)
	err = s.change(r, v, store.FAQChange{Put: []store.FAQOverride{o}, Resolves: bot.NormalizeQuestion(question), Resolution: "phrasing",
		Audit: store.AuditEntry{Action: "phrasing", Subject: id, Before: before, After: card(o, shipped)}})
	if err != nil {
		return err
	}
	http.Redirect(w, r, withParam(v.Base+"/unanswered", "done", "Added as a way of asking "+id+"."), http.StatusSeeOther)
	return nil
}

func (s *Server) dismiss(w http.ResponseWriter, r *http.Request, v *view) error {
	question := strings.TrimSpace(r.FormValue("question"))
	if question == "" {
		return userErr("Which question?")
	}
	if err := s.cfg.Store.DismissUnanswered(r.Context(), v.Tenant, bot.NormalizeQuestion(question), question, v.Session.User); err != nil {
		return err
	}
	http.Redirect(w, r, withParam(v.Base+"/unanswered", "done", "Dismissed. It comes back if someone asks it again."), http.StatusSeeOther)
	return nil
}

// override returns the workspace's override of id (a fresh one when it
// has none) and its card, for the audit log's "before".
func (s *Server) override(r *http.Request, t bot.TenantRef, id string) (store.FAQOverride, string, error) {
	all, _, err := s.cfg.Store.FAQOverrides(r.Context(), t)
	if err != nil {
		return store.FAQOverride{}, "", err
	}
	_, shipped := s.cfg.Workspaces.Base.Entry(id)
	for _, o := range all {
		if o.ID == id {
			return o, card(o, shipped), nil
		}
	}
	return store.FAQOverride{ID: id}, "", nil
}

// change stores c after checking that the workspace's overrides still
// merge onto the shipped knowledge, then rebuilds the workspace's index
// so the next question is answered with it without waiting.
func (s *Server) change(r *http.Request, v *view, c store.FAQChange) error {
	c.Tenant, c.By = v.Tenant, v.Session.User
	base := s.cfg.Workspaces.Base
	c.Check = func(all []store.FAQOverride) error {
		recs, err := records(base, "workspace", all)
		if err == nil {
			err = base.CheckOverrides("workspace", recs)
		}
		if err != nil {
			return bot.WrapError(bot.EINVALID, err, "That change doesn't fit the knowledge: %s", knowledgeMessage(err))
		}
		return nil
	}
	if err := s.cfg.Store.ChangeFAQ(r.Context(), c); err != nil {
		return err
	}
	if _, err := s.cfg.Workspaces.KnowledgeFor(r.Context(), v.Tenant); err != nil {
		s.log.ErrorContext(r.Context(), "dashboard: rebuild workspace knowledge", "tenant", v.Tenant.String(), "err", err)
	}
	return nil
}

// knowledgeMessage is a knowledge error without its file and line.
func knowledgeMessage(err error) string {
	var ke *knowledge.Error
	for e := err; e != nil; {
		if k, ok := e.(*knowledge.Error); ok {
			ke = k
			break
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			break
		}
		e = u.Unwrap()
	}
	if ke != nil {
		return ke.Msg
	}
	return err.Error()
}

type testData struct {
	Question string
	Asked    bool
	Match    knowledge.Match
	Answer   string
}

// testPane shows which entry a question would get and how sure the bot
// is, as a member would ask it; nothing is recorded.
func (s *Server) testPane(w http.ResponseWriter, r *http.Request, v *view) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := testData{Question: q}
	if q != "" {
		if len(q) > bot.MaxInput {
			return userErr(fmt.Sprintf("Keep the question under %d characters.", bot.MaxInput))
		}
		kb := s.knowledgeOf(r.Context(), v.Tenant)
		d.Asked, d.Match = true, kb.Index.Search(q)
		if d.Match.Answered && d.Match.Entry != nil {
			d.Answer = d.Match.Entry.Answer
		}
	}
	v.Title, v.Data = "Test a question", d
	s.render(w, r, http.StatusOK, "test", v)
	return nil
}

type entryRow struct {
	knowledge.Entry
	State string // shipped, edited, new, hidden
}

type knowledgeData struct {
	Entries []entryRow
	Hidden  []store.FAQOverride
}

func (s *Server) knowledgePage(w http.ResponseWriter, r *http.Request, v *view) error {
	all, _, err := s.cfg.Store.FAQOverrides(r.Context(), v.Tenant)
	if err != nil {
		return err
	}
	byID := map[string]store.FAQOverride{}
	for _, o := range all {
		byID[o.ID] = o
	}
	kb := s.knowledgeOf(r.Context(), v.Tenant)
	d := knowledgeData{}
	for _, e := range sortedEntries(kb) {
		state := "shipped"
		if _, ok := byID[e.ID]; ok {
			state = "edited"
			if _, shipped := s.cfg.Workspaces.Base.Entry(e.ID); !shipped {
				state = "new"
			}
		}
		d.Entries = append(d.Entries, entryRow{Entry: e, State: state})
	}
	for _, o := range all {
		if o.Hidden {
			d.Hidden = append(d.Hidden, o)
		}
	}
	v.Title, v.Data = "Knowledge", d
	s.render(w, r, http.StatusOK, "knowledge", v)
	return nil
}

type editData struct {
	New       bool
	Shipped   bool
	Entry     knowledge.Entry
	Override  store.FAQOverride
	Phrasings string
}

func (s *Server) editPage(w http.ResponseWriter, r *http.Request, v *view) error {
	id := r.URL.Query().Get("id")
	d := editData{New: id == ""}
	if id != "" {
		kb := s.knowledgeOf(r.Context(), v.Tenant)
		e, ok := kb.Entry(id)
		if !ok {
			e, ok = s.cfg.Workspaces.Base.Entry(id)
		}
		if !ok {
			return bot.Errorf(bot.ENOTFOUND, "There is no entry %q in this workspace.", id)
		}
		o, _, err := s.override(r, v.Tenant, id)
		if err != nil {
			return err
		}
		_, d.Shipped = s.cfg.Workspaces.Base.Entry(id)
		d.Entry, d.Override, d.Phrasings = e, o, strings.Join(o.Phrasings, "\n")
	}
	v.Title, v.Data = "Edit entry", d
	if d.New {
		v.Title = "New entry"
	}
	s.render(w, r, http.StatusOK, "edit", v)
	return nil
}

// saveEntry stores an entry's override from the edit form: a title or
// answer equal to the shipped one is not an override.
func (s *Server) saveEntry(w http.ResponseWriter, r *http.Request, v *view) error {
	id := strings.TrimSpace(r.FormValue("id"))
	title, answer := oneLine(r.FormValue("title")), strings.TrimSpace(strings.ReplaceAll(r.FormValue("answer"), "\r\n", "\n"))
	if r.FormValue("new") != "" {
		if id == "" {
			id = slug(title)
		}
		if _, taken := s.knowledgeOf(r.Context(), v.Tenant).Entry(id); taken {
			return userErr("An entry with the id " + id + " exists already; edit it instead.")
		}
	}
	o, before, err := s.override(r, v.Tenant, id)
	if err != nil {
		return err
	}
	shippedEntry, shipped := s.cfg.Workspaces.Base.Entry(id)
	o.Title, o.Answer, o.Phrasings = title, answer, nil
	if shipped && title == shippedEntry.Title {
		o.Title = ""
	}
	if shipped && answer == strings.TrimSpace(shippedEntry.Answer) {
		o.Answer = ""
	}
	for _, p := range strings.Split(r.FormValue("phrasings"), "\n") {
		if p = oneLine(p); p != "" && !slices.Contains(o.Phrasings, p) {
			o.Phrasings = append(o.Phrasings, p)
		}
	}
	if !shipped && (o.Title == "" || o.Answer == "" || len(o.Phrasings) == 0) {
		return userErr("A new entry needs a title, an answer and at least one way of asking it.")
	}
	if err := checkOverride(o); err != nil {
		return err
	}
	if err := s.change(r, v, store.FAQChange{Put: []store.FAQOverride{o}, Audit: store.AuditEntry{Action: "edit", Subject: id, Before: before, After: card(o, shipped)}}); err != nil {
		return err
	}
	http.Redirect(w, r, withParam(v.Base+"/knowledge", "done", "Saved "+id+"."), http.StatusSeeOther)
	return nil
}

func (s *Server) hideEntry(w http.ResponseWriter, r *http.Request, v *view) error {
	id := r.FormValue("id")
	o, before, err := s.override(r, v.Tenant, id)
	if err != nil {
		return err
	}
	o.Hidden = r.FormValue("hidden") != "no"
	_, shipped := s.cfg.Workspaces.Base.Entry(id)
	action := "hide"
	if !o.Hidden {
		action = "unhide"
	}
	if err := s.change(r, v, store.FAQChange{Put: []store.FAQOverride{o}, Audit: store.AuditEntry{Action: action, Subject: id, Before: before, After: card(o, shipped)}}); err != nil {
		return err
	}
	http.Redirect(w, r, withParam(v.Base+"/knowledge", "done", action+" "+id+": done."), http.StatusSeeOther)
	return nil
}

func (s *Server) revertEntry(w http.ResponseWriter, r *http.Request, v *view) error {
	id := r.FormValue("id")
	_, before, err := s.override(r, v.Tenant, id)
	if err != nil {
		return err
	}
	if err := s.change(r, v, store.FAQChange{Delete: []string{id}, Audit: store.AuditEntry{Action: "revert", Subject: id, Before: before}}); err != nil {
		return err
	}
	http.Redirect(w, r, withParam(v.Base+"/knowledge", "done", "Removed this workspace's changes to "+id+"."), http.StatusSeeOther)
	return nil
}

func (s *Server) exportKnowledge(w http.ResponseWriter, r *http.Request, v *view) error {
	all, _, err := s.cfg.Store.FAQOverrides(r.Context(), v.Tenant)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+slug(v.Tenant.String())+`-faq.md"`)
	fmt.Fprintf(w, "# FAQ overrides of workspace %s, in the knowledge file format (knowledge/FORMAT.md).\n", oneLine(v.Tenant.String()))
	_, err = w.Write([]byte(cards(s.cfg.Workspaces.Base, all)))
	return err
}

func (s *Server) importKnowledge(w http.ResponseWriter, r *http.Request, v *view) error {
	overrides, ignored, err := parseImport([]byte(strings.ReplaceAll(r.FormValue("cards"), "\r\n", "\n")))
	if err != nil {
		return bot.WrapError(bot.EINVALID, err, "That file isn't in the knowledge format: %s", knowledgeMessage(err))
	}
	if len(overrides) == 0 {
		return userErr("There were no records to import.")
	}
	ids := make([]string, len(overrides))
	for i, o := range overrides {
		ids[i] = o.ID
	}
	if err := s.change(r, v, store.FAQChange{Put: overrides, Audit: store.AuditEntry{Action: "import", Subject: strings.Join(ids, ", "), After: cards(s.cfg.Workspaces.Base, overrides)}}); err != nil {
		return err
	}
	msg := "Imported " + plural(len(overrides), "entry") + "."
	if len(ignored) > 0 {
		msg += " Not kept by the dashboard: " + strings.Join(ignored, ", ") + "."
	}
	http.Redirect(w, r, withParam(v.Base+"/knowledge", "done", msg), http.StatusSeeOther)
	return nil
}

type nudgesData struct {
	Dead        []bot.Nudge
	Unreachable []store.UnreachableUser
}

func (s *Server) nudgesPage(w http.ResponseWriter, r *http.Request, v *view) error {
	dead, err := s.cfg.Store.ListNudges(r.Context(), bot.NudgeFilter{Status: bot.NudgeDead, User: bot.UserRef{Platform: v.Tenant.Platform, Tenant: v.Tenant.ID}, Limit: 200})
	if err != nil {
		return err
	}
	un, err := s.cfg.Store.UnreachableUsers(r.Context(), v.Tenant)
	if err != nil {
		return err
	}
	v.Title, v.Data = "Nudge health", nudgesData{Dead: dead, Unreachable: un}
	s.render(w, r, http.StatusOK, "nudges", v)
	return nil
}

func (s *Server) retryNudges(w http.ResponseWriter, r *http.Request, v *view) error {
	n, err := s.cfg.Store.RetryDead(r.Context(), bot.NudgeFilter{User: bot.UserRef{Platform: v.Tenant.Platform, Tenant: v.Tenant.ID}}, s.now())
	if err != nil {
		return err
	}
	if err := s.cfg.Store.AddAudit(r.Context(), store.AuditEntry{Tenant: v.Tenant, Actor: v.Session.User.String(), Action: "retry nudges", After: plural(n, "nudge") + " re-queued"}); err != nil {
		return err
	}
	http.Redirect(w, r, withParam(v.Base+"/nudges", "done", "Re-queued "+plural(n, "dead nudge")+"; a running bot sends them within seconds."), http.StatusSeeOther)
	return nil
}

type adminsData struct {
	Admins []bot.TenantAdmin
	Roles  []store.DashboardRole
}

func (s *Server) adminsPage(w http.ResponseWriter, r *http.Request, v *view) error {
	admins, err := s.cfg.Store.Admins(r.Context(), v.Tenant)
	if err != nil {
		return err
	}
	roles, err := s.cfg.Store.DashboardRoles(r.Context(), v.Tenant)
	if err != nil {
		return err
	}
	v.Title, v.Data = "Admins and roles", adminsData{Admins: admins, Roles: roles}
	s.render(w, r, http.StatusOK, "admins", v)
	return nil
}

func (s *Server) setRole(w http.ResponseWriter, r *http.Request, v *view) error {
	user, role := strings.TrimSpace(r.FormValue("user")), r.FormValue("role")
	if role == "none" {
		role = ""
	}
	if err := s.cfg.Store.SetDashboardRole(r.Context(), v.Tenant, user, role, v.Session.User); err != nil {
		return err
	}
	http.Redirect(w, r, withParam(v.Base+"/admins", "done", "Saved."), http.StatusSeeOther)
	return nil
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, v *view) error {
	log, err := s.cfg.Store.Audit(r.Context(), v.Tenant, 200)
	if err != nil {
		return err
	}
	v.Title, v.Data = "Audit log", log
	s.render(w, r, http.StatusOK, "audit", v)
	return nil
}

func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request, v *view) error {
	log, err := s.cfg.Store.Audit(r.Context(), v.Tenant, 1000)
	if err != nil {
		return err
	}
	rows := [][]string{{"time", "who", "action", "subject", "before", "after"}}
	for _, a := range log {
		rows = append(rows, []string{a.At.UTC().Format(time.RFC3339), a.Actor, a.Action, a.Subject, a.Before, a.After})
	}
	return writeCSV(w, "audit.csv", rows)
}

func (s *Server) unansweredCSV(w http.ResponseWriter, r *http.Request, v *view) error {
	q, err := s.cfg.Store.UnansweredQueue(r.Context(), v.Tenant, queueLimit)
	if err != nil {
		return err
	}
	rows := [][]string{{"question", "times asked", "users", "first asked", "last asked", "off topic"}}
	for _, x := range q {
		rows = append(rows, []string{x.Text, strconv.Itoa(x.Count), strconv.Itoa(x.Users), x.First.Format(time.RFC3339), x.Last.Format(time.RFC3339), strconv.FormatBool(x.OffTopic)})
	}
	return writeCSV(w, "unanswered.csv", rows)
}

// writeCSV writes rows as a CSV download, every cell made safe for
// spreadsheets (csvCell).
func writeCSV(w http.ResponseWriter, name string, rows [][]string) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, c := range row {
			safe[i] = csvCell(c)
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell guards a cell against formula injection: a spreadsheet runs a
// cell starting with =, +, -, @, a tab or a carriage return as a formula,
// so such a cell gets a leading apostrophe (OWASP's advice).
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
