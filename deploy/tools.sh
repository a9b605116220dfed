#!/usr/bin/env bash
# tools.sh installs the pinned validation tools used by deploy/check.sh into a
# cache directory and prints nothing but progress on stderr. It is idempotent:
# a tool whose binary is already cached at the pinned version is not rebuilt.
#
# Usage: deploy/tools.sh            (installs everything)
#        deploy/tools.sh kustomize  (installs only the named tools)
#
# Cache: $BLUESTREAM_TOOLS_DIR, default $HOME/.cache/bluestream/tools.
set -euo pipefail

KUSTOMIZE_VERSION=v5.8.2
KUBECONFORM_VERSION=v0.8.0
ACTIONLINT_VERSION=v1.7.12
PACKER_VERSION=v1.15.0
PACKER_AMAZON_VERSION=v1.8.2

export GOTOOLCHAIN=local GOWORK=off GOFLAGS=-buildvcs=false CGO_ENABLED=0
TOOLS_DIR="${BLUESTREAM_TOOLS_DIR:-${HOME}/.cache/bluestream/tools}"
BIN="${TOOLS_DIR}/bin"
mkdir -p "${BIN}"

log() { printf 'tools: %s\n' "$*" >&2; }

# have NAME VERSION succeeds when the cached binary for that version exists.
have() { [[ -x "${BIN}/$1-$2" ]]; }

# link NAME VERSION points the unversioned name at the pinned build.
link() { ln -sfn "$1-$2" "${BIN}/$1"; }

go_install() { # name version package
	local name=$1 version=$2 pkg=$3
	if have "${name}" "${version}"; then link "${name}" "${version}"; return; fi
	log "building ${name} ${version}"
	local tmp
	tmp=$(mktemp -d)
	GOBIN="${tmp}" go install "${pkg}@${version}"
	# The binary is the only file; its name drops a /vN major suffix.
	mv "${tmp}"/* "${BIN}/${name}-${version}"
	rm -rf "${tmp}"
	link "${name}" "${version}"
}

# source_build MODULE VERSION OUT builds a module's main package from its
# downloaded source; used where `go install` cannot list versions.
source_build() {
	local module=$1 version=$2 out=$3 dir tmp
	dir=$(go mod download -json "${module}@${version}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[[ -n "${dir}" ]] || { log "cannot download ${module}@${version}"; return 1; }
	tmp=$(mktemp -d)
	cp -R "${dir}/." "${tmp}/"
	chmod -R u+w "${tmp}"
	(cd "${tmp}" && go build -trimpath -o "${out}" .)
	rm -rf "${tmp}"
}

install_kustomize() { go_install kustomize "${KUSTOMIZE_VERSION}" sigs.k8s.io/kustomize/kustomize/v5; }
install_kubeconform() { go_install kubeconform "${KUBECONFORM_VERSION}" github.com/yannh/kubeconform/cmd/kubeconform; }
install_actionlint() { go_install actionlint "${ACTIONLINT_VERSION}" github.com/rhysd/actionlint/cmd/actionlint; }

install_packer() {
	if ! have packer "${PACKER_VERSION}"; then
		log "building packer ${PACKER_VERSION} from source (a few minutes)"
		source_build github.com/hashicorp/packer "${PACKER_VERSION}" "${BIN}/packer-${PACKER_VERSION}.tmp"
		mv "${BIN}/packer-${PACKER_VERSION}.tmp" "${BIN}/packer-${PACKER_VERSION}"
	fi
	link packer "${PACKER_VERSION}"
}

# install_packer_amazon builds the amazon plugin and registers it in
# PACKER_PLUGIN_PATH. A failed build is not fatal: check.sh falls back to
# `packer validate -syntax-only` for templates whose plugin is missing.
install_packer_amazon() {
	local v=${PACKER_AMAZON_VERSION#v} out
	out="${TOOLS_DIR}/plugin-build/packer-plugin-amazon_v${v}_x5.0_$(go env GOOS)_$(go env GOARCH)"
	export PACKER_PLUGIN_PATH="${TOOLS_DIR}/packer-plugins"
	if [[ -d "${PACKER_PLUGIN_PATH}/github.com/hashicorp/amazon" ]]; then return; fi
	if [[ -e "${TOOLS_DIR}/plugin-build/amazon-${v}.failed" ]]; then return 1; fi
	mkdir -p "${TOOLS_DIR}/plugin-build"
	log "building packer-plugin-amazon ${PACKER_AMAZON_VERSION} from source (a few minutes)"
	if ! source_build github.com/hashicorp/packer-plugin-amazon "${PACKER_AMAZON_VERSION}" "${out}"; then
		touch "${TOOLS_DIR}/plugin-build/amazon-${v}.failed"
		return 1
	fi
	"${BIN}/packer" plugins install --path "${out}" github.com/hashicorp/amazon >&2
}

install_shellcheck() {
	if command -v shellcheck >/dev/null 2>&1; then return; fi
	log "installing shellcheck (Debian package)"
	if [[ $(id -u) -eq 0 ]]; then
		apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >&2
	else
		sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >&2
	fi
}

main() {
	local tools=("$@")
	if [[ ${#tools[@]} -eq 0 ]]; then
		tools=(shellcheck kustomize kubeconform actionlint packer packer_amazon)
	fi
	local t
	for t in "${tools[@]}"; do
		"install_${t}"
	done
}

main "$@"
