variable "image_version" {
  type        = string
  description = "bluestream release the image belongs to (git tag without the v)."
  default     = "0.0.0-dev"
  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", var.image_version))
    error_message = "The image_version must be a semantic version such as 1.2.3."
  }
}

variable "arch" {
  type        = string
  description = "CPU architecture of the simulator AMI."
  default     = "amd64"
  validation {
    condition     = contains(["amd64", "arm64"], var.arch)
    error_message = "The arch must be amd64 or arm64."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region; bluestream runs only in Frankfurt."
  default     = "eu-central-1"
  validation {
    condition     = var.aws_region == "eu-central-1"
    error_message = "Images are built only in eu-central-1 (Frankfurt): data stays in Germany."
  }
}

variable "debian_aws_owner" {
  type        = string
  description = "AWS account that publishes the official Debian AMIs."
  default     = "136693071363"
}

variable "aws_build_instance_profile" {
  type        = string
  description = "Instance profile with AmazonSSMManagedInstanceCore, for SSH over Session Manager."
  default     = "bluestream-packer-build"
}

variable "binaries_dir" {
  type        = string
  description = "Directory with the Makefile's cross-built binaries, as <dir>/linux_<arch>/bluestream-simulator."
  default     = "dist/bin"
}

variable "ingest_endpoint" {
  type        = string
  description = "IngestService the simulated fleet streams to."
  default     = "https://ingest.germanywestcentral.bluestream.internal"
  validation {
    condition     = can(regex("^https?://[a-z0-9.-]+(:[0-9]+)?$", var.ingest_endpoint))
    error_message = "The ingest_endpoint must be an http(s) URL."
  }
}

variable "registry_endpoint" {
  type        = string
  description = "The enricher's RegistryService the simulator registers its gateways with before streaming (reachable from the rig, e.g. through a port-forward or an internal ingress); empty registers nothing, and the rig then loads only ingest and the transformer: its readings are dead-lettered as from unknown gateways."
  default     = ""
  validation {
    condition     = var.registry_endpoint == "" || can(regex("^https?://[a-z0-9.-]+(:[0-9]+)?$", var.registry_endpoint))
    error_message = "The registry_endpoint must be empty or an http(s) URL."
  }
}

variable "simulated_devices" {
  type        = number
  description = "Virtual BLE devices per simulator instance."
  default     = 1000
  validation {
    condition     = var.simulated_devices > 0 && var.simulated_devices <= 100000
    error_message = "The simulated_devices must be between 1 and 100000."
  }
}

variable "simulated_gateways" {
  type        = number
  description = "Virtual gateways the devices are heard by."
  default     = 20
  validation {
    condition     = var.simulated_gateways > 0
    error_message = "The simulated_gateways must be positive."
  }
}
