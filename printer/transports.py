"""How a print agent reaches the server: Socket.IO from a kiosk PC, or direct calls in-process."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


class SocketTransport:
    """The agent on a kiosk PC: a Socket.IO client with a device token; reconnects by itself,
    and on every (re)connect asks for everything still pending."""

    def __init__(self, server_url: str, token: str, timeout: float = 10.0):
        import socketio

        self.server_url = server_url
        self.token = token
        self.timeout = timeout
        self.agent = None
        self.client = socketio.Client(reconnection=True, reconnection_delay=1,
                                      reconnection_delay_max=10, request_timeout=timeout)
        self.client.on("connect", self._on_connect)
        self.client.on("print_job", self._on_job)

    def attach(self, agent) -> None:
        self.agent = agent

    def connect(self) -> None:
        self.client.connect(self.server_url, auth={"token": self.token},
                            transports=["websocket"], wait_timeout=self.timeout, retry=True)

    def close(self) -> None:
        self.client.disconnect()

    def _on_connect(self) -> None:
        # Handlers run on the client's reader: ask for the backlog from another thread.
        threading.Thread(target=self._after_connect, daemon=True).start()

    def _after_connect(self) -> None:
        self.agent.last_status = None  # report the printer afresh to this server process
        try:
            self.agent.catch_up()
        except Exception:  # noqa: BLE001 - the next reconnect tries again
            log.warning("could not fetch pending print jobs", exc_info=True)
        self.agent.refresh_status()

    def _on_job(self, job: dict) -> None:
        self.agent.submit(job)

    def fetch_pending(self) -> list[dict]:
        answer = self.client.call("agent_hello", {}, timeout=self.timeout)
        if not answer or not answer.get("ok"):
            raise RuntimeError(f"server refused the agent: {answer}")
        return answer["jobs"]

    def acknowledge(self, job_id: int, outcome: str, error: str | None) -> None:
        answer = self.client.call("print_ack", {"job_id": job_id, "outcome": outcome,
                                                "error": error}, timeout=self.timeout)
        if not answer or not answer.get("ok"):
            raise RuntimeError(f"acknowledgement refused: {answer}")

    def report_status(self, status: dict) -> None:
        self.client.emit("printer_status", status)


class LocalTransport:
    """The server's own agent (GECC_PRINTER set): same agent, direct calls, no socket."""

    def __init__(self, services):
        self.services = services
        self.agent = None

    def attach(self, agent) -> None:
        self.agent = agent
        self.services.notifier.subscribe("printer:local", self._on_event)

    def _on_event(self, event: str, payload: dict) -> None:
        if event == "print_job":
            self.agent.submit(payload)

    def fetch_pending(self) -> list[dict]:
        return self.services.printing.pending(None)

    def acknowledge(self, job_id: int, outcome: str, error: str | None) -> None:
        self.services.printing.acknowledge(job_id, None, outcome, error)

    def report_status(self, status: dict) -> None:
        from queue_server.domain.printing import PrinterState

        self.services.printing.report_status(PrinterState.from_report(None, status))
