"""pipeline.normalize.numbers.parse_number: French numbers in digits and words."""
import pytest

from pipeline.normalize.numbers import parse_digits, parse_number, scaled


@pytest.mark.parametrize("text, expected", [
    ("3", 3), ("trois", 3), ("Trois", 3), ("1,5", 1.5), ("1.5", 1.5),
    ("15 000", 15000), ("15\u00a0000", 15000), ("15\u202f000", 15000), ("15\u2009000", 15000),
    ("1 500 000", 1500000), ("1\u202f500\u202f000", 1500000),
    ("15.000", 15000), ("1.234.567", 1234567), ("1 234,56", 1234.56), ("1\u00a0234,56", 1234.56),
    ("1.234,56", 1234.56), ("1,234.56", 1234.56), ("1,234,567", 1234567), ("1'000", 1000),
    ("0,5", 0.5), ("0.500", 0.5), ("1,0", 1), ("-3", -3),
    ("vingt-cinq", 25), ("quatre-vingt-dix", 90), ("quatre-vingts", 80),
    ("soixante et onze", 71), ("vingt et une", 21), ("cent cinquante", 150),
    ("deux mille", 2000), ("mille cinq cents", 1500), ("un", 1), ("une", 1), ("zéro", 0),
    ("une douzaine", 12), ("une dizaine", 10), ("une centaine", 100), ("un millier", 1000),
    ("une vingtaine", 20), ("deux centaines", 200), ("3 douzaines", 36),
    ("1,5 million", 1500000), ("4,35 millions", 4350000), ("1,3 milliard", 1300000000),
    ("deux milliards", 2000000000), ("un million et demi", 1500000), ("vingt\u00a0millions", 20000000),
    ("3 mille", 3000), ("deux virgule cinq", 2.5), ("un billion", 10**12),
])
def test_parse_number(text, expected):
    value = parse_number(text)
    assert value == expected
    assert type(value) is type(expected)  # int when integral, float otherwise


@pytest.mark.parametrize("text", [
    "des dizaines", "quelques", "plusieurs", "plusieurs centaines", "des milliers",
    "de nombreux", "", "   ", "abc", "12a", "1 2345", "1,", "douze chars", "millions",
])
def test_parse_number_unknown(text):
    assert parse_number(text) is None


def test_parse_number_none():
    assert parse_number(None) is None


def test_parse_digits_rejects_words():
    assert parse_digits("trois") is None
    assert parse_digits("15 000") == 15000


def test_scaled_has_no_binary_noise():
    assert scaled(4.35, 10**6) == 4350000
    assert scaled(0.1, 3) == 0.3
