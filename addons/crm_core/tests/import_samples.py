"""Generated customer lists in the shape of real exports: 1C, Bitrix24 and amoCRM.

Deterministic (no randomness, no dates): each generator returns ``(header, rows)``;
:func:`to_csv` and :func:`to_xlsx` give the file bytes as the system writes them
(Bitrix24: cp1251 CSV; amoCRM: UTF-8 CSV with BOM, or XLSX; 1C: XLSX with a title row).
"""
import csv
import io

FIRST_NAMES = ("Иван", "Анна", "Сергей", "Мария", "Алексей", "Ольга", "Дмитрий", "Елена", "Андрей", "Наталья")
# (masculine, feminine) surnames and patronymics: every person of a file gets their own pair
SURNAMES = (
    ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"), ("Попов", "Попова"), ("Васильев", "Васильева"),
    ("Петров", "Петрова"), ("Соколов", "Соколова"), ("Михайлов", "Михайлова"), ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"), ("Морозов", "Морозова"), ("Волков", "Волкова"), ("Алексеев", "Алексеева"),
    ("Лебедев", "Лебедева"), ("Семёнов", "Семёнова"), ("Егоров", "Егорова"), ("Павлов", "Павлова"),
    ("Козлов", "Козлова"), ("Степанов", "Степанова"), ("Николаев", "Николаева"), ("Орлов", "Орлова"),
)
PATRONYMICS = (("Петрович", "Петровна"), ("Сергеевич", "Сергеевна"), ("Андреевич", "Андреевна"),
               ("Викторович", "Викторовна"), ("Олегович", "Олеговна"))
FEMININE = {"Анна", "Мария", "Ольга", "Елена", "Наталья"}
COMPANIES = ("ООО «Ромашка»", "АО «Уралмаш-Сервис»", "ООО «Северный ветер»", "ИП Гаврилов",
             "ООО «Техноснаб»")
# valid INNs (checksums right) of the companies above
COMPANY_INNS = ("7707083893", "6661001237", "7736050003", "500100732259", "7702070139")
CITY = "Екатеринбург"


def person(index):
    """(surname, first name, patronymic) of the ``index``-th person: 200 different people sharing their
    first names, surnames and patronymics with others, never all three."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    feminine = first in FEMININE
    surname = SURNAMES[(index // len(FIRST_NAMES)) % len(SURNAMES)][feminine]
    patronymic = PATRONYMICS[(index // (len(FIRST_NAMES) * len(SURNAMES))) % len(PATRONYMICS)][feminine]
    return surname, first, patronymic


def mobile(index):
    return f"+7 912 {index // 10000 % 1000:03d}-{index // 100 % 100:02d}-{index % 100:02d}"


def work_phone(index):
    return f"8 (343) 2{index // 10000 % 100:02d}-{index // 100 % 100:02d}-{index % 100:02d}"


def bitrix24_contacts(count=200):
    header = ["ID", "Обращение", "Имя", "Фамилия", "Отчество", "Дата рождения", "Должность", "Компания",
              "Рабочий телефон", "Мобильный телефон", "Домашний телефон", "Рабочий e-mail", "Частный e-mail",
              "Корпоративный сайт", "Адрес", "Город", "Комментарий", "Источник", "Тип контакта", "Ответственный",
              "Дата создания"]
    rows = []
    for index in range(count):
        surname, first, patronymic = person(index)
        rows.append([
            str(index + 1), "г-жа" if first in FEMININE else "г-н", first, surname, patronymic, "", "Менеджер",
            COMPANIES[index % len(COMPANIES)], work_phone(index), mobile(index), "",
            f"work{index:03d}@example.ru", f"home{index:03d}@example.org" if index % 2 else "", "",
            f"ул. Ленина, {index + 1}", CITY, "", "Звонок", "Клиенты", "", "01.02.2024 10:00:00",
        ])
    return header, rows


def bitrix24_contacts_to_clean(count=300, repeats=30):
    """A Bitrix24 export as it comes from a real portal: ``count`` people, then ``repeats`` of them
    exported a second time (every tenth person: duplicates inside the file), every seventh work phone
    typed without its area code (Екатеринбург has a single one: it is inferred) and every fiftieth
    person, from the 25th on, with an e-mail missing its "@" (rejected).

    Returns ``(header, rows, facts)``; ``facts`` counts what the file holds by construction:
    ``rows``, ``duplicates`` (inside the file), ``phones_to_infer``, ``bad_emails``.
    """
    header, rows = bitrix24_contacts(count)
    work_phone_column, email_column = header.index("Рабочий телефон"), header.index("Рабочий e-mail")
    for index, row in enumerate(rows):
        if index % 7 == 0:
            row[work_phone_column] = f"2{index // 100 % 100:02d}-{index % 100:02d}-{index % 89:02d}"
        if index % 50 == 25:
            row[email_column] = f"work{index:03d}.example.ru"
    rows += [list(rows[index * 10]) for index in range(repeats)]
    facts = {
        "rows": len(rows),
        "duplicates": repeats,
        "phones_to_infer": sum(1 for row in rows if not row[work_phone_column].startswith("8")),
        "bad_emails": sum(1 for row in rows if "@" not in row[email_column]),
    }
    return header, rows, facts


def bitrix24_companies(count=5):
    header = ["ID", "Название компании", "Тип компании", "Сфера деятельности", "Рабочий телефон",
              "Мобильный телефон", "Рабочий e-mail", "Корпоративный сайт", "Фактический адрес", "Город",
              "Комментарий", "Ответственный", "Дата создания"]
    rows = [[str(index + 1), COMPANIES[index % len(COMPANIES)], "Клиент", "Производство", work_phone(index), "",
             f"office{index}@example.ru", f"https://company{index}.example.ru", "ул. Мира, 1", CITY, "", "",
             "01.02.2024 10:00:00"] for index in range(count)]
    return header, rows


def amocrm_contacts(count=20):
    header = ["ID", "Наименование", "Имя", "Фамилия", "Компания", "Ответственный", "Дата создания", "Кем создан",
              "Теги", "Рабочий телефон", "Мобильный телефон", "Рабочий email", "Личный email", "Должность"]
    rows = []
    for index in range(count):
        surname, first, _patronymic = person(index)
        rows.append([str(1000 + index), f"{first} {surname}", first, surname, COMPANIES[index % len(COMPANIES)],
                     "", "01.02.2024", "Администратор", "выставка", work_phone(index), mobile(index),
                     f"amo{index:03d}@example.ru", "", "Закупщик"])
    return header, rows


def onec_counterparties(count=5):
    """1C:Бухгалтерия, the list of counterparties saved to Excel."""
    header = ["Наименование", "Полное наименование", "Код", "ИНН", "КПП", "Юридический адрес", "Фактический адрес",
              "Телефон", "Email", "Комментарий"]
    rows = []
    for index in range(count):
        name = COMPANIES[index % len(COMPANIES)]
        inn = COMPANY_INNS[index % len(COMPANY_INNS)]
        rows.append([name, f"{name} (полное)", f"00-{index:06d}", inn, "" if len(inn) == 12 else "770701001",
                     f"620000, {CITY}, ул. Мира, {index + 1}", "", work_phone(index), f"buh{index}@example.ru", ""])
    return header, rows


def onec_trade_partners(count=5):
    """1C:Управление торговлей, partners with their main manager."""
    header = ["Наименование", "Контрагент", "ИНН", "КПП", "Основной менеджер", "Бизнес-регион", "Телефон",
              "Адрес электронной почты", "Фактический адрес", "Комментарий"]
    rows = [[COMPANIES[index % len(COMPANIES)], COMPANIES[index % len(COMPANIES)],
             COMPANY_INNS[index % len(COMPANY_INNS)], "", "", "Урал", work_phone(index), f"ut{index}@example.ru",
             f"{CITY}, ул. Мира, {index + 1}", ""] for index in range(count)]
    return header, rows


def onec_crm_contacts(count=10):
    """1C:CRM, contact persons of the clients."""
    header = ["Контактное лицо", "Клиент", "Должность", "Телефон", "Мобильный телефон", "Email", "Город",
              "Ответственный", "Роль контактного лица"]
    rows = []
    for index in range(count):
        surname, first, patronymic = person(index)
        rows.append([f"{surname} {first} {patronymic}", COMPANIES[index % len(COMPANIES)], "Директор",
                     work_phone(index), mobile(index), f"crm{index:03d}@example.ru", CITY, "", "ЛПР"])
    return header, rows


def free_style(count=3):
    """Headers as people write them by hand, with the owner of each field spelled out."""
    header = ["Наименование полное", "ИНН контрагента", "Юр. адрес", "Контактное лицо",
              "Телефон контактного лица", "E-mail контрагента", "Основной менеджер", "Тип контакта"]
    rows = [[COMPANIES[index], COMPANY_INNS[index], f"{CITY}, ул. Мира, {index + 1}",
             " ".join(person(index)), mobile(index), f"free{index}@example.ru", "", "Клиент"]
            for index in range(count)]
    return header, rows


def to_csv(header, rows, encoding="utf-8", delimiter=",", bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    content = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + content) if bom else content


def to_xlsx(header, rows, title_rows=(), sheet="Лист1"):
    from .common_import import CustomerImportCase

    return CustomerImportCase.make_xlsx([*map(list, title_rows), header, *rows], title=sheet)
