package ingest

import "github.com/polgraph/polgraph/ingest/segment"

// Event types beyond agreements, meetings and statements. Stored on
// events: do not rename.
const (
	evAppointment = "appointment"
	evVisit       = "visit"
	evSession     = "session"
	evClash       = "clash"
	evAttack      = "attack"
	evProtest     = "protest"
	evOther       = "other" // a claim a denial disputes, when no event is named

	// Kinds stored as "other": the type vocabulary is fixed, their names
	// say what happened.
	evSuspension = "suspension"
	evDeployment = "deployment"
)

// eventKind is the vocabulary of an event type read by the generic rules:
// a noun names the event ("زيارة", "clashes"), a verb names it and takes
// its participants ("زار X", "X visited"). Agreements and meetings have
// richer rules of their own (extract.go) but share the table for names and
// CAMEO codes.
type eventKind struct {
	typ   string
	nouns *segment.Class
	verbs *segment.Class
	// subject and object are the roles of a verb's subject and object;
	// of is the role of the names after the noun: "مقتل X", "the killing
	// of X" (target), "زيارة X" (party).
	subject, object, of string
	word, wordAr        string // display names: "Visit", "زيارة"
	// to is the role of the names after "إلى"/"to" following the noun
	// ("إحاطة إلى مجلس الأمن"); "" when the noun takes none.
	to string
	// cameo is the CAMEO code where the type maps to one clearly
	// (../shared/data/cameo): none for appointments and sessions.
	cameo string
	// stored is the type stored on the event when it is not typ.
	stored string
	// needsParts: a word of the kind names an event only with its
	// participants ("دخول" is also "دخول الاتفاق حيز التنفيذ").
	needsParts bool
}

var eventKinds = []*eventKind{
	{typ: evAgreement, nouns: agreementNouns, verbs: agreeVerbs, subject: "party", object: "party", of: "party",
		word: "Agreement", wordAr: "اتفاق", cameo: "057"},
	{typ: evMeeting, nouns: meetingNouns, verbs: meetVerbs, subject: "party", object: "party", of: "party",
		word: "Meeting", wordAr: "اجتماع", cameo: "040"},
	{typ: evStatement, word: "Statement", wordAr: "تصريح", cameo: "010"},
	{typ: evDenial, word: "Denial", wordAr: "نفي", cameo: "127"},
	{typ: evVisit, nouns: set("زيارة", "زيارته", "زيارتها", "زيارتهم", "visit"),
		verbs:   set("زار", "زارت", "زاروا", "يزور", "تزور", "visited", "visits"),
		subject: "party", object: "host", of: "party", word: "Visit", wordAr: "زيارة", cameo: "042"},
	{typ: evSession, nouns: set("جلسة", "جلسته", "جلستها", "session", "plenary"),
		verbs:   set("صوت", "صوتت", "صوتوا", "يصوت", "voted"),
		subject: "party", object: "party", of: "party", word: "Session", wordAr: "جلسة"},
	{typ: evAppointment, nouns: set("تعيين", "تكليف", "ترشيح", "إقالة", "تسمية", "appointment", "nomination", "dismissal", "ouster"),
		verbs: set("عين", "عينت", "يعين", "تعين", "كلف", "كلفت", "أقال", "أقالت", "يقيل", "appointed", "appoints", "nominated",
			"designated", "named", "fired", "dismissed", "sacked", "ousted", "removed", "appoint", "oust", "dismiss", "replace",
			"naming", "appointing", "dismissing", "ousting"),
		subject: "party", object: "target", of: "target", word: "Appointment", wordAr: "تعيين"},
	{typ: evClash, nouns: set("اشتباكات", "اشتباك", "مواجهات", "معارك", "اقتتال", "clashes", "clash", "fighting", "firefight"),
		verbs:   set("اشتبك", "اشتبكت", "clashed"),
		subject: "party", object: "party", of: "party", word: "Clashes", wordAr: "اشتباكات", cameo: "190"},
	{typ: evAttack, nouns: set("هجوم", "هجوما", "اغتيال", "مقتل", "قصف", "غارة", "حادثة", "حادث", "attack", "assassination", "killing", "airstrike", "bombing", "incident",
		"اقتحام", "مداهمة", "storming", "raid", "raids"),
		verbs: set("هاجم", "هاجمت", "اغتال", "اغتالت", "attacked", "killed", "assassinated", "shot", "bombed", "targeted",
			"اقتحم", "اقتحمت", "اقتحموا", "داهم", "داهمت", "stormed", "raided"),
		subject: "party", object: "target", of: "target", word: "Attack", wordAr: "هجوم", cameo: "180"},
	{typ: evProtest, nouns: set("احتجاجات", "احتجاج", "مظاهرات", "مظاهرة", "تظاهرات", "تظاهرة", "protest", "protests", "demonstration", "demonstrations"),
		verbs:   set("تظاهر", "تظاهروا", "احتج", "احتجوا", "protested", "demonstrated"),
		subject: "party", object: "target", of: "party", word: "Protest", wordAr: "احتجاج", cameo: "141"},
	{typ: evOther, word: "Claim", wordAr: "ادعاء"},
	// "Dbeibah suspended Foreign Minister Najla Mangoush", «أوقف X».
	{typ: evSuspension, nouns: set("إيقاف", "تجميد", "suspension"),
		verbs:   set("أوقف", "أوقفت", "جمد", "جمدت", "suspended", "suspends"),
		subject: "party", object: "target", of: "target", word: "Suspension", wordAr: "إيقاف", stored: evOther, needsParts: true},
	// "forces entering an airport", «دخول قوات وزارة الدفاع للمطار».
	{typ: evDeployment, nouns: set("دخول", "انتشار", "تمركز", "deployment"),
		verbs:   set("دخلت", "انتشرت", "تمركزت", "entered", "entering", "deployed"),
		subject: "party", object: "target", of: "party", word: "Deployment", wordAr: "دخول", stored: evOther, needsParts: true},
	// A briefing is a session of the body briefed: "briefed the Security
	// Council", "تقدم X إحاطة إلى مجلس الأمن".
	{typ: evSession, nouns: set("إحاطة", "إحاطتها", "إحاطته", "briefing"), verbs: set("briefed", "briefs", "brief"),
		subject: "speaker", object: "host", of: "speaker", to: "host", word: "Session", wordAr: "جلسة"},
}

// storedType is the event type stored on an event of internal type typ.
func storedType(typ string) string {
	if k := kindByType[typ]; k != nil && k.stored != "" {
		return k.stored
	}
	return typ
}

var kindByType = func() map[string]*eventKind {
	m := map[string]*eventKind{}
	for _, k := range eventKinds {
		if m[k.typ] == nil { // the first entry of a type names it
			m[k.typ] = k
		}
	}
	return m
}()

// Cues that give participants of an event named in the sentence.
var (
	// decisions name who decided an appointment: "قرار المجلس الرئاسي",
	// "the council's decision", "a decree by the PC".
	decisionWords = set("قرار", "قرارا", "مرسوم", "decision", "decree", "resolution")
	// replacements name who lost the post: "replacing X", "خلفا ل X".
	replacements = concat(phrases("target", "replacing", "succeeding", "in place of", "instead of", "خلفا ل", "خلفا لـ", "بدلا من", "بديلا عن"))
	// presentVerbs take the speaker of a briefing: "قدم X إحاطة", "X
	// presented a briefing".
	presentVerbs = set("قدم", "قدمت", "يقدم", "تقدم", "presented", "presents", "delivered", "gave")
	toWords      = set("إلى", "الى", "أمام", "to", "before")
)

// genericKinds are the kinds the generic noun and verb rules read.
var genericKinds = func() []*eventKind {
	var out []*eventKind
	for _, k := range eventKinds {
		if k.nouns != nil && k.typ != evAgreement && k.typ != evMeeting {
			out = append(out, k)
		}
	}
	return out
}()

// eventNounKind is the event type a word names as a noun, any type.
func eventNounKind(t *segment.Token) *eventKind {
	for _, k := range eventKinds {
		if k.nouns != nil && t.HasForm(k.nouns) {
			return k
		}
	}
	return nil
}

// passives are English auxiliaries that make the subject of a verb its
// object: "al-Kikli was killed".
var passives = set("was", "were", "been", "being", "is", "are", "be")

// objectPreps introduce the target after an event noun: "الهجوم على X",
// "the attack on X", "the killing of X".
var objectPreps = set("على", "ضد", "on", "against", "of")
