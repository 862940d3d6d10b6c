#!/usr/bin/python3
"""A small LabelFree client in Python: submit one stack, wait for its result, open the prediction.

Needs Debian's python3-pika (and python3-tifffile / python3-zarr to open the result). It talks to the worker the
way docs/messages.md describes, with nothing from .NET:

  1. copies the transmitted-light image into the worker's local-folder store (LabelFree:Storage:Kind=Local:
     one sub-folder per container under LabelFree:Storage:LocalRoot);
  2. binds a private queue to the StackPredicted and StackRejected exchanges (before publishing, so the answer
     cannot be missed);
  3. publishes StackAcquired as plain JSON (content type application/json, persistent, publisher confirms,
     mandatory: an unroutable message, e.g. with no worker started yet, is an error rather than lost);
  4. waits for the StackPredicted or StackRejected of this (batchId, stackId) and opens the prediction it names.

Example:
  labelfree_client.py --amqp amqp://guest:guest@localhost:5672/ --store-root labelfree-data \\
      --image field.ome.tiff --batch plate-1 --stack well-B4 --channel 0

It prints one JSON line: the event ("StackPredicted" or "StackRejected") and, for a prediction, what the OME-TIFF
holds (axes, shape, channel names, value range). Exit code 0: predicted; 2: rejected; 1: no answer in time.
"""
import argparse
import json
import os
import shutil
import sys
import time
import uuid

import pika

STACK_ACQUIRED = "LabelFree.Messages:StackAcquired"
STACK_PREDICTED = "LabelFree.Messages:StackPredicted"
STACK_REJECTED = "LabelFree.Messages:StackRejected"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--amqp", required=True, help="the broker, e.g. amqp://guest:guest@localhost:5672/")
    parser.add_argument("--store-root", required=True, help="the worker's LabelFree:Storage:LocalRoot folder")
    parser.add_argument("--input-container", default="inputs", help="the worker's LabelFree:Storage:InputContainer")
    parser.add_argument("--image", required=True, help="the transmitted-light TIFF / OME-TIFF to predict")
    parser.add_argument("--batch", required=True, help="batchId")
    parser.add_argument("--stack", required=True, help="stackId")
    parser.add_argument("--channel", default="0", help="transmitted-light channel: an index, or a channel name")
    parser.add_argument("--modality", default="BrightField", choices=["BrightField", "Dic", "Em"])
    parser.add_argument("--structure", action="append", default=[], help="a structure to predict (default: all)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the answer")
    return parser.parse_args()


def put_input(arguments):
    """The local-folder store keeps blob {container}/{name} at {root}/{container}/{name}."""
    name = "%s/%s" % (arguments.batch, os.path.basename(arguments.image))
    target = os.path.join(arguments.store_root, arguments.input_container, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(arguments.image, target)
    return {"container": arguments.input_container, "name": name}


def stack_acquired(arguments, input_location):
    channel = {"index": int(arguments.channel)} if arguments.channel.isdigit() else {"name": arguments.channel}
    return {
        "stackId": arguments.stack,
        "batchId": arguments.batch,
        "input": input_location,
        "modality": arguments.modality,
        "transmittedLightChannel": channel,
        "structures": arguments.structure or None,
        "metadata": {"client": "examples/python/labelfree_client.py"},
    }


def subscribe(channel):
    """A private queue bound to both result exchanges (declared as MassTransit declares them: fanout, durable)."""
    queue = channel.queue_declare(queue="", exclusive=True, auto_delete=True).method.queue
    for exchange in (STACK_PREDICTED, STACK_REJECTED):
        channel.exchange_declare(exchange, exchange_type="fanout", durable=True)
        channel.queue_bind(queue, exchange)
    return queue


def publish(channel, message):
    channel.confirm_delivery()
    try:
        channel.basic_publish(
            exchange=STACK_ACQUIRED, routing_key="", body=json.dumps(message).encode("utf-8"),
            properties=pika.BasicProperties(content_type="application/json", delivery_mode=2, message_id=str(uuid.uuid4())),
            mandatory=True)
    except pika.exceptions.UnroutableError:
        raise SystemExit("StackAcquired could not be routed: is a LabelFree worker running on this broker?")


def wait_for_answer(channel, queue, batch, stack, timeout):
    """The event (MassTransit envelope: the contract is under "message") for this stack, or None."""
    deadline = time.monotonic() + timeout
    for method, properties, body in channel.consume(queue, inactivity_timeout=1):
        if method is not None:
            channel.basic_ack(method.delivery_tag)
            envelope = json.loads(body)
            event = envelope.get("message", envelope)
            if event.get("batchId") == batch and event.get("stackId") == stack:
                kind = "StackPredicted" if method.exchange == STACK_PREDICTED else "StackRejected"
                channel.cancel()
                return kind, event
        if time.monotonic() > deadline:
            channel.cancel()
            return None, None


def open_prediction(path):
    """What a Python user sees: the OME-TIFF through tifffile (axes, shape, channel names), or an OME-Zarr through zarr."""
    if path.endswith(".zarr"):
        import zarr
        group = zarr.open_group(path, mode="r")
        data = group[group.attrs["multiscales"][0]["datasets"][0]["path"]][:]
        axes = "".join(a["name"] for a in group.attrs["multiscales"][0]["axes"]).upper()
        names = [c["label"] for c in group.attrs["omero"]["channels"]]
    else:
        import tifffile
        with tifffile.TiffFile(path) as tif:
            series = tif.series[0]
            data = series.asarray()
            axes = series.axes
            names = []
            if tif.ome_metadata:
                import xml.etree.ElementTree as ElementTree
                root = ElementTree.fromstring(tif.ome_metadata)
                names = [e.get("Name") for e in root.iter() if e.tag.endswith("}Channel")]
    return {"path": path, "axes": axes, "shape": list(data.shape), "dtype": str(data.dtype),
            "channels": names, "min": float(data.min()), "max": float(data.max())}


def main():
    arguments = parse_arguments()
    input_location = put_input(arguments)
    connection = pika.BlockingConnection(pika.URLParameters(arguments.amqp))
    try:
        channel = connection.channel()
        queue = subscribe(channel)
        publish(channel, stack_acquired(arguments, input_location))
        kind, event = wait_for_answer(channel, queue, arguments.batch, arguments.stack, arguments.timeout)
    finally:
        connection.close()

    if kind is None:
        print(json.dumps({"event": None, "error": "no answer within %g s" % arguments.timeout}))
        return 1
    result = {"event": kind, "message": event}
    if kind == "StackPredicted":
        output = event["output"]
        result["prediction"] = open_prediction(os.path.join(arguments.store_root, output["container"], output["name"]))
    print(json.dumps(result))
    return 0 if kind == "StackPredicted" else 2


if __name__ == "__main__":
    sys.exit(main())
