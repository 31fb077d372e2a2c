package ingest

import (
	"strconv"
	"strings"
	"time"

	"github.com/polgraph/polgraph/ingest/segment"
)

// Dates in the text of a report: an event is dated by the first date
// expression of a sentence that names it, resolved against the publication
// date; without one it takes the publication date (the day it was reported).
//
//	explicit   "14 أكتوبر 2025", "14 October 2025", "October 14, 2025" → day
//	           "أغسطس 2025", "in August 2025"                          → month
//	           "14 أكتوبر", "October 14" (year of publication)          → day
//	relative   "أمس", "yesterday" (−1), "أول أمس" (−2), "اليوم", "today",
//	           "غدا", "tomorrow" (+1)                                  → day
//	weekday    "يوم الاثنين", "on Monday": the latest such day on or before
//	           publication; "الاثنين المقبل", "next Monday": the next one → day
//
// Bare years ("since 2014") are background, not the date of the event.

var months = func() map[string]time.Month {
	m := map[string]time.Month{}
	for n, ws := range [][]string{
		{"يناير", "كانون الثاني", "January", "Jan."},
		{"فبراير", "شباط", "February", "Feb."},
		{"مارس", "آذار", "March", "Mar."},
		{"أبريل", "ابريل", "إبريل", "نيسان", "April", "Apr."},
		{"مايو", "أيار", "May"},
		{"يونيو", "يونيه", "حزيران", "June", "Jun."},
		{"يوليو", "يوليه", "تموز", "July", "Jul."},
		{"أغسطس", "اغسطس", "آب", "August", "Aug."},
		{"سبتمبر", "أيلول", "September", "Sept.", "Sep."},
		{"أكتوبر", "اكتوبر", "تشرين الأول", "October", "Oct."},
		{"نوفمبر", "تشرين الثاني", "November", "Nov."},
		{"ديسمبر", "كانون الأول", "December", "Dec."},
	} {
		for _, w := range ws {
			m[strings.Join(keysOf(w), " ")] = time.Month(n + 1)
		}
	}
	return m
}()

var weekdays = func() map[string]time.Weekday {
	m := map[string]time.Weekday{}
	for n, ws := range [][]string{
		{"الأحد", "Sunday"}, {"الاثنين", "الإثنين", "Monday"}, {"الثلاثاء", "Tuesday"}, {"الأربعاء", "الاربعاء", "Wednesday"},
		{"الخميس", "Thursday"}, {"الجمعة", "Friday"}, {"السبت", "Saturday"},
	} {
		for _, w := range ws {
			m[keysOf(w)[0]] = time.Weekday(n)
		}
	}
	return m
}()

var (
	relativeDays = func() map[string]int {
		m := map[string]int{}
		for w, d := range map[string]int{"أمس": -1, "امس": -1, "البارحة": -1, "yesterday": -1, "اليوم": 0,
			"today": 0, "غدا": 1, "tomorrow": 1} {
			m[keysOf(w)[0]] = d
		}
		return m
	}()
	// monthFirst and dayWords are the words that can begin a month's name
	// and the day words: most tokens are none.
	monthFirst = func() *segment.Class {
		var keys []string
		for k := range months {
			first, _, _ := strings.Cut(k, " ")
			keys = append(keys, first)
		}
		return lexicon.Class(keys...)
	}()
	dayWords = func() *segment.Class {
		var keys []string
		for k := range relativeDays {
			keys = append(keys, k)
		}
		for k := range weekdays {
			keys = append(keys, k)
		}
		return lexicon.Class(keys...)
	}()
	firstWord = set("أول") // "أول أمس": the day before yesterday
	nextWords = set("المقبل", "القادم", "next", "coming")
	lastWords = set("الماضي", "last")
)

// definiteOnly: Arabic day words count only with the article, since keys
// drop it and "يوم" (day), "أحد" (one), "جمعة" (a name) are ordinary words.
func definiteOnly(t *segment.Token) bool { return !t.Arabic || t.Def }

// eventDate is a date read from a sentence.
type eventDate struct {
	date, precision string
}

// dateAt is a date expression at a token of a sentence; unresolved when
// it needs the publication date and that is unknown ("on Sunday" in an
// undated report): it still marks that its event has a date of its own.
type dateAt struct {
	tok      int
	d        eventDate
	resolved bool
}

// sentenceDates returns the date expressions of a sentence, in order.
func sentenceDates(toks []segment.Token, pub time.Time, known bool) []dateAt {
	var out []dateAt
	for k := 0; k < len(toks); k++ {
		t := &toks[k]
		if t.Punct || t.Key == "" {
			continue
		}
		if d, ok := explicitDate(toks, k, pub, known); ok {
			out = append(out, dateAt{k, d, true})
			continue
		}
		if d, ok := relativeDate(toks, k, pub); ok {
			out = append(out, dateAt{k, d, known})
		}
	}
	return out
}

// nearestDate is the date expression closest to token k, within reach;
// dates belong to the event named next to them, not to every event of
// the sentence ("met on Sunday … the agreement signed in October 2020").
func nearestDate(ds []dateAt, k int) (eventDate, bool) {
	const reach = 15
	best, bestDist := dateAt{}, reach+1
	for _, d := range ds {
		dist := d.tok - k
		if dist < 0 {
			dist = -dist
		}
		if dist < bestDist {
			best, bestDist = d, dist
		}
	}
	return best.d, bestDist <= reach && best.resolved
}

// relativeDate reads "أمس", "yesterday", "on Monday", "الخميس المقبل" at k.
func relativeDate(toks []segment.Token, k int, pub time.Time) (eventDate, bool) {
	t := &toks[k]
	if !t.HasForm(dayWords) {
		return eventDate{}, false
	}
	if off, ok := relativeDays[t.Key]; ok && (definiteOnly(t) || off != 0) {
		if off == -1 && k > 0 && toks[k-1].HasForm(firstWord) {
			off = -2
		}
		return dayOf(pub.AddDate(0, 0, off)), true
	}
	if wd, ok := weekdayAt(t); ok && definiteOnly(t) {
		next := k+1 < len(toks) && toks[k+1].HasForm(nextWords) || k > 0 && toks[k-1].HasForm(nextWords)
		last := k+1 < len(toks) && toks[k+1].HasForm(lastWords) || k > 0 && toks[k-1].HasForm(lastWords)
		d := pub
		if next {
			d = d.AddDate(0, 0, 1)
			for d.Weekday() != wd {
				d = d.AddDate(0, 0, 1)
			}
		} else {
			if last && d.Weekday() == wd {
				d = d.AddDate(0, 0, -1)
			}
			for d.Weekday() != wd {
				d = d.AddDate(0, 0, -1)
			}
		}
		return dayOf(d), true
	}
	return eventDate{}, false
}

func dayOf(t time.Time) eventDate { return eventDate{t.Format("2006-01-02"), "day"} }

// weekdayAt reads a weekday name, with proclitics ("والاثنين").
func weekdayAt(t *segment.Token) (time.Weekday, bool) {
	for _, f := range t.Forms() {
		if wd, ok := weekdays[f]; ok {
			return wd, true
		}
	}
	return 0, false
}

// monthAt reads a month name of one or two words at k.
func monthAt(toks []segment.Token, k int) (time.Month, int, bool) {
	if k >= len(toks) || toks[k].Punct || !toks[k].HasForm(monthFirst) {
		return 0, 0, false
	}
	if k+1 < len(toks) && !toks[k+1].Punct {
		for _, f := range toks[k].Forms() {
			if m, ok := months[f+" "+toks[k+1].Key]; ok {
				return m, k + 2, true
			}
		}
	}
	for _, f := range toks[k].Forms() {
		if m, ok := months[f]; ok {
			end := k + 1
			if end < len(toks) && toks[end].Text == "." { // "Oct."
				end++
			}
			return m, end, true
		}
	}
	return 0, 0, false
}

func number(t *segment.Token, lo, hi int) (int, bool) {
	if !t.Digits || len(t.Key) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(t.Key)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// explicitDate reads "DAY MONTH [YEAR]", "MONTH DAY[,] [YEAR]" or "MONTH
// YEAR" starting at k.
func explicitDate(toks []segment.Token, k int, pub time.Time, known bool) (eventDate, bool) {
	year := func(q int) (int, bool) {
		for q < len(toks) && toks[q].Text == "," {
			q++
		}
		if q < len(toks) {
			return number(&toks[q], 1900, 2100)
		}
		return 0, false
	}
	build := func(y int, m time.Month, d int, hasYear bool) (eventDate, bool) {
		if !hasYear {
			if !known {
				return eventDate{}, false
			}
			y = pub.Year()
			// "14 December" read in a January report is last year's.
			if time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(pub.AddDate(0, 0, 60)) {
				y--
			}
		}
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if t.Month() != m { // 31 June
			return eventDate{}, false
		}
		return dayOf(t), true
	}
	if d, ok := number(&toks[k], 1, 31); ok {
		if m, end, ok := monthAt(toks, k+1); ok {
			y, hasYear := year(end)
			return build(y, m, d, hasYear)
		}
		return eventDate{}, false
	}
	m, end, ok := monthAt(toks, k)
	if !ok {
		return eventDate{}, false
	}
	if end < len(toks) {
		if d, ok := number(&toks[end], 1, 31); ok {
			y, hasYear := year(end + 1)
			return build(y, m, d, hasYear)
		}
	}
	if y, ok := year(end); ok {
		return eventDate{time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Format("2006-01"), "month"}, true
	}
	return eventDate{}, false
}
