"""English dates as the site has always written them ("9 March 2026", "9 Mar 2026", "Mar 2026").

Pages name a format by its setting (`date:"DATE_FORMAT"`), so every other language gets Django's
own conventions for it (Russian "9 марта 2026 г.", Persian "9 مارس 2026"); only English, whose
Django default is the American "March 9, 2026", is set here. Formats not named here keep Django's.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
YEAR_MONTH_FORMAT = "M Y"
