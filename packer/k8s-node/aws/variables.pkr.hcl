variable "image_version" {
  type        = string
  description = "bluestream release the image belongs to (git tag without the v)."
  default     = "0.0.0-dev"
  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", var.image_version))
    error_message = "The image_version must be a semantic version such as 1.2.3."
  }
}

variable "kubernetes_minor" {
  type        = string
  description = "Kubernetes minor version whose kubelet/kubeadm the image carries."
  default     = "1.34"
  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_minor))
    error_message = "The kubernetes_minor must look like 1.34."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region of the mirror cluster; bluestream runs only in Frankfurt."
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
