"""Ingestion: encodings, HTML, page chrome as metadata, clean errors."""

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import load

STORY = "2022年5月6日，湖南省科技厅厅长张建国到长沙高新区调研。"


def test_gb18030_file_is_detected(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_bytes(("标题一则\n\n" + STORY).encode("gb18030"))
    art = load(f)
    assert art.encoding == "gb18030"
    assert "张建国" in art.clean.text


def test_big5_file_is_detected_and_simplified(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_bytes("湖南省科技廳廳長張建國到長沙高新區調研。各單位負責人參加會議並發言。".encode("big5"))
    art = load(f)
    assert "湖南省科技厅厅长张建国" in art.clean.text


def test_scraped_chrome_becomes_metadata(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text(
        "您好,歡迎進入某某測試科技有限公司官網!\n新聞中心\n\n張建國到長沙高新區調研\n\n"
        "* 來源: 轉載湖南科技廳 * 作者: admin * 發表時間: 2022/05/07 09:10:11 * 瀏覽: 3531\n\n" + STORY,
        encoding="utf-8",
    )
    art = load(f)
    assert art.meta.headline == "张建国到长沙高新区调研"
    assert art.meta.source_name == "湖南科技厅"
    assert art.meta.author == "admin"
    assert art.meta.date_published == "2022-05-07T09:10:11"
    assert art.meta.publisher == "某某测试科技有限公司"
    assert "3531" not in art.clean.text and "欢迎" not in art.clean.text


def test_html_story_title_and_date_with_offsets_into_the_page(tmp_path: Path):
    page = (
        "<html><head><title>张建国到长沙高新区调研 - 测试网</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> | <a href='/n'>新闻中心</a></div>"
        "<h1>张建国到长沙高新区调研</h1><div class='info'>发布时间：2022-05-07 09:10:11</div>"
        f"<div class='content'><p>{STORY}</p><p>他指出，要加强&ldquo;双创&rdquo;平台建设，推动科技企业发展壮大。"
        "各有关单位负责人参加调研并作交流发言。</p></div>"
        "<div class='footer'>版权所有 测试网</div><script>var x = '不是正文';</script></body></html>"
    )
    f = tmp_path / "a.html"
    f.write_text(page, encoding="utf-8")
    art = load(f)
    assert art.is_html
    assert art.meta.headline == "张建国到长沙高新区调研"
    assert art.meta.date_published == "2022-05-07T09:10:11"
    assert "不是正文" not in art.clean.text and "版权所有" not in art.clean.text
    i = art.clean.text.index("张建国到长沙")
    s, e = art.clean.source_span(i, i + 3)
    assert page[s:e] == "张建国"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"  \n\t ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_unusable_files_raise_one_clear_error(tmp_path: Path, content: bytes, message: str):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        load(f)
    assert str(f) in str(err.value) and "\n" not in str(err.value)


def test_directory_and_missing_file(tmp_path: Path):
    with pytest.raises(InputError, match="is a directory"):
        load(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.txt")
