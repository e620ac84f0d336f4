#!/usr/bin/env python3
"""Benchmark: recall and precision of the duplicate matcher on a generated set with known truth.

Generates ``--partners`` cards (people and organisations; each true customer
appears 1 to 3 times, re-typed with the variations real files carry:
transliteration, initials, swapped first and last names, a missing
patronymic, a typo, ``ООО``/``LLC``/``ТОВ`` and quote variants, e-mail aliases,
another phone of the same person, missing fields) among many distinct people
sharing first names, surnames, companies and cities (hard negatives, including
one company of 5,000 people), then runs ``crm_core/tools/dedup.py`` (pure
Python, no database) and scores its groups pair by pair against the truth.

    python3 scripts/crmctl.py bench dedup -- --partners 100000

Prints ``bench dedup partners=… recall=… precision=… pairs_true=… seconds=… peak_mb=…``
(goal: recall ≥ 0.99 and precision ≥ 0.995 at 100,000 partners).
"""
import argparse
import importlib.util
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MALE_FIRST = (
    "Александр Алексей Анатолий Андрей Антон Аркадий Артём Борис Вадим Валентин Валерий Василий Виктор "
    "Виталий Владимир Владислав Вячеслав Геннадий Георгий Глеб Григорий Даниил Денис Дмитрий Евгений Егор "
    "Иван Игорь Илья Кирилл Константин Леонид Максим Матвей Михаил Никита Николай Олег Павел Пётр Роман "
    "Руслан Семён Сергей Станислав Степан Тимофей Фёдор Юрий Ярослав Тарас Богдан Остап Назар").split()
FEMALE_FIRST = (
    "Алёна Алина Алла Анастасия Ангелина Анна Валентина Валерия Вера Вероника Виктория Галина Дарья Диана "
    "Евгения Екатерина Елена Елизавета Жанна Зинаида Инна Ирина Карина Кира Ксения Лариса Лидия Любовь "
    "Людмила Маргарита Марина Мария Надежда Наталья Нина Оксана Олеся Ольга Полина Раиса Светлана София "
    "Таисия Тамара Татьяна Ульяна Юлия Яна Олена Ганна Мирослава Христина").split()
FATHERS = (
    "Александр Алексей Андрей Анатолий Борис Валерий Василий Виктор Владимир Геннадий Григорий Дмитрий "
    "Евгений Иван Игорь Константин Леонид Михаил Николай Олег Павел Пётр Роман Сергей Степан Фёдор Юрий "
    "Ярослав Тарас Богдан").split()
SURNAME_ROOTS = (
    "Иван Петр Сидор Кузнец Смирн Попов Волк Соколов Лебед Козл Новик Морозов Павл Семён Голуб Виноград "
    "Богдан Воробь Фёдор Михайл Беляк Тарас Белоус Комар Орл Киселёв Макар Андре Ковал Ильин Гусев Титов "
    "Кузьмин Кудрявц Баран Куликов Алексе Степан Яковл Сорок Сергее Роман Захар Борисов Королёв Герасим "
    "Пономар Григорь Лазар Медвед Ершов Никитин Соболев Рябов Поляков Цвет Данил Жуков Фролов Журавл "
    "Николаев Крылов Максим Сидоренк Осип Белов Федот Дорофе Егор Матве Бобров Дмитри Калинин Анисим Петух "
    "Антонов Тимофе Никифор Веселов Филипп Марков Большак Суханов Миронов Ширяев Александр Коновал Шестак "
    "Казаков Ефимов Денисов Громов Фомин Давыд Мельник Щербак Блинов Колесник Карпов Афанасье Власов "
    "Маслов Исаков Тихонов Аксёнов Гаврил Родион Котов Горбунов Кудряш Быков Зуев Третьяк Савель Панов "
    "Рыбак Суворов Абрамов Воронов Мухин Архип Трофим Мартын Емельян Горшков Чернов Овчинник Селезнёв "
    "Панфил Копылов Михеев Галкин Назар Лобанов Лукин Беляев Потап Некрас Хохлов Жданов Наумов Шилов "
    "Воронц Ермаков Дроздов Игнать Савин Логинов Сафонов Капустин Кириллов Моисеев Елисеев Кошелев Костин "
    "Горбач Орехов Ефремов Исаев Евдоким Калашник Кабан Носков Юдин Кулагин Лапин Прохоров Нестеров "
    "Харитон Агафон Муравь Ларион Федосе Зимин Пахом Шубин Игнат Филатов Крюков Рогов Кулаков Терент "
    "Молчан Владимир Артемь Гурьев Зиновь Гришин Кононов Дементь Ситник Симонов Мишин Фадеев Комиссар "
    "Мамонт Носов Гуляев Шаров Устинов Вилкин Евсеев Лаврент Брагин Константин Корнил Авдеев Зыков "
    "Бирюков Шарап Никон Щукин Шубкин Шевч Бондар Ткач Кравч Олейник Шевчук Поліщук Бойк Коваленк "
    "Хабибуллин Юсупов Гаврилюк Мирошник Литвин Яковенк Остапчук").split()
CITIES = ("Москва Санкт-Петербург Новосибирск Екатеринбург Казань Нижний-Новгород Челябинск Самара Омск "
          "Ростов-на-Дону Уфа Красноярск Воронеж Пермь Волгоград Краснодар Саратов Тюмень Тольятти Ижевск "
          "Барнаул Иркутск Хабаровск Ярославль Владивосток Махачкала Томск Оренбург Кемерово Рязань Київ Харків "
          "Одеса Дніпро Львів Алматы Минск").split()
ORG_WORDS = ("Альфа Бета Гамма Дельта Омега Вектор Восход Рассвет Заря Север Юг Восток Запад Ромашка "
             "Берёзка Сибирь Урал Волга Нева Енисей Байкал Алтай Кристалл Гранит Металл Строй Монтаж Трейд "
             "Снаб Сервис Логистик Агро Техно Пром Энерго Инвест Капитал Групп Холдинг Системы Решения Маркет "
             "Торг Комплект Проект Развитие Оптима Максима Атлант Титан Меридиан Горизонт Импульс Спектр "
             "Фортуна Виктория Мегаполис Элемент Квант Феникс Легион Орион Сатурн Вега Полюс Арсенал").split()
ORG_PREFIXES = ("Техно", "Строй", "Агро", "Энерго", "Пром", "Инвест", "Нефте", "Газ", "Транс", "Мега", "Евро",
                "Сиб", "Урал", "Волго", "Росс", "Укр", "Мед", "Фарм", "Авто", "Электро", "Теле", "Инфо", "Эко",
                "Био", "Гидро", "Термо", "Хим", "Лес", "Рыб", "Молоко", "Мясо", "Хлеб", "Текстиль", "Стекло",
                "Бетон", "Кабель", "Дор", "Жил", "Торг", "Снаб")
ORG_FORMS = ("ООО", "АО", "ПАО", "ЗАО", "ИП", "ТОВ", "LLC", "", "ООО", "ООО")
MAIL_DOMAINS = ("gmail.com", "mail.ru", "yandex.ru", "bk.ru", "ukr.net", "list.ru")

# Two transliteration systems people use (passport ICAO-like, and the "popular" one).
_TRANSLIT = (
    dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґ",
             ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
              "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia", "i", "ie", "i", "g"],
             strict=True)),
    dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґ",
             ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
              "u", "f", "h", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya", "i", "ye", "yi", "g"],
             strict=True)),
)


def load_dedup():
    path = ROOT / "addons" / "crm_core" / "tools" / "dedup.py"
    spec = importlib.util.spec_from_file_location("_bench_crm_core_dedup", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def translit(text, system):
    table = _TRANSLIT[system]
    out = []
    for char in text:
        low = char.lower()
        latin = table.get(low, char)
        out.append(latin.capitalize() if char != low and latin else latin)
    return "".join(out)


SURNAME_SUFFIXES = ("ов", "ин", "ский", "енко", "ук", "ов", "ев", "ин", "ов")


def _surname(root, female, suffix="ов"):
    if root[-1] in "аеиоуыэюяь":
        root = root.rstrip("аеиоуыэюяь") or root
    if suffix == "ский":
        return root + ("ская" if female else "ский")
    if suffix in ("енко", "ук"):
        return root + suffix
    if suffix == "ин":
        return root + ("ина" if female else "ин")
    if suffix == "ев":
        return root + ("ева" if female else "ев")
    if root.endswith(("ов", "ев", "ёв", "ин")):
        return root + ("а" if female else "")
    if root.endswith(("ук", "юк", "ник", "ак", "ар", "уллин", "енк", "ч", "ко")):
        return root + ("о" if root.endswith("енк") else "")
    return root + ("ова" if female else "ов")


def _patronymic(father, female):
    stem = {"Пётр": "Петр", "Фёдор": "Федор", "Павел": "Павл", "Лев": "Льв"}.get(father, father)
    if stem.endswith("ий"):
        return stem[:-2] + ("ьевна" if female else "ьевич")
    if stem.endswith("ей"):
        return stem[:-1] + ("евна" if female else "евич")
    return stem + ("овна" if female else "ович")


class Generator:
    """Cards with known truth: ``entity`` says which true customer a card is."""

    def __init__(self, partners, seed=17):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
        self.partners = partners
        self.used_phones = set()
        self.used_inns = set()
        self.records = []
        self.variations = {}

    def phone(self):
        while True:
            number = f"+7{self.rng.choice('9999934')}{self.rng.randrange(10**9):09d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def inn(self):
        while True:
            number = f"{self.rng.randrange(10**9, 10**10)}"
            if number not in self.used_inns:
                self.used_inns.add(number)
                return number

    def organisation(self, index):
        rng = self.rng
        compound = rng.choice(ORG_PREFIXES) + rng.choice(ORG_WORDS).lower()
        words = [compound] + rng.sample(ORG_WORDS, rng.choice((0, 1, 1, 1, 2)))
        name = " ".join(words) if rng.random() < 0.5 else "-".join(words)
        if rng.random() < 0.15:
            name += f" {rng.randrange(1, 30)}"
        domain = f"{translit(''.join(words).lower(), 1)}{index}.ru"
        return {
            "entity": f"o{index}", "is_company": True, "base": name, "form": rng.choice(ORG_FORMS),
            "inn": self.inn() if rng.random() < 0.7 else "", "city": rng.choice(CITIES),
            "email": f"info@{domain}" if rng.random() < 0.6 else "",
            "phone": self.phone() if rng.random() < 0.7 else "", "domain": domain,
        }

    def person(self, index, organisations, big):
        rng = self.rng
        female = rng.random() < 0.5
        first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
        root = rng.choice(SURNAME_ROOTS)
        suffix = "ов" if root.endswith(("ов", "ев", "ёв", "ин", "ук", "юк", "ник", "ак", "ар")) else rng.choice(
            SURNAME_SUFFIXES)
        surname = _surname(root, female, suffix)
        patronymic = _patronymic(rng.choice(FATHERS), female) if rng.random() < 0.8 else ""
        org = big if rng.random() < 0.06 else (rng.choice(organisations) if rng.random() < 0.6 else None)
        latin = translit(f"{first[0]}.{surname}", 0).lower().replace("'", "")
        if org and rng.random() < 0.6:
            email = f"{latin}{index}@{org['domain']}"
        elif rng.random() < 0.6:
            email = f"{latin}{index}@{rng.choice(MAIL_DOMAINS)}"
        else:
            email = ""
        return {
            "entity": f"p{index}", "is_company": False, "first": first, "surname": surname,
            "patronymic": patronymic, "org": org, "city": org["city"] if org else rng.choice(CITIES),
            "email": email, "phone": self.phone() if rng.random() < 0.75 else "",
        }

    # ---------------------------------------------------------------- copies
    def org_card(self, org, variations):
        rng = self.rng
        name, form = org["base"], org["form"]
        if "translit" in variations:
            name = translit(name, rng.randrange(2)).replace("'", "")
            form = rng.choice(("LLC", "Ltd", "JSC", "")) if form else form
        if "form" in variations:
            form = rng.choice([f for f in ("ООО", "АО", "ТОВ", "LLC", "") if f != form])
        quote = rng.choice((("«", "»"), ('"', '"'), ("'", "'"), ("", ""))) if form else ("", "")
        if "quotes" in variations:
            quote = rng.choice((("«", "»"), ('"', '"'), ("'", "'")))
        if "case" in variations:
            name = name.upper()
        text = f"{name}" if not form else (f"{form} {quote[0]}{name}{quote[1]}" if rng.random() < 0.8
                                           else f"{quote[0]}{name}{quote[1]} {form}")
        return {"name": text, "is_company": True, "city": org["city"],
                "inn": "" if "no_inn" in variations else org["inn"],
                "email": self.email_alias(org["email"]) if "alias" in variations else org["email"],
                "phone_keys": [org["phone"]] if org["phone"] and "no_phone" not in variations else []}

    def email_alias(self, email):
        if not email:
            return email
        local, domain = email.split("@")
        choice = self.rng.randrange(3)
        if choice == 0:
            return email.upper()
        if choice == 1:
            return f"{local}+crm@{domain}"
        return f"{local.capitalize()}@{domain.upper()}"

    def person_card(self, person, variations):
        rng = self.rng
        first, surname, patronymic = person["first"], person["surname"], person["patronymic"]
        if "typo" in variations:
            first = first.replace("ия", "ья", 1) if "ия" in first else first.replace("е", "э", 1)
        if "no_patronymic" in variations:
            patronymic = ""
        words = [surname, first] + ([patronymic] if patronymic else [])
        if "initials" in variations:
            words = [surname, f"{first[0]}."] + ([f"{patronymic[0]}."] if patronymic else [])
        if "swap" in variations:
            words = [words[1], *words[2:], words[0]]
        name = " ".join(words)
        if "translit" in variations:
            name = translit(name, rng.randrange(2)).replace("'", "")
        email = person["email"]
        if "alias" in variations and email:
            email = self.email_alias(email)
            if email.endswith("@gmail.com") or email.endswith("@GMAIL.COM"):
                local, domain = email.split("@")
                email = f"{local[:2]}.{local[2:]}@googlemail.com"
        phones = [person["phone"]] if person["phone"] else []
        if "second_phone" in variations:
            phones = [*phones, self.phone()]
        return {
            "name": name, "is_company": False, "city": person["city"],
            "company": person["org"]["base"] if person["org"] else "",
            "email": "" if "no_email" in variations else email,
            "phone_keys": [] if "no_phone" in variations else phones,
        }

    def variations_for(self, entity, copy):
        """Variations of a re-typed copy; the first copy is the card as first typed."""
        rng = self.rng
        if copy == 0:
            return ()
        if entity["is_company"]:
            pool = ("translit", "form", "quotes", "case", "alias", "no_inn", "no_phone")
        else:
            pool = ("translit", "initials", "swap", "no_patronymic", "typo", "alias", "second_phone",
                    "no_email", "no_phone")
        chosen = set(rng.sample(pool, rng.choice((1, 2, 2, 3))))
        if not entity["is_company"]:
            # what a human would still call the same person: a name in initials or in a new script
            # keeps the e-mail or the phone
            if chosen & {"initials", "translit", "typo"} and not (entity["email"] or entity["phone"]):
                chosen -= {"initials", "typo"}
            if "initials" in chosen:
                chosen -= {"no_email", "no_phone"}  # a name in initials is recognised with its contact
            if "initials" in chosen and "typo" in chosen:
                chosen.discard("typo")
            if {"no_email", "no_phone"} <= chosen:
                chosen.discard("no_phone")
        return tuple(sorted(chosen))

    def generate(self):
        rng = self.rng
        organisations = []
        big = {"entity": "o_big", "is_company": True, "base": "Газпромсервис", "form": "ПАО", "inn": self.inn(),
               "city": "Москва", "email": "info@gazpromservis.ru", "phone": self.phone(),
               "domain": "gazpromservis.ru"}
        entities = [big]
        count = 1  # the big company's own card
        index = 0
        while count < self.partners:
            index += 1
            if rng.random() < 0.25:
                entity = self.organisation(index)
                organisations.append(entity)
            else:
                entity = self.person(index, organisations or [big], big)
            copies = rng.choices((1, 2, 3), weights=(60, 25, 15))[0]
            entity["copies"] = min(copies, self.partners - count)
            count += entity["copies"]
            entities.append(entity)
        big["copies"] = 1
        for entity in entities:
            for copy in range(entity["copies"]):
                variations = self.variations_for(entity, copy)
                card = self.org_card(entity, variations) if entity["is_company"] else self.person_card(entity,
                                                                                                        variations)
                card["entity"] = entity["entity"]
                self.records.append(card)
                for variation in variations:
                    self.variations[variation] = self.variations.get(variation, 0) + 1
        rng.shuffle(self.records)
        for number, record in enumerate(self.records, 1):
            record["id"] = number
        return self.records


def generate(partners, seed=17):
    """``partners`` cards (dicts with ``id`` and the true ``entity``) and the count of each variation."""
    generator = Generator(partners, seed)
    records = generator.generate()
    return records, generator.variations


def true_pairs(records):
    by_entity = {}
    for record in records:
        by_entity.setdefault(record["entity"], []).append(record["id"])
    return {(a, b) for ids in by_entity.values() for i, a in enumerate(sorted(ids)) for b in sorted(ids)[i + 1:]}


def score(records, groups):
    """``(recall, precision, true pairs, found pairs)`` of ``groups`` against the records' entities."""
    truth = true_pairs(records)
    found = {(a, b) for group in groups for i, a in enumerate(group) for b in group[i + 1:]}
    hits = len(truth & found)
    recall = hits / len(truth) if truth else 1.0
    precision = hits / len(found) if found else 1.0
    return recall, precision, len(truth), len(found)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--misses", type=int, default=0, help="print this many missed and wrong pairs")
    args, _unknown = parser.parse_known_args()  # crmctl passes one option list to every benchmark
    dedup = load_dedup()
    records, variations = generate(args.partners, args.seed)
    print(f"# generated {len(records)} cards; variations: "
          + ", ".join(f"{name}={count}" for name, count in sorted(variations.items())), flush=True)
    index = dedup.DuplicateIndex()
    started, cpu_started = time.monotonic(), time.process_time()
    groups = dedup.find_duplicate_groups(records, index=index)
    seconds, cpu_seconds = time.monotonic() - started, time.process_time() - cpu_started
    recall, precision, pairs_true, pairs_found = score(records, groups)
    stats = index.stats()
    print(f"# comparisons={stats['comparisons']} blocks={stats['blocks']} largest_block={stats['largest_block']} "
          f"dropped={stats['dropped']} pairs_found={pairs_found}", flush=True)
    if args.misses:
        by_id = {record["id"]: record for record in records}
        found = {(a, b) for group in groups for i, a in enumerate(group) for b in group[i + 1:]}
        truth = true_pairs(records)
        for label, pairs in (("missed", truth - found), ("wrong", found - truth)):
            for a, b in sorted(pairs)[:args.misses]:
                print(f"# {label}: {by_id[a]} | {by_id[b]}")
    print(f"bench dedup partners={len(records)} recall={recall:.4f} precision={precision:.4f} "
          f"pairs_true={pairs_true} seconds={seconds:.2f} cpu_seconds={cpu_seconds:.2f} peak_mb={peak_mb():.0f}",
          flush=True)
    return 0 if recall >= 0.99 and precision >= 0.995 else 1


if __name__ == "__main__":
    sys.exit(main())
