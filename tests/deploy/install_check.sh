#!/usr/bin/env bash
# Installs the built .debs into a throwaway copy of this machine (overlayfs over /, own mount
# namespace, chroot) and checks what an admin gets: users, config without accounts, the first
# admin by `wartemarke staff add`, a working CURVE server and back-office gateway, purge.
# Usage: install_check.sh DEB_DIR WORK_DIR CMD_PORT EVENT_PORT HTTP_PORT   (as root; prints "INSTALL-CHECK OK" at the end)
set -euo pipefail
DEBS=$(realpath "$1") WORK=$(realpath "$2") PORTS="$3 $4 $5"

if [ -z "${WM_IN_NAMESPACE:-}" ]; then
  # Re-run inside a private mount namespace: nothing we mount or install reaches the host.
  exec env WM_IN_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi

# The writable layer on its own tmpfs: overlayfs refuses an upper dir inside its lower one.
mount -t tmpfs -o size=2g tmpfs "$WORK"
ROOT=$WORK/root
mkdir -p "$WORK/upper" "$WORK/work" "$ROOT"
mount -t overlay overlay -o "lowerdir=/,upperdir=$WORK/upper,workdir=$WORK/work" "$ROOT"
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
mount -t tmpfs tmpfs "$ROOT/run"
mount -t tmpfs tmpfs "$ROOT/tmp"
mkdir -p "$ROOT/tmp/debs"
cp "$DEBS"/*.deb "$ROOT/tmp/debs/"

chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin PORTS="$PORTS" bash -euo pipefail -c '
step() { echo "== $*"; }
read -r CP EP H <<<"$PORTS"; C=tcp://127.0.0.1:$CP E=tcp://127.0.0.1:$EP
# Stale copies from an earlier run of this machine must not stand in for the packages.
rm -f /usr/bin/wartemarke /usr/bin/wartemarke-server /usr/bin/wartemarke-backoffice

step "install the four packages"
dpkg -i /tmp/debs/wartemarke-common_*.deb /tmp/debs/wartemarke-server_*.deb /tmp/debs/wartemarke-kiosk_*.deb /tmp/debs/wartemarke-counter_*.deb
dpkg -s wartemarke-common wartemarke-server wartemarke-kiosk wartemarke-counter | grep -c "Status: install ok installed" | grep -qx 4

step "service user and config"
getent passwd wartemarke | grep -q ":/var/lib/wartemarke:"
stat -c "%U:%G %a %n" /etc/wartemarke/*.toml
for f in /etc/wartemarke/*.toml; do [ "$(stat -c %G:%a "$f")" = wartemarke:640 ]; done
grep -Eq "^transport *= *\"curve\"" /etc/wartemarke/county.toml
for b in wartemarke wartemarke-server wartemarke-kiosk wartemarke-display wartemarke-hw wartemarke-counter wartemarke-dashboard; do
  [ -x /usr/bin/$b ] || { echo "missing /usr/bin/$b"; exit 1; }
  if ldd /usr/bin/$b | grep "not found"; then exit 1; fi
done
setpriv --reuid=wartemarke --regid=wartemarke --init-groups wartemarke --config /etc/wartemarke/county.toml config check

step "the server as the service user, as its unit starts it"
install -d -o wartemarke -g wartemarke -m 0700 /var/lib/wartemarke   # what StateDirectory= does
# The packaged county keeps real opening hours and a kiosk is refused when the office is closed:
# the broker clock starts at 09:00 on the next Thursday (Görlitz open), so the check passes at any hour.
OPEN_AT=$(TZ=Europe/Berlin date -d "next thursday" +%F)T09:00
setpriv --reuid=wartemarke --regid=wartemarke --init-groups \
  wartemarke-server --config /etc/wartemarke/county.toml --data /var/lib/wartemarke \
  --commands "$C" --events "$E" --http 127.0.0.1:$H --clock-start "$OPEN_AT" >/tmp/server.log 2>&1 &
SERVER=$!
healthz() { exec 3<>/dev/tcp/127.0.0.1/$H && printf "GET /healthz HTTP/1.0\r\n\r\n" >&3 && cat <&3; exec 3>&-; }
for i in $(seq 100); do healthz 2>/dev/null | grep -q "^ok seq=" && break; sleep 0.1; done
healthz | tail -1
healthz | grep -q "^ok seq=0"
[ "$(stat -c %U:%a /var/lib/wartemarke/keys/server.key)" = wartemarke:600 ]

step "an admin key, registered the documented way"
PUB=$(wartemarke keys create admin-cli --out /root)   # prints the public key
runuser -u wartemarke -- wartemarke keys --keys /var/lib/wartemarke/keys register admin-cli --role admin --public "$PUB"
export WARTEMARKE_KEY=/root/admin-cli.key WARTEMARKE_SERVER_KEY=/var/lib/wartemarke/keys/server.pub
sleep 0.5   # the ZAP handler rereads the registry within ~200 ms
wartemarke --config /etc/wartemarke/county.toml --server "$C" issue --office goerlitz --service kfz-neu
STATUS=$(wartemarke --config /etc/wartemarke/county.toml --server "$C" status)
echo "$STATUS" | head -3
echo "$STATUS" | grep "rlitz" | grep -q "1"
if env -u WARTEMARKE_KEY -u WARTEMARKE_SERVER_KEY timeout 10 wartemarke --config /etc/wartemarke/county.toml --server "$C" status >/dev/null 2>&1; then
  echo "a client without a key was served"; exit 1
fi
grep -q "refused" /tmp/server.log

step "no default accounts; the first admin made with wartemarke staff add (PIN on stdin)"
wartemarke --config /etc/wartemarke/county.toml --json staff list | tr -d " \n" | grep -qx "\[\]"
printf "1234\n" | wartemarke --config /etc/wartemarke/county.toml staff add chefin --role admin && exit 1
printf "k7Pq9x2\n" | wartemarke --config /etc/wartemarke/county.toml staff add chefin --role admin --name "Erste Admin"
[ "$(stat -c %U:%G:%a /etc/wartemarke/staff.toml)" = root:wartemarke:640 ]
grep -q "argon2id" /etc/wartemarke/staff.toml && ! grep -q k7Pq9x2 /etc/wartemarke/staff.toml
setpriv --reuid=wartemarke --regid=wartemarke --init-groups wartemarke --config /etc/wartemarke/county.toml config check

step "the back-office gateway with its own key (role backoffice), as its unit runs it"
getent passwd wartemarke-backoffice >/dev/null
GPUB=$(wartemarke keys create eakte-gateway --out /etc/wartemarke/keys)
chown wartemarke-backoffice /etc/wartemarke/keys/eakte-gateway.key
cp /var/lib/wartemarke/keys/server.pub /etc/wartemarke/keys/server.pub
runuser -u wartemarke -- wartemarke keys --keys /var/lib/wartemarke/keys register eakte-gateway --role backoffice --all-offices --public "$GPUB"
printf "WARTEMARKE_KEY=/etc/wartemarke/keys/eakte-gateway.key\nWARTEMARKE_SERVER_KEY=/etc/wartemarke/keys/server.pub\nWARTEMARKE_DROP_DIR=/srv/wartemarke/eakte-eingang\n" >/etc/wartemarke/backoffice.env
install -d -o wartemarke-backoffice -g wartemarke-backoffice -m 0750 /srv/wartemarke/eakte-eingang
gateway() {  # what the unit runs: its user, its group wartemarke, its environment file (exec: call it
  # in a subshell; $! is then the gateway itself, and kill -TERM stops it, not just the shell)
  exec setpriv --reuid=wartemarke-backoffice --regid=wartemarke-backoffice --groups wartemarke "$@" \
    wartemarke-backoffice --config /etc/wartemarke/county.toml --drop-dir /srv/wartemarke/eakte-eingang \
    --commands "$C" --events "$E" --poll-ms 200
}
# Without its key it stops at once, with status 2 and the reason.
set +e; ( unset WARTEMARKE_KEY WARTEMARKE_SERVER_KEY; gateway ) >/tmp/nokey.log 2>&1; ST=$?; set -e
cat /tmp/nokey.log; [ "$ST" = 2 ] && grep -q "WARTEMARKE_KEY" /tmp/nokey.log
( set -a; . /etc/wartemarke/backoffice.env; set +a; gateway ) >/tmp/gateway.log 2>&1 &
GATEWAY=$!
step "a visitor: ticket from the kiosk key, served and forwarded, delivered, status page"
KPUB=$(wartemarke keys create goerlitz-kiosk-1 --out /root)
runuser -u wartemarke -- wartemarke keys --keys /var/lib/wartemarke/keys register goerlitz-kiosk-1 --role kiosk --office goerlitz --public "$KPUB"
sleep 0.5
TICKET=$(WARTEMARKE_KEY=/root/goerlitz-kiosk-1.key wartemarke --config /etc/wartemarke/county.toml --server "$C" --json issue --office goerlitz --service kfz-neu --source kiosk)
echo "$TICKET" | head -5
NUMBER=$(echo "$TICKET" | grep -o "\"number\": *\"[A-Z]*[0-9]*\"" | head -1 | grep -o "[A-Z]*[0-9][0-9]*")
TOKEN=$(echo "$TICKET" | grep -o "\"token\": *\"[^\"]*\"" | head -1 | sed "s/.*: *\"//; s/\"$//")
[ -n "$NUMBER" ] && [ -n "$TOKEN" ]
# The status page of the visitor (the QR code on the ticket), over HTTP from the CURVE server.
page() { exec 3<>/dev/tcp/127.0.0.1/$H && printf "GET /t/%s HTTP/1.0\r\n\r\n" "$1" >&3 && cat <&3; exec 3>&-; }
page "$TOKEN" >/tmp/page.html
head -1 /tmp/page.html | grep -q " 200" && grep -q "$NUMBER" /tmp/page.html
# A kiosk key may not work a counter.
if WARTEMARKE_KEY=/root/goerlitz-kiosk-1.key wartemarke --config /etc/wartemarke/county.toml --server "$C" open goerlitz-1 2>/dev/null; then
  echo "a kiosk key opened a counter"; exit 1
fi
wartemarke --config /etc/wartemarke/county.toml --server "$C" open goerlitz-1
wartemarke --config /etc/wartemarke/county.toml --server "$C" call goerlitz-1 "$NUMBER"
wartemarke --config /etc/wartemarke/county.toml --server "$C" start goerlitz-1
wartemarke --config /etc/wartemarke/county.toml --server "$C" finish goerlitz-1 --forward --outcome "Unterlagen fehlen"
for i in $(seq 100); do ls /srv/wartemarke/eakte-eingang/*.json >/dev/null 2>&1 && break; sleep 0.1; done
cat /tmp/gateway.log
grep -q "(CURVE)" /tmp/gateway.log
grep -q "\"format\": \"wartemarke-case\"" /srv/wartemarke/eakte-eingang/*.json
kill -TERM $GATEWAY; wait $GATEWAY || true
kill -TERM $SERVER; wait $SERVER || true
ls /var/lib/wartemarke/journal.sqlite

step "remove and purge"
dpkg -r wartemarke-kiosk wartemarke-counter
dpkg --purge wartemarke-server wartemarke-common
[ ! -e /usr/bin/wartemarke-server ] && [ ! -e /usr/bin/wartemarke-backoffice ] && [ ! -e /etc/wartemarke/county.toml ] && [ ! -e /usr/share/wartemarke/i18n ]
echo "INSTALL-CHECK OK"
'
