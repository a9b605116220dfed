#!/usr/bin/env bash
# check.sh validates everything under deploy/, packer/ and .github/ offline:
#
#   - shellcheck on provisioning and helper scripts
#   kustomize build  every overlay, then kubeconform -strict against the JSON
#                    schemas kept in deploy/schemas (core kinds, Argo Rollouts,
#                    KEDA, Strimzi), which must reject k8stest/testdata/invalid
#   go test          deploy/k8stest: probes, limits, PDB, NetworkPolicy and an
#                    analysed Rollout per service; German regions only;
#                    the MirrorMaker 2 allow-list; and deploy/schemas up to date;
#                    deploy/functions: the SAM template and Azure Functions apps
#   actionlint       .github/workflows
#   packer           fmt -check, and validate (full where the plugin is built,
#                    -syntax-only otherwise); a non-German region must fail
#   systemd-analyze  verify the image's systemd units, where available
#
# Tools are installed at pinned versions by deploy/tools.sh into
# $BLUESTREAM_TOOLS_DIR (default $HOME/.cache/bluestream/tools). Exits non-zero
# on the first failing step; the last line says how many steps passed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "${ROOT}"
export GOTOOLCHAIN=local CHECKPOINT_DISABLE=1
export BLUESTREAM_TOOLS_DIR="${BLUESTREAM_TOOLS_DIR:-${HOME}/.cache/bluestream/tools}"
BIN="${BLUESTREAM_TOOLS_DIR}/bin"
export PACKER_PLUGIN_PATH="${BLUESTREAM_TOOLS_DIR}/packer-plugins"
export PACKER_CONFIG_DIR="${BLUESTREAM_TOOLS_DIR}/packer-config"
export PATH="${BIN}:${PATH}"

passed=0
step() { # step NAME CMD...: run one check, timing it.
	local name=$1 start=${SECONDS}
	shift
	printf '== %s\n' "${name}"
	if ! "$@"; then
		printf 'FAIL %s\n' "${name}"
		printf 'deploy-check: %d passed, 1 failed\n' "${passed}"
		exit 1
	fi
	passed=$((passed + 1))
	printf 'ok   %s (%ds)\n' "${name}" $((SECONDS - start))
}

install_tools() {
	# The amazon plugin is optional: without it packer falls back to -syntax-only.
	bash deploy/tools.sh shellcheck kustomize kubeconform actionlint packer
	bash deploy/tools.sh packer_amazon || echo "packer-plugin-amazon unavailable: amazon templates get -syntax-only"
}

run_shellcheck() {
	local scripts=()
	mapfile -t scripts < <(git ls-files -co --exclude-standard -- 'deploy/*.sh' 'packer/*.sh' '.github/*.sh' | sort -u)
	printf '%s\n' "${scripts[@]}"
	shellcheck -x "${scripts[@]}"
}

render_and_validate() {
	local out overlay
	out=$(mktemp -d)
	for overlay in deploy/k8s/overlays/*/; do
		overlay=${overlay%/}
		kustomize build "${overlay}" >"${out}/$(basename "${overlay}").yaml"
		printf '%s: ' "${overlay}"
		kubeconform -strict -summary -output text \
			-schema-location 'deploy/schemas/{{.ResourceKind}}{{.KindSuffix}}.json' \
			"${out}/$(basename "${overlay}").yaml"
	done
	rm -rf "${out}"
}

# The schemas must be strict enough to fail: each file in testdata/invalid
# breaks one rule and must be rejected on its own.
schemas_reject_invalid() {
	local f
	for f in deploy/k8stest/testdata/invalid/*.yaml; do
		if kubeconform -strict -schema-location 'deploy/schemas/{{.ResourceKind}}{{.KindSuffix}}.json' "${f}" >/dev/null 2>&1; then
			echo "${f}: accepted, want rejected"
			return 1
		fi
		echo "${f}: rejected"
	done
}

go_tests() {
	# GOWORK=off: the deploy module does not depend on the services building.
	(cd deploy && GOWORK=off BLUESTREAM_REQUIRE_TOOLS=1 KUSTOMIZE="${BIN}/kustomize" go test -count=1 ./...)
}

schemas_up_to_date() {
	local dir out
	dir=$(cd deploy && GOWORK=off go mod download -json sigs.k8s.io/kustomize/kyaml@v0.21.2 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	out=$(mktemp -d)
	(cd deploy && GOWORK=off go run ./cmd/schemagen \
		-bundle "${dir}/openapi/kubernetesapi/data/kubernetes-openapi-union-v1.21.2.bundle-v1.json.gz" -out "${out}")
	local f rc=0
	for f in "${out}"/*.json; do
		if ! cmp -s "${f}" "deploy/schemas/$(basename "${f}")"; then
			echo "deploy/schemas/$(basename "${f}") is stale: rerun deploy/cmd/schemagen"
			rc=1
		fi
	done
	rm -rf "${out}"
	return "${rc}"
}

run_actionlint() {
	actionlint -color=false .github/workflows/*.yml
}

packer_fmt() {
	packer fmt -check -diff -recursive packer
}

# plugins_installed DIR succeeds when every plugin the template requires is built.
plugins_installed() {
	local src
	while read -r src; do
		[[ -d "${PACKER_PLUGIN_PATH}/${src}" ]] || return 1
	done < <(sed -n 's/^[[:space:]]*source[[:space:]]*=[[:space:]]*"\(github.com\/[^"]*\)".*/\1/p' "$1"/*.pkr.hcl)
}

packer_validate() {
	local dir
	while read -r dir; do
		if plugins_installed "${dir}"; then
			printf '%s (full): ' "${dir}"
			packer validate "${dir}"
		else
			printf '%s (-syntax-only, plugin not built): ' "${dir}"
			packer validate -syntax-only "${dir}"
		fi
	done < <(find packer -name '*.pkr.hcl' -exec dirname {} \; | sort -u)
}

# The region guard in the variables must reject a non-German region; only a
# full validate evaluates variable validation, so this needs the amazon plugin.
packer_region_guard() {
	if ! plugins_installed packer/device-simulator; then
		echo "skipped: packer-plugin-amazon not built"
		return 0
	fi
	local dir
	for dir in packer/device-simulator packer/k8s-node/aws; do
		if packer validate -var aws_region=eu-west-1 "${dir}" >/dev/null 2>&1; then
			echo "${dir}: accepted aws_region=eu-west-1"
			return 1
		fi
		echo "${dir}: rejects aws_region=eu-west-1"
	done
}

verify_units() {
	if ! command -v systemd-analyze >/dev/null 2>&1; then
		echo "skipped: systemd-analyze not installed"
		return 0
	fi
	local tmp unit
	tmp=$(mktemp -d)
	for unit in packer/files/*.service; do
		# Point ExecStart at a binary that exists here; the rest is verified as shipped.
		sed 's#^ExecStart=/usr/local/bin/[^ ]*#ExecStart=/bin/true#' "${unit}" >"${tmp}/$(basename "${unit}")"
		systemd-analyze verify "${tmp}/$(basename "${unit}")"
		echo "${unit}: ok"
	done
	rm -rf "${tmp}"
}

step "install pinned tools" install_tools
step "shellcheck" run_shellcheck
step "kustomize build + kubeconform" render_and_validate
step "kubeconform rejects invalid manifests" schemas_reject_invalid
step "go test deploy/k8stest" go_tests
step "schemas up to date" schemas_up_to_date
step "actionlint" run_actionlint
step "packer fmt" packer_fmt
step "packer validate" packer_validate
step "packer region guard" packer_region_guard
step "systemd units" verify_units
printf 'deploy-check: %d passed, 0 failed\n' "${passed}"
