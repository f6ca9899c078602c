package realism

import "strings"

// The claims an assistant line can make, in the words of the nl and en
// phrase banks (fixtures/phrases: follow_up and the intents' replies) and
// of common server texts read out as they are (G1 string results). Each
// list is matched case-insensitively inside one sentence that is not a
// question.
var (
	// notFoundWords: the caller (contact) is not known.
	notFoundWords = []string{
		"not found", "can't find you", "cannot find you", "couldn't find you", "not registered", "no customer found", "no contact found",
		"niet gevonden", "kan u nog niet vinden", "kan u niet vinden", "niet geregistreerd", "geen klant gevonden", "geen contact gevonden", "niet bekend",
	}
	// foundWords: the caller is known.
	foundWords = []string{
		"found your details", "i can see you in our system", "your customer details", "i've found you", "i have found you", "i have you down as", "customer found", "contact found",
		"uw gegevens gevonden", "ik zie u in ons systeem", "uw klantgegevens", "ik heb u gevonden", "ik zie u staan als", "klant gevonden", "contact gevonden",
	}
	// refusedWords: a booking or a time was refused or is not possible.
	refusedWords = []string{
		"no longer available", "not possible", "not confirmed", "not available", "can't book", "cannot book", "refused", "not offered", "in the past", "fully booked",
		"niet meer beschikbaar", "niet bevestigd", "lukt helaas niet", "niet mogelijk", "niet beschikbaar", "niet aangeboden", "in het verleden", "geweigerd", "volgeboekt", "kan niet worden geboekt",
		"already booked", "has just been taken", "is taken", "booked by someone else", "door iemand anders geboekt", "al geboekt", "al bezet",
	}
	// failedWords: something failed, about whatever the last tool did.
	failedWords = []string{
		"sorry", "apologies", "didn't work", "went wrong", "unfortunately",
		"het spijt me", "excuses", "lukte niet", "ging iets mis", "helaas",
	}
	// confirmWords: an appointment was booked.
	confirmWords = []string{
		"is confirmed", "booked for", "booked in", "i've booked", "i have booked", "appointment is booked", "in the diary", "confirmation number", "reference number", "booking reference",
		"bevestigd", "staat vast", "ingepland", "vastgelegd", "staat genoteerd", "in de agenda", "bevestigingsnummer", "referentienummer", "geboekt",
	}
	// negativeWords: a tool's string result that refused or found nothing.
	negativeWords = concat(notFoundWords, refusedWords, []string{"error", "fout", "mislukt", "failed"})
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// claims reports whether any statement (not a question) of text says one
// of words.
func claims(text string, words []string) bool {
	for _, s := range statements(text) {
		for _, w := range words {
			if strings.Contains(s, w) {
				return true
			}
		}
	}
	return false
}

// statements are the lower-cased sentences of text that are not questions.
func statements(text string) []string {
	text = strings.ToLower(strings.ReplaceAll(text, "’", "'"))
	var out []string
	start := 0
	for i, r := range text {
		if r != '.' && r != '!' && r != '?' && r != '\n' {
			continue
		}
		// a dot inside a number or a time (14.30, 1.5) does not end a sentence
		if r == '.' && i+1 < len(text) && text[i+1] != ' ' && text[i+1] != '\n' {
			continue
		}
		if r != '?' {
			out = append(out, text[start:i])
		}
		start = i + 1
	}
	if rest := strings.TrimSpace(text[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}
