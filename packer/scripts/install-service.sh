#!/usr/bin/env bash
# install-service.sh installs one bluestream binary as a systemd service
# running as its own unprivileged system user.
#
#   SERVICE      unit and user name (ble-ingest, bluestream-simulator)
#   BINARY       path of the uploaded binary
#   UNIT_FILE    path of the uploaded systemd unit
#   ENV_CONTENT  lines for /etc/bluestream/$SERVICE.env (no secrets)
set -euo pipefail
: "${SERVICE:?}" "${BINARY:?}" "${UNIT_FILE:?}" "${ENV_CONTENT:?}"

if ! id -u "${SERVICE}" >/dev/null 2>&1; then
	useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "${SERVICE}"
fi
install -m 0755 -o root -g root "${BINARY}" "/usr/local/bin/${SERVICE}"
install -d -m 0755 /etc/bluestream
printf '%s\n' "${ENV_CONTENT}" >"/etc/bluestream/${SERVICE}.env"
chmod 0644 "/etc/bluestream/${SERVICE}.env"
install -m 0644 -o root -g root "${UNIT_FILE}" "/etc/systemd/system/${SERVICE}.service"
rm -f "${BINARY}" "${UNIT_FILE}"
systemctl daemon-reload
systemctl enable "${SERVICE}.service"
systemd-analyze verify "/etc/systemd/system/${SERVICE}.service"
