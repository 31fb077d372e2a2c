package soak

import (
	"fmt"
	"strings"
)

// Article is a report as POST /v1/documents takes it (the corpus JSON
// format). The soak is a client, so it has its own copy of the wire
// format rather than the server's type.
type Article struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Outlet    string `json:"outlet"`
	Language  string `json:"language"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Text      string `json:"text"`
}

// Reports make the articles the soak posts: short wire reports in English
// and Arabic, written here from phrase lists (no published text), of
// meetings and agreements between invented officers and officials in
// cities the gazetteer knows, so that each one goes through the whole
// pipeline (persons, organisations, places, events, evidence) like a real
// report. The cast and the dates are few, so later reports retell events
// earlier ones told, as news does: the graph then gains mostly evidence
// and documents, not a new subgraph per report.
type Reports struct {
	// Run makes this run's URLs, and so its document ids, differ from any
	// other run's on the same store.
	Run string
}

// Article returns the n-th report: English for even n, Arabic for odd.
// Its URL is unique within the run, so each report is a new document.
func (r Reports) Article(n int) Article {
	a, b := cast[n%len(cast)], cast[(n/len(cast)+n+1)%len(cast)]
	if a == b {
		b = cast[(n+3)%len(cast)]
	}
	city := cities[(n/2)%len(cities)]
	other := cities[(n/2+3)%len(cities)]
	topic := topics[(n/3)%len(topics)]
	// Four weeks of dates: the same pair in the same city on the same day
	// is the same event, told again.
	day := fmt.Sprintf("2025-11-%02d", 1+(n/5)%28)
	art := Article{ID: fmt.Sprintf("soak-%s-%d", r.Run, n), Outlet: "polgraph soak wire", Published: day}
	if n%2 == 0 {
		art.Language = "en"
		art.URL = fmt.Sprintf("https://soak.polgraph.example/%s/en/%d", r.Run, n)
		art.Title = fmt.Sprintf("%s and %s meet in %s", a.en, b.en, city.en)
		art.Text = strings.Join([]string{
			art.Title,
			fmt.Sprintf("%s — %s %s, %s, met %s %s in %s on %s to discuss %s.",
				strings.ToUpper(city.en), a.titleEn, a.en, a.roleEn, b.titleEn, b.en, city.en, weekdays[n%len(weekdays)], topic.en),
			fmt.Sprintf("%s said the two sides agreed to form a joint committee on %s between %s and %s.",
				lastName(a.en), topic.en, city.en, other.en),
			"The Presidential Council welcomed the agreement.",
		}, "\n")
		return art
	}
	art.Language = "ar"
	art.URL = fmt.Sprintf("https://soak.polgraph.example/%s/ar/%d", r.Run, n)
	art.Title = fmt.Sprintf("اجتماع بين %s و%s في %s", a.ar, b.ar, city.ar)
	art.Text = strings.Join([]string{
		art.Title,
		fmt.Sprintf("التقى %s %s، %s، %s %s في مدينة %s لبحث %s.",
			a.titleAr, a.ar, a.roleAr, b.titleAr, b.ar, city.ar, topic.ar),
		fmt.Sprintf("وقال %s إن الطرفين اتفقا على تشكيل لجنة مشتركة بشأن %s بين %s و%s.",
			lastName(a.ar), topic.ar, city.ar, other.ar),
		"ورحب المجلس الرئاسي بالاتفاق.",
	}, "\n")
	return art
}

func lastName(s string) string { return s[strings.LastIndexByte(s, ' ')+1:] }

// person is one of the invented cast, in both scripts.
type person struct {
	en, ar           string
	titleEn, titleAr string
	roleEn, roleAr   string
}

var cast = []person{
	{"Tarek Bannani", "طارق البناني", "Colonel", "العقيد", "commander of the Coastal Shield Brigade", "آمر كتيبة درع الساحل"},
	{"Walid Hilali", "وليد الهلالي", "Major General", "اللواء", "head of the border guard", "رئيس جهاز حرس الحدود"},
	{"Emad Zayani", "عماد الزياني", "Colonel", "العقيد", "commander of the 77th Battalion", "آمر الكتيبة 77"},
	{"Hisham Darwish", "هشام درويش", "Brigadier", "العميد", "director of the ports authority", "مدير مصلحة الموانئ"},
	{"Idris Madani", "إدريس المدني", "Major", "الرائد", "spokesman of the Southern Operations Room", "المتحدث باسم غرفة عمليات الجنوب"},
	{"Fawzi Qadri", "فوزي القادري", "Colonel", "العقيد", "commander of the Desert Guard", "آمر حرس الصحراء"},
	{"Milad Rifai", "ميلاد الرفاعي", "Brigadier", "العميد", "head of the military police", "رئيس الشرطة العسكرية"},
	{"Zakaria Shami", "زكريا الشامي", "Major General", "اللواء", "chief of the coast guard", "رئيس خفر السواحل"},
}

// place is a city of the gazetteer, in both scripts.
type place struct{ en, ar string }

var cities = []place{
	{"Tripoli", "طرابلس"}, {"Benghazi", "بنغازي"}, {"Misrata", "مصراتة"}, {"Sirte", "سرت"},
	{"Zawiya", "الزاوية"}, {"Tobruk", "طبرق"}, {"Sabha", "سبها"}, {"Zliten", "زليتن"},
}

type phrase struct{ en, ar string }

var topics = []phrase{
	{"security at the port", "الأوضاع الأمنية في الميناء"},
	{"the coastal road", "الطريق الساحلي"},
	{"fuel supplies", "إمدادات الوقود"},
	{"the return of displaced families", "عودة الأسر النازحة"},
	{"salaries of the security forces", "مرتبات الأجهزة الأمنية"},
}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
