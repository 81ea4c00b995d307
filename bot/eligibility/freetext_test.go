package eligibility

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

func f(v float64) *float64 { return &v }

func TestParseFreeText(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Input
	}{
		{"the issue's example reads every field", "check instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor",
			Input{Platform: "instagram", Followers: f(4200), Likes: f(150), Comments: f(12), PostsPerWeek: f(3), Niche: "home decor"}},
		{"an alias, a comma and avg are understood", "ig 4200 followers, avg 150 likes",
			Input{Platform: "instagram", Followers: f(4200), Likes: f(150)}},
		{"subs, views and weekly are understood", "youtube 12k subs 800 views 40 likes weekly",
			Input{Platform: "youtube", Followers: f(12000), Views: f(800), Likes: f(40), PostsPerWeek: f(1)}},
		{"labels may come first with colons", "platform: tiktok followers: 12,300 likes: 200 views: 5k",
			Input{Platform: "tiktok", Followers: f(12300), Likes: f(200), Views: f(5000)}},
		{"labels may come first without colons", "fb followers 10k likes 100 comments 5",
			Input{Platform: "facebook", Followers: f(10000), Likes: f(100), Comments: f(5)}},
		{"space-grouped thousands are one number", "tiktok 12 300 followers 3/week",
			Input{Platform: "tiktok", Followers: f(12300), PostsPerWeek: f(3)}},
		{"millions and an ampersand niche work", "IG 1.5M followers 20k likes 300 comments daily niche makeup & skincare",
			Input{Platform: "instagram", Followers: f(1.5e6), Likes: f(20000), Comments: f(300), PostsPerWeek: f(7), Niche: "makeup & skincare"}},
		{"a bare number is the follower count", "instagram 5000",
			Input{Platform: "instagram", Followers: f(5000)}},
		{"retweets and replies count as shares and comments", "twitter 2k followers 10 likes 2 retweets 5 replies",
			Input{Platform: "x", Followers: f(2000), Likes: f(10), Shares: f(2), Comments: f(5)}},
		{"posts without a period mean a week", "insta 8k followers 3 posts",
			Input{Platform: "instagram", Followers: f(8000), PostsPerWeek: f(3)}},
		{"a two-word platform name works", "tik tok 9k followers",
			Input{Platform: "tiktok", Followers: f(9000)}},
		{"trailing unknown words become the niche", "instagram 4k followers 200 likes beauty",
			Input{Platform: "instagram", Followers: f(4000), Likes: f(200), Niche: "beauty"}},
		{"a niche may come before its label", "instagram 4k followers in the home decor niche",
			Input{Platform: "instagram", Followers: f(4000), Niche: "home decor"}},
		{"twice a week is read in a sentence", "check ig 5k followers 100 likes twice a week",
			Input{Platform: "instagram", Followers: f(5000), Likes: f(100), PostsPerWeek: f(2)}},
		{"a separate k is applied", "instagram 4.2 k followers",
			Input{Platform: "instagram", Followers: f(4200)}},
		{"an x after a number is a multiplier, not the platform", "instagram 3 x a week 4k followers",
			Input{Platform: "instagram", Followers: f(4000), PostsPerWeek: f(3)}},
		{"x is the platform when it stands alone", "x 3x a week 2k followers",
			Input{Platform: "x", Followers: f(2000), PostsPerWeek: f(3)}},
		{"per post after a count is skipped", "instagram 6k followers 150 likes per post 10 comments per post",
			Input{Platform: "instagram", Followers: f(6000), Likes: f(150), Comments: f(10)}},
		{"a question wrapped around the numbers still reads", "check if my ig with 5k followers and 200 likes is enough",
			Input{Platform: "instagram", Followers: f(5000), Likes: f(200)}},
		{"a range of posts takes its middle", "youtube 20k subscribers 3-4 videos a month",
			Input{Platform: "youtube", Followers: f(20000), PostsPerWeek: f(0.875)}},
		{"a posting label first works", "instagram 4k followers posts per week: 4",
			Input{Platform: "instagram", Followers: f(4000), PostsPerWeek: f(4)}},
		{"a sentence with the platform inside a count reads", "I have 4200 instagram followers and get about 150 likes and 12 comments per post, I post 3 times a week about home decor",
			Input{Platform: "instagram", Followers: f(4200), Likes: f(150), Comments: f(12), PostsPerWeek: f(3), Niche: "home decor"}},
		{"posting daily works", "tiktok 10k followers posting daily",
			Input{Platform: "tiktok", Followers: f(10000), PostsPerWeek: f(7)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFreeText(tt.text)
			if err != nil {
				t.Fatalf("ParseFreeText(%q): %v", tt.text, err)
			}
			if diff := inputDiff(got, tt.want); diff != "" {
				t.Errorf("ParseFreeText(%q): %s", tt.text, diff)
			}
		})
	}
}

// TestParseFreeTextAsPeopleWrite covers issue 13 item 7: labels with
// typos, filler words and monthly counts.
func TestParseFreeTextAsPeopleWrite(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Input
	}{
		{"a label missing a letter is read", "ig 4.2k folowers 150 likes",
			Input{Platform: "instagram", Followers: f(4200), Likes: f(150)}},
		{"swapped letters in likes and views are read", "tiktok 12k followers 300 likse 9k veiws",
			Input{Platform: "tiktok", Followers: f(12000), Likes: f(300), Views: f(9000)}},
		{"a misspelled label before its number is read", "instagram follwers: 5k coments: 20",
			Input{Platform: "instagram", Followers: f(5000), Comments: f(20)}},
		{"a long label with a missing letter is read", "youtube 8k subsribers 500 veiws per vid",
			Input{Platform: "youtube", Followers: f(8000), Views: f(500)}},
		{"a misspelled platform is read", "instgram 3k followers",
			Input{Platform: "instagram", Followers: f(3000)}},
		{"who is writing is no niche and no error", "hey! yt creator here, 4,800 subs, 70 likes, 12 comments. niche: budget travel gear",
			Input{Platform: "youtube", Followers: f(4800), Likes: f(70), Comments: f(12), Niche: "budget travel gear"}},
		{"counts in words are read", "youtube twelve thousand subs, two thousand views, a hundred likes, ten comments",
			Input{Platform: "youtube", Followers: f(12000), Views: f(2000), Likes: f(100), Comments: f(10)}},
		{"chat words around the numbers are no niche", "hlo sir, tiktok 5k followers 300 likes, vids do like 10k views tho",
			Input{Platform: "tiktok", Followers: f(5000), Likes: f(300), Views: f(10000)}},
		{"an agency's client is no niche", "Client A is on Instagram with 45k followers, avg 900 likes, niche fitness",
			Input{Platform: "instagram", Followers: f(45000), Likes: f(900), Niche: "fitness"}},
		{"a creator on youtube says so", "hi, youtube creator, 4.8k subs, 1.1k views, 70 likes, niche tech",
			Input{Platform: "youtube", Followers: f(4800), Views: f(1100), Likes: f(70), Niche: "tech"}},
		{"a niche word close to a label is left alone", "instagram 5k followers 200 likes niche bikes",
			Input{Platform: "instagram", Followers: f(5000), Likes: f(200), Niche: "bikes"}},
		{"a niche word after a labelled count is left alone", "instagram 5k followers 200 likes bikes",
			Input{Platform: "instagram", Followers: f(5000), Likes: f(200), Niche: "bikes"}},
		{"a niche word before a labelled count is left alone", "instagram 5k followers bikes 200 likes",
			Input{Platform: "instagram", Followers: f(5000), Likes: f(200), Niche: "bikes"}},
		{"filler words around the rhythm and niche are skipped", "insta 6k followers, post like every day, beauty stuff",
			Input{Platform: "instagram", Followers: f(6000), PostsPerWeek: f(7), Niche: "beauty"}},
		{"hedges between a label and its number are skipped", "tiktok my followers are like 5k and likes around 300 on each video",
			Input{Platform: "tiktok", Followers: f(5000), Likes: f(300)}},
		{"a number with ish is still labelled", "ig 2k followers 150ish likes",
			Input{Platform: "instagram", Followers: f(2000), Likes: f(150)}},
		{"four videos a month is weekly", "youtube 10k subs 4 videos a month",
			Input{Platform: "youtube", Followers: f(10000), PostsPerWeek: f(1)}},
		{"twelve posts a month is three a week", "instagram 10k followers 12 posts a month",
			Input{Platform: "instagram", Followers: f(10000), PostsPerWeek: f(3)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFreeText(tt.text)
			if err != nil {
				t.Fatalf("ParseFreeText(%q): %v", tt.text, err)
			}
			if diff := inputDiff(got, tt.want); diff != "" {
				t.Errorf("ParseFreeText(%q): %s", tt.text, diff)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"likes", "likes", 0}, {"likse", "likes", 1}, {"folowers", "followers", 1},
		{"veiws", "views", 1}, {"subsribers", "subscribers", 1}, {"bikes", "likes", 1}, {"sports", "posts", 2},
	}
	for _, tt := range tests {
		t.Run(tt.a+" to "+tt.b, func(t *testing.T) {
			if got := EditDistance(tt.a, tt.b); got != tt.want {
				t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func inputDiff(got, want Input) string {
	var d []string
	if got.Platform != want.Platform {
		d = append(d, "platform "+got.Platform+" want "+want.Platform)
	}
	if got.Niche != want.Niche {
		d = append(d, "niche "+got.Niche+" want "+want.Niche)
	}
	for _, c := range []struct {
		name string
		g, w *float64
	}{{"followers", got.Followers, want.Followers}, {"likes", got.Likes, want.Likes}, {"comments", got.Comments, want.Comments},
		{"shares", got.Shares, want.Shares}, {"views", got.Views, want.Views}, {"posts_per_week", got.PostsPerWeek, want.PostsPerWeek}} {
		switch {
		case (c.g == nil) != (c.w == nil):
			d = append(d, c.name+" presence differs")
		case c.g != nil && math.Abs(*c.g-*c.w) > 1e-9:
			d = append(d, c.name+" "+formatNumber(*c.g)+" want "+formatNumber(*c.w))
		}
	}
	return strings.Join(d, "; ")
}

func TestParseFreeTextRejects(t *testing.T) {
	tests := []struct {
		name, text, wantMsg string
		attempt             bool // named a platform or a labelled number
	}{
		{"an empty text asks for the platform", "", "tell me the platform", false},
		{"a platform alone asks for followers", "instagram", "tell me your followers", true},
		{"YouTube asks for subscribers", "yt", "subscribers", true},
		{"numbers without a platform ask for it", "4k followers 200 likes", "tell me the platform", true},
		{"an unknown first word is named as the platform it is not", "check myspace 5k followers", `"myspace" isn't a platform I check; use instagram`, true},
		{"a niche before the numbers is not taken for a platform", "home decor 5k followers", "tell me the platform", true},
		{"thousands groups merged past any count are refused", "instagram 1 000 000 000 000 000 000 000 followers", "far too large", true},
		{"a negative count is refused", "instagram -5 followers", "followers can't be negative", true},
		{"an unlabelled second number is questioned", "instagram 4k followers 150", "not sure what 150 is", true},
		{"two platforms are refused", "instagram youtube 4k followers", "one platform at a time", true},
		{"a percentage is refused with the reason", "instagram 4k followers 4% engagement", "give your average likes", true},
		{"a label without a number is refused", "instagram 4k followers likes", "likes needs a number", true},
		{"a count given twice is refused", "instagram 4k followers 200 likes 300 likes", "given twice", true},
		{"an absurd cadence is refused", "instagram 4k followers 200 posts a week", "more than anyone posts", true},
		{"an absurd follower count is refused", "instagram 1e13 followers", "more than any account has", true},
		{"scattered unknown words are refused", "instagram banana 4k followers apple", "didn't understand", true},
		{"a question without data is not an attempt", "if I'm eligible?", "tell me the platform", false},
		{"a text too long is refused", strings.Repeat("instagram ", 300), "characters long", false},
		{"a missing niche after its label is refused", "instagram 4k followers niche", "niche is missing", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFreeText(tt.text)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseFreeText(%q) = %v, want an *InputError", tt.text, err)
			}
			if !strings.Contains(ie.Msg, tt.wantMsg) {
				t.Errorf("message %q does not contain %q", ie.Msg, tt.wantMsg)
			}
			if got := ie.SawPlatform || ie.SawNumber; got != tt.attempt {
				t.Errorf("attempt = %v (platform %v, number %v), want %v", got, ie.SawPlatform, ie.SawNumber, tt.attempt)
			}
		})
	}
}

func TestParseFreeTextPart(t *testing.T) {
	t.Run("the platform and followers may be missing", func(t *testing.T) {
		got, err := ParseFreeTextPart("150 likes 3 posts a week niche home decor")
		if err != nil {
			t.Fatal(err)
		}
		if diff := inputDiff(got, Input{Likes: f(150), PostsPerWeek: f(3), Niche: "home decor"}); diff != "" {
			t.Error(diff)
		}
	})
	t.Run("bad input is still refused", func(t *testing.T) {
		if _, err := ParseFreeTextPart("-5 likes"); err == nil || !strings.Contains(err.Error(), "can't be negative") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestInputSet(t *testing.T) {
	tests := []struct {
		name, field, value, wantErr string
		check                       func(Input) bool
	}{
		{"a platform alias is accepted", "platform", "YT", "", func(in Input) bool { return in.Platform == "youtube" }},
		{"an unknown platform names the accepted ones", "platform", "myspace", "use instagram", nil},
		{"followers accept creator formats", "followers", "12,300", "", func(in Input) bool { return *in.Followers == 12300 }},
		{"subscribers is another name for followers", "subscribers", "1.5M", "", func(in Input) bool { return *in.Followers == 1.5e6 }},
		{"negative likes are refused", "likes", "-3", "can't be negative", nil},
		{"absurd views are refused", "views", "1e13", "more than any account has", nil},
		{"posts per week accept rhythms", "posts-per-week", "twice a week", "", func(in Input) bool { return *in.PostsPerWeek == 2 }},
		{"more than 100 posts a week is refused", "posts_per_week", "150", "more than anyone posts", nil},
		{"a long niche is refused", "niche", strings.Repeat("x", 101), "at most 100", nil},
		{"control characters leave the niche", "niche", "home\x00decor", "", func(in Input) bool { return in.Niche == "home decor" }},
		{"an unknown field is refused", "saves", "10", "unknown input", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in Input
			err := in.Set(tt.field, tt.value)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Set(%q, %q) = %v, want %q", tt.field, tt.value, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Set(%q, %q): %v", tt.field, tt.value, err)
			}
			if !tt.check(in) {
				t.Errorf("Set(%q, %q) gave %+v", tt.field, tt.value, in)
			}
		})
	}
}

func FuzzParseFreeText(f *testing.F) {
	for _, s := range []string{
		"check instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor",
		"ig 4200 followers, avg 150 likes",
		"youtube 12k subs 800 views 40 likes weekly",
		"x 3x a week 2k followers", "instagram -5 followers", "niche", "12 300 12 300", "every 0 days",
		"tiktok 1e400 followers", "likes: = 5", "4% engagement", "home & garden niche", "3 to", "once",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := ParseFreeText(s)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Msg == "" {
				t.Fatalf("ParseFreeText(%q): error %v is not a readable *InputError", s, err)
			}
			return
		}
		if _, ok := LookupPlatform(in.Platform); !ok || in.Followers == nil {
			t.Fatalf("ParseFreeText(%q) succeeded without a platform or followers: %+v", s, in)
		}
		if err := in.Validate(); err != nil {
			t.Fatalf("ParseFreeText(%q) returned input that does not validate: %v", s, err)
		}
		if !utf8.ValidString(in.Niche) && utf8.ValidString(s) {
			t.Fatalf("niche %q is not valid UTF-8", in.Niche)
		}
	})
}

// TestParseFreeTextMoreWays covers phrasings found while trying the parser
// by hand after people.tsv: spans, abbreviations, ranges, "on tiktok".
func TestParseFreeTextMoreWays(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Input
	}{
		{"once every two weeks is half a week's post", "youtube 2k subs upload once every two weeks",
			Input{Platform: "youtube", Followers: f(2000), PostsPerWeek: f(0.5)}},
		{"spoken fillers carry no data", "ig um like 5k followers, uh maybe 150 likes and 10 comments per post, post like every day, beauty stuff",
			Input{Platform: "instagram", Followers: f(5000), Likes: f(150), Comments: f(10), PostsPerWeek: f(7), Niche: "beauty"}},
		{"abbreviated labels are read", "insta 2.5k foll 90 likes 4 comm 3/wk fashion",
			Input{Platform: "instagram", Followers: f(2500), Likes: f(90), Comments: f(4), PostsPerWeek: f(3), Niche: "fashion"}},
		{"a number after videos belongs to its own label", "youtube 9k subscribers, videos average 2k views and 100 likes, I upload twice a month",
			Input{Platform: "youtube", Followers: f(9000), Views: f(2000), Likes: f(100), PostsPerWeek: f(0.5)}},
		{"ranges take their middle, a shared k included", "tiktok 20k followers, views usually 3-5k, likes 200-300, post most days",
			Input{Platform: "tiktok", Followers: f(20000), Views: f(4000), Likes: f(250), PostsPerWeek: f(5)}},
		{"the platform after on is the platform", "I have around 2500 followers on tiktok, average 1000 views and 80 likes, post 5 times a week, pets",
			Input{Platform: "tiktok", Followers: f(2500), Views: f(1000), Likes: f(80), PostsPerWeek: f(5), Niche: "pets"}},
		{"a period without a is read after x", "insta: 3k / 90 likes / 5 comments / 4x week / fitness",
			Input{Platform: "instagram", Followers: f(3000), Likes: f(90), Comments: f(5), PostsPerWeek: f(4), Niche: "fitness"}},
		{"check inside a question is filler", "can you check my ig: 6.2k followers, 180 likes avg, 12 comments, 4 posts/week, fashion",
			Input{Platform: "instagram", Followers: f(6200), Likes: f(180), Comments: f(12), PostsPerWeek: f(4), Niche: "fashion"}},
		{"w/ is with", "instagram w/ 1,850 followers, ~70 likes, 3 comments, post 2-3x a week, plant mom content",
			Input{Platform: "instagram", Followers: f(1850), Likes: f(70), Comments: f(3), PostsPerWeek: f(2.5), Niche: "plant mom"}},
		{"named posting days count one a week each", "yt 25k subs 3k views 150 likes post on mondays and thursdays",
			Input{Platform: "youtube", Followers: f(25000), Views: f(3000), Likes: f(150), PostsPerWeek: f(2)}},
		{"weekends are two days", "tiktok 5k followers posting weekends, monday & friday",
			Input{Platform: "tiktok", Followers: f(5000), PostsPerWeek: f(4)}},
		{"a number in words with a magnitude is read", "instagram five thousand followers 100 likes",
			Input{Platform: "instagram", Followers: f(5000), Likes: f(100)}},
		{"a niche listed with commas is one niche", "ig 5k followers 150 likes 3 posts a week niche: home decor, diy",
			Input{Platform: "instagram", Followers: f(5000), Likes: f(150), PostsPerWeek: f(3), Niche: "home decor, diy"}},
		{"a comma after the niche still ends it before a rhythm", "ig 5k followers niche: travel, daily",
			Input{Platform: "instagram", Followers: f(5000), PostsPerWeek: f(7), Niche: "travel"}},
		{"a contraction is filler", "i've got 2k followers on ig and 100 likes average, posting 3x weekly, beauty niche",
			Input{Platform: "instagram", Followers: f(2000), Likes: f(100), PostsPerWeek: f(3), Niche: "beauty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFreeText(tt.text)
			if err != nil {
				t.Fatalf("ParseFreeText(%q): %v", tt.text, err)
			}
			if diff := inputDiff(got, tt.want); diff != "" {
				t.Errorf("ParseFreeText(%q): %s", tt.text, diff)
			}
		})
	}
}
