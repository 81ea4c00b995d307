package knowledge

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
)

func testIndex(t testing.TB) *Index {
	t.Helper()
	entries := []Entry{
		{ID: "reapply-wait", Title: "How long to wait before reapplying", Phrasings: []string{"how long do I have to wait to reapply", "when can I apply again after being rejected"}, Answer: "Amazon publishes no waiting period."},
		{ID: "follower-requirement", Title: "How many followers you need", Phrasings: []string{"how many followers do I need", "minimum subscribers for the influencer program"}, Answer: "There is no published minimum."},
		{ID: "storefront", Title: "Your Amazon storefront", Phrasings: []string{"how do I set up my storefront", "customize my shop page"}, Answer: "Your storefront lives at amazon.com/shop/handle."},
		{ID: "platforms", Title: "Which platforms are accepted", Phrasings: []string{"which social media accounts can I apply with", "can I apply with twitter"}, Answer: "YouTube, Instagram, Facebook, TikTok and X."},
	}
	decoys := []Entry{{ID: "offtopic-shopping", Title: "Orders", Phrasings: []string{"where is my package", "track my order", "return an item for a refund"}}}
	return NewIndex(entries, decoys, nil)
}

func TestSearch(t *testing.T) {
	ix := testIndex(t)
	tests := []struct {
		name, q, want string
	}{
		{"a paraphrase finds its entry", "how long must I wait before I reapply", "reapply-wait"},
		{"slang subs means subscribers", "how many subs do i need", "follower-requirement"},
		{"a typo is corrected", "how many folowers do I need", "follower-requirement"},
		{"denied is a synonym of rejected", "got denied, when can i apply again", "reapply-wait"},
		{"store front in two words", "how to customize my store front", "storefront"},
		{"twitter means X", "can i use my tweets account, is X accepted", "platforms"},
		{"off-topic is declined", "where is my package", ""},
		{"the weather is declined", "what's the weather like tomorrow", ""},
		{"an empty question is declined", "   ", ""},
		{"punctuation only is declined", "?!...", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ix.Search(tt.q)
			got := ""
			if m.Answered {
				got = m.Entry.ID
			}
			if got != tt.want {
				t.Errorf("Search(%q) = %q (confidence %.2f), want %q", tt.q, got, m.Confidence, tt.want)
			}
			if m.Confidence < 0 || m.Confidence > 1 {
				t.Errorf("confidence %v out of [0,1]", m.Confidence)
			}
		})
	}
}

func TestSearchSuggestsWhenUnsure(t *testing.T) {
	ix := testIndex(t)
	m := ix.Search("storefront followers")
	if m.Answered {
		t.Skipf("answered %s with %.2f; the question was meant to be ambiguous", m.Entry.ID, m.Confidence)
	}
	if len(m.Suggestions) == 0 || len(m.Suggestions) > 3 {
		t.Fatalf("got %d suggestions, want 1 to 3", len(m.Suggestions))
	}
}

func TestDamerau(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"followers", "followers", 2, 0},
		{"folowers", "followers", 2, 1},
		{"follwoers", "followers", 2, 1},
		{"engagment", "engagement", 2, 1},
		{"storefrnt", "storefront", 2, 1},
		{"abc", "xyz", 1, 2},
		{"comission", "commission", 1, 1},
	}
	for _, tt := range tests {
		if got := EditDistanceWithin(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("EditDistanceWithin(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Don't I need 5,000 followers?", "dont i need 5000 followers"},
		{"5k subs", "5000 subs"},
		{"do i need #ad or #sponsored?", "do i need hashtag ad or hashtag sponsored"},
		{"# of posts", "of posts"},
		{"is 3% good", "is 3 percent good"},
		{"IG/insta & YT", "ig insta yt"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(tokenize(tt.in), " "); got != tt.want {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestContentWords(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"slang meets its canonical word", "how many subs do i need", "many subscribers need"},
		{"what is forbidden reads as prohibited", "what is forbidden or not allowed", "prohibited prohibited"},
		{"grading reads as criteria", "what do they grade you on", "criteria"},
		{"an agency's client is filler", "my client got rejected", "rejected"},
		{"times of day are filler", "applied this morning, rejected tonight", "application rejected"},
		{"submitting her again is reapplying", "can we submit her again", "reapply"},
		{"#ad is a disclosure", "do i need #ad", "need disclosure"},
		{"getting paid is a payout, not earnings", "when do i get paid by direct deposit", "when payout payout"},
		{"money is earnings", "how much money do influencers make", "much earn influencers make"},
		{"submitting another application is reapplying", "can i submit another application", "reapply application"},
		{"asking the bot is about the bot", "what can i ask you", "bot"},
		{"a just-created account is new", "i just created my tiktok, is a brand new account ok", "new tiktok new account"},
		{"applying a second time is reapplying", "what to change before i apply second time", "change reapply"},
		{"too soon is about waiting", "can i apply now or is it too soon", "apply wait"},
		{"payday is a payout", "when is payday", "when payout"},
		{"SF is the storefront", "how do i share my SF", "share storefront"},
		{"AIP is the Amazon Influencer Program", "got rejected from AIP", "rejected amazon influencer program"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(contentWords(tt.in), " "); got != tt.want {
				t.Errorf("contentWords(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFocusedWords(t *testing.T) {
	tests := []struct {
		name, in, focus string
	}{
		{"one sentence is all focus", "how long do i wait to reapply", "long wait reapply"},
		{"the last question is the focus", "I applied in May with my TikTok. Got the no today. How long must I wait to reapply?", "long wait reapply"},
		{"what follows the question stays in focus", "got rejected again. why would they say no? thanks in advance", "why rejected advance"},
		{"a short question widens to the sentence before", "My client got rejected from the program. Why?", "rejected program why"},
		{"without a question mark the last sentence is the focus", "posted daily for a year. what should i change in my content before i reapply", "change content reapply"},
		{"a decimal point ends no sentence", "my engagement is 1.5 percent. is that good enough to apply?", "good enough apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			words, focus := focusedWords(tt.in)
			if got := strings.Join(words[focus:], " "); got != tt.focus {
				t.Errorf("focus of %q = %q, want %q", tt.in, got, tt.focus)
			}
			if got, want := strings.Join(words, " "), strings.Join(contentWords(tt.in), " "); got != want {
				t.Errorf("words of %q = %q, want all its content words %q", tt.in, got, want)
			}
		})
	}
}

func TestShippedKnowledgeLoads(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	if len(kb.FAQ) < 30 {
		t.Errorf("got %d FAQ entries, want at least 30", len(kb.FAQ))
	}
	for _, e := range kb.FAQ {
		words := len(strings.Fields(e.Answer))
		if words < 40 || words > 200 {
			t.Errorf("%s: answer has %d words, want 40-200", e.ID, words)
		}
		if len(e.Phrasings) < 3 {
			t.Errorf("%s: %d phrasings, want several", e.ID, len(e.Phrasings))
		}
		if e.Source == "" {
			t.Errorf("%s: no source note", e.ID)
		}
	}
}

func TestRequiredEntryIDs(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range strings.Fields(`program-overview vs-associates benefits how-to-apply evaluation-criteria
		follower-requirement rejection-reasons rejection-feedback reapply-wait reapply-tips engagement-rate
		engagement-tactics content-quality niche niche-expansion collaborations platforms instagram-growth
		youtube-growth tiktok-growth facebook-x-growth commission-rates storefront promoting-products
		authenticity ftc-disclosure amazon-policies staying-motivated staying-eligible bot-help`) {
		if _, ok := kb.Entry(id); !ok {
			t.Errorf("entry %q is missing", id)
		}
	}
}

// generatedBase builds n entries from the shipped ones' vocabulary, so the
// benchmark measures a realistic index at a larger size.
func generatedBase(tb testing.TB, n int) *Index {
	tb.Helper()
	entries, kb := generatedEntries(tb, n)
	return NewIndex(entries, kb.OffTopic, kb.Index.vt)
}

// generatedEntries returns the shipped entries topped up to n with entries
// of random words from the shipped answers, and the shipped knowledge.
func generatedEntries(tb testing.TB, n int) ([]Entry, *Base) {
	tb.Helper()
	kb, err := Load(Embedded())
	if err != nil {
		tb.Fatal(err)
	}
	var vocab []string
	for _, e := range kb.FAQ {
		vocab = append(vocab, strings.Fields(strings.ToLower(e.Answer))...)
	}
	r := rand.New(rand.NewPCG(1, 2))
	words := func(k int) string {
		var sb strings.Builder
		for i := 0; i < k; i++ {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(vocab[r.IntN(len(vocab))])
		}
		return sb.String()
	}
	entries := append([]Entry(nil), kb.FAQ...)
	for i := len(entries); i < n; i++ {
		e := Entry{ID: fmt.Sprintf("gen-%d", i), Title: words(5), Answer: words(120), Tags: strings.Fields(words(6))}
		for j := 0; j < 14; j++ {
			e.Phrasings = append(e.Phrasings, words(6+r.IntN(6)))
		}
		entries = append(entries, e)
	}
	return entries[:n], kb
}

var benchQuestions = []string{
	"how long do i have to wait before i can reaply after getting denied",
	"what's a good engagement rate on insta",
	"how many subs do I need on YT",
	"where is my package",
	"do i need to put #ad on my tiktok if i use affiliate links",
}

// BenchmarkSearch measures one search that the cache does not answer, over
// the shipped entries and over a generated knowledge base of 2,000 entries
// (index built outside the timer): with the cache off, and, for "new
// question", with the cache on and a question never asked before (a number
// added), so the cache's lookup, insert and eviction are counted too.
func BenchmarkSearch(b *testing.B) {
	kb, err := Load(Embedded())
	if err != nil {
		b.Fatal(err)
	}
	generated := generatedBase(b, 2000)
	for _, bc := range []struct {
		name  string
		ix    *Index
		fresh bool
	}{{"shipped", kb.Index, false}, {"2000-entries", generated, false}, {"shipped-new-question", kb.Index, true}} {
		b.Run(bc.name, func(b *testing.B) {
			bc.ix.noCache = !bc.fresh
			qs := benchQuestions
			if bc.fresh {
				// Far more than the cache holds, so that none is remembered
				// by the time it comes round again.
				qs = make([]string, 200_000)
				for i := range qs {
					qs[i] = fmt.Sprintf("%s %d", benchQuestions[i%len(benchQuestions)], i)
				}
			}
			b.ReportAllocs()
			start := cpuTime(b)
			for i := 0; b.Loop(); i++ {
				bc.ix.Search(qs[i%len(qs)])
			}
			b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
			bc.ix.noCache = false
		})
	}
}

// BenchmarkSearchRepeated measures a search the cache answers: the same
// few questions again and again.
func BenchmarkSearchRepeated(b *testing.B) {
	kb, err := Load(Embedded())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := cpuTime(b)
	for i := 0; b.Loop(); i++ {
		kb.Index.Search(benchQuestions[i%len(benchQuestions)])
	}
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
}

func TestBadFileNamesFileAndLine(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"a line that is not a key", "id: x\ntitle: X\nphrasings:\n  - q\nthis is wrong\n", "faq/bad.md:5:"},
		{"a list item without a key", "  - orphan\n", "faq/bad.md:1:"},
		{"a missing title", "id: x\nphrasings:\n  - q\n---\nanswer\n", "faq/bad.md:1: missing \"title\""},
		{"a related id that does not exist", "id: x\ntitle: X\nrelated: nope\nphrasings:\n  - q\n---\nanswer\n", "faq/bad.md:1: entry \"x\": related id \"nope\""},
		{"a duplicate key", "id: x\nid: y\n", "faq/bad.md:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := FromFS(fstest.MapFS{"faq/bad.md": {Data: []byte(tt.file)}})
			_, err := LoadFAQ(src, "faq")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestOverlayReplacesAndAdds(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, dir+"/faq/extra.md", "id: reapply-wait\ntitle: Community answer\nphrasings:\n  - how long to wait\n---\nOur community says two months.\n===\nid: tiktok-shop\ntitle: TikTok Shop\nphrasings:\n  - what about tiktok shop\n---\nNot covered by Amazon.\n")
	src, err := WithDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := Load(src)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := kb.Entry("reapply-wait"); e.Title != "Community answer" {
		t.Errorf("overlay did not replace reapply-wait: title %q", e.Title)
	}
	if _, ok := kb.Entry("tiktok-shop"); !ok {
		t.Error("overlay did not add tiktok-shop")
	}
	if _, err := WithDir(dir + "/missing"); err == nil {
		t.Error("a missing overlay directory was accepted")
	}
}

func TestSearchNamesTheRunnerUp(t *testing.T) {
	ix := testIndex(t)
	m := ix.Search("how long do I have to wait to reapply, and how many followers do I need")
	if m.Entry == nil || m.RunnerUp == nil {
		t.Fatalf("got entry %v and runner-up %v, want both", m.Entry, m.RunnerUp)
	}
	if m.RunnerUp.ID == m.Entry.ID {
		t.Errorf("the runner-up is the best entry itself (%s)", m.Entry.ID)
	}
	if m.Margin <= 0 {
		t.Errorf("margin %v, want the best entry ahead of the runner-up", m.Margin)
	}
}

func TestSearchOffersBothWhenNeitherClearlyWins(t *testing.T) {
	ix := testIndex(t)
	const q = "how long do I have to wait to reapply, and how many followers do I need"
	if m := ix.Search(q); !m.Answered || m.Ambiguous {
		t.Fatalf("with the default margin: answered %v, ambiguous %v; want a plain answer", m.Answered, m.Ambiguous)
	}
	ix.Params.Margin = 100 // no lead is enough
	m := ix.Search(q)
	if m.Answered || !m.Ambiguous {
		t.Fatalf("answered %v, ambiguous %v; want not answered and ambiguous", m.Answered, m.Ambiguous)
	}
	if len(m.Suggestions) < 2 || m.Suggestions[0] != m.Entry || m.Suggestions[1] != m.RunnerUp {
		t.Fatalf("suggestions %v, want the best entry then the runner-up", ids(m.Suggestions))
	}
	seen := map[string]bool{}
	for _, e := range m.Suggestions {
		if seen[e.ID] {
			t.Errorf("%s suggested twice", e.ID)
		}
		seen[e.ID] = true
	}
}

func ids(es []*Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// TestShippedLookalikes checks, on the shipped knowledge, that questions
// borrowing the program's words for something else are declined while
// their in-scope twins are answered.
func TestShippedLookalikes(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, q, want string }{
		{"a shop's banner is not a storefront question", "my etsy storefront banner looks blurry, how do i fix it", ""},
		{"a realtor's commission is not ours", "how much commission does my real estate agent get when i sell my condo", ""},
		{"telling a boss about a side gig is not disclosure", "do i have to tell my manager at work about my etsy side gig", ""},
		{"an apartment application is not ours", "my apartment application was denied, when can i reapply", ""},
		{"a chat app's name is not a storefront handle", "how do i change my discord display name", ""},
		{"a pressure washing business is not ours", "do i need an llc for my pressure washing business", ""},
		{"the storefront handle twin is answered", "how do i change the name on my amazon storefront", "storefront-handle"},
		{"the business twin is answered", "do i need an llc to join the amazon influencer program", "business-llc"},
		{"the reapply twin is answered", "amazon rejected my influencer application, when can i reapply", "reapply-wait"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := kb.Index.Search(tt.q)
			got := ""
			if m.Answered {
				got = m.Entry.ID
			}
			if got != tt.want {
				t.Errorf("Search(%q) = %q (confidence %.2f), want %q", tt.q, got, m.Confidence, tt.want)
			}
		})
	}
}

func TestNicheWordsNeverSpeakForDecoys(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	ix := kb.Index
	for _, w := range []string{"cooking", "fitness", "jewelry", "pets", "music"} {
		t.Run(w+" is a niche, not an off-topic word", func(t *testing.T) {
			id, ok := ix.terms[stem(w)]
			if !ok {
				t.Fatalf("%q is not in the index", w)
			}
			if f := ix.foreign[id]; f != 0 {
				t.Errorf("%q counts %.2f towards the decoys, want 0", w, f)
			}
		})
	}
}

func TestEpochsFor(t *testing.T) {
	tests := []struct {
		name     string
		examples int
		want     int
	}{
		{"the shipped knowledge gets every pass", 4_200, 30},
		{"2,000 entries get fewer", 33_000, 6},
		{"a huge base still gets the minimum", 5_000_000, 5},
		{"no examples is not a division by zero", 0, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := epochsFor(tt.examples); got != tt.want {
				t.Errorf("epochsFor(%d) = %d, want %d", tt.examples, got, tt.want)
			}
		})
	}
}

// TestNoPhrasingInTwoEntries guards against a question written into two
// entries: the matcher then answers one of them with high confidence for
// questions meant for the other.
func TestNoPhrasingInTwoEntries(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	owner := map[string]string{}
	for _, e := range kb.FAQ {
		for _, p := range e.Phrasings {
			key := strings.Join(contentWords(p), " ")
			if other, ok := owner[key]; ok && other != e.ID {
				t.Errorf("%q (%s) reads the same as a phrasing of %s", p, e.ID, other)
			}
			owner[key] = e.ID
		}
	}
}

func TestAnchor(t *testing.T) {
	tests := []struct {
		name             string
		foreign, unknown float64
		want             float64
	}{
		{"a question naming nothing outside the program has none", 0, 0, 0},
		{"some words only decoys use make a partial anchor", 0.1, 0, 0.5},
		{"unknown words count too", 0.05, 0.05, 0.5},
		{"it stops at 1", 0.5, 0.4, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (ranking{foreign: tt.foreign, unknown: tt.unknown}).anchor(); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("anchor() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClassifierWeighsClassesEvenly(t *testing.T) {
	// Class 0 has ten times the examples of class 1; both use term 0, and
	// each has a word of its own (1 and 2). A question with only the shared
	// word must not be pulled to the bigger class by its size alone.
	var seqs [][]int32
	var labels []int32
	for range 40 {
		seqs, labels = append(seqs, []int32{0, 1}), append(labels, 0)
	}
	for range 4 {
		seqs, labels = append(seqs, []int32{0, 2}), append(labels, 1)
	}
	c := trainClassifier(3, 2, seqs, labels)
	feats := c.features([]int32{0}, false, nil)
	logits, touched := make([]float64, 2), make([]bool, 2)
	c.scores(feats, 1, logits, touched, nil)
	if ratio := math.Exp(logits[0] - logits[1]); ratio > 2 || ratio < 0.5 {
		t.Errorf("the shared word favours the bigger class %.1f to 1, want about even", ratio)
	}
}

// A narrow win over a related entry is a close call between neighbours:
// not answered, both offered. The same lead over an unrelated entry is
// answered.
func TestSearchRelatedMargin(t *testing.T) {
	const q = "how long do I have to wait to reapply, and how many followers do I need"
	for _, tc := range []struct {
		name          string
		related       bool
		wantAmbiguous bool
	}{
		{"runner-up related", true, true},
		{"runner-up unrelated", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := testIndex(t)
			entries := base.Entries()
			if tc.related {
				for i := range entries {
					if entries[i].ID == "reapply-wait" {
						entries[i].Related = []string{"follower-requirement"}
					}
				}
			}
			ix := NewIndex(entries, []Entry{{ID: "offtopic-shopping", Title: "Orders", Phrasings: []string{"where is my package", "track my order", "return an item for a refund"}}}, nil)
			ix.Params.RelatedMargin = 0
			if m := ix.Search(q); !m.Answered || m.RunnerUp == nil {
				t.Fatalf("with no margin: answered %v, runner-up %v; want an answer and a runner-up", m.Answered, m.RunnerUp)
			}
			ix.Params.RelatedMargin = 100 // no lead over a related entry is enough
			m := ix.Search(q)
			if m.Ambiguous != tc.wantAmbiguous || m.Answered == tc.wantAmbiguous {
				t.Fatalf("best %s, runner-up %s: answered %v, ambiguous %v; want ambiguous %v", m.Entry.ID, m.RunnerUp.ID, m.Answered, m.Ambiguous, tc.wantAmbiguous)
			}
			if tc.wantAmbiguous && (len(m.Suggestions) < 2 || m.Suggestions[0] != m.Entry || m.Suggestions[1] != m.RunnerUp) {
				t.Fatalf("suggestions %v, want the best entry then the runner-up", ids(m.Suggestions))
			}
		})
	}
}

// Typo correction fixes misspellings but leaves real words alone: "height"
// is one edit from "weight", which the knowledge uses, and is not a typo.
func TestCorrectLeavesRealWords(t *testing.T) {
	kb, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	ix := kb.Index
	if _, known := ix.words["weight"]; !known {
		t.Fatal(`the knowledge no longer uses "weight"; pick another pair`)
	}
	for _, tc := range []struct {
		word    string
		correct bool
	}{
		{"folowers", true},
		{"engagment", true},
		{"storefrnt", true},
		{"height", false},
		{"kreator", true},
	} {
		if _, ok := ix.correct(tc.word); ok != tc.correct {
			t.Errorf("correct(%q) found a word: %v, want %v", tc.word, ok, tc.correct)
		}
	}
}

// A question that names something only decoys talk about, and not the
// program, is about that other thing: declined, however well its other
// words fit an entry. Naming the program keeps it in scope.
func TestSearchDeclinesWhatNamesSomethingElse(t *testing.T) {
	entries := testIndex(t).Entries()
	decoys := []Entry{{ID: "offtopic-bakery", Title: "Running a bakery", Phrasings: []string{"how do i price cakes at my bakery", "bakery opening hours sign", "bakery flour supplier"}}}
	for _, tc := range []struct {
		q          string
		elsewhere  float64
		wantAnswer bool
	}{
		{"how do i set up my bakery storefront", 0, true},
		{"how do i set up my bakery storefront", 0.3, true}, // names the program (storefront)
		{"how many followers for my bakery", 0, true},
		{"how many followers for my bakery", 0.3, false},
	} {
		ix := NewIndex(entries, decoys, nil)
		ix.Params.Threshold = 0 // only the rule decides
		ix.Params.Elsewhere = tc.elsewhere
		m := ix.Search(tc.q)
		if m.Answered != tc.wantAnswer {
			t.Errorf("%q with Elsewhere %v: answered %v (entry %v), want %v", tc.q, tc.elsewhere, m.Answered, m.Entry, tc.wantAnswer)
		}
		if !tc.wantAnswer && (!m.OffTopic || m.Entry != nil) {
			t.Errorf("%q: off-topic %v, entry %v; want declined as off-topic", tc.q, m.OffTopic, m.Entry)
		}
	}
}
