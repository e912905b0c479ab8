"""User text that points at local files is printed in the report, never followed.

Driven through `cxmaturity report` (DESIGN §6) with a file of our own making, so that the
check holds on every machine, whatever its host name.
"""

import io
import json
import secrets
import subprocess
import sys

from factories import cx_maturity
from pypdf import PdfReader


def squeezed(text: str) -> str:
    """Text without whitespace: a long name may wrap anywhere in the PDF."""
    return "".join(text.split())


def test_markup_naming_a_local_file_is_printed_and_the_file_stays_out(tmp_path):
    marker = f"local-secret-{secrets.token_hex(8)}"
    secret = tmp_path / "secret.txt"
    secret.write_text(marker, encoding="utf-8")
    organization = (
        f'<link rel="attachment" href="file://{secret}"><img src="file://{secret}"> Weiß GmbH'
    )
    answers = {question_id: 3 for question_id in cx_maturity().questions}
    document = {
        "questionnaire": "cx-maturity",
        "organization": organization,
        "period": "2026-Q4",
        "respondents": [{"name": f'<img src="file://{secret}">', "answers": answers}],
    }
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    output = tmp_path / "report.pdf"

    result = subprocess.run(
        [sys.executable, "-m", "cxmaturity.cli", "report", str(answers_file), "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    pdf = output.read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    text = squeezed(" ".join(page.extract_text() for page in reader.pages))
    assert squeezed(organization) in text
    assert marker not in text and marker.encode() not in pdf
    assert not reader.attachments and b"/EmbeddedFile" not in pdf
