"""Catena storage backend for SGLang HiCache (L3), over Catena's HTTP gateway.

Standard library only. Plug it in with HiCache's dynamic backend:

    --hicache-storage-backend dynamic
    --hicache-storage-backend-extra-config '{"backend_name": "catena",
        "module_path": "catena_hicache", "class_name": "CatenaHiCacheStorage",
        "gateway_url": "http://gateway:8080", "token_file": "/etc/catena/token"}'

Keys are HiCache's page hashes (strings); a page's previous key in its prefix chain is sent with
each put so that Catena evicts chain tails before heads, and batch_exists answers the length of the
leading run of keys present, which is HiCache's contract. Values travel as raw bytes: a batch is one
HTTP request whose body is a JSON manifest line followed by the values back to back (see
docs/gateway.md); nothing is base64-encoded.
"""

import http.client
import ssl
import json
import os
import threading
import urllib.parse

try:  # subclass HiCache's interface when SGLang is installed; work standalone otherwise
    from sglang.srt.mem_cache.hicache_storage import HiCacheStorage as _Base
except Exception:  # pragma: no cover - SGLang absent
    _Base = object

MAX_BATCH = 1024


class CatenaError(RuntimeError):
    """A request the gateway refused or could not serve: HTTP status, error code, message."""

    def __init__(self, status, code, message):
        super().__init__("%s %s: %s" % (status, code, message))
        self.status = status
        self.code = code


class CatenaHiCacheStorage(_Base):
    """HiCache's storage interface (get/set/exists and batch forms) on a Catena tenant."""

    def __init__(self, storage_config=None, gateway_url=None, token=None, key_prefix="",
                 timeout=60.0, **_ignored):
        extra = {}
        if storage_config is not None:
            extra = dict(getattr(storage_config, "extra_config", None) or {})
        url = gateway_url or extra.get("gateway_url") or os.environ.get("CATENA_GATEWAY_URL")
        if not url:
            raise ValueError("set gateway_url (or CATENA_GATEWAY_URL)")
        token = token or extra.get("token") or os.environ.get("CATENA_TOKEN")
        token_file = extra.get("token_file") or os.environ.get("CATENA_TOKEN_FILE")
        if not token and token_file:
            with open(token_file, encoding="utf-8") as f:
                token = f.read().strip()
        if not token:
            raise ValueError("set token, token_file, CATENA_TOKEN or CATENA_TOKEN_FILE")
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https"):
            raise ValueError("gateway_url must be https://host:port (or http:// on loopback), got %r"
                             % url)
        self._host = parsed.hostname
        self._port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self._tls = None
        if parsed.scheme == "https":
            # A TLS cluster's gateway is verified against the cluster CA ('catena up' prints it).
            ca_file = extra.get("ca_file") or os.environ.get("CATENA_CA_FILE")
            self._tls = ssl.create_default_context(cafile=ca_file)
        self._auth = "Bearer " + token
        self._prefix = key_prefix or extra.get("key_prefix", "")
        if storage_config is not None and not key_prefix and "key_prefix" not in extra:
            # one namespace per model and TP rank, as HiCache's other backends do
            model = getattr(storage_config, "model_name", "") or ""
            rank = getattr(storage_config, "tp_rank", 0)
            size = getattr(storage_config, "tp_size", 1)
            is_mla = getattr(storage_config, "is_mla_model", False)
            self._prefix = "%s/%s/" % (model.replace("/", "_"), "mla" if is_mla else
                                       "%d-%d" % (rank, size))
        self._timeout = timeout
        self._local = threading.local()

    # ---- HTTP ---------------------------------------------------------------------------

    def _conn(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._tls is not None:
                conn = http.client.HTTPSConnection(self._host, self._port, timeout=self._timeout,
                                                   context=self._tls)
            else:
                conn = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
            self._local.conn = conn
        return conn

    def _request(self, method, path, body=None, headers=None):
        all_headers = {"Authorization": self._auth}
        if headers:
            all_headers.update(headers)
        for attempt in (1, 2):
            conn = self._conn()
            try:
                conn.request(method, path, body=body, headers=all_headers)
                resp = conn.getresponse()
                data = resp.read()
                return resp.status, data
            except (http.client.HTTPException, OSError):
                conn.close()
                self._local.conn = None
                if attempt == 2:
                    raise

    @staticmethod
    def _fail(status, data):
        try:
            err = json.loads(data.decode("utf-8"))
            raise CatenaError(status, err.get("error", "?"), err.get("message", ""))
        except (ValueError, UnicodeDecodeError):
            raise CatenaError(status, "HTTP", data[:200])

    def _key(self, key):
        return self._prefix + key

    def _key_path(self, key):
        return "/v1/kv/keys/" + urllib.parse.quote(self._key(key), safe="")

    # ---- single keys --------------------------------------------------------------------

    def exists(self, key, extra_info=None):
        return self.batch_exists([key]) == 1

    def get(self, key, target_location=None, target_sizes=None):
        status, data = self._request("GET", self._key_path(key))
        if status == 404:
            return None
        if status != 200:
            self._fail(status, data)
        return _deliver(data, target_location)

    def set(self, key, value=None, target_location=None, target_sizes=None, prev_key=None):
        return self.batch_set([key], [value if value is not None else target_location],
                              prev_keys=[prev_key])

    def delete(self, key):
        status, data = self._request("DELETE", self._key_path(key))
        if status not in (204, 404):
            self._fail(status, data)
        return status == 204

    # ---- batches ------------------------------------------------------------------------

    def batch_exists(self, keys, extra_info=None):
        """How many leading keys are present (HiCache: the L3 hit length in pages)."""
        total = 0
        for start in range(0, len(keys), MAX_BATCH):
            part = keys[start:start + MAX_BATCH]
            body = json.dumps({"keys": [self._key(k) for k in part]}).encode("utf-8")
            status, data = self._request("POST", "/v1/kv/batch/exists", body,
                                         {"Content-Type": "application/json"})
            if status != 200:
                self._fail(status, data)
            n = json.loads(data)["prefix"]
            total += n
            if n < len(part):
                break
        return total

    def batch_get(self, keys, target_locations=None, target_sizes=None):
        """Values of keys (None where absent); with target_locations, fills those buffers."""
        out = []
        for start in range(0, len(keys), MAX_BATCH):
            part = keys[start:start + MAX_BATCH]
            body = json.dumps({"keys": [self._key(k) for k in part]}).encode("utf-8")
            status, data = self._request("POST", "/v1/kv/batch/get", body,
                                         {"Content-Type": "application/json"})
            if status != 200:
                self._fail(status, data)
            newline = data.index(b"\n")
            lengths = json.loads(data[:newline])["lengths"]
            view = memoryview(data)[newline + 1:]
            at = 0
            for i, n in enumerate(lengths):
                if n < 0:
                    out.append(None)
                    continue
                target = None
                if target_locations is not None:
                    target = target_locations[start + i]
                out.append(_deliver(view[at:at + n], target))
                at += n
        return out

    def batch_set(self, keys, values=None, target_locations=None, target_sizes=None,
                  prev_keys=None, chain=False, overwrite=False):
        """Puts values; True when every one is stored (or was there already).

        prev_keys names each page's previous key; chain=True takes the previous key of the list
        (HiCache backs up one prefix run at a time)."""
        values = values if values is not None else target_locations
        if len(values) != len(keys):
            raise ValueError("one value per key")
        ok = True
        for start in range(0, len(keys), MAX_BATCH):
            items = []
            blobs = []
            for i in range(start, min(len(keys), start + MAX_BATCH)):
                blob = _as_bytes(values[i])
                prev = None
                if prev_keys is not None and prev_keys[i]:
                    prev = prev_keys[i]
                elif chain and i > 0:
                    prev = keys[i - 1]
                item = {"key": self._key(keys[i]), "length": len(blob)}
                if prev:
                    item["prev_key"] = self._key(prev)
                items.append(item)
                blobs.append(blob)
            manifest = json.dumps({"items": items, "overwrite": overwrite}).encode("utf-8")
            body = b"".join([manifest, b"\n"] + blobs)
            status, data = self._request("POST", "/v1/kv/batch/put", body,
                                         {"Content-Type": "application/x-catena-batch"})
            if status != 200:
                self._fail(status, data)
            statuses = json.loads(data)["statuses"]
            ok = ok and all(s in ("STORED", "EXISTS") for s in statuses)
        return ok

    def batch_delete(self, keys):
        body = json.dumps({"keys": [self._key(k) for k in keys]}).encode("utf-8")
        status, data = self._request("POST", "/v1/kv/batch/delete", body,
                                     {"Content-Type": "application/json"})
        if status != 200:
            self._fail(status, data)
        return json.loads(data)["deleted"]

    def stats(self):
        status, data = self._request("GET", "/v1/kv/stats")
        if status != 200:
            self._fail(status, data)
        return json.loads(data)

    def clear(self):
        raise NotImplementedError("Catena's gateway has no 'drop every key' call; delete keys "
                                  "or let eviction and TTLs reclaim them")


def _as_bytes(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return value if isinstance(value, bytes) else bytes(value)
    numpy = getattr(value, "numpy", None)  # a CPU torch tensor
    if numpy is not None:
        return numpy().tobytes()
    tobytes = getattr(value, "tobytes", None)
    if tobytes is not None:
        return tobytes()
    raise TypeError("cannot send a value of type %s" % type(value).__name__)


def _deliver(data, target):
    if target is None:
        return bytes(data)
    if isinstance(target, (bytearray, memoryview)):
        view = memoryview(target).cast("B")
        if len(view) < len(data):
            raise ValueError("target of %d bytes for a value of %d" % (len(view), len(data)))
        view[:len(data)] = data
        return target
    numpy = getattr(target, "numpy", None)  # a CPU torch tensor: copy into its memory
    if numpy is not None:
        flat = memoryview(numpy()).cast("B")
        flat[:len(data)] = data
        return target
    raise TypeError("cannot fill a target of type %s" % type(target).__name__)
