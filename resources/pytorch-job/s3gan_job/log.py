"""The run folder's metrics.jsonl (train/run-log.ts) and state.json (run/run-store.ts).

Each row is appended and fsync'd; a resumed run's log is first cut back to its checkpoint (the steps
after it are trained again) and a torn last line is dropped.
"""
import json
import os
import platform
import time

from .checkpoints import write_atomic


def _valid_length(raw, step):
    """Bytes of whole, parseable rows with row.step <= step (all whole rows when step is None)."""
    offset = 0
    for line in raw.split(b"\n")[:-1]:  # the piece after the last newline is torn or empty
        if line.strip():
            try:
                row = json.loads(line)
            except ValueError:
                return offset
            if step is not None and isinstance(row.get("step"), (int, float)) and row["step"] > step:
                return offset
        offset += len(line) + 1
    return offset


class RunLog:
    def __init__(self, run_dir, resumed_from=None):
        self.path = os.path.join(run_dir, "metrics.jsonl")
        self.started = time.time()
        if os.path.exists(self.path):
            raw = open(self.path, "rb").read()
            keep = _valid_length(raw, resumed_from)
            if keep != len(raw):
                with open(self.path, "r+b") as f:
                    f.truncate(keep)
        self.f = open(self.path, "ab")

    def row(self, row):
        row = dict(row, elapsed_s=round((time.time() - self.started) * 10) / 10)
        self.f.write((json.dumps(row, separators=(",", ":")) + "\n").encode("utf8"))
        self.f.flush()
        os.fsync(self.f.fileno())

    def close(self):
        self.f.close()


def write_json(path, value):
    write_atomic(path, (json.dumps(value, indent=1, ensure_ascii=False) + "\n").encode("utf8"))


def write_state(run_dir, state, step, message=None):
    s = {"state": state, "step": step}
    if message:
        s["message"] = message
    s["updatedAt"] = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    write_json(os.path.join(run_dir, "state.json"), s)


def write_origin(run_dir, world, torch_version, bf16, start_step):
    """origin.json: what trained this run (the app's Runs list shows it after import). One entry per
    session of the job (a rerun may use other processes or another machine); the last is the latest."""
    path = os.path.join(run_dir, "origin.json")
    sessions = []
    if os.path.exists(path):
        try:
            sessions = json.load(open(path)).get("sessions", [])
        except (ValueError, AttributeError):
            sessions = []  # a torn or foreign file: start the history again rather than fail the job
    local = int(os.environ.get("LOCAL_WORLD_SIZE", str(world.size)))
    device = world.device.type
    session = {"fromStep": start_step, "worldSize": world.size, "nodes": max(1, world.size // max(1, local)), "device": device,
               "deviceName": world.device_name(), "bf16": bool(bf16), "host": platform.node(),
               "startedAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
    sessions = [s for s in sessions if isinstance(s, dict) and s.get("fromStep", 0) < start_step] + [session]
    write_json(path, {"trainer": "pytorch", "torch": torch_version, "python": platform.python_version(), "sessions": sessions})
