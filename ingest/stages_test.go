package ingest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
)

// recogniseFirst runs the recognise stage on the first sentence of text.
func recogniseFirst(t *testing.T, p *Pipeline, text string) []string {
	t.Helper()
	x := p.newExtraction(Article{Text: text})
	var out []string
	for _, m := range x.recognise(&x.sents[0]) {
		s := fmt.Sprintf("%s %s %q", m.kind, m.rule, string(x.runes[m.start:m.end]))
		if m.title != "" {
			s += " title=" + m.title
		}
		if m.nested {
			s += " nested"
		}
		out = append(out, s)
	}
	return out
}

func TestRecognise(t *testing.T) {
	p := testPipeline(t)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"rank and known person", "أكد الفريق أول ركن خالد خليفة حفتر،",
			[]string{`Person person_title "خالد خليفة حفتر" title=Lt. Gen.`}},
		{"rank and unknown person", "وقال العقيد سالم الزروق إن",
			[]string{`Person person_title "سالم الزروق" title=Col.`}},
		{"rank that is also a noun", "وأكد اللواء داخل المعسكر أن",
			nil},
		{"brigade, not a rank", "أوضح اللواء 444 قتال",
			[]string{`Organization gazetteer "اللواء 444 قتال"`}},
		{"english rank", "Maj. Gen. Khaled al-Mahjoub said",
			[]string{`Person person_title "Khaled al-Mahjoub" title=Maj. Gen.`}},
		{"english org before title", "the General Command said",
			[]string{`Organization gazetteer "General Command"`}},
		{"group with adjectives and city", "وقيادات أمنية وعسكرية في مدينة مصراتة.",
			[]string{`Group group_pattern "قيادات أمنية وعسكرية في مدينة مصراتة"`, `Place gazetteer "مصراتة" nested`}},
		{"group construct", "اتفاق حفتر وقيادات مصراتة",
			[]string{`Group group_pattern "قيادات مصراتة"`, `Place gazetteer "مصراتة" nested`}},
		{"group with participle", "أعرب القادة المشاركون من مصراتة عن",
			[]string{`Group group_pattern "القادة المشاركون من مصراتة"`, `Place gazetteer "مصراتة" nested`}},
		{"group without place", "التعاون بين القيادات العسكرية لإعادة هيكلة القوات",
			nil},
		{"english group", "security and military leaders from Misrata agreed",
			[]string{`Group group_pattern "security and military leaders from Misrata"`, `Place gazetteer "Misrata" nested`}},
		{"english group construct", "Misrata's military leaders said",
			[]string{`Group group_pattern "Misrata's military leaders"`, `Place gazetteer "Misrata" nested`}},
		{"org pattern", "تسليمه إلى كتيبة أمن المطار التابعة لرئاسة الأركان",
			[]string{`Organization org_pattern "كتيبة أمن المطار"`}},
		{"org pattern with place", "مديرية أمن طرابلس",
			[]string{`Organization org_pattern "مديرية أمن طرابلس"`}},
		{"generic phrases are not organisations", "تشكيل لجنة مالية مشتركة ومجلس إدارة جديد",
			nil},
		{"english org pattern", "the Ministry of Tourism and the Airport Security Battalion",
			[]string{`Organization org_pattern "Ministry of Tourism"`, `Organization org_pattern "Airport Security Battalion"`}},
		{"organisation named in quotes", "أعلنت كتيبة «شهداء الزاوية» انسحابها",
			[]string{`Organization org_pattern "كتيبة «شهداء الزاوية»"`}},
		{"known names in quotes", "قال جهاز «الردع» إن “زياد دغيم” وصل",
			[]string{`Organization gazetteer "جهاز «الردع"`, `Person gazetteer "زياد دغيم"`}},
		{"unknown city", "في مدينة هون",
			[]string{`Place city_pattern "هون"`}},
		{"known city after city word", "بمدينة طرابلس",
			[]string{`Place gazetteer "طرابلس"`}},
		{"english unknown city", "in the city of Gharyan",
			[]string{`Place city_pattern "Gharyan"`}},
		{"proclitic kept out of span", "وبالقيادة العامة",
			[]string{`Organization gazetteer "القيادة العامة"`}},
		{"nisba is not the country", "في السياق الليبي",
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := recogniseFirst(t, p, tt.text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("recognise(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

// mentionTexts lists the texts of an entity's mentions.
func mentionTexts(e graph.Entity) []string {
	var out []string
	for _, m := range e.Mentions {
		out = append(out, m.Text)
	}
	return out
}

func TestCoreference(t *testing.T) {
	p := testPipeline(t)
	tests := []struct {
		name     string
		text     string
		kind     graph.Kind
		entity   string
		mentions []string
		absent   []string // names that must not appear
	}{
		{"surname to the latest full name", "التقى المشير خليفة حفتر بالفريق خالد حفتر. وقال حفتر إن الوضع مستقر.",
			graph.KindPerson, "Khaled Haftar", []string{"خالد حفتر", "حفتر"}, nil},
		{"surname with proclitic", "وصل صدام حفتر إلى سرت. ونقل بيان عن لحفتر قوله.",
			graph.KindPerson, "Saddam Haftar", []string{"صدام حفتر", "حفتر"}, nil},
		{"surname before any full name stays unresolved", "قال حفتر إن الاتفاق صامد. وأكد خالد حفتر ذلك.",
			graph.KindPerson, "Khaled Haftar", []string{"خالد حفتر"}, []string{"Khalifa Haftar"}},
		{"adjective is not a surname", "قال الصديق الكبير إن الدور الكبير للمصرف معروف. وأضاف الكبير أن",
			graph.KindPerson, "Sadiq al-Kabir", []string{"الصديق الكبير", "الكبير"}, nil},
		{"fixed expression is not a surname", "دعا عقيلة صالح إلى الحوار. والقرار لصالح المواطنين.",
			graph.KindPerson, "Aguila Saleh", []string{"عقيلة صالح"}, nil},
		{"unknown person by surname", "وقال العقيد عمر الفيتوري إن الوضع هادئ. وأضاف الفيتوري أن",
			graph.KindPerson, "Omar al-Fitouri", []string{"عمر الفيتوري", "الفيتوري"}, nil},
		{"english surname", "Field Marshal Khalifa Haftar met Khaled Haftar. Haftar's office said so.",
			graph.KindPerson, "Khaled Haftar", []string{"Khaled Haftar", "Haftar"}, nil},
		{"rank and surname of a known person", "وقال المشير حفتر إن",
			graph.KindPerson, "Khalifa Haftar", []string{"حفتر"}, nil},
		{"group named again", "اتفاق بين خالد حفتر وقيادات أمنية وعسكرية في مدينة مصراتة. وأكدت القيادات في مصراتة ذلك.",
			graph.KindGroup, "security and military leaders of Misrata", []string{"قيادات أمنية وعسكرية في مدينة مصراتة", "القيادات في مصراتة"}, []string{"leaders of Misrata"}},
		{"headline group completed below", "اتفاق حفتر وقيادات مصراتة\nاتفاق بين خالد حفتر وقيادات أمنية وعسكرية في مدينة مصراتة.",
			graph.KindGroup, "security and military leaders of Misrata", []string{"قيادات مصراتة", "قيادات أمنية وعسكرية في مدينة مصراتة"}, []string{"leaders of Misrata"}},
		{"joint force named again", "هذا الاتفاق بين خالد حفتر وقيادات مصراتة يركز على تشكيل قوة مشتركة. ويبرز دور القوة المشتركة.",
			graph.KindOrganization, "Joint force (agreement of Khaled Haftar and leaders of Misrata)", []string{"قوة مشتركة", "القوة المشتركة"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView(extractText(t, p, tt.text))
			e := v.entity(t, tt.kind, tt.entity)
			if got := mentionTexts(e); !reflect.DeepEqual(got, tt.mentions) {
				t.Errorf("mentions of %s = %q, want %q", tt.entity, got, tt.mentions)
			}
			for _, n := range tt.absent {
				for _, k := range graph.Kinds {
					if v.has(k, n) {
						t.Errorf("%s %q should not exist", k, n)
					}
				}
			}
		})
	}
}

func TestExtractRules(t *testing.T) {
	p := testPipeline(t)
	tests := []struct {
		name string
		text string
		want []string // relations that must be there
		not  []string // relations that must not
	}{
		{"apposition", "أكد اللواء خالد المحجوب، مدير إدارة التوجيه المعنوي، أن",
			[]string{"HOLDS_POSITION Khaled al-Mahjoub → Moral Guidance Department [director]"}, nil},
		{"apposition without comma", "وقال اللواء خالد المحجوب رئيس دائرة التوجيه المعنوي إن",
			[]string{"HOLDS_POSITION Khaled al-Mahjoub → Moral Guidance Department [head]"}, nil},
		{"post before organisation and name", "دعا رئيس مجلس النواب عقيلة صالح إلى الحوار",
			[]string{"HOLDS_POSITION Aguila Saleh → House of Representatives [speaker]"}, nil},
		{"english apposition", "Khaled Haftar, chief of staff of the General Command, said",
			[]string{"HOLDS_POSITION Khaled Haftar → General Command [chief of staff]"}, nil},
		{"english organisation before post", "UNSMIL head Hanna Tetteh said",
			[]string{"HOLDS_POSITION Hanna Tetteh → United Nations Support Mission in Libya [head]"}, nil},
		{"member", "وقال خالد المشري، عضو المجلس الأعلى للدولة، إن",
			[]string{"MEMBER_OF Khalid al-Mishri → High Council of State"}, []string{"HOLDS_POSITION Khalid al-Mishri → High Council of State [member]"}},
		{"agreement between, apposition excluded",
			"تم الإعلان عن اتفاق بين الفريق أول ركن خالد خليفة حفتر، رئيس أركان القيادة العامة، وقيادات أمنية وعسكرية في مدينة مصراتة.",
			[]string{
				"PARTICIPATED_IN Khaled Haftar → Agreement between Khaled Haftar and security and military leaders of Misrata [party]",
				"PARTICIPATED_IN security and military leaders of Misrata → Agreement between Khaled Haftar and security and military leaders of Misrata [party]",
				"BASED_IN security and military leaders of Misrata → Misrata",
				"LOCATED_IN Misrata → Libya",
			},
			[]string{"PARTICIPATED_IN General Command → Agreement between Khaled Haftar and security and military leaders of Misrata [party]"}},
		{"agreement reached", "توصل حكومة الوحدة الوطنية وجهاز الردع إلى اتفاق برعاية المجلس الرئاسي.",
			[]string{
				"PARTICIPATED_IN Government of National Unity → Agreement between Government of National Unity and Radaa Force [party]",
				"PARTICIPATED_IN Radaa Force → Agreement between Government of National Unity and Radaa Force [party]",
				"PARTICIPATED_IN Presidential Council → Agreement between Government of National Unity and Radaa Force [mediator]",
			}, nil},
		{"english agreement verb", "The GNU and the Radaa Force agreed on Sunday to end the tension.",
			[]string{"PARTICIPATED_IN Government of National Unity → Agreement between Government of National Unity and Radaa Force [party]"}, nil},
		{"passive agreement is no event", "The plan was agreed with the Ministry of Finance.",
			nil, []string{"PARTICIPATED_IN Ministry of Finance → Agreement with Ministry of Finance [party]"}},
		{"joint force and topics", "اتفق خالد حفتر وقيادات مصراتة على تشكيل قوة مشتركة لمكافحة الإرهاب والهجرة غير الشرعية.",
			[]string{"ESTABLISHED Agreement between Khaled Haftar and leaders of Misrata → Joint force (agreement of Khaled Haftar and leaders of Misrata)"}, nil},
		{"joint force needs an agreement", "دعا خالد حفتر إلى تشكيل قوة مشتركة.",
			nil, []string{"ESTABLISHED"}},
		{"meeting location", "عقدت اللجنة العسكرية المشتركة اجتماعا في مدينة سرت.",
			[]string{"OCCURRED_IN Meeting with 5+5 Joint Military Commission → Sirte", "PARTICIPATED_IN 5+5 Joint Military Commission → Meeting with 5+5 Joint Military Commission [party]"}, nil},
		{"place of a group is not the place of the event", "اتفاق بين خالد حفتر وقيادات في مدينة مصراتة.",
			nil, []string{"OCCURRED_IN Agreement between Khaled Haftar and leaders of Misrata → Misrata"}},
		{"meeting verb and host", "استقبل المشير خليفة حفتر في بنغازي وفدا من أعيان مدينة الزاوية.",
			[]string{"PARTICIPATED_IN Khalifa Haftar → Meeting between Khalifa Haftar and notables of Zawiya [host]", "PARTICIPATED_IN notables of Zawiya → Meeting between Khalifa Haftar and notables of Zawiya [party]"}, nil},
		{"english meeting", "Khaled Haftar met Misrata leaders in Sirte on Sunday.",
			[]string{"PARTICIPATED_IN Khaled Haftar → Meeting between Khaled Haftar and leaders of Misrata [party]", "OCCURRED_IN Meeting between Khaled Haftar and leaders of Misrata → Sirte"}, nil},
		{"statement about a meeting", "أكد خالد المحجوب أن الاجتماع كان ناجحا. هذا الاجتماع يعكس دعوة خالد حفتر.",
			[]string{"ABOUT Statement by Khaled al-Mahjoub → Meeting with Khaled Haftar", "PARTICIPATED_IN Khaled Haftar → Meeting with Khaled Haftar [party]"}, nil},
		{"denial", "ونفى المصرف المركزي تغيير سعر الصرف.",
			[]string{"PARTICIPATED_IN Central Bank of Libya → Denial by Central Bank of Libya [speaker]"}, nil},
		{"english statement with inversion", `"We are ready," said Khaled Haftar.`,
			[]string{"PARTICIPATED_IN Khaled Haftar → Statement by Khaled Haftar [speaker]"}, nil},
		{"reported speech object is no speaker", "Reports said Khaled Haftar was in Sirte.",
			nil, []string{"PARTICIPATED_IN Khaled Haftar → Statement by Khaled Haftar [speaker]"}},
		{"the two sides of the meeting agree", "شهدت مدينة سرت اجتماعا موسعا ضم خالد حفتر وقيادات عسكرية وأمنية من مصراتة، واتفق الطرفان على تشكيل قوة مشتركة.",
			[]string{
				"OCCURRED_IN Meeting between Khaled Haftar and security and military leaders of Misrata → Sirte",
				"PARTICIPATED_IN security and military leaders of Misrata → Meeting between Khaled Haftar and security and military leaders of Misrata [party]",
				"PARTICIPATED_IN Khaled Haftar → Agreement between Khaled Haftar and security and military leaders of Misrata [party]",
				"ESTABLISHED Agreement between Khaled Haftar and security and military leaders of Misrata → Joint force (agreement of Khaled Haftar and security and military leaders of Misrata)",
			}, nil},
		{"english delegation and talks", "Khaled Haftar met a delegation of Misrata notables in Sirte. The two sides agreed to form a joint security force.",
			[]string{
				"PARTICIPATED_IN notables of Misrata → Meeting between Khaled Haftar and notables of Misrata [party]",
				"OCCURRED_IN Meeting between Khaled Haftar and notables of Misrata → Sirte",
				"ESTABLISHED Agreement between Khaled Haftar and notables of Misrata → Joint force (agreement of Khaled Haftar and notables of Misrata)",
			}, nil},
		{"location after a comma and after بمدينة", "التقى خالد حفتر، في مدينة سرت، وفدا من أعيان مصراتة. واستقبل صدام حفتر بمدينة بنغازي وفدا من أعيان الزاوية.",
			[]string{
				"OCCURRED_IN Meeting between Khaled Haftar and notables of Misrata → Sirte",
				"OCCURRED_IN Meeting between Saddam Haftar and notables of Zawiya → Benghazi",
			}, nil},
		{"held talks with", "Khaled Haftar held talks with Misrata's military leaders in Sirte.",
			[]string{"PARTICIPATED_IN military leaders of Misrata → Meeting between Khaled Haftar and military leaders of Misrata [party]"}, nil},
		{"english group in a place is where they met", "Khaled Haftar met commanders in Sirte.",
			nil, []string{"BASED_IN"}},
		{"family when both are named", "التقى خليفة حفتر وصدام حفتر.",
			[]string{"FAMILY_OF Saddam Haftar → Khalifa Haftar [son]"}, nil},
		{"visit", "زار عبد الحميد الدبيبة مدينة مصراتة أمس.",
			[]string{"PARTICIPATED_IN Abdul Hamid Dbeibah → Visit by Abdul Hamid Dbeibah [party]", "OCCURRED_IN Visit by Abdul Hamid Dbeibah → Misrata"}, nil},
		{"english visit", "Aguila Saleh visited Cairo on Monday.",
			[]string{"PARTICIPATED_IN Aguila Saleh → Visit by Aguila Saleh [party]"}, nil},
		{"clashes between", "اندلعت اشتباكات بين جهاز دعم الاستقرار واللواء 444 في طرابلس.",
			[]string{
				"PARTICIPATED_IN Stability Support Apparatus → Clashes between 444 Brigade and Stability Support Apparatus [party]",
				"PARTICIPATED_IN 444 Brigade → Clashes between 444 Brigade and Stability Support Apparatus [party]",
				"OCCURRED_IN Clashes between 444 Brigade and Stability Support Apparatus → Tripoli",
			}, nil},
		{"killing of a person is an attack on him", "أعلن اللواء 444 مقتل عبد الغني الككلي.",
			[]string{"PARTICIPATED_IN Abdel-Ghani al-Kikli → Attack on Abdel-Ghani al-Kikli [target]"}, nil},
		{"english passive attack", "Abdel-Ghani al-Kikli was killed by the 444 Brigade in Tripoli.",
			[]string{
				"PARTICIPATED_IN Abdel-Ghani al-Kikli → Attack by 444 Brigade on Abdel-Ghani al-Kikli [target]",
				"PARTICIPATED_IN 444 Brigade → Attack by 444 Brigade on Abdel-Ghani al-Kikli [party]",
				"OCCURRED_IN Attack by 444 Brigade on Abdel-Ghani al-Kikli → Tripoli",
			}, nil},
		{"appointment", "The Presidential Council appointed Naji Issa.",
			[]string{"PARTICIPATED_IN Naji Issa → Appointment of Naji Issa by Presidential Council [target]", "PARTICIPATED_IN Presidential Council → Appointment of Naji Issa by Presidential Council [party]"}, nil},
		{"session held", "عقد مجلس النواب جلسة في بنغازي.",
			[]string{"PARTICIPATED_IN House of Representatives → Session of House of Representatives [host]", "OCCURRED_IN Session of House of Representatives → Benghazi"}, nil},
		{"session chaired, placed before the noun", "يعقد مجلس النواب اليوم في مقره الدائم بمدينة بنغازي جلسته الرسمية برئاسة المستشار عقيلة صالح.",
			[]string{
				"PARTICIPATED_IN House of Representatives → Session of House of Representatives [host]",
				"PARTICIPATED_IN Aguila Saleh → Session of House of Representatives [speaker]",
				"OCCURRED_IN Session of House of Representatives → Benghazi",
				"HOLDS_POSITION Aguila Saleh → House of Representatives [speaker]",
			}, nil},
		{"briefing to the Security Council", "تقدم المبعوثة الأممية هانا تيتيه غدا إحاطة إلى مجلس الأمن الدولي.",
			[]string{"PARTICIPATED_IN Hanna Tetteh → Session of UN Security Council [speaker]", "PARTICIPATED_IN UN Security Council → Session of UN Security Council [host]"}, nil},
		{"a country mediates", "توصلت حكومة الوحدة الوطنية وجهاز الردع إلى اتفاق في ليبيا. وأكد المصدر أن الوساطة التركية كانت حاضرة.",
			[]string{"PARTICIPATED_IN Turkey → Agreement between Government of National Unity and Radaa Force [mediator]"},
			[]string{"PARTICIPATED_IN Libya"}},
		{"affiliation", "قتل رئيس جهاز دعم الاستقرار التابع للمجلس الرئاسي. واللواء 444 واللواء 111 التابعين لوزارة الدفاع.",
			[]string{"MEMBER_OF Stability Support Apparatus → Presidential Council", "MEMBER_OF 444 Brigade → Ministry of Defence (GNU)", "MEMBER_OF 111 Brigade → Ministry of Defence (GNU)"}, nil},
		{"protest", "Protests in Tripoli.",
			nil, []string{"PARTICIPATED_IN"}},
		{"denial of an event disputes it", "ونفت اللجنة العسكرية المشتركة عقد اجتماع مع خالد حفتر.",
			[]string{
				"PARTICIPATED_IN 5+5 Joint Military Commission → Denial by 5+5 Joint Military Commission [speaker]",
				"DISPUTES Denial by 5+5 Joint Military Commission → Meeting between Khaled Haftar and 5+5 Joint Military Commission",
			}, nil},
		{"role mention refers to the holder", "التقى الفريق أول ركن خالد خليفة حفتر، رئيس أركان القيادة العامة، وفدا من مصراتة. وأكد رئيس الأركان أن الاجتماع ناجح.",
			[]string{"PARTICIPATED_IN Khaled Haftar → Statement by Khaled Haftar [speaker]", "ABOUT Statement by Khaled Haftar → Meeting with Khaled Haftar"}, nil},
		{"english role mention", "Khaled Haftar, chief of staff of the General Command, met Misrata notables. The chief of staff said the meeting was good.",
			[]string{"PARTICIPATED_IN Khaled Haftar → Statement by Khaled Haftar [speaker]"}, nil},
		{"role mention without a holder in the report", "The chief of staff said the meeting was good.",
			nil, []string{"PARTICIPATED_IN"}},
		{"role held by two people is not resolved", "Naji Issa, governor of the Central Bank of Libya, and Sadiq al-Kabir, governor of the Central Bank of Libya, met. The governor said the bank was open.",
			nil, []string{"PARTICIPATED_IN Naji Issa → Statement", "PARTICIPATED_IN Sadiq al-Kabir → Statement"}},
		{"decision to oust", "The Presidential Council's decision on 18 August to oust Sadiq al-Kabir as Governor of the Central Bank of Libya.",
			[]string{
				"PARTICIPATED_IN Presidential Council → Appointment of Sadiq al-Kabir by Presidential Council [party]",
				"PARTICIPATED_IN Sadiq al-Kabir → Appointment of Sadiq al-Kabir by Presidential Council [target]",
			}, nil},
		{"between the two sides", "توصلت حكومة الوحدة الوطنية وجهاز الردع إلى اتفاق. وجرت المفاوضات بين الجانبين بتسهيل من تركيا.",
			[]string{
				"PARTICIPATED_IN Radaa Force → Meeting between Government of National Unity and Radaa Force [party]",
				"PARTICIPATED_IN Turkey → Meeting between Government of National Unity and Radaa Force [mediator]",
			}, nil},
		{"a place before the event word", "Overnight Tripoli clashes between the 444 Brigade and the Stability Support Apparatus killed six.",
			[]string{"OCCURRED_IN Clashes between 444 Brigade and Stability Support Apparatus → Tripoli"}, nil},
		{"an event that rocked a place", "Clashes between the 444 Brigade and the Stability Support Apparatus rocked the Libyan capital.",
			[]string{"OCCURRED_IN Clashes between 444 Brigade and Stability Support Apparatus → Tripoli"}, nil},
		{"the two chambers in one dual noun", "توصل مجلسا النواب والأعلى للدولة إلى اتفاق أولي.",
			[]string{
				"PARTICIPATED_IN House of Representatives → Agreement between High Council of State and House of Representatives [party]",
				"PARTICIPATED_IN High Council of State → Agreement between High Council of State and House of Representatives [party]",
			}, nil},
		{"subject before a place it is based in", "The UN-recognized government based in Tripoli has reached an accord with the Radaa Force.",
			[]string{"PARTICIPATED_IN Government of National Unity → Agreement between Government of National Unity and Radaa Force [party]"}, nil},
		{"a titled name stops at a group noun", "التقى العقيد سالم جحا قيادات مصراتة.",
			[]string{"PARTICIPATED_IN leaders of Misrata → Meeting between Salem Jaha and leaders of Misrata [party]"}, nil},
		{"hyphenated modifiers", "The Presidential Council met. The Tripoli-based council is allied with a NATO-backed group.",
			[]string{"BASED_IN Presidential Council → Tripoli"}, nil},
		{"event noun with by", "It needs the joint appointment by the House of Representatives (HoR) and the High Council of State (HCS) of new commissioners.",
			[]string{
				"PARTICIPATED_IN House of Representatives → Appointment by High Council of State and House of Representatives [party]",
				"PARTICIPATED_IN High Council of State → Appointment by High Council of State and House of Representatives [party]",
			}, nil},
		{"issued a statement, acronym between", "The House of Representatives (HoR) also issued a statement condemning the move.",
			[]string{"PARTICIPATED_IN House of Representatives → Statement by House of Representatives [speaker]"}, nil},
		{"rejecting a decision disputes the appointment", "عين المجلس الرئاسي محمد الشكري محافظا لمصرف ليبيا المركزي. ورفض مجلس النواب قرار المجلس الرئاسي.",
			[]string{
				"PARTICIPATED_IN House of Representatives → Denial by House of Representatives [speaker]",
				"DISPUTES Denial by House of Representatives → Appointment of Mohamed al-Shukri by Presidential Council",
			}, nil},
		{"a letter to someone", "The Speaker of the House of Representatives, Aguila Saleh, sent a letter to the UN Secretary-General, Antonio Guterres.",
			[]string{
				"PARTICIPATED_IN Aguila Saleh → Statement by Aguila Saleh [speaker]",
				"PARTICIPATED_IN António Guterres → Statement by Aguila Saleh [target]",
			}, nil},
		{"the name before the comma speaks", "The spokesman for the House of Representatives, Abdullah Blehiq, announced the vote.",
			[]string{"PARTICIPATED_IN Abdullah Blehiq → Statement by Abdullah Blehiq [speaker]"},
			[]string{"PARTICIPATED_IN House of Representatives → Statement"}},
		{"ground an armed group controls", "Abdel-Ghani al-Kikli led the Stability Support Apparatus (SSA), which controls the southern district of Abu Salim. The Radaa Force controls Mitiga airport.",
			[]string{"BASED_IN Stability Support Apparatus → Abu Salim", "BASED_IN Radaa Force → Mitiga International Airport"}, nil},
		{"a participle speaks for the subject", "The 5+5 Joint Military Commission met in Sirte, denying abandoning its role.",
			[]string{"PARTICIPATED_IN 5+5 Joint Military Commission → Denial by 5+5 Joint Military Commission [speaker]"}, nil},
		{"an Arabic participle speaks for the subject", "اجتمع مجلس النواب في بنغازي، مؤكدا أن الحكومة منتهية الولاية.",
			[]string{"PARTICIPATED_IN House of Representatives → Statement by House of Representatives [speaker]"}, nil},
		{"post with the office it answers to, then the name", "The Special Representative of the Secretary-General for Libya, Hanna Tetteh, said the vote was late.",
			[]string{"HOLDS_POSITION Hanna Tetteh → United Nations Support Mission in Libya [envoy]", "PARTICIPATED_IN Hanna Tetteh → Statement by Hanna Tetteh [speaker]"},
			[]string{"PARTICIPATED_IN Libya →", "HOLDS_POSITION Hanna Tetteh → United Nations Support Mission in Libya [secretary general]"}},
		{"former post of a known person", "قال المحافظ السابق الصديق الكبير إن المصرف يعمل.",
			[]string{"HOLDS_POSITION Sadiq al-Kabir → Central Bank of Libya [governor]"}, nil},
		{"dateline places what no sentence placed", "TRIPOLI: Clashes erupted overnight between the Radaa Force and the 444 Brigade. Meetings with stakeholders went on.",
			[]string{"OCCURRED_IN Clashes between 444 Brigade and Radaa Force → Tripoli"}, []string{"OCCURRED_IN Meeting → Tripoli"}},
		{"a place a clause away from the event", "حضر القائد إلى مقر معسكر التكبالي لحضور اجتماع مع قادة المجموعات.",
			[]string{"OCCURRED_IN Meeting → Tikbali camp"}, nil},
		{"a place that says whom a post is for", "The UN envoy to Libya spoke at the meeting on Sunday.",
			nil, []string{"OCCURRED_IN Meeting → Libya"}},
		{"a place that belongs to the nearer event", "The 5+5 Joint Military Commission held its meeting in Sirte, recalling the agreement signed under the auspices of the United Nations in Geneva.",
			[]string{"OCCURRED_IN Meeting with 5+5 Joint Military Commission → Sirte", "OCCURRED_IN Agreement mediated by United Nations → Geneva"}, []string{"OCCURRED_IN Agreement mediated by United Nations → Sirte"}},
		{"storming premises, attackers unnamed", "Gunmen stormed the headquarters of the Central Bank of Libya in Tripoli.",
			[]string{"PARTICIPATED_IN Central Bank of Libya → Attack on Central Bank of Libya [target]", "OCCURRED_IN Attack on Central Bank of Libya → Tripoli"}, nil},
		{"arabic storming: the premises are the target", "واقتحمت قوات مسلحة مقر المصرف المركزي في طرابلس.",
			[]string{"PARTICIPATED_IN Central Bank of Libya → Attack on Central Bank of Libya [target]"},
			[]string{"PARTICIPATED_IN Central Bank of Libya → Attack on Central Bank of Libya [party]"}},
		{"in the presence of the two sides", "The commission held its meeting in Sirte in the presence of the two parties from the General Staff of the Libyan Army in Tripoli and their counterparts from the General Command.",
			[]string{"PARTICIPATED_IN General Staff of the Libyan Army → Meeting between General Command and General Staff of the Libyan Army [party]",
				"PARTICIPATED_IN General Command → Meeting between General Command and General Staff of the Libyan Army [party]"}, nil},
		{"the two sides, as well as an attendee, in a long list", "The 5+5 Joint Military Commission held its meeting in Sirte on Sunday, in the presence of the two parties from the military and security leaders of the General Staff of the Libyan Army in Tripoli and their counterparts representing Khalifa Haftar's forces, as well as the Acting Head of the United Nations Support Mission in Libya Stephanie Koury and a number of officials in the mission.",
			[]string{"PARTICIPATED_IN Stephanie Koury → Meeting with 5+5 Joint Military Commission [attendee]",
				"PARTICIPATED_IN General Command → Meeting with 5+5 Joint Military Commission [party]"}, nil},
		{"in the presence of a list", "وعقد الاجتماع في سرت بحضور عدد من ممثلي المجلس الرئاسي وبعثة الأمم المتحدة.",
			[]string{"PARTICIPATED_IN Presidential Council → Meeting [attendee]"}, nil},
		{"appointed by the body before the hyphen", "The new board was led by PC-appointed Deputy Governor Abdul Fattah Ghafar.",
			[]string{"PARTICIPATED_IN Presidential Council → Appointment of Abdul Fattah Ghaffar by Presidential Council [party]",
				"PARTICIPATED_IN Abdul Fattah Ghaffar → Appointment of Abdul Fattah Ghaffar by Presidential Council [target]"}, nil},
		{"a decision of a body with its acronym", "The Presidential Council’s (PC) decision to oust Saddiq al-Kabir inflamed the crisis.",
			[]string{"PARTICIPATED_IN Presidential Council → Appointment of Sadiq al-Kabir by Presidential Council [party]"}, nil},
		{"a decree naming", "Decision No. 19 came in the form of a decree naming Mohamed al-Shukri as acting governor.",
			[]string{"PARTICIPATED_IN Mohamed al-Shukri → Appointment of Mohamed al-Shukri [target]"}, nil},
		{"a statement made during a session", "The Speaker Aguila Saleh said, during the session in Benghazi, that the law was approved.",
			[]string{"PARTICIPATED_IN Aguila Saleh → Session of House of Representatives [speaker]"}, []string{"ABOUT Statement by Aguila Saleh → Session of House of Representatives"}},
		{"arabic statement during a session", "وأكد عقيلة صالح خلال الجلسة أن التأخير سيؤدي إلى الفوضى.",
			[]string{"PARTICIPATED_IN Aguila Saleh → Session of Aguila Saleh [speaker]"}, nil},
		{"the statement denies for its speaker", "أصدر اللواء 444 قتال بيانا رسميا حول الحادثة. ونفى البيان أي استخدام للقوة.",
			[]string{"PARTICIPATED_IN 444 Brigade → Denial by 444 Brigade [speaker]"}, nil},
		{"namely after a post", "سيتم تسمية محافظ جديد للمصرف المركزي وهو ناجي عيسى.",
			[]string{"HOLDS_POSITION Naji Issa → Central Bank of Libya [governor]"}, nil},
		{"accusative post designates", "اتفق الطرفان على تسمية ناجي عيسى محافظا للمصرف، ومرعي البرعصي نائبًا له.",
			[]string{"HOLDS_POSITION Naji Issa → Central Bank of Libya [governor]", "HOLDS_POSITION Marai al-Barassi → Central Bank of Libya [deputy]",
				"PARTICIPATED_IN Naji Issa → Appointment of Marai al-Barassi and Naji Issa [target]"}, nil},
		{"suspension", "Libyan Prime Minister Abdul Hamid Dbeibah suspended Foreign Minister Najla Mangoush after the meeting.",
			[]string{"PARTICIPATED_IN Abdul Hamid Dbeibah → Suspension by Abdul Hamid Dbeibah on Najla Mangoush [party]",
				"PARTICIPATED_IN Najla Mangoush → Suspension by Abdul Hamid Dbeibah on Najla Mangoush [target]",
				"HOLDS_POSITION Najla Mangoush → Ministry of Foreign Affairs (GNU) [foreign minister]"}, nil},
		{"deployment of a body's forces to a place", "وأظهرت مقاطع فيديو دخول قوات وزارة الدفاع لمطار معيتيقة. ودخل الاتفاق حيز التنفيذ.",
			[]string{"PARTICIPATED_IN Ministry of Defence (GNU) → Deployment by Ministry of Defence (GNU) [party]",
				"OCCURRED_IN Deployment by Ministry of Defence (GNU) → Mitiga International Airport"}, []string{"OCCURRED_IN Deployment →"}},
		{"deployment after a relative pronoun names no one after it", "ستنسحب التشكيلات التي دخلت مؤخرا للعاصمة طرابلس، وستشرف لجنة الترتيبات الأمنية على التنفيذ.",
			nil, []string{"PARTICIPATED_IN Security Arrangements Committee →"}},
		{"english forces of a body", "A video showed defense ministry forces entering an airport controlled by Radaa.",
			[]string{"PARTICIPATED_IN Ministry of Defence (GNU) → Deployment by Ministry of Defence (GNU) [party]"}, nil},
		{"forces named after their commander", "The talks included representatives of Khalifa Haftar's forces.",
			[]string{"HOLDS_POSITION Khalifa Haftar → General Command [commander]"}, nil},
		{"a body's seat", "يعقد مجلس النواب اليوم في مقره الدائم بمدينة بنغازي جلسته الرسمية.",
			[]string{"BASED_IN House of Representatives → Benghazi"}, nil},
		{"english seat needs the possessive", "The 5+5 Joint Military Commission met at the headquarters of the Presidential Council in Tripoli. The 5+5 Joint Military Commission is activating its headquarters in Sirte.",
			[]string{"BASED_IN 5+5 Joint Military Commission → Sirte"}, []string{"BASED_IN 5+5 Joint Military Commission → Tripoli", "BASED_IN Presidential Council → Tripoli"}},
		{"who led a body", "There was no comment from Sadiq al-Kabir, who led the Central Bank of Libya since 2011.",
			[]string{"HOLDS_POSITION Sadiq al-Kabir → Central Bank of Libya [governor]"}, nil},
		{"a person led a body", "Abdel-Ghani al-Kikli led the Stability Support Apparatus for years.",
			[]string{"HOLDS_POSITION Abdel-Ghani al-Kikli → Stability Support Apparatus [head]"}, nil},
		{"an aside between a name and its post", "أصدر اللواء 444 قتال بيانا حول مقتل عبدالغني الككلي (المعروف بـ”غنيوة”)، رئيس جهاز الدعم والاستقرار.",
			[]string{"HOLDS_POSITION Abdel-Ghani al-Kikli → Stability Support Apparatus [head]"}, nil},
		{"a long apposition before a passive verb", "Reports said Abdelghani Al-Kikli, leader of the Support and Stability Apparatus (SSA) which controls the southern district of Abu Salim, was killed.",
			[]string{"PARTICIPATED_IN Abdel-Ghani al-Kikli → Attack on Abdel-Ghani al-Kikli [target]"}, nil},
		{"a post with an adjective before a name is a title, not a role mention",
			"توصلت الأطراف لاتفاق يقضي بتسمية ناجي عيسى محافظا للمصرف. وأصدرت رئاسة مجلس النواب قرار إقالة المحافظ السابق الصديق الكبير.",
			[]string{"PARTICIPATED_IN Sadiq al-Kabir → Appointment of Sadiq al-Kabir [target]"},
			[]string{"PARTICIPATED_IN Naji Issa → Appointment of Sadiq al-Kabir [target]"}},
		{"meetings a body sponsored", "ومازالت الأطراف يحاولون من خلال اجتماعات تبنتها البعثة الأممية الوصول إلى حل.",
			[]string{"PARTICIPATED_IN United Nations Support Mission in Libya → Meeting mediated by United Nations Support Mission in Libya [mediator]"}, nil},
		{"through is not during", "وأكد المجلس الرئاسي من خلال اجتماعات متتالية أن الحل قريب.",
			nil, []string{"PARTICIPATED_IN Presidential Council → Meeting"}},
		{"speaking to a council is speaking at its session", "Taher El-Sonni warned the Security Council on Tuesday in New York that delays were dangerous.",
			[]string{"PARTICIPATED_IN Taher El-Sonni → Session of UN Security Council [speaker]", "PARTICIPATED_IN UN Security Council → Session of UN Security Council [host]",
				"OCCURRED_IN Session of UN Security Council → New York City"}, nil},
		{"a letter to a council is no session", "Aguila Saleh sent a letter to the Security Council asking for support.",
			nil, []string{"PARTICIPATED_IN UN Security Council → Session of UN Security Council [host]"}},
		{"the head of a council speaking at a session hosts it", "دعا رئيس مجلس النواب الليبي عقيلة صالح، في ختام جلسة اليوم بمدينة بنغازي، إلى دعم الجهود.",
			[]string{"PARTICIPATED_IN House of Representatives → Session of House of Representatives [host]", "PARTICIPATED_IN Aguila Saleh → Session of House of Representatives [speaker]"}, nil},
		{"the head of a mission does not host a session", "During her briefing to the Security Council, UNSMIL head Hanna Tetteh said elections were needed.",
			nil, []string{"PARTICIPATED_IN United Nations Support Mission in Libya →"}},
		{"invited to a meeting, an adverb between", "Abdelghani al-Kikli, commonly known as Ghneiwa, had reportedly been invited to a meeting at the Tikbali camp.",
			[]string{"PARTICIPATED_IN Abdel-Ghani al-Kikli → Meeting [attendee]"}, nil},
		{"rejecting a decision disputes the appointment, not what follows",
			"وقرر المجلس الرئاسي تكليف محمد الشكري بمنصب المحافظ. ورفض كل من مجلس النواب والمجلس الأعلى للدولة قرار المجلس الرئاسي، معتبرين أنه يخالف الاتفاق السياسي.",
			[]string{"DISPUTES Denial by House of Representatives → Appointment of Mohamed al-Shukri"},
			[]string{"DISPUTES Denial by House of Representatives → Agreement"}},
		{"a passive speech verb speaks for its agent", "Abdel-Ghani al-Kikli has been accused by the Presidential Council of war crimes.",
			[]string{"PARTICIPATED_IN Presidential Council → Statement by Presidential Council [speaker]"}, []string{"PARTICIPATED_IN Abdel-Ghani al-Kikli → Statement by Abdel-Ghani al-Kikli [speaker]"}},
		{"the UN's envoy", "كشفت المبعوثة الأممية إلى ليبيا هانا تيته عن خارطة طريق.",
			[]string{"HOLDS_POSITION Hanna Tetteh → United Nations [envoy]"}, []string{"HOLDS_POSITION Hanna Tetteh → United Nations Support Mission in Libya [envoy]"}},
		{"the bodies a body consists of", "ناقشت اللجنة العسكرية المشتركة 5 + 5، التي تتألف من الجيش وقوات خليفة حفتر، العديد من الملفات. The committee is made up of the Presidential Council and the House of Representatives.",
			[]string{"MEMBER_OF General Command → 5+5 Joint Military Commission"}, nil},
		{"adviser to the head of a body", "Ziyad Deghem, an adviser to the head of the Presidential Council, said the details will be announced.",
			[]string{"HOLDS_POSITION Ziad Daghim → Presidential Council [adviser]"}, []string{"HOLDS_POSITION Ziad Daghim → Presidential Council [head]"}},
		{"a council under its head speaks; a statement of rejection is a denial", "Likewise, the High State Council (HSC) under Khalid al-Mishri issued a statement reiterating its rejection of the move.",
			[]string{"PARTICIPATED_IN High Council of State → Denial by High Council of State [speaker]"},
			[]string{"PARTICIPATED_IN Khalid al-Mishri → Statement by Khalid al-Mishri [speaker]", "PARTICIPATED_IN Khalid al-Mishri → Denial by Khalid al-Mishri [speaker]"}},
		{"banks are not appointed", "The Presidential Council decided to replace the Central Bank of Libya leadership.",
			nil, []string{"PARTICIPATED_IN Central Bank of Libya → Appointment of Central Bank of Libya [target]"}},
		{"appointed to head a body", "The Minister of Youth, Fathallah Abdul Latif Al-Zani, has been appointed to temporarily head the Ministry of Foreign Affairs.",
			[]string{"HOLDS_POSITION Fathallah al-Zani → Ministry of Foreign Affairs (GNU) [minister]"}, nil},
		{"a source speaks for its body", "أكد مصدر أمني من مديرية أمن طرابلس مقتل رئيس جهاز دعم الاستقرار.",
			[]string{"PARTICIPATED_IN Directorate of Tripoli Security → Statement by Directorate of Tripoli Security [speaker]"}, nil},
		{"a narrower place refines the one given", "Clashes rocked the Libyan capital overnight. The hourslong clashes, which involved heavy weapons, took place Monday evening and centered in Tripoli’s southern neighborhood of Abu Salim.",
			[]string{"OCCURRED_IN Clashes → Tripoli", "OCCURRED_IN Clashes → Abu Salim"}, nil},
		{"a wider place does not", "Clashes erupted in Abu Salim overnight. The clashes spread to other parts of Tripoli later, residents in Libya said.",
			[]string{"OCCURRED_IN Clashes → Abu Salim"}, []string{"OCCURRED_IN Clashes → Libya"}},
		{"the ground a body in a post controls", "Abdelghani Al-Kikli, leader of the Support and Stability Apparatus (SSA) which controls the southern district of Abu Salim, was killed.",
			[]string{"BASED_IN Stability Support Apparatus → Abu Salim"}, nil},
		{"the talks behind an agreement", "Libya’s UN-recognized government based in Tripoli has reached a preliminary accord with a powerful armed group. Negotiations between the government and the Radaa Force were facilitated by Turkiye.",
			[]string{"PARTICIPATED_IN Turkey → Agreement between Government of National Unity and Radaa Force [mediator]",
				"PARTICIPATED_IN Radaa Force → Agreement between Government of National Unity and Radaa Force [party]"}, nil},
		{"talks between others are not behind it", "The Presidential Council reached an agreement with the House of Representatives. Talks between the Radaa Force and the 444 Brigade were facilitated by Turkiye.",
			nil, []string{"PARTICIPATED_IN Turkey → Agreement between House of Representatives and Presidential Council [mediator]"}},
		{"designees of an appointment", "سيتم تسمية محافظ جديد للمصرف المركزي وهو ناجي عيسى، فيما سيكون مرعي البرعصي نائبًا له.",
			[]string{"PARTICIPATED_IN Marai al-Barassi → Appointment of Marai al-Barassi and Naji Issa [target]"}, nil},
		{"the capital a report named", "Clashes erupted in Tripoli. The Radaa Force controls the east of the capital and Mitiga airport.",
			[]string{"BASED_IN Radaa Force → Tripoli"}, nil},
		{"no capital named, none guessed", "The Radaa Force controls the east of the capital.",
			nil, []string{"BASED_IN Radaa Force → Tripoli"}},
		{"whom a statement blames", "وحمل عقيلة صالح المسؤولية الكاملة عن تلك الاشتباكات على عاتق حكومة الوحدة الوطنية. The House of Representatives blamed the Government of National Unity for the clashes.",
			[]string{"PARTICIPATED_IN Government of National Unity → Statement by Aguila Saleh [target]",
				"PARTICIPATED_IN Government of National Unity → Statement by House of Representatives [target]"}, nil},
		{"carrying is not blaming", "وحمل المسلحون السلاح في شوارع طرابلس.",
			nil, []string{"PARTICIPATED_IN"}},
		{"during what a statement reports is not where it was made", "The Ministry of Foreign Affairs stated that the talk was casual, during a meeting with the Italian foreign minister.",
			nil, []string{"PARTICIPATED_IN Ministry of Foreign Affairs (GNU) → Meeting"}},
		{"denial of a claim", "Khaled Haftar denied abandoning the ceasefire.",
			[]string{"DISPUTES Denial by Khaled Haftar → Claim denied by Khaled Haftar"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView(extractText(t, p, tt.text))
			for _, w := range tt.want {
				v.relation(t, w)
			}
			for _, n := range tt.not {
				for _, r := range v.relations() {
					if r == n || strings.HasPrefix(r, n+" ") {
						t.Errorf("unexpected relation %q", r)
					}
				}
			}
		})
	}
}

func TestEvidenceSpan(t *testing.T) {
	p := testPipeline(t)
	text := "مقدمة.\nتم الإعلان عن اتفاق بين الفريق أول ركن خالد خليفة حفتر، رئيس أركان القيادة العامة، وقيادات أمنية وعسكرية في مدينة مصراتة."
	v := newView(extractText(t, p, text))
	r := v.relation(t, "PARTICIPATED_IN Khaled Haftar → Agreement between Khaled Haftar and security and military leaders of Misrata [party]")
	ev := r.Evidence[0]
	if ev.Text != "اتفاق بين الفريق أول ركن خالد خليفة حفتر" || ev.Sentence != 1 || ev.Rule != ruleAgreementBetween || ev.Date != "2025-10-20" {
		t.Errorf("evidence = %+v", ev)
	}
	if ev.SentenceStart != len([]rune("مقدمة.\n")) {
		t.Errorf("sentence start = %d", ev.SentenceStart)
	}
	ag := v.entity(t, graph.KindEvent, "Agreement between Khaled Haftar and security and military leaders of Misrata")
	if ag.Date != "2025-10-20" || ag.DatePrecision != "day" || ag.EventType != "agreement" {
		t.Errorf("agreement = %+v", ag)
	}
}

func TestEventIdentity(t *testing.T) {
	p := testPipeline(t)
	ar := Article{URL: "https://a.example/1", Published: "2025-10-20",
		Text: "تم الإعلان عن اتفاق بين الفريق أول ركن خالد حفتر وقيادات أمنية وعسكرية في مدينة مصراتة."}
	en := Article{URL: "https://b.example/2", Published: "2025-10-20",
		Text: "Khaled Haftar and security and military leaders from Misrata reached an agreement."}
	undated := ar
	undated.Published, undated.URL = "", "https://c.example/3"
	id := func(a Article) string {
		b, err := p.Extract(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range b.Entities {
			if e.Kind == graph.KindEvent && e.EventType == "agreement" {
				return e.ID
			}
		}
		t.Fatal("no agreement")
		return ""
	}
	if id(ar) != id(en) {
		t.Error("the same agreement on the same day in two languages has two ids")
	}
	if id(undated) == id(ar) {
		t.Error("an undated report's agreement is merged with a dated one")
	}
	other := undated
	other.URL = "https://d.example/4"
	if id(undated) == id(other) {
		t.Error("undated agreements of two documents share an id")
	}
}

func TestOptions(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/extra.yaml"
	yaml := "version: 1\nentries:\n  - id: place/bani-walid\n    kind: Place\n    subtype: city\n    name: Bani Walid\n    name_ar: بني وليد\n    located_in: place/libya\n    lat: 31.7566\n    lon: 13.9942\n    source: https://en.wikipedia.org/wiki/Bani_Walid\n"
	if err := writeFile(path, yaml); err != nil {
		t.Fatal(err)
	}
	p, err := New(Options{Gazetteers: []string{path}, Now: func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Extract(context.Background(), Article{Text: "عقد اجتماع بين خالد حفتر وأعيان بني وليد.", Published: "2025-10-20"})
	if err != nil {
		t.Fatal(err)
	}
	checkBatch(t, b)
	v := newView(b)
	v.relation(t, "LOCATED_IN Bani Walid → Libya")
	// The clock says 2025-01-01: a publication date in October is in the
	// future, so events are undated.
	for _, e := range b.Entities {
		if e.Kind == graph.KindEvent && e.Date != "" {
			t.Errorf("event %q dated %s from a future publication date", e.Name, e.Date)
		}
	}
	if _, err := New(Options{Gazetteers: []string{dir + "/missing.yaml"}}); !graph.Is(err, graph.Invalid) {
		t.Errorf("missing gazetteer: %v", err)
	}
}

func TestExtractErrors(t *testing.T) {
	p := testPipeline(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Extract(ctx, Article{Text: "نص"}); !graph.Is(err, graph.Unavailable) {
		t.Errorf("cancelled: %v", err)
	}
	for name, a := range map[string]Article{
		"empty":     {Text: "  "},
		"not utf-8": {Text: "a\xffb"},
		"bad date":  {Text: "x", Published: "soon"},
	} {
		if _, err := p.Extract(context.Background(), a); !graph.Is(err, graph.Invalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestGazetteerBatch(t *testing.T) {
	b := testPipeline(t).GazetteerBatch()
	checkBatch(t, b)
	if len(b.Entities) < 40 || len(b.Relations) < 10 {
		t.Errorf("gazetteer batch has %d entities, %d relations", len(b.Entities), len(b.Relations))
	}
}

// TestEventDates: events take the first date of a sentence that names
// them, relative dates resolved against the publication date (Monday
// 2025-10-20 here); otherwise the publication date.
func TestEventDates(t *testing.T) {
	p := testPipeline(t)
	tests := []struct {
		text, event, date, precision string
	}{
		{"التقى خالد حفتر أمس وفدا من أعيان مصراتة.", "Meeting between Khaled Haftar and notables of Misrata", "2025-10-19", "day"},
		{"التقى خالد حفتر أول أمس وفدا من أعيان مصراتة.", "Meeting between Khaled Haftar and notables of Misrata", "2025-10-18", "day"},
		{"Khaled Haftar met Misrata notables yesterday.", "Meeting between Khaled Haftar and notables of Misrata", "2025-10-19", "day"},
		{"Khaled Haftar met Misrata notables on Thursday.", "Meeting between Khaled Haftar and notables of Misrata", "2025-10-16", "day"},
		{"التقى خالد حفتر يوم الاثنين وفدا من أعيان مصراتة.", "Meeting between Khaled Haftar and notables of Misrata", "2025-10-20", "day"},
		{"يلتقي خالد حفتر الخميس المقبل وفدا من أعيان مصراتة.", "Meeting between Khaled Haftar and notables of Misrata", "2025-10-23", "day"},
		{"التقى خالد حفتر في 14 أكتوبر 2024 وفدا من أعيان مصراتة.", "Meeting between Khaled Haftar and notables of Misrata", "2024-10-14", "day"},
		{"Khaled Haftar met Misrata notables on October 3.", "Meeting between Khaled Haftar and notables of Misrata", "2025-10-03", "day"},
		{"Khaled Haftar met Misrata notables in December.", "Meeting between Khaled Haftar and notables of Misrata", "2025-10-20", "day"},
		{"Khaled Haftar met Misrata notables in August 2025.", "Meeting between Khaled Haftar and notables of Misrata", "2025-08", "month"},
		{"Khaled Haftar met Misrata notables. One of them, a day later, left.", "Meeting between Khaled Haftar and notables of Misrata", "2025-10-20", "day"},
		{"التقى خالد حفتر أحد أعيان مصراتة.", "Meeting between Khaled Haftar and notables of Misrata", "2025-10-20", "day"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			v := newView(extractText(t, p, tt.text))
			ev := v.entity(t, graph.KindEvent, tt.event)
			if ev.Date != tt.date || ev.DatePrecision != tt.precision {
				t.Errorf("date = %s (%s), want %s (%s)", ev.Date, ev.DatePrecision, tt.date, tt.precision)
			}
			if ev.Cameo != "040" {
				t.Errorf("cameo = %q, want 040 (consult)", ev.Cameo)
			}
			for _, r := range v.b.Relations {
				if r.To == ev.ID && r.Type == graph.ParticipatedIn && r.Date != tt.date {
					t.Errorf("participation dated %s, want the event's date %s", r.Date, tt.date)
				}
			}
		})
	}
}

// TestForcesAndDescriptions: forces named after a commander are his armed
// organisation, a bare surname alone is never guessed, and definite
// descriptions ("the council", "المصرف") refer back to the organisation
// named earlier in the report, only when there is one.
func TestForcesAndDescriptions(t *testing.T) {
	p := testPipeline(t)
	tests := []struct {
		text     string
		want     []string // Kind "Name" ×mentions
		relation string
	}{
		{"هاجمت قوات حفتر مدينة سرت.", []string{`Organization "General Command" ×1`}, ""},
		{"Forces loyal to Haftar clashed with Haftar's forces.", []string{`Organization "General Command" ×2`}, ""},
		{"وقال حفتر إن الوضع مستقر.", nil, ""},
		{"The Presidential Council met on Sunday. The council said it would act.", []string{`Organization "Presidential Council" ×2`},
			"PARTICIPATED_IN Presidential Council → Statement by Presidential Council [speaker]"},
		{"The council said it would act.", nil, ""},
		{"أعلن مصرف ليبيا المركزي استئناف العمل. ونفى المصرف الشائعات.", []string{`Organization "Central Bank of Libya" ×2`},
			"PARTICIPATED_IN Central Bank of Libya → Denial by Central Bank of Libya [speaker]"},
		{"أعلن مصرف ليبيا المركزي استئناف العمل. وقال المجلس البلدي إن", []string{`Organization "Central Bank of Libya" ×1`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			b := extractText(t, p, tt.text)
			var got []string
			for _, e := range b.Entities {
				if e.Kind == graph.KindPerson || e.Kind == graph.KindOrganization {
					got = append(got, fmt.Sprintf("%s %q ×%d", e.Kind, e.Name, len(e.Mentions)))
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("entities %q, want %q", got, tt.want)
			}
			if tt.relation != "" {
				newView(b).relation(t, tt.relation)
			}
		})
	}
}

// TestGroupAdjectiveOrder: adjectives keeps a bit per entry of
// adjectiveOrder, so every adjective must have one.
func TestGroupAdjectiveOrder(t *testing.T) {
	for k, v := range groupAdjectives.values {
		if !slices.Contains(adjectiveOrder, v) {
			t.Errorf("adjective %q (%s) is not in adjectiveOrder", k, v)
		}
	}
	if len(adjectiveOrder) > 64 {
		t.Errorf("%d adjectives: more than the bits of a uint64", len(adjectiveOrder))
	}
}
