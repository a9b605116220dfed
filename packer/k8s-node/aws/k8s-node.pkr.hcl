# Kubernetes worker node AMI for the mirror cluster (EKS self-managed nodes)
# in eu-central-1: Debian 12, containerd, kubelet, hardened. The provisioning
# is shared with ../azure through ../../scripts.

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
  build_id = formatdate("YYYYMMDDhhmmss", timestamp())
  name     = "bluestream-k8s-node-${replace(var.kubernetes_minor, ".", "-")}-${local.build_id}"
  tags = {
    "bluestream.io/image"      = "k8s-node"
    "bluestream.io/kubernetes" = var.kubernetes_minor
    "bluestream.io/version"    = var.image_version
  }
}

source "amazon-ebs" "k8s-node" {
  region        = var.aws_region
  ami_name      = local.name
  instance_type = "m7i.large"
  source_ami_filter {
    filters = {
      name                = "debian-12-amd64-*"
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
    http_put_response_hop_limit = 2
  }
  tags          = merge(local.tags, { Name = local.name })
  run_tags      = local.tags
  snapshot_tags = local.tags
}

build {
  name    = "k8s-node"
  sources = ["source.amazon-ebs.k8s-node"]

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    scripts         = ["${path.root}/../../scripts/harden.sh"]
  }

  provisioner "shell" {
    execute_command  = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    environment_vars = ["KUBERNETES_MINOR=${var.kubernetes_minor}"]
    scripts          = ["${path.root}/../../scripts/k8s-node.sh"]
  }

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    scripts         = ["${path.root}/../../scripts/cleanup.sh"]
  }

  post-processor "manifest" {
    output     = "${path.root}/../../../dist/packer/k8s-node-aws-manifest.json"
    strip_path = true
  }
}
