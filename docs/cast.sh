# The cast of every example in README.md and docs/ (docs/walkthrough.md introduces it).
# In the repository root, in the shell where you run the examples:   . docs/cast.sh
# It reads the local province's credentials; PORT and HHC_DATA_DIR (absolute or relative) as for npm start.

BASE=http://127.0.0.1:${PORT:-8080}                 # the local province
HUB=$BASE/hub                                       # the provincial hub (operator API)
BD=$BASE/cities/baoding                             # the Baoding city node
TS=$BASE/cities/tangshan                            # the Tangshan city node
CREDS=$(node -p 'require("path").resolve(process.argv[1], "local-credentials.json")' "${HHC_DATA_DIR:-.data}")

# cred '<expression over c, the credentials file>'
cred() { node -p "const c = require(process.argv[1]); $1" "$CREDS"; }
# json <dotted.path>: one field of the JSON on stdin (entry.0.resource.id), like jq -r
json() { node -e 'let v = JSON.parse(require("fs").readFileSync(0, "utf8")); for (const k of process.argv[1].split(".")) v = v?.[k]; console.log(typeof v === "string" ? v : JSON.stringify(v))' "$1"; }

# the operator's credential; a level-3 hospital in Baoding and one in Tangshan, their credentials and
# practitioners[0] of each, a licensed doctor (local-credentials.json lists doctors first)
eval "$(cred 'const bd = c.hospitals.find(h => h.cityId === "baoding" && h.level === 3);
  const ts = c.hospitals.find(h => h.cityId === "tangshan" && h.level === 3);
  `OP=${c.operator} BD_ID=${bd.id} BD_TOKEN=${bd.credential} BD_DOC=${bd.practitioners[0]}
   TS_ID=${ts.id} TS_TOKEN=${ts.credential} TS_DOC=${ts.practitioners[0]}`')"

# the resident: 张建国 (Zhang Jianguo), male, born 1960-05-20 in Baoding's Jingxiu district (130602).
# GB 11643 check character: the first 17 digits weighted 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 sum to
# 190; 190 mod 11 = 3, and "10X98765432"[3] = 9.
RESIDENT_ID=130602196005200119
MRN=000123                                          # his record number at the Baoding hospital
