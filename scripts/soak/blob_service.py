"""Azure Blob storage over its REST API with Shared Key signing: the few calls the soak needs, with nothing from
.NET and no Azure SDK (Debian's python3-azure is half a gigabyte). Speaks to Azurite or a real account alike."""
import base64
import datetime
import hashlib
import hmac
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

API_VERSION = "2021-08-06"


class BlobService:
    def __init__(self, connection_string):
        settings = dict(part.split("=", 1) for part in connection_string.split(";") if part)
        self.account = settings["AccountName"]
        self.key = base64.b64decode(settings["AccountKey"])
        self.endpoint = settings["BlobEndpoint"].rstrip("/")

    def create_container(self, container):
        self._request("PUT", container, query={"restype": "container"}, allow=(409,))

    def put(self, container, name, data, content_type="application/octet-stream"):
        self._request("PUT", "%s/%s" % (container, name), body=data,
                      headers={"x-ms-blob-type": "BlockBlob", "Content-Type": content_type})

    def get(self, container, name):
        return self._request("GET", "%s/%s" % (container, name))

    def list(self, container, prefix=""):
        """Every blob name under the prefix, following continuation markers."""
        names, marker = [], ""
        while True:
            query = {"restype": "container", "comp": "list", "prefix": prefix}
            if marker:
                query["marker"] = marker
            root = ElementTree.fromstring(self._request("GET", container, query=query))
            names += [blob.findtext("Name") for blob in root.iter("Blob")]
            marker = root.findtext("NextMarker") or ""
            if not marker:
                return names

    def _request(self, method, path, query=None, body=b"", headers=None, allow=(), patience=180):
        """Retried while the service cannot be reached (the soak takes storage away on purpose)."""
        deadline = time.monotonic() + patience
        while True:
            try:
                return self._send(method, path, query, body, headers, allow)
            except urllib.error.URLError as error:
                if isinstance(error, urllib.error.HTTPError) or time.monotonic() > deadline:
                    raise
                time.sleep(1)
            except ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def _send(self, method, path, query, body, headers, allow):
        query = query or {}
        headers = dict(headers or {})
        if method == "PUT":
            # Named here so that it is signed: urllib would add a form content type of its own.
            headers.setdefault("Content-Type", "application/octet-stream")
        headers["x-ms-date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")
        headers["x-ms-version"] = API_VERSION
        url = "%s/%s" % (self.endpoint, urllib.parse.quote(path))
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers["Authorization"] = "SharedKey %s:%s" % (self.account, self._signature(method, url, query, body, headers))
        request = urllib.request.Request(url, data=body if method == "PUT" else None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            if error.code in allow:
                return b""
            raise RuntimeError("%s %s: %d %s" % (method, path, error.code, error.read()[:300])) from error

    def _signature(self, method, url, query, body, headers):
        lowered = {name.lower(): value for name, value in headers.items()}
        length = str(len(body)) if body else ""
        canonical_headers = "".join("%s:%s\n" % (name, lowered[name]) for name in sorted(lowered) if name.startswith("x-ms-"))
        # Path-style endpoints (Azurite) keep the account in the path, so it appears twice.
        resource = "/%s%s" % (self.account, urllib.parse.urlparse(url).path)
        resource += "".join("\n%s:%s" % (name.lower(), query[name]) for name in sorted(query, key=str.lower))
        to_sign = "\n".join([method, "", "", length, "", lowered.get("content-type", ""), "", "", "", "", "", ""])
        to_sign += "\n" + canonical_headers + resource
        return base64.b64encode(hmac.new(self.key, to_sign.encode("utf-8"), hashlib.sha256).digest()).decode("ascii")


def sha256(data):
    return hashlib.sha256(data).hexdigest()
