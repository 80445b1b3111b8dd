"""The lobby TV (/display) and the small screen above each counter (/display/counter/<id>)."""

import flask

display = flask.Blueprint("display", __name__, template_folder="templates",
                          static_folder="static", static_url_path="/display/static")


@display.get("/display")
def lobby():
    return flask.render_template("display/lobby.html")


@display.get("/display/counter/<int:counter_id>")
def counter_screen(counter_id: int):
    return flask.render_template("display/counter.html", counter_id=counter_id)
