"""Chinese numerals and the printed 期号 / 总期号 / date (table-driven)."""

import datetime as dt

import pytest

from bulletin_kit.numerals import chinese_date, chinese_number, issue_line, issue_number, total_number


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "第一期"),
        (9, "第九期"),
        (10, "第十期"),
        (11, "第十一期"),
        (19, "第十九期"),
        (20, "第二十期"),
        (28, "第二十八期"),
        (99, "第九十九期"),
        (100, "第一百期"),
        (101, "第一百零一期"),
        (110, "第一百一十期"),
        (111, "第一百一十一期"),
        (120, "第一百二十期"),
        (646, "第六百四十六期"),
        (1000, "第一千期"),
        (1001, "第一千零一期"),
        (1010, "第一千零一十期"),
        (1100, "第一千一百期"),
    ],
)
def test_issue_number(n: int, expected: str) -> None:
    assert issue_number(n) == expected


@pytest.mark.parametrize("n", [0, -1, 10000])
def test_chinese_number_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        chinese_number(n)


def test_issue_line_and_special() -> None:
    assert issue_line(28, 646) == "第二十八期（总第646期）"
    assert issue_line(3, None) == "第三期"
    assert issue_line(1, None, "增刊") == "增刊第一期"
    assert total_number(646) == "总第646期"


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2018, 12, 20), "2018年12月20日"), (dt.date(2019, 1, 5), "2019年1月5日")],
)
def test_chinese_date(day: dt.date, expected: str) -> None:
    assert chinese_date(day) == expected
