package schedule

import "sort"

// ZoneNames returns the IANA zones named after a city that LoadZone
// knows, sorted ("Europe/Berlin"), for suggestions as a user types.
func ZoneNames() []string {
	out := make([]string, len(zoneNames))
	copy(out, zoneNames[:])
	sort.Strings(out)
	return out
}

// ZoneAbbreviations returns the abbreviations and nicknames LoadZone
// understands ("pst", "cest", "ist"), each with the zone it means.
func ZoneAbbreviations() map[string]string {
	out := make(map[string]string, len(zoneAbbrevs))
	for k, v := range zoneAbbrevs {
		out[k] = v
	}
	return out
}
