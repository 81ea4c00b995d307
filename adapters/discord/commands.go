package discord

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/influbot/influbot/bot"
)

// Discord's limits on application commands.
const (
	maxCommands      = 100 // global chat commands per application
	maxCommandName   = 32
	maxDescription   = 100
	maxOptions       = 25
	maxChoices       = 25
	maxChoiceLen     = 100
	genericCommand   = "influbot"
	genericOption    = "text"
	genericDesc      = "Ask a question or run a command in your own words, e.g. check instagram 4k followers"
	genericOptionDsc = "What you want to ask or do"
)

// slashCommand maps a registered Discord command back to the core.
type slashCommand struct {
	core    string            // the core command's name; "" for /influbot
	options map[string]string // Discord option name -> core option name
	// target, for a message command, is the core option that receives the
	// text of the message it was used on.
	target string
}

// Message commands (right-click a message, Apps): the name Discord shows,
// the core command it runs, and the option the message's text goes to.
var messageCommands = [...]struct{ name, core, option string }{
	{"Check disclosure", "lint", "caption"},
	{"Ask influbot", "ask", "question"},
}

// commandTable is what the adapter registers with Discord and how it reads
// invocations back.
type commandTable struct {
	defs   []*discordgo.ApplicationCommand
	byName map[string]slashCommand
	// skipped explains each core command that could not be registered.
	skipped []string
}

// buildCommands turns the core's commands into Discord slash commands: the
// generic /influbot text:... first, then one per visible command, with
// names made valid (lowercase, at most 32 letters, digits, '-' or '_'),
// descriptions cut to 100 characters, required options first, choices
// only where Discord can show them all, and autocomplete on the options
// suggests says the core completes. The message commands follow. Every
// command can be installed to a server or to a user's own account, and
// used in a server, in a DM with the bot, and in group DMs.
func buildCommands(cmds []*bot.Command, suggests func(command, option string) bool) commandTable {
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM, discordgo.InteractionContextPrivateChannel}
	integrations := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall, discordgo.ApplicationIntegrationUserInstall}
	t := commandTable{byName: map[string]slashCommand{}}
	maxLen := bot.MaxInput
	t.defs = append(t.defs, &discordgo.ApplicationCommand{
		Type:        discordgo.ChatApplicationCommand,
		Name:        genericCommand,
		Description: genericDesc,
		Options: []*discordgo.ApplicationCommandOption{{
			Type:        discordgo.ApplicationCommandOptionString,
			Name:        genericOption,
			Description: genericOptionDsc,
			Required:    true,
			MaxLength:   maxLen,
		}},
		Contexts:         &contexts,
		IntegrationTypes: &integrations,
	})
	t.byName[genericCommand] = slashCommand{options: map[string]string{genericOption: genericOption}}
	for _, c := range cmds {
		if c == nil || c.Hidden {
			continue
		}
		name := commandName(c.Name)
		switch {
		case name == "":
			t.skipped = append(t.skipped, fmt.Sprintf("%q: no valid Discord name", c.Name))
			continue
		case t.byName[name].options != nil:
			t.skipped = append(t.skipped, fmt.Sprintf("%q: Discord name %q already taken", c.Name, name))
			continue
		case len(t.defs) == maxCommands:
			t.skipped = append(t.skipped, fmt.Sprintf("%q: Discord allows only %d commands", c.Name, maxCommands))
			continue
		}
		def := &discordgo.ApplicationCommand{
			Type:             discordgo.ChatApplicationCommand,
			Name:             name,
			Description:      description(c.Summary, c.Name),
			Contexts:         &contexts,
			IntegrationTypes: &integrations,
		}
		sc := slashCommand{core: c.Name, options: map[string]string{}}
		for _, o := range c.Options {
			on := commandName(o.Name)
			if on == "" || sc.options[on] != "" || len(def.Options) == maxOptions {
				t.skipped = append(t.skipped, fmt.Sprintf("%q option %q: invalid, repeated or one too many", c.Name, o.Name))
				continue
			}
			sc.options[on] = o.Name
			opt := option(on, o)
			if suggests != nil && len(opt.Choices) == 0 && opt.Type == discordgo.ApplicationCommandOptionString && suggests(c.Name, o.Name) {
				opt.Autocomplete = true
			}
			def.Options = append(def.Options, opt)
		}
		// Discord requires required options before optional ones.
		sort.SliceStable(def.Options, func(i, j int) bool { return def.Options[i].Required && !def.Options[j].Required })
		t.defs = append(t.defs, def)
		t.byName[name] = sc
	}
	for _, mc := range messageCommands {
		core := findCommand(cmds, mc.core)
		if core == nil || len(t.defs) == maxCommands {
			continue
		}
		t.defs = append(t.defs, &discordgo.ApplicationCommand{
			Type:             discordgo.MessageApplicationCommand,
			Name:             mc.name,
			Contexts:         &contexts,
			IntegrationTypes: &integrations,
		})
		t.byName[mc.name] = slashCommand{core: core.Name, options: map[string]string{}, target: mc.option}
	}
	return t
}

// findCommand returns the core command named name, or nil.
func findCommand(cmds []*bot.Command, name string) *bot.Command {
	for _, c := range cmds {
		if c != nil && c.Name == name {
			return c
		}
	}
	return nil
}

func option(name string, o bot.Option) *discordgo.ApplicationCommandOption {
	opt := &discordgo.ApplicationCommandOption{
		Name:        name,
		Description: description(o.Description, o.Name),
		Required:    o.Required,
	}
	switch o.Kind {
	case bot.OptionInteger:
		opt.Type = discordgo.ApplicationCommandOptionInteger
	case bot.OptionNumber:
		opt.Type = discordgo.ApplicationCommandOptionNumber
	case bot.OptionBool:
		opt.Type = discordgo.ApplicationCommandOptionBoolean
		return opt
	default:
		opt.Type = discordgo.ApplicationCommandOptionString
		opt.MaxLength = bot.MaxInput
	}
	if len(o.Choices) == 0 || len(o.Choices) > maxChoices {
		// Too many choices to list: the option takes free input and the core
		// says which values it accepts.
		return opt
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	for _, c := range o.Choices {
		if c == "" || textLen(c) > maxChoiceLen {
			return opt
		}
		var value any = c
		switch opt.Type {
		case discordgo.ApplicationCommandOptionInteger:
			n, err := strconv.ParseInt(c, 10, 64)
			if err != nil {
				return opt
			}
			value = n
		case discordgo.ApplicationCommandOptionNumber:
			f, err := strconv.ParseFloat(c, 64)
			if err != nil {
				return opt
			}
			value = f
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: c, Value: value})
	}
	opt.Choices = choices
	opt.MaxLength = 0
	return opt
}

// commandName makes s a valid Discord command or option name: lowercase
// letters and digits, '-' and '_', spaces as '-', at most 32 characters.
func commandName(s string) string {
	var sb strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if n == maxCommandName {
			break
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
		case r == '-' || r == '_':
		case r == ' ':
			r = '-'
		default:
			continue
		}
		sb.WriteRune(r)
		n++
	}
	return sb.String()
}

// description returns a one-line description of 1 to 100 characters.
func description(s, fallback string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		s = strings.Join(strings.Fields(fallback), " ")
	}
	if s == "" {
		s = "influbot"
	}
	return clip(s, maxDescription)
}

// optionValue formats an option's value as the core's string options want
// it: numbers without exponent, booleans as true/false.
func optionValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// invocation reads an application command interaction into a request's
// Command and Options, or its Text for /influbot. ok is false for a
// command the adapter did not register.
func (t commandTable) invocation(data discordgo.ApplicationCommandInteractionData, req *bot.Request) bool {
	sc, ok := t.byName[data.Name]
	if !ok {
		return false
	}
	opts := map[string]string{}
	for _, o := range data.Options {
		if o == nil {
			continue
		}
		name := o.Name
		if core, ok := sc.options[name]; ok {
			name = core
		}
		opts[name] = optionValue(o.Value)
	}
	if sc.target != "" {
		// A message command: the text of the message it was used on.
		var text string
		if data.Resolved != nil {
			if m := data.Resolved.Messages[data.TargetID]; m != nil {
				text = m.Content
			}
		}
		opts[sc.target] = text
	}
	if sc.core == "" {
		req.Text = opts[genericOption]
		return true
	}
	req.Command = sc.core
	req.Options = opts
	return true
}

// focused reads an autocomplete interaction: the core command, the core
// option being typed, what is typed so far, and the other options given.
// ok is false for a command or option the adapter did not register.
func (t commandTable) focused(data discordgo.ApplicationCommandInteractionData) (command, option, typed string, others map[string]string, ok bool) {
	sc, found := t.byName[data.Name]
	if !found || sc.core == "" {
		return "", "", "", nil, false
	}
	others = map[string]string{}
	for _, o := range data.Options {
		if o == nil {
			continue
		}
		name, known := sc.options[o.Name]
		if !known {
			continue
		}
		if o.Focused {
			option, typed, ok = name, optionValue(o.Value), true
			continue
		}
		others[name] = optionValue(o.Value)
	}
	return sc.core, option, typed, others, ok
}
