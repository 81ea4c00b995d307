package bot

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/influbot/influbot/bot/schedule"
)

// Right after a reminder is set or shown, people change it in plain words:
// "actually make it weekdays only", "can you do 8am sydney time instead",
// "what about 8?", "im in london now". And right after "stop" or "remind
// off", they take it back: "undo that", "wait no i want them back".
// remindAdjust reads those as the remind command.

// remindLeads are words that may open such a change and carry nothing.
var remindLeads = wordSet("actually", "hmm", "hm", "ok", "okay", "oh", "no", "nah", "wait", "sorry", "um", "uh", "so",
	"then", "and", "but", "please", "pls", "hey", "oops", "yes", "yeah", "nvm", "bet")

// remindOpeners are phrases that may come next ("can you do ...", "make it
// ..."); zoneOpeners say that what follows is where the user is.
var remindOpeners = []string{
	"can you make it", "could you make it", "can you change it to", "can you move it to", "can you do", "could you do",
	"can we do", "could we do", "can you", "could you", "can we", "make it", "make them", "change it to", "change them to",
	"switch it to", "move it to", "move them to", "set it to", "set it for", "lets do", "lets make it", "how about",
	"what about", "i want it", "i want them", "i would like it", "id like it", "id rather have it", "id rather", "rather",
	"do", "at",
}

var zoneOpeners = []string{
	"im in", "i am in", "im now in", "i am now in", "i live in", "i moved to", "ive moved to", "im based in", "were in",
	"we are in", "i am based in", "im currently in", "i am currently in",
}

// remindTails may close a change ("... instead", "... only please").
var remindTails = wordSet("instead", "only", "please", "pls", "then", "now", "thanks", "thx", "rather", "ok", "okay", "too")

// undoPhrases take back a stop or a remind off just said.
var undoPhrases = wordSet("undo", "undo that", "undo it", "i want them back", "want them back", "bring them back",
	"turn them back on", "turn it back on", "put them back", "keep them", "keep them on", "keep sending them",
	"i changed my mind", "changed my mind", "change of mind", "never mind", "nevermind", "nvm", "i didnt mean that",
	"didnt mean that", "i didnt mean it", "didnt mean to", "cancel that", "i still want them", "i do want them",
	"i want reminders", "i want the reminders", "i want them", "dont stop")

// remindAdjust runs the remind command for a plain change to the reminder
// just set or shown, or a take-back of a stop just said; ok is false
// when msg is neither.
func (b *Bot) remindAdjust(ctx context.Context, t *turn, msg *reading) (Reply, bool, error) {
	last := t.conv.LastCommand
	if b.cfg.Plans == nil || t.conv.Pending != nil || (last != "remind" && last != "stop") {
		return Reply{}, false, nil
	}
	words := strings.Fields(strings.TrimRight(msg.norm, ". "))
	for len(words) > 1 && remindLeads[words[0]] {
		words = words[1:]
	}
	for len(words) > 1 && remindTails[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	if len(words) == 0 || len(words) > 8 {
		return Reply{}, false, nil
	}
	phrase := strings.Join(words, " ")
	if last == "stop" || last == "remind" && (t.conv.LastArgs == "off" || t.conv.LastArgs == "stop" || strings.HasPrefix(t.conv.LastArgs, "pause")) {
		if undoPhrases[phrase] {
			// Only a schedule kept through the stop comes back; with none
			// there is nothing to undo.
			if s, err := b.loadSchedule(ctx, t.call.User); err != nil || !s.on {
				return Reply{}, false, nil
			}
			r, err := b.runNamed(ctx, t, "remind", "on")
			return r, true, err
		}
		return Reply{}, false, nil
	}
	zone := false
	for _, p := range zoneOpeners {
		if rest, ok := strings.CutPrefix(phrase, p+" "); ok {
			phrase, zone = rest, true
			break
		}
	}
	if !zone {
		for _, p := range remindOpeners {
			if rest, ok := strings.CutPrefix(phrase, p+" "); ok {
				phrase = rest
				break
			}
		}
	}
	s, err := b.loadSchedule(ctx, t.call.User)
	if err != nil || !s.on {
		return Reply{}, false, nil
	}
	if zone {
		name := phrase
		for _, tail := range []string{" now", " time zone", " timezone", " time"} {
			name = strings.TrimSuffix(name, tail)
		}
		if _, err := schedule.LoadZone(name); err != nil {
			return Reply{}, false, nil
		}
		r, err := b.runNamed(ctx, t, "remind", "zone "+name)
		return r, true, err
	}
	if h, err := strconv.Atoi(phrase); err == nil && h >= 1 && h <= 11 && s.rule.Hour >= 12 {
		// "what about 8?" after 19:00: the evening is meant.
		phrase += "pm"
	}
	if _, err := schedule.ParseChange(phrase, s.rule); err != nil {
		if _, zerr := schedule.LoadZone(phrase); zerr != nil || strings.ContainsAny(phrase, "0123456789") {
			return Reply{}, false, nil
		}
	}
	r, err := b.runNamed(ctx, t, "remind", phrase)
	return r, true, err
}

// interjections open a message without being part of it.
var interjections = []string{"wait", "waiit", "wait wait", "hold on", "hang on", "hol up", "holdup", "hold up", "bet", "aight", "ight", "yo", "yoo", "lowkey"}

// waitTopics are words after "wait" that make it the waiting period ("wait
// time for approval", "wait period after a rejection").
var waitTopics = wordSet("time", "times", "period", "periods", "list", "before", "for", "to", "until", "till", "after", "long", "how")

// afterInterjection returns how many words of norm an opening "wait" or
// "hold on" takes; ok is false when there is none, nothing follows it, or
// "wait" is the topic.
func afterInterjection(norm string) (int, bool) {
	for _, in := range interjections {
		rest, ok := strings.CutPrefix(norm, in+" ")
		if !ok {
			rest, ok = strings.CutPrefix(norm, in+".")
		}
		if !ok {
			continue
		}
		rest = strings.TrimSpace(strings.TrimLeft(rest, ".,!:;- "))
		first, _ := splitFirstWord(rest)
		if rest == "" || strings.HasPrefix(in, "wai") && waitTopics[first] {
			return 0, false
		}
		return len(strings.Fields(in)), true
	}
	return 0, false
}

// dropWords returns text without its first n words and the punctuation
// after them, as typed: case, "#" and "?" kept.
func dropWords(text string, n int) string {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' }
	i := 0
	for ; n > 0; n-- {
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if isWord(r) {
				break
			}
			i += size
		}
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isWord(r) {
				break
			}
			i += size
		}
	}
	return strings.TrimLeft(text[i:], " \t,.!:;-")
}
