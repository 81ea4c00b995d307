package discord

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/bwmarrin/discordgo"
)

// interactionREST makes the REST calls about one interaction: the
// callback, the edit or deletion of the original response, and follow-ups.
//
// discordgo's own methods for these rate-limit each call in a bucket keyed
// by its URL, which holds the interaction's token, in the session's rate
// limiter, which never forgets a bucket: every interaction would leave one
// or more behind for as long as the bot runs. The calls here go through
// the session (its client, token, retries and error types) but with a rate
// limiter of their own that lives as long as the interaction. Discord does
// not count interaction endpoints against the bot's global rate limit.
type interactionREST struct {
	s       *discordgo.Session
	i       *discordgo.Interaction
	limiter *discordgo.RateLimiter
}

func newInteractionREST(s *discordgo.Session, i *discordgo.Interaction) *interactionREST {
	return &interactionREST{s: s, i: i, limiter: discordgo.NewRatelimiter()}
}

// respond answers the interaction (POST /interactions/{id}/{token}/callback).
func (r *interactionREST) respond(resp any, opts ...discordgo.RequestOption) error {
	return r.do(http.MethodPost, discordgo.EndpointInteractionResponse(r.i.ID, r.i.Token), resp, nil, opts...)
}

// edit replaces the original response (PATCH .../messages/@original).
func (r *interactionREST) edit(e *discordgo.WebhookEdit, opts ...discordgo.RequestOption) error {
	return r.do(http.MethodPatch, discordgo.EndpointInteractionResponseActions(r.i.AppID, r.i.Token), e, e.Files, opts...)
}

// delete removes the original response (DELETE .../messages/@original).
func (r *interactionREST) delete(opts ...discordgo.RequestOption) error {
	return r.do(http.MethodDelete, discordgo.EndpointInteractionResponseActions(r.i.AppID, r.i.Token), nil, nil, opts...)
}

// followUp posts a follow-up message (POST /webhooks/{app}/{token}?wait=true).
func (r *interactionREST) followUp(p *discordgo.WebhookParams, opts ...discordgo.RequestOption) error {
	return r.do(http.MethodPost, discordgo.EndpointFollowupMessage(r.i.AppID, r.i.Token)+"?wait=true", p, p.Files, opts...)
}

// do sends data as JSON, or as multipart with payload_json when there are
// files, in a bucket of the interaction's own rate limiter.
func (r *interactionREST) do(method, url string, data any, files []*discordgo.File, opts ...discordgo.RequestOption) error {
	var (
		contentType string
		body        []byte
		err         error
	)
	switch {
	case len(files) > 0:
		contentType, body, err = discordgo.MultipartBodyWithJSON(data, files)
	case data != nil:
		contentType = "application/json"
		body, err = json.Marshal(data)
	}
	if err != nil {
		return fmt.Errorf("encode %s request: %w", method, err)
	}
	_, err = r.s.RequestWithLockedBucket(method, url, contentType, body, r.limiter.LockBucket(url), 0, opts...)
	return err
}
