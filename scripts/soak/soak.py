#!/usr/bin/python3
"""The soak: N stacks through two worker processes on the real RabbitMQ and Azurite while faults are injected,
then an account of every stack. Started by scripts/soak.sh, which starts the services and trains the models.

Faults: a worker killed with SIGKILL every 30 to 60 s (and restarted a few seconds later, as Kubernetes would),
one broker restart (stop_app / start_app: every connection drops), one storage outage (Azurite stopped and
started again on the same port and data about 15 s later). Messages: StackAcquired as plain JSON (a Python
client) and in MassTransit's envelope, duplicates of some stacks, and bad inputs of five kinds.

At the end it checks, from the broker and from storage, never from the worker's word:
  lost        good stacks without a StackPredicted;
  mismatched  manifests whose output SHA-256 differs from the blob they name, or events naming another output;
  twice       stacks announced as new (reused: false) more than once with different content;
  rejected    bad stacks not rejected with their reason;
  _error      messages in stack-acquired_error, and Fault events.
Exit code 0 when all are zero.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

import numpy
import pika
import tifffile

from blob_service import BlobService, sha256

INPUTS = "soak-inputs"
OUTPUTS = "labelfree"
STACK_ACQUIRED = "LabelFree.Messages:StackAcquired"
EVENT_EXCHANGES = {
    "LabelFree.Messages:StackPredicted": "predicted",
    "LabelFree.Messages:StackRejected": "rejected",
    "MassTransit:Fault--LabelFree.Messages:StackAcquired--": "fault",
}
# Bad input of each kind and the reason the worker must give.
BAD_KINDS = {
    "not-a-tiff": "NotATiff",
    "truncated": "Truncated",
    "missing": "MissingInput",
    "unknown-structure": "UnknownStructure",
    "channel-out-of-range": "ChannelOutOfRange",
}


def log(text):
    print("%s %s" % (time.strftime("%H:%M:%S"), text), flush=True)


class Broker:
    """The private RabbitMQ node of soak.sh: connections with retries, and stop_app / start_app."""

    def __init__(self, url, rabbitmqctl, node, home):
        self.url, self._ctl, self._node, self._home = url, rabbitmqctl, node, home

    def connect(self, patience=120):
        deadline = time.monotonic() + patience
        while True:
            try:
                return pika.BlockingConnection(pika.URLParameters(self.url))
            except pika.exceptions.AMQPConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def control(self, *command):
        subprocess.run([self._ctl, "-n", self._node] + list(command), check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, HOME=self._home))

    def restart(self):
        self.control("stop_app")
        time.sleep(5)
        self.control("start_app")
        self.control("await_startup", "--timeout", "60")

    def queue_depth(self, queue):
        connection = self.connect()
        try:
            return connection.channel().queue_declare(queue, passive=True).method.message_count
        except pika.exceptions.ChannelClosedByBroker:
            return 0
        finally:
            if connection.is_open:
                connection.close()


class Storage:
    """Azurite, which the soak kills and starts again on the same port and data folder."""

    def __init__(self, pid):
        self._pid = pid
        with open("/proc/%d/cmdline" % pid, "rb") as cmdline:
            self._command = [part.decode() for part in cmdline.read().split(b"\0") if part]

    @property
    def pid(self):
        return self._pid

    def outage(self, seconds):
        # SIGINT closes Azurite with its data saved: a SIGKILL would lose the blobs written in its last second,
        # which real storage never does once it has acknowledged them.
        os.kill(self._pid, signal.SIGINT)
        deadline = time.monotonic() + 20
        while self._running() and time.monotonic() < deadline:
            time.sleep(0.2)
        if self.restarted:
            self.restarted.wait()
        time.sleep(seconds)
        self.restarted = subprocess.Popen(self._command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._pid = self.restarted.pid

    def _running(self):
        """True until the process has exited (a zombie of the shell that started it counts as exited)."""
        try:
            with open("/proc/%d/stat" % self._pid) as stat:
                return stat.read().split(")")[-1].split()[0] != "Z"
        except FileNotFoundError:
            return False

    def stop(self):
        """Stops the Azurite this soak started (soak.sh stops the one it started)."""
        if self.restarted and self.restarted.poll() is None:
            self.restarted.send_signal(signal.SIGINT)
            try:
                self.restarted.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.restarted.kill()

    restarted = None


class Worker:
    """`labelfree serve` as a child process, restartable after a kill."""

    def __init__(self, name, dll, settings, port, folder):
        self.name, self._dll, self._port, self._folder = name, dll, port, folder
        self._environment = dict(os.environ, **{key.replace(":", "__"): value for key, value in settings.items()})
        self._environment["LabelFree__Http__Urls"] = "http://127.0.0.1:%d" % port
        self.process = None
        self.kills = 0

    def start(self):
        log_file = open(os.path.join(self._folder, "%s.log" % self.name), "ab")
        self.process = subprocess.Popen(["dotnet", self._dll, "serve"], env=self._environment, stdout=log_file,
                                        stderr=subprocess.STDOUT, cwd=self._folder)

    def wait_ready(self, patience=180):
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("worker %s exited with %d (see its log)" % (self.name, self.process.returncode))
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/readyz" % self._port, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("worker %s not ready within %d s" % (self.name, patience))

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.kills += 1

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=150)
            except subprocess.TimeoutExpired:
                self.process.kill()


class EventLog(threading.Thread):
    """Every StackPredicted, StackRejected and Fault<StackAcquired>, from a durable queue of its own, so nothing
    is missed while the broker restarts (it reconnects and carries on)."""

    def __init__(self, broker):
        super().__init__(daemon=True)
        self._broker = broker
        self.queue = "soak-events-%s" % uuid.uuid4().hex[:8]
        self.events = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        connection = broker.connect()
        channel = connection.channel()
        channel.queue_declare(self.queue, durable=True)
        for exchange in EVENT_EXCHANGES:
            channel.exchange_declare(exchange, exchange_type="fanout", durable=True)
            channel.queue_bind(self.queue, exchange)
        connection.close()

    def run(self):
        while not self._stopping.is_set():
            try:
                connection = self._broker.connect()
                channel = connection.channel()
                for method, _, body in channel.consume(self.queue, inactivity_timeout=1):
                    if method is not None:
                        envelope = json.loads(body)
                        with self._lock:
                            self.events.append((EVENT_EXCHANGES.get(method.exchange, method.exchange), envelope.get("message", envelope)))
                        channel.basic_ack(method.delivery_tag)
                    if self._stopping.is_set():
                        break
                connection.close()
            except (pika.exceptions.AMQPError, OSError) as error:
                log("event listener reconnects: %s" % type(error).__name__)
                time.sleep(1)

    def snapshot(self):
        with self._lock:
            return list(self.events)

    def stop(self):
        self._stopping.set()
        self.join(timeout=10)


class Publisher:
    """Publishes with confirms and mandatory routing; a message is retried until the broker confirms it, also across
    the broker restart (a duplicate from a retry is one more duplicate the worker must handle)."""

    def __init__(self, broker):
        self._broker = broker
        self._channel = None

    def publish(self, message, envelope):
        if envelope:
            body = {"messageId": str(uuid.uuid4()), "messageType": ["urn:message:%s" % STACK_ACQUIRED], "message": message}
            content_type = "application/vnd.masstransit+json"
        else:
            body, content_type = message, "application/json"
        while True:
            try:
                if self._channel is None or self._channel.is_closed:
                    self._channel = self._broker.connect().channel()
                    self._channel.confirm_delivery()
                self._channel.basic_publish(STACK_ACQUIRED, "", json.dumps(body).encode(), mandatory=True,
                                            properties=pika.BasicProperties(content_type=content_type, delivery_mode=2,
                                                                            message_id=str(uuid.uuid4())))
                return
            except (pika.exceptions.AMQPError, pika.exceptions.UnroutableError, OSError) as error:
                log("publish of %s retried: %s" % (message["stackId"], type(error).__name__))
                self._channel = None
                time.sleep(1)


def stack_tiff(seed, shape):
    """A bright-field-like single-channel OME-TIFF at the models' voxel size."""
    generator = numpy.random.default_rng(seed)
    z, y, x = numpy.indices(shape, dtype=numpy.float32)
    data = 100 + 10 * numpy.sin(0.3 * x + 0.2 * y + 0.1 * z + seed) + generator.random(shape, dtype=numpy.float32)
    path = "/dev/shm/soak-%d.ome.tiff" % os.getpid()
    tifffile.imwrite(path, data.astype(numpy.float32), ome=True,
                     metadata={"axes": "ZYX", "PhysicalSizeX": 0.29, "PhysicalSizeY": 0.29, "PhysicalSizeZ": 0.29,
                               "Channel": {"Name": ["bright-field"]}})
    with open(path, "rb") as file:
        data = file.read()
    os.remove(path)
    return data


class Soak:
    def __init__(self, arguments):
        self.arguments = arguments
        self.random = random.Random(arguments.seed)
        self.broker = Broker(os.environ["RABBITMQ_URL"], os.environ["SOAK_RABBITMQCTL"], os.environ["SOAK_RABBIT_NODE"],
                             os.environ["SOAK_RABBIT_HOME"])
        self.storage = Storage(int(os.environ["SOAK_AZURITE_PID"]))
        self.blobs = BlobService(os.environ["AZURE_BLOB_CONNECTION_STRING"])
        self.batch = "soak-%s" % time.strftime("%Y%m%d-%H%M%S")
        self.good, self.bad, self.duplicates = [], {}, 0
        self.faults = []
        self.published = threading.Event()

    def prepare(self):
        for container in (INPUTS, OUTPUTS):
            self.blobs.create_container(container)
        for structure in ("dna", "membrane"):
            folder = os.path.join(self.arguments.models, structure)
            for name in os.listdir(folder):
                with open(os.path.join(folder, name), "rb") as file:
                    self.blobs.put(OUTPUTS, "models/%s/v1/%s" % (structure, name), file.read())
        settings = {
            "LabelFree:Broker:Url": os.environ["RABBITMQ_URL"],
            "LabelFree:Storage:Kind": "AzureBlob",
            "LabelFree:Storage:ConnectionString": os.environ["AZURE_BLOB_CONNECTION_STRING"],
            "LabelFree:Storage:InputContainer": INPUTS,
            "LabelFree:Storage:OutputContainer": OUTPUTS,
            "LabelFree:Storage:ModelContainer": OUTPUTS,
            "LabelFree:Models:0:Structure": "dna",
            "LabelFree:Models:0:Location:Prefix": "models/dna/v1/",
            "LabelFree:Models:1:Structure": "membrane",
            "LabelFree:Models:1:Location:Prefix": "models/membrane/v1/",
            "LabelFree:Prediction:CpuThreads": "1",
        }
        self.workers = [Worker("worker-%d" % i, self.arguments.dll, settings, port, self.arguments.work)
                        for i, port in enumerate(self.arguments.ports)]
        for worker in self.workers:
            worker.start()
        for worker in self.workers:
            worker.wait_ready()
        self.events = EventLog(self.broker)
        self.events.start()

    def message(self, stack, name, structures=None, channel=0):
        message = {"stackId": stack, "batchId": self.batch, "input": {"container": INPUTS, "name": name},
                   "modality": "BrightField", "transmittedLightChannel": {"index": channel}}
        if structures:
            message["structures"] = structures
        return message

    def publish_all(self):
        publisher = Publisher(self.broker)
        shape = tuple(self.arguments.shape)
        later = []
        kinds = list(BAD_KINDS)
        for i in range(self.arguments.stacks):
            stack = "s%03d" % i
            name = "%s/%s.ome.tiff" % (self.batch, stack)
            envelope = i % 3 != 0
            if i % 20 == 19:
                kind = kinds[(i // 20) % len(kinds)]
                self.bad[stack] = kind
                data = stack_tiff(i, shape)
                message = self.message(stack, name)
                if kind == "not-a-tiff":
                    self.blobs.put(INPUTS, name, b"plate 3, well B4: focus drifted")
                elif kind == "truncated":
                    self.blobs.put(INPUTS, name, data[: len(data) // 2])
                elif kind == "missing":
                    message = self.message(stack, "%s/never-uploaded.ome.tiff" % self.batch)
                else:
                    self.blobs.put(INPUTS, name, data)
                    if kind == "unknown-structure":
                        message = self.message(stack, name, structures=["mitochondria"])
                    else:
                        message = self.message(stack, name, channel=5)
            else:
                self.good.append(stack)
                self.blobs.put(INPUTS, name, stack_tiff(i, shape))
                message = self.message(stack, name)
                if i % 10 == 4:
                    later.append((time.monotonic() + self.random.uniform(0.5, 20), message))
            publisher.publish(message, envelope)
            for due, duplicate in [entry for entry in later if entry[0] <= time.monotonic()]:
                later.remove((due, duplicate))
                publisher.publish(duplicate, envelope=False)
                self.duplicates += 1
            time.sleep(self.arguments.interval)
        for _, duplicate in later:
            publisher.publish(duplicate, envelope=False)
            self.duplicates += 1
        self.published.set()
        log("published %d stacks (%d bad) and %d duplicates" % (self.arguments.stacks, len(self.bad), self.duplicates))

    def inject_faults(self):
        start = time.monotonic()
        broker_at, storage_at = start + 45, start + 100
        next_kill = start + self.random.uniform(30, 60)
        while not (self.published.is_set() and self.done()):
            now = time.monotonic()
            if broker_at and now >= broker_at:
                log("fault: broker restart")
                self.broker.restart()
                self.faults.append("broker restart")
                broker_at = None
            elif storage_at and now >= storage_at:
                log("fault: storage outage (%d s)" % self.arguments.outage)
                self.storage.outage(self.arguments.outage)
                self.faults.append("storage outage %d s" % self.arguments.outage)
                storage_at = None
            elif now >= next_kill:
                worker = self.random.choice(self.workers)
                log("fault: kill -9 %s" % worker.name)
                worker.kill()
                self.faults.append("kill -9 %s" % worker.name)
                time.sleep(self.random.uniform(2, 5))
                worker.start()
                next_kill = time.monotonic() + self.random.uniform(30, 60)
            time.sleep(0.5)

    def done(self):
        events = self.events.snapshot()
        answered = {event["stackId"] for kind, event in events if kind == "predicted"}
        rejected = {event["stackId"] for kind, event in events if kind == "rejected"}
        return all(stack in answered for stack in self.good) and all(stack in rejected for stack in self.bad)

    def run(self):
        self.prepare()
        started = time.monotonic()
        faults = threading.Thread(target=self.inject_faults, daemon=True)
        faults.start()
        self.publish_all()
        deadline = time.monotonic() + self.arguments.patience
        while not self.done() and time.monotonic() < deadline:
            events = self.events.snapshot()
            log("waiting: %d events, %d predicted of %d good, %d rejected of %d bad" % (
                len(events), len({e["stackId"] for k, e in events if k == "predicted"}), len(self.good),
                len({e["stackId"] for k, e in events if k == "rejected"}), len(self.bad)))
            time.sleep(10)
        faults.join(timeout=120)
        elapsed = time.monotonic() - started
        for worker in self.workers:
            worker.stop()
        time.sleep(2)
        self.events.stop()
        return self.account(elapsed)

    def account(self, elapsed):
        events = self.events.snapshot()
        predicted = {}
        for kind, event in events:
            if kind == "predicted":
                predicted.setdefault(event["stackId"], []).append(event)
        lost = [stack for stack in self.good if stack not in predicted]

        # Every manifest against the blob it names, and every event against its manifest.
        mismatched = []
        names = set(self.blobs.list(OUTPUTS, "predictions/%s/" % self.batch))
        for stack, announced in predicted.items():
            manifest = json.loads(self.blobs.get(OUTPUTS, "predictions/%s/%s/manifest.json" % (self.batch, stack)))
            output = manifest["output"]
            if sha256(self.blobs.get(OUTPUTS, output["location"]["name"])) != output["sha256"]:
                mismatched.append("%s: SHA-256 of %s differs from its manifest" % (stack, output["location"]["name"]))
            for event in announced:
                if event["output"]["name"] != output["location"]["name"]:
                    mismatched.append("%s: an event names %s, the manifest %s" % (stack, event["output"]["name"], output["location"]["name"]))
        attempts = {}
        for name in names:
            parts = name.split("/")
            if len(parts) > 3 and parts[3].startswith("attempt-"):
                attempts.setdefault(parts[2], set()).add(parts[3])
        orphaned = sorted("%s/%s" % (stack, folder) for stack, folders in attempts.items() for folder in folders
                          if not any(folder in event["output"]["name"] for event in predicted.get(stack, [])))

        # reused: false twice is allowed (docs/worker.md) only as the identical announcement of one result.
        twice = []
        for stack, announced in predicted.items():
            first = [json.dumps(event, sort_keys=True) for event in announced if not event["reused"]]
            if len(first) > 1 and len(set(first)) > 1:
                twice.append(stack)
        repeated_first = sum(1 for announced in predicted.values() if sum(1 for e in announced if not e["reused"]) > 1)

        wrong_rejections = []
        for stack, kind in self.bad.items():
            reasons = [event["reason"] for k, event in events if k == "rejected" and event["stackId"] == stack]
            if reasons != [BAD_KINDS[kind]] * len(reasons) or not reasons:
                wrong_rejections.append("%s (%s): %s" % (stack, kind, reasons or "no rejection"))
        unexpected_rejections = sorted({event["stackId"] for kind, event in events if kind == "rejected" and event["stackId"] not in self.bad})
        faults = [event.get("message", {}).get("stackId") for kind, event in events if kind == "fault"]
        errors = self.broker.queue_depth("stack-acquired_error")
        report = {
            "stacks": self.arguments.stacks, "good": len(self.good), "bad": len(self.bad), "duplicatesPublished": self.duplicates,
            "seconds": round(elapsed, 1), "faults": self.faults, "workerKills": sum(w.kills for w in self.workers),
            "events": len(events), "lost": lost, "mismatched": mismatched, "orphanedAttemptFolders": orphaned,
            "announcedNewTwiceDiffering": twice, "announcedNewTwiceIdentical": repeated_first - len(twice),
            "wrongRejections": wrong_rejections, "unexpectedRejections": unexpected_rejections,
            "faultEvents": faults, "errorQueue": errors,
        }
        print(json.dumps(report, indent=2))
        print("soak: %d stacks (%d good, %d bad, %d duplicates) in %.0f s with %s: %d lost, %d mismatched, %d in _error, "
              "%d fault events, %d wrong rejections, %d announced new twice with different content"
              % (self.arguments.stacks, len(self.good), len(self.bad), self.duplicates, elapsed, ", ".join(self.faults),
                 len(lost), len(mismatched), errors, len(faults), len(wrong_rejections) + len(unexpected_rejections), len(twice)))
        failed = lost or mismatched or errors or faults or wrong_rejections or unexpected_rejections or twice
        return 1 if failed else 0


def main():
    # SIGTERM (a stopped soak) unwinds like Ctrl+C, so the finally below stops the workers it started.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stacks", type=int, default=200)
    parser.add_argument("--shape", type=int, nargs=3, default=[16, 64, 64], metavar=("Z", "Y", "X"))
    parser.add_argument("--interval", type=float, default=0.75, help="seconds between two published stacks")
    parser.add_argument("--outage", type=int, default=15, help="seconds of the storage outage")
    parser.add_argument("--patience", type=float, default=600, help="seconds to wait for the last results")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dll", required=True)
    parser.add_argument("--models", required=True, help="folder with dna/ and membrane/ model bundles")
    parser.add_argument("--work", required=True, help="folder for worker logs")
    parser.add_argument("--ports", type=int, nargs=2, required=True)
    soak = Soak(parser.parse_args())
    try:
        return soak.run()
    finally:
        for worker in getattr(soak, "workers", []):
            if worker.process and worker.process.poll() is None:
                worker.process.kill()
        soak.storage.stop()


if __name__ == "__main__":
    sys.exit(main())
