"""Short real claims by language, for the language-detection tests and bench/matching_language.py."""

# Short claims as fact-checkers write them, two or more per language.
SENTENCES = [
    ("en", "The minimum wage will rise to 15 dollars next year."),
    ("en", "Crime fell by half in the city since 2020."),
    ("fa", "جمعیت آذری‌های ایران بیش از ۲۰ میلیون نفر است."),
    ("fa", "دولت قیمت بنزین را دو برابر کرد."),
    ("az", "İranda 30 milyondan çox azərbaycanlı yaşayır."),
    ("az", "Hökumət pensiyaları 20 faiz artırdı."),
    ("ru", "Население России сократилось на миллион человек."),
    ("ru", "Вакцины вызывают аутизм."),
    ("tr", "Türkiye'de enflasyon yüzde 80'e ulaştı."),
    ("tr", "Asgari ücret gelecek yıl iki katına çıkacak."),
    ("ar", "ارتفع معدل البطالة في مصر إلى 15 في المئة."),
    ("ar", "الحكومة خفضت أسعار الخبز."),
    ("pt", "O salário mínimo vai subir para 1500 reais."),
    ("pt", "O desmatamento na Amazônia caiu pela metade."),
    ("hi", "भारत में बेरोजगारी दर 8 प्रतिशत तक पहुंच गई है।"),
    ("hi", "सरकार ने पेट्रोल की कीमत दोगुनी कर दी।"),
    ("es", "Las vacunas causan autismo."),
    ("fr", "Le chômage a baissé de moitié depuis 2020."),
    ("de", "Impfstoffe verursachen Autismus."),
    ("uk", "Мінімальна зарплата зросте до 8 тисяч гривень."),
    ("ur", "پاکستان میں مہنگائی 30 فیصد تک پہنچ گئی۔"),
]
