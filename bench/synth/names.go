package synth

// Name parts, each as a Latin and an Arabic spelling, from which the
// generator builds names the way ingest sees them: the same person in both
// scripts. They are common Libyan and Arabic words and names, not anyone's
// text; combinations are what make entities distinct, so several people
// may share a family name, as the Haftars do.
type pair struct{ latin, arabic string }

var firstNames = []pair{
	{"Khaled", "خالد"}, {"Mohammed", "محمد"}, {"Ahmed", "أحمد"}, {"Ali", "علي"}, {"Omar", "عمر"},
	{"Abdullah", "عبد الله"}, {"Mustafa", "مصطفى"}, {"Ibrahim", "إبراهيم"}, {"Youssef", "يوسف"},
	{"Hassan", "حسن"}, {"Hussein", "حسين"}, {"Salem", "سالم"}, {"Saleh", "صالح"}, {"Faraj", "فرج"},
	{"Abdelhamid", "عبد الحميد"}, {"Fathi", "فتحي"}, {"Nouri", "نوري"}, {"Aguila", "عقيلة"},
	{"Osama", "أسامة"}, {"Hamza", "حمزة"}, {"Tarek", "طارق"}, {"Walid", "وليد"}, {"Adel", "عادل"},
	{"Jamal", "جمال"}, {"Kamal", "كمال"}, {"Mahmoud", "محمود"}, {"Marwan", "مروان"}, {"Nasser", "ناصر"},
	{"Ramadan", "رمضان"}, {"Saddam", "صدام"}, {"Suleiman", "سليمان"}, {"Taher", "طاهر"},
	{"Yahya", "يحيى"}, {"Zakaria", "زكريا"}, {"Bashir", "بشير"}, {"Emad", "عماد"}, {"Fawzi", "فوزي"},
	{"Hisham", "هشام"}, {"Idris", "إدريس"}, {"Milad", "ميلاد"},
}

var familyNames = []pair{
	{"Haddad", "الحداد"}, {"Najjar", "النجار"}, {"Khatib", "الخطيب"}, {"Sabbagh", "الصباغ"},
	{"Masri", "المصري"}, {"Tarabulsi", "الطرابلسي"}, {"Benghazi", "البنغازي"}, {"Ghadamsi", "الغدامسي"},
	{"Sebhawi", "السبهاوي"}, {"Fituri", "الفيتوري"}, {"Mansour", "منصور"}, {"Rashid", "الراشد"},
	{"Nasr", "نصر"}, {"Aziz", "عزيز"}, {"Karim", "الكريم"}, {"Salim", "سليم"}, {"Hakim", "الحكيم"},
	{"Fadel", "الفاضل"}, {"Jaber", "جابر"}, {"Ashour", "عاشور"}, {"Badawi", "البدوي"}, {"Sharif", "الشريف"},
	{"Amin", "الأمين"}, {"Mahdi", "المهدي"}, {"Sayed", "السيد"}, {"Hamdi", "حمدي"}, {"Qassem", "قاسم"},
	{"Saadi", "السعدي"}, {"Farsi", "الفارسي"}, {"Kabir", "الكبير"}, {"Saghir", "الصغير"}, {"Tawil", "الطويل"},
	{"Hammami", "الحمامي"}, {"Jazzar", "الجزار"}, {"Khayat", "الخياط"}, {"Attar", "العطار"},
	{"Bannani", "البناني"}, {"Darwish", "درويش"}, {"Ghoul", "الغول"}, {"Hilali", "الهلالي"},
	{"Jabri", "الجابري"}, {"Madani", "المدني"}, {"Nouri", "النوري"}, {"Qadri", "القادري"},
	{"Rifai", "الرفاعي"}, {"Shami", "الشامي"}, {"Tounsi", "التونسي"}, {"Warda", "وردة"},
	{"Zayani", "الزياني"}, {"Bahri", "البحري"},
}

// Place names: a prefix and a root, as Libyan place names are often built
// ("Bir al-Ghanam", "Wadi al-Shati").
var placePrefixes = []pair{
	{"", ""}, {"Bir", "بئر"}, {"Wadi", "وادي"}, {"Ras", "رأس"}, {"Ain", "عين"}, {"Qasr", "قصر"},
	{"Souq", "سوق"}, {"Hay", "حي"}, {"Abu", "أبو"}, {"Bani", "بني"}, {"Jabal", "جبل"}, {"Zawiyat", "زاوية"},
}

var placeRoots = []pair{
	{"al-Ghanam", "الغنم"}, {"al-Shati", "الشاطئ"}, {"al-Hamra", "الحمراء"}, {"al-Jadid", "الجديد"},
	{"al-Kabir", "الكبير"}, {"al-Ahmar", "الأحمر"}, {"al-Abyad", "الأبيض"}, {"al-Nakhla", "النخلة"},
	{"al-Bahr", "البحر"}, {"al-Sahel", "الساحل"}, {"al-Jabal", "الجبل"}, {"al-Wadi", "الوادي"},
	{"al-Marj", "المرج"}, {"al-Qubba", "القبة"}, {"al-Ajaylat", "العجيلات"}, {"al-Khums", "الخمس"},
	{"al-Assa", "العسة"}, {"al-Jufra", "الجفرة"}, {"al-Kufra", "الكفرة"}, {"al-Uwaynat", "العوينات"},
	{"al-Sidra", "السدرة"}, {"al-Brega", "البريقة"}, {"al-Nofaliya", "النوفلية"}, {"al-Harawa", "الهراوة"},
	{"al-Washka", "الوشكة"}, {"al-Ghardabiya", "القرضابية"}, {"al-Tamimi", "التميمي"}, {"al-Abyar", "الأبيار"},
	{"al-Rajma", "الرجمة"}, {"al-Sharqiya", "الشرقية"},
}

// regions are the first level under the country; cities hang under them.
var regions = []pair{
	{"Tripolitania", "طرابلس الكبرى"}, {"Cyrenaica", "برقة"}, {"Fezzan", "فزان"}, {"Jabal Nafusa", "جبل نفوسة"},
	{"Gulf of Sirte", "خليج سرت"}, {"Jabal Akhdar", "الجبل الأخضر"}, {"Butnan", "البطنان"}, {"Wahat", "الواحات"},
	{"Murzuq", "مرزق"}, {"Nuqat al-Khams", "النقاط الخمس"}, {"Jafara", "الجفارة"}, {"Marqab", "المرقب"},
}

// Organisations: a kind of body and what it is of.
var orgKinds = []pair{
	{"Brigade", "كتيبة"}, {"Military Council", "المجلس العسكري"}, {"Municipal Council", "المجلس البلدي"},
	{"Security Directorate", "مديرية الأمن"}, {"Battalion", "سرية"}, {"Elders Council", "مجلس الحكماء"},
	{"Operations Room", "غرفة العمليات"}, {"Committee", "اللجنة"},
}

var groupKinds = []pair{
	{"security and military leaders", "القيادات الأمنية والعسكرية"}, {"tribal elders", "أعيان القبائل"},
	{"militias", "الميليشيات"}, {"armed groups", "المجموعات المسلحة"}, {"protesters", "المحتجون"},
}

// Event types, as ingest names them, with the verbs their sentences use.
type eventShape struct {
	eventType        string
	latinVerb        string // "{A} {verb} {B} in {place}"
	arabicVerb       string
	roleA, roleB     string
	minParts, maxPar int
}

var eventShapes = []eventShape{
	{"meeting", "met", "التقى", "participant", "participant", 2, 5},
	{"agreement", "reached an agreement with", "توصل إلى اتفاق مع", "party", "party", 2, 6},
	{"statement", "issued a statement on", "أصدر بيانا بشأن", "speaker", "subject", 2, 3},
	{"clash", "clashed with", "اشتبك مع", "attacker", "target", 2, 4},
	{"visit", "visited", "زار", "visitor", "host", 2, 4},
	{"protest", "protested against", "احتج على", "protester", "target", 2, 3},
}

var titles = []pair{
	{"commander", "قائد"}, {"chief of staff", "رئيس الأركان"}, {"spokesman", "المتحدث باسم"},
	{"head", "رئيس"}, {"deputy head", "نائب رئيس"}, {"member", "عضو"},
}

var outlets = []string{"Libya Observer", "Al Wasat", "Libya Herald", "Al Marsad", "Libya Review",
	"Alwasat TV", "Ean Libya", "Libya Update", "Al Ahrar", "218 News"}
