"""The citizens' touch kiosk (/kiosk): served by the server, built on the public API."""

import flask

kiosk = flask.Blueprint("kiosk", __name__, template_folder="templates",
                        static_folder="static", static_url_path="/kiosk/static")


@kiosk.get("/kiosk")
def page():
    # /kiosk?id=K for a kiosk PC with its own print agent; plain /kiosk uses the server's printer.
    kiosk_id = flask.request.args.get("id", "")[:64]
    return flask.render_template("kiosk/kiosk.html", kiosk_id=kiosk_id)
