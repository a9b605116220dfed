# Device simulator image for load and demo rigs: an AMI in eu-central-1 that
# runs the bluestream simulator (a fleet of virtual BLE devices and gateways)
# as a systemd unit, streaming to a configurable ingest endpoint.

packer {
  required_version = ">= 1.11.0"
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = ">= 1.8.0"
    }
  }
}

locals {
  name = "bluestream-device-simulator-${var.image_version}-${formatdate("YYYYMMDDhhmmss", timestamp())}"
  tags = {
    "bluestream.io/image"   = "device-simulator"
    "bluestream.io/version" = var.image_version
  }
}

source "amazon-ebs" "device-simulator" {
  region        = var.aws_region
  ami_name      = local.name
  instance_type = var.arch == "arm64" ? "c7g.large" : "c7i.large"
  source_ami_filter {
    filters = {
      name                = "debian-12-${var.arch}-*"
      virtualization-type = "hvm"
      root-device-type    = "ebs"
    }
    owners      = [var.debian_aws_owner]
    most_recent = true
  }
  ssh_username                = "admin"
  associate_public_ip_address = false
  ssh_interface               = "session_manager"
  iam_instance_profile        = var.aws_build_instance_profile
  encrypt_boot                = true
  imds_support                = "v2.0"
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
  tags          = merge(local.tags, { Name = local.name })
  run_tags      = local.tags
  snapshot_tags = local.tags
}

build {
  name    = "device-simulator"
  sources = ["source.amazon-ebs.device-simulator"]

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    scripts         = ["${path.root}/../scripts/harden.sh"]
  }

  # Built by `make` before Packer runs.
  provisioner "file" {
    source      = "${var.binaries_dir}/linux_${var.arch}/bluestream-simulator"
    destination = "/tmp/bluestream-simulator"
    generated   = true
  }

  provisioner "file" {
    source      = "${path.root}/../files/bluestream-simulator.service"
    destination = "/tmp/bluestream-simulator.service"
  }

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    environment_vars = [
      "SERVICE=bluestream-simulator",
      "BINARY=/tmp/bluestream-simulator",
      "UNIT_FILE=/tmp/bluestream-simulator.service",
      "ENV_CONTENT=${join("\n", [
        "BLUESTREAM_INGEST_ENDPOINT=${var.ingest_endpoint}",
        "BLUESTREAM_REGISTRY_ENDPOINT=${var.registry_endpoint}",
        "BLUESTREAM_SIM_DEVICES=${var.simulated_devices}",
        "BLUESTREAM_SIM_GATEWAYS=${var.simulated_gateways}",
        "BLUESTREAM_LOG_FORMAT=json",
        "OTEL_SERVICE_NAME=bluestream-simulator",
      ])}",
    ]
    scripts = ["${path.root}/../scripts/install-service.sh"]
  }

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    scripts         = ["${path.root}/../scripts/cleanup.sh"]
  }

  post-processor "manifest" {
    output     = "${path.root}/../../dist/packer/device-simulator-manifest.json"
    strip_path = true
  }
}
