package bot

import (
	"context"
	"fmt"
	"strings"
)

func (b *Bot) coreCommands() []*Command {
	return []*Command{b.helpCommand(), b.askCommand()}
}

func (b *Bot) helpCommand() *Command {
	return &Command{
		Name:    "help",
		Private: true,
		Aliases: []string{"commands", "?"},
		Summary: "Show what I can do, or how to use one command.",
		Usage:   "help [command]",
		Options: []Option{{Name: "command", Description: "A command to explain", Rest: true}},
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			name := strings.TrimSpace(strings.ToLower(c.Value("command")))
			if name != "" {
				cmd, ok := b.byName[strings.Fields(name)[0]]
				if !ok {
					// "help why was I rejected" is a question.
					return Reply{}, ErrNotCommand
				}
				return commandHelp(cmd), nil
			}
			r := b.overview(c.IsAdmin(ctx))
			if c.IsAdmin(ctx) && b.cfg.Dashboard != nil {
				r.Buttons = append(r.Buttons, Button{ActionID: "dashboard:open", Label: "Open the dashboard"})
			}
			return r, nil
		},
	}
}

func (b *Bot) overview(admin bool) Reply {
	var sb strings.Builder
	sb.WriteString("Ask me anything about the Amazon Influencer Program in your own words, for example " +
		"_why was I rejected?_ or _how long should I wait before reapplying?_\n\n")
	for _, c := range b.commands {
		if c.Hidden || (c.Admin && !admin) {
			continue
		}
		fmt.Fprintf(&sb, "- `%s`: %s\n", c.Usage, c.Summary)
	}
	sb.WriteString("\nType `help <command>` for details and examples.")
	return Reply{Title: "What I can do", Text: sb.String(), Ephemeral: true}
}

func commandHelp(c *Command) Reply {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s\n\nUsage: `%s`\n", c.Summary, c.Usage)
	if len(c.Aliases) > 0 {
		fmt.Fprintf(&sb, "Also: `%s`\n", strings.Join(c.Aliases, "`, `"))
	}
	if len(c.Examples) > 0 {
		sb.WriteString("\nExamples:\n")
		for _, e := range c.Examples {
			fmt.Fprintf(&sb, "- `%s`\n", e)
		}
	}
	if c.Admin {
		sb.WriteString("\nOnly workspace admins can run it.\n")
	}
	return Reply{Title: "help " + c.Name, Text: strings.TrimSpace(sb.String()), Ephemeral: true}
}
