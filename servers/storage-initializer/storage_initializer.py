#!/usr/bin/env python3
"""Copy a model from a URI into a folder: the storage initializer of seldonj.

Usage: storage_initializer.py <uri> <dest>

The operator runs this as a unit's init container with args ``<modelUri> /mnt/models`` and the
unit's secret as environment (``envFrom``). What each URI means (docs/storage-initializer.md):

- ``gs://bucket/path``, ``s3://bucket/path``, any ``<remote>://path``: the rclone remote named by
  the scheme (``RCLONE_CONFIG_<REMOTE>_*`` environment);
- ``<remote>:path`` (also ``:backend:path``): passed to rclone as it is;
- ``file:///path``, ``/path`` (``/mnt/pvc/...`` for a ``pvc://`` URI, which the controller mounts
  there), ``pvc://claim/path``: copied from the local file system;
- ``http://``, ``https://``: one file, saved under the last segment of the URL's path.

The copy goes into a staging folder inside ``<dest>`` and is moved into place only when complete;
on failure what was written is removed and one line names the URI and the cause. Python 3 standard
library only, plus the ``rclone`` program for remotes.
"""

import collections
import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PROG = "storage-initializer"
STAGING_PREFIX = ".storage-initializer-staging-"
TERMINATION_LOG = "/dev/termination-log"
PVC_MOUNT = "/mnt/pvc"

# rclone's global flags that bound every wait; a RCLONE_<FLAG> variable in the environment (which
# rclone reads itself) replaces the default here.
RCLONE_LIMITS = {
    "contimeout": "5s",
    "timeout": "30s",
    "retries": "2",
    "low-level-retries": "2",
    "retries-sleep": "1s",
}

# Schemes that are not rclone remotes.
HTTP_SCHEMES = ("http://", "https://")
LOCAL_SCHEME = "file://"
PVC_SCHEME = "pvc://"

# A remote's name as rclone accepts it (letters, digits, '_', '-', '.', '+', '@' and spaces).
REMOTE_URI = re.compile(r"^([A-Za-z0-9_][-A-Za-z0-9_.+@ ]*):(.*)$", re.DOTALL)
SCHEME_URI = re.compile(r"^([A-Za-z0-9_][-A-Za-z0-9_.+@]*)://(.*)$", re.DOTALL)


class CopyError(Exception):
    """A failed copy: ``cause`` is the one-line reason, ``detail`` the tool's own words."""

    def __init__(self, cause, detail=""):
        super().__init__(cause)
        self.cause = cause
        self.detail = detail


def log(message):
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def truthy(value):
    return value is not None and value.strip().lower() in ("1", "true", "yes", "on")


def falsy(value):
    return value is not None and value.strip().lower() in ("0", "false", "no", "off")


def duration_seconds(text, default):
    """An rclone duration ("10s", "1m30s", "500ms", "2h") in seconds; ``default`` when unreadable."""
    if text is None:
        return default
    text = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    total, pos = 0.0, 0
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    for m in re.finditer(r"(\d+(?:\.\d+)?)(ms|s|m|h)", text):
        if m.start() != pos:
            return default
        total += float(m.group(1)) * units[m.group(2)]
        pos = m.end()
    return total if pos == len(text) and pos > 0 else default


def rclone_env_name(remote, key):
    """The variable rclone reads for option ``key`` of remote ``remote``."""
    return ("RCLONE_CONFIG_" + remote + "_" + key).upper().replace("-", "_")


# ---------------------------------------------------------------------------------------------
# What a URI names


class Source:
    """kind is "rclone" (target = rclone path, remote = remote name or ""), "local" (target = path)
    or "http" (target = URL)."""

    def __init__(self, kind, target, remote=""):
        self.kind = kind
        self.target = target
        self.remote = remote


def parse_uri(uri):
    if uri.startswith(HTTP_SCHEMES):
        return Source("http", uri)
    if uri.startswith(LOCAL_SCHEME):
        path = urllib.parse.unquote(uri[len(LOCAL_SCHEME):])
        if not path.startswith("/"):
            raise CopyError("a file:// URI needs an absolute path (file:///path/to/model)")
        return Source("local", path)
    if uri.startswith(PVC_SCHEME):
        # The controller mounts the claim at /mnt/pvc and passes /mnt/pvc/<path>; the same when
        # the URI reaches us unchanged (a pod written by hand with the claim mounted there).
        _, _, path = uri[len(PVC_SCHEME):].partition("/")
        return Source("local", PVC_MOUNT + "/" + path)
    if uri.startswith("/"):
        return Source("local", uri)
    m = SCHEME_URI.match(uri)
    if m:
        remote, path = m.group(1), m.group(2).lstrip("/")
        return Source("rclone", f"{remote}:{path}", remote)
    if uri.startswith(":"):
        # An on-the-fly rclone remote, ":s3,provider=Minio:bucket/path".
        return Source("rclone", uri, "")
    m = REMOTE_URI.match(uri)
    if m:
        remote, path = m.group(1), m.group(2)
        return Source("rclone", f"{remote}:{path}", remote)
    raise CopyError("unsupported URI: expected gs://, s3://, <remote>:<path>, file://, an absolute "
                    "path, pvc:// or http(s)://")


# ---------------------------------------------------------------------------------------------
# rclone remotes from the environment


def configure_remote(remote, env):
    """Fills in the environment of well-known remotes that the secret leaves unconfigured, and
    returns a short description of how the remote is configured (never a secret's value)."""
    if not remote:
        return "on-the-fly remote"
    type_var = rclone_env_name(remote, "type")
    if remote.lower() == "s3" and not env.get(type_var):
        return configure_s3_from_aws(remote, env)
    if remote.lower() == "gs" and not env.get(type_var):
        # What Seldon's image presets, so that running outside the image behaves the same.
        env[type_var] = "google cloud storage"
        env.setdefault(rclone_env_name(remote, "anonymous"), "true")
    if remote.lower() == "gs" and env.get("GOOGLE_APPLICATION_CREDENTIALS") \
            and not env.get(rclone_env_name(remote, "service_account_file")) \
            and not env.get(rclone_env_name(remote, "service_account_credentials")):
        env[rclone_env_name(remote, "service_account_file")] = env["GOOGLE_APPLICATION_CREDENTIALS"]
        env[rclone_env_name(remote, "anonymous")] = "false"
        return "gs remote with the service account file of GOOGLE_APPLICATION_CREDENTIALS"
    if env.get(type_var):
        endpoint = env.get(rclone_env_name(remote, "endpoint"))
        how = f"remote {remote!r} of type {env[type_var]!r} from {type_var}"
        if truthy(env.get(rclone_env_name(remote, "anonymous"))):
            how += ", anonymous"
        return how + (f", endpoint {endpoint}" if endpoint else "")
    return f"remote {remote!r} from rclone's config file ({type_var} is not set)"


def s3_endpoint_from_aws(env):
    """The endpoint URL of the older kfserving-style keys, or None for AWS itself."""
    plain_http = falsy(env.get("USE_SSL")) or falsy(env.get("S3_USE_HTTPS"))
    for key in ("AWS_ENDPOINT_URL", "S3_ENDPOINT"):
        value = (env.get(key) or "").strip()
        if value:
            if "://" not in value:
                value = ("http://" if plain_http else "https://") + value
            elif plain_http and value.startswith("https://"):
                value = "http://" + value[len("https://"):]
            return value
    return None


def configure_s3_from_aws(remote, env):
    env[rclone_env_name(remote, "type")] = "s3"
    endpoint = s3_endpoint_from_aws(env)
    env[rclone_env_name(remote, "provider")] = "Other" if endpoint else "AWS"
    how = "s3 remote from the AWS_* keys"
    key_id, secret = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")
    if key_id and secret:
        env[rclone_env_name(remote, "access_key_id")] = key_id
        env[rclone_env_name(remote, "secret_access_key")] = secret
        env[rclone_env_name(remote, "env_auth")] = "false"
        how += " (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"
    else:
        # No keys: the AWS SDK's own chain (web identity, instance role, shared files).
        env[rclone_env_name(remote, "env_auth")] = "true"
        how += " (no keys: the AWS SDK's credential chain)"
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
    if region:
        env[rclone_env_name(remote, "region")] = region
        how += f", region {region}"
    if endpoint:
        env[rclone_env_name(remote, "endpoint")] = endpoint
        env.setdefault(rclone_env_name(remote, "force_path_style"), "true")
        how += f", endpoint {endpoint}"
    return how


# ---------------------------------------------------------------------------------------------
# Why a copy failed, from rclone's own output

CAUSES = [
    # (pattern in rclone's output, cause); the first that matches wins.
    (r"didn't find section in config file|failed to create file system.*(not found|couldn't find)",
     "remote-config"),
    (r"NoSuchBucket|bucket does not exist|The specified bucket does not exist|"
     r"storage: bucket doesn't exist|googleapi: Error 404: The specified bucket|"
     r"Error 404: Not Found, notFound", "bucket"),
    (r"InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied|Access Denied|Forbidden|"
     r"Error 401|Error 403|status code: 40[13]|StatusCode: 40[13]|\b40[13]\b.*(Unauthorized|Forbidden)|"
     r"invalid_grant|NoCredentialProviders|no valid credentials|ExpiredToken|InvalidToken|"
     r"permission denied", "access"),
    # Connected but mute: rclone reports it either as the response-header timeout or as the
    # read deadline, whichever fires first; both are its --timeout.
    (r"timeout awaiting response headers|read tcp [^\n]*i/o timeout|"
     r"Client.Timeout exceeded while awaiting headers", "silent"),
    (r"connection refused|no such host|i/o timeout|dial tcp|context deadline exceeded|"
     r"network is unreachable|no route to host|TLS handshake timeout|connection reset|"
     r"server misbehaving|Client.Timeout|timeout awaiting", "unreachable"),
    (r"x509:|certificate", "tls"),
    (r"directory not found|object not found|doesn't exist|no such file or directory|"
     r"NoSuchKey|not found", "path"),
]


def classify(output):
    for pattern, cause in CAUSES:
        if re.search(pattern, output, re.IGNORECASE | re.MULTILINE):
            return cause
    return None


def describe(cause, source, env):
    bucket = bucket_of(source)
    remote = source.remote
    return {
        "remote-config": f"rclone remote {remote!r} is not configured (set "
                         f"{rclone_env_name(remote or 'REMOTE', 'type')} and its options in the secret)",
        "bucket": f"bucket {bucket!r} does not exist",
        "access": "access denied: check the secret's credentials and the bucket's permissions",
        "unreachable": "the storage endpoint is unreachable",
        "silent": f"the storage endpoint did not answer within {io_timeout(env):g}s (RCLONE_TIMEOUT)",
        "tls": "TLS error talking to the storage endpoint",
        "path": "path not found",
    }.get(cause, "copy failed")


TIMESTAMP = re.compile(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\s+")


def last_error_line(lines):
    """The most telling words of rclone's output: its last failure line (with the "caused by:"
    lines that continue it), else its last line; without rclone's timestamp."""
    picked = None
    for i in range(len(lines) - 1, -1, -1):
        if re.search(r"\bERROR\b|Failed to|CRITICAL", lines[i]):
            picked = i
            break
    if picked is None:
        return TIMESTAMP.sub("", lines[-1].strip()) if lines else ""
    text = TIMESTAMP.sub("", lines[picked].strip())
    for follow in lines[picked + 1:picked + 3]:
        if follow.strip().startswith("caused by:"):
            text += " " + follow.strip()
        else:
            break
    return text


BUCKET_TYPES = ("s3", "google cloud storage", "gcs", "azureblob", "b2", "swift", "oracleobjectstorage",
                "qingstor", "storj")


def bucket_of(source):
    path = source.target.split(":", 1)[1] if ":" in source.target else source.target
    return path.lstrip("/").split("/", 1)[0]


def bucket_exists(source, env):
    """Whether the bucket (first path segment) of an rclone source exists: True, False, or None
    when that cannot be told (other failures, non-bucket remotes)."""
    bucket = bucket_of(source)
    if not bucket or not source.remote:
        return None
    remote_type = (env.get(rclone_env_name(source.remote, "type")) or "").lower()
    if remote_type not in BUCKET_TYPES:
        return None
    args = ["rclone", "lsf", "--max-depth=1", f"{source.remote}:{bucket}"]
    args += rclone_flags(env, {"retries": "1", "low-level-retries": "1"})
    try:
        probe = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               errors="replace", timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if probe.returncode == 0:
        return True
    return False if classify(probe.stderr) in ("bucket", "path") else None


# ---------------------------------------------------------------------------------------------
# Copying


def rclone_flags(env, limits=None):
    """rclone's global flags for every run: the limits (unless the environment sets them) and the
    older keys' TLS settings; moves AWS_CA_BUNDLE to RCLONE_CA_CERT in env."""
    flags = []
    for flag, value in {**RCLONE_LIMITS, **(limits or {})}.items():
        if not env.get("RCLONE_" + flag.upper().replace("-", "_")):
            flags.append(f"--{flag}={value}")
    if falsy(env.get("S3_VERIFY_SSL")) and not env.get("RCLONE_NO_CHECK_CERTIFICATE"):
        flags.append("--no-check-certificate")
    ca_bundle = env.pop("AWS_CA_BUNDLE", None)
    if ca_bundle:
        # rclone's s3 backend (the AWS SDK inside it) fails on AWS_CA_BUNDLE ("unable to load custom
        # CA bundle"); rclone's own --ca-cert (RCLONE_CA_CERT) does the same job for every backend.
        env.setdefault("RCLONE_CA_CERT", ca_bundle)
    return flags + ["--ask-password=false"]


def rclone_copy(source, staging, env):
    args = ["rclone", "copy", source.target, staging] + rclone_flags(env)
    if not env.get("RCLONE_VERBOSE"):
        args.append("-v")
    args += ["--stats-one-line", "--stats=30s"]
    log(f"running rclone copy {source.target} {staging}")
    try:
        proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")
    except FileNotFoundError:
        raise CopyError("rclone is not installed (it is on the image; elsewhere: apt-get install rclone)")
    kept = collections.deque(maxlen=200)
    global CHILD
    CHILD = proc
    try:
        for line in proc.stdout:
            line = line.rstrip("\n")
            if "Config file" in line and "not found - using defaults" in line:
                continue
            kept.append(line)
            print(f"rclone: {line}", file=sys.stderr, flush=True)
        code = proc.wait()
    finally:
        CHILD = None
    if code != 0:
        cause = classify("\n".join(kept))
        detail = last_error_line(list(kept)) or f"rclone exit code {code}"
        if cause in ("path", None) and bucket_exists(source, env) is False:
            cause = "bucket"
        raise CopyError(describe(cause, source, env), detail)


def io_timeout(env):
    """rclone's --timeout (and the http path's) in seconds: RCLONE_TIMEOUT, else the default."""
    return duration_seconds(env.get("RCLONE_TIMEOUT"), duration_seconds(RCLONE_LIMITS["timeout"], 30))


def http_download(url, staging, env):
    path = urllib.parse.urlsplit(url).path
    name = os.path.basename(urllib.parse.unquote(path))
    if not name or name in (".", ".."):
        raise CopyError("an http(s) URI must name one file (its last path segment is the file name)")
    timeout = io_timeout(env)
    attempts = 1 + int(env.get("RCLONE_RETRIES") or RCLONE_LIMITS["retries"])
    sleep = duration_seconds(env.get("RCLONE_RETRIES_SLEEP"), 1)
    context = None
    if url.startswith("https://") and (falsy(env.get("S3_VERIFY_SSL")) or truthy(env.get("RCLONE_NO_CHECK_CERTIFICATE"))):
        context = ssl._create_unverified_context()
    target = os.path.join(staging, name)
    last = None
    for attempt in range(1, attempts + 1):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "seldonj-storage-initializer"})
            with urllib.request.urlopen(request, timeout=timeout, context=context) as response, \
                    open(target, "wb") as out:
                expected = response.headers.get("Content-Length")
                shutil.copyfileobj(response, out, 1 << 20)
                size = out.tell()
            if expected is not None and expected.isdigit() and int(expected) != size:
                raise CopyError("the download was cut short",
                                f"connection closed after {size} of {expected} bytes")
            log(f"downloaded {url} ({size} bytes) as {name}")
            return
        except urllib.error.HTTPError as e:
            detail = f"HTTP {e.code} {e.reason}"
            if e.code in (401, 403):
                raise CopyError("access denied: the server answered " + detail, detail)
            if e.code in (404, 410):
                raise CopyError("path not found", detail)
            if e.code < 500 and e.code != 429:
                raise CopyError("copy failed", detail)
            last = CopyError("copy failed", detail)
        except urllib.error.URLError as e:
            reason = e.reason
            if isinstance(reason, ssl.SSLError):
                raise CopyError("TLS error talking to the storage endpoint", str(reason))
            last = CopyError("the storage endpoint is unreachable", str(reason))
        except (socket.timeout, TimeoutError) as e:
            last = CopyError(f"the storage endpoint did not answer within {timeout:g}s (RCLONE_TIMEOUT)",
                             f"{type(e).__name__}: {e}")
        except (ConnectionError, http.client.HTTPException) as e:
            last = CopyError("the download was cut short", f"{type(e).__name__}: {e}")
        except CopyError as e:
            last = e
        if attempt < attempts:
            log(f"attempt {attempt}/{attempts} failed ({last.detail}); retrying in {sleep:g}s")
            time.sleep(sleep)
    raise last


def local_copy(path, staging):
    if not os.path.exists(path):
        if os.path.islink(path):
            raise CopyError("path not found", f"{path} is a dangling symbolic link")
        raise CopyError("path not found", f"{path} does not exist")
    try:
        if os.path.isdir(path):
            for entry in os.scandir(path):
                target = os.path.join(staging, entry.name)
                if entry.is_dir():
                    shutil.copytree(entry.path, target)
                else:
                    shutil.copy2(entry.path, target)
        else:
            shutil.copy2(path, os.path.join(staging, os.path.basename(path)))
    except PermissionError as e:
        raise CopyError("access denied: cannot read the source", str(e))
    except shutil.Error as e:
        first = e.args[0][0] if e.args and isinstance(e.args[0], list) and e.args[0] else e
        raise CopyError("copy failed", str(first))
    except OSError as e:
        raise CopyError("copy failed", str(e))


def inventory(folder):
    """(files, bytes, [(relative path, size)]) under folder."""
    entries = []
    for root, _, files in os.walk(folder):
        for name in files:
            full = os.path.join(root, name)
            entries.append((os.path.relpath(full, folder), os.path.getsize(full)))
    entries.sort()
    return len(entries), sum(size for _, size in entries), entries


def move_into_place(staging, dest):
    for name in sorted(os.listdir(staging)):
        target = os.path.join(dest, name)
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        elif os.path.lexists(target):
            os.remove(target)
        os.rename(os.path.join(staging, name), target)
    os.rmdir(staging)


def remove_stale_staging(dest):
    for name in os.listdir(dest):
        if name.startswith(STAGING_PREFIX):
            shutil.rmtree(os.path.join(dest, name), ignore_errors=True)


def write_termination_message(message):
    # Kubernetes creates the file when the pod names a terminationMessagePath; never create it.
    if os.path.isfile(TERMINATION_LOG) and os.access(TERMINATION_LOG, os.W_OK):
        try:
            with open(TERMINATION_LOG, "w") as f:
                f.write(message + "\n")
        except OSError:
            pass


CHILD = None
# Optional: the whole copy's budget in seconds (rclone's own limits bound each request already).
DEADLINE_VARIABLE = "STORAGE_INITIALIZER_DEADLINE"


def on_signal(signum, _frame):
    child = CHILD
    if child is not None and child.poll() is None:
        child.terminate()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
    if signum == signal.SIGALRM:
        raise CopyError(f"timed out after {DEADLINE_VARIABLE}={os.environ.get(DEADLINE_VARIABLE)} seconds")
    raise CopyError(f"stopped by signal {signal.Signals(signum).name}")


def copy(uri, dest, env):
    """Copies uri into dest; raises CopyError with dest left as it was."""
    source = parse_uri(uri)
    if os.path.exists(dest) and not os.path.isdir(dest):
        raise CopyError(f"the destination {dest} is not a folder")
    os.makedirs(dest, exist_ok=True)
    remove_stale_staging(dest)
    staging = os.path.join(dest, f"{STAGING_PREFIX}{os.getpid()}")
    os.mkdir(staging)
    try:
        if source.kind == "rclone":
            log(configure_remote(source.remote, env))
            rclone_copy(source, staging, env)
        elif source.kind == "http":
            http_download(source.target, staging, env)
        else:
            log(f"copying local path {source.target}")
            local_copy(source.target, staging)
        files, size, entries = inventory(staging)
        if files == 0:
            if source.kind == "rclone" and bucket_exists(source, env) is False:
                raise CopyError(describe("bucket", source, env))
            if source.kind == "local":
                raise CopyError(f"nothing to copy: the folder {source.target} holds no files")
            raise CopyError("nothing to copy: the path does not exist or its folder holds no files")
        signal.alarm(0)  # complete: moving into place is a few renames, never cut short by the deadline
        move_into_place(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shown = 20
    for rel, nbytes in entries[:shown]:
        log(f"  {rel} ({nbytes} bytes)")
    if len(entries) > shown:
        log(f"  ... and {len(entries) - shown} more files")
    log(f"copied {files} file{'s' if files != 1 else ''} ({size} bytes) from {uri} to {dest}")


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(f"usage: {os.path.basename(argv[0])} <uri> <dest>\n\n" + __doc__.split("\n\n", 2)[1],
              file=sys.stderr)
        return 0 if len(argv) == 2 and argv[1] in ("-h", "--help") else 2
    uri, dest = argv[1], argv[2]
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGALRM, on_signal)
    deadline = os.environ.get(DEADLINE_VARIABLE, "").strip()
    if deadline:
        if not deadline.isdigit() or int(deadline) <= 0:
            print(f"{PROG}: ERROR: {DEADLINE_VARIABLE} must be a whole number of seconds, not {deadline!r}",
                  file=sys.stderr)
            return 2
        signal.alarm(int(deadline))
    started = time.monotonic()
    try:
        copy(uri, dest, dict(os.environ))
    except CopyError as e:
        message = f"cannot copy {uri}: {e.cause}" + (f" ({e.detail})" if e.detail else "")
        message = message.replace("\n", " ")
        print(f"{PROG}: ERROR: {message}", file=sys.stderr, flush=True)
        write_termination_message(message)
        return 1
    log(f"done in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
