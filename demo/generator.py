"""Seeded randomness for the demo: fake names and valid ID numbers, amounts that sum exactly to the seeds' totals."""

import datetime
import random

from faker import Faker

from beneficiaries import resident_id
from core.bulk import clean_without_queries
from payouts.precheck import luhn_check_digit

SEED = 20221231
BATCH_SIZE = 2000


def split_total(total: int, count: int, low: int, high: int, step: int, rng: random.Random) -> list[int]:
    """`count` amounts, multiples of `step` within [low, high], summing exactly to `total`."""
    if not (low * count <= total <= high * count) or total % step:
        raise ValueError(f"cannot split {total} into {count} amounts within {low}–{high}")
    amounts = [rng.randrange(low, high + 1, step) for _ in range(count)]
    diff = total - sum(amounts)
    while diff:
        i = rng.randrange(count)
        if diff > 0 and amounts[i] + step <= high:
            amounts[i] += step
            diff -= step
        elif diff < 0 and amounts[i] - step >= low:
            amounts[i] -= step
            diff += step
    return amounts


class Generator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(SEED)
        self.used_ids: set[str] = set()
        self.counter = 0

    def resident_id(self, area_prefix: str, born_from: int, born_to: int) -> str:
        while True:
            area = area_prefix[:4] + self.rng.choice(["01", "02", "03", "21", "22", "23", "24"])
            born = datetime.date(self.rng.randint(born_from, born_to), 1, 1) + datetime.timedelta(
                days=self.rng.randrange(365)
            )
            first17 = f"{area}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            number = first17 + resident_id.check_character(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def bank_account(self) -> str:
        # As many draws as before (the demo's other figures follow from the same random sequence); the last digit is
        # the card's Luhn check digit, as on a real UnionPay card.
        digits = "6228" + "".join(str(self.rng.randrange(10)) for _ in range(15))
        return digits[:-1] + luhn_check_digit(digits[:-1])

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))


def bulk_validated(model, objs: list) -> list:
    for obj in objs:
        clean_without_queries(obj)
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
