"""The lobby TV (/display), the small screen above each counter (/display/counter/<id>) and
the rating tablet facing the citizen at a counter (/rate/counter/<id>)."""

import flask

display = flask.Blueprint("display", __name__, template_folder="templates",
                          static_folder="static", static_url_path="/display/static")


@display.get("/display")
def lobby():
    return flask.render_template("display/lobby.html")


@display.get("/display/counter/<id:counter_id>")
def counter_screen(counter_id: int):
    return flask.render_template("display/counter.html", counter_id=counter_id)


@display.get("/rate/counter/<id:counter_id>")
def rating_tablet(counter_id: int):
    """The tablet facing the citizen: paired once with a code from the clerk's console, it
    offers five faces when the counter finishes a visit."""
    return flask.render_template("display/rating-tablet.html", counter_id=counter_id)


@display.get("/display/speech/<number>/<counter>.wav")
def spoken_call(number: str, counter: str):
    """A call spoken by the server, for a lobby browser with no Thai voice of its own."""
    from . import speech

    number, counter = number.upper()[:8], counter[:3]
    if not (speech.NUMBER.match(number) and speech.COUNTER.match(counter)):
        return {"error": {"code": "invalid_input", "message":
                          "a call is a ticket number like A023 and a counter number"}}, 400
    # Only calls that happened: the server is no speech synthesiser for anyone who asks.
    if not flask.current_app.extensions["gecc"].queries.called_lately(number, int(counter)):
        return {"error": {"code": "not_found",
                          "message": f"{number} was not called at counter {counter} today."}}, 404
    try:
        audio = speech.call_wav(number, counter)
    except speech.SpeechUnavailable as exc:
        return {"error": {"code": "speech_unavailable", "message": str(exc)}}, 404
    response = flask.Response(audio, mimetype="audio/wav")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
