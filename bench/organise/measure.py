"""Times representative library queries against a running server: p50/p95/max of N requests
each (first page of 100 with its total), after two warm-up requests."""
import http.client, json, statistics, sys, time, urllib.parse

base, token, project, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
host = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(host.hostname, host.port)
H = {"authorization": f"Bearer {token}", "content-type": "application/json"}

def call(method, path, body=None):
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=H)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300:
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None

def collection(name, f):
    c = call("POST", f"/api/v1/projects/{project}/collections", {"name": name, "kind": "smart", "filter": f})
    return f"/api/v1/collections/{c['id']}/assets?limit=100"

def listing(f=None, q=None):
    qs = {"limit": "100"}
    if f is not None:
        qs["filter"] = json.dumps(f)
    if q is not None:
        qs["q"] = q
    path = "search" if q is not None else "assets"
    return f"/api/v1/projects/{project}/{path}?" + urllib.parse.urlencode(qs)

cases = [
    ("library, newest first", listing()),
    ("smart: 5-star photos", collection("5-star photos", {"all": [{"field": "rating", "op": "gte", "value": 5}, {"field": "media_type", "op": "eq", "value": "image"}]})),
    ("smart: approved, tagged hero, for instagram", collection("Hero selects", {"all": [{"field": "status", "op": "eq", "value": "approved"}, {"field": "tags", "op": "contains", "value": "hero"}, {"field": "platforms", "op": "contains", "value": "instagram"}]})),
    ("smart: overdue or due this week", collection("Due", {"any": [{"field": "due_date", "op": "lt", "value": "today"}, {"field": "due_date", "op": "between", "value": ["start_of_week", "end_of_week"]}]})),
    ("smart: unresolved comments", collection("Open notes", {"field": "has_unresolved_comments", "op": "eq", "value": True})),
    ("filter: camera model contains 'r5', lens set", listing({"all": [{"field": "camera_model", "op": "contains", "value": "r5"}, {"field": "lens", "op": "is_set"}]})),
    ("filter: video longer than 5 min", listing({"all": [{"field": "media_type", "op": "eq", "value": "video"}, {"field": "duration", "op": "gt", "value": 300}]})),
    ("search: comment word 'flamingo'", listing(q="flamingo")),
    ("search: prefix 'gold'", listing(q="gold")),
    ("search: misspelled 'nikn d850'", listing(q="nikn d850")),
    ("search + filter: 'hero' photos rated 4+", listing({"field": "rating", "op": "gte", "value": 4}, q="hero")),
]
print(f"{'query':48} {'total':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
for name, path in cases:
    for _ in range(2):
        call("GET", path)
    times, total = [], 0
    for _ in range(reps):
        t = time.perf_counter()
        body = call("GET", path)
        times.append((time.perf_counter() - t) * 1000)
        total = body["total"]
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{name:48} {total:>7} {statistics.median(times):>8.1f} {p95:>8.1f} {times[-1]:>8.1f}")
