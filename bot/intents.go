package bot

// The phrases the conversation layer (conversation.go) recognises, in one
// place. Every phrase is written in normalised form: lower case, words
// only, apostrophes dropped ("whats", "im"). A message matches a phrase
// when, after dropping filler words, its words are the phrase's words; words
// of four letters or more may be one typo off.

// Small-talk intents, answered before the FAQ.
const (
	intentGreeting = "greeting"
	intentThanks   = "thanks"
	intentBye      = "bye"
	intentWho      = "who"
	intentAbility  = "ability"
	intentAck      = "ack"
	intentDistress = "distress"
	intentNext     = "next"
	intentPraise   = "praise"
	intentComplain = "complaint"
	intentSorry    = "sorry"
	intentConfused = "confused"
	intentCant     = "cant"     // asks the bot to act for them: apply, post, write
	intentPrivacy  = "privacy"  // asks what happens to their data
	intentRestart  = "restart"  // "start over": the conversation, not the data
	intentAccepted = "accepted" // "i got approved!!": congratulations and first steps
	// intentEligible is "do I qualify?" with no numbers: not small talk,
	// but a question the user's own check answers best (eligibleAsked).
	intentEligible = "eligible"
)

// smallTalk lists each intent's phrases, tried in order.
var smallTalk = []struct {
	intent  string
	phrases []string
}{
	{intentAccepted, []string{
		"i got approved", "i got accepted", "my account got approved", "my account got accepted",
		"i was approved", "i was accepted", "we got approved", "we got accepted", "i finally got approved", "i finally got accepted",
		"finally approved", "finally accepted", "i got in", "i finally got in", "we got in", "my application was approved",
		"my application got approved", "my application was accepted", "i have been approved", "ive been approved", "ive been accepted",
		"im approved", "im accepted", "she got approved", "she got accepted", "my client got approved",
	}},
	{intentThanks, []string{
		"thanks", "thank you", "thank u", "thankyou", "thx", "thanx", "thanx a lot", "thnx", "ty", "tysm", "tyvm", "thanks a lot", "many thanks",
		"cheers", "appreciate it", "i appreciate it", "much appreciated", "ok thanks", "ok thank you", "okay thanks",
		"okay thank you", "thanks so much", "great thanks", "awesome thanks", "perfect thanks", "cool thanks", "nice thanks",
		"that helps", "that helped", "that was helpful", "helpful", "very helpful", "thanks for the help", "thank you for the help",
		"thanks for your help", "thank you for your help",
		"thanks for everything", "thank you for everything", "thanks for all your help", "thank you for all the help", "thanks bot", "k thanks", "got it thanks", "ok ty", "thanks again",
		"that helps a bit", "that helps a lot", "helps a lot", "that helped a lot", "this helps", "this helped", "that makes sense", "makes sense", "ok that makes sense",
		// Thanks in creators' other languages.
		"salamat", "maraming salamat", "gracias", "muchas gracias", "merci", "merci beaucoup", "danke", "danke schön", "obrigado", "obrigada",
		"grazie", "shukriya", "dhanyavad", "dhanyawad", "arigato", "asante", "terima kasih",
	}},
	{intentGreeting, []string{
		"hi", "hello", "hey", "hiya", "heya", "yo", "sup", "whats up", "wassup", "howdy", "greetings", "good morning",
		"good afternoon", "good evening", "hi there", "hello there", "hey there", "start", "hola", "hey hey", "hi hi",
		"how are you", "how are you doing", "hows it going", "u there", "you there", "are you there", "r u there",
		"anyone there", "is anyone there", "anybody there", "hello anyone", "hi bot", "hey bot", "hello bot",
	}},
	{intentBye, []string{
		"bye", "goodbye", "bye bye", "see you", "see ya", "cya", "exit", "quit", "good night", "gotta go", "ttyl",
		"take care", "thats all", "thats it", "im done", "im good", "all good", "nothing else", "no thats all",
		"ok bye", "bye then", "thanks bye", "ok thanks bye", "brb", "nothing", "nope nothing", "see you later",
		"ok see you", "gtg", "g2g", "bye for now", "good bye", "night", "goodnight", "gn", "night night",
		"talk tomorrow", "talk to you tomorrow", "talk later", "talk to you later", "talk soon", "later", "laters",
		"catch you later", "see you tomorrow", "until next time", "have a good one", "have a good day", "have a nice day",
	}},
	{intentWho, []string{
		"who are you", "what are you", "are you a bot", "are you human", "are you real", "are you a person", "whats your name",
		"who made you", "are you ai", "is this a bot", "who is this", "whos this", "who are u", "who r you", "what is this",
		"what is influbot", "whats influbot", "who r u", "whats this", "whats ur name", "what is your name", "whats your name bot",
		"are you affiliated with amazon", "are you from amazon", "are you amazon", "is this amazon", "do you work for amazon",
		"are you official", "is this official", "are you part of amazon", "are you made by amazon", "is this an amazon bot",
		"is this run by amazon", "are you an amazon bot", "does amazon run this", "are you connected to amazon",
	}},
	{intentCant, []string{
		"can you apply for me", "apply for me", "can you apply for me please", "can you submit my application", "submit it for me",
		"can you post for me", "can you post it for me", "post it for me", "can you post my videos", "can you post my content",
		"can you write me a caption", "can you write a caption", "write me a caption", "can you write my caption", "can you make me a caption",
		"can you write captions for me", "can you make a caption for me", "write a caption for me", "can you write my bio",
		"can you reply to my comments", "can you grow my account", "can you get me accepted", "can you get me approved",
		"can you contact amazon", "can you talk to amazon for me", "can you email amazon", "can you email amazon for me",
		"can you look at my account", "can you see my account", "can you see my instagram", "can you check my instagram",
		"can you look at my profile", "can you see my profile", "can you log in to my account", "can you link my account",
	}},
	{intentRestart, []string{
		"start over", "lets start over", "can we start over", "start again", "lets start again", "restart", "reset",
		"new conversation", "clear chat", "clear the chat", "fresh start", "begin again", "start from scratch",
		"go back to the start", "from the top", "lets start fresh", "start fresh", "new topic",
	}},
	{intentPrivacy, []string{
		"do you store my data", "do you keep my data", "do you save my data", "do you save my messages", "do you store my messages",
		"is my data safe", "what do you do with my data", "do you share my data", "who can see my data", "who can see my messages",
		"is this private", "are my messages private", "do you sell my data", "is this conversation private", "can others see this",
		"can anyone see my questions", "who sees my questions", "do you record this", "are you recording this",
	}},
	{intentAbility, []string{
		"what can you do", "what do you do", "how can you help", "how can you help me", "what can i ask", "what can i ask you",
		"how does this work", "what are you for", "what can you help with", "what can you help me with", "how do i use you",
		"how do i use this", "what do you know", "can you help me", "can you help", "i need help", "help me",
		"what can you do for me", "what do you do for me", "what can you help me do",
	}},
	{intentAck, []string{
		"ok", "okay", "k", "kk", "cool", "got it", "nice", "great", "awesome", "perfect", "alright", "sounds good", "i see",
		"bet", "ok bet", "bet bet", "aight", "ight", "say less", "word", "facts", "true", "valid", "slay",
		"makes sense", "understood", "good", "fine", "noted", "ok cool", "oh ok", "ah ok", "ah", "oh", "wow", "interesting",
		"lol", "haha", "sweet", "gotcha", "ok got it", "right", "fair enough", "good to know", "oh i see", "ok then", "hmm",
		"neat", "amazing", "great news", "ok great", "okay cool", "i understand", "omg", "oh wow", "yeah ok", "hmm ok",
	}},
	{intentPraise, []string{
		"youre the best", "you are the best", "i love you", "love you", "love it", "good bot", "you rock", "youre awesome",
		"you are awesome", "great bot", "best bot", "nice bot", "youre great", "you are great", "youre amazing",
		"you are amazing", "youre so helpful", "you are so helpful", "this is great", "this is awesome", "love this bot",
		"youre funny", "you are funny", "youre so funny", "you are so funny", "ur funny", "ur so funny", "u r funny", "youre hilarious", "you are hilarious", "funny bot",
		"youre smart", "you are smart", "smart bot", "youre cool", "you are cool", "youre cute", "youre helpful", "you are helpful",
	}},
	{intentComplain, []string{
		"you suck", "this bot is useless", "useless", "this is useless", "you are useless", "youre useless", "you are stupid",
		"youre stupid", "stupid bot", "bad bot", "dumb bot", "this doesnt help", "that doesnt help", "that didnt help",
		"not helpful", "wrong answer", "thats wrong", "thats not what i asked", "thats not what i meant", "that is wrong",
		"you dont understand", "you didnt answer my question", "that didnt answer my question", "this bot sucks",
	}},
	{intentNext, []string{
		"what do i do now", "what should i do now", "what now", "now what", "what next", "whats next", "what should i do",
		"what do i do", "what do i do next", "what should i do next", "where do i start", "what can i do now", "so what now",
		"what are my options", "what can i do", "whats the next step", "next step", "next steps", "what are the next steps",
		"how do i fix this", "what do i do about it", "so what do i do", "i dont know what to do",
		"what else can i do", "what else should i do", "what else", "anything else i can do", "is there anything i can do",
		"wat do i do now", "wat should i do now", "wat now", "wat next", "wat do i do", "wut now", "wut do i do now",
		"what i must do now", "what i should do now", "what i do now", "what must i do", "ok so what do i do first", "what do i do first", "what should i do first",
		"and then", "and then what", "then what", "ok and then", "what then", "and after that", "what comes next", "whats after that",
		"ok fine what do i do", "fine what do i do", "ok so what do i do", "ok what do i do now", "ok what now",
	}},
	{intentConfused, []string{
		"i dont understand", "i dont understand that", "i dont understand this", "i dont understand you", "i dont get it",
		"i dont get that", "im confused", "i am confused", "confused", "im lost", "i am lost", "im so confused",
		"what do you mean", "huh", "i dont follow", "what", "wut", "wat", "say what", "come again", "what now huh", "huh what", "that makes no sense", "that doesnt make sense",
		"this doesnt make sense", "i dont know what that means", "sorry i dont understand",
	}},
	{intentSorry, []string{
		"sorry", "my bad", "oops", "sorry about that", "im sorry", "apologies", "my mistake", "whoops", "sry",
	}},
	{intentEligible, []string{
		"do i qualify", "would i qualify", "do i qualify for it", "do i qualify for the program", "do i qualify for amazon influencer",
		"do i qualify for the amazon influencer program", "am i eligible", "am i eligible to apply", "am i eligible for it",
		"am i eligible for the program", "would i be eligible", "am i eligible for amazon influencer", "would i get accepted",
		"will i get accepted", "would i be accepted", "will i be accepted", "would amazon accept me", "will amazon accept me",
		"will i get in", "would i get in", "can i get in", "do i have a chance", "do i stand a chance", "do i have a shot",
		"what are my chances", "whats my chance", "what are my odds", "am i ready", "am i ready to apply", "am i ready to reapply",
		"should i apply", "should i apply now", "should i reapply", "should i reapply now", "is my account good enough",
		"is my account ready", "am i good enough", "do i meet the requirements", "do i meet the criteria", "do i make the cut",
		"can i apply now", "is my page good enough", "is my channel good enough",
		"can i join", "can i join the program", "can i join it", "could i join", "am i able to join",
		"can i join amazon influencer", "can i join the amazon influencer program",
		"is my account eligible", "is my page eligible", "is my channel eligible",
	}},
	{intentDistress, []string{
		"this is so unfair", "this is unfair", "unfair", "not fair", "so unfair", "this sucks", "i give up", "i hate this",
		"why me", "this is ridiculous", "i feel like giving up", "ugh", "im so upset", "im upset", "im sad", "im so sad",
		"im frustrated", "im so frustrated", "so frustrating", "this is frustrating", "im devastated", "im disappointed",
		"im angry", "im annoyed", "this is stupid", "i cant believe this", "i worked so hard", "i want to quit",
	}},
}

// courtesyOrder are the intents a message of their words alone may mix
// ("ok thanks bye"), strongest first: a goodbye ends the conversation
// whatever came before it.
var courtesyOrder = []string{intentBye, intentThanks, intentPraise, intentGreeting, intentSorry, intentAck}

// distressWords mark a short message as distress even when it is not one of
// the phrases ("honestly so upset rn").
var distressWords = []string{
	"unfair", "upset", "frustrated", "frustrating", "sucks", "devastated", "disappointed", "depressed", "sad", "angry",
	"annoyed", "heartbroken", "crying", "gutted", "hopeless", "discouraged", "demotivated", "furious",
}

// emojiWords read common emoji as the word they stand for, so "👍" is an
// acknowledgement and "🙏" thanks.
var emojiWords = map[rune]string{
	'👍': "ok", '👌': "ok", '✅': "ok", '🆗': "ok", '🙏': "thanks", '❤': "thanks", '💖': "thanks", '🥰': "thanks",
	'😊': "nice", '🙂': "ok", '😀': "nice", '😃': "nice", '😄': "nice", '😁': "nice", '🎉': "nice", '🔥': "nice",
	'👏': "nice", '💯': "nice", '😂': "lol", '🤣': "lol", '👋': "hi", '😢': "sad", '😭': "sad", '😞': "sad",
	'😔': "sad", '💔': "heartbroken", '😡': "angry", '😠': "angry", '😤': "frustrated", '🤬': "angry",
}

// fillerWords are dropped before phrases are compared: "thank you so much
// bro" is "thank you".
var fillerWords = []string{
	"please", "pls", "plz", "so", "much", "very", "lot", "lots", "a", "alot", "man", "bro", "dude", "mate", "really",
	"buddy", "friend", "influbot", "bot", "tons", "again", "guys", "rn", "honestly", "just", "then", "anyway", "now",
	"anymore", "and", "but", "well", "also", "exactly", "actually",
}

// Answers to a question the bot asked.
var (
	yesPhrases = []string{
		"yes", "y", "yep", "yeah", "yea", "ya", "yup", "sure", "ok", "okay", "k", "ofc", "of course", "do it", "go ahead",
		"confirm", "confirmed", "absolutely", "definitely", "sounds good", "yes please", "lets do it", "alright", "why not",
		"go for it", "sure thing", "please do", "yes do it", "ok do it", "accept", "i accept", "deal", "yes i do", "i do",
		"all", "all of them", "take them all", "accept all", "yes delete", "yes delete it", "delete it", "erase it",
		"yes erase it", "yes delete everything", "yes erase everything", "delete everything", "erase everything", "im sure",
	}
	noPhrases = []string{
		"no", "n", "nope", "nah", "cancel", "not now", "never mind", "nevermind", "dont", "no thanks", "no thank you",
		"maybe later", "not yet", "keep it", "keep", "dont do it", "no dont", "i changed my mind", "changed my mind",
		"abort", "forget it", "no way", "dismiss", "skip it", "nah thanks", "not really", "no dont delete", "nvm", "nm",
		"none", "none of them", "none of these", "neither", "neither of them", "something else", "no none", "not that",
	}
)

// Opting out: a whole message that is one of optOutPhrases, or one with an
// opt-out verb followed by something the bot sends ("stop the reminders",
// "no more dms"), is "stop". A message starting with a word of
// optOutNotQuestions ("why did my reminders stop") is about opting out,
// not a request to.
var (
	optOutPhrases = []string{
		"stop", "unsubscribe", "unsubscribe me", "mute", "leave me alone", "opt out", "optout", "stop it", "shut up",
		"go away", "enough", "stfu", "no more", "stop messaging", "stop texting", "stop contacting me", "dont contact me",
		"do not contact me", "dont message me", "do not message me", "dont dm me", "mute me", "silence", "be quiet",
		"no reminders", "no notifications", "no messages", "no dms", "no nudges", "no more messages", "remove me",
		"remove me from the list", "remove me from your list", "take me off", "take me off the list", "take me off your list",
		"i want out", "dont remind me", "do not remind me", "dont remind me again", "never message me again",
		"never contact me again", "never dm me again", "reminders off", "notifications off", "nudges off", "dms off", "messages off", "alerts off",
	}
	// optOutBare are the words that may stand around a bare "stop" or
	// "unsubscribe" ("ok stop", "you can stop now", "stop already").
	optOutBare = []string{
		"can", "u", "you", "ok", "okay", "now", "already", "just", "it", "so", "well", "then", "hey", "bot", "influbot",
		"seriously", "oh", "god", "omg", "man", "dude", "for", "real", "right", "away", "pls", "please", "plz", "i", "said",
		"stop", "unsubscribe", "unsub", "quit", "enough", "that", "all", "everything", "need", "to", "want", "will", "would",
		"could", "do", "how", "me",
	}
	// optOutAlone are verbs that opt out with no object ("how do I
	// unsubscribe").
	optOutAlone = []string{"unsubscribe", "unsub", "optout"}
	optOutVerbs = [][]string{
		{"stop"}, {"turn", "off"}, {"switch", "off"}, {"shut", "off"}, {"disable"}, {"mute"}, {"pause"}, {"unsubscribe"},
		{"cancel"}, {"silence"}, {"quit"}, {"no", "more"}, {"dont", "send"}, {"do", "not", "send"}, {"dont", "want"},
		{"do", "not", "want"}, {"opt", "out"}, {"block"}, {"deactivate"}, {"unsub"}, {"stp"}, {"kill"}, {"no", "longer", "want"}, {"end"},
	}
	optOutObjects = []string{
		"reminder", "reminders", "notification", "notifications", "notif", "notifs", "message", "messages", "messaging",
		"dm", "dms", "dming", "nudge", "nudges", "nudging", "ping", "pings", "pinging", "alert", "alerts", "text", "texts",
		"texting", "email", "emails", "emailing", "sending", "notifying", "contacting", "bugging", "spamming", "spam",
		"msgs", "msg", "updates", "summaries", "summary", "reminding", "remind", "notify",
	}
	// optOutSplitVerbs open an opt-out whose particle comes after the
	// object: "turn notifications off".
	optOutSplitVerbs   = []string{"turn", "switch", "shut"}
	optOutNotQuestions = []string{"why", "when", "did", "does", "do", "will", "whats", "what", "is", "are", "should"}
)

// courtesyLead matches a courtesy at the start of a message that goes on
// with something else ("thanks! and how long should I wait?"): the rest is
// handled on its own.
const courtesyLead = `^\s*(?:(?:ok(?:ay)?|k|cool|great|awesome|perfect|nice|got it|hi|hey|hello|thanks|thank (?:you|u)|thx|ty)(?:\s+(?:so much|a lot|again|there|thanks|thank you))?[\s,!.:;-]+)+(?:(?:and|but|also|so|one more thing|another question)\b[\s,:-]*)?`

// verdictPhrases ask what a check just said ("is that bad?", "am I
// eligible?"): after a check they are answered from it (checkVerdict).
var verdictPhrases = []string{
	"is that bad", "is that good", "is it bad", "is it good", "is this bad", "is this good", "is that ok", "is that okay",
	"is good", "is bad", "is ok", "is okay", "good or bad", "is good or bad", "its good", "its bad", "is it good or not",
	"hows my engagement", "how is my engagement", "whats my engagement rate", "what is my engagement rate", "so whats my engagement rate",
	"hmm so whats my engagement rate", "whats my engagement", "what am i doing wrong", "what did i do wrong", "whats wrong",
	"would she qualify", "would he qualify", "would they qualify", "does she qualify", "does he qualify", "is she eligible", "is he eligible",
	"is she ready", "is he ready", "can she apply", "can he apply",
	"is it ok", "is it okay", "is that enough", "is it enough", "is that good enough", "is it good enough", "is that good or bad",
	"is that bad or good", "is that a no", "is that a yes", "is it a no", "am i eligible", "am i eligible now", "so am i eligible",
	"am i ready", "am i good", "am i in", "will i get in", "will i get accepted", "would i get in", "would i get accepted",
	"will they accept me", "would they accept me", "do i qualify", "do i have a chance", "what are my chances", "whats my chance",
	"what are my odds", "what", "huh", "what does that mean", "what does this mean", "so what does that mean", "hmm what does that mean",
	"hm what does that mean", "um what does that mean", "what does it mean", "what does that even mean", "what does the score mean",
	"what do these numbers mean", "what does my score mean", "how did i do", "how bad is it",
	"how good is it", "is that normal", "is it that bad", "thoughts", "so", "verdict", "so whats the verdict", "whats the verdict",
	"should i apply", "should i apply now", "can i apply now", "should i reapply", "should i reapply now", "can i reapply now",
	"so can i apply now", "so can i apply", "can i apply", "so should i apply", "so should i apply now", "so can i reapply now",
	"so can i reapply", "can i reapply", "ok so can i apply", "so am i ready", "so do i qualify", "so will i get in",
	"what should i improve", "what should i improve first", "what do i need to improve", "what do i improve first",
	"what should i work on", "what should i work on first", "what should i fix", "what should i fix first", "what do i fix first",
	"whats wrong", "whats wrong with it", "where am i weak", "whats my weakest area", "what are my gaps",
}

// Plain-word commands: each pattern (on the normalised message) names the
// command it runs; the words it captures are the command's arguments.
var plainCommands = []struct {
	command string
	pattern string
}{
	{"snooze", `^(?:(?:please|pls|can you|could you)\s+)?(?:snooze|postpone|delay|push back|remind me about)\s+(.+)$`},
	{"remind", `^(?:(?:hey|hi|yo|ok|okay|also|please|pls|plz|can you|can u|could you|could u|will you|will u|would you|would u)\s+)*(?:remind|nudge|ping) me(?:\s+(.*))?$`},
	{"done", `^(?:(?:i|ive|i have|i just|just|i already|already)\s+)*(?:did|done|finished|finish|completed|complete|made|wrote|posted|checked off|ticked off)\s+(.+)$`},
	{"done", `^(.+?)\s+(?:is|its)\s+(?:done|finished|complete)$`},
	{"done", `^(?:(?:i|ive|i have|i just|just|i already|already)\s+)*(?:finished|completed|did it|done it|finished it|completed it)()$`},
	{"skip", `^(?:(?:i|ill|i will|im|i want to|lets)\s+)*(?:skip|skipped|skipping|pass on)\s+(.+)$`},
	{"plan", `^(?:(?:whats|what is|show|show me|see|view|check|where is)\s+)?(?:my|the)\s+(?:plan|tasks|todo|to do list|task list)$`},
	{"plan", `^what (?:are|were) my tasks$`},
	{"plan", `^(?:what|which) tasks (?:do i have|have i got|are left|are on my list|did you give me)(?: left| now| today)?$`},
	{"plan", `^do i have any tasks(?: left| now| today)?$`},
	{"plan", `^(?:(?:ok|okay|yes|yeah|sure|alright|please|pls|can you|could you|then)\s+)*(?:make|give|build|create|write|draw up)\s+(?:me\s+)?(?:a\s+|my\s+)?(?:plan|task list|to do list)(?:\s+(?:please|then|for me))?$`},
	{"plan", `^(?:(?:ok|okay|yes|yeah|sure|alright|so|then)\s+)*(?:lets|let us|i want to|i wanna|id like to|can we|can i)\s+(?:just\s+)?(?:do|start|try|make|get|have)\s+(?:the\s+|a\s+|my\s+)?(?:plan|task list|tasks)(?:\s+(?:thing|please|then|now))?$`},
	{"plan", `^what do i (?:have|need) to do(?: today)?$`},
	{"forget", `^(?:(?:please|pls|can you|could you|i want to|i want you to|id like to|how do i|how can i)\s+)?(?:delete|erase|remove|wipe|clear|destroy|purge)\s+(?:all\s+)?(?:of\s+)?(?:my|me|the)?\s*(?:data|account|info|information|history|everything|personal data|stuff|details)(?:\s+please)?$`},
	{"plan clear", `^(?:(?:please|pls|can you|i want to|id like to)\s+)?(?:clear|delete|drop|reset|remove|cancel|scrap|get rid of)\s+(?:my\s+|the\s+|all\s+(?:of\s+)?(?:my\s+)?)?(?:plan|tasks|task list|to do list)(?:\s+please)?$`},
	{"forget", `^(?:(?:please|pls)\s+)?(?:delete me|forget about me|forget everything|forget everything about me|erase me)$`},
	{"plan", `^how many tasks (?:do i have|have i got|are there|are left|left)(?: left)?$`},
	{"plan", `^(?:whats|what is|what do i have) left(?: to do)?(?: today| this week)?$`},
	{"plan", `^(?:hows|how is|whats|what is|show|show me|check)\s+my\s+(?:streak|streaks|progress on my tasks)$`},
	{"remind on", `^(?:(?:please|pls|can you|could you)\s+)?(?:start|restart|resume|enable|turn on|switch on)\s+(?:my\s+|the\s+)?(?:reminders?|nudges?|notifications?)(?:\s+(?:again|back on|on))?(?:\s+please)?$`},
	{"remind on", `^(?:(?:nvm|never mind|actually|ok|okay|no|oh|please|pls|can you|could you)\s+)*(?:turn|switch|put)\s+(?:my\s+|the\s+)?(?:reminders?|nudges?|notifications?|them|it)\s+(?:back\s+)?on(?:\s+again)?(?:\s+please)?$`},
	{"remind show", `^(?:what time are|when are|show|show me|what are|whats|when do i get|when will i get)\s+(?:my\s+|the\s+)?(?:reminders?|nudges?|reminder settings|reminder time)$`},
	{"remind show", `^(?:what|which) (?:reminders?|nudges?) (?:do i have|have i got|are (?:set|on|coming(?: up)?)|did i set)(?: up)?$`},
	{"remind show", `^(?:list|see|view|check)\s+(?:my\s+|the\s+|all\s+(?:my\s+)?)?(?:reminders?|nudges?)$`},
	{"remind show", `^when (?:will|do) you (?:remind|nudge|message) me$`},
	{"remind show", `^(?:what time is it set (?:for|to)|when is it set (?:for|to)|what is it set (?:for|to)|whats it set (?:for|to)|when is my (?:reminder|nudge)|when are my (?:reminders|nudges)|what time is my (?:reminder|nudge)|whats my reminder(?: set (?:for|to))?|what is my reminder(?: set (?:for|to))?|is my reminder (?:on|set)|are my reminders (?:on|set)|do i have (?:a reminder|reminders)(?: set| on)?)$`},
	{"remind", `^(?:change|move|set|switch|make|update|put)\s+(?:my\s+|the\s+)?(?:reminders?|nudges?|reminder time)\s+(?:to|for|at)\s+(.+)$`},
	{"remind zone", `^(?:(?:please|pls|can you|could you)\s+)?(?:(?:set|change|switch|update|make|put)\s+)?(?:my\s+|the\s+)?(?:time zone|timezone|tz)(?:\s+(?:is|to|as|should be|now|is now))*\s+(?:the\s+)?(.+?)(?:\s+(?:time|time zone|timezone))?$`},
	{"remind zone", `^(?:im|i am|i live|were|we are)\s+(?:in|on)\s+(?:the\s+)?(.+?)\s+(?:time|time zone|timezone)$`},
	{"remind zone", `^(?:(?:please|pls|can you|could you)\s+)?(?:use|switch to|change to)\s+(?:the\s+)?(.+?)\s+(?:time|time zone|timezone)(?:\s+(?:for my reminders|for reminders|please))?$`},
	{"history", `^(?:(?:can you|could you|please|pls)\s+)?(?:show|see|view|check|give)\s+(?:me\s+)?my\s+(?:history|progress|past questions|questions|past checks|checks|stats|results)(?:\s+so far)?(?:\s+please)?$`},
	{"history", `^what (?:did|have) i (?:ask|asked|check|checked)(?: you)?(?: before| earlier| so far| last time)?$`},
	{"history", `^what (?:did|have) we (?:talk|talked|chat|chatted) about(?: today| so far| before| earlier| last time)?$`},
	{"export", `^(?:(?:so|and|ok|okay|hey)\s+)?what (?:do you|did you|have you|data do you|info do you|information do you|personal data do you|stuff do you)\s*(?:know|have|keep|store|save|remember|collect|got|saved|stored|collected)\s+(?:on|about|of)\s+me$`},
	{"export", `^(?:(?:can you|could you|please|pls)\s+)?(?:show|tell)\s+me\s+(?:what|everything)\s+you\s+(?:know|have|keep|store)\s+(?:on|about)\s+me$`},
	{"history", `^how (?:am i|have i been|is my account) doing(?: so far| now)?$`},
	{"history", `^(?:am i|have i been) (?:making progress|improving|getting better)$`},
}

// remindWhen marks where the time begins in "remind me to post every day
// at 7pm": the words before it say what to be reminded of.
const remindWhen = `\b(?:every|daily|weekdays|weekly|each|at|on|in the|tomorrow|mornings?|evenings?)\b`

// freeAnswers are questions whose answer may be the command's own words:
// after "When should I nudge you?", "every day at 9" runs `remind every day
// at 9`. The pattern says what such an answer looks like.
var freeAnswers = map[string]string{
	"remind": `\d|` + remindWhen + `|\b(?:daily|weekdays?|weekly|monday|tuesday|wednesday|thursday|friday|saturday|sunday|noon|midnight)\b`,
}

// taskStopWords are left out when matching a task by its words.
var taskStopWords = []string{
	"i", "the", "a", "an", "my", "task", "one", "that", "this", "it", "with", "for", "today", "just", "already", "thing",
	"on", "of", "to", "and", "did", "done", "have", "ive", "finished", "completed", "please", "now", "yesterday",
}

// followUpPattern captures the new argument of an elliptical follow-up:
// "and on kitchen stuff?", "what about tiktok", "how about $200".
const followUpPattern = `^(?:(?:and|but|ok|okay|so)\s+)?(?:(?:what|how)\s+about|what\s+if\s+(?:its|it was|i use)|and\s+(?:on|for|with|in|if)|and|same\s+(?:for|on|with))\s+(.+?)(?:\s+(?:then|instead|too|stuff|products|things|items))*$`
