package knowledge

import "strings"

// A follow-up that lands on the answer just given ("is it free?" after the
// program overview, "does #sp count?" after the disclosure answer) is
// better met with the part of that answer it asks about than with the
// whole answer again. Passage finds that part.

// Passage returns the passage of answer (a paragraph, or one list item
// with the sentence that introduces its list) that shares the most with
// question, weighing each shared word by how rare it is in the knowledge,
// and that share of the question's words that are not in the entry's
// title (its new words, the ones that say what part is asked about). ok is
// false when no passage has one of those new words.
func (ix *Index) Passage(e Entry, question string) (passage string, share float64, ok bool) {
	pw := ix.passageWordsOf(e)
	asked := map[string]float64{}
	total := 0.0
	for _, w := range contentWords(question) {
		w = stem(w)
		if pw.title[w] || asked[w] > 0 || w == "hashtag" {
			// "#sp" reads "hashtag sp": the tag is what is asked about.
			continue
		}
		idf := ix.wordIDF(w)
		asked[w] = idf
		total += idf
	}
	if total == 0 {
		return "", 0, false
	}
	ps := pw.passages
	scores := make([]float64, len(ps))
	bestScore := 0.0
	for i := range ps {
		for _, w := range pw.stems[i] {
			scores[i] += asked[w]
		}
		bestScore = max(bestScore, scores[i])
	}
	if bestScore == 0 {
		return "", 0, false
	}
	// Every passage as good as the best is given. A list item comes with
	// its whole list, under the line that introduces it: the items of a
	// list are often alternatives ("$10 by direct deposit", "$100 by
	// check"), and one of them alone would pass for the whole answer.
	var sb strings.Builder
	lists := map[int]bool{}
	for i, p := range ps {
		if scores[i] < bestScore || lists[p.list] && p.list > 0 {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteString("\n\n")
		}
		if p.list == 0 {
			sb.WriteString(p.text)
			continue
		}
		lists[p.list] = true
		if p.lead != "" {
			sb.WriteString(p.lead + "\n")
		}
		var items []string
		for _, q := range ps {
			if q.list == p.list {
				items = append(items, q.text)
			}
		}
		sb.WriteString(strings.Join(items, "\n"))
	}
	return sb.String(), bestScore / total, true
}

// passageWords is what Passage reads of an entry: the stems of its title,
// and its answer's passages with the distinct stems of each.
type passageWords struct {
	titleText, answer string // what they were read from
	title             map[string]bool
	passages          []passage
	stems             [][]string
}

// passageWordsOf reads e for Passage once, and keeps what it read under
// e's ID for as long as e's title and answer stay the same (a workspace's
// own version of an entry is read afresh). Stemming every word of an
// answer for each question asked again took 2.6% of a server's CPU; it is
// not done at load, which must stay fast at thousands of entries.
func (ix *Index) passageWordsOf(e Entry) *passageWords {
	if v, ok := ix.passageMemo.Load(e.ID); ok {
		if pw := v.(*passageWords); pw.answer == e.Answer && pw.titleText == e.Title {
			return pw
		}
	}
	pw := &passageWords{titleText: e.Title, answer: e.Answer, title: map[string]bool{}, passages: passages(e.Answer)}
	for _, w := range contentWords(e.Title) {
		pw.title[stem(w)] = true
	}
	pw.stems = make([][]string, len(pw.passages))
	for i, p := range pw.passages {
		seen := map[string]bool{}
		for _, w := range contentWords(p.text) {
			if w = stem(w); !seen[w] {
				seen[w] = true
				pw.stems[i] = append(pw.stems[i], w)
			}
		}
	}
	if e.ID != "" {
		ix.passageMemo.Store(e.ID, pw)
	}
	return pw
}

// passage is a paragraph, or a list item with the line that introduces
// its list (lead).
type passage struct {
	lead, text string
	list       int // which list of the answer the item is in, from 1; 0 for a paragraph
}

// wordIDF is how rare a stemmed content word is in the knowledge: a word
// the index has never seen counts as the rarest.
func (ix *Index) wordIDF(st string) float64 {
	if id, ok := ix.terms[st]; ok && int(id) < len(ix.idf) {
		return float64(ix.idf[id])
	}
	most := 0.0
	for _, v := range ix.idf {
		most = max(most, float64(v))
	}
	return most
}

// passages splits a Markdown answer into paragraphs; a list item is a
// passage of its own, after the line that introduces its list.
func passages(answer string) []passage {
	var out []passage
	var para []string
	lead := ""
	list, inList := 0, false
	prev := "" // the last line of the paragraph just ended
	flush := func() {
		if len(para) > 0 {
			out = append(out, passage{text: strings.Join(para, "\n")})
			prev = para[len(para)-1]
			para = nil
		}
	}
	for _, line := range strings.Split(answer, "\n") {
		line = strings.TrimRight(line, " \t")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "* ") || startsNumbered(trimmed):
			if len(para) > 0 {
				flush()
				lead = lastSentence(prev)
				inList = false
			} else if !inList {
				// A list after a blank line: introduced by the paragraph
				// before it when that ends with a colon.
				lead = ""
				if strings.HasSuffix(prev, ":") || strings.HasSuffix(prev, ":**") {
					lead = lastSentence(prev)
				}
			}
			if !inList {
				list, inList = list+1, true
			}
			prev = ""
			out = append(out, passage{lead: lead, text: trimmed, list: list})
		default:
			if len(para) == 0 {
				lead = ""
			}
			inList, prev = false, ""
			para = append(para, trimmed)
		}
	}
	flush()
	return out
}

// startsNumbered reports whether s starts like "1. " or "12) ".
func startsNumbered(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' '
}

// lastSentence is the last sentence of a line: the one that introduces
// the list after it ("In practice:").
func lastSentence(line string) string {
	if i := strings.LastIndex(strings.TrimRight(line, ".: "), ". "); i >= 0 {
		return strings.TrimSpace(line[i+2:])
	}
	return line
}
