// Package arabic gives names found in Arabic text a Latin display form.
// Unvocalised Arabic does not say which vowels to write, so the result is a
// readable guess, not a scholarly transliteration: common given names come
// from a table in the spellings Libyan and wire-service English use
// ("محمد" → "Mohamed", "خالد" → "Khaled"), other words from a letter map with
// a simple vowel rule ("المحجوب" → "al-Mahjoub"). Known people and places
// should get their names from the gazetteer, not from here.
//
// Matching keys are not made here: they come from graph/names.
package arabic

import (
	"strings"
	"unicode"

	"github.com/polgraph/polgraph/graph/names"
)

// givenNames maps folded forms (names.Fold) of common names to their usual
// Latin spelling. Two-word names ("عبد الله") are looked up joined by a
// space.
var givenNames = map[string]string{
	"محمد": "Mohamed", "احمد": "Ahmed", "محمود": "Mahmoud", "مصطفي": "Mustafa", "علي": "Ali",
	"عمر": "Omar", "عثمان": "Othman", "خالد": "Khaled", "خليفه": "Khalifa", "صدام": "Saddam",
	"ابراهيم": "Ibrahim", "اسماعيل": "Ismail", "يوسف": "Youssef", "يونس": "Younis", "موسي": "Moussa",
	"عيسي": "Issa", "حسن": "Hassan", "حسين": "Hussein", "سالم": "Salem", "صالح": "Saleh",
	"سليمان": "Suleiman", "فتحي": "Fathi", "فرج": "Faraj", "مفتاح": "Muftah", "ميلاد": "Milad",
	"جمال": "Jamal", "رمضان": "Ramadan", "طارق": "Tarek", "وليد": "Walid", "وسام": "Wissam",
	"اسامه": "Osama", "ناجي": "Naji", "عقيله": "Aguila", "حفتر": "Haftar", "الصديق": "al-Siddiq",
	"صديق": "Siddiq", "نجلاء": "Najla", "فايز": "Fayez", "عماد": "Imad", "هشام": "Hisham",
	"عادل": "Adel", "كمال": "Kamal", "نوري": "Nouri", "فوزي": "Fawzi", "مختار": "Mokhtar",
	"منصور": "Mansour", "مراد": "Murad", "سعيد": "Said", "سعد": "Saad", "زياد": "Ziad",
	"عبدالله": "Abdullah", "عبد الله": "Abdullah", "عبد الحميد": "Abdul Hamid", "عبدالحميد": "Abdulhamid",
	"عبد الرحمن": "Abdul Rahman", "عبد السلام": "Abdul Salam", "عبد الباسط": "Abdul Basit",
	"عبد الرزاق": "Abdul Razzaq", "عبد الغني": "Abdel-Ghani", "عبد الرؤوف": "Abdel Raouf",
	"عبد الفتاح": "Abdel Fattah", "عبد المجيد": "Abdul Majid", "عبد العزيز": "Abdul Aziz",
	"عبد الكريم": "Abdul Karim", "عبد الحكيم": "Abdul Hakim", "عبد القادر": "Abdul Qader",
	"عبد المنعم": "Abdul Moneim", "عبد الهادي": "Abdul Hadi", "عبد الوهاب": "Abdul Wahab",
	"محمد علي": "Mohamed Ali", "بلقاسم": "Belgasem", "ابوبكر": "Abubakr", "ابو بكر": "Abu Bakr",
	"مرعي": "Marai", "هاني": "Hani", "ايمن": "Ayman", "انور": "Anwar", "بشير": "Bashir",
	"مبروك": "Mabrouk", "عبد": "Abd", "بن": "bin", "ابو": "Abu", "ام": "Umm",
	"الامين": "al-Amin", "امين": "Amin", "العربي": "al-Arabi", "مهدي": "Mahdi", "المهدي": "al-Mahdi",
	"حمزه": "Hamza", "عيد": "Eid", "جبريل": "Jibril", "نصر": "Nasr", "ناصر": "Nasser", "معمر": "Muammar",
	"القذافي": "al-Qaddafi", "الدبيبه": "Dbeibah", "المنفي": "al-Menfi", "المشري": "al-Mishri",
	"تكاله": "Takala", "حماد": "Hamad", "الكبير": "al-Kabir", "المحجوب": "al-Mahjoub",
}

// letters maps Arabic letters to Latin; vowels (ا و ي) and ة are handled by
// the vowel rule in word.
var letters = map[rune]string{
	'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "dh",
	'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z",
	'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h",
	'ء': "", 'ئ': "", 'ؤ': "", 'ع': "a",
}

// Transliterate renders an Arabic name in Latin script. Words already in
// Latin script are kept; the Arabic article becomes "al-".
func Transliterate(name string) string {
	words := strings.Fields(name)
	var out []string
	for i := 0; i < len(words); i++ {
		if i+1 < len(words) {
			if s, ok := givenNames[fold(words[i])+" "+fold(words[i+1])]; ok {
				out = append(out, s)
				i++
				continue
			}
		}
		out = append(out, Word(words[i]))
	}
	return strings.Join(out, " ")
}

// IsGivenName reports whether the word is a common name in the table, so a
// word starting with و like "وليد" is read as a name, not "و" + "ليد".
func IsGivenName(w string) bool {
	_, ok := givenNames[fold(w)]
	return ok
}

func fold(w string) string {
	var b strings.Builder
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteString(names.FoldRune(r))
		}
	}
	return b.String()
}

// Word transliterates one word.
func Word(w string) string {
	f := fold(w)
	if f == "" {
		return ""
	}
	if s, ok := givenNames[f]; ok {
		return s
	}
	rs := []rune(f)
	if !names.IsArabicLetter(rs[0]) {
		return w
	}
	prefix := ""
	if len(rs) >= 4 && rs[0] == 'ا' && rs[1] == 'ل' {
		prefix, rs = "al-", rs[2:]
		if s, ok := givenNames[string(rs)]; ok {
			return prefix + s
		}
	}
	return prefix + capitalize(letterMap(rs))
}

func isVowelLetter(r rune) bool { return r == 'ا' || r == 'و' || r == 'ي' || r == 'ة' || r == 'ع' }

// letterMap writes the letters with a vowel rule for the unwritten short
// vowels: between two consonants an "a" is inserted, but not twice in a
// row, which gives CaCCaC shapes ("حفتر" → "haftar", "محجوب" → "mahjoub",
// "كبير" → "kabir").
func letterMap(rs []rune) string {
	var b strings.Builder
	inserted := false
	for i, r := range rs {
		var next rune
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch r {
		case 'ا':
			if i == 0 || rs[i-1] != 'ا' {
				b.WriteString("a")
			}
			inserted = false
			continue
		case 'ة':
			b.WriteString("a")
			continue
		case 'و':
			switch {
			case i == 0 || next == 'ا' || next == 'ي' || (i > 0 && rs[i-1] == 'ا'):
				b.WriteString("w")
			default:
				b.WriteString("ou")
			}
			inserted = false
			continue
		case 'ي':
			switch {
			case i == 0 || next == 'ا' || next == 'و' || (i > 0 && rs[i-1] == 'ا'):
				b.WriteString("y")
			default:
				b.WriteString("i")
			}
			inserted = false
			continue
		}
		l, ok := letters[r]
		if !ok {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			}
			continue
		}
		if r == 'ع' {
			if i > 0 && (rs[i-1] == 'ا' || isVowelLetter(rs[i-1])) {
				continue
			}
			b.WriteString("a")
			inserted = true
			continue
		}
		b.WriteString(l)
		if next != 0 && !isVowelLetter(next) && !inserted && l != "" {
			b.WriteString("a")
			inserted = true
		} else {
			inserted = false
		}
	}
	return b.String()
}

func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}
