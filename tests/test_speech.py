"""Calls spoken by the server (espeak-ng) for lobby browsers without a Thai voice."""

import io
import shutil
import wave

from conftest import require_service


def test_the_server_speaks_a_call_as_a_wav(sqlite_app):
    require_service("espeak-ng", shutil.which("espeak-ng") is not None, "apt-get install espeak-ng")
    client = sqlite_app.test_client()
    token = sqlite_app.extensions["gecc"].accounts.create_token("staff1")
    assert client.post("/api/v1/tickets", json={"service_id": 2}).status_code == 201
    assert client.post("/api/v1/counters/3/call-next", json={},
                       headers={"Authorization": f"Bearer {token}"}).json["number"] == "B001"
    answer = client.get("/display/speech/B001/3.wav")
    assert answer.status_code == 200 and answer.mimetype == "audio/wav"
    with wave.open(io.BytesIO(answer.data)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert 2.0 < seconds < 12.0  # a whole sentence, not a blip, not a runaway


def test_only_the_call_sentence_can_be_spoken(sqlite_app):
    client = sqlite_app.test_client()
    for path in ("/display/speech/hello%20world/3.wav", "/display/speech/A023/x.wav",
                 "/display/speech/A0234567/3.wav"):
        answer = client.get(path)
        assert answer.status_code == 400, path
        assert answer.json["error"]["code"] == "invalid_input"
