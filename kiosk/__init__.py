"""The citizens' touch kiosk (/kiosk): served by the server, built on the public API."""

import flask

kiosk = flask.Blueprint("kiosk", __name__, template_folder="templates",
                        static_folder="static", static_url_path="/kiosk/static")


@kiosk.get("/kiosk")
def page():
    return flask.render_template("kiosk/kiosk.html", kiosk_id=flask.request.args.get("id", "kiosk-1"))
